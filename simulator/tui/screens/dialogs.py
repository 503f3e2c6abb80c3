"""Small dialogs: each a ModalScreen that dismisses with its answer."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from simulator.scenario import Policy

from ..widgets import PolicyCard

__all__ = ["ConfirmDialog", "PolicyDialog"]


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: y or Enter on "yes" answers True, n or Escape answers False."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes}  y", id="yes", variant="error")
                yield Button(f"{self.no}  n", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class PolicyDialog(ModalScreen[None]):
    """The policy card, full size (for small terminals)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,p,enter", "close", "Close")]

    def __init__(self, policy: Policy) -> None:
        super().__init__()
        self.policy = policy

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield PolicyCard(self.policy)
            yield Static(Text("Escape to close", "dim"), classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
