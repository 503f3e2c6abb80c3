"""What counts, for free-text exams (issue 15): a free-text exam kept as `uncalibrated-exam`
(matched by an engine not calibrated for certification) is stored, reported with the reason,
and never read by certification; one matched by a calibrated engine is an ordinary exam."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from scoring.certification import Status, Track, track_status
from simulator import db
from simulator.bundled import BUNDLED
from simulator.call import play
from simulator.scenario import Scenario, load_library
from simulator.standing import NOT_COUNTED, certifying, why_not_counted

TODAY = date(2026, 12, 2)


@pytest.fixture(scope="module")
def payment() -> Scenario:
    scenario = {s.id: s for s in load_library([BUNDLED]).scenarios}["payment-double-charge"]
    return scenario


def stored_call(engine: Any, scenario: Scenario, mode: str) -> db.CallSummary:
    call_id = db.start_call(engine, "ann", scenario, mode=mode)
    result = play(scenario, [c for c in scenario.checks if c.expect.passed][0].choose)
    db.finish_call(engine, call_id, result, result.score())
    found = db.get_call(engine, db.SYSTEM, call_id)
    assert found is not None and found.passed is True
    return found


def test_an_uncalibrated_free_text_exam_is_kept_and_never_counts(tmp_path: Any,
                                                                payment: Scenario) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 't.db'}")
    library = {payment.id: payment}
    kept = stored_call(engine, payment, "uncalibrated-exam")
    counted = stored_call(engine, payment, "exam")
    assert "uncalibrated-exam" in db.MODES
    why = why_not_counted(kept, library)
    assert why == NOT_COUNTED["uncalibrated-exam"] and "not calibrated" in why
    assert why_not_counted(counted, library) is None
    # certification reads it as it reads a practice call (refreshers see it), never as an exam
    seen = certifying([kept, counted], library)
    assert [c.mode for c in seen] == ["uncalibrated-exam", "exam"]
    track = Track.model_validate({"id": "t", "title": "T", "role": str(payment.seat),
                                  "requires": [{"scenario": payment.id}], "pass_mark": 0,
                                  "valid_days": 365, "refresher_days": 300})
    assert track_status(track, [kept], TODAY).status != Status.CERTIFIED
    assert track_status(track, [counted], TODAY).status == Status.CERTIFIED


def test_a_mode_nobody_knows_is_still_refused(tmp_path: Any, payment: Scenario) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with pytest.raises(ValueError, match="unknown mode 'freetext-exam'"):
        db.start_call(engine, "ann", payment, mode="freetext-exam")
