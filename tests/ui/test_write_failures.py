"""Writes that fail in the middle of a TUI call never half-land, and the rep is told (issue 9).

A lock held past the busy timeout by another program, and a full disk, in the middle of a call:
the rep sees the "not being saved" dialog at once, with the reason; what is stored is an exact
prefix of what was said; after a retry that gets through the stored transcript is the call's,
line by line; ending it as incomplete keeps the exact prefix. Also: keys that arrive after the
last reply are ignored (they used to crash the TUI with PickError and lose the wrap-up and the
scorecard), and a read-only database opens for reading with a notice.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import LIBRARY, NOW, TRACKS, USER, fixture_library, seed_calls
from helpers import open_scenario, settle
from rich.console import Console
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Static

from simulator import db
from simulator.call import Line, play
from simulator.db import engine as engine_module
from simulator.scenario import Scenario, load_file
from simulator.tui import HotseatApp, make_app
from simulator.tui.screens import (
    CallScreen,
    HomeScreen,
    ScorecardScreen,
    UnsavedDialog,
    WrapUpScreen,
)

WAIT_MS = 200
"""The busy timeout in these tests (the real one is 60 s)."""


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "t.db"


@pytest.fixture
def engine(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sa.Engine]:
    """The tmp database with a short busy timeout, set before the engine is made."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", WAIT_MS)
    eng = db.make_engine(f"sqlite:///{db_path}")
    yield eng
    eng.dispose()


# -- helpers ----------------------------------------------------------------------------------

