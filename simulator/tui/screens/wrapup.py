"""After the call: the rep writes the complaint record (domain.md, section 3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Static

from simulator.scenario import Scenario

__all__ = ["FIELDS", "WrapUpScreen"]

SPOT = {False: "no: say below when it is promised for  (space)",
        True: "yes: carried out during the call  (space)"}

FIELDS = [
    ("complaint", "Nature of the complaint", "what went wrong, with order numbers"),
    ("solution", "Agreed solution", "what you and the customer agreed"),
    ("promised_for", "If not, promised for", "date and time the fix is promised for"),
    ("steps_now", "Steps taken now", "what is being done now, and by whom"),
    ("follow_up", "Follow-up", "date and time you check the customer is satisfied"),
    ("compensation", "Compensation given", "voucher, credit, refund of fees... or none"),
    ("prevention", "To prevent it", "a suggestion so it does not happen again"),
]


class WrapUpScreen(Screen[dict[str, Any] | None]):
    """Dismisses with the record's fields (empty ones as None), or None when skipped."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save record"),
        Binding("escape", "skip", "Skip"),
    ]

    def __init__(self, scenario: Scenario, user: str, taken_at: datetime) -> None:
        super().__init__()
        self.scenario, self.user, self.taken_at = scenario, user, taken_at

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="wrapup"):
            yield Static(Text.assemble(
                ("Complaint record", "bold"),
                f"  customer {self.scenario.customer.name} · taken by {self.user} · "
                f"{self.taken_at:%Y-%m-%d %H:%M}"), id="record-head")
            for name, label, hint in FIELDS[:2]:
                with Horizontal(classes="field"):
                    yield Label(label)
                    yield Input(placeholder=hint, id=name, compact=True)
            with Horizontal(classes="field"):
                yield Label("Done on the spot")
                yield Checkbox(SPOT[False], id="done_on_spot", compact=True)
            for name, label, hint in FIELDS[2:]:
                with Horizontal(classes="field"):
                    yield Label(label)
                    yield Input(placeholder=hint, id=name, compact=True)
            yield Static(Text("Enter moves to the next field; Ctrl+S saves. The record is "
                              "compared with the case's facts for a documentation mark.",
                              "dim"), id="wrapup-hint")
            with Horizontal(id="wrapup-buttons"):
                yield Button("Save record  ctrl+s", id="save", variant="primary")
                yield Button("Skip  esc", id="skip")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.scenario.title} · wrap-up"
        self.query_one("#complaint", Input).focus()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        if event.input.id == FIELDS[-1][0]:
            self.action_save()
        else:
            self.focus_next()

    @on(Checkbox.Changed)
    def spot(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = SPOT[event.value]

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_skip()

    def record(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            name: (self.query_one(f"#{name}", Input).value.strip() or None)
            for name, _, _ in FIELDS}
        fields["done_on_spot"] = self.query_one("#done_on_spot", Checkbox).value
        return fields

    def action_save(self) -> None:
        self.dismiss(self.record())

    def action_skip(self) -> None:
        self.dismiss(None)
