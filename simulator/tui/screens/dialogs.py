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

from ..store import CallLog
from ..widgets import PolicyCard
from ..widgets.safe import line, plain

__all__ = ["ConfirmDialog", "PolicyDialog", "UnsavedDialog"]


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: y or Enter on "yes" answers True, n or Escape answers False.

    The question and the answers are shown as text, never as markup (they may quote a name or
    a database's error)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.question), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(line(f"{self.yes}  y"), id="yes", variant="error")
                yield Button(line(f"{self.no}  n"), id="no", variant="primary")

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


class UnsavedDialog(ModalScreen[str]):
    """Tells the rep plainly that their call is not being saved, and why; r retries (the dialog
    stays until the writes get through or fail again), e ends the call as incomplete (or, once
    the call's end is stored, leaves the wrap-up unsaved). Dismisses with "saved" or "stop".

    The app keeps it up to date: `failed(reason)` after a retry that failed, `saved()` when the
    writes got through."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry now"),
        Binding("e", "stop", "Stop saving"),
    ]

    def __init__(self, log: CallLog) -> None:
        super().__init__()
        self.call_log = log
        self.wrapup_only = log.end_stored
        """The call is stored in full: only its wrap-up is waiting."""

    def compose(self) -> ComposeResult:
        what = "wrap-up" if self.wrapup_only else "call"
        stop = "Leave the wrap-up unsaved" if self.wrapup_only else "End the call as incomplete"
        with Vertical(classes="dialog unsaved"):
            yield Static(Text(f"Your {what} is not being saved", "bold"), classes="question")
            yield Static(self._reason(self.call_log.failure), id="unsaved-reason")
            yield Static(Text(
                "Nothing is lost yet: what you did stays here, and is saved in order as soon as "
                "the database works again. Retry once the other program has finished or space "
                "is freed." if not self.wrapup_only else
                "Your call is saved. Retry once the other program has finished or space is "
                "freed.", "dim"), classes="hint")
            if not self.wrapup_only:
                yield Static(Text("Ending it now keeps the lines saved so far, as an incomplete "
                                  "call.", "dim"), classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(Text("Retry now  r"), id="retry", variant="primary")
                yield Button(Text(f"{stop}  e"), id="stop", variant="error")

    @staticmethod
    def _reason(reason: str | None) -> Text:
        return plain(f"Why: {reason or 'the database failed'}.")  # an error may quote a line

    def on_mount(self) -> None:
        self.query_one("#retry", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_retry() if event.button.id == "retry" else self.action_stop()

    def action_retry(self) -> None:
        if self.call_log.failure is None:  # got through meanwhile
            self.saved()
            return
        self.query_one("#unsaved-reason", Static).update(Text("Trying again…", "italic"))
        for button in self.query(Button):
            button.disabled = True
        self.call_log.retry()

    def failed(self, reason: str) -> None:
        """The retry failed too: say why again, and let the rep choose again."""
        self.query_one("#unsaved-reason", Static).update(self._reason(reason))
        for button in self.query(Button):
            button.disabled = False
        self.query_one("#retry", Button).focus()

    def saved(self) -> None:
        self.dismiss("saved")

    def action_stop(self) -> None:
        self.dismiss("stop")
