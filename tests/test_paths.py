"""The path explorer (simulator/paths.py, `hotseat validate --paths`): its numbers checked on a
scenario counted and scored by hand, against the call engine, and on every bundled scenario
against `play` of each reported lowest and highest path."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from corepaths import FIXTURES

from scoring import CallFacts, Scorecard, score
from scoring.vocabulary import Needs
from simulator.bundled import BUNDLED
from simulator.call import play
from simulator.cli import main
from simulator.paths import Path as PathFacts
from simulator.paths import Walk, explore, format_picks, walk
from simulator.scenario import Scenario, load_file, load_library

SMALL = FIXTURES / "paths" / "small.yaml"
LOOP = FIXTURES / "paths" / "loop.yaml"
BUNDLED_SCENARIOS = load_library([BUNDLED]).scenarios


def shown(path: Path) -> str:
    """The path as validate shows it: relative to the current folder when inside it."""
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def loaded(path: Path) -> Scenario:
    scenario, problems = load_file(path)
    assert scenario is not None, [str(p) for p in problems]
    return scenario


# -- a scenario counted and scored by hand ------------------------------------------------------

# Each path of tests/fixtures/paths/small.yaml, scored by hand with the default rubric (weights
# 1, bases empathy 50 and 100 elsewhere):
#   sorry,cause,propose,done  empathy 50+20 acknowledge = 70; resolution 100; escalation 100;
#                             policy 100; overall (70+100+100+100)/4 = 92.5 -> 93
#   sorry,2                   empathy 50+20-20 blame-30 lost = 20; resolution 100-3x20 missing
#                             steps = 40; overall (20+40+100+100)/4 = 65
#   policy,cause,propose,done empathy 50-15 never acknowledged-2x5 mood rise-2x5 ended upset =
#                             15; resolution 100-15 no confirm = 85; policy 100-50 = 50;
#                             overall (15+85+100+50)/4 = 62.5 -> 63
#   policy,2                  empathy 50-20-15-10-10-30 -> 0; resolution 40; policy 50;
#                             overall (0+40+100+50)/4 = 47.5 -> 48
#   shrug                     empathy 50-15 dismiss-15-4x5-4x5-30 -> 0; resolution 100-4x20 =
#                             20; overall (0+20+100+100)/4 = 55 (mood 5+4 = 9: walks out)
BY_HAND = [  # (picks, outcome, overall, empathy, resolution, escalation, policy)
    (["sorry", "cause", "propose", "done"], "resolved", 93, 70, 100, 100, 100),
    (["sorry", 2], "lost", 65, 20, 40, 100, 100),
    (["policy", "cause", "propose", "done"], "resolved", 63, 15, 85, 100, 50),
    (["policy", 2], "lost", 48, 0, 40, 100, 50),
    (["shrug"], "lost", 55, 0, 20, 100, 100),
]


def test_every_path_of_the_small_scenario_in_authored_order() -> None:
    s = loaded(SMALL)
    paths = list(walk(s))
    assert [list(p.picks) for p in paths] == [row[0] for row in BY_HAND]
    for path, (_, outcome, overall, *dims) in zip(paths, BY_HAND, strict=True):
        card = score(path.facts)
        assert path.facts.outcome == outcome
        assert [card.overall, *card.dimensions.values()] == [overall, *dims], path.picks


def test_the_small_scenario_bounds_are_the_hand_counted_ones() -> None:
    e = explore(loaded(SMALL))
    assert (e.paths, e.cut, e.capped) == (5, 0, False)
    got = {name: (b.min, b.max, format_picks(b.min_picks), format_picks(b.max_picks))
           for name, b in e.bounds.items()}
    # on a tie the shorter path wins: shrug (one pick) before policy,2 for empathy 0
    assert got == {
        "overall": (48, 93, "policy,2", "sorry,cause,propose,done"),
        "empathy": (0, 70, "shrug", "sorry,cause,propose,done"),
        "resolution": (20, 100, "shrug", "sorry,cause,propose,done"),
        "escalation": (100, 100, "shrug", "shrug"),
        "policy": (50, 100, "policy,2", "shrug"),
    }
    assert e.steps == ("understand", "identify_cause", "propose", "resolve")
    assert e.ends == ("resolved", "lost")
    assert e.warnings == []  # with the real rubric no bad path passes


# -- the cycle bound ----------------------------------------------------------------------------

@pytest.mark.parametrize(("revisits", "paths", "cut"), [
    # 'again' loops on 'a': 'a' can be entered revisits + 1 times, each with 'fix' to end, and
    # the 'again' from the last is cut; every 'hold' goes into 'limbo', whose self-loop is cut
    # once per 'hold'
    (0, 1, 2),
    (1, 2, 3),
    (2, 3, 4),
    (3, 4, 5),
])
def test_a_cycle_is_followed_at_most_revisits_times(revisits: int, paths: int, cut: int) -> None:
    e = explore(loaded(LOOP), revisits=revisits)
    assert (e.paths, e.cut) == (paths, cut)
    assert [list(p.picks) for p in walk(loaded(LOOP), revisits)] == [
        ["again"] * n + ["fix"] for n in range(revisits, -1, -1)]
    assert f"{cut} picks not followed" in e.summary()
    assert f"revisited at most {revisits} time" in e.summary()


def test_a_node_that_can_reach_no_end_makes_the_call_incomplete() -> None:
    e = explore(loaded(LOOP))
    assert e.ends == ("resolved", "incomplete")
    [trap] = e.warnings
    assert str(trap) == (f"{shown(LOOP)}:26:3: warning: no end can be "
                         "reached from node 'limbo': a call there never ends (the trainee can "
                         "only quit)")


def test_past_the_cap_the_explorer_says_how_many_it_explored() -> None:
    e = explore(loaded(SMALL), max_paths=2)
    assert (e.paths, e.at_least, e.capped) == (2, 5, True)
    assert e.summary() == "explored 2 of 5 paths"
    assert any("explored 2 of 5 paths: the bounds and warnings cover the paths explored"
               in str(w) for w in e.warnings)


# -- the warnings: a path that passes and should not --------------------------------------------

def always_passes(facts: CallFacts) -> Scorecard:
    """The real scorecard, passed whatever it says: a stand-in for a rubric gone wrong."""
    return replace(score(facts), passed=True, failures=())


def test_a_passing_bad_path_is_one_warning_per_kind_at_the_bad_pick() -> None:
    s = loaded(SMALL)
    e = explore(s, judge=always_passes)
    assert [str(w) for w in e.warnings] == [
        f"{shown(SMALL)}:26:9: warning: a path that passes hides behind policy (a reply tagged "
        "weaponise_policy): --choose policy,cause,propose,done (overall 63); 1 more passing "
        "path does",
        f"{shown(SMALL)}:66:3: warning: a path that passes loses the customer (outcome lost): "
        "--choose sorry,2 (overall 65); 2 more passing paths do",
    ]


def test_a_lie_an_overpromise_and_a_missed_escalation_are_each_named() -> None:
    s = loaded(SMALL)
    a = s.nodes["a"]
    options = list(a.options or [])
    options[0] = options[0].model_copy(update={"tags": ["acknowledge", "confirm", "lie"]})
    options[2] = options[2].model_copy(update={"tags": ["dismiss", "overpromise"]})
    nodes = {**s.nodes, "a": a.model_copy(update={"options": options})}
    bad = s.model_copy(update={"nodes": nodes, "escalation": Needs.EXPERT})
    messages = [w.message for w in explore(bad, judge=always_passes).warnings]
    assert [m.split(":")[0] for m in messages] == [
        "a path that passes lies (a reply tagged lie)",
        "a path that passes hides behind policy (a reply tagged weaponise_policy)",
        "a path that passes breaks the policy card (a reply tagged overpromise)",
        "a path that passes loses the customer (outcome lost)",
        "a path that passes misses a needed escalation (missing_escalation)",
    ]
    assert "--choose sorry,cause,propose,done" in messages[0]
    assert "--choose shrug " in messages[2]
    assert "--choose sorry,cause,propose,done" in messages[4]  # no path escalates


# -- the explorer's moves are the engine's ------------------------------------------------------

def sample(s: Scenario, most: int = 40) -> list[PathFacts]:
    paths = list(walk(s))
    step = max(1, len(paths) // most)
    return paths[::step]


@pytest.mark.parametrize("scenario", [loaded(SMALL), loaded(LOOP), *BUNDLED_SCENARIOS],
                         ids=lambda s: s.id)
def test_the_facts_of_a_path_are_what_the_engine_plays(scenario: Scenario) -> None:
    for path in sample(scenario):
        assert play(scenario, list(path.picks)).facts == path.facts, path.picks


# -- every bundled scenario: the bounds are what `play` scores -----------------------------------

@pytest.mark.parametrize("scenario", BUNDLED_SCENARIOS, ids=lambda s: s.id)
def test_each_bundled_bound_is_what_play_scores_its_picks(scenario: Scenario) -> None:
    e = explore(scenario)
    assert e.paths > 0 and not e.capped
    assert set(e.bounds) == {"overall", "empathy", "resolution", "escalation", "policy"}
    for name, b in e.bounds.items():
        for picks, want in ((b.min_picks, b.min), (b.max_picks, b.max)):
            card = play(scenario, list(picks)).score()
            got = card.overall if name == "overall" else card.dimensions[name]
            assert got == want, (name, format_picks(picks))
        assert b.min <= b.max


def test_no_bundled_path_passes_while_it_lies_or_hides_behind_policy() -> None:
    flagged = {s.id: [str(w) for w in explore(s).warnings] for s in BUNDLED_SCENARIOS}
    assert {k: v for k, v in flagged.items() if v} == {}


# -- hotseat validate --paths -------------------------------------------------------------------

def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_paths_json_gives_each_scenario_its_numbers(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--paths", str(SMALL), "--json")
    assert code == 0
    data = json.loads(out)
    small = data["scenarios"]["paths-small"]
    assert small["paths"] == 5 and small["cut"] == 0 and small["warnings"] == []
    assert small["bounds"]["overall"] == {"min": 48, "max": 93, "min_picks": ["policy", 2],
                                          "max_picks": ["sorry", "cause", "propose", "done"]}
    assert small["steps"] == ["understand", "identify_cause", "propose", "resolve"]
    assert small["ends"] == ["resolved", "lost"]
    assert data["errors"] == 0 and data["valid"] == 1


def test_validate_paths_text_names_the_bounds_and_the_picks(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--paths", str(LOOP))
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith("paths-loop (") and lines[1].endswith(
        "3 paths (cycles bounded: 4 picks not followed, a node is revisited at most 2 times on "
        "one path)")
    assert "  overall      70 to 70   lowest --choose fix; highest --choose fix" in lines
    assert "  steps: resolve (never: understand, identify_cause, propose)" in lines
    assert "  ends: resolved, incomplete" in lines
    assert any(line.endswith("warning: no end can be reached from node 'limbo': a call there "
                             "never ends (the trainee can only quit)") for line in lines)
    assert lines[-1].endswith("3 paths explored; 0 errors, 2 warnings")


def test_validate_without_paths_explores_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(SMALL), "--json")
    assert code == 0 and "scenarios" not in json.loads(out)


def test_walk_counts_past_the_limit_without_building() -> None:
    stats = Walk()
    assert len(list(walk(loaded(SMALL), stats=stats, limit=1))) == 1
    assert stats.ended == 5
