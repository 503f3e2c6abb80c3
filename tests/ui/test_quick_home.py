"""`hotseat` reads a rep's home over the plain read path, before the database layer (issue 12):
the home shows the same data; the database layer is loaded when a briefing opens; anything the
plain path cannot answer exactly (a read-only database here; a person to add, a call to
recover: tests/test_raw_home.py) is the ordinary path's, with its notice."""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ADMIN, USER, fixture_library, seed_calls
from helpers import settle
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from simulator import db
from simulator.cli import main
from simulator.tui import HotseatApp
from simulator.tui.screens import BriefingScreen, HomeScreen

Check = Callable[[HotseatApp, Pilot[Any]], Awaitable[None]]


def text_of(widget: Static) -> str:
    console = Console(width=120, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def headless(check: Check, seen: list[HotseatApp]) -> Any:
    """HotseatApp.run as a headless pilot that runs `check` once the home's data is in."""
    def run(self: HotseatApp, *args: Any, **kwargs: Any) -> None:
        async def go() -> None:
            async with self.run_test(size=(120, 40), notifications=True) as pilot:
                await settle(pilot)
                seen.append(self)
                await check(self, pilot)
        asyncio.run(go())
    return run


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = "sqlite:///" + str(tmp_path / "t.db")
    engine = db.make_engine(url)
    db.sign_in(engine, ADMIN)
    seed_calls(engine, fixture_library())
    engine.dispose()
    monkeypatch.setenv("HOTSEAT_USER", USER)
    return url


def test_the_home_is_read_before_the_database_layer(site: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[HotseatApp] = []
    found: dict[str, Any] = {}

    async def check(app: HotseatApp, pilot: Pilot[Any]) -> None:
        assert isinstance(app.screen, HomeScreen)
        found["opened"] = app.store._engine is not None
        found["title"] = app.screen.sub_title
        found["recent"] = text_of(app.screen.query_one("#recent", Static))
        found["tracks"] = text_of(app.screen.query_one("#tracks", Static))
        await pilot.press("enter")  # the first scenario's briefing
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        found["briefing"] = app.store._engine is not None

    monkeypatch.setattr(HotseatApp, "run", headless(check, seen))
    assert main(["--db", site]) == 0
    assert found["opened"] is False  # the home's data came over the plain read path
    assert found["briefing"] is True  # the briefing loaded the database layer
    assert found["title"] == f"{USER} · trainee"
    assert found["recent"].count("passed") == 2 and "failed" in found["recent"]
    assert found["tracks"].strip() and "No certification tracks" not in found["tracks"]

    # the same home as over the database layer (the role given: staff would differ)
    seen_again: list[HotseatApp] = []
    again: dict[str, Any] = {}

    async def ordinary(app: HotseatApp, pilot: Pilot[Any]) -> None:
        again["recent"] = text_of(app.screen.query_one("#recent", Static))
        again["tracks"] = text_of(app.screen.query_one("#tracks", Static))
        again["opened"] = app.store._engine is not None

    from simulator.tui import store as store_module

    monkeypatch.setattr(store_module.Store, "_quick_home", lambda *a, **k: None)
    monkeypatch.setattr(HotseatApp, "run", headless(ordinary, seen_again))
    assert main(["--db", site]) == 0
    assert again["opened"] is True
    assert (again["recent"], again["tracks"]) == (found["recent"], found["tracks"])


@pytest.fixture
def read_only(site: str) -> Any:
    """The site's database made read-only: immutable when we are root, else by its mode."""
    path = Path(site.removeprefix("sqlite:///"))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(
                ["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("cannot make a file immutable here (chattr +i)")
        yield site
        subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        yield site
        path.chmod(0o644)


def test_a_read_only_database_is_the_ordinary_paths_with_its_notice(
        read_only: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[HotseatApp] = []
    found: dict[str, Any] = {}

    async def check(app: HotseatApp, pilot: Pilot[Any]) -> None:
        await asyncio.to_thread(app.store.flush)
        await pilot.pause()
        found["notes"] = [str(n.message) for n in app._notifications]
        found["recent"] = text_of(app.screen.query_one("#recent", Static))
        found["opened"] = app.store._engine is not None

    monkeypatch.setattr(HotseatApp, "run", headless(check, seen))
    assert main(["--db", read_only]) == 0
    assert found["opened"] is True
    assert any("reading only" in n and "will not be saved" in n for n in found["notes"])
    assert "passed" in found["recent"]
