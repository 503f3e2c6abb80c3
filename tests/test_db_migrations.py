"""A trainees.db made by an older Hotseat upgrades in place, its data intact."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from simulator import db
from simulator.wrapup import WrapUpRecord

FIRST = "0001"


def _migrate(url: str, target: str, command: str = "upgrade") -> None:
    from alembic import command as commands
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(db.engine.MIGRATIONS))
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        getattr(commands, command)(config, target)
    engine.dispose()


def _fill_first_version(url: str) -> None:
    """Rows as Hotseat at migration 0001 wrote them (plain SQL: today's models may differ)."""
    started = datetime(2026, 3, 2, 9, 30)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO trainees (id, name, display_name, team, role, created) "
            "VALUES (1, 'ann', 'Ann O.', 'blue', 'trainee', :t)"), {"t": started})
        conn.execute(sa.text(
            "INSERT INTO calls (id, trainee_id, scenario_id, scenario_hash, persona, role, "
            "rubric_version, mode, started, ended, outcome, level, empathy, resolution, "
            "escalation, policy, overall, passed) VALUES (1, 1, 'payment-double-charge', 'abc', "
            "'payment', 'csr', '2026.11-1', 'exam', :t, :t, 'resolved', 1, 100, 85, 100, 100, "
            "96, :yes)"), {"t": started, "yes": True})
        conn.execute(sa.text(
            "INSERT INTO turns (call_id, idx, speaker, node, text, turn, option) VALUES "
            "(1, 0, 'customer', 'opening', 'Charged TWICE!', 0, NULL), "
            "(1, 1, 'trainee', 'opening', 'I am sorry.', 1, 1)"))
        conn.execute(sa.text(
            "INSERT INTO score_events (call_id, seq, turn, dimension, points, reason, rule) "
            "VALUES (1, 0, 1, 'empathy', 20, 'Apologised sincerely', 'apologise')"))
    engine.dispose()


def test_first_version_upgrades_with_data_intact(backend_url) -> None:
    _migrate(backend_url, FIRST)
    _fill_first_version(backend_url)

    engine = db.make_engine(backend_url)  # what the next release does at start
    assert db.current_revision(engine) == db.HEAD
    (call,) = db.recent_calls(engine, "ann")
    assert (call.id, call.scenario_id, call.mode, call.outcome, call.overall, call.passed) == (
        1, "payment-double-charge", "exam", "resolved", 96, True)
    assert call.dimensions == {"empathy": 100, "resolution": 85, "escalation": 100,
                               "policy": 100}
    assert call.started == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert [(t.speaker, t.text, t.option) for t in db.call_transcript(engine, 1)] == [
        ("customer", "Charged TWICE!", None), ("trainee", "I am sorry.", 1)]
    assert [e.reason for e in db.call_events(engine, 1)] == ["Apologised sincerely"]
    person = db.find_trainee(engine, "ann")
    assert (person.display_name, person.team) == ("Ann O.", "blue")
    # what the second migration added works on the old rows
    db.save_wrapup(engine, 1, WrapUpRecord("Charged twice", "Refund", True))
    assert db.get_wrapup(engine, 1).solution == "Refund"
    engine.dispose()


def test_migrations_downgrade_and_upgrade_again(backend_url) -> None:
    engine = db.make_engine(backend_url)
    db.get_or_create_trainee(engine, "ann")
    engine.dispose()
    _migrate(backend_url, FIRST, "downgrade")
    engine = db.make_engine(backend_url)
    assert db.current_revision(engine) == db.HEAD
    assert db.find_trainee(engine, "ann") is not None
    engine.dispose()
