"""A stored call, replayed turn by turn; and the list of a rep's own calls that leads to it.

The replay shows each turn with the step, mood and level after it (simulator.replay), the score
events it caused with their points and reasons, the coach's feedback, the best path's reply
beside the rep's, and the comments on it; beside the turns, the wrap-up record with its
documentation mark and the review log (comments, overrides with who and when, the scorer's
result beside them). A supervisor of the trainee's team (or an admin) adds comments and
overrides from here (screens.review); a trainee reads them on their own calls.

What is read is decided in the queries by who is asking (simulator.db, `visible`): a call that is
not the viewer's to see is answered as one that does not exist. Every text from a file, a name
or a person (lines, wrap-ups, comments) is shown as Text, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from scoring import DIMENSIONS, ScoreEvent
from scoring.vocabulary import STEP_WORDS
from simulator.call import Line
from simulator.replay import Replay, ReplayTurn, replay
from simulator.scenario import Scenario
from simulator.wrapup import WrapUpRecord

from ..store import Store
from ..widgets.safe import line, plain, plain_str
from .review import CommentDialog, OverrideDialog, failure_text

if TYPE_CHECKING:
    from simulator.db import CallSummary, ReviewEntry, ReviewSummary

__all__ = ["CallsScreen", "Loaded", "ReplayScreen", "load_replay", "review_line", "when"]


def when(moment: datetime | None) -> str:
    """A stored time (UTC), as the reports write it."""
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment is not None else ""


def _verdict(passed: bool | None) -> str:
    return "passed" if passed else "failed"


def _app_store(screen: Screen[Any]) -> tuple[Store, list[Scenario]]:
    """The running HotseatApp's store and scenarios (the app module is not imported here: the
    app imports the screens)."""
    app = cast(Any, screen.app)
    scenarios = list(getattr(app, "scenarios", [])) + list(app.store.scenarios)
    return app.store, scenarios


@dataclass
class Loaded:
    """Everything the replay shows of one call, read in one go on the database thread."""

    call: CallSummary | None
    refused: str | None = None
    """Why there is nothing to show (no such call among those the viewer may see)."""
    lines: list[Line] = field(default_factory=list)
    events: list[ScoreEvent] = field(default_factory=list)
    wrapup: WrapUpRecord | None = None
    reviews: list[ReviewEntry] = field(default_factory=list)
    source: str | None = None
    """The scenario file the call was played on, when the library does not hold it."""
    may_review: bool = False
    why_not: str | None = None
    """Why the viewer may not comment or override (for a supervisor who is not the trainee's)."""


def load_replay(engine: Any, viewer: Any, call_id: int,
                hashes: frozenset[str] = frozenset()) -> Loaded:
    """On the database thread: the call as `viewer` may see it (every query filters by them).
    `hashes`: the scenario files the app holds already (their text is not read again)."""
    from simulator import db
    from simulator.db.reviews import call_source

    call = db.get_call(engine, viewer, call_id)
    if call is None:  # not there, or not theirs to see: the same answer
        return Loaded(None, f"No call {call_id} among the calls {viewer.name} may see.")
    loaded = Loaded(call, lines=db.call_transcript(engine, viewer, call_id),
                    events=db.call_events(engine, viewer, call_id),
                    wrapup=db.get_wrapup(engine, viewer, call_id),
                    reviews=db.reviews_of(engine, viewer, call_id))
    if viewer.role in ("supervisor", "admin"):
        try:
            db.check_reviewer(engine, viewer, call_id)
            loaded.may_review = True
        except db.Refused as exc:
            loaded.why_not = str(exc)
    if call.scenario_hash not in hashes:
        loaded.source = call_source(engine, viewer, call_id)
    return loaded


def review_line(entry: ReviewEntry, *, with_turn: bool = True) -> Text:
    """One entry of the review log: what, by whom, when, then its text, literally."""
    text = Text()
    if entry.kind == "override":
        text.append(f"Override: {_verdict(entry.verdict)}", "bold reverse")
        text.append(" by ")
    else:
        where = (f"on turn {entry.turn}" if entry.turn is not None else "on the whole call") \
            if with_turn else ""
        text.append(f"Comment {where}".rstrip(), "bold")
        text.append(" by ")
    text.append_text(line(entry.made_by, "bold"))
    text.append(f", {when(entry.made_at)}\n", "dim")
    text.append("  because: " if entry.kind == "override" else "  ")
    text.append_text(plain(entry.text).copy())
    text.rstrip()
    return text


class ReplayScreen(Screen[None]):
    """One stored call, turn by turn. A supervisor of the trainee's team (or an admin) adds a
    comment to the highlighted turn (c) or to the whole call (w), or overrides its pass or fail
    (o); everyone else reads."""

    DEFAULT_CSS = """
    ReplayScreen #replay-head { height: auto; padding: 0 1; background: $boost; }
    ReplayScreen #replay-body { height: 1fr; }
    ReplayScreen #replay-turns { width: 1fr; height: 1fr; border: round $primary; }
    ReplayScreen #replay-side { width: 44%; height: 1fr; }
    ReplayScreen #replay-side > Static { border: round $secondary; padding: 0 1; height: auto; }
    ReplayScreen #replay-note { height: auto; padding: 0 1; color: $text-muted; display: none; }
    ReplayScreen.-narrow #replay-body { layout: vertical; }
    ReplayScreen.-narrow #replay-turns { width: 1fr; height: 3fr; }
    ReplayScreen.-narrow #replay-side { width: 1fr; height: 2fr; }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,b", "back", "Back"),
        Binding("c", "comment_turn", "Comment on turn"),
        Binding("w", "comment_call", "Comment on call"),
        Binding("o", "override", "Override"),
        Binding("f5", "reload", "Refresh", show=False),
    ]

    def __init__(self, call_id: int, store: Store | None = None,
                 scenarios: Sequence[Scenario] | None = None) -> None:
        """`store` and `scenarios` default to the running app's."""
        super().__init__()
        self.call_id = call_id
        self._store, self._scenarios = store, scenarios
        self.loaded: Loaded | None = None
        self.model: Replay | None = None
        self.scenario: Scenario | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store, scenarios = _app_store(self)
            self._scenarios = self._scenarios if self._scenarios is not None else scenarios
        return self._store

    @property
    def scenarios(self) -> list[Scenario]:
        if self._scenarios is None:
            _, self._scenarios = _app_store(self)
        return list(self._scenarios)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(f"Call {self.call_id}", "bold"), id="replay-head")
        yield Static("", id="replay-note")
        with Horizontal(id="replay-body"):
            yield OptionList(id="replay-turns")
            with VerticalScroll(id="replay-side"):
                yield Static(id="replay-review")
                yield Static(id="replay-wrapup")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"call {self.call_id} · replay"
        self.query_one("#replay-turns").border_title = "Turn by turn"
        self.query_one("#replay-review").border_title = "Review log"
        self.query_one("#replay-wrapup").border_title = "Wrap-up record"
        self.query_one("#replay-turns").loading = True
        self.query_one("#replay-turns", OptionList).focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="replay")
    def load(self) -> None:
        store = self.store
        # a library index's stand-in has no tree (no nodes): the call's stored source is read
        held = {s.content_hash: s for s in self.scenarios if s.nodes}
        try:
            loaded = store.ask(lambda engine, viewer: load_replay(
                engine, viewer, self.call_id, frozenset(held)))
        except Exception as exc:
            loaded = Loaded(None, failure_text(exc, "The call could not be read"))
        scenario, missing = None, None
        if loaded.call is not None:
            scenario = held.get(loaded.call.scenario_hash)
            if scenario is None and loaded.source is not None:
                from simulator.scenario import load_bytes
                scenario, _ = load_bytes(loaded.source.encode("utf-8"), loaded.call.scenario_id)
                if scenario is None:
                    missing = "the scenario file this call was played on no longer loads"
        model = replay(loaded.lines, loaded.events, scenario, missing)
        self.app.call_from_thread(self.fill, loaded, model, scenario)

    # -- painting ---------------------------------------------------------------------------
    def fill(self, loaded: Loaded, model: Replay, scenario: Scenario | None) -> None:
        self.loaded, self.model, self.scenario = loaded, model, scenario
        turns = self.query_one("#replay-turns", OptionList)
        turns.loading = False
        self.refresh_bindings()
        if loaded.call is None:
            self.query_one("#replay-head", Static).update(plain(loaded.refused or "", "bold"))
            turns.clear_options()
            for name in ("#replay-review", "#replay-wrapup"):
                self.query_one(name, Static).update("")
            return
        call = loaded.call
        title = scenario.title if scenario is not None else call.scenario_id
        self.sub_title = plain_str(f"call {call.id} · {call.trainee} · replay")
        self.query_one("#replay-head", Static).update(self.head(call, title))
        note = self.query_one("#replay-note", Static)
        notes = []
        if model.missing:
            notes.append(f"Mood, step and level are not shown: {model.missing}.")
        if not model.has_best:
            notes.append("This scenario has no best path to compare with.")
        note.update(plain(" ".join(notes)))
        note.display = bool(notes)
        highlighted = turns.highlighted
        turns.clear_options()
        name = scenario.customer.name if scenario is not None else "Customer"
        comments: dict[int, list[ReviewEntry]] = {}
        for entry in loaded.reviews:
            if entry.kind == "comment" and entry.turn is not None:
                comments.setdefault(entry.turn, []).append(entry)
        options: list[Option | None] = []
        for turn in model.turns:
            if options:
                options.append(None)  # a rule between turns
            options.append(Option(self.turn_text(turn, name, comments.get(turn.turn, [])),
                                  id=f"turn-{turn.turn}"))
        if model.unplaced:
            text = Text("Other points", "bold")
            for e in model.unplaced:
                text.append_text(self.event_text(e))
            options += [None, Option(text, id="turn-other", disabled=True)]
        turns.add_options(options)
        if turns.option_count:
            turns.highlighted = min(highlighted or 0, turns.option_count - 1)
        self.query_one("#replay-review", Static).update(self.review_log(call, loaded))
        self.query_one("#replay-wrapup", Static).update(self.wrapup_text(call, loaded.wrapup))

    def head(self, call: CallSummary, title: str) -> Text:
        text = Text.assemble((f"Call {call.id}", "bold"), " · ", line(call.trainee, "bold"),
                             " · ", line(title), f" · {call.mode} · {when(call.started)}\n")
        if call.outcome is None:
            text.append("Still under way, or stopped before it was marked.")
        elif call.overall is None:
            text.append(f"{call.outcome}: not scored.")
        else:
            word = _verdict(call.passed).upper()
            text.append(f"Scorer: {word} {call.overall}/100", "bold")
            text.append(f" · {call.outcome} at level {call.level}")
            standing = self.standing()
            if standing is not None:
                text.append("   ")
                text.append(f"Stands as {_verdict(standing.verdict).upper()}", "bold reverse")
                text.append(" (override by ")
                text.append_text(line(standing.made_by))
                text.append(f", {when(standing.made_at)})")
        if call.dimensions:
            text.append("\n" + " · ".join(f"{d} {call.dimensions[d]}" for d in DIMENSIONS
                                          if d in call.dimensions))
        doc = self.loaded.wrapup.documentation if self.loaded and self.loaded.wrapup else None
        if doc is not None:
            text.append(f" · documentation {doc}")
        return text

    def standing(self) -> ReviewEntry | None:
        """The latest override: the one that stands."""
        overrides = [r for r in (self.loaded.reviews if self.loaded else [])
                     if r.kind == "override"]
        return overrides[-1] if overrides else None

    @staticmethod
    def event_text(e: ScoreEvent) -> Text:
        text = Text("\n  ")
        text.append(f"{e.points:+4d} {e.dimension:<10}", "bold green" if e.points > 0 else
                    "bold red" if e.points < 0 else "bold")
        text.append_text(plain(f" {e.reason}"))
        text.append(f"  ({e.rule})", "dim")
        return text

    def turn_text(self, turn: ReplayTurn, customer: str, comments: list[ReviewEntry]) -> Text:
        text = Text()
        state = []
        if turn.step is not None:
            state.append(f"step: {STEP_WORDS.get(turn.step, str(turn.step))}")
        if turn.mood is not None:
            state.append(f"mood {turn.mood}/10")
        if turn.level is not None:
            state.append(f"level {turn.level}")
        if turn.said is None:
            text.append("Opening", "bold")
        else:
            text.append(f"Turn {turn.turn}", "bold")
        if state:
            text.append("  " + " · ".join(state), "dim" if turn.said is None else "")
        if turn.said is not None:
            text.append("\nRep: ", "bold")
            text.append_text(plain(turn.said.text))
            text.append_text(self.typed_text(turn.said))
            for e in turn.events:
                text.append_text(self.event_text(e))
            if turn.said.feedback:
                text.append("\n  Coach: ", "italic")
                text.append_text(plain(turn.said.feedback, "italic"))
            if turn.best is not None:
                if turn.same_as_best:
                    text.append("\n  Best path: = the same reply", "dim")
                else:
                    text.append("\n  Best path: ≠ ", "bold")
                    text.append_text(plain(turn.best))
            for entry in comments:
                text.append("\n  ✎ ")
                text.append_text(review_line(entry, with_turn=False))
        for said in turn.customer:
            text.append("\n")
            text.append_text(line(customer, "bold"))
            text.append(": ")
            text.append_text(plain(said))
        return text

    @staticmethod
    def typed_text(said: Line) -> Text:
        """Free-text mode: what the rep typed, which reply it played and how it was matched,
        the tags their own words earned and the coach's notes on them."""
        typed = said.typed
        if typed is None:
            return Text()
        text = Text("\n  Typed: ", "bold")
        text.append_text(line(typed.text))
        played = f"reply {said.option}" if said.option is not None else "none of the replies"
        how = typed.engine if typed.similarity is None else \
            f"{typed.engine} {typed.similarity:.2f}"
        text.append(f"  → {played} ({typed.decision}, {how})", "dim")
        for tag in typed.tags:
            text.append("\n  Your words: ")
            text.append_text(line(tag))
            text.append(" (scored)", "dim")
        for note in typed.notes:
            text.append("\n  Coach: ", "italic")
            text.append_text(plain(note, "italic"))
        return text

    def review_log(self, call: CallSummary, loaded: Loaded) -> Text:
        text = Text()
        if call.overall is not None and call.outcome not in (None, "incomplete"):
            text.append(f"Scorer's result: {_verdict(call.passed)} ({call.overall}/100)")
            standing = self.standing()
            text.append(" · stands as " + (f"{_verdict(standing.verdict)} (overridden)"
                                           if standing is not None else "the scorer's"))
        else:
            text.append("No result to override: the call is not finished.", "dim")
        for entry in loaded.reviews:
            text.append("\n")
            text.append_text(review_line(entry))
        if not loaded.reviews:
            text.append("\nNo comments or overrides yet.", "dim")
        if loaded.may_review:
            text.append("\nc: comment on the highlighted turn · w: on the whole call · "
                        "o: override", "dim")
        elif loaded.why_not:
            text.append("\n")
            text.append_text(plain(loaded.why_not, "dim"))
        return text

    @staticmethod
    def wrapup_text(call: CallSummary, record: WrapUpRecord | None) -> Text:
        if record is None:
            needed = call.mode == "exam" and call.outcome not in (None, "incomplete")
            return Text("No wrap-up record: an exam needs one." if needed else
                        "No wrap-up record.", "dim")
        text = Text()
        mark = record.documentation
        text.append("Documentation mark: ", "bold")
        text.append(f"{mark}/100" if mark is not None else "not given")
        for f in fields(record):
            value = getattr(record, f.name)
            if f.name == "documentation" or value is None or value == "":
                continue
            shown = ("yes" if value else "no") if isinstance(value, bool) else str(value)
            text.append(f"\n{f.metadata['label']}: ", "bold")
            text.append_text(plain(shown))
        return text

    # -- actions ----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("comment_turn", "comment_call", "override"):
            return self.loaded is not None and self.loaded.may_review
        return True

    def highlighted_turn(self) -> int | None:
        turns = self.query_one("#replay-turns", OptionList)
        if turns.highlighted is None:
            return None
        option_id = turns.get_option_at_index(turns.highlighted).id or ""
        number = option_id.removeprefix("turn-")
        return int(number) if number.isdigit() else None

    def action_comment_turn(self) -> None:
        if self.model is None or not (self.loaded and self.loaded.may_review):
            return
        turn = self.highlighted_turn()
        said = next((t.said for t in self.model.turns if t.turn == turn), None)
        if turn is None or said is None:
            self.notify("The opening is the customer's: pick one of the rep's turns, or press "
                        "w to comment on the whole call.", markup=False)
            return
        self.app.push_screen(CommentDialog(self.store, self.call_id, turn, said.text),
                             self.written)

    def action_comment_call(self) -> None:
        if self.loaded and self.loaded.may_review:
            self.app.push_screen(CommentDialog(self.store, self.call_id), self.written)

    def action_override(self) -> None:
        loaded = self.loaded
        if loaded is None or loaded.call is None or not loaded.may_review:
            return
        call = loaded.call
        if call.outcome in (None, "incomplete") or call.passed is None:
            self.notify(f"Call {call.id} is not finished: it has no result to override.",
                        markup=False)
            return
        self.app.push_screen(OverrideDialog(self.store, self.call_id, bool(call.passed),
                                            self.standing()), self.written)

    def written(self, entry: ReviewEntry | None) -> None:
        if entry is None:
            return
        what = "Override" if entry.kind == "override" else "Comment"
        self.notify(f"{what} kept in the review log of call {entry.call_id}.", markup=False)
        self.action_reload()

    def action_back(self) -> None:
        self.dismiss(None)


