"""The login of a served Hotseat (simulator/serve/app.py, simulator/tui/screens/login.py), by
keys in Textual's pilot: it comes first, whoever the process runs as; a wrong password gets one
plain line; after the login the person's role decides the home as in a terminal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import ADMIN, USER, seed_calls
from helpers import settle

from simulator import db
from simulator.db.passwords import PER_NAME, REFUSED, log_in, set_password
from simulator.serve.app import ServedApp, make_served_app
from simulator.tui.screens import HomeScreen
from simulator.tui.screens.login import LoginScreen

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
        app = make_served_app(library, site, lambda n, p: log_in(site, n, p, "192.0.2.1"))
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
    the footer shows "⏎ Log in" and "^q Quit", and no command palette before the login."""
    async def run_before(pilot: Any) -> None:
        await type_login(pilot, USER, "wrong password")
        await pilot.press(*"x" * 8)
        await settle(pilot)
    assert snap_compare(served(), terminal_size=size, run_before=run_before)
