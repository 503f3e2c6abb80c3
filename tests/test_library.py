"""The bundled library: every check plays green, and its coverage cannot quietly shrink.

The counts come from the files themselves (issue: "A scenario library worth training on").
"""

from __future__ import annotations

from collections import Counter

import pytest

from scoring import default_rubric
from simulator.bundled import BUNDLED
from simulator.call import play
from simulator.checks import run_checks
from simulator.scenario import Scenario, load_library

LIB = load_library([BUNDLED])
SCENARIOS = LIB.scenarios
IDS = [s.id for s in SCENARIOS]
FLOORS = default_rubric().floors


def best_path(s: Scenario) -> list[int | str]:
    """The scenario's textbook path: its first check that expects a pass."""
    return next(list(c.choose) for c in s.checks if c.expect.passed is True)


def test_the_library_loads_without_errors() -> None:
    assert LIB.errors == []
    assert len(SCENARIOS) == len(LIB.files)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_every_check_passes(scenario: Scenario) -> None:
    results, problems = run_checks(scenario)
    assert results and not problems, [str(p) for p in problems]


def test_size_and_personas() -> None:
    personas = Counter(s.persona for s in SCENARIOS if s.locale == "en")
    assert sum(personas.values()) >= 18
    assert all(personas[p] >= 5 for p in ("angry", "confused", "payment")), personas


def test_languages() -> None:
    locales = Counter(s.locale for s in SCENARIOS)
    assert locales["fr"] >= 3 and locales["nl"] >= 2, locales


def test_roles_and_escalation_kinds() -> None:
    roles = Counter(s.seat for s in SCENARIOS)
    assert roles["expert"] >= 2 and roles["supervisor"] >= 2, roles
    needs = Counter(s.escalation for s in SCENARIOS if s.seat == "csr")
    assert needs["expert"] >= 2 and needs["supervisor"] >= 2 and needs["none"] >= 2, needs
    # technical cases handed to an expert with a promised call-back
    expert_handoffs = [s for s in SCENARIOS if s.escalation == "expert" and any(
        o.escalate == "expert" and "set_expectation" in o.tags
        for n in s.nodes.values() for o in n.options or [])]
    assert len(expert_handoffs) >= 2
    # customers who ask for a supervisor
    assert sum(any(n.asks_supervisor for n in s.nodes.values()) for s in SCENARIOS) >= 2


def test_problems_covered() -> None:
    problems = Counter(s.problem for s in SCENARIOS)
    for kind in ("return", "service", "payment", "technical", "other"):
        assert problems[kind] >= 1, problems


@pytest.mark.parametrize(("what", "words"), [
    ("a declined card that is our own terminal's fault", ("declined", "terminal")),
    ("an overcharge where a token gift card is not enough", ("gift card",)),
])
def test_named_payment_cases(what: str, words: tuple[str, ...]) -> None:
    def text(s: Scenario) -> str:
        return " ".join(filter(None, [s.title, s.summary, s.facts.cause, s.facts.solution,
                                      s.facts.complaint])).lower()

    assert any(all(w in text(s) for w in words) for s in SCENARIOS if s.locale == "en"), what


def test_difficulty_spread_and_depth() -> None:
    assert {s.difficulty for s in SCENARIOS} == {1, 2, 3, 4, 5}
    short = [s.id for s in SCENARIOS if s.difficulty >= 3 and len(best_path(s)) < 8]
    assert short == [], "from difficulty 3 up, the best path needs at least 8 rep turns"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_every_scenario_has_the_four_kinds_of_check(scenario: Scenario) -> None:
    checks = scenario.checks
    assert any(c.expect.passed is True for c in checks), "a textbook path that passes"
    policy = [c for c in checks if c.expect.passed is False and c.expect.max
              and c.expect.max.policy is not None and c.expect.max.policy < FLOORS["policy"]]
    assert policy, "a policy-weaponising path that fails on policy"
    assert any("weaponise_policy" in t.tags for c in policy
               for t in play(scenario, list(c.choose)).facts.turns)
    assert any(c.expect.outcome == "lost" for c in checks), "a path where the customer walks out"
    # (for a supervisor, the top of the ladder: passing the customer on instead of settling it)
    assert any(c.expect.max and c.expect.max.escalation is not None
               and c.expect.max.escalation < 100 for c in checks), "a mis-timed escalation"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_every_option_teaches(scenario: Scenario) -> None:
    for name, node in scenario.nodes.items():
        for i, option in enumerate(node.options or []):
            assert option.feedback, f"{scenario.id}: {name} option {i + 1} has no feedback"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_wrong_choices_have_consequences(scenario: Scenario) -> None:
    """Some reply raises the customer's mood: a wrong choice is felt, not just marked wrong."""
    assert any(o.mood > 0 for n in scenario.nodes.values() for o in n.options or [])
    assert scenario.customer.walkout


def test_certification_tracks_are_built_on_the_library() -> None:
    import yaml

    tracks = {p.stem: yaml.safe_load(p.read_text()) for p in (BUNDLED / "tracks").glob("*.yaml")}
    assert {"front-line", "expert-handoff", "expert-desk", "supervisor"} <= set(tracks)
    for track in tracks.values():
        for item in track["requires"]:
            if "scenario" in item:
                assert item["scenario"] in IDS, item
            else:
                assert any(s.persona == item["persona"] and s.seat == track["role"]
                           for s in SCENARIOS), item
