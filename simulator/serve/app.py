"""The served app: Hotseat opening at the login screen instead of at the home.

Who is asking is the person who logs in (or, behind a sign-on proxy, the person it vouched
for: no login), never the account the server runs as nor $HOTSEAT_USER. After the login, the
app goes on exactly as `hotseat` in a terminal does for that person: the same store, signed in
by name, so their role decides their home and what they see.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual import events, work
from textual.app import SystemCommand
from textual.screen import Screen

from simulator.db import Viewer
from simulator.db.health import why
from simulator.errors import HotseatError
from simulator.scenario import Library
from simulator.text import printable
from simulator.tui.app import HotseatApp
from simulator.tui.screens.login import LoginScreen, SignOnRefused
from simulator.tui.store import Store

__all__ = ["ServedApp", "make_served_app"]


class ServedApp(HotseatApp):
    """A HotseatApp whose person is known only once they log in."""

    CSS_PATH = str(Path(inspect.getfile(HotseatApp)).parent / str(HotseatApp.CSS_PATH))
    """The app's stylesheet, found beside simulator/tui/app.py (a relative path would be
    looked for beside this module)."""

    def __init__(self, *args: Any, authenticate: Callable[[str, str], Viewer],
                 change_password: Callable[[str, str, str], Any] | None = None,
                 signed_on: Callable[[], Viewer] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authenticate = authenticate
        self.change_password = change_password
        """(name, current, new): the person's own password changed (db.passwords
        change_own_password), offered in the command palette once they have logged in."""
        self.signed_on = signed_on
        """The person a sign-on proxy vouched for (db.passwords signed_on, raising
        LoginRefused): they need no login. None: the login screen asks."""
        self.person: Viewer | None = None

    def on_mount(self, event: events.Mount) -> None:  # type: ignore[override]
        event.prevent_default()  # HotseatApp.on_mount opens the home: only after the login
        if self.signed_on is not None:
            self.sign_on()
            return
        self.push_screen(LoginScreen(self.authenticate), self.logged_in)

    @work(thread=True, exclusive=True, group="sign-on")
    def sign_on(self) -> None:
        """The person the sign-on named (the database, on a worker thread), then their home;
        or why not, on a screen of its own."""
        assert self.signed_on is not None
        try:
            person = self.signed_on()
        except HotseatError as exc:
            self.call_from_thread(self.push_screen, SignOnRefused(str(exc)))
        except Exception as exc:  # noqa: BLE001 - the database: said plainly, never a traceback
            self.call_from_thread(self.push_screen, SignOnRefused(
                f"Your sign-on could not be checked: {why(exc)}."))
        else:
            self.call_from_thread(self.logged_in, person)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Before the login, no command palette: its commands open the person's screens."""
        if self.person is None and action == "command_palette":
            return False
        return super().check_action(action, parameters)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if self.person is None:
            return  # nobody yet: nothing to offer
        yield from super().get_system_commands(screen)
        if self.change_password is not None:
            yield SystemCommand("Change your password", "The one you log in with: your "
                                "current password, then the new one twice",
                                self.action_change_password)

    def action_change_password(self) -> None:
        from simulator.tui.screens.password import PasswordDialog

        person, change = self.person, self.change_password
        if person is None or change is None or isinstance(self.screen, PasswordDialog):
            return

        def changed(done: bool | None) -> None:
            if done:
                self.notify("Your password is changed: log in with the new one from now on.",
                            timeout=6)

        self.push_screen(PasswordDialog(person.name, lambda current, new: change(
            person.name, current, new)), changed)

    def logged_in(self, person: Viewer | None) -> None:
        if person is None:  # pragma: no cover - the login screen dismisses only with a person
            self.exit()
            return
        self.person = person
        self.refresh_bindings()
        self.store.user = person.name
        self.store.viewer = None  # signed in again by the store, on its own thread
        self.role = str(person.role)  # the home for this role, as in a terminal
        HotseatApp.on_mount(self)
        self.notify(printable(f"Logged in as {person.name} ({person.role}).",
                              keep_newlines=False), timeout=4, markup=False)


def make_served_app(library: Library, engine: Any,
                    authenticate: Callable[[str, str], Viewer],
                    change_password: Callable[[str, str, str], Any] | None = None,
                    signed_on: Callable[[], Viewer] | None = None) -> ServedApp:
    """The app of one browser tab: the library, the shared database, the login check and the
    change of one's own password; or, behind a sign-on proxy, the person it vouched for."""
    scenarios = list(library.scenarios)
    broken = len({d.path for d in library.errors})
    store = Store(engine, "", scenarios)  # nobody yet: the login names the person
    return ServedApp(scenarios, store, broken_files=broken, shuffle=True,
                     authenticate=authenticate, change_password=change_password,
                     signed_on=signed_on)