# -- the rep's own calls ---------------------------------------------------------------------

def result_cell(call: CallSummary, summary: ReviewSummary | None) -> Text:
    """A call's result: the scorer's, and beside it the override that stands, if any."""
    if call.overall is None or call.outcome == "incomplete":
        return line(call.outcome or "under way")
    text = Text(f"{call.overall:>3} {_verdict(call.passed)}")
    if summary is not None and summary.override is not None:
        text.append(f" ⇒ {_verdict(summary.override.verdict)} (override)", "bold")
    return text


def comments_cell(summary: ReviewSummary | None) -> Text:
    count = summary.comments if summary is not None else 0
    return Text(str(count), "bold") if count else Text("")


class CallsScreen(Screen[None]):
    """The calls of the person using Hotseat, newest first, with the supervisors' comments and
    overrides on them; Enter replays the highlighted one."""

    DEFAULT_CSS = """
    CallsScreen #calls-hint { height: auto; padding: 0 1; color: $text-muted; }
    CallsScreen #calls { height: 1fr; border: round $primary; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,b", "back", "Back"),
        Binding("enter", "replay", "Replay", show=True, priority=True),
        Binding("f5", "reload", "Refresh", show=False),
    ]
    LIMIT = 200

    def __init__(self, store: Store | None = None,
                 scenarios: Sequence[Scenario] | None = None) -> None:
        super().__init__()
        self._store, self._scenarios = store, scenarios

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text("Your calls, newest first. Enter replays one, turn by turn, with what "
                          "your supervisors wrote about it."), id="calls-hint")
        yield DataTable(id="calls", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        if self._store is None or self._scenarios is None:
            store, scenarios = _app_store(self)
            self._store = self._store or store
            self._scenarios = self._scenarios if self._scenarios is not None else scenarios
        self.sub_title = "your calls"
        table = self.query_one("#calls", DataTable)
        table.border_title = "Your calls"
        for label, key in (("Call", "call"), ("Result", "result"), ("Comments", "comments"),
                           ("Scenario", "scenario"), ("When (UTC)", "when"), ("Mode", "mode")):
            table.add_column(label, key=key)
        table.loading = True
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="calls")
    def load(self) -> None:
        assert self._store is not None

        def read(engine: Any, viewer: Any) -> tuple[list[Any], dict[int, Any]]:
            from simulator import db
            calls = db.recent_calls(engine, viewer, limit=self.LIMIT)
            return calls, db.review_summaries(engine, viewer, [c.id for c in calls])
        try:
            calls, reviews = self._store.ask(read)
        except Exception as exc:
            self.app.call_from_thread(self.notify, failure_text(exc, "Your calls could not be "
                                                                     "read"),
                                      severity="error", markup=False)
            calls, reviews = [], {}
        self.app.call_from_thread(self.fill, calls, reviews)

    def fill(self, calls: list[CallSummary], reviews: dict[int, ReviewSummary]) -> None:
        table = self.query_one("#calls", DataTable)
        table.loading = False
        table.clear()
        titles = {s.id: s.title for s in self._scenarios or ()}
        for c in calls:
            summary = reviews.get(c.id)
            table.add_row(Text(str(c.id)), result_cell(c, summary), comments_cell(summary),
                          line(titles.get(c.scenario_id, c.scenario_id)),
                          Text(f"{c.started:%Y-%m-%d %H:%M}"), line(c.mode), key=str(c.id))
        if not calls:
            self.query_one("#calls-hint", Static).update(
                Text("No calls yet: take one from the home screen first.", "dim"))

    @on(DataTable.RowSelected, "#calls")
    def selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open(event.row_key.value)

    def action_replay(self) -> None:
        table = self.query_one("#calls", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self.open(key.value)

    def open(self, key: str | None) -> None:
        if key is not None and key.isdigit():
            self.app.push_screen(ReplayScreen(int(key), self._store, self._scenarios))

    def action_back(self) -> None:
        self.dismiss(None)
