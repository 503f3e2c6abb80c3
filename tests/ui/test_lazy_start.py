"""The TUI paints its home before the database layer is loaded (issue 12): the database is
opened on the store's thread afterwards, and what fails there still ends Hotseat with the
message and exit code of the command line."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import pytest

from simulator import db
from simulator.cli import main
from simulator.tui import HotseatApp
from simulator.tui.screens import HomeScreen

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "simulator.db")


def test_the_tui_and_the_command_line_import_no_database_layer() -> None:
    """What `hotseat` imports before the home's first paint (a fresh interpreter)."""
    code = ("import sys, simulator.cli, simulator.tui.app, simulator.tui.screens.home; "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def headless(seen: list[HotseatApp], shown: list[Any]) -> Any:
    """HotseatApp.run as a headless pilot that waits for the home's data."""
    def run(self: HotseatApp, *args: Any, **kwargs: Any) -> None:
        async def go() -> None:
            async with self.run_test(size=(120, 40)) as pilot:
                for _ in range(3):
                    await pilot.pause()
                    await self.workers.wait_for_complete()
                seen.append(self)
                shown.append(self.screen)
        asyncio.run(go())
    return run


def test_the_database_opens_after_the_first_paint(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Any) -> None:
    seen: list[HotseatApp] = []
    shown: list[Any] = []
    monkeypatch.setattr(HotseatApp, "run", headless(seen, shown))
    monkeypatch.setenv("HOTSEAT_USER", "Dana")
    url = "sqlite:///" + str(tmp_path / "lazy.db")
    engine = db.make_engine(url)
    db.sign_in(engine, "ada")  # the admin: Dana is a trainee
    engine.dispose()
    assert main(["--db", url]) == 0
    assert len(seen) == 1
    (home,) = shown
    assert isinstance(home, HomeScreen)
    assert home.sub_title == "dana · trainee"  # signed in on the database thread
    engine = db.make_engine(url)
    assert db.find_person(engine, "dana").role == "trainee"
    engine.dispose()


def test_a_database_that_cannot_be_opened_ends_the_tui_with_its_error(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[HotseatApp] = []
    monkeypatch.setattr(HotseatApp, "run", headless(seen, []))
    assert main(["--db", "sqlite://"]) == 2  # in memory: refused, as before the TUI opened
    assert "in-memory database" in capsys.readouterr().err
    (app,) = seen
    assert app.return_code == 1 and app.store.failed is not None
