"""The login of a served Hotseat (simulator/serve/app.py, simulator/tui/screens/login.py), by
keys in Textual's pilot: it comes first, whoever the process runs as; a wrong password gets one
plain line; after the login the person's role decides the home as in a terminal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import ADMIN, USER, seed_calls
from helpers import settle
from textual.widgets import Input

from simulator import db
from simulator.db.passwords import (
    PER_NAME,
    REFUSED,
    LoginRefused,
    change_own_password,
    log_in,
    set_password,
)
from simulator.serve.app import ServedApp, make_served_app
from simulator.tui.screens import HomeScreen
from simulator.tui.screens.login import LoginScreen
from simulator.tui.screens.password import WRONG, PasswordDialog

SECRET = "correct horse battery"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def site(engine: Any, library: Any) -> Any:
    """ada (the admin) and alice (a trainee, with three calls), each with a password."""
    admin = db.sign_in(engine, ADMIN)
    db.add_person(engine, admin, USER)
    for name in (ADMIN, USER):
        set_password(engine, admin, name, SECRET)
    seed_calls(engine, library)
    return engine


@pytest.fixture
def served(site: Any, library: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """make_served_app as a tab's process makes it; $HOTSEAT_USER says ada, and must not count."""
    monkeypatch.setenv("HOTSEAT_USER", ADMIN)
    made: list[ServedApp] = []

    def make() -> ServedApp:
        app = make_served_app(library, site, lambda n, p: log_in(site, n, p, "192.0.2.1"),
                              lambda n, c, p: change_own_password(site, n, c, p, "192.0.2.1"))
        made.append(app)
        return app
    yield make
    for app in made:
        app.store.close()


async def type_login(pilot: Any, name: str, password: str) -> None:
    await pilot.press(*name, "enter", *password, "enter")
    await settle(pilot)


async def test_a_served_hotseat_opens_at_the_login(served: Any) -> None:
    app = served()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.store.user == "" and app.store.viewer is None  # not ada, not the OS login
        assert app.focused is app.screen.query_one("#login-name")


async def test_after_the_login_the_trainee_is_home_with_their_own_calls(served: Any) -> None:
    app = served()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_login(pilot, "Alice", SECRET)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.sub_title == f"{USER} · trainee"
        assert app.store.viewer is not None and app.store.viewer.name == USER
        table = app.screen.query_one("#recent").content
        assert len(table.columns[0]._cells) == 3  # type: ignore[union-attr]


async def test_the_admin_gets_the_home_of_an_admin(served: Any, new_app: Any) -> None:
    """The same home `hotseat` opens for them in a terminal, with the same role."""
    app = served()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_login(pilot, ADMIN, SECRET)
        served_home = type(app.screen)
        assert app.store.viewer is not None and app.store.viewer.role == "admin"
        assert app.screen.sub_title.startswith(f"{ADMIN} · admin")
    terminal = new_app(user=ADMIN, **_role_if_known(ADMIN))
    async with terminal.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert type(terminal.screen) is served_home


def _role_if_known(name: str) -> dict[str, Any]:
    """cli/tui.py passes the person's role to make_app where make_app takes it."""
    import inspect

    from simulator.tui import make_app

    return {"role": "admin"} if "role" in inspect.signature(make_app).parameters else {}


@pytest.mark.parametrize("name, password", [
    (USER, "wrong password"), ("nobody", SECRET), ("", ""), (ADMIN, SECRET.upper())])
async def test_a_failed_login_gets_one_plain_line(served: Any, name: str,
                                                  password: str) -> None:
    app = served()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_login(pilot, name, password)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        expected = REFUSED if name else "Type your name, then your password."
        assert screen.message == expected
        assert screen.query_one("#login-password").value == ""
        assert app.store.viewer is None


async def test_failed_logins_slow_the_next(served: Any, frozen: Any) -> None:
    """A frozen clock: the attempts come at one instant, so the wait has not passed."""
    app = served()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*USER, "enter")
        for _ in range(PER_NAME.free):  # the name stays typed; the password is cleared
            await pilot.press(*"guess", "enter")
            await settle(pilot)
            assert app.screen.message == REFUSED
        await pilot.press(*SECRET, "enter")  # the right one, too soon
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.message.startswith("Too many failed logins: wait ")


async def test_a_name_is_shown_as_text(served: Any) -> None:
    app = served()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_login(pilot, "[b]x[/b]", "whatever")
        assert app.screen.message == REFUSED


