"""trainees.db: the API the TUI and the commands use, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, timedelta

import pytest
import sqlalchemy as sa
from dbhelpers import played
from sqlmodel import Session

from simulator import db
from simulator.call import Call as LiveCall
from simulator.db.tables import Call, Turn, utcnow
from simulator.wrapup import WrapUpRecord


def test_head_is_the_newest_migration() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(db.engine.MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == db.HEAD


def test_schema_is_at_head_and_matches_the_models(engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    assert db.current_revision(engine) == db.HEAD
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                db.tables.metadata)
    assert diff == []


def test_a_call_turn_by_turn(engine, scenario) -> None:
    result = played(scenario, [1, 1, 1, 1])
    card = result.score()
    call_id = db.start_call(engine, "ann", scenario, "exam")
    for idx, line in enumerate(result.transcript):
        db.record_line(engine, call_id, line, idx)
    db.finish_call(engine, call_id, result, card)

    assert db.call_transcript(engine, db.SYSTEM, call_id) == result.transcript
    (summary,) = db.recent_calls(engine, db.SYSTEM, "ann")
    assert (summary.id, summary.scenario_id, summary.mode, summary.outcome) == (
        call_id, scenario.id, "exam", "resolved")
    assert (summary.overall, summary.passed, summary.dimensions) == (
        card.overall, card.passed, card.dimensions)
    assert summary.scenario_hash == scenario.content_hash and summary.rubric_version == card.rubric
    assert summary.started.tzinfo is not None and summary.started.utcoffset() == timedelta(0)
    assert summary.ended is not None and summary.ended >= summary.started
    assert db.call_events(engine, db.SYSTEM, call_id) == list(card.events)


def test_finish_call_stores_the_lines_not_recorded_yet(engine, scenario) -> None:
    result = played(scenario, [1, 1, 1, 1])
    call_id = db.start_call(engine, "ann", scenario)
    db.record_line(engine, call_id, result.transcript[0], 0)
    db.finish_call(engine, call_id, result, result.score())
    assert db.call_transcript(engine, db.SYSTEM, call_id) == result.transcript


def test_an_ended_call_takes_no_more_writes(engine, scenario) -> None:
    result = played(scenario, [1, 1, 1, 1])
    call_id = db.start_call(engine, "ann", scenario)
    db.finish_call(engine, call_id, result, result.score())
    with pytest.raises(ValueError, match="already ended"):
        db.record_line(engine, call_id, result.transcript[0], 0)
    with pytest.raises(ValueError, match="already ended"):
        db.finish_call(engine, call_id, result, result.score())
    with pytest.raises(ValueError, match="no call"):
        db.record_line(engine, call_id + 100, result.transcript[0], 0)


def test_newest_first_and_limit(engine, scenario) -> None:
    ids = [db.start_call(engine, "ann", scenario) for _ in range(4)]
    db.start_call(engine, "bob", scenario)
    assert [c.id for c in db.recent_calls(engine, db.SYSTEM, "ann", limit=3)] == ids[::-1][:3]
    assert db.recent_calls(engine, db.SYSTEM, "nobody") == []


def test_abandoned_call_is_incomplete_and_failed(engine, scenario) -> None:
    call_id = db.start_call(engine, "ann", scenario)
    db.abandon_call(engine, call_id)
    (summary,) = db.recent_calls(engine, db.SYSTEM, "ann")
    assert (summary.outcome, summary.passed, summary.overall, summary.dimensions) == (
        "incomplete", False, None, {})


def test_abandoned_call_with_its_card_keeps_the_scores(engine, scenario) -> None:
    live = LiveCall(scenario)
    live.choose(1)
    live.quit()
    result = live.result()
    card = result.score()
    call_id = db.start_call(engine, "ann", scenario, "practice")
    db.abandon_call(engine, call_id, card, result=result)
    (summary,) = db.recent_calls(engine, db.SYSTEM, "ann")
    assert (summary.outcome, summary.passed, summary.overall, summary.level) == (
        "incomplete", False, card.overall, result.level)
    assert db.call_transcript(engine, db.SYSTEM, call_id) == result.transcript


def test_unknown_mode_and_role_are_refused(engine, scenario) -> None:
    with pytest.raises(ValueError, match="mode"):
        db.start_call(engine, "ann", scenario, "homework")
    with pytest.raises(ValueError, match="role"):
        db.get_or_create_trainee(engine, "ann", role="boss")


def test_get_or_create_never_changes_a_role(engine) -> None:
    created = db.get_or_create_trainee(engine, "sam", team="red", role="supervisor")
    again = db.get_or_create_trainee(engine, "sam", display_name="Sam K.")
    assert created.id == again.id
    assert (again.role, again.team, again.display_name) == ("supervisor", "red", "Sam K.")
    assert db.set_role(engine, "sam", "trainer").role == "trainer"


def test_wrapup_saved_and_replaced(engine, scenario) -> None:
    call_id = db.start_call(engine, "ann", scenario)
    first = WrapUpRecord("Charged twice", "Refund", False, promised_for="2026-12-01",
                            follow_up="2026-12-03", compensation="$5 credit",
                            prevention="Fix the terminal timeout", documentation=80)
    db.save_wrapup(engine, call_id, first)
    assert db.get_wrapup(engine, db.SYSTEM, call_id) == first
    second = WrapUpRecord("Charged twice", "Refund at once", True, documentation=90)
    db.save_wrapup(engine, call_id, second)
    assert db.get_wrapup(engine, db.SYSTEM, call_id) == second
    with pytest.raises(ValueError, match="0 to 100"):
        db.save_wrapup(engine, call_id, WrapUpRecord("a", "b", True, documentation=101))
    with pytest.raises(ValueError, match="no call"):
        db.save_wrapup(engine, call_id + 1, first)


def test_recover_interrupted_leaves_live_calls_alone(engine, scenario) -> None:
    mine = db.start_call(engine, "ann", scenario)
    dead = db.start_call(engine, "ann", scenario)
    stale = db.start_call(engine, "ann", scenario)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    long_ago = utcnow() - db.STALE_AFTER - timedelta(minutes=1)
    with db.writing(engine) as session:
        session.get(Call, dead).pid = int(gone.stdout)  # a process that has exited
        other = session.get(Call, stale)
        other.host, other.touched = "another-host", long_ago
    assert db.recover_interrupted(engine) == 2
    outcomes = {c.id: c.outcome for c in db.recent_calls(engine, db.SYSTEM, "ann")}
    assert outcomes == {mine: None, dead: "incomplete", stale: "incomplete"}
    assert db.recover_interrupted(engine) == 0


def test_foreign_keys_are_enforced(engine) -> None:
    with pytest.raises(sa.exc.IntegrityError), db.writing(engine) as session:
        session.add(Turn(call_id=999, idx=0, speaker="customer", node="x", text="hi"))


def test_newer_database_is_refused(engine, backend_url) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(db.DatabaseError, match="newer Hotseat"):
        db.make_engine(backend_url)


def test_sqlite_connection_settings(sqlite_url) -> None:
    eng = db.make_engine(sqlite_url)
    with eng.connect() as conn:
        values = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                  for name in ("journal_mode", "foreign_keys", "busy_timeout")}
    assert values == {"journal_mode": "wal", "foreign_keys": 1,
                      "busy_timeout": db.engine.BUSY_TIMEOUT_MS}
    eng.dispose()


def test_sqlite_writes_begin_immediate(sqlite_url) -> None:
    eng = db.make_engine(sqlite_url)
    seen: list[str] = []
    sa.event.listen(eng, "before_cursor_execute",
                    lambda conn, cursor, statement, *rest: seen.append(statement))
    db.get_or_create_trainee(eng, "ann")
    db.recent_calls(eng, db.SYSTEM, "ann")
    assert [s for s in seen if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN"]
    eng.dispose()


def test_in_memory_sqlite_works() -> None:
    eng = db.make_engine("sqlite://")
    assert db.get_or_create_trainee(eng, "ann").name == "ann"
    assert db.current_revision(eng) == db.HEAD


@pytest.mark.parametrize("cli, env, expected", [
    ("sqlite:///a.db", "sqlite:///b.db", "sqlite:///a.db"),
    (None, "sqlite:///b.db", "sqlite:///b.db"),
    (None, None, "sqlite:///trainees.db"),
], ids=["--db wins", "then $HOTSEAT_DB", "then trainees.db here"])
def test_resolve_url(monkeypatch, cli, env, expected) -> None:
    if env is None:
        monkeypatch.delenv("HOTSEAT_DB", raising=False)
    else:
        monkeypatch.setenv("HOTSEAT_DB", env)
    assert db.resolve_url(cli) == expected


@pytest.mark.parametrize("url, message", [
    ("not a url", "not a database URL"),
    ("sqlite:////no/such/folder/x.db", "cannot open"),
], ids=["garbage", "missing folder"])
def test_bad_url_is_a_user_error(url, message) -> None:
    with pytest.raises(db.DatabaseError, match=message):
        db.make_engine(url)


def test_naive_times_are_refused(engine) -> None:
    from datetime import datetime

    with pytest.raises(sa.exc.StatementError), Session(engine) as session:
        session.add(db.Trainee(name="x", created=datetime(2026, 1, 1)))
        session.commit()
    assert utcnow().tzinfo is UTC
