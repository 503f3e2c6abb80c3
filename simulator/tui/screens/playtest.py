"""A trainer's playtest: the call screen started at any node, with a debug panel, the replies in
authored order with their ids, and the file watched for changes.

A playtest is stored as a playtest (mode "playtest"): it never counts for certification or
averages. It starts at a node on the shortest way there (simulator.playtest): the node's
customer line is the first one shown, and the state (steps, mood, level) is the one that way
leaves, said in the debug panel.

Live reload: the file's modification time and size are polled (a timer, no busy loop). When
they change the file is loaded again; errors are shown as `file:line:col` and the replies wait;
once the file is valid again the playtest restarts at the node it was at (or says that node is
gone and starts where it can). A file saved with the same text changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, Tree

from simulator.call import Line
from simulator.playtest import PlaytestError, call_from
from simulator.review import best_path
from simulator.scenario import Diagnostic, Scenario, load_file
from simulator.text import printable

from ..store import Store
from ..widgets.debug import DebugPanel, DebugReplyList
from ..widgets.replies import ReplyList
from ..widgets.safe import plain_str
from ..widgets.tree import ScenarioTree
from .call import CallEnd, CallScreen
from .scorecard import ScorecardScreen

__all__ = ["PlaytestScreen", "TreeDialog", "start_playtest"]

POLL = 0.5
"""Seconds between two looks at the file's modification time."""


