"""Calibration: a supervisor scores calls blind, then sees how far they and the scorer agree.

- `CalibrationScreen`: the calls the supervisor may score blind (finished and scored, of their
  teams' trainees, not yet calibrated nor reviewed by them), listed without any score or result;
  Enter scores one, `a` opens the agreement report.
- `BlindScoreScreen`: the call's transcript with no score, no rule, no coaching note, and a form
  for the supervisor's own score of each dimension and pass or fail. The scorer's scores are not
  read from the database until the supervisor's are kept (simulator.db.calibrations.calibrate
  returns them); only then are they shown beside.
- `AgreementScreen`: per dimension and per rule, the mean difference, the agreement on pass or
  fail and Cohen's kappa with the number of calls (simulator.calibration), and the calls of most
  disagreement; Enter replays one.

Supervisors (over their teams) and admins only: the queries refuse anyone else, whatever the
screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from rich import box
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Static,
)

from scoring import DIMENSIONS
from simulator.calibration import Calibration, Pair, summarise
from simulator.scenario import Scenario

from ..store import Store
from ..widgets.safe import line, plain, plain_str
from .replay import ReplayScreen, _app_store, when
from .review import failure_text

if TYPE_CHECKING:
    from simulator.db.calibrations import BlindCall

__all__ = ["AgreementScreen", "BlindScoreScreen", "CalibrationScreen", "comparison",
           "agreement_tables"]


def _verdict(passed: bool) -> str:
    return "pass" if passed else "fail"


def _signed(value: Fraction | None) -> str:
    return "-" if value is None else f"{float(value):+.1f}"


def _size(value: Fraction | None) -> str:
    return "-" if value is None else f"{float(value):.1f}"


def _share(value: Fraction | None) -> str:
    return "-" if value is None else f"{float(value):.2f}"


class _Screen(Screen[None]):
    """Finds the running app's store and scenarios unless given."""

    def __init__(self, store: Store | None = None,
                 scenarios: Sequence[Scenario] | None = None) -> None:
        super().__init__()
        self._store, self._scenarios = store, scenarios

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store, scenarios = _app_store(self)
            if self._scenarios is None:
                self._scenarios = scenarios
        return self._store

    @property
    def titles(self) -> dict[str, str]:
        if self._scenarios is None:
            _, self._scenarios = _app_store(self)
        return {s.id: s.title for s in self._scenarios}

    def action_back(self) -> None:
        self.dismiss(None)


# -- the calls to score blind ----------------------------------------------------------------

