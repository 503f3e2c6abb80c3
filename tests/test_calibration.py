"""Calibration (issue 13, item 5): the statistics against a small set worked out by hand; blind
scores kept once, by the supervisors of the call's team, before the scorer's are shown; who may
read the comparison. The database cases run on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from fractions import Fraction

import pytest
import time_machine
from dbhelpers import ADMIN, played, run_as, staff

from simulator import db
from simulator.calibration import Pair, kappa, summarise


def pair(call_id: int, sup: tuple[int, int, int, int], sup_passed: bool,
         scorer: tuple[int, int, int, int], scorer_passed: bool, **fired: str) -> Pair:
    dims = ("empathy", "resolution", "escalation", "policy")
    return Pair(call_id, dict(zip(dims, sup, strict=True)), sup_passed,
                dict(zip(dims, scorer, strict=True)), scorer_passed, fired)


# Five blind scores, (empathy, resolution, escalation, policy), pass or fail:
#            supervisor              scorer                  supervisor - scorer
# call 1: (80, 70, 100,  90) pass  (70, 85, 100, 100) pass   (+10, -15,   0, -10)
# call 2: (40, 60,  50,  60) fail  (15,100, 100,  50) fail   (+25, -40, -50, +10)
# call 3: (90, 90, 100, 100) pass  (90, 85, 100,  55) fail   (  0,  +5,   0, +45)
# call 4: (60, 50, 100, 100) fail  (60, 60, 100, 100) pass   (  0, -10,   0,   0)
# call 5: (90,100, 100, 100) pass  (90,100, 100, 100) pass   (  0,   0,   0,   0)
HAND = [
    pair(1, (80, 70, 100, 90), True, (70, 85, 100, 100), True,
         apologise="empathy", no_confirm="resolution"),
    pair(2, (40, 60, 50, 60), False, (15, 100, 100, 50), False,
         weaponise_policy="policy", mood_rise="empathy"),
    pair(3, (90, 90, 100, 100), True, (90, 85, 100, 55), False,
         no_confirm="resolution", overpromise="policy"),
    pair(4, (60, 50, 100, 100), False, (60, 60, 100, 100), True),
    pair(5, (90, 100, 100, 100), True, (90, 100, 100, 100), True, apologise="empathy"),
]


def test_the_statistics_match_the_hand_worked_set() -> None:
    result = summarise(HAND, top=3)
    # mean difference = sum / 5; mean absolute difference = sum of |d| / 5
    # empathy:    (+10 +25 +0 +0 +0) / 5 =  35/5 =  7;   (10+25) / 5          = 7
    # resolution: (-15 -40 +5 -10 +0) / 5 = -60/5 = -12;  (15+40+5+10) / 5     = 70/5 = 14
    # escalation: (0 -50 0 0 0) / 5       = -50/5 = -10;  50 / 5               = 10
    # policy:     (-10 +10 +45 +0 +0) / 5 =  45/5 =  9;   (10+10+45) / 5       = 65/5 = 13
    assert [(d.dimension, d.calls, d.mean_difference, d.mean_absolute_difference)
            for d in result.dimensions] == [
        ("empathy", 5, 7, 7), ("resolution", 5, -12, 14), ("escalation", 5, -10, 10),
        ("policy", 5, 9, 13)]
    # pass/fail (supervisor, scorer): (P,P) (F,F) (P,F) (F,P) (P,P): agree on calls 1, 2, 5
    # p_o = 3/5; the supervisor passes 3 of 5 (1, 3, 5), the scorer 3 of 5 (1, 4, 5)
    # p_e = 3/5 * 3/5 + 2/5 * 2/5 = 9/25 + 4/25 = 13/25
    # kappa = (3/5 - 13/25) / (1 - 13/25) = (2/25) / (12/25) = 1/6
    pf = result.pass_fail
    assert (pf.calls, pf.agreed, pf.agreement, pf.expected, pf.kappa) == (
        5, 3, Fraction(3, 5), Fraction(13, 25), Fraction(1, 6))
    # per rule, over the calls where it fired, the difference in its own dimension:
    # overpromise (policy): call 3 +45 -> 45; mood_rise (empathy): call 2 +25 -> 25;
    # weaponise_policy (policy): call 2 +10 -> 10; apologise (empathy): calls 1, 5: (+10 + 0)/2
    # = 5; no_confirm (resolution): calls 1, 3: (-15 + 5)/2 = -5. The largest |mean| first;
    # apologise and no_confirm tie at 5 over 2 calls each: by name.
    assert [(r.rule, r.dimension, r.calls, r.mean_difference) for r in result.rules] == [
        ("overpromise", "policy", 1, 45), ("mood_rise", "empathy", 1, 25),
        ("weaponise_policy", "policy", 1, 10), ("apologise", "empathy", 2, 5),
        ("no_confirm", "resolution", 2, -5)]
    # total |difference|: call 1: 10+15+0+10 = 35; call 2: 25+40+50+10 = 125;
    # call 3: 0+5+0+45 = 50; call 4: 10 (and pass/fail differs); call 5: 0, agreeing: not
    # listed. Top 3: calls 2, 3, 1.
    assert [(w.call_id, w.total) for w in result.worst] == [(2, 125), (3, 50), (1, 35)]
    assert result.worst[1].differences == {"empathy": 0, "resolution": 5, "escalation": 0,
                                           "policy": 45}
    assert [w.call_id for w in summarise(HAND).worst] == [2, 3, 1, 4]


KAPPA = [  # (name, (supervisor, scorer) verdicts, agreement, expected, kappa)
    ("perfect agreement on a mix", [(True, True), (False, False)], 1, Fraction(1, 2), 1),
    # p_o = 0; p_e = 1/2 * 1/2 + 1/2 * 1/2 = 1/2; kappa = (0 - 1/2) / (1/2) = -1
    ("always the opposite", [(True, False), (False, True)], 0, Fraction(1, 2), -1),
    # both pass everything: p_e = 1 * 1 + 0 * 0 = 1, kappa undefined
    ("both pass every call", [(True, True)] * 3, 1, 1, None),
    ("both fail every call", [(False, False)] * 2, 1, 1, None),
    # p_o = 2/3; the supervisor passes 3/3, the scorer 2/3: p_e = 1 * 2/3 + 0 * 1/3 = 2/3;
    # kappa = (2/3 - 2/3) / (1/3) = 0: the supervisor passing everything agrees by chance only
    ("one side passes everything", [(True, True), (True, True), (True, False)],
     Fraction(2, 3), Fraction(2, 3), 0),
    ("no calibrations", [], None, None, None),
]


@pytest.mark.parametrize("verdicts,agreement,expected,value", [c[1:] for c in KAPPA],
                         ids=[c[0] for c in KAPPA])
def test_cohens_kappa(verdicts, agreement, expected, value) -> None:
    result = kappa(verdicts)
    assert (result.agreement, result.expected, result.kappa) == (agreement, expected, value)


# -- blind scores in the database ---------------------------------------------------------------

SCORES = {"empathy": 80, "resolution": 70, "escalation": 100, "policy": 90}


@pytest.fixture
def site(backend_url, scenario):
    """Team blue: ann (trainee), sue (supervisor); team red: rex (trainee), max (supervisor).
    Calls: 1 ann's passed exam, 2 ann's failed exam, 3 rex's passed exam, 4 ann's unfinished."""
    staff(backend_url, ann=("trainee", "blue"), sue=("supervisor", "blue"),
          rex=("trainee", "red"), max=("supervisor", "red"))
    engine = db.make_engine(backend_url)
    with time_machine.travel(datetime(2026, 5, 4, 9, tzinfo=UTC), tick=False):
        for who, picks in (("ann", [1, 1, 1, 1]), ("ann", [2, 1]), ("rex", [1, 1, 1, 1])):
            result = played(scenario, picks)
            db.finish_call(engine, db.start_call(engine, who, scenario, "exam"), result,
                           result.score())
        db.abandon_call(engine, db.start_call(engine, "ann", scenario, "exam"))
    yield engine
    engine.dispose()


def test_a_blind_score_is_kept_once_and_compared_with_the_scorers(site) -> None:
    sue = db.sign_in(site, "sue")
    got = db.calibrate(site, sue, 2, {**SCORES, "empathy": 30}, False)
    call = db.get_call(site, db.SYSTEM, 2)
    assert (got.scorer, got.scorer_passed) == (call.dimensions, False)
    assert got.supervisor["empathy"] == 30 and got.supervisor_passed is False
    assert set(got.fired) >= {"weaponise_policy"} and got.fired["weaponise_policy"] == "policy"
    with pytest.raises(db.Refused, match="sue calibrated call 2 on 2026-"):
        db.calibrate(site, sue, 2, SCORES, True)
    (stored,) = db.calibration_pairs(site, sue)
    assert stored == got
    assert db.verify(site)[0] == []


REFUSED = [  # (name, who, call, error, words)
    ("a trainee", "ann", 1, db.Refused, "only a supervisor"),
    ("another team's supervisor", "max", 1, db.Refused, "no call 1 among the calls max"),
    ("an unfinished call", "sue", 4, db.Refused, "not finished (incomplete)"),
    ("a call the supervisor has reviewed", "sue", 1, db.Refused, "must be blind"),
]


@pytest.mark.parametrize("who,call,error,words", [c[1:] for c in REFUSED],
                         ids=[c[0] for c in REFUSED])
def test_a_calibration_that_is_refused_writes_nothing(site, who, call, error, words) -> None:
    db.add_comment(site, db.sign_in(site, "sue"), 1, "Seen it")
    with pytest.raises(error, match=re.escape(words)):
        db.calibrate(site, db.sign_in(site, who), call, SCORES, True)
    assert db.calibration_pairs(site, db.SYSTEM) == []


BAD_SCORES = [  # (name, scores, words)
    ("a dimension missing", {k: v for k, v in SCORES.items() if k != "policy"},
     "no score for policy"),
    ("above 100", {**SCORES, "empathy": 101}, "empathy: 101 is not a score"),
    ("not a whole number", {**SCORES, "resolution": 7.5}, "resolution: 7.5 is not a score"),
    ("an unknown dimension", {**SCORES, "charm": 50}, "unknown dimension 'charm'"),
]


@pytest.mark.parametrize("scores,words", [c[1:] for c in BAD_SCORES],
                         ids=[c[0] for c in BAD_SCORES])
def test_scores_out_of_range_are_refused(site, scores, words) -> None:
    with pytest.raises(db.BadCalibration, match=words):
        db.calibrate(site, db.sign_in(site, "sue"), 2, scores, True)


def test_who_reads_the_calibration(site) -> None:
    db.calibrate(site, db.sign_in(site, "sue"), 2, SCORES, True)
    db.calibrate(site, db.sign_in(site, "max"), 3, SCORES, True)
    db.calibrate(site, db.sign_in(site, ADMIN), 2, SCORES, False)
    assert sorted(p.call_id for p in db.calibration_pairs(site, db.sign_in(site, "sue"))) == \
        [2, 2]
    assert [p.call_id for p in db.calibration_pairs(site, db.sign_in(site, "max"))] == [3]
    assert len(db.calibration_pairs(site, db.sign_in(site, ADMIN))) == 3
    assert [p.call_id for p in db.calibration_pairs(site, db.sign_in(site, ADMIN),
                                                    team="red")] == [3]
    with pytest.raises(db.Refused, match="calibration is read by supervisors"):
        db.calibration_pairs(site, db.sign_in(site, "ann"))


def test_calibrate_shows_the_transcript_without_scores_before_asking(
        capsys, monkeypatch, site, backend_url) -> None:
    events = db.call_events(site, db.SYSTEM, 2)
    asked: list[str] = []

    class Answers(io.StringIO):
        """Standard input that notes what had been printed when each answer was read."""

        def readline(self, *args) -> str:  # type: ignore[override]
            asked.append(capsys.readouterr().out)
            return super().readline(*args)

    monkeypatch.setattr("sys.stdin", Answers("35\n90\n100\n45\nfail\n"))
    code, out, err = run_as(capsys, monkeypatch, "sue", "--db", backend_url, "calibrate", "2")
    assert code == 0, err
    shown = asked[0]
    assert "All card charges are final" in shown  # the rep's words, to judge
    for secret in ("66", "failed", "overall", *(e.rule for e in events),
                   *(e.reason for e in events)):
        assert secret not in shown, secret
    assert re.search(r"empathy\s+35\s+15\s+\+20", out)  # the scorer's only after
    assert re.search(r"pass/fail\s+failed\s+failed\s+agree", out)


def test_calibrate_with_options_and_the_calibration_report(capsys, monkeypatch, site,
                                                          backend_url) -> None:
    def run(who: str, *argv: str) -> tuple[int, str, str]:
        return run_as(capsys, monkeypatch, who, "--db", backend_url, *argv)

    code, _, err = run("sue", "calibrate", "2", "--empathy", "35", "--resolution", "90",
                       "--escalation", "100", "--policy", "45", "--fail")
    assert code == 0, err
    code, _, err = run("sue", "calibrate", "2", "--empathy", "1", "--resolution", "1",
                       "--escalation", "1", "--policy", "1", "--pass")
    assert code == 2 and "a calibration is given once, blind" in err
    code, out, err = run("sue", "calibration", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    call = db.get_call(site, db.SYSTEM, 2).dimensions
    empathy = next(d for d in data["dimensions"] if d["dimension"] == "empathy")
    assert (empathy["calls"], empathy["mean_difference"]) == (1, 35.0 - call["empathy"])
    pass_fail = data["dimensions"][-1]
    assert (pass_fail["agreement"], pass_fail["kappa"]) == (1.0, None)  # both failed it
    assert data["kappa_note"].startswith("undefined")
    code, out, err = run("sue", "calibration")
    assert code == 0 and "Cohen's kappa undefined" in out
    code, out, err = run("sue", "calibration", "--format", "csv", "--rows", "rules")
    assert out.splitlines()[0] == '"rule","dimension","calls","mean_difference"'
    code, out, err = run("ann", "calibration")
    assert code == 2 and "calibration is read by supervisors" in err