class TreeDialog(ModalScreen[str | None]):
    """The scenario's tree with the playtest's node marked; Enter on a node restarts the
    playtest there, Escape goes back to it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,t", "close", "Back to the call")]
    DEFAULT_CSS = """
    TreeDialog > .dialog { width: 90%; height: 80%; }
    TreeDialog ScenarioTree { height: 1fr; }
    """

    def __init__(self, scenario: Scenario, current: str | None) -> None:
        super().__init__()
        self.scenario, self.current = scenario, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield ScenarioTree(id="tree")
            yield Static(Text("Enter: playtest from this node · Escape: back", "dim"),
                         classes="hint")

    def on_mount(self) -> None:
        tree = self.query_one(ScenarioTree)
        tree.show(self.scenario, self.current)
        tree.focus()

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        if event.node.data is not None and event.node is not self.query_one(ScenarioTree).root:
            self.dismiss(event.node.data)

    def action_close(self) -> None:
        self.dismiss(None)


class PlaytestScreen(CallScreen):
    """The call screen of a playtest. Dismisses like the call screen (a CallEnd, or None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "tree", "Tree"),
        Binding("ctrl+r", "restart", "Restart here"),
        Binding("enter", "wrap_up", "Scorecard", priority=True),
    ]
    DEFAULT_CSS = """
    PlaytestScreen #side { display: none; }
    PlaytestScreen #reload {
        display: none; height: auto; max-height: 60%; padding: 0 1;
        background: $error-muted; border-top: hkey $error;
    }
    PlaytestScreen.-broken #reload { display: block; }
    PlaytestScreen.-broken #replies { display: none; }
    """

    def __init__(self, scenario: Scenario, store: Store, node: str | None = None, *,
                 path: Path | None = None, poll: float | None = None,
                 freetext: bool = False) -> None:
        """`node`: where to start (None: the start); PlaytestError when the call cannot start
        there. `path`: the file to watch (default: the scenario's own). `freetext`: typed
        replies (the typed words kept with their matches; still a playtest)."""
        call, opening = call_from(scenario, node)
        super().__init__(scenario, "practice", store.open_call(scenario, "playtest"),
                         freetext=freetext)
        self.store = store
        self.call, self.opening = call, opening
        self.path = path if path is not None else (Path(scenario.file) if scenario.file else None)
        self.poll = poll or POLL
        self._stamp = self._stat()
        self.problems: list[Diagnostic] = []
        """The errors of the file on disk (the playtest waits while there are any)."""
        self.note: str | None = None
        """What the last reload did, for the debug panel."""
        self._reloading = False
        self.restarts = 0
        """How many times this playtest restarted (a reload, a pick in the tree, Ctrl+R)."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield DebugReplyList(id="replies") if type(widget) is ReplyList else widget
        yield Static(id="reload")

    def on_mount(self) -> None:  # runs before the call screen's own on_mount
        self._add_panel()
        self._listen()
        if self.path is not None:
            self.set_interval(self.poll, self.check_file)

    def _add_panel(self) -> None:
        """The debug panel, right of the conversation (in place of the side panel)."""
        self.query_one("#call-body").mount(DebugPanel(id="debug"))

    def _listen(self) -> None:
        listener = getattr(self.app, "_save_state", None)  # the app's "not being saved" dialog
        if listener is not None:
            self.record.listener = listener

    # -- what the call screen does, as a playtest --------------------------------------------
    def _show(self, idx: int, line: Line) -> None:
        """Lines of the way there are stored (the call is whole) but not shown: the node's
        customer line comes first."""
        if idx < self.opening.first_line:
            self.record.line(line, idx)
            return
        super()._show(idx, line)

    def _refresh_state(self) -> None:
        super()._refresh_state()
        where = "the start" if self.opening.at_start else f"node {self.opening.node}"
        self.sub_title = plain_str(f"{self.scenario.title} · playtest from {where}")
        if self.record.unsaved:  # a read-only database: kept on screen only
            self.sub_title += " · not saved"
        self.query_one(DebugPanel).show(self.scenario, self.call, self.opening, self.note)

    def _ended(self) -> None:
        super()._ended()
        banner = self.query_one("#ended", Static)
        banner.update(Text.assemble(("The playtest ended.", "bold"),
                                    "  Enter: the scorecard · Ctrl+R: again from "
                                    f"{printable(self.opening.node, keep_newlines=False)}"))

    def play(self, n: int) -> None:
        if self.problems:
            self.notify("The file has errors: the playtest goes on once they are fixed.",
                        severity="warning", timeout=3)
            return
        super().play(n)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick" and self.problems:
            return False
        return super().check_action(action, parameters)

    # -- live reload -------------------------------------------------------------------------
    def _stat(self) -> tuple[int, int] | None:
        if self.path is None:
            return None
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def check_file(self) -> None:
        """The timer's look at the file: reload it when its time or size changed."""
        stamp = self._stat()
        if stamp == self._stamp or self._reloading:
            return
        self._stamp = stamp
        self.reload()

    def reload(self) -> None:
        """Load the file again: show its errors, or restart at the same node."""
        assert self.path is not None
        if self._stamp is None:
            problems = [Diagnostic(str(self.path), 1, 1, "error",
                                   "the file is gone (moved or deleted): put it back")]
            scenario = None
        else:
            scenario, problems = load_file(self.path)
        errors = [d for d in problems if d.is_error]
        if scenario is None or errors:
            self.broken(errors or problems)
            return
        if scenario.content_hash == self.scenario.content_hash:  # saved, not changed
            self.fixed()
            return
        self._reloading = True
        self.run_worker(self.restart(scenario), exclusive=True, group="playtest-reload")

    def broken(self, problems: list[Diagnostic]) -> None:
        self.problems = problems
        text = Text(f"{len(problems)} error{'s' * (len(problems) != 1)} in the file: the "
                    "playtest waits until it is valid again.", "bold")
        for d in problems:
            text.append("\n" + str(d))  # str(d) is printable: a quoted value cannot escape
        self.query_one("#reload", Static).update(text)
        self.add_class("-broken")
        self.refresh_bindings()

    def fixed(self) -> None:
        self.problems = []
        self.remove_class("-broken")
        self.refresh_bindings()
        if not self.call.ended:
            self.query_one(ReplyList).focus()

    async def restart(self, scenario: Scenario | None = None, node: str | None = None) -> None:
        """A new playtest of `scenario` (default: the same) at `node` (default: the node this
        one is at, or started at once it ended). The call so far is kept as an incomplete
        playtest."""
        try:
            scenario = scenario or self.scenario
            wanted = node or (self.opening.node if self.call.ended else self.call.node)
            note = f"reloaded: restarted at '{wanted}'"
            try:
                call, opening = call_from(scenario, wanted)
            except PlaytestError as exc:
                note = f"node '{wanted}' is gone ({exc}): restarted at the start"
                for fallback in (self.opening.node, scenario.start):
                    try:
                        call, opening = call_from(scenario, fallback)
                    except PlaytestError:
                        continue
                    if fallback != scenario.start:
                        note = f"node '{wanted}' is gone: restarted at '{fallback}'"
                    break
                self.notify(printable(note, keep_newlines=False), title="Playtest",
                            severity="warning", markup=False, timeout=8)
            if node is not None and scenario is self.scenario:
                note = f"restarted at '{opening.node}'"
            if not self.call.ended:
                self.call.quit()
                self.record.abandon(self.call.result().score())
            self.scenario, self.call, self.opening = scenario, call, opening
            self.record = self.store.open_call(scenario, "playtest")
            self._listen()
            self.note = note
            self.end, self._leaving, self.order = None, False, []
            self.problems = []
            self.remove_class("-broken")
            await self.recompose()
            if not self.is_attached:  # left meanwhile (the app is closing)
                return
            self._add_panel()
            CallScreen.on_mount(self)  # show the new call as the call screen does
            self.refresh_bindings()
            self.restarts += 1
        finally:
            self._reloading = False

    # -- actions -----------------------------------------------------------------------------
    def action_tree(self) -> None:
        def chosen(node: str | None) -> None:
            if node is not None:
                self.run_worker(self.restart(node=node), exclusive=True, group="playtest-reload")
        self.app.push_screen(TreeDialog(self.scenario, self.call.node), chosen)

    def action_restart(self) -> None:
        if not self.problems:
            self.run_worker(self.restart(node=self.opening.node), exclusive=True,
                            group="playtest-reload")


def start_playtest(app: App[Any], store: Store, scenario: Scenario, node: str | None = None,
                   *, on_leave: Callable[[PlaytestScreen], None] | None = None,
                   path: Path | None = None, freetext: bool = False) -> PlaytestScreen:
    """Push a playtest of `scenario` at `node`; when it ends, its scorecard (no wrap-up: a
    playtest tries the tree, not the trainee's record); "again" starts the same playtest anew.
    `on_leave` is told when the playtest screen is left. PlaytestError when it cannot start."""
    screen = PlaytestScreen(scenario, store, node, path=path, freetext=freetext)

    def done(end: CallEnd | None) -> None:
        if on_leave is not None:
            on_leave(screen)
        if end is None:
            return

        def after(where: str | None) -> None:
            if where == "again":
                start_playtest(app, store, screen.scenario, screen.opening.node,
                               on_leave=on_leave, path=screen.path, freetext=screen.freetext)
        app.push_screen(ScorecardScreen(end.result, end.card, "playtest", None,
                                        best_path(end.scenario), end.log.unsaved), after)
    app.push_screen(screen, done)
    return screen
