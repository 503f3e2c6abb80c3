"""Changing one's own password in a served Hotseat (`hotseat serve`): the current password, the
new one twice.

In a browser there is no terminal to run `hotseat people passwd` in, so the person who logged in
changes their password here (the command palette's "Change your password"). The check and the
change (simulator/db/passwords.py `change_own_password`, given to the dialog as `change`) run on
a worker thread: they read and write the database and hash both passwords. A wrong current
password counts as a failed login, with the same throttle. Nothing is changed until every
check has passed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from simulator.db.health import why
from simulator.db.passwords import REFUSED, BadPassword
from simulator.errors import HotseatError

from ..widgets.safe import Saying, line
from .form import CheckedForm

__all__ = ["ChangePassword", "PasswordDialog"]

ChangePassword = Callable[[str, str], Any]
"""Changes the person's password from the current one (first) to the new one (second); raises a
HotseatError whose message is for the person (db.passwords.BadPassword or LoginRefused)."""

WRONG = "That is not your current password."
"""What a refused current password gets (the login's answer speaks of a name as well)."""

FIELDS = ("#password-current", "#password-new", "#password-again")


class PasswordDialog(CheckedForm, ModalScreen[bool]):
    """Dismisses with True once the password is changed, False when left (Escape, Cancel)."""

    SUBMIT = "#password-submit"
    SAYING = "#password-message"

    DEFAULT_CSS = """
    PasswordDialog { align: center middle; }
    PasswordDialog #password { width: 64; max-width: 100%; height: auto; max-height: 100%;
                               padding: 0 2; border: round $primary; background: $surface; }
    PasswordDialog #password-title { text-style: bold; margin-bottom: 1; }
    PasswordDialog #password-buttons { height: auto; margin-top: 1; }
    PasswordDialog #password-buttons Button { margin-right: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter is taken before any field sees it (a priority binding), in the order it was
        # typed: a fast typist's next password never lands in the field before (as the login)
        Binding("enter", "enter", "Next / change", priority=True),
        Binding("escape", "leave", "Cancel"),
    ]

    def __init__(self, name: str, change: ChangePassword) -> None:
        super().__init__()
        self.person = name
        self.change = change

    def compose(self) -> ComposeResult:
        with Vertical(id="password"):
            yield Static(line(f"Change the password of {self.person}"), id="password-title")
            yield Label("Current password")
            yield Input(id="password-current", password=True, max_length=1024)
            yield Label("New password (8 characters or more)")
            yield Input(id="password-new", password=True, max_length=1024)
            yield Label("New password again")
            yield Input(id="password-again", password=True, max_length=1024)
            with Horizontal(id="password-buttons"):
                yield Button("Change password", id="password-submit", variant="primary")
                yield Button("Cancel", id="password-cancel")
            yield Saying("", id="password-message")

    def on_mount(self) -> None:
        self.query_one("#password-current", Input).focus()

    def action_enter(self) -> None:
        """On a field but the last: the next field takes the next keys at once. On the last (or
        a button): change, once every key typed before this Enter has reached its field."""
        fields = [self.query_one(f, Input) for f in FIELDS]
        if self.focused in fields[:-1]:
            self.set_focus(fields[fields.index(self.focused) + 1])
            return
        if self.focused is self.query_one("#password-cancel", Button):
            self.action_leave()
            return
        fields[0].call_later(fields[1].call_later, fields[2].call_later, self.submit)

    def action_leave(self) -> None:
        if not self.checking:  # a change under way finishes first: its answer is shown
            self.dismiss(False)

    @on(Button.Pressed, "#password-cancel")
    def cancelled(self) -> None:
        self.action_leave()

    @on(Button.Pressed, "#password-submit")
    def submit(self) -> None:
        if self.checking:
            return
        current, new, again = (self.query_one(f, Input).value for f in FIELDS)
        if not current:
            self.refused("Type your current password first.", FIELDS[0])
            return
        if new != again:
            self.refused("The two new passwords differ: type the new one twice.", FIELDS[1])
            return
        self.start_checking()
        self.check(current, new)

    @work(thread=True, exclusive=True)
    def check(self, current: str, new: str) -> None:
        try:
            self.change(current, new)
        except HotseatError as exc:
            message = str(exc)
            if message == REFUSED:
                message, where = WRONG, FIELDS[0]
            elif isinstance(exc, BadPassword):
                message, where = message[:1].upper() + message[1:] + ".", FIELDS[1]
            else:  # how long to wait after too many tries
                where = FIELDS[0]
            self.app.call_from_thread(self.refused, message, where)
        except Exception as exc:  # noqa: BLE001 - the database: said plainly, never a traceback
            self.app.call_from_thread(
                self.refused, f"The password could not be changed: {why(exc)}.", FIELDS[0])
        else:
            self.app.call_from_thread(self.dismiss, True)

    def refused(self, message: str, where: str) -> None:
        """Say why; the fields from `where` on are emptied and the first of them takes the keys
        (a wrong current password: all three; new ones that differ or do not do: those two)."""
        for f in FIELDS[FIELDS.index(where):]:
            self.query_one(f, Input).value = ""
        self.query_one(where, Input).focus()
        self.stop_checking(message)