async def test_no_command_palette_before_the_login(served: Any) -> None:
    """Its commands ("Your calls"...) would open screens of a person not known yet."""
    app = served()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert list(app.get_system_commands(app.screen)) == []
        await type_login(pilot, USER, SECRET)
        assert any(c.title == "Light or dark theme" for c in app.get_system_commands(app.screen))
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.id == "--command-palette"


async def test_ctrl_q_ends_the_session_at_the_login(served: Any) -> None:
    app = served()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0 and app.store.viewer is None


@pytest.mark.parametrize("size", SIZES)
def test_login_snapshot(snap_compare: Any, served: Any, size: tuple[int, int]) -> None:
    """The login: "Hotseat — log in" in the header; a rounded box in the middle with "Log in to
    Hotseat", the Name field ("alice" typed), the Password field (focused) showing eight dots,
    the "Log in" button, and under it, in red, "Wrong name or password." after one wrong try;
    the footer shows "⏎ Log in" (Ctrl+Q quits, as everywhere, without a key shown), and no
    command palette before the login."""
    async def run_before(pilot: Any) -> None:
        await type_login(pilot, USER, "wrong password")
        await pilot.press(*"x" * 8)
        await settle(pilot)
    assert snap_compare(served(), terminal_size=size, run_before=run_before)


NEW = "a brand new secret"


async def open_password_dialog(pilot: Any, *, by_palette: bool = False,
                               quiet: bool = False) -> PasswordDialog:
    """Logged in as alice, "Change your password": from the command palette by keys, or by
    its action (what the palette's command runs). `quiet`: the "Logged in as" toast cleared
    first (a snapshot would catch it on its way out)."""
    await type_login(pilot, USER, SECRET)
    if quiet:
        pilot.app.clear_notifications()
        await settle(pilot)
    if by_palette:
        await pilot.press("ctrl+p", *"change your password")
        await settle(pilot)
        await pilot.press("enter")
    else:
        pilot.app.action_change_password()
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, PasswordDialog)
    assert pilot.app.focused is dialog.query_one("#password-current")
    return dialog


async def test_a_person_changes_their_password_in_the_browser(served: Any, site: Any) -> None:
    """The palette offers it only once logged in; the current password, the new one twice,
    Enter from field to field: changed, said, and the next login takes the new one only."""
    app = served()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert list(app.get_system_commands(app.screen)) == []
        await open_password_dialog(pilot, by_palette=True)
        await pilot.press(*SECRET, "enter", *NEW, "enter", *NEW, "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("Your password is changed" in str(n.message) for n in app._notifications)
    with pytest.raises(LoginRefused):
        log_in(site, USER, SECRET)
    assert log_in(site, USER, NEW).name == USER


@pytest.mark.parametrize("current, new, again, said, emptied, focus", [
    ("wrong password", NEW, NEW, WRONG, 3, "#password-current"),
    (SECRET, NEW, NEW + "!", "The two new passwords differ: type the new one twice.", 2,
     "#password-new"),
    (SECRET, "short", "short", "A password needs at least 8 characters (this one has 5).", 2,
     "#password-new"),
    ("", NEW, NEW, "Type your current password first.", 3, "#password-current"),
])
async def test_a_refused_change_says_why_and_changes_nothing(
        served: Any, site: Any, current: str, new: str, again: str, said: str, emptied: int,
        focus: str) -> None:
    app = served()
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_password_dialog(pilot)
        fields = [dialog.query_one(f, Input)
                  for f in ("#password-current", "#password-new", "#password-again")]
        for field, typed in zip(fields, (current, new, again), strict=True):
            field.value = typed  # as typed (the keys themselves: the test above)
        fields[2].focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and dialog.message == said
        values = [f.value for f in fields]
        assert values == [current, "", ""][:3 - emptied] + [""] * emptied
        assert app.focused is dialog.query_one(focus)
        await pilot.press("escape")  # left: nothing changed
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert log_in(site, USER, SECRET).name == USER


def test_password_dialog_snapshot(snap_compare: Any, served: Any) -> None:
    """80x24: the home dimmed behind a rounded box, "Change the password of alice"; Current
    password (eight dots), New password (8 characters or more) and New password again, both
    empty, the cursor in New password; the "Change password" and "Cancel" buttons; under them,
    in red, "The two new passwords differ: type the new one twice."."""
    async def run_before(pilot: Any) -> None:
        await open_password_dialog(pilot, quiet=True)
        await pilot.press(*"x" * 8, "enter", *NEW, "enter", *"other one", "enter")
        await settle(pilot)
    assert snap_compare(served(), terminal_size=(80, 24), run_before=run_before)
