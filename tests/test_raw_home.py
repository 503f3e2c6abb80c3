"""The TUI home over the plain read path (simulator/db/raw_home.py, Store.home's first read):
the same rows and the same certification panel as the ordinary path, on both backends, with
the viewer's filter in the SQL; anything it cannot answer exactly goes to the ordinary path."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from dbhelpers import staff

from scoring.certification import Track
from scoring.vocabulary import Role
from simulator import db
from simulator.call import play
from simulator.cli.tui import quick_reader
from simulator.db import raw
from simulator.db.raw_home import HomeReader
from simulator.scenario import Scenario, load_file, load_library
from simulator.standing import track_rows
from simulator.tui.store import Home, Store

LIBRARY = Path(__file__).resolve().parent / "ui" / "fixtures" / "library"
NOW = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
TRACKS = [
    Track(id="first-line", title="First-line rep", requires=[{"persona": "angry"},
          {"persona": "payment"}], pass_mark=70, valid_days=365, refresher_days=30),
    Track(id="hand-offs", title="Hand-offs", requires=[{"scenario": "confused-password-reset"}],
          pass_mark=60, valid_days=180, refresher_days=60),
]
DAYS = [NOW.date() - timedelta(days=d) for d in (330, 200, 0)] + [
    NOW.date() + timedelta(days=d) for d in (20, 200, 290, 400)]
"""The days the certification panel is compared on: certified, refresher due, expired..."""


@pytest.fixture
def scenarios() -> list[Scenario]:
    lib = load_library([LIBRARY])
    assert not lib.errors
    return lib.scenarios


def _call(engine: Any, who: str, scenario: Scenario, picks: list[int], mode: str,
          when: datetime, tm: Any, *, finish: bool = True) -> int:
    tm.move_to(when, tick=False)
    call_id = db.start_call(engine, who, scenario, mode=mode)
    result = play(scenario, picks)
    if finish:
        db.finish_call(engine, call_id, result, result.score())
    else:
        db.abandon_call(engine, call_id)
    return call_id


@pytest.fixture
def site(backend_url: str, scenarios: list[Scenario], tmp_path: Path,
         time_machine: Any) -> Iterator[str]:
    """Tina (a trainee of north), Tom (north) and Trev (a trainer) with calls of every kind over
    two years: passed and failed exams, practice, scripted and uncalibrated calls, an
    abandoned one, exams overridden both ways, one on an edited copy of a scenario, and the
    certificates they earned along the way."""
    time_machine.move_to(NOW - timedelta(days=800), tick=False)
    staff(backend_url, sam=("supervisor", "north"), tina=("trainee", "north"),
          tom=("trainee", "north"), trev=("trainer", "south"))
    angry, reset, payment = (next(s for s in scenarios if s.id == i) for i in (
        "angry-late-parcel", "confused-password-reset", "payment-double-charge"))
    copy = tmp_path / "copy.yaml"
    shutil.copy(LIBRARY / "payment-double-charge.yaml", copy)
    copy.write_text(copy.read_text(encoding="utf-8") + "\n# an edited copy\n", encoding="utf-8")
    edited, problems = load_file(copy)
    assert edited is not None and edited.content_hash != payment.content_hash, problems
    engine = db.make_engine(backend_url)
    sam = db.sign_in(engine, "sam")
    try:
        day = NOW - timedelta(days=700)
        plan = [  # (who, scenario, picks, mode, days after `day`)
            ("tina", angry, [1, 1, 1, 1], "exam", 0), ("tina", payment, [1, 1, 1, 1], "exam", 1),
            ("tina", payment, [2, 1], "practice", 2), ("tina", reset, [1, 1], "exam", 3),
            ("tom", angry, [1, 1, 1, 1], "exam", 3), ("trev", payment, [1, 1, 1, 1], "exam", 4),
            ("tina", angry, [1, 1, 1, 1], "scripted", 300),
            ("tina", payment, [1, 1, 1, 1], "uncalibrated-exam", 301),
            ("tina", angry, [1, 1, 1, 1], "exam", 420), ("tina", payment, [2, 1], "exam", 421),
            ("tina", edited, [1, 1, 1, 1], "exam", 422),
            ("tom", payment, [1, 1, 1, 1], "exam", 500),
            ("tina", payment, [1, 1, 1, 1], "exam", 640),
            ("trev", angry, [1, 1, 1, 1], "exam", 650), ("tina", reset, [2], "practice", 690)]
        ids = []
        for i, (who, scenario, picks, mode, after) in enumerate(plan):
            ids.append(_call(engine, who, scenario, picks, mode,
                             day + timedelta(days=after, minutes=i), time_machine))
            if mode == "exam":
                for person in ("tina", "tom", "trev"):
                    db.record_certificates(engine, person, TRACKS, scenarios)
        _call(engine, "tina", reset, [1], "practice", day + timedelta(days=695), time_machine,
              finish=False)
        db.override(engine, sam, ids[1], False, "the refund was promised without a check")
        db.override(engine, sam, ids[9], True, "the customer hung up on a good answer")
        db.override(engine, sam, ids[9], False, "second thoughts")
        db.override(engine, sam, ids[9], True, "third thoughts")
        db.override(engine, sam, ids[10], False, "not up to standard")
        db.record_certificates(engine, "tina", TRACKS, scenarios)
        time_machine.move_to(NOW, tick=False)
    finally:
        engine.dispose()
    yield backend_url


def ordinary(engine: Any, name: str, scenarios: list[Scenario], today: date) -> tuple[Any, ...]:
    viewer = db.sign_in(engine, name)
    calls = db.calls_of(engine, viewer, [name])
    earned = db.stored_certificates(engine, viewer, name)
    return (db.recent_calls(engine, viewer, limit=100), calls, earned,
            track_rows(TRACKS, calls, earned, scenarios, today))


@pytest.mark.parametrize("name", ["tina", "tom", "trev"])
def test_the_same_rows_as_the_ordinary_path(site: str, scenarios: list[Scenario],
                                            name: str) -> None:
    from simulator.trackindex import PlainTrack

    engine = db.make_engine(site)
    store = Store(None, name)
    store.tracks = TRACKS
    plain = [PlainTrack.of(t.model_dump(mode="json", by_alias=True)) for t in TRACKS]
    try:
        with raw.connect(site) as reader:
            rows = HomeReader(reader, reader.viewer(name))
            for today in DAYS:
                recent, calls, earned, tracks = ordinary(engine, name, scenarios, today)
                assert rows.recent(100) == recent and recent
                assert rows.calls() == calls
                assert rows.exams() == [c for c in calls if c.mode == "exam"]
                assert rows.certificates() == earned
                assert store._track_rows(rows.exams, rows.certificates, rows.calls, scenarios,
                                         today) == tracks
                # the plain copies of the cached tracks (the home's, without pydantic) too
                assert store._track_rows(rows.exams, rows.certificates, rows.calls, scenarios,
                                         today, plain) == tracks
            assert rows.recent(3) == recent[:3]
        statuses = {r.status for d in DAYS for r in ordinary(engine, "tina", scenarios, d)[3]}
        assert {"certified", "refresher_due", "expired", "in_progress"} <= statuses
    finally:
        store.close()
        engine.dispose()


def cli_store(url: str, name: str, scenarios: list[Scenario], monkeypatch: Any,
              engines: list[Any]) -> Store:
    """A store as `hotseat --db URL` makes it for `name` (cli/tui.py): the plain read path
    first, the database opened at first need."""
    monkeypatch.setenv("HOTSEAT_USER", name)
    args = argparse.Namespace(db=url)

    def opener() -> tuple[Any, str]:
        from simulator.cli.common import asking, open_engine

        engine = open_engine(args)
        engines.append(engine)
        return engine, asking(engine, args, create=True).name
    store = Store(None, name, scenarios, opener=opener, quick=lambda: quick_reader(args))
    store.tracks = TRACKS
    return store


@pytest.mark.parametrize("name", ["tina", "trev"])
def test_the_home_is_the_ordinary_paths(site: str, scenarios: list[Scenario], name: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Store.home over the plain read path (the database layer not opened) and over the
    database layer: the same role, calls and certification rows."""
    engines: list[Any] = []
    engine = db.make_engine(site)
    fast = cli_store(site, name, scenarios, monkeypatch, engines)
    slow = Store(engine, name, scenarios)
    slow.tracks = TRACKS
    try:
        quick = fast.home(NOW.date(), scenarios)
        assert fast._engine is None and engines == []  # read without the database layer
        assert quick == slow.home(NOW.date(), scenarios)
        assert isinstance(quick, Home) and quick.calls and quick.tracks
        assert quick.role == ("trainer" if name == "trev" else "trainee")
        again = fast.home(NOW.date(), scenarios)  # back home: the ordinary path
        assert fast._engine is not None and again == quick
    finally:
        fast.close()
        slow.close()
        for e in (engine, *engines):
            e.dispose()


