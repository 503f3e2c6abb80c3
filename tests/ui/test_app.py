"""The app's conventions: identity, the CLI entry, themes, NO_COLOR, the palette, filters."""

from __future__ import annotations

import argparse
from typing import Any

import pytest
from conftest import LIBRARY, USER
from helpers import open_scenario, settle
from textual.command import CommandPalette
from textual.filter import Monochrome, NoColor
from textual.widgets import DataTable

from simulator import db
from simulator.cli import common as launch
from simulator.cli import main
from simulator.tui import HotseatApp
from simulator.tui.screens import (
    BriefingScreen,
    CallScreen,
    HomeScreen,
    PolicyDialog,
    UnsavedDialog,
)


async def test_the_first_person_of_a_new_database_is_its_admin(new_app: Any,
                                                             tmp_path: Any) -> None:
    fresh = db.make_engine("sqlite:///" + str(tmp_path / "fresh.db"))
    app = new_app(user="founder", engine=fresh)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.screen.sub_title == "founder · admin"
    assert db.find_person(fresh, "founder").role == "admin"
    fresh.dispose()


async def test_first_start_creates_the_user_as_a_trainee(new_app: Any, engine: Any) -> None:
    app = new_app(user="newcomer")
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.screen.sub_title == "newcomer · trainee"
    person = db.find_person(engine, "newcomer")
    assert person is not None and person.role == "trainee"


WHOAMI = [  # (name, --as, the login name getpass gives or the error it raises, who we are)
    ("--as given", "bob", "os", "bob"),
    ("--as trimmed", "  bob ", "os", "bob"),
    ("--as wins over the login name", "bob", OSError("no tty"), "bob"),
    ("no --as: the login name", None, "os", "os"),
    ("empty --as: the login name", "", "os", "os"),
    ("blank --as: the login name", " \t ", "os", "os"),
    ("no login name (OSError)", None, OSError("no tty"), "trainee"),
    ("no login name (KeyError)", "  ", KeyError("uid 1000"), "trainee"),
]


@pytest.mark.parametrize("name,given,login,expected", WHOAMI, ids=[c[0] for c in WHOAMI])
def test_whoami(monkeypatch: pytest.MonkeyPatch, name: str, given: str | None,
                login: str | Exception, expected: str) -> None:
    def getuser() -> str:
        if isinstance(login, Exception):
            raise login
        return login
    monkeypatch.setattr(launch.getpass, "getuser", getuser)
    assert launch.whoami(given) == expected


def test_cli_opens_the_tui_as_the_user_and_play_opens_the_briefing(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    seen: list[HotseatApp] = []

    def fake_run(self: HotseatApp, *args: Any, **kwargs: Any) -> None:
        seen.append(self)
    monkeypatch.setattr(HotseatApp, "run", fake_run)
    url = "sqlite:///" + str(tmp_path / "cli.db")
    monkeypatch.setenv("HOTSEAT_USER", "Carol ")  # as an SSH forced command would say
    assert main(["--db", url]) == 0
    assert main(["--db", url, "play", str(LIBRARY / "angry-late-parcel.yaml")]) == 0
    home, play = seen
    assert home.store.user == "carol" and home.start is None
    assert len(home.scenarios) > 3  # the bundled library, parsed once
    assert play.start is not None and play.start.id == "angry-late-parcel"
    assert play.start in play.scenarios


async def test_play_file_opens_straight_into_the_briefing(new_app: Any, library: Any) -> None:
    scenario = library.by_id("confused-password-reset")
    app = new_app(scenario=scenario)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen) and app.screen.scenario is scenario
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_no_color_is_respected(new_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = new_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.no_color
        assert any(isinstance(f, (Monochrome, NoColor)) for f in app.get_line_filters())


async def test_light_and_dark_themes(new_app: Any) -> None:
    app = new_app()
    async with app.run_test() as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"light or dark")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "textual-dark"


async def test_library_filters_and_search(new_app: Any) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#scenarios", DataTable)
        assert table.row_count == 3
        app.screen.query_one("#persona").focus()
        await pilot.press("enter", "down", "enter")  # the first persona: angry
        await pilot.pause()
        assert [str(k.value) for k in table.rows] == ["angry-late-parcel"]
        await pilot.press("enter", "up", "enter")  # back to any persona
        await pilot.press("slash", *"reset")
        await pilot.pause()
        assert [str(k.value) for k in table.rows] == ["confused-password-reset"]
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)


async def test_policy_card_opens_over_the_call(new_app: Any) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot, "parcel")
        await pilot.press("p", "p")
        await pilot.pause()
        assert isinstance(app.screen, PolicyDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)


async def test_a_database_failure_is_told_not_thrown(new_app: Any, engine: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("disk full")
    monkeypatch.setattr(db, "start_call", broken)
    app = new_app()
    async with app.run_test(notifications=True) as pilot:
        await open_scenario(pilot, "parcel")
        await pilot.press("p")
        await pilot.pause()
        app.store.flush()
        await pilot.pause()
        assert isinstance(app.screen, UnsavedDialog)  # told at once, not played on as if saved
        await pilot.press("1")  # no reply is played behind the dialog
        await pilot.pause()
        assert len(app.screen_stack[-2].call.transcript) == 1
        await pilot.press("e")  # end the call: nothing of it was stored
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("disk is full" in n.message and "nothing of it" in n.message
                   for n in app._notifications)
    assert db.recent_calls(engine, db.SYSTEM, USER) == []


def test_make_app_accepts_a_plain_list(library: Any, engine: Any) -> None:
    from simulator.tui import make_app

    app = make_app(list(library.scenarios), None, USER)
    assert app.store.engine is None and len(app.scenarios) == 3
    app.store.close()


def test_launch_args_namespace_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """A namespace without --as (as run_tui reads it) means the login name."""
    monkeypatch.setattr(launch.getpass, "getuser", lambda: "os")
    args = argparse.Namespace()
    assert launch.whoami(getattr(args, "as_user", None)) == "os"
    assert launch.whoami(getattr(argparse.Namespace(as_user=" ann "), "as_user", None)) == "ann"


async def test_the_briefing_gives_nothing_away(new_app: Any) -> None:
    """Whether a case needs a hand-off is graded: the briefing must not say it, nor show the
    trainer's summary (which names the cause)."""
    from helpers import open_scenario

    from simulator.tui.screens import BriefingScreen

    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, "reset")
        assert isinstance(app.screen, BriefingScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        scenario = app.screen.scenario
        assert scenario.escalation == "expert"
        assert scenario.summary and scenario.summary not in shown
        assert "expert" not in shown.split("You are")[1].split("The four steps")[0].replace(
            "an expert or a supervisor", "")
