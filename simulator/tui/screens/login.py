"""The login of a served Hotseat (`hotseat serve`): a name and a password, before anything else.

In a browser there is no operating-system login to take the person from, so a served Hotseat
opens here. The check itself (simulator/db/passwords.py, given to the screen as `authenticate`)
runs on a worker thread: it reads the database and hashes the password. A failed login shows
one plain line, the same whether the name exists or not; after too many, how long to wait.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from simulator.db.health import why
from simulator.errors import HotseatError

from ..widgets.safe import PlainInput, Saying
from .form import CheckedForm

__all__ = ["Authenticate", "LoginScreen", "SignOnRefused"]

Authenticate = Callable[[str, str], Any]
"""Checks a name and a password: returns the person (a db.Viewer) or raises a HotseatError
whose message is shown as it is (db.passwords.LoginRefused)."""


class LoginScreen(CheckedForm, Screen[Any]):
    """Dismisses with the person who logged in (what `authenticate` returned)."""

    SUBMIT = "#login-submit"
    SAYING = "#login-message"

    DEFAULT_CSS = """
    LoginScreen { align: center middle; }
    LoginScreen #login { width: 60; max-width: 100%; height: auto; padding: 1 2;
                         border: round $primary; }
    LoginScreen #login Label { margin-top: 1; }
    LoginScreen #login-title { text-style: bold; }
    LoginScreen #login-submit { margin-top: 1; width: 100%; }
    LoginScreen #login-message { margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter is taken before any field sees it (a priority binding), in the order it was
        # typed: a fast typist's password never lands in the name field (see action_enter).
        Binding("enter", "enter", "Log in", priority=True),
        Binding("ctrl+q", "app.quit", "Quit"),
    ]

    def __init__(self, authenticate: Authenticate) -> None:
        super().__init__()
        self.authenticate = authenticate

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login"):
            yield Static("Log in to Hotseat", id="login-title")
            yield Label("Name")
            yield PlainInput(id="login-name", max_length=64, placeholder="your name")
            yield Label("Password")
            yield Input(id="login-password", password=True, max_length=1024)
            yield Button("Log in", id="login-submit", variant="primary")
            yield Saying("", id="login-message")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Hotseat"
        self.sub_title = "log in"
        self.query_one("#login-name", Input).focus()

    def action_enter(self) -> None:
        """On the name: the password field takes the next keys at once. Elsewhere: log in, once
        every key typed before this Enter has reached its field (each field handles its keys on
        its own queue: `call_later` on a field runs after what is queued there)."""
        name = self.query_one("#login-name", Input)
        password = self.query_one("#login-password", Input)
        if self.focused is name:
            self.set_focus(password)
            return
        name.call_later(password.call_later, self.submit)

    @on(Button.Pressed, "#login-submit")
    def submit(self) -> None:
        if self.checking:
            return
        name = self.query_one("#login-name", Input).value
        password = self.query_one("#login-password", Input).value
        if not name.strip():
            self.say("Type your name, then your password.")
            self.query_one("#login-name", Input).focus()
            return
        self.start_checking()
        self.check(name, password)

    @work(thread=True, exclusive=True)
    def check(self, name: str, password: str) -> None:
        try:
            person = self.authenticate(name, password)
        except HotseatError as exc:
            self.app.call_from_thread(self.refused, str(exc))
        except Exception as exc:  # noqa: BLE001 - the database: said plainly, never a traceback
            self.app.call_from_thread(self.refused,
                                      f"The login could not be checked: {why(exc)}.")
        else:
            self.app.call_from_thread(self.dismiss, person)

    def refused(self, message: str) -> None:
        password = self.query_one("#login-password", Input)
        password.value = ""
        password.focus()
        self.stop_checking(message)


class SignOnRefused(Screen[None]):
    """A tab whose sign-on Hotseat cannot take (`hotseat serve --user-header`): why, in one
    plain line, and nothing else to do but close it (Ctrl+Q ends its session, as anywhere)."""

    DEFAULT_CSS = """
    SignOnRefused { align: center middle; }
    SignOnRefused #signon { width: 72; max-width: 100%; height: auto; padding: 1 2;
                            border: round $error; }
    SignOnRefused #signon-title { text-style: bold; margin-bottom: 1; }
    SignOnRefused #signon-hint { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, message: str) -> None:
        super().__init__()
        self.why = message

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="signon"):
            yield Static("Hotseat could not sign you in", id="signon-title")
            yield Saying("", id="signon-message")
            yield Static("Once it is put right, open Hotseat again. You may close this tab.",
                         id="signon-hint")

    def on_mount(self) -> None:
        self.title = "Hotseat"
        self.sub_title = "sign-on refused"
        self.query_one("#signon-message", Saying).say(self.why)

    @property
    def message(self) -> str:
        """What the screen says (for tests)."""
        return self.query_one("#signon-message", Saying).said
