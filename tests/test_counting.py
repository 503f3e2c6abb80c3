"""What counts for certification, and says so: exams on the library's own versions only; playtests
and scripted calls never; a translation meets its original's requirement; unfinished calls are
listed but kept out of the averages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
import time_machine
from dbhelpers import ADMIN, played, run_as, staff

from scoring.certification import Requirement, Track
from simulator import db
from simulator.bundled import BUNDLED
from simulator.scenario import Scenario, load_bytes, load_file
from simulator.standing import certifying, track_rows, why_not_counted

TEXTBOOK = ["own_it", "confirm", "cause", "ask", "resolve"]
TRACK = Track(id="pay", title="Payments", requires=[Requirement(scenario="payment-double-charge")],
              pass_mark=70, valid_days=180, refresher_days=30)
DAY = date(2026, 5, 4)


def bundled(scenario_id: str) -> Scenario:
    scenario, problems = load_file(BUNDLED / f"{scenario_id}.yaml")
    assert scenario is not None, problems
    return scenario


def edited_copy(scenario_id: str) -> Scenario:
    """The bundled file with one coach note changed: the same id, another version."""
    raw = (BUNDLED / f"{scenario_id}.yaml").read_bytes()
    scenario, problems = load_bytes(raw.replace(b"feedback: ", b"feedback: (edited) ", 1),
                                    "copy.yaml")
    assert scenario is not None, problems
    return scenario


@dataclass(frozen=True)
class C:
    scenario_id: str = "payment-double-charge"
    mode: str = "exam"
    outcome: str | None = "resolved"
    scenario_hash: str = ""
    persona: str = "payment"
    seat: str = "csr"
    passed: bool | None = True
    overall: int | None = 99
    started: datetime = datetime(2026, 5, 4, 9, tzinfo=UTC)
    dimensions: dict[str, int] = field(default_factory=dict)
    id: int | None = 1


LIBRARY = {s.id: s for s in (bundled("payment-double-charge"),
                             bundled("payment-double-charge-fr"))}
HASH = LIBRARY["payment-double-charge"].content_hash

WHY = [  # (name, call, why it does not count or None)
    ("an exam on the library's version counts", C(scenario_hash=HASH), None),
    ("practice", C(mode="practice", scenario_hash=HASH), "a practice call: only exams count"),
    ("scripted", C(mode="scripted", scenario_hash=HASH), "a scripted call"),
    ("a playtest", C(mode="playtest", scenario_hash=HASH), "a playtest"),
    ("under way", C(outcome=None, scenario_hash=HASH), "still under way"),
    ("unfinished", C(outcome="incomplete", scenario_hash=HASH), "not finished"),
    ("a file from elsewhere", C(scenario_id="my-own-case"), "not in the library"),
    ("an edited copy", C(scenario_hash="0" * 64), "an edited copy"),
]


@pytest.mark.parametrize("call,expected", [c[1:] for c in WHY], ids=[c[0] for c in WHY])
def test_why_a_call_does_not_count(call: C, expected: str | None) -> None:
    why = why_not_counted(call, LIBRARY)
    assert why is None if expected is None else (why is not None and expected in why)


def test_a_translation_meets_its_originals_requirement() -> None:
    french = LIBRARY["payment-double-charge-fr"]
    assert french.translates == "payment-double-charge"
    call = C(scenario_id=french.id, scenario_hash=french.content_hash)
    (seen,) = certifying([call], LIBRARY)
    assert seen.scenario_id == "payment-double-charge"
    (row,) = track_rows([TRACK], [call], [], list(LIBRARY.values()), DAY)
    assert row.status == "certified"


def test_an_exam_on_an_edited_copy_does_not_certify() -> None:
    (row,) = track_rows([TRACK], [C(scenario_hash="0" * 64)], [], list(LIBRARY.values()), DAY)
    assert row.status == "not_started" and row.missing == ("scenario payment-double-charge",)


def _record(url: str, scenario: Scenario, mode: str, picks: list[int | str],
            quit_early: bool = False) -> None:
    engine = db.make_engine(url)
    result = played(scenario, picks)
    call_id = db.start_call(engine, "ann", scenario, mode)
    if quit_early:
        db.abandon_call(engine, call_id, result.score(), result=result)
    else:
        db.finish_call(engine, call_id, result, result.score())
    engine.dispose()


def test_the_report_says_why_a_call_did_not_count(capsys, monkeypatch, backend_url) -> None:
    staff(backend_url, ann=("trainee", "blue"))
    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=UTC), tick=False):
        _record(backend_url, edited_copy("payment-double-charge"), "exam", TEXTBOOK)
        _record(backend_url, bundled("payment-double-charge"), "playtest", TEXTBOOK)
        _record(backend_url, bundled("payment-double-charge-nl"), "exam", TEXTBOOK[:2],
                quit_early=True)
        code, out, err = run_as(capsys, monkeypatch, ADMIN, "--db", backend_url, "report",
                                "--trainee", "ann", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    counts = [c["counts"] for c in data["calls"]]  # newest first
    assert counts[0] == "not finished"
    assert counts[1].startswith("a playtest")
    assert counts[2].startswith("played on another version of the scenario")
    (ann,) = data["trainees"]
    assert (ann["calls"], ann["incomplete"]) == (3, 1)
    edited_exam = data["calls"][2]
    assert ann["overall"] == edited_exam["overall"]  # the only finished call, not a playtest
    assert {c["status"] for c in data["certifications"]} == {"not_started"}


def test_an_exam_on_the_french_version_certifies_the_english_requirement(
        capsys, monkeypatch, sqlite_url) -> None:
    staff(sqlite_url, ann=("trainee", "blue"))
    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=UTC), tick=False):
        french = bundled("payment-double-charge-fr")
        picks = french.checks[0].choose
        _record(sqlite_url, french, "exam", list(picks))
        code, out, err = run_as(capsys, monkeypatch, ADMIN, "--db", sqlite_url, "report",
                                "--trainee", "ann", "--format", "json")
    assert code == 0, err
    rows = {c["track"]: c for c in json.loads(out)["certifications"]}
    assert "scenario payment-double-charge" not in rows["front-line"]["missing"]
    assert json.loads(out)["calls"][0]["counts"] == "yes"


def test_a_trainer_sees_each_scenarios_results_without_names(capsys, monkeypatch,
                                                            backend_url) -> None:
    staff(backend_url, ann=("trainee", "blue"), bob=("trainee", "red"), tim=("trainer", None))
    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=UTC), tick=False):
        _record(backend_url, bundled("payment-double-charge"), "exam", TEXTBOOK)
        _record(backend_url, bundled("payment-double-charge"), "practice", ["final", "honour"])
        _record(backend_url, bundled("payment-double-charge"), "playtest", TEXTBOOK)
        code, out, err = run_as(capsys, monkeypatch, "tim", "--db", backend_url, "report",
                                "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [t["trainee"] for t in data["trainees"]] == ["tim"]  # no one else's name
    assert data["calls"] == []
    (row,) = data["scenarios"]
    assert (row["scenario"], row["calls"], row["finished"], row["passed"], row["pass_rate"]) == (
        "payment-double-charge", 2, 2, 1, 50)  # the playtest is left out
    assert "ann" not in out and "bob" not in out
    code, out, err = run_as(capsys, monkeypatch, "ann", "--db", backend_url, "report",
                            "--rows", "scenarios", "--format", "json")
    assert code == 0 and json.loads(out)["scenarios"] == []  # a trainee sees no one's results
