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
    (call,) = db.recent_calls(engine, db.SYSTEM, "ann")
    assert (call.id, call.scenario_id, call.mode, call.outcome, call.overall, call.passed) == (
        1, "payment-double-charge", "exam", "resolved", 96, True)
    assert call.dimensions == {"empathy": 100, "resolution": 85, "escalation": 100,
                               "policy": 100}
    assert call.started == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert [(t.speaker, t.text, t.option) for t in db.call_transcript(engine, db.SYSTEM, 1)] == [
        ("customer", "Charged TWICE!", None), ("trainee", "I am sorry.", 1)]
    assert [e.reason for e in db.call_events(engine, db.SYSTEM, 1)] == ["Apologised sincerely"]
    person = db.find_person(engine, "ann")
    assert (person.display_name, person.team) == ("Ann O.", "blue")
    # what the second migration added works on the old rows
    db.save_wrapup(engine, 1, WrapUpRecord("Charged twice", "Refund", True))
    assert db.get_wrapup(engine, db.SYSTEM, 1).solution == "Refund"
    engine.dispose()


def test_migrations_downgrade_and_upgrade_again(backend_url) -> None:
    engine = db.make_engine(backend_url)
    db.get_or_create_trainee(engine, "ann")
    engine.dispose()
    _migrate(backend_url, FIRST, "downgrade")
    engine = db.make_engine(backend_url)
    assert db.current_revision(engine) == db.HEAD
    assert db.find_person(engine, "ann") is not None
    engine.dispose()


def _fill_third_version(url: str) -> tuple[str, str]:
    """People and calls as release 0003 wrote them: one call on a bundled scenario (its file's
    content hash), one on a file that is gone."""
    import hashlib

    from simulator.bundled import BUNDLED

    bundled = BUNDLED / "payment-double-charge.yaml"
    digest = hashlib.sha256(bundled.read_bytes()).hexdigest()
    started = datetime(2026, 11, 2, 9, 30)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for pid, name, role, minute in ((1, "Ann", "trainee", 1), (2, " ann ", "trainee", 2),
                                        (3, "Sue", "supervisor", 3), (4, "bob", "trainer", 0)):
            conn.execute(sa.text(
                "INSERT INTO trainees (id, name, display_name, team, role, created) "
                "VALUES (:i, :n, NULL, 'blue', :r, :t)"),
                {"i": pid, "n": name, "r": role, "t": started.replace(minute=minute)})
        for cid, digest_of_call in ((1, digest), (2, "0" * 64)):
            conn.execute(sa.text(
                "INSERT INTO calls (id, trainee_id, scenario_id, scenario_hash, persona, role, "
                "rubric_version, mode, started) VALUES (:c, 1, 'payment-double-charge', :h, "
                "'payment', 'csr', '2026.11-3', 'practice', :t)"),
                {"c": cid, "h": digest_of_call, "t": started})
    engine.dispose()
    return digest, bundled.read_text(encoding="utf-8")


def test_the_trust_migration_backfills_sources_names_and_the_first_admin(backend_url) -> None:
    _migrate(backend_url, "0003")
    digest, text = _fill_third_version(backend_url)
    engine = db.make_engine(backend_url, recover=False)
    with engine.connect() as conn:
        sources = conn.execute(sa.text(
            "SELECT hash, scenario_id, source FROM scenario_sources")).all()
        people = conn.execute(sa.text(
            "SELECT id, name, display_name, role FROM trainees ORDER BY id")).all()
    engine.dispose()
    assert [tuple(row) for row in sources] == [(digest, "payment-double-charge", text)]
    assert [tuple(row) for row in people] == [
        (1, "ann", "Ann", "trainee"), (2, "ann-2", "ann", "trainee"),
        (3, "sue", "Sue", "admin"), (4, "bob", None, "trainer")]
