"""simulator.db.raw, the fast read path: the same viewer and filter as the ordinary path, and
Unusual (so the ordinary path answers) whenever anything is out of the ordinary."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbhelpers import ADMIN, staff

from simulator import db
from simulator.db import raw


def test_head_is_alembics_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(db.engine.MIGRATIONS))
    assert raw.HEAD == ScriptDirectory.from_config(config).get_current_head() == db.HEAD


def test_importing_raw_loads_no_orm_nor_validation() -> None:
    code = ("import sys, simulator.db.raw; print(sorted({m.split('.')[0] for m in sys.modules} "
            "& {'sqlalchemy', 'sqlmodel', 'pydantic', 'alembic', 'yaml', 'psycopg'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


@pytest.fixture
def people(backend_url: str) -> str:
    staff(backend_url, sam=("supervisor", "north"), tina=("trainee", "north"),
          tom=("trainee", "south"), trev=("trainer", "south"))
    engine = db.make_engine(backend_url)
    try:
        admin = db.sign_in(engine, ADMIN)
        db.set_person(engine, admin, "sam", supervises=["east"])
    finally:
        engine.dispose()
    return backend_url


@pytest.mark.parametrize("login,as_user", [
    (ADMIN, None), ("sam", None), ("Tina ", None), ("tom", None), ("trev", None),
    ("newcomer", None), (ADMIN, "tom"), ("sam", "tina"), ("sam", "SAM")])
def test_viewer_is_the_ordinary_paths(people: str, login: str, as_user: str | None) -> None:
    engine = db.make_engine(people)
    try:
        asker = db.sign_in(engine, login)
        expected = asker if as_user is None or db.normalise(as_user) == asker.name else \
            db.view_as(engine, asker, as_user)
        with raw.connect(people) as reader:
            got = reader.viewer(login, as_user)
            assert (got.name, got.role, got.id, got.teams) == (
                expected.name, expected.role, expected.id, expected.teams)
            # the filter in SQL keeps the same people as db.visible
            cond, params = raw.visible(got, "t")
            fast = sorted(n for (n,) in reader.rows(
                f"SELECT t.name FROM trainees t WHERE {cond}", params))
        ordinary = sorted(p.name for p in db.list_people(engine, expected))
        assert fast == ordinary
    finally:
        engine.dispose()


def test_a_trainee_reads_only_their_own_rows(people: str) -> None:
    with raw.connect(people) as reader:
        tina = reader.viewer("tina")
        cond, params = raw.visible(tina, "t")
        assert [n for (n,) in reader.rows(f"SELECT t.name FROM trainees t WHERE {cond}",
                                          params)] == ["tina"]
        sam = reader.viewer("sam")
        cond, params = raw.visible(sam, "t")
        assert sorted(n for (n,) in reader.rows(
            f"SELECT t.name FROM trainees t WHERE {cond}", params)) == ["sam", "tina"]


@pytest.mark.parametrize("login,as_user", [
    ("tom", "tina"),       # a trainee may not use --as
    ("sam", "tom"),        # not of the supervisor's teams
    (ADMIN, "nobody"),     # no such person
    (ADMIN, "  "),         # empty
    ("bad\x1bname", None),  # a name the ordinary path refuses
])
def test_refusals_are_unusual(people: str, login: str, as_user: str | None) -> None:
    with raw.connect(people) as reader, pytest.raises(raw.Unusual):
        reader.viewer(login, as_user)


def test_newcomers_refused_is_unusual(people: str) -> None:
    engine = db.make_engine(people)
    try:
        db.set_setting(engine, db.sign_in(engine, ADMIN), db.NEWCOMERS, "refuse")
    finally:
        engine.dispose()
    with raw.connect(people) as reader, pytest.raises(raw.Unusual):
        reader.viewer("stranger")


def test_empty_database_is_unusual(backend_url: str) -> None:
    db.make_engine(backend_url).dispose()  # the schema, nobody in it
    with raw.connect(backend_url) as reader, pytest.raises(raw.Unusual):
        reader.viewer("first")


def test_schema_behind_is_unusual(people: str) -> None:
    engine = sa.create_engine(people)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0007'"))
    engine.dispose()
    with pytest.raises(raw.Unusual, match="schema"):
        raw.connect(people)


def test_unsealed_records_are_unusual(people: str) -> None:
    engine = sa.create_engine(people)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM site WHERE key = 'sealed'"))
    engine.dispose()
    with pytest.raises(raw.Unusual, match="sealed"):
        raw.connect(people)


def test_a_dead_call_is_unusual(people: str, scenario: object) -> None:
    engine = db.make_engine(people)
    try:
        call_id = db.start_call(engine, "tina", scenario, "practice")  # type: ignore[arg-type]
        with raw.connect(people):
            pass  # our own process: alive
        stale = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=13)
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE calls SET touched = :t, started = :t WHERE id = :i"),
                         {"t": stale, "i": call_id})
    finally:
        engine.dispose()
    with pytest.raises(raw.Unusual, match="recover"):
        raw.connect(people)


def test_files_out_of_the_ordinary(tmp_path: Path) -> None:
    with pytest.raises(raw.Unusual):
        raw.connect(f"sqlite:///{tmp_path / 'missing.db'}")
    assert not (tmp_path / "missing.db").exists()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all, not even close" * 10)
    with pytest.raises(raw.Unusual):
        raw.connect(f"sqlite:///{junk}")
    for url in ("sqlite://", "sqlite:///:memory:", "sqlite:///x.db?mode=ro", "",
                "mysql://x/y", "postgresql://u@h/d"):
        with pytest.raises(raw.Unusual):
            raw.connect(url)


def test_damaged_file_is_unusual(sqlite_url: str) -> None:
    staff(sqlite_url)
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the first page's tree, past the header
    path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with pytest.raises(raw.Unusual):
        raw.connect(sqlite_url)


def test_a_read_only_file_is_unusual(sqlite_url: str) -> None:
    staff(sqlite_url)
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    path.chmod(0o444)
    try:
        if os.access(path, os.W_OK):
            pytest.skip("running as root: every file is writable")
        with pytest.raises(raw.Unusual, match="read-only"):
            raw.connect(sqlite_url)
    finally:
        path.chmod(0o644)


def test_the_fast_path_never_writes(sqlite_url: str) -> None:
    staff(sqlite_url)
    with raw.connect(sqlite_url) as reader, pytest.raises(raw.Unusual):
        reader.rows("DELETE FROM trainees")
    con = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    assert con.execute("SELECT count(*) FROM trainees").fetchone()[0] == 1
    con.close()


def test_pg_reader_is_read_only(pg_url: str) -> None:
    staff(pg_url)
    with raw.connect(pg_url) as reader, pytest.raises(raw.Unusual):
        reader.rows("DELETE FROM trainees")
