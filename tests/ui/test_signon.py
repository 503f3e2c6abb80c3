"""A served tab behind a sign-on proxy (`hotseat serve --user-header`): the person the proxy
named is signed on without a login, with their own role and home; a name Hotseat cannot take is
refused on a screen of its own, in one plain line. (The header itself: tests/test_serve.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import ADMIN, USER, seed_calls
from helpers import settle

from simulator import db
from simulator.db.passwords import log_in, signed_on
from simulator.serve.app import ServedApp, make_served_app
from simulator.tui.screens import HomeScreen
from simulator.tui.screens.login import LoginScreen, SignOnRefused


@pytest.fixture
def site(engine: Any, library: Any) -> Any:
    """ada (the admin) and alice (a trainee with three calls); nobody has a password."""
    db.add_person(engine, db.sign_in(engine, ADMIN), USER)
    seed_calls(engine, library)
    return engine


@pytest.fixture
def signed(site: Any, library: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A tab as `run_tab` makes it when the server passed on the proxy's name."""
    monkeypatch.setenv("HOTSEAT_USER", ADMIN)  # the server's account: never counts
    made: list[ServedApp] = []

    def make(name: str) -> ServedApp:
        app = make_served_app(library, site, lambda n, p: log_in(site, n, p), None,
                              lambda: signed_on(site, name))
        made.append(app)
        return app
    yield make
    for app in made:
        app.store.close()


async def test_the_person_named_by_the_proxy_is_home_without_a_login(signed: Any) -> None:
    app = signed("  Alice ")  # as the proxy sent it: trimmed and case-folded as any name
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not any(isinstance(s, LoginScreen) for s in app.screen_stack)
        assert app.store.viewer is not None and app.store.viewer.name == USER
        assert app.screen.sub_title == f"{USER} · trainee"
        assert any(f"Logged in as {USER} (trainee)" in str(n.message)
                   for n in app._notifications)
        # no Hotseat password here: nothing to change in the palette
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Change your password" not in titles and "Light or dark theme" in titles


async def test_the_admin_named_by_the_proxy_gets_an_admins_home(signed: Any) -> None:
    app = signed(ADMIN)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.store.viewer is not None and app.store.viewer.role == "admin"
        assert app.screen.sub_title.startswith(f"{ADMIN} · admin")


async def test_a_newcomer_starts_as_a_trainee(signed: Any, site: Any) -> None:
    app = signed("newrep")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.sub_title == "newrep · trainee"


@pytest.mark.parametrize("name, says", [
    ("bad\x1b[31mname", "Your sign-on gave a name Hotseat cannot use"),
    ("newrep", "does not let newcomers start on their own"),
])
async def test_a_sign_on_hotseat_cannot_take_is_said_plainly(signed: Any, site: Any, name: str,
                                                             says: str) -> None:
    db.set_setting(site, db.sign_in(site, ADMIN), "newcomers", "refuse")
    app = signed(name)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SignOnRefused)
        assert says in screen.message
        assert "\x1b" not in screen.message
        assert app.store.viewer is None and app.person is None
        assert list(app.get_system_commands(screen)) == []  # nothing to open before a person
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


def test_sign_on_refused_snapshot(snap_compare: Any, signed: Any, site: Any) -> None:
    """80x24: a red-bordered box in the middle, "Hotseat could not sign you in" in bold, the
    reason in red (newrep not known, newcomers refused: ask an admin, `hotseat people add
    newrep`), wrapped in the box, then, dimmed, "Once it is put right, open Hotseat again. You
    may close this tab."; the header says "Hotseat — sign-on refused"; no footer."""
    db.set_setting(site, db.sign_in(site, ADMIN), "newcomers", "refuse")

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
    assert snap_compare(signed("newrep"), terminal_size=(80, 24), run_before=run_before)
