"""Before the call: who is calling, what a good call achieves, the policy card, the mode."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Header, Static

from scoring.vocabulary import SEAT_LABELS
from simulator.freetext.engines import EngineError, engine_name
from simulator.freetext.matcher import certifies
from simulator.scenario import Scenario

from ..widgets import PolicyCard
from ..widgets.footer import SteadyFooter
from ..widgets.meters import mood_word
from ..widgets.safe import line, plain_str

__all__ = ["BriefingScreen", "goal_text"]

GOAL = ("Meet the customer's need without lying or bending the rules. Settle it yourself if "
        "you can; if it needs an expert or a supervisor, or the customer asks for one, hand it "
        "over once you understand it, saying who will answer and when.")
"""The same for every call: whether this case needs a hand-off is part of what is graded, so
the briefing does not give it away (the scorecard says it afterwards). Nor does it show the
trainer's `summary`, which often names the cause."""


def goal_text(s: Scenario) -> Text:
    text = Text.assemble(("You are ", ""), (SEAT_LABELS[s.seat], "bold"), ". ", GOAL, "\n\n")
    text.append("The four steps: ", "bold")
    text.append("understand the problem and confirm it back; identify the cause; ask for the "
                "customer's ideas and propose; solve it and check they are satisfied. "
                "Never use policy as a weapon.")
    return text


def typed_exam_note() -> str:
    """Whether a free-text exam would count, and why: only when its replies are matched by an
    engine calibrated for certification (simulator/freetext/matcher.py certifies)."""
    try:
        name = engine_name()
    except EngineError as exc:
        return f"Free text is not available: {exc}."
    if certifies(name):
        return "A free-text exam counts like any exam: the multilingual matcher is calibrated."
    return ("A free-text exam here does not count for certification: replies are matched by "
            "spelling only (the lexical fallback, not calibrated); install hotseat[freetext].")


class BriefingScreen(Screen[str | None]):
    """Dismisses with the mode chosen ("practice" or "exam"; "freetext" or "freetext-exam" with
    typed replies), or None to go back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "start('practice')", "Practice"),
        Binding("e", "start('exam')", "Exam"),
        Binding("f", "typed", "Type replies"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        s = self.scenario
        c = s.customer
        yield Header()
        with VerticalScroll(id="briefing"):
            yield Static(line(s.title, "bold"), id="title")
            meta = (f"{s.persona} customer · {s.problem or 'other'} problem · "
                    f"difficulty {s.difficulty}/5 · {s.locale}")
            yield Static(line(meta, "italic"), id="meta")
            customer = Text.assemble((plain_str(c.name), "bold"),
                                     f"  mood {c.mood}/10, {mood_word(c.mood)}; "
                                     f"walks out at {c.breaking_point}")
            yield Static(customer, id="customer", classes="panel")
            yield Static(goal_text(s), id="goal", classes="panel")
            yield PolicyCard(s.policy)
            yield Static(Text.assemble(
                ("Practice", "bold"), ": the coach comments after each reply.  ",
                ("Exam", "bold"), ": no comments until the scorecard; exam calls count for "
                "certification.  ", ("Type my replies", "bold"), ": in either mode you type "
                "your own words instead of picking a numbered reply."), id="modes")
            note = Static(Text(typed_exam_note()), id="typed-note")  # shown while typed on
            note.display = False
            yield note
        with Horizontal(id="mode-buttons"):
            yield Button("Practice call  p", id="practice", variant="primary", compact=True)
            yield Button("Exam call  e", id="exam", variant="warning", compact=True)
            yield Checkbox("Type my replies  f", id="typed", compact=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Briefing"
        self.query_one("#customer").border_title = "Customer"
        self.query_one("#goal").border_title = "Your goal"
        self.query_one("#practice", Button).focus(scroll_visible=False)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.action_start(str(event.button.id))

    def action_typed(self) -> None:
        """Typed replies on or off (the choice of practice or exam stays the rep's)."""
        self.query_one("#typed", Checkbox).toggle()

    @on(Checkbox.Changed, "#typed")
    def typed_changed(self, event: Checkbox.Changed) -> None:
        """Whether a free-text exam would count here, said while typed replies are on."""
        note = self.query_one("#typed-note")
        note.display = event.value
        if event.value:
            note.scroll_visible(animate=False)

    def action_start(self, mode: str) -> None:
        if self.query_one("#typed", Checkbox).value:
            mode = "freetext" if mode == "practice" else f"freetext-{mode}"
        self.dismiss(mode)

    def action_back(self) -> None:
        self.dismiss(None)
