"""After the call: the rep writes the complaint record (the service rules' complaint record)."""

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
from simulator.wrapup import RECORD_FIELDS, WrapUpRecord

from ..widgets.safe import PlainInput, plain_str

__all__ = ["WrapUpScreen"]

SPOT = {False: "no: say below when it is promised for  (space)",
        True: "yes: carried out during the call  (space)"}
TEXT_FIELDS = [f for f in RECORD_FIELDS if not f.flag]


class WrapUpScreen(Screen[WrapUpRecord | None]):
    """Dismisses with the record (empty optional fields as None), or None when skipped."""

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
                f"  customer {plain_str(self.scenario.customer.name)} · "
                f"taken by {plain_str(self.user)} · "
                f"{self.taken_at:%Y-%m-%d %H:%M}"), id="record-head")
            for f in RECORD_FIELDS:
                with Horizontal(classes="field"):
                    yield Label(f.label)
                    if f.flag:
                        yield Checkbox(SPOT[False], id=f.name, compact=True)
                    else:
                        yield PlainInput(placeholder=f.hint, id=f.name, compact=True)
            yield Static(Text("Enter moves to the next field; Ctrl+S saves. The record is "
                              "compared with the case's facts for a documentation mark.",
                              "dim"), id="wrapup-hint")
            with Horizontal(id="wrapup-buttons"):
                yield Button("Save record  ctrl+s", id="save", variant="primary")
                yield Button("Skip  esc", id="skip")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{plain_str(self.scenario.title)} · wrap-up"
        self.query_one("#complaint", Input).focus()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        if event.input.id == TEXT_FIELDS[-1].name:
            self.action_save()
        else:
            self.focus_next()

    @on(Checkbox.Changed)
    def spot(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = SPOT[event.value]

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_skip()

    def record(self) -> WrapUpRecord:
        values: dict[str, Any] = {
            f.name: (self.query_one(f"#{f.name}", Input).value.strip() or None)
            for f in TEXT_FIELDS}
        values.update({f.name: self.query_one(f"#{f.name}", Checkbox).value
                       for f in RECORD_FIELDS if f.flag})
        # the nature of the complaint and the solution are always kept, empty when left so
        return WrapUpRecord(**{**values, "complaint": values["complaint"] or "",
                               "solution": values["solution"] or ""})

    def action_save(self) -> None:
        self.dismiss(self.record())

    def action_skip(self) -> None:
        self.dismiss(None)
