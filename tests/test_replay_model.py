"""The replay's model (simulator.replay) and the queries the replay and calibration screens read:
a call's scenario file (reviews.call_source), the calls a supervisor may score blind and a call's
blind header (calibrations.calibration_candidates, blind_call). The queries on SQLite and
PostgreSQL, filtered by who is asking in SQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from dbhelpers import ADMIN, played, staff

from scoring import ScoreEvent
from simulator import db
from simulator.bundled import BUNDLED
from simulator.call import Line
from simulator.db.calibrations import blind_call, calibration_candidates
from simulator.db.reviews import call_source
from simulator.replay import replay
from simulator.scenario import Scenario, load_file

PASSING = ["own_it", "confirm", "cause", "ask", "resolve"]
FAILING = [1, 1, 1, 2, 1]
"""Resolved but failed: an overpromise on turn 4 (the bundled payment-double-charge)."""
DAY = datetime(2026, 5, 4, 9, tzinfo=UTC)


@pytest.fixture
def double_charge() -> Scenario:
    scenario, problems = load_file(BUNDLED / "payment-double-charge.yaml")
    assert scenario is not None, problems
    return scenario


# -- the model ------------------------------------------------------------------------------

def test_each_turn_has_its_events_state_and_the_best_path(double_charge: Scenario) -> None:
    result = played(double_charge, FAILING)
    card = result.score()
    model = replay(result.transcript, card.events, double_charge)
    assert model.missing is None and model.has_best and model.unplaced == ()
    assert [t.turn for t in model.turns] == [0, 1, 2, 3, 4, 5]
    opening = model.turns[0]
    assert opening.said is None
    assert opening.customer == (double_charge.nodes[double_charge.start].customer,)
    assert (opening.mood, opening.level) == (double_charge.customer.mood, 1)
    # every event sits on the turn that caused it, in the scorecard's order
    assert [e for t in model.turns for e in t.events] == list(card.events)
    assert all(e.turn == t.turn for t in model.turns for e in t.events)
    assert {e.rule for e in model.turns[4].events} == {"overpromise", "no_idea"}
    # the step, mood and level after each reply are the call's own
    assert [(t.step, t.mood, t.level) for t in model.turns[1:]] == [
        (f.step, f.mood_after, int(f.level_after)) for f in result.facts.turns]
    # the best path beside each reply: the same until turn 4, where the rep overpromised (and
    # turn 5 answers another node than the best path's)
    assert [t.same_as_best for t in model.turns[1:]] == [True, True, True, False, False]
    assert model.turns[4].best is not None and model.turns[4].said is not None
    assert model.turns[4].best != model.turns[4].said.text
    assert model.turns[1].customer == (result.transcript[2].text,)


def test_a_passing_call_follows_the_best_path(double_charge: Scenario) -> None:
    result = played(double_charge, PASSING)
    model = replay(result.transcript, result.score().events, double_charge)
    replies = [t for t in model.turns if t.said is not None]
    assert len(replies) == 5 and all(t.same_as_best for t in replies)
    assert [t.step for t in replies] == [f.step for f in result.facts.turns]
    assert replies[-1].mood == result.mood_end


def test_without_the_scenario_the_turns_are_kept_and_the_reason_said(
        double_charge: Scenario) -> None:
    result = played(double_charge, FAILING)
    events = result.score().events
    model = replay(result.transcript, events, None)
    assert model.missing == "the scenario file this call was played on is not available"
    assert not model.has_best
    assert [t.turn for t in model.turns] == [0, 1, 2, 3, 4, 5]
    assert all(t.mood is None and t.level is None and t.step is None for t in model.turns)
    assert [e for t in model.turns for e in t.events] == list(events)


def test_picks_that_no_longer_fit_are_said(double_charge: Scenario) -> None:
    lines = [Line("customer", "start", "hi"), Line("trainee", "start", "?", 1, 99)]
    model = replay(lines, [ScoreEvent(7, "empathy", -5, "late", "x")], double_charge)
    assert model.missing is not None and "do not fit the scenario file" in model.missing
    assert model.turns[1].mood is None
    assert [e.turn for e in model.unplaced] == [7]  # an event on no stored turn is not lost


# -- the queries ----------------------------------------------------------------------------

@pytest.fixture
def site(backend_url: str, double_charge: Scenario):
    """Team blue: ann (trainee), sue (supervisor), sam (another supervisor of blue); team red:
    rex. Calls: 1 ann's passed exam, 2 ann's failed exam, 3 rex's passed exam, 4 sam's own
    exam, 5 ann's exam left unfinished."""
    staff(backend_url, ann=("trainee", "blue"), sue=("supervisor", "blue"),
          sam=("supervisor", "blue"), rex=("trainee", "red"))
    engine = db.make_engine(backend_url)
    with time_machine.travel(DAY, tick=False):
        for who, picks in (("ann", PASSING), ("ann", FAILING), ("rex", PASSING),
                           ("sam", PASSING)):
            result = played(double_charge, picks)
            call_id = db.start_call(engine, who, double_charge, "exam")
            db.finish_call(engine, call_id, result, result.score())
        db.abandon_call(engine, db.start_call(engine, "ann", double_charge, "exam"))
    yield engine
    engine.dispose()


def test_the_scenario_file_of_a_call_only_for_who_may_see_it(site, double_charge) -> None:
    for who, call_id, seen in (("ann", 1, True), ("sue", 2, True), (ADMIN, 3, True),
                               ("ann", 3, False), ("sue", 3, False), ("rex", 1, False)):
        source = call_source(site, db.sign_in(site, who), call_id)
        assert (source == double_charge.source) is seen, (who, call_id)
        assert seen or source is None


def test_the_calls_to_score_blind(site) -> None:
    sue = db.sign_in(site, "sue")
    listed = calibration_candidates(site, sue)
    # finished and scored, her team's trainees only: not rex's (red), not sam's (staff), not
    # the unfinished one; newest first
    assert [c.call_id for c in listed] == [2, 1]
    assert listed[0].trainee == "ann" and listed[0].started == DAY
    assert not hasattr(listed[0], "overall") and not hasattr(listed[0], "passed")
    db.add_comment(site, sue, 2, "seen")
    db.calibrate(site, sue, 1, {"empathy": 90, "resolution": 90, "escalation": 100,
                                "policy": 100}, True)
    assert calibration_candidates(site, sue) == []  # reviewed, and calibrated: both gone
    assert [c.call_id for c in calibration_candidates(site, db.sign_in(site, "sam"))] == [2, 1]
    admin = db.sign_in(site, ADMIN)
    assert [c.call_id for c in calibration_candidates(site, admin)] == [4, 3, 2, 1]
    assert [c.call_id for c in calibration_candidates(site, admin, team="red")] == [3]
    with pytest.raises(db.Refused, match="ann is a trainee: only a supervisor"):
        calibration_candidates(site, db.sign_in(site, "ann"))


def test_the_blind_header_is_refused_as_a_calibration_would_be(site) -> None:
    sue = db.sign_in(site, "sue")
    call = blind_call(site, sue, 1)
    assert (call.call_id, call.trainee, call.scenario_id, call.mode) == (
        1, "ann", "payment-double-charge", "exam")
    for who, call_id, words in (("sue", 3, "no call 3 among the calls sue may see"),
                                ("sue", 5, "not finished"), ("ann", 1, "ann is a trainee"),
                                ("sam", 4, "nobody calibrates their own call")):
        with pytest.raises(db.Refused, match=words):
            blind_call(site, db.sign_in(site, who), call_id)
