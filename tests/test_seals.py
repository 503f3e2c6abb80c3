"""Tamper evidence: `hotseat verify` finds a score edited with sqlite3 and a certificate made by
hand, and passes on an untouched database."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from dbhelpers import ADMIN, played, run_as, staff

from simulator import db
from simulator.db import seal


def _database(url: str, scenario, tmp_path: Path) -> None:
    """ann passes two exams (a certificate on a one-scenario track) and quits a practice call."""
    staff(url, ann=("trainee", "blue"))
    engine = db.make_engine(url)
    from scoring.certification import Requirement, Track

    track = Track(id="pay", title="Pay", requires=[Requirement(scenario=scenario.id)],
                  pass_mark=70, valid_days=180, refresher_days=30)
    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=UTC), tick=False):
        for picks in ([1, 1, 1, 1, 1], [1, 1, 1, 1, 1]):
            result = played(scenario, picks)
            db.finish_call(engine, db.start_call(engine, "ann", scenario, "exam"), result,
                           result.score())
        db.abandon_call(engine, db.start_call(engine, "ann", scenario, "practice"))
        assert db.record_certificates(engine, "ann", [track], [scenario])
    engine.dispose()


def _verify(capsys, monkeypatch, url: str) -> tuple[int, str]:
    code, out, err = run_as(capsys, monkeypatch, ADMIN, "--db", url, "verify")
    assert "Traceback" not in err
    return code, out


@pytest.fixture
def bundled_double_charge():
    from simulator.bundled import BUNDLED
    from simulator.scenario import load_file

    scenario, problems = load_file(BUNDLED / "payment-double-charge.yaml")
    assert scenario is not None, problems
    return scenario


def test_an_untouched_database_verifies(capsys, monkeypatch, backend_url,
                                        bundled_double_charge, tmp_path) -> None:
    _database(backend_url, bundled_double_charge, tmp_path)
    code, out = _verify(capsys, monkeypatch, backend_url)
    assert (code, out.splitlines()[-1]) == (0, "4 records checked: every seal holds")


def test_a_score_edited_with_sqlite3_is_flagged(capsys, monkeypatch, sqlite_url,
                                               bundled_double_charge, tmp_path) -> None:
    _database(sqlite_url, bundled_double_charge, tmp_path)
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE calls SET overall = 100, empathy = 100 WHERE id = 3")
    code, out = _verify(capsys, monkeypatch, sqlite_url)
    assert code == 1
    assert out.splitlines() == [
        "call 3: its scorecard does not match its seal: it was changed outside Hotseat",
        "4 records checked, 1 with a seal that does not hold"]


def test_an_event_edited_is_flagged(capsys, monkeypatch, sqlite_url, bundled_double_charge,
                                    tmp_path) -> None:
    _database(sqlite_url, bundled_double_charge, tmp_path)
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE score_events SET points = points + 5 WHERE call_id = 1 AND seq = 0")
    code, out = _verify(capsys, monkeypatch, sqlite_url)
    assert code == 1 and out.startswith("call 1: its scorecard does not match its seal")


def test_a_certificate_made_by_hand_is_flagged(capsys, monkeypatch, backend_url,
                                               bundled_double_charge, tmp_path) -> None:
    _database(backend_url, bundled_double_charge, tmp_path)
    engine = db.make_engine(backend_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO certificates (trainee_id, track_id, earned_on, valid_until, "
            "refresher_due_on, call_id, recorded) SELECT id, 'expert-handoff', '2026-05-05', "
            "'2026-11-01', '2026-10-02', NULL, '2026-05-05 10:00:00' FROM trainees "
            "WHERE name = 'ann'")
    engine.dispose()
    code, out = _verify(capsys, monkeypatch, backend_url)
    assert code == 1
    assert out.splitlines()[0].startswith("certificate 2: expert-handoff earned on 2026-05-05 "
                                          "has no seal")
    engine = db.make_engine(backend_url)  # and it never shows as earned
    assert [c.track_id for c in db.stored_certificates(engine, db.SYSTEM, "ann")] == ["pay"]
    engine.dispose()


def test_the_records_of_an_earlier_release_are_sealed_once(capsys, monkeypatch, sqlite_url,
                                                           bundled_double_charge,
                                                           tmp_path) -> None:
    _database(sqlite_url, bundled_double_charge, tmp_path)
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:  # as release 0003 left them, before seals
        conn.execute("UPDATE calls SET seal = NULL")
        conn.execute("UPDATE certificates SET seal = NULL")
        conn.execute("DELETE FROM site WHERE key = 'sealed'")
    code, out = _verify(capsys, monkeypatch, sqlite_url)  # opening it seals them, once
    assert (code, out.splitlines()[-1]) == (0, "4 records checked: every seal holds")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE calls SET seal = NULL WHERE id = 2")
    code, out = _verify(capsys, monkeypatch, sqlite_url)  # never again: now it is a finding
    assert code == 1 and out.startswith("call 2: has no seal")


def test_the_key_is_made_private_and_refused_when_others_may_read_it(tmp_path, monkeypatch):
    key = tmp_path / "keys" / "seal.key"
    monkeypatch.setenv(seal.KEY_ENV, str(key))
    seal._cache.clear()
    assert len(seal.site_key()) == 32
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    seal._cache.clear()
    key.chmod(0o644)
    with pytest.raises(db.DatabaseError, match="may be read by others"):
        seal.site_key()
    seal._cache.clear()


def test_verify_on_the_command_line_of_a_new_database(capsys, monkeypatch, sqlite_url) -> None:
    code, out = _verify(capsys, monkeypatch, sqlite_url)
    assert (code, out) == (0, "0 records checked: every seal holds\n")
    assert Path(sqlite_url.removeprefix("sqlite:///")).exists()


def test_a_trainee_may_not_run_verify(capsys, monkeypatch, sqlite_url) -> None:
    staff(sqlite_url, ann=("trainee", "blue"))
    code, _, err = run_as(capsys, monkeypatch, "ann", "--db", sqlite_url, "verify")
    assert code == 2 and "only an admin or a supervisor" in err


def test_a_new_rubric_is_adopted_beside_the_stored_score_never_in_place(
        capsys, monkeypatch, sqlite_url, bundled_double_charge, tmp_path) -> None:
    from scoring.rubric import default_rubric

    _database(sqlite_url, bundled_double_charge, tmp_path)
    engine = db.make_engine(sqlite_url)
    rubric = default_rubric()
    newer = rubric.model_copy(update={"version": "2027.01-1",
                                      "points": {**rubric.points, "apologise": 10}})
    results, _ = db.rescore_calls(engine, lambda sid: None, rubric=newer)
    admin = db.sign_in(engine, ADMIN)
    with pytest.raises(db.Refused, match="only an admin adopts"):
        db.adopt_scorecards(engine, db.sign_in(engine, "ann"), results)
    assert db.adopt_scorecards(engine, admin, results) == 2  # the two exams changed
    before = [(c.id, c.overall, c.rubric_version) for c in db.calls_of(engine, db.SYSTEM)]
    engine.dispose()
    code, out = _verify(capsys, monkeypatch, sqlite_url)
    assert (code, out.splitlines()[-1]) == (0, "6 records checked: every seal holds")
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT call_id, rubric_version, made_by FROM scorecards").fetchall()
        assert rows == [(1, "2027.01-1", ADMIN), (2, "2027.01-1", ADMIN)]
        conn.execute("UPDATE scorecards SET overall = 100 WHERE call_id = 2")
    engine = db.make_engine(sqlite_url)
    assert [(c.id, c.overall, c.rubric_version)
            for c in db.calls_of(engine, db.SYSTEM)] == before  # the stored scores are as shown
    engine.dispose()
    code, out = _verify(capsys, monkeypatch, sqlite_url)
    assert code == 1 and out.startswith("scorecard 2: of call 2 does not match its seal")


def test_rescore_says_a_score_was_edited_not_that_the_scorer_changed(
        capsys, monkeypatch, sqlite_url, bundled_double_charge, tmp_path) -> None:
    _database(sqlite_url, bundled_double_charge, tmp_path)
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE calls SET overall = 100 WHERE id = 1")
    code, out, _ = run_as(capsys, monkeypatch, ADMIN, "--db", sqlite_url, "rescore")
    assert code == 1
    assert "overall 100 -> " in out and "the stored score does not match its seal" in out
    assert "the scorer did" not in out


def test_a_password_hash_set_by_hand_is_flagged(capsys, monkeypatch, backend_url,
                                                bundled_double_charge, tmp_path) -> None:
    """A served Hotseat's password rows are sealed: verify checks them with the rest, and names
    the person whose hash was swapped outside Hotseat (login refuses it too)."""
    from simulator.db.passwords import hash_password, set_password

    _database(backend_url, bundled_double_charge, tmp_path)
    engine = db.make_engine(backend_url)
    set_password(engine, db.sign_in(engine, ADMIN), "ann", "correct horse battery")
    engine.dispose()
    code, out = _verify(capsys, monkeypatch, backend_url)
    assert (code, out.splitlines()[-1]) == (0, "5 records checked: every seal holds")
    engine = db.make_engine(backend_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE passwords SET hash = %s" if "postgres" in backend_url
                             else "UPDATE passwords SET hash = ?",
                             (hash_password("an attacker's choice"),))
    engine.dispose()
    code, out = _verify(capsys, monkeypatch, backend_url)
    assert code == 1
    assert out.splitlines()[0].startswith("password ") and "of ann does not match its seal" in out
