"""Detectors on the rep's own words (issue 15, item 4): they score only where their precision
is at least 0.9, measured here again on the evaluation set and on the bundled library's own
options (held out); the others are coach notes."""

from __future__ import annotations

import tomllib
from functools import cache

import pytest
from corepaths import FIXTURES

from simulator.bundled import BUNDLED
from simulator.call import Call, Typed
from simulator.freetext import LexicalEngine, ScenarioMatcher
from simulator.freetext.detectors import (
    DETECTORS,
    SCORING_PRECISION,
    detect,
    found,
    may_score,
    scoring,
)
from simulator.freetext.evaluation import DetectorFigures, detector_figures, load_cases
from simulator.freetext.play import play_typed
from simulator.scenario import Scenario, load_library

THRESHOLDS = BUNDLED.parent / "simulator" / "freetext" / "thresholds.toml"


@cache
def scenarios() -> tuple[Scenario, ...]:
    return tuple(load_library([BUNDLED]).scenarios)


@cache
def measured() -> dict[str, DetectorFigures]:
    cases = load_cases(FIXTURES / "freetext" / "eval.yaml", scenarios())
    return {f.signal: f for f in detector_figures(cases, scenarios())}


@pytest.mark.parametrize("signal", [d.signal for d in DETECTORS])
def test_a_detector_scores_only_when_its_measured_precision_is_at_least_0_9(
        signal: str) -> None:
    f = measured()[signal]
    kept = tomllib.loads(THRESHOLDS.read_text(encoding="utf-8"))["detectors"][signal]
    assert kept["precision"] == pytest.approx(f.precision, abs=0.0005)  # the file is current
    allowed = signal in scoring()
    assert allowed == may_score(f.precision, f.library_precision)
    if allowed:
        assert f.precision >= SCORING_PRECISION and f.library_precision is not None
        assert f.library_precision >= SCORING_PRECISION
    assert f.fired >= 15  # enough replies to measure it at all


def test_at_least_one_detector_scores_and_the_rest_are_notes() -> None:
    assert "policy_refusal" in scoring()
    words = detect("I'm so sorry, but that's company policy, I don't make the rules.")
    assert words.signals == {"apology", "policy_refusal"}
    assert words.tags == ("weaponise_policy",)
    assert any("apologised" in n for n in words.notes) == ("apology" not in scoring())


@pytest.mark.parametrize(("text", "signals"), [
    ("Je suis vraiment désolée, c'est très gênant.", {"apology", "acknowledgement"}),
    ("Het spijt me, wat vervelend voor u.", {"apology", "acknowledgement"}),
    ("You should have updated your card.", {"blame"}),
    ("it'll sort itself out, don't worry", {"vague_promise"}),
    ("C'est la politique de l'entreprise.", {"policy_refusal"}),
    ("Dat is ons beleid.", {"policy_refusal"}),
    ("It's not your fault at all.", set()),
    ("Let me check the order for you.", set()),
])
def test_detectors_in_three_languages(text: str, signals: set[str]) -> None:
    assert found(text) == signals


def test_the_rep_s_words_add_a_scoring_tag_to_the_turn() -> None:
    scenario = next(s for s in scenarios() if s.id == "payment-double-charge")
    plain = Call(scenario)
    plain.choose(1)
    typed = Call(scenario)
    typed.choose(1, Typed("...", "lexical", "match", 0.5, ("weaponise_policy",)))
    assert "weaponise_policy" not in plain.turns[0].tags
    assert "weaponise_policy" in typed.turns[0].tags
    assert typed.result().score().dimensions["policy"] < plain.result().score().dimensions[
        "policy"]


def test_a_typed_call_scores_the_policy_refusal_in_the_rep_s_own_words() -> None:
    scenario = next(s for s in scenarios() if s.id == "payment-double-charge")
    matcher = ScenarioMatcher(scenario, LexicalEngine())
    said = ["I'm sorry, a charge twice is alarming, let's look at it together, the order "
            "number and amounts you see?"]
    clean, _ = play_typed(scenario, said, matcher)
    rude, matches = play_typed(scenario, [said[0] + " Company policy, though."], matcher)
    assert matches[0].best.option == 1  # the same option played
    assert rude.transcript[1].typed is not None
    assert rude.transcript[1].typed.tags == ("weaponise_policy",)
    rules = [e.rule for e in rude.score().events if e.turn == 1]
    assert len(rules) > len([e for e in clean.score().events if e.turn == 1])
