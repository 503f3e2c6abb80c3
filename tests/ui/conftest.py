"""Fixtures for the UI tests: a fixed small library, a tmp SQLite database, a frozen clock."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from scoring.certification import Track
from simulator import db
from simulator.call import play
from simulator.scenario import Library, load_library
from simulator.tui import HotseatApp, make_app

HERE = Path(__file__).resolve().parent
LIBRARY = HERE / "fixtures" / "library"
NOW = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
USER = "alice"
ADMIN = "ada"
"""The first person of each test database, so its admin (USER is then a trainee)."""

TRACKS = [
    Track(id="first-line", title="First-line rep", requires=[{"persona": "angry"},
          {"persona": "payment"}], pass_mark=70, valid_days=365, refresher_days=30),
    Track(id="hand-offs", title="Hand-offs", requires=[{"scenario": "confused-password-reset"}],
          pass_mark=70, valid_days=180, refresher_days=30),
]

_library: Library | None = None


def fixture_library() -> Library:
    """The UI tests' scenarios (tests/ui/fixtures/library), parsed once per session."""
    global _library
    if _library is None:
        _library = load_library([LIBRARY])
        assert not _library.errors, _library.errors
    return _library


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors that do not blink: a snapshot shows a focused field's cursor whatever time
    passed since it took focus (a loaded run caught the free-text field's cursor off)."""
    from textual.widgets import Input, TextArea

    for widget in (Input, TextArea):
        monkeypatch.setattr(widget.__dict__["cursor_blink"], "_default", False)


@pytest.fixture
def snap_compare(snap_compare: Any, request: pytest.FixtureRequest) -> Any:
    """The plugin's snap_compare, comparing what is on screen: two SVGs that differ only in
    text styles on blank cells, which nobody can see, are the same screen (svgdiff.looks). On
    a real mismatch it prints what differs, row by row (svgdiff.describe): a CI log then says
    what a snapshot caught, with the HTML report gone with the CI machine."""
    def compare(*args: Any, **kwargs: Any) -> bool:
        same = bool(snap_compare(*args, **kwargs))
        if same or request.config.getoption("--snapshot-update"):
            return same
        import pickle

        from pytest_textual_snapshot import node_to_report_path
        from svgdiff import describe, looks
        where = node_to_report_path(request.node)
        data = pickle.loads(where.read_bytes())
        expected, actual = data[1], data[2]
        if data[-1] and looks(expected) == looks(actual):
            # the same on screen, cell for cell: only how Rich cut a line into segments differs
            where.write_bytes(pickle.dumps((True, *data[1:])))
            return True
        print("What differs from the snapshot (row by row):")
        print(describe(expected, actual) or "(nothing: the same cells)")
        return False
    return compare


@pytest.fixture
def library() -> Library:
    return fixture_library()


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    """A new trainees.db whose first user (its admin) was someone else: the rep is a trainee."""
    engine = db.make_engine("sqlite:///" + str(tmp_path / "t.db"))
    db.sign_in(engine, ADMIN)
    return engine


@pytest.fixture
def frozen(time_machine: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime]:
    """A fixed clock and time zone, so dates on screen never change."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    time_machine.move_to(NOW, tick=False)
    yield NOW
    monkeypatch.delenv("TZ", raising=False)
    time.tzset()


@pytest.fixture
def apps() -> Iterator[list[HotseatApp]]:
    """Apps made in a test; their database threads are closed afterwards."""
    made: list[HotseatApp] = []
    yield made
    for app in made:
        app.store.close()


@pytest.fixture
def new_app(library: Library, engine: Any, apps: list[HotseatApp]) -> Any:
    """make_app over the fixture library and the tmp database, as USER, with fixed tracks."""
    def make(**kwargs: Any) -> HotseatApp:
        kwargs.setdefault("tracks", TRACKS)
        kwargs.setdefault("today", NOW.date())
        app = make_app(kwargs.pop("library", library), kwargs.pop("engine", engine),
                       kwargs.pop("user", USER), **kwargs)
        apps.append(app)
        return app
    return make


def seed_calls(engine: Any, library: Library) -> None:
    """Three earlier calls of USER: passed exams on the angry and payment scenarios (which
    certify "First-line rep"), then a failed practice call."""
    angry = library.by_id("angry-late-parcel")
    payment = library.by_id("payment-double-charge")
    assert angry and payment
    for scenario, picks, mode in ((angry, [1, 1, 1, 1], "exam"),
                                  (payment, [1, 1, 1, 1], "exam"),
                                  (payment, [2, 1], "practice")):
        call_id = db.start_call(engine, USER, scenario, mode=mode)
        result = play(scenario, picks)
        db.finish_call(engine, call_id, result, result.score())


def no_color() -> bool:
    return "NO_COLOR" in os.environ
