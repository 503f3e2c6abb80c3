"""score(facts, rubric) -> Scorecard: a pure, deterministic function of the call and the rubric."""

from __future__ import annotations

from .model import CallFacts, Scorecard, ScoreEvent
from .rubric import RULES, Rubric, default_rubric
from .rules import find_all
from .vocabulary import DIMENSIONS, Outcome

__all__ = ["score"]


def score(facts: CallFacts, rubric: Rubric | None = None) -> Scorecard:
    rubric = rubric or default_rubric()
    events = [
        ScoreEvent(turn, RULES[rule], rubric.points[rule], reason, rule)
        for turn, rule, reason in find_all(facts, rubric.calmed_by)
        if rubric.points[rule] != 0
    ]
    events.sort(key=lambda e: e.turn)  # stable: within a turn, the order the rules fired
    dimensions: dict[str, int] = {
        d: max(0, min(100, rubric.bases[d] + sum(e.points for e in events if e.dimension == d)))
        for d in DIMENSIONS
    }
    total_weight = sum(rubric.weights.values())
    weighted = sum(dimensions[d] * rubric.weights[d] for d in DIMENSIONS) / total_weight
    overall = int(weighted + 0.5)  # round half up, the way a rep would round

    failures: list[str] = []
    if facts.outcome == Outcome.LOST:
        failures.append("The customer was lost")
    if facts.outcome == Outcome.INCOMPLETE:
        failures.append("The call was not finished")
    if any("lie" in t.tags for t in facts.turns):
        failures.append("A reply was untrue")
    for d in DIMENSIONS:
        if dimensions[d] < rubric.floors[d]:
            failures.append(f"{d.capitalize()} {dimensions[d]} is below its floor of "
                            f"{rubric.floors[d]}")
    if overall < rubric.pass_mark:
        failures.append(f"Overall {overall} is below the pass mark of {rubric.pass_mark}")
    return Scorecard(
        overall=overall,
        passed=not failures,
        dimensions=dimensions,
        events=tuple(events),
        rubric=rubric.version,
        failures=tuple(failures),
    )
