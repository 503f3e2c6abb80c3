"""The trainer's library view: every scenario file with its validation state, the tree of the
one selected, the path explorer's numbers, and a key to playtest from any node.

Reached from home by a trainer or an admin (never a trainee). The files are watched: a timer
compares each file's modification time and size (no busy loop); a file that changed is
validated again (as `hotseat validate` does: loading, then its checks) and, when selected, its
tree and numbers are drawn again. Validation and the path explorer run in worker threads; the
explorer's numbers are kept per version of a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from scoring.vocabulary import STEPS
from simulator.checks import coverage, run_checks
from simulator.paths import Exploration, explore, format_picks
from simulator.playtest import PlaytestError
from simulator.scenario import Diagnostic, Scenario, load_file

from ..store import Store
from ..widgets.safe import line
from ..widgets.tree import ScenarioTree
from .playtest import PlaytestScreen, start_playtest

__all__ = ["FileState", "TrainerScreen", "explorer_text", "validate_file"]

POLL = 1.0
"""Seconds between two looks at the library's files."""


@dataclass
class FileState:
    """One scenario file as it is on disk now."""

    path: Path
    scenario: Scenario | None = None
    problems: list[Diagnostic] = field(default_factory=list)
    stamp: tuple[int, int] | None = None
    checked: bool = False
    """Validated at least once (until then the row says "checking")."""

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    @property
    def name(self) -> str:
        return self.scenario.id if self.scenario is not None else self.path.name