class CalibrationScreen(_Screen):
    """The calls to score blind (no score shown), and the way to the agreement report."""

    DEFAULT_CSS = """
    CalibrationScreen #calibration-hint { height: auto; padding: 0 1; }
    CalibrationScreen #blind-calls { height: 1fr; border: round $primary; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,b", "back", "Back"),
        Binding("enter", "score", "Score blind", priority=True),
        Binding("a", "agreement", "Agreement report"),
        Binding("f5", "reload", "Refresh", show=False),
    ]

    refused: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(
            "Score a call yourself before you see what the scorer gave it: Enter opens the "
            "highlighted call with no score, no rule and no coaching note. a: how far you and "
            "the scorer agree."), id="calibration-hint")
        yield DataTable(id="blind-calls", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "calibration"
        table = self.query_one("#blind-calls", DataTable)
        table.border_title = "Calls to score blind"
        for label, key in (("Call", "call"), ("When", "when"), ("Trainee", "trainee"),
                           ("Scenario", "scenario"), ("Mode", "mode")):
            table.add_column(label, key=key)
        table.loading = True
        table.focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="calibration")
    def load(self) -> None:
        def read(engine: Any, viewer: Any) -> list[BlindCall]:
            from simulator.db.calibrations import calibration_candidates
            return calibration_candidates(engine, viewer)
        try:
            calls, refused = self.store.ask(read), None
        except Exception as exc:  # a trainee or a trainer: refused by the query itself
            calls, refused = [], failure_text(exc, "The calls could not be read")
        self.app.call_from_thread(self.fill, calls, refused)

    def fill(self, calls: list[BlindCall], refused: str | None) -> None:
        self.refused = refused
        table = self.query_one("#blind-calls", DataTable)
        table.loading = False
        table.clear()
        self.refresh_bindings()
        if refused is not None:
            self.query_one("#calibration-hint", Static).update(plain(refused, "bold"))
            table.display = False
            return
        titles = self.titles
        for c in calls:
            table.add_row(Text(str(c.call_id)), Text(when(c.started)), line(c.trainee),
                          line(titles.get(c.scenario_id, c.scenario_id)), line(c.mode),
                          key=str(c.call_id))
        if not calls:
            self.query_one("#calibration-hint", Static).update(Text(
                "No call to score blind: you have scored or reviewed every finished call of "
                "your teams. a: how far you and the scorer agree."))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("score", "agreement"):
            return self.refused is None
        return True

    def action_score(self) -> None:
        table = self.query_one("#blind-calls", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None and key.isdigit():
            self.app.push_screen(BlindScoreScreen(int(key), self._store, self._scenarios))

    def action_agreement(self) -> None:
        self.app.push_screen(AgreementScreen(self._store, self._scenarios))


# -- scoring one call blind ------------------------------------------------------------------

def comparison(pair: Pair) -> Table:
    """The supervisor's scores beside the scorer's, shown once the supervisor's are kept."""
    table = Table(box=box.SIMPLE, expand=False, pad_edge=False, collapse_padding=True,
                  title="Your scores beside the scorer's", title_justify="left")
    for name, justify in (("", "left"), ("Yours", "right"), ("Scorer", "right"),
                          ("Diff", "right")):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for d in DIMENSIONS:
        mine, theirs = pair.supervisor[d], pair.scorer[d]
        table.add_row(Text(d, "bold"), Text(str(mine)), Text(str(theirs)),
                      Text(f"{mine - theirs:+d}", "bold" if mine != theirs else ""))
    agree = pair.supervisor_passed == pair.scorer_passed
    table.add_row(Text("pass/fail", "bold"), Text(_verdict(pair.supervisor_passed)),
                  Text(_verdict(pair.scorer_passed)),
                  Text("agree" if agree else "disagree", "" if agree else "bold"))
    return table