async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Let the app and its database thread run until `condition` holds (bounded)."""
    for _ in range(500):
        await asyncio.to_thread(pilot.app.store.flush)
        await pilot.pause()
        if condition():
            return
    raise AssertionError(f"timed out waiting until {what}")


def the_call(app: HotseatApp) -> CallScreen:
    (screen,) = [s for s in app.screen_stack if isinstance(s, CallScreen)]
    return screen


def stored_lines(engine: sa.Engine) -> tuple[Any, list[Line]]:
    (summary,) = db.recent_calls(engine, db.SYSTEM, USER)
    return summary, db.call_transcript(engine, db.SYSTEM, summary.id)


def assert_same_lines(stored: list[Line], said: list[Line]) -> None:
    """Line by line: each stored line is the line said at its position, nothing more."""
    for idx, (got, want) in enumerate(zip(stored, said, strict=False)):
        assert got == want, f"line {idx}: stored {got} but said {want}"
    assert len(stored) == len(said), f"{len(stored)} lines stored, {len(said)} said"


def text_of(widget: Static) -> str:
    console = Console(width=120, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def reason_shown(dialog: UnsavedDialog) -> str:
    return text_of(dialog.query_one("#unsaved-reason", Static))


def buttons_ready(dialog: UnsavedDialog) -> bool:
    return not any(b.disabled for b in dialog.query(Button))


class Lock:
    """Another program holding the database's write lock (a raw sqlite3 connection)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)

    def fail(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def heal(self) -> None:
        self.conn.execute("ROLLBACK")

    def close(self) -> None:
        if self.conn.in_transaction:
            self.heal()
        self.conn.close()


class FullDisk:
    """A disk that fills up: every connection the app checks out may not grow the file."""

    def __init__(self, engine: sa.Engine) -> None:
        self.full = False
        self.engine = engine
        sa.event.listen(engine, "checkout", self._limit)

    def _limit(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        # `max_page_count` cannot go below the file's size: 1 means "not one page more"
        limit = 1 if self.full else 1_073_741_823
        dbapi_connection.execute(f"PRAGMA max_page_count = {limit}")

    def fail(self) -> None:
        self.full = True

    def heal(self) -> None:
        self.full = False

    def close(self) -> None:
        sa.event.remove(self.engine, "checkout", self._limit)


def long_lines_scenario(folder: Path) -> Scenario:
    """The parcel scenario with customer lines too long for a page: each one grows the file, so
    a full disk refuses it (a short line could fit in a page already there)."""
    text = (LIBRARY / "angry-late-parcel.yaml").read_text(encoding="utf-8")
    filler = " ".join(["(on and on about the parcel)"] * 200)
    text = re.sub(r'(\n    customer: "[^"]*)"', lambda m: f'{m.group(1)} {filler}"', text)
    path = folder / "long-lines.yaml"
    path.write_text(text, encoding="utf-8")
    scenario, problems = load_file(path)
    assert scenario is not None, problems
    return scenario


FAILURES = {"lock": "the database is locked by another program", "disk": "the disk is full"}


def failure(kind: str, engine: sa.Engine, path: Path) -> Lock | FullDisk:
    return Lock(path) if kind == "lock" else FullDisk(engine)


async def start_call(pilot: Pilot[Any], app: HotseatApp, kind: str) -> None:
    """From home to a practice call, one reply played and stored."""
    if kind == "lock":
        await open_scenario(pilot, "parcel")
    else:
        await settle(pilot)  # the briefing of `start` is open
    await pilot.press("p", "1")
    await until(pilot, lambda: the_call(app).record.waiting == 0, "the first reply is stored")


def app_for(kind: str, new_app: Any, tmp_path: Path) -> HotseatApp:
    if kind == "lock":
        return new_app()  # type: ignore[no-any-return]
    scenario = long_lines_scenario(tmp_path)
    return new_app(library=[*fixture_library().scenarios, scenario],  # type: ignore[no-any-return]
                   scenario=scenario)


async def fail_the_next_reply(pilot: Pilot[Any], app: HotseatApp, kind: str) -> UnsavedDialog:
    """Play a reply whose lines cannot be written: the rep is told at once, with the reason."""
    call = the_call(app)
    await pilot.press("1")
    await until(pilot, lambda: isinstance(app.screen, UnsavedDialog), "the rep is told")
    dialog = app.screen
    assert isinstance(dialog, UnsavedDialog)
    assert FAILURES[kind] in reason_shown(dialog)
    assert "not being saved" in text_of(dialog.query_one(".question", Static))
    assert call.record.failure == FAILURES[kind]
    return dialog


# -- a write failing mid-call -----------------------------------------------------------------

@pytest.mark.parametrize("kind", list(FAILURES))
async def test_a_failed_write_is_told_retried_in_order_and_the_call_stored_exactly(
        new_app: Any, engine: sa.Engine, db_path: Path, tmp_path: Path, kind: str) -> None:
    app = app_for(kind, new_app, tmp_path)
    trouble = failure(kind, engine, db_path)
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await start_call(pilot, app, kind)
            call = the_call(app).call
            trouble.fail()
            dialog = await fail_the_next_reply(pilot, app, kind)
            said = list(call.transcript)
            _, stored = stored_lines(engine)
            assert len(stored) < len(said)
            assert_same_lines(stored, said[:len(stored)])  # an exact prefix, nothing shifted

            await pilot.press("1")  # the dialog is in front: no reply is played behind it
            await pilot.pause()
            assert call.transcript == said

            await pilot.press("r")  # still failing: told again, the choice is given again
            await until(pilot, lambda: buttons_ready(dialog), "the retry failed")
            assert app.screen is dialog and FAILURES[kind] in reason_shown(dialog)
            assert_same_lines(stored_lines(engine)[1], stored)

            trouble.heal()
            await pilot.press("r")
            await until(pilot, lambda: isinstance(app.screen, CallScreen), "the retry worked")
            assert_same_lines(stored_lines(engine)[1], said)

            await pilot.press("1", "1")  # the rest of the call, saved as it happens
            await pilot.pause()
            assert call.ended and call.outcome == "resolved"
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, WrapUpScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ScorecardScreen)
            assert not app.screen.query("#unsaved")  # saved in full: nothing to say
            card = app.screen.card
            await asyncio.to_thread(app.store.flush)
    finally:
        trouble.close()
    summary, stored = stored_lines(engine)
    assert (summary.outcome, summary.overall) == ("resolved", card.overall)
    assert_same_lines(stored, call.transcript)
    assert_same_lines(stored, play(call.scenario, [1, 1, 1, 1]).transcript)


@pytest.mark.parametrize("healed", [True, False], ids=["healed first", "still failing"])
@pytest.mark.parametrize("kind", list(FAILURES))
async def test_ending_the_call_as_incomplete_keeps_an_exact_prefix(
        new_app: Any, engine: sa.Engine, db_path: Path, tmp_path: Path, kind: str,
        healed: bool) -> None:
    app = app_for(kind, new_app, tmp_path)
    trouble = failure(kind, engine, db_path)
    try:
        async with app.run_test(size=(100, 32), notifications=True) as pilot:
            await start_call(pilot, app, kind)
            call = the_call(app).call
            trouble.fail()
            await fail_the_next_reply(pilot, app, kind)
            said = list(call.transcript)
            saved = stored_lines(engine)[1]
            if healed:
                trouble.heal()
            await pilot.press("e")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "back home")
            notes = [n.message for n in app._notifications]
            assert any("not saved in full" in n and FAILURES[kind] in n for n in notes), notes
            assert call.ended and call.transcript == said
    finally:
        trouble.close()
    summary, stored = stored_lines(engine)
    assert_same_lines(stored, saved)
    assert_same_lines(stored, said[:len(stored)])
    if not healed and kind == "lock":
        assert summary.outcome is None  # its end could not be written either
    if summary.outcome is None:  # the next start marks it
        db.recover_interrupted(engine, stale_after=timedelta(0))
        summary, stored = stored_lines(engine)
        assert_same_lines(stored, saved)
    assert (summary.outcome, summary.passed) == ("incomplete", False)


