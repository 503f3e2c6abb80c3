"""score(facts, rubric) -> Scorecard: a pure, deterministic function of the call and the rubric."""

from __future__ import annotations

from .model import CallFacts, Scorecard, ScoreEvent
from .rubric import DAMAGE, REPAIRS, RULES, Rubric, default_rubric
from .rules import failures, find_all
from .vocabulary import DIMENSIONS

__all__ = ["score"]

DAMAGE_WORDS = {
    "dismiss": "playing it down", "blame": "blaming the customer", "argue": "arguing",
    "interrupt": "cutting them off", "weaponise_policy": "hiding behind policy",
}


def _repair(events: list[ScoreEvent], share: int) -> list[ScoreEvent]:
    """A credit that comes on or after the rep's own damage in its dimension repairs it: all
    such credits together earn back at most `share` percent of that damage done before them.

    (Damage in another dimension, hiding behind policy, costs more than every repair credit
    together, a guarantee of the rubric's loader; counting it here would let more damage in
    policy loosen the cap in empathy.)
    """
    out: list[ScoreEvent] = []
    repaid = 0
    for e in events:
        if e.rule in REPAIRS:
            before = [d for d in events
                      if d.rule in DAMAGE and d.dimension == e.dimension and d.turn <= e.turn]
            if before:
                cost = -sum(d.points for d in before)
                points = max(0, min(e.points, cost * share // 100 - repaid))
                repaid += points
                if points < e.points:
                    words = ", ".join(dict.fromkeys(DAMAGE_WORDS[d.rule] for d in before))
                    e = ScoreEvent(e.turn, e.dimension, points, (
                        f"{e.reason}, after your own damage ({words}): repairing earns back "
                        f"at most {share}% of what the damage cost"), e.rule)
        out.append(e)
    return out


def score(facts: CallFacts, rubric: Rubric | None = None) -> Scorecard:
    rubric = rubric or default_rubric()
    events = [
        ScoreEvent(f.turn, RULES[f.rule], rubric.points[f.rule] * f.times, f.reason, f.rule)
        for f in find_all(facts, rubric)
        if rubric.points[f.rule] != 0
    ]
    events.sort(key=lambda e: e.turn)  # stable: within a turn, the order the rules fired
    events = _repair(events, rubric.repair_share)
    # the rubric leaves room under 100 for every credit (rubric.py), so the clamp at 100 never
    # hides a deduction; at 0 it only meets calls far below every floor
    dimensions: dict[str, int] = {
        d: max(0, min(100, rubric.bases[d] + sum(e.points for e in events if e.dimension == d)))
        for d in DIMENSIONS
    }
    total_weight = sum(rubric.weights.values())
    weighted = sum(dimensions[d] * rubric.weights[d] for d in DIMENSIONS) / total_weight
    overall = int(weighted + 0.5)  # round half up, the way a rep would round

    failed = list(failures(facts))
    for d in DIMENSIONS:
        if dimensions[d] < rubric.floors[d]:
            failed.append(f"{d.capitalize()} {dimensions[d]} is below its floor of "
                          f"{rubric.floors[d]}")
    if overall < rubric.pass_mark:
        failed.append(f"Overall {overall} is below the pass mark of {rubric.pass_mark}")
    return Scorecard(
        overall=overall,
        passed=not failed,
        dimensions=dimensions,
        events=tuple(events),
        rubric=rubric.version,
        failures=tuple(failed),
    )