class Recording(raw.Reader):
    """A Reader that keeps every query it runs."""

    def __init__(self, reader: raw.Reader) -> None:
        super().__init__(reader.con, reader.backend)
        self.sql: list[str] = []

    def rows(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        self.sql.append(sql)
        return super().rows(sql, params)


def test_who_is_asking_is_in_every_query(site: str) -> None:
    """Each query keeps only the people the viewer may see (raw.visible) in its SQL: a viewer
    who is Tina by id reads nothing of Tom's even when asking by his name."""
    with raw.connect(site) as reader:
        tina, tom = reader.viewer("tina"), reader.viewer("tom")
        recording = Recording(reader)
        rows = HomeReader(recording, tina)
        assert rows.recent() and rows.calls() and rows.exams() and rows.certificates()
        assert [s for s in recording.sql if "FROM calls c" in s or "FROM certificates" in s]
        assert all("t.id = ?" in s for s in recording.sql if "JOIN trainees t" in s)
        assert len([s for s in recording.sql if "JOIN trainees t" in s]) == 4
        forged = HomeReader(reader, raw.Viewer("tom", tina.role, tina.id))
        assert HomeReader(reader, tom).recent()  # Tom has calls...
        assert forged.recent() == forged.calls() == forged.exams() == []  # ...not Tina's
        assert forged.certificates() == []


@pytest.mark.parametrize("viewer", [raw.Viewer("newcomer", Role.TRAINEE),
                                    raw.Viewer("sam", Role.SUPERVISOR, 2),
                                    raw.Viewer("ada", Role.ADMIN, 1)],
                         ids=["a person to add", "a supervisor", "an admin"])
def test_the_home_of_anyone_else_is_the_ordinary_paths(site: str, viewer: raw.Viewer) -> None:
    with raw.connect(site) as reader, pytest.raises(raw.Unusual):
        HomeReader(reader, viewer)


def test_a_newcomer_is_added_by_the_ordinary_path(site: str, scenarios: list[Scenario],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    engines: list[Any] = []
    store = cli_store(site, "Nora", scenarios, monkeypatch, engines)
    try:
        home = store.home(NOW.date(), scenarios)
        assert home.role == "trainee" and home.calls == []
        assert store._engine is not None  # the ordinary path, which adds her
        engine = db.make_engine(site)
        assert db.find_person(engine, "nora") is not None
        engine.dispose()
    finally:
        store.close()
        for e in engines:
            e.dispose()


def test_a_dead_call_is_recovered_by_the_ordinary_path(site: str, scenarios: list[Scenario],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    engine = db.make_engine(site)
    reset = next(s for s in scenarios if s.id == "confused-password-reset")
    call_id = db.start_call(engine, "tina", reset, mode="practice")
    with engine.begin() as conn:  # its process is gone
        conn.exec_driver_sql(f"UPDATE calls SET pid = 999999999 WHERE id = {call_id}")
    engine.dispose()
    engines: list[Any] = []
    store = cli_store(site, "tina", scenarios, monkeypatch, engines)
    try:
        home = store.home(NOW.date(), scenarios)
        assert store._engine is not None  # the ordinary path recovered it
        (shown,) = [c for c in home.calls if c.id == call_id]
        assert shown.outcome == "incomplete"
    finally:
        store.close()
        for e in engines:
            e.dispose()


def test_the_tracks_cache_is_load_tracks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """simulator.trackindex: the bundled tracks as load_tracks reads them, from the cache while
    no file changed (not read again), read again when one did."""
    from simulator import trackindex
    from simulator import tracks as tracks_module
    from simulator.bundled import BUNDLED_TRACKS

    folder = tmp_path / "tracks"
    shutil.copytree(BUNDLED_TRACKS, folder)
    expected = tracks_module.load_tracks(folder).tracks
    assert trackindex.plain_tracks(folder) is None  # nothing cached yet
    assert expected and trackindex.cached_tracks(folder) == expected
    plain = trackindex.plain_tracks(folder)
    fields = ("id", "title", "summary", "seat", "pass_mark", "valid_days", "refresher_days")
    assert plain is not None and [[getattr(t, f) for f in fields] for t in plain] == [
        [getattr(t, f) for f in fields] for t in expected]
    assert [[(r.scenario, r.persona, r.label) for r in t.requires] for t in plain] == [
        [(r.scenario, r.persona, r.label) for r in t.requires] for t in expected]
    loads: list[Path] = []
    real = tracks_module.load_tracks

    def counting(where: Path | None = None, *args: Any) -> Any:
        loads.append(Path(str(where)))
        return real(where, *args)
    monkeypatch.setattr(tracks_module, "load_tracks", counting)
    assert trackindex.cached_tracks(folder) == expected and loads == []  # from the cache
    first = sorted(folder.glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace(
        "title:", "title: Renamed", 1), encoding="utf-8")
    changed = trackindex.cached_tracks(folder)
    assert loads == [folder] and changed == real(folder).tracks != expected
    assert [t.title for t in trackindex.plain_tracks(folder) or []] == [t.title for t in changed]
    trackindex.cache_file(folder).write_text("{not json", encoding="utf-8")  # damaged: rebuilt
    assert trackindex.plain_tracks(folder) is None
    assert trackindex.cached_tracks(folder) == changed and len(loads) == 2


def test_the_homes_reads_import_no_orm_nor_pydantic() -> None:
    """What the home's first read imports (Store._quick_home): neither the database layer nor
    pydantic (the certification panel's rules read plain copies of the tracks)."""
    import subprocess
    import sys

    code = ("import sys, simulator.tui.store, simulator.db.raw_home, simulator.trackindex, "
            "simulator.standing, simulator.catalog, simulator.tui.screens.home; "
            "print(sorted({m.split('.')[0] for m in sys.modules} "
            "& {'sqlalchemy', 'sqlmodel', 'pydantic', 'alembic', 'yaml'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
