"""Home: certification per track, the recommended next call, recent calls, the library."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, LoadingIndicator, Static

from simulator.catalog import recommend

from ..store import Store
from ..widgets.footer import SteadyFooter
from ..widgets.library import LibraryBrowser
from ..widgets.safe import line, plain_str

if TYPE_CHECKING:  # certification (pydantic) is imported with the home's data, after the paint
    from simulator.scenario import Scenario
    from simulator.standing import TrackRow

__all__ = ["HomeScreen", "track_line"]

STATUS = {
    "not_started": "not started",
    "in_progress": "in progress",
    "certified": "certified",
    "refresher_due": "refresher due",
    "expired": "expired",
}


def track_line(row: TrackRow) -> Text:
    """Two or three short lines: the track, its status with its dates, progress."""
    text = Text.assemble((f"{plain_str(row.title)}\n", "bold"))
    mark = {"certified": "✔ ", "refresher_due": "! ", "expired": "✘ "}.get(row.status, "· ")
    status = STATUS.get(row.status, row.status)
    if row.status == "certified" and row.valid_until:
        text.append(f"{mark}{status} to {row.valid_until:%Y-%m-%d}")
        if row.refresher_due_on:
            text.append(f"\n  refresher {row.refresher_due_on:%Y-%m-%d}", "dim")
    elif row.status == "refresher_due":
        days = f": {row.days_left} days left" if row.days_left is not None else ""
        text.append(f"{mark}{status}{days}", "bold")
    elif row.status == "expired":
        when = f" {row.valid_until:%Y-%m-%d}" if row.valid_until else ""
        text.append(f"{mark}{status}{when}", "bold")
    else:
        text.append(f"{mark}{status}")
    if row.progress:
        text.append(f" ({plain_str(row.progress)})", "dim")
    return text


def recent_table(calls: list[Any], titles: dict[str, str],
                 library: Mapping[str, Scenario] | None = None) -> Table | Text | Group:
    """The rep's last calls: when, which scenario, the score and result, the mode; an exam that
    does not count for certification is marked, and why is said under the table.

    Cells are Text: Rich parses a str cell as markup, and a title comes from a file."""
    if not calls:
        return Text("No calls yet: pick a scenario below.", "dim")
    table = Table(box=None, expand=True, pad_edge=False, show_edge=False)
    table.add_column("When", no_wrap=True)
    table.add_column("Scenario", ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("Result", no_wrap=True)
    table.add_column("Mode", no_wrap=True)
    notes: dict[str, int] = {}
    for c in calls:
        when = f"{c.started.astimezone():%b %d}" if c.started else ""
        if c.overall is not None and c.outcome != "incomplete":
            result = f"{c.overall:>3} {'passed' if c.passed else 'failed'}"
        else:
            result = c.outcome or "under way"
        mode = c.mode
        exam = c.mode in ("exam", "uncalibrated-exam")  # the latter: free text, never counted
        why = None
        if library is not None and exam:
            from simulator.standing import why_not_counted  # with certification, after the paint
            why = why_not_counted(c, library)
        if why is not None and c.outcome not in (None, "incomplete"):
            mark = notes.setdefault(why, len(notes) + 1)
            mode = f"exam, not counted ({mark})"
        table.add_row(when, line(titles.get(c.scenario_id, c.scenario_id)), line(result),
                      line(mode))
    if not notes:
        return table
    footnotes = Text("\n".join(f"({n}) {why}" for why, n in notes.items()), "dim")
    return Group(table, footnotes)


class HomeScreen(Screen[None]):
    """Paints at once; certification and recent calls arrive from a worker."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_call", "Next call"),
        Binding("slash", "search", "Search"),
        Binding("l", "library", "Library"),
        Binding("w", "workspace", "Trainer view"),
        Binding("v", "app.my_calls", "Your calls"),
        Binding("f5", "reload", "Refresh", show=False),
    ]

    class Start(Message):
        """The rep wants the briefing of this scenario."""

        def __init__(self, scenario: Scenario) -> None:
            super().__init__()
            self.scenario = scenario

    class Workspace(Message):
        """A trainer or an admin wants the library view (simulator.tui.screens.trainer)."""

    def __init__(self, scenarios: list[Scenario], store: Store, today: date | None) -> None:
        """`today`: the day certification is judged on; None for the current date."""
        super().__init__()
        self.scenarios, self.store, self.today = scenarios, store, today
        self.next: Scenario | None = None
        self._held: tuple[list[Any], list[TrackRow]] | None = None
        """Data that came while another screen was on top, shown when the home is again."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="overview"):
            yield Static(id="tracks")
            yield Static(id="recent")
        yield Static("", id="next")
        yield LibraryBrowser(self.scenarios, id="library")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#tracks").border_title = "Certification"
        self.query_one("#recent").border_title = "Recent calls"
        self.query_one("#recent").border_subtitle = "v: replay"
        self.query_one("#tracks").loading = True
        self.query_one("#recent").loading = True
        self.query_one("#library").border_title = "Scenario library"
        self.query_one("#scenarios", DataTable).focus()

    def on_screen_resume(self) -> None:
        """Shown (first, or back from a call): the data, once each time (not on mount too),
        read once the screen is painted: the database thread's work (a driver to import, the
        queries) does not hold up the first paint (issue 12). Data that came while a call or
        a briefing was on top is shown first (as it would have been under them), then read
        again. Covered already (`play FILE` opens the briefing at once): read when shown, not
        on a thread that would share the interpreter with the call's first replies."""
        if not self.is_active:
            return
        self._indicators_tick(True)
        if self._held is not None:
            self.fill(*self._held)
        self.call_after_refresh(self.action_reload)

    def on_screen_suspend(self) -> None:
        self._indicators_tick(False)

    def _indicators_tick(self, on: bool) -> None:
        """The loading indicators tick 16 times a second, each tick work for the screen under
        a briefing or a call (Textual counts it as visible): they wait while the home does."""
        for indicator in self.query(LoadingIndicator):
            indicator.auto_refresh = 1 / 16 if on else None

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="home")
    def load(self) -> None:
        signed_in = getattr(self.app, "signed_in", None)

        def role_known(role: str) -> None:
            if signed_in is not None:  # known now if the database opened after the paint
                self.app.call_from_thread(signed_in, role)
        home = self.store.home(self.today or date.today(), self.scenarios, role_known)
        self.app.call_from_thread(self.fill, home.calls, home.tracks)

    def fill(self, calls: list[Any], tracks: list[TrackRow]) -> None:
        """Show the data; while another screen is on top (`play FILE`: the briefing, then the
        call, open before the data comes) only keep it: Textual lays out the screen under the
        top one as visible, and the home's updates would land in the call's first replies
        (issue 12). on_screen_resume shows it."""
        if not self.is_active:
            self._held = (calls, tracks)
            self._indicators_tick(False)  # an indicator mounted after the home was covered
            return
        self._held = None
        self.sub_title = plain_str(f"{self.store.user} · {self.store.role}")
        self.refresh_bindings()  # the trainer's view, once the role is known
        box = self.query_one("#tracks", Static)
        if tracks:
            text = Text()
            for row in tracks:
                text.append_text(track_line(row))
                text.append("\n")
            text.rstrip()
            box.update(text)
        else:
            box.update(Text("No certification tracks yet.", "dim"))
        box.loading = False
        recent = self.query_one("#recent", Static)
        recent.update(recent_table(calls[:10], {s.id: s.title for s in self.scenarios},
                                   {s.id: s for s in self.store.scenarios}))
        recent.loading = False
        proposed = None
        if tracks:
            from simulator.standing import next_for_tracks
            proposed = next_for_tracks(tracks, self.scenarios)
        pick = recommend(self.scenarios, calls, proposed)
        self.next = pick[0] if pick else None
        self.query_one("#next", Static).update(
            Text.assemble(("Next call (n) ", "bold"), plain_str(pick[0].title),
                          (f"  {plain_str(pick[1])}", "italic"))
            if pick else Text("No scenarios found.", "dim"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "workspace":  # a trainer's or an admin's: a trainee never sees the key
            return self.store.role in ("trainer", "admin")
        return True

    def action_workspace(self) -> None:
        self.post_message(self.Workspace())

    def action_next_call(self) -> None:
        if self.next is not None:
            self.post_message(self.Start(self.next))

    @on(Input.Submitted, "#search")
    def to_list(self) -> None:
        self.set_focus(self.query_one("#scenarios", DataTable))

    def action_search(self) -> None:
        self.query_one(LibraryBrowser).focus_search()

    def action_library(self) -> None:
        self.query_one("#scenarios", DataTable).focus()

    @on(LibraryBrowser.Chosen)
    def chosen(self, event: LibraryBrowser.Chosen) -> None:
        event.stop()
        self.post_message(self.Start(event.scenario))
