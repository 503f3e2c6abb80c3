"""The Hotseat app: wiring only. Screens do the work; this module passes results between them."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from simulator.scenario import Library
from simulator.scenario.index import Indexed, load_entry
from simulator.text import printable

from .screens import HomeScreen
from .store import CallLog, Store

if TYPE_CHECKING:
    from simulator.scenario import Scenario
    from simulator.wrapup import WrapUpRecord

    from .screens.call import CallEnd, CallScreen
    from .screens.dialogs import UnsavedDialog
    from .screens.trainee import TraineeScreen

# Every screen but the home is imported where it is opened, not before the home's first paint:
# the call's screens import the scenario models, the call engine and the scorer, the staff's the
# database layer (issue 12); see screens/__init__.py's LATER.


def _on_call(screen: object) -> CallScreen | None:
    """`screen` when it is a call's screen. Its module is imported with the first call: before
    that, no screen is one (and asking does not import it)."""
    module = sys.modules.get("simulator.tui.screens.call")
    if module is not None and isinstance(screen, module.CallScreen):
        return cast("CallScreen", screen)
    return None

__all__ = ["HotseatApp", "make_app"]

THEMES = ("textual-dark", "textual-light")


class HotseatApp(App[None]):
    CSS_PATH = "hotseat.tcss"
    TITLE = "Hotseat"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False)]

    def __init__(self, scenarios: list[Scenario], store: Store, *, today: date | None = None,
                 start: Scenario | None = None, broken_files: int = 0,
                 shuffle: bool = False, playtest: Scenario | None = None,
                 role: str | None = None, start_node: str | None = None,
                 broken_paths: Sequence[str] = ()) -> None:
        super().__init__()
        self.start_node = start_node
        """`hotseat play FILE --from NODE`: a playtest of `start` at that node, at once."""
        self.broken_paths = list(broken_paths)
        """The library's files left out for their errors (listed in the trainer's view)."""
        self.role = role
        """The role of the person signed in, when the caller knows it (the CLI does): a
        supervisor or an admin opens on the team overview. Every read still takes the viewer
        signed in on the database thread, whatever this says."""
        self.role_from_db = False
        """The role is the database's, known after the first paint (the CLI opens the database
        then): `signed_in` opens a supervisor's or an admin's home when it comes."""
        self.playtest = playtest
        """A file opened with `hotseat play FILE` that is not the library's version: its calls
        are kept as playtests, which never count."""
        self.shuffle = shuffle
        self.scenarios, self.store = scenarios, store
        self.today = today
        self.start, self.broken_files = start, broken_files
        self.theme = THEMES[0]
        self._unsaved: dict[CallLog, UnsavedDialog] = {}
        """The open "not being saved" dialog of each call whose writes fail."""

    class SaveState(Message):
        """A call's writes failed, or got through again (posted from the database thread)."""

        def __init__(self, log: CallLog) -> None:
            super().__init__()
            self.log = log

    def on_mount(self) -> None:
        self.store.on_error = self._db_error
        self.store.on_news = self._good_news
        self.store.on_notice = self._db_notice
        self.store.on_fatal = self._db_fatal
        if not (self.start is None and self._staff_home()):  # `play FILE`: straight to its call
            self.push_screen(HomeScreen(self.scenarios, self.store, self.today))
        if self.broken_files:
            self.notify(f"{self.broken_files} scenario file(s) have errors and were left out: "
                        "run `hotseat validate`.", severity="warning")
        if self.start is not None and self.start_node is not None:
            self.playtest_at(self.start, self.start_node)
        elif self.start is not None:
            self.brief(self.start)

    def _staff_home(self) -> bool:
        """Open a supervisor's or an admin's home (the team overview) when the role says so."""
        if self.role in (None, "trainee", "trainer"):
            return False
        from .screens.supervisor import STAFF, SupervisorHome
        if self.role not in STAFF:
            return False
        self.push_screen(SupervisorHome(self.scenarios, self.store, self.today))
        return True

    def signed_in(self, role: str) -> None:
        """The database said who is signed in (opened after the first paint: the role was not
        known at start): a supervisor or an admin moves on to the team overview."""
        if self.role is not None or not self.role_from_db:
            return
        self.role = role
        if (self.start is None and role not in ("trainee", "trainer")
                and len(self.screen_stack) == 2 and isinstance(self.screen, HomeScreen)):
            from .screens.supervisor import STAFF
            if role in STAFF:
                self.pop_screen()
                self._staff_home()

    def _db_fatal(self, exc: BaseException) -> None:
        """The database could not be opened (on its thread): end; the CLI reports why."""
        try:
            self.call_from_thread(lambda: self.exit(return_code=1))
        except RuntimeError:  # not running (closing already)
            pass

    def _db_error(self, message: str) -> None:
        try:
            self.call_from_thread(self.notify, printable(message), severity="error",
                                  timeout=10, markup=False)  # it may quote a name: text
        except RuntimeError:  # the app is not running (closing): the error is in the log
            pass

    def _db_notice(self, message: str) -> None:
        try:
            self.call_from_thread(self.notify, printable(message), title="Not saving",
                                  severity="warning", timeout=30, markup=False)
        except RuntimeError:
            pass

    def _good_news(self, message: str) -> None:
        try:
            self.call_from_thread(self.notify, printable(message), title="Well done",
                                  timeout=10, markup=False)
        except RuntimeError:
            pass

    # -- the flow: home -> briefing -> call -> wrap-up -> scorecard ----------------------------
    def on_home_screen_start(self, message: HomeScreen.Start) -> None:
        self.brief(message.scenario)

    def brief(self, scenario: Scenario) -> None:
        self.store.prefetch()  # the database layer, for the call's first write (issue 12)
        if isinstance(scenario, Indexed):  # the library index's stand-in: its file, in full
            full = self._load_indexed(scenario)
            if full is None:
                return
            scenario = full

        def chosen(mode: str | None) -> None:
            if mode:
                self.take_call(scenario, mode)
        from .screens.briefing import BriefingScreen
        self.push_screen(BriefingScreen(scenario), chosen)

    def _load_indexed(self, shell: Indexed) -> Scenario | None:
        """The scenario of an indexed file, parsed and validated now (the file as it is); the
        library's version from now on. A file that no longer loads says why, with where."""
        scenario, problems = load_entry(shell.entry)
        if scenario is not None and scenario.id != shell.id:
            problems, scenario = [], None
            why = [f"its id is no longer '{shell.id}': restart Hotseat to read it again"]
        else:
            why = [str(d) for d in problems if d.is_error]
        if scenario is None:
            self.notify(printable("\n".join([f"{shell.file} has changed and no longer loads:",
                                              *why[:6]])),
                        title="Cannot open this scenario", severity="error", markup=False,
                        timeout=15)
            return None
        for scenarios in (self.scenarios, self.store.scenarios):
            scenarios[:] = [scenario if s.id == shell.id and isinstance(s, Indexed) else s
                            for s in scenarios]
        return scenario

    def take_call(self, scenario: Scenario, mode: str) -> None:
        # typed replies (issue 15): "freetext" is a practice call, "freetext-exam" an exam, kept
        # as one only when the matcher's engine is calibrated for certification
        freetext = mode in ("freetext", "freetext-exam")
        mode = "exam" if mode == "freetext-exam" else "practice" if freetext else mode
        kept_as = mode
        if self.playtest is not None and scenario is self.playtest:
            self.notify("This file is not the library's version of the scenario: the call is "
                        "kept as a playtest and never counts for certification or averages.",
                        title="Playtest", markup=False, timeout=8)
            self.playtest_at(scenario, None, freetext=freetext)
            return
        if freetext and mode == "exam":
            from simulator.freetext.engines import EngineError, engine_name
            from simulator.freetext.matcher import certifies
            try:
                counted = certifies(engine_name())
            except EngineError:
                counted = False  # the panel says why and offers the numbered replies
            if not counted:
                kept_as = "uncalibrated-exam"
                self.notify("This free-text exam is kept but does not count for "
                            "certification: its replies are not matched by a calibrated engine "
                            "(the lexical fallback matches spelling only).",
                            title="Free-text exam", markup=False, timeout=8)
        log = self.store.open_call(scenario, kept_as)
        log.listener = self._save_state
        # a new order of the replies for every call, so that no position is "the right one"
        seed = random.SystemRandom().randrange(2**32) if self.shuffle else None
        from .screens.call import CallScreen
        self.push_screen(CallScreen(scenario, mode, log, seed, freetext=freetext), self.wrap_up)

    # -- the trainer's workspace: playtests and the library view ---------------------------
    def playtest_at(self, scenario: Scenario, node: str | None, freetext: bool = False) -> None:
        """A playtest (stored as one: it never counts) of `scenario` from `node`; `freetext`:
        with typed replies."""
        from simulator.playtest import PlaytestError

        try:
            from .screens.playtest import start_playtest
            start_playtest(self, self.store, scenario, node, freetext=freetext)
        except PlaytestError as exc:
            self.notify(printable(str(exc)), title="Cannot playtest there", severity="error",
                        markup=False, timeout=10)

    def on_home_screen_workspace(self, message: HomeScreen.Workspace) -> None:
        self.action_workspace()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "workspace":  # the key shows for trainers and admins only
            return self.store.role in ("trainer", "admin")
        return True

    def action_workspace(self) -> None:
        """The trainer's library view: a trainer's or an admin's, never a trainee's."""
        if self.store.role not in ("trainer", "admin"):
            self.notify("The library view is for trainers and admins.", severity="warning")
            return
        files = [Path(s.file) for s in self.scenarios if s.file]
        from .screens.trainer import TrainerScreen
        self.push_screen(TrainerScreen([*files, *map(Path, self.broken_paths)], self.store))

    def wrap_up(self, end: CallEnd | None) -> None:
        if end is None:  # the rep left the call: it is kept as incomplete, back home
            return
        from .screens.wrapup import WrapUpScreen
        self.push_screen(WrapUpScreen(end.scenario, self.store.user, datetime.now()),
                         lambda record: self.show_card(end, record))

    def show_card(self, end: CallEnd, record: WrapUpRecord | None) -> None:
        from dataclasses import replace

        from simulator.review import best_path
        from simulator.wrapup import documentation_mark

        from .screens.scorecard import ScorecardScreen
        mark = None
        if record is not None:
            mark = documentation_mark(record, end.scenario.facts, locale=end.scenario.locale)
            end.log.wrapup(replace(record, documentation=mark.mark))

        def after(where: str | None) -> None:
            if where == "again":
                self.brief(end.scenario)
        self.push_screen(ScorecardScreen(end.result, end.card, end.mode, mark,
                                         best_path(end.scenario), end.log.unsaved), after)

    # -- a stored call's replay (the supervisor's screens and the trainee's home ask for it) --
    def on_trainee_screen_open_call(self, message: TraineeScreen.OpenCall) -> None:
        self.open_call(message.call_id)

    def open_call(self, call_id: int) -> None:
        """Open stored call `call_id` on the replay screen (its queries decide who may see it)."""
        try:
            from .screens.replay import ReplayScreen
        except ImportError:  # the replay screen is not there: say how to read the call instead
            self.notify(f"Call {call_id}: run `hotseat replay {call_id}` to read it.",
                        markup=False)
            return
        self.push_screen(ReplayScreen(call_id, self.store, self.scenarios))

    # -- past calls: replay, review, calibration (screens.replay, screens.calibration) ---------
    def action_my_calls(self) -> None:
        """The person's own calls, to replay one with the comments on it."""
        from .screens.replay import CallsScreen
        self.push_screen(CallsScreen())

    def action_calibration(self) -> None:
        """Blind scoring and the agreement report (supervisors and admins: refused to others
        by the queries themselves)."""
        from .screens.calibration import CalibrationScreen
        self.push_screen(CalibrationScreen())

    # -- a call that is not being saved -----------------------------------------------------------
    def _save_state(self, log: CallLog) -> None:
        """From the database thread: hand the news to the app's thread."""
        self.post_message(self.SaveState(log))

    def on_hotseat_app_save_state(self, message: SaveState) -> None:
        """Tell the rep at once, whatever the screen: the dialog stays until the writes get
        through (a retry) or the rep stops saving the call."""
        log = message.log
        dialog = self._unsaved.get(log)
        if log.failure is not None:
            if dialog is not None:
                dialog.failed(log.failure)
                return
            from .screens.dialogs import UnsavedDialog
            dialog = self._unsaved[log] = UnsavedDialog(log)
            self.push_screen(dialog, lambda answer: self._unsaved_answer(log, answer))
        elif dialog is not None and self.screen is dialog:
            dialog.saved()

    def _unsaved_answer(self, log: CallLog, answer: str | None) -> None:
        self._unsaved.pop(log, None)
        if answer == "saved":
            self.notify("Saved: your call is being saved again.", timeout=5)
            return
        log.give_up()
        for screen in self.screen_stack:
            call = _on_call(screen)
            if call is not None and call.record is log:
                call.leave_unsaved()
        if log.unsaved:
            self.notify(printable(log.unsaved), title="Not saved", severity="warning",
                        timeout=15, markup=False)

    # -- app-wide actions and the command palette -----------------------------------------------
    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def action_quit(self) -> None:  # type: ignore[override]
        call = _on_call(self.screen)
        if call is not None and not call.call.ended:
            call.action_hang_up()  # a call in progress is never dropped silently
        else:
            self.exit()

    def action_home(self) -> None:
        while len(self.screen_stack) > 2 and _on_call(self.screen) is None:
            self.pop_screen()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Light or dark theme", "Switch between the light and dark theme",
                            self.action_toggle_theme)
        if isinstance(screen, HomeScreen):
            yield SystemCommand("Next call", "Open the briefing of the recommended call",
                                screen.action_next_call)
            yield SystemCommand("Search the library", "Search scenarios by words",
                                screen.action_search)
        elif _on_call(screen) is None:
            yield SystemCommand("Home", "Back to the home screen", self.action_home)
        if _on_call(screen) is None and self.store.role in ("trainer", "admin"):
            yield SystemCommand("Trainer's library view", "Every scenario file: its state, its "
                                "tree, every path scored; playtest from any node",
                                self.action_workspace)
        if _on_call(screen) is None:
            yield SystemCommand("Your calls", "Replay one of your calls, with the comments on "
                                "it", self.action_my_calls)
            if self.store.role in ("supervisor", "admin"):
                yield SystemCommand("Calibration", "Score calls blind; how far you and the "
                                    "scorer agree", self.action_calibration)