class BlindScoreScreen(_Screen):
    """One call's transcript, blind, and the supervisor's scores; then the comparison."""

    DEFAULT_CSS = """
    BlindScoreScreen #blind-head { height: auto; padding: 0 1; background: $boost; }
    BlindScoreScreen #blind-body { height: 1fr; }
    BlindScoreScreen #blind-transcript { width: 1fr; border: round $primary; padding: 0 1; }
    BlindScoreScreen #blind-form { width: 38; height: 1fr; border: round $secondary;
                                   padding: 0 1; }
    BlindScoreScreen #blind-form .score { height: 1; margin-bottom: 1; }
    BlindScoreScreen #blind-form .score > Label { width: 12; }
    BlindScoreScreen #blind-form .score > Input { width: 1fr; border: none; height: 1; }
    BlindScoreScreen #blind-form RadioSet { width: 1fr; }
    BlindScoreScreen #blind-error { height: auto; color: $text-error; }
    BlindScoreScreen #blind-result { height: auto; display: none; }
    BlindScoreScreen #blind-save { margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "save", "Save my scores", priority=True),
        Binding("r", "replay", "Replay with scores"),
    ]

    def __init__(self, call_id: int, store: Store | None = None,
                 scenarios: Sequence[Scenario] | None = None) -> None:
        super().__init__(store, scenarios)
        self.call_id = call_id
        self.ready = False
        """The call may be scored: the form is open."""
        self.call: BlindCall | None = None
        self.pair: Pair | None = None
        """Once the scores are kept: them beside the scorer's."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(f"Call {self.call_id}: scores hidden until you have given yours",
                          "bold"), id="blind-head")
        with Horizontal(id="blind-body"):
            yield VerticalScroll(Static(id="blind-lines"), id="blind-transcript")
            with Vertical(id="blind-form"):
                for d in DIMENSIONS:
                    with Horizontal(classes="score"):
                        yield Label(str(d))
                        yield Input(placeholder="0-100", type="integer", max_length=3,
                                    id=f"score-{d}")
                yield Label("Would you pass it?")
                with RadioSet(id="blind-verdict"):
                    yield RadioButton("Pass", id="verdict-pass")
                    yield RadioButton("Fail", id="verdict-fail")
                yield Static("", id="blind-error")
                yield Button("Save my scores  ctrl+s", id="blind-save", variant="primary")
                yield Static(id="blind-result")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"call {self.call_id} · blind score"
        self.query_one("#blind-transcript").border_title = "The call, as it was said"
        self.query_one("#blind-form").border_title = "Your scores"
        self.query_one("#blind-form").display = False
        self.query_one("#blind-transcript").loading = True
        self.load()

    @work(thread=True, exclusive=True, group="blind")
    def load(self) -> None:
        def read(engine: Any, viewer: Any) -> tuple[BlindCall, list[tuple[str, int, str]]]:
            from simulator import db
            from simulator.db.calibrations import blind_call
            call = blind_call(engine, viewer, self.call_id)  # refused before anything is read
            lines = db.call_transcript(engine, viewer, self.call_id)
            # the coach's notes stay behind: only who said what
            return call, [(x.speaker, x.turn, x.text) for x in lines]
        try:
            call, lines = self.store.ask(read)
        except Exception as exc:
            self.app.call_from_thread(self.refuse, failure_text(exc, "The call could not be "
                                                                     "read"))
            return
        self.app.call_from_thread(self.fill, call, lines)

    def refuse(self, message: str) -> None:
        self.query_one("#blind-transcript").loading = False
        self.query_one("#blind-head", Static).update(plain(message, "bold"))
        self.query_one("#blind-lines", Static).update(Text(
            "Nothing of this call is shown here.", "dim"))
        self.refresh_bindings()

    def head(self, call: BlindCall, note: str) -> Text:
        title = self.titles.get(call.scenario_id, call.scenario_id)
        return Text.assemble((f"Call {call.call_id}", "bold"), " · ",
                             line(call.trainee, "bold"), " · ", line(title),
                             f" · {call.mode} · {when(call.started)}\n", (note, "italic"))

    def fill(self, call: BlindCall, lines: list[tuple[str, int, str]]) -> None:
        self.ready, self.call = True, call
        self.query_one("#blind-transcript").loading = False
        self.query_one("#blind-head", Static).update(
            self.head(call, "Scores hidden until you have given yours."))
        self.sub_title = plain_str(f"call {call.call_id} · {call.trainee} · blind score")
        text = Text()
        for speaker, turn, said in lines:
            if text:
                text.append("\n")
            text.append("Customer: " if speaker == "customer" else f"Rep [{turn}]: ", "bold")
            text.append_text(plain(said))
        self.query_one("#blind-lines", Static).update(text)
        self.query_one("#blind-form").display = True
        self.query_one(f"#score-{DIMENSIONS[0]}", Input).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self.ready and self.pair is None
        if action == "replay":
            return self.pair is not None
        return True

    def given(self) -> tuple[dict[str, int], bool | None, list[str]]:
        """The form's scores and verdict, and what is wrong with them."""
        scores: dict[str, int] = {}
        problems = []
        for d in DIMENSIONS:
            raw = self.query_one(f"#score-{d}", Input).value.strip()
            if not raw:
                problems.append(f"{d}: give a score from 0 to 100")
            elif not raw.isdigit() or not 0 <= int(raw) <= 100:
                problems.append(f"{d}: {raw} is not a score (a whole number from 0 to 100)")
            else:
                scores[str(d)] = int(raw)
        pressed = self.query_one("#blind-verdict", RadioSet).pressed_button
        verdict = None if pressed is None else pressed.id == "verdict-pass"
        if verdict is None:
            problems.append("say whether you would pass it or fail it")
        return scores, verdict, problems

    @on(Button.Pressed, "#blind-save")
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        if not self.ready or self.pair is not None:
            return
        scores, verdict, problems = self.given()
        error = self.query_one("#blind-error", Static)
        if problems or verdict is None:
            error.update(plain("Not saved: " + "; ".join(problems) + "."))
            return
        error.update("")
        self.query_one("#blind-save", Button).disabled = True
        self.save(scores, verdict)

    @work(thread=True, exclusive=True, group="blind-save")
    def save(self, scores: dict[str, int], verdict: bool) -> None:
        def write(engine: Any, viewer: Any) -> Pair:
            from simulator.db.calibrations import calibrate
            return calibrate(engine, viewer, self.call_id, scores, verdict)
        try:
            pair = self.store.ask(write)
        except Exception as exc:
            self.app.call_from_thread(self.not_saved, failure_text(exc, "Not saved"))
            return
        self.app.call_from_thread(self.show, pair)

    def not_saved(self, message: str) -> None:
        self.query_one("#blind-error", Static).update(plain(message))
        self.query_one("#blind-save", Button).disabled = False

    def show(self, pair: Pair) -> None:
        """The scores are kept: now, and only now, the scorer's beside them."""
        self.pair = pair
        if self.call is not None:
            self.query_one("#blind-head", Static).update(self.head(
                self.call, "Your scores are kept: the scorer's are beside them."))
        for widget in self.query("#blind-form .score, #blind-form Label, #blind-verdict, "
                                 "#blind-save, #blind-error"):
            widget.display = False
        result = self.query_one("#blind-result", Static)
        text = Text("Kept. ", "bold")
        text.append("Your calibration of this call is sealed and cannot be changed.\n")
        table = comparison(pair)
        rules = Text()
        if pair.fired:
            rules.append("Rules that fired: ", "bold")
            rules.append_text(line(", ".join(sorted(pair.fired))))
        rules.append("\nr: replay the call with every score · Esc: back", "dim")
        from rich.console import Group
        result.update(Group(text, table, rules))
        result.display = True
        self.query_one("#blind-form").border_title = "Yours beside the scorer's"
        self.query_one("#blind-form").styles.width = "1fr"
        self.refresh_bindings()

    def action_replay(self) -> None:
        if self.pair is not None:
            self.app.push_screen(ReplayScreen(self.call_id, self._store, self._scenarios))


