"""Damage never pays (issue 11, "Done when"): over the bundled library's played paths, adding a
damaging tag (`dismiss`, `blame`, `argue`, `interrupt`, `weaponise_policy`) or a mood rise to any
reply never raises any dimension nor the overall.

The variants are built in memory: the option a path picked gets the tag or the rise
(`model_copy(update=...)`), and the same picks are played again with simulator.call.play.
A rise that takes the customer to their breaking point ends the call earlier, on another path:
there the property is that the call is lost and fails (a shorter call cannot be compared turn
for turn with the longer one).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import DIMENSIONS, Scorecard
from scoring.rubric import DAMAGE, RULES
from simulator.bundled import BUNDLED
from simulator.call import Call, CallResult, PickError, play
from simulator.scenario import Scenario, load_library

SCENARIOS = load_library([BUNDLED]).scenarios
DAMAGING = sorted(DAMAGE)
MAX_TURNS = 25


def with_option(scenario: Scenario, node: str, index: int, **update: object) -> Scenario:
    """The scenario with one option of one node changed."""
    options = list(scenario.nodes[node].options or [])
    options[index] = options[index].model_copy(update=update)
    nodes = {**scenario.nodes, node: scenario.nodes[node].model_copy(update={"options": options})}
    return scenario.model_copy(update={"nodes": nodes})


@st.composite
def played_paths(draw: st.DrawFn) -> tuple[Scenario, list[int | str], CallResult]:
    """A scenario and a path through it: one of its checks, or a walk of random picks."""
    scenario = draw(st.sampled_from(SCENARIOS))
    checks = [list(c.choose) for c in scenario.checks]
    if checks and draw(st.booleans()):
        picks = draw(st.sampled_from(checks))
        return scenario, picks, play(scenario, picks)
    call = Call(scenario)
    walk: list[int | str] = []
    while not call.ended and len(walk) < MAX_TURNS:
        pick = draw(st.integers(1, len(call.options)))
        call.choose(pick)
        walk.append(pick)
    call.quit()
    return scenario, walk, call.result()


def never_higher(variant: Scorecard, original: Scorecard) -> None:
    for d in DIMENSIONS:
        assert variant.dimensions[d] <= original.dimensions[d], (d, variant, original)
    assert variant.overall <= original.overall, (variant, original)


def the_option(result: CallResult, turn: int) -> tuple[str, int]:
    """The node and the 0-based option a turn of the played call picked."""
    line = [x for x in result.transcript if x.speaker == "trainee"][turn]
    assert line.option is not None
    return line.node, line.option - 1


PROPERTY = settings(max_examples=400, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(played_paths(), st.data())
def test_a_damaging_tag_never_raises_a_score(path, data) -> None:
    scenario, picks, result = path
    if not result.facts.turns:
        return
    turn = data.draw(st.integers(0, len(result.facts.turns) - 1), label="turn")
    tag = data.draw(st.sampled_from(DAMAGING), label="tag")
    node, index = the_option(result, turn)
    option = (scenario.nodes[node].options or [])[index]
    variant = with_option(scenario, node, index, tags=[*option.tags, tag])
    original, damaged = result.score(), play(variant, picks).score()
    never_higher(damaged, original)
    # and the damage shows: its own dimension drops, unless it was there already or at 0
    dimension = RULES[tag]
    if tag not in option.tags and original.dimensions[dimension] > 0:
        assert damaged.dimensions[dimension] < original.dimensions[dimension]


@PROPERTY
@given(played_paths(), st.data())
def test_a_mood_rise_never_raises_a_score(path, data) -> None:
    scenario, picks, result = path
    if not result.facts.turns:
        return
    turn = data.draw(st.integers(0, len(result.facts.turns) - 1), label="turn")
    rise = data.draw(st.integers(1, 3), label="rise")
    node, index = the_option(result, turn)
    option = (scenario.nodes[node].options or [])[index]
    variant = with_option(scenario, node, index, mood=min(10, max(option.mood, 0) + rise))
    original = result.score()
    try:
        upset = play(variant, picks)
    except PickError:  # the rise broke them: the call ended before the picks did
        call = Call(variant)
        for pick in picks:
            if call.ended:
                break
            call.choose(pick)
        lost = call.result()
        assert lost.outcome == "lost" and lost.facts.walked_out and not lost.score().passed
        return
    if upset.outcome == "lost" and result.outcome != "lost":
        assert upset.facts.walked_out and not upset.score().passed
        return
    never_higher(upset.score(), original)