def make_app(library: Library | list[Scenario], engine: Any, user: str, *,
             scenario: Scenario | None = None, today: date | None = None,
             tracks: list[Any] | None = None, shuffle: bool = False,
             role: str | None = None, start_node: str | None = None,
             opener: Callable[[], tuple[Any, str]] | None = None,
             quick: Callable[[], tuple[Any, Any]] | None = None) -> HotseatApp:
    """The app for the CLI and the tests: a parsed library, a database engine (or None) and
    the user's name. `scenario` opens its briefing straight away; `tracks` replaces the
    bundled certification tracks; `shuffle` shows each call's replies in a fresh random order
    (the CLI turns it on; tests keep the authored order); `role` (the person's, when known)
    opens a supervisor or an admin on the team overview. `start_node` with `scenario`: a
    playtest at that node at once (it never counts). `quick` (with `opener`): the plain read
    path the home is read over first (Store)."""
    scenarios = list(library.scenarios if isinstance(library, Library) else library)
    broken_paths = sorted({d.path for d in library.errors}) if isinstance(library, Library) \
        else []
    broken = len(broken_paths)
    # the library: its versions are the ones that count. `opener` (the CLI's) opens the
    # database on the store's thread after the first paint, instead of `engine`.
    store = Store(engine, user, scenarios, opener=opener, quick=quick)
    playtest = None
    if scenario is not None:
        known = {s.id: s.content_hash for s in scenarios}
        if known.get(scenario.id) != scenario.content_hash:
            playtest = scenario
        scenarios = [s for s in scenarios if s.id != scenario.id] + [scenario]
    store.tracks = tracks
    app = HotseatApp(scenarios, store, today=today, start=scenario, broken_files=broken,
                     shuffle=shuffle, playtest=playtest, role=role, start_node=start_node,
                     broken_paths=broken_paths)
    app.role_from_db = opener is not None and role is None
    return app