# -- the agreement report ----------------------------------------------------------------------

def agreement_tables(result: Calibration) -> tuple[Table, Text, Table]:
    """Per dimension, pass or fail (with kappa), per rule: for a terminal."""
    dims = Table(box=box.SIMPLE, pad_edge=False, title="Per dimension (supervisor minus scorer)",
                 title_justify="left")
    for name in ("Dimension", "Calls", "Mean difference", "Mean absolute"):
        dims.add_column(name, justify="left" if name == "Dimension" else "right", no_wrap=True)
    for d in result.dimensions:
        dims.add_row(Text(d.dimension, "bold"), Text(str(d.calls)),
                     Text(_signed(d.mean_difference)), Text(_size(d.mean_absolute_difference)))
    pf = result.pass_fail
    text = Text("Pass or fail: ", "bold")
    if not pf.calls:
        text.append("no calibration yet.")
    else:
        calls = f"{pf.calls} call{'s' if pf.calls != 1 else ''}"
        text.append(f"{calls}, agreement {_share(pf.agreement)} ({pf.agreed} of {pf.calls}), "
                    f"expected by chance {_share(pf.expected)}, ")
        if pf.kappa is None:
            text.append("kappa undefined", "bold")
            text.append(": both sides passed every call, or both failed every call; calibrate "
                        "some calls that go the other way before drawing a conclusion.")
        else:
            text.append(f"kappa {_share(pf.kappa)}", "bold")
            text.append(f" ({_reading(pf.kappa)}).")
        text.append(f"\nSupervisors passed {pf.supervisor_passes}, the scorer "
                    f"{pf.scorer_passes}.", "dim")
    rules = Table(box=box.SIMPLE, pad_edge=False, title="Per rule (calls where it fired)",
                  title_justify="left")
    for name in ("Rule", "Dimension", "Calls", "Mean difference"):
        rules.add_column(name, justify="right" if name in ("Calls", "Mean difference")
                         else "left", no_wrap=True)
    for r in result.rules:
        rules.add_row(line(r.rule, "bold"), Text(r.dimension), Text(str(r.calls)),
                      Text(_signed(r.mean_difference)))
    if not result.rules:
        rules.add_row(Text("no rule fired on a calibrated call", "dim"), Text(""), Text(""),
                      Text(""))
    return dims, text, rules