def stamp_of(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def validate_file(path: Path) -> FileState:
    """Load one file and play its checks, as `hotseat validate` does for it."""
    state = FileState(path, stamp=stamp_of(path), checked=True)
    if state.stamp is None:
        state.problems = [Diagnostic(str(path), 1, 1, "error",
                                     "the file is gone (moved or deleted)")]
        return state
    scenario, problems = load_file(path)
    if scenario is not None:
        results, failed = run_checks(scenario)
        problems = problems + failed
        missed = coverage(scenario, results)
        if missed is not None:
            problems.append(missed)
    state.scenario = scenario
    state.problems = sorted(problems)
    return state


def state_cells(state: FileState) -> tuple[Text, Text, Text]:
    """A row of the table: the mark, the state in words, the scenario."""
    if not state.checked:
        return Text("…"), Text("checking", "dim"), line(state.name)
    if state.errors:
        words = f"{state.errors} error{'s' * (state.errors != 1)}"
        return Text("✘", "bold red"), Text(words, "red"), line(state.name)
    if state.warnings:
        words = f"{state.warnings} warning{'s' * (state.warnings != 1)}"
        return Text("!", "bold yellow"), Text(words, "yellow"), line(state.name)
    return Text("✔", "bold green"), Text("valid", "green"), line(state.name)


def explorer_text(e: Exploration) -> Text:
    """The explorer's numbers: paths, each dimension's lowest and highest score with the picks
    that reach it, the steps and ends reached, and the warnings."""
    text = Text()
    text.append("Every path: ", "bold")
    text.append_text(line(e.summary()))
    for name, b in e.bounds.items():
        text.append(f"\n{name:<11}", "bold")
        text.append(f"{b.min:>3} to {b.max:<3}")
        text.append(f" low {format_picks(b.min_picks) or '-'}; "
                    f"high {format_picks(b.max_picks) or '-'}", "dim")
    if not e.bounds:
        text.append("\nno path ends: nothing to score", "yellow")
    never = [str(x) for x in STEPS if x not in e.steps]
    text.append("\nsteps ", "bold")
    text.append(", ".join(e.steps) or "none")
    if never:
        text.append(f" (never: {', '.join(never)})", "yellow")
    text.append("\nends  ", "bold")
    text.append(", ".join(e.ends) or "none")
    if not any(w.message.startswith("a path that passes") for w in e.warnings):
        text.append("\n✔ no passing path lies, hides behind policy, breaks the policy card, "
                    "loses the customer or misses a needed escalation", "green")
    for w in e.warnings:
        text.append("\n")
        text.append_text(line(str(w), "yellow"))
    return text


class TrainerScreen(Screen[None]):
    """The library's files on the left; the selected one's tree and numbers on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "playtest", "Playtest from node"),
        Binding("tab", "app.focus_next", "Table/tree", show=False),
        Binding("escape,h", "home", "Home"),
    ]
    DEFAULT_CSS = """
    TrainerScreen #trainer-body { height: 1fr; }
    TrainerScreen #files { width: 38%; min-width: 28; max-width: 56; height: 100%;
                           border: round $primary; }
    TrainerScreen #detail { width: 1fr; }
    TrainerScreen #tree { height: 1fr; border: round $primary; }
    TrainerScreen #numbers-box { height: auto; max-height: 45%; border: round $secondary;
                                 padding: 0 1; }
    TrainerScreen #numbers { height: auto; }
    """

    def __init__(self, files: list[Path], store: Store, *, poll: float | None = None) -> None:
        super().__init__()
        self.store = store
        self.states: dict[str, FileState] = {str(p): FileState(p, stamp=stamp_of(p))
                                             for p in dict.fromkeys(files)}
        self.poll = poll or POLL
        self.selected: str | None = None
        self.marked: tuple[str, str] | None = None
        """(scenario id, node) where the last playtest was: marked in the tree."""
        self.explored: dict[str, Exploration] = {}
        """The explorer's numbers by content hash."""
        self.playtest: PlaytestScreen | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="trainer-body"):
            yield DataTable(id="files", cursor_type="row", zebra_stripes=True)
            with Vertical(id="detail"):
                yield ScenarioTree(id="tree")
                with VerticalScroll(id="numbers-box"):
                    yield Static(id="numbers")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "trainer's library view"
        self.query_one("#files").border_title = "Library"
        self.query_one("#tree").border_title = "Tree"
        self.query_one("#numbers-box").border_title = "Paths and problems"
        table = self.query_one("#files", DataTable)
        table.add_column("", key="mark", width=1)
        table.add_column("State", key="state", width=10)  # "2 warnings": no width that races
        table.add_column("Scenario", key="name")
        for key, state in self.states.items():
            table.add_row(*state_cells(state), key=key)
        table.focus()
        self.validate(list(self.states))
        self.set_interval(self.poll, self.check_files)

    # -- validation --------------------------------------------------------------------------
    @work(thread=True, group="trainer-validate")
    def validate(self, keys: list[str]) -> None:
        for key in keys:
            state = validate_file(self.states[key].path)
            self.app.call_from_thread(self.validated, key, state)

    def validated(self, key: str, state: FileState) -> None:
        self.states[key] = state
        table = self.query_one("#files", DataTable)
        for column, cell in zip(("mark", "state", "name"), state_cells(state), strict=True):
            table.update_cell(key, column, cell, update_width=column == "name")
        if self.selected is None and table.cursor_row == table.get_row_index(key):
            self.selected = key
        if key == self.selected:
            self.show_selected()

    def check_files(self) -> None:
        """The timer's look at the files: validate again each one that changed."""
        changed = [key for key, state in self.states.items()
                   if state.checked and stamp_of(state.path) != state.stamp]
        for key in changed:
            self.states[key].stamp = stamp_of(self.states[key].path)  # once per change
        if changed:
            self.validate(changed)

    # -- the selected file -------------------------------------------------------------------
    @on(DataTable.RowHighlighted, "#files")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.selected = event.row_key.value
            self.show_selected()

    def current_state(self) -> FileState | None:
        return self.states.get(self.selected) if self.selected is not None else None

    def show_selected(self) -> None:
        state = self.current_state()
        if state is None:
            return
        tree = self.query_one(ScenarioTree)
        numbers = self.query_one("#numbers", Static)
        s = state.scenario
        if s is None:
            tree.clear()
            tree.root.set_label(Text.assemble(line(state.path.name, "bold"),
                                              "  not loaded: fix its errors"))
            numbers.update(self.problem_text(state))
            return
        current = self.marked[1] if self.marked and self.marked[0] == s.id else None
        tree.show(s, current)
        found = self.explored.get(s.content_hash)
        if found is None:
            numbers.update(Text.assemble(("Exploring every path…", "dim"), "\n",
                                         self.problem_text(state)))
            self.explore(s)
        else:
            numbers.update(Text.assemble(explorer_text(found), "\n", self.problem_text(state)))

    @work(thread=True, group="trainer-explore", exclusive=True)
    def explore(self, scenario: Scenario) -> None:
        found = explore(scenario)
        self.app.call_from_thread(self.explored_one, scenario, found)

    def explored_one(self, scenario: Scenario, found: Exploration) -> None:
        self.explored[scenario.content_hash] = found
        state = self.current_state()
        if state is not None and state.scenario is not None \
                and state.scenario.content_hash == scenario.content_hash:
            self.show_selected()

    @staticmethod
    def problem_text(state: FileState) -> Text:
        """Every problem of the file, as `file:line:col: severity: message`."""
        if not state.checked:
            return Text("checking…", "dim")
        if not state.problems:
            return Text("✔ no errors, no warnings; every check passes", "green")
        text = Text()
        for d in state.problems:
            if text:
                text.append("\n")
            text.append_text(line(str(d), "red" if d.is_error else "yellow"))
        return text

    # -- actions -----------------------------------------------------------------------------
    def action_playtest(self) -> None:
        state = self.current_state()
        if state is None or state.scenario is None:
            self.notify("Pick a scenario that loads: this one has errors to fix first.",
                        severity="warning", timeout=4)
            return
        tree = self.query_one(ScenarioTree)
        entry = tree.cursor_node
        node = entry.data if entry is not None and entry is not tree.root else None
        try:
            self.playtest = start_playtest(self.app, self.store, state.scenario, node,
                                           on_leave=self.left_playtest, path=state.path)
        except PlaytestError as exc:
            self.notify(str(exc), title="Cannot playtest there", severity="warning",
                        markup=False, timeout=6)

    def left_playtest(self, screen: PlaytestScreen) -> None:
        self.marked = (screen.scenario.id, screen.call.node)
        self.playtest = None
        self.show_selected()

    def on_screen_resume(self) -> None:
        self.check_files()
        self.show_selected()

    def action_home(self) -> None:
        self.dismiss(None)