# -- keys after the last reply ----------------------------------------------------------------

def burst(app: HotseatApp, keys: list[str]) -> None:
    """Keys as a terminal delivers them when a rep hammers the keyboard: all queued at once.
    (pilot.press waits for the app to be idle after each key, which hides the race.)"""
    for key in keys:
        event = events.Key(key, "\r" if key == "enter" else key)
        event.set_sender(app)
        assert app._driver is not None
        app._driver.send_message(event)


HAMMERING = [  # (name, keys sent at once while the last reply is highlighted)
    ("Enter twice on the last reply", ["enter", "enter"]),
    ("Enter hammered", ["enter"] * 8),
    ("the last reply's digit, then Enter twice", ["1", "enter", "enter"]),
    ("Enter then digits", ["enter", "1", "1", "enter"]),
    ("digits and Enter mixed", ["enter", "2", "enter", "3", "1", "enter", "9"]),
    ("digits only", ["1"] * 8),
]


@pytest.mark.parametrize("name,keys", HAMMERING, ids=[c[0] for c in HAMMERING])
async def test_keys_after_the_last_reply_are_harmless(new_app: Any, engine: sa.Engine,
                                                      name: str, keys: list[str]) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot, "reset")  # two replies: the second one ends the call
        await pilot.press("p", "1")
        await pilot.pause()
        call = the_call(app).call
        burst(app, keys)
        await settle(pilot)
        assert call.ended and call.outcome == "escalated"
        if isinstance(app.screen, CallScreen):
            await pilot.press("enter")
            await pilot.pause()
        if isinstance(app.screen, WrapUpScreen):
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, ScorecardScreen)
        assert app.screen.result.transcript == call.transcript
        await asyncio.to_thread(app.store.flush)
    (summary,) = db.recent_calls(engine, db.SYSTEM, USER)
    assert summary.outcome == "escalated"
    assert_same_lines(db.call_transcript(engine, db.SYSTEM, summary.id),
                      play(call.scenario, [1, 1]).transcript)


# -- a read-only database -------------------------------------------------------------------

@pytest.fixture
def read_only_url(tmp_path: Path) -> Iterator[str]:
    """A database with USER's earlier calls that cannot be written: immutable when we are root
    (root ignores mode bits), else read-only by its mode bits."""
    path = tmp_path / "ro.db"
    engine = db.make_engine(f"sqlite:///{path}")
    seed_calls(engine, fixture_library())
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(
                ["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("cannot make a file immutable here (chattr +i)")
        yield f"sqlite:///{path}"
        subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        yield f"sqlite:///{path}"
        path.chmod(0o644)


@pytest.mark.parametrize("user", [USER, "newcomer"], ids=["known", "not in the database"])
async def test_a_read_only_database_is_read_and_calls_are_kept_on_screen(
        read_only_url: str, apps: list[HotseatApp], user: str) -> None:
    """No traceback (it was a WorkerFailed at the first write), a notice, the rep's records
    read, and a call played to its scorecard that says it was not saved."""
    path = Path(read_only_url.removeprefix("sqlite:///"))
    before = path.read_bytes()
    engine = db.make_engine(read_only_url)
    app = make_app(fixture_library(), engine, user, tracks=TRACKS, today=NOW.date())
    apps.append(app)
    try:
        async with app.run_test(size=(100, 32), notifications=True) as pilot:
            await settle(pilot)
            await asyncio.to_thread(app.store.flush)
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            notes = [n.message for n in app._notifications]
            assert any("reading only" in n and "will not be saved" in n for n in notes), notes
            recent = text_of(app.screen.query_one("#recent", Static))
            assert ("passed" in recent) is (user == USER)  # the earlier calls are read
            await open_scenario(pilot, "reset")
            await pilot.press("p", "1", "1")
            await pilot.pause()
            assert "not saved" in app.screen.sub_title
            await pilot.press("enter", "escape")
            await pilot.pause()
            assert isinstance(app.screen, ScorecardScreen)
            said = text_of(app.screen.query_one("#unsaved", Static))
            assert "not saved" in said and "read-only" in said
            await asyncio.to_thread(app.store.flush)
            assert not isinstance(app.screen, UnsavedDialog)
    finally:
        engine.dispose()
    again = db.make_engine(read_only_url)
    assert len(db.recent_calls(again, db.SYSTEM, USER)) == 3  # nothing added
    again.dispose()
    assert path.read_bytes() == before