def _reading(kappa: Fraction) -> str:
    """The rough guide of docs/reviewing-a-team.md."""
    if kappa > Fraction(8, 10):
        return "strong agreement"
    if kappa >= Fraction(6, 10):
        return "substantial"
    if kappa >= Fraction(4, 10):
        return "moderate"
    if kappa > 0:
        return "weak: look at the rules first"
    return "no better than chance"


class AgreementScreen(_Screen):
    """How far the supervisors' blind scores and the scorer agree, over the calls the viewer
    may see; Enter replays a call of most disagreement."""

    DEFAULT_CSS = """
    AgreementScreen #agreement { height: 1fr; padding: 0 1; }
    AgreementScreen #agreement > Static { height: auto; }
    AgreementScreen #worst { height: auto; max-height: 14; margin-top: 1;
                             border: round $primary; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,b", "back", "Back"),
        Binding("enter", "replay", "Replay call", priority=True),
        Binding("f5", "reload", "Refresh", show=False),
    ]

    def __init__(self, store: Store | None = None,
                 scenarios: Sequence[Scenario] | None = None) -> None:
        super().__init__(store, scenarios)
        self.result: Calibration | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="agreement"):
            yield Static(id="agree-dims")
            yield Static(id="agree-passfail")
            yield DataTable(id="worst", cursor_type="row", zebra_stripes=True)
            yield Static(id="agree-rules")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "calibration · agreement"
        table = self.query_one("#worst", DataTable)
        table.border_title = "Where they disagree most (Enter: replay)"
        for label in ("Call", "Trainee", "Supervisor", "Total", *DIMENSIONS, "Pass/fail"):
            table.add_column(label, key=label)
        self.query_one("#agreement").loading = True
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="agreement")
    def load(self) -> None:
        def read(engine: Any, viewer: Any) -> list[Pair]:
            from simulator.db.calibrations import calibration_pairs
            return calibration_pairs(engine, viewer)
        try:
            result, refused = summarise(self.store.ask(read)), None
        except Exception as exc:
            result, refused = None, failure_text(exc, "The calibrations could not be read")
        self.app.call_from_thread(self.fill, result, refused)

    def fill(self, result: Calibration | None, refused: str | None) -> None:
        self.result = result
        self.query_one("#agreement").loading = False
        table = self.query_one("#worst", DataTable)
        table.clear()
        self.refresh_bindings()
        if result is None:
            self.query_one("#agree-dims", Static).update(plain(refused or "", "bold"))
            table.display = False
            return
        dims, passfail, rules = agreement_tables(result)
        self.query_one("#agree-dims", Static).update(dims)
        self.query_one("#agree-passfail", Static).update(passfail)
        self.query_one("#agree-rules", Static).update(rules)
        for w in result.worst:
            table.add_row(Text(str(w.call_id)), line(w.trainee), line(w.made_by),
                          Text(str(w.total)),
                          *(Text(f"{w.differences[d]:+d}") for d in DIMENSIONS),
                          Text("disagree" if w.pass_fail_differs else "agree",
                               "bold" if w.pass_fail_differs else ""),
                          key=f"{w.call_id}:{w.made_by}")
        table.display = bool(result.worst)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "replay":
            return self.result is not None and bool(self.result.worst)
        return True

    def action_replay(self) -> None:
        table = self.query_one("#worst", DataTable)
        if not table.row_count or self.result is None:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        number = key.split(":", 1)[0]
        if number.isdigit():
            self.app.push_screen(ReplayScreen(int(number), self._store, self._scenarios))
