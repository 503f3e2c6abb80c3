"""Golden-path checks: play each check's picks and compare with what it expects.

A failed check says why on one line: which expectation, the actual value, what failed the call
and the score events that decided it (`check 'textbook' failed: passed is false, expected true;
failures: Policy 40 is below its floor of 60; decided by: turn 2 weaponise_policy -50`).
`coverage` names the nodes no check visits.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring import DIMENSIONS, Scorecard, ScoreEvent
from scoring.rubric import Rubric

from .call import CallResult, PickError, play
from .scenario import Check, Diagnostic, Scenario
from .scenario.graph import reachable_levels

__all__ = ["CheckResult", "coverage", "run_checks"]

SHOWN_EVENTS = 6
"""At most this many events after "decided by" (the largest; the rest are counted)."""
SHOWN_NODES = 8
"""At most this many node ids in the coverage warning (the rest are counted)."""


@dataclass(frozen=True)
class CheckResult:
    scenario: str
    name: str
    passed: bool
    problems: tuple[str, ...]
    visited: frozenset[str] = frozenset()
    """The nodes this check's call passed through (for path coverage)."""


def _compare(check: Check, result: CallResult, card: Scorecard) -> tuple[list[str], list[str]]:
    """What the call did against what the check expects: the mismatches, and why (the
    failures and the score events that decided them), each a short phrase."""
    e = check.expect
    scores = {"overall": card.overall, **card.dimensions}
    wrong: list[str] = []
    decided: list[ScoreEvent] = []
    path = verdict = False
    if e.outcome is not None and e.outcome != result.outcome:
        wrong.append(f"outcome {result.outcome}, expected {e.outcome}")
        path = True
    if e.level is not None and e.level != result.level:
        wrong.append(f"level {int(result.level)}, expected {e.level}")
        path = True
    if e.passed is not None and e.passed != card.passed:
        wrong.append(f"passed is {str(card.passed).lower()}, expected {str(e.passed).lower()}")
        verdict = True
        decided += [ev for ev in card.events if (ev.points < 0) == e.passed and ev.points]
    for name in ("overall",) + DIMENSIONS:
        low = getattr(e.min, name) if e.min else None
        high = getattr(e.max, name) if e.max else None
        here = [ev for ev in card.events if name == "overall" or ev.dimension == name]
        if low is not None and scores[name] < low:
            wrong.append(f"{name} {scores[name]}, expected at least {low}")
            decided += [ev for ev in here if ev.points < 0]
        if high is not None and scores[name] > high:
            wrong.append(f"{name} {scores[name]}, expected at most {high}")
            decided += [ev for ev in here if ev.points > 0]
    if not wrong:
        return [], []
    why: list[str] = []
    if card.failures and verdict:
        why.append("failures: " + ", ".join(card.failures))
    if decided:
        why.append("decided by: " + _events(decided))
    if path:
        nodes = list(dict.fromkeys(line.node for line in result.transcript))
        why.append(f"path: {' > '.join(nodes)} ({result.outcome} at level {int(result.level)})")
    return wrong, why


def _events(events: list[ScoreEvent]) -> str:
    """`turn 2 weaponise_policy -50, turn 4 missing_step -10`: the largest, in turn order."""
    counts: dict[tuple[int, str, int], int] = {}  # the same rule twice on a turn: "x2"
    for ev in dict.fromkeys(events):
        key = (ev.turn, ev.rule, ev.points)
        counts[key] = counts.get(key, 0) + 1
    order = list(counts)
    shown = sorted(order, key=lambda k: -abs(k[2]) * counts[k])[:SHOWN_EVENTS]
    text = ", ".join(f"turn {turn} {rule} {points:+d}" + (f" x{counts[k]}" if counts[k] > 1 else "")
                     for k in sorted(shown, key=order.index) for turn, rule, points in [k])
    left = len(order) - len(shown)
    return text + (f" and {left} more" if left else "")


def run_checks(scenario: Scenario, rubric: Rubric | None = None,
               severity: str = "error") -> tuple[list[CheckResult], list[Diagnostic]]:
    """Play every check; failures come back as positioned diagnostics of `severity`."""
    results: list[CheckResult] = []
    problems: list[Diagnostic] = []
    marks = scenario.marks
    for i, check in enumerate(scenario.checks):
        why: list[str] = []
        try:
            result = play(scenario, list(check.choose))
        except PickError as exc:
            wrong = [str(exc)]
            where: tuple[str | int, ...] = ("checks", i, "choose")
            visited: frozenset[str] = frozenset()
        else:
            visited = frozenset(line.node for line in result.transcript)
            wrong, why = _compare(check, result, result.score(rubric))
            where = ("checks", i, "expect")
        results.append(CheckResult(scenario.id, check.name, not wrong, tuple(wrong), visited))
        if wrong:
            line, col = marks.at(where)
            problems.append(Diagnostic(scenario.file, line, col, severity,
                                       f"check '{check.name}' failed: "
                                       f"{'; '.join(wrong + why)}"))
    return results, problems


def coverage(scenario: Scenario, results: list[CheckResult]) -> Diagnostic | None:
    """A warning naming the nodes reachable from start that no check visits, or None.

    (A node no path reaches has its own warning.)"""
    visited = frozenset().union(*(r.visited for r in results))
    reached = reachable_levels(scenario)
    missed = [n for n in scenario.nodes if n in reached and n not in visited]
    if not missed:
        return None
    names = ", ".join(f"'{n}'" for n in missed[:SHOWN_NODES])
    if len(missed) > SHOWN_NODES:
        names += f" and {len(missed) - SHOWN_NODES} more"
    if not scenario.checks:
        return scenario.marks.warning(("id",), (
            f"no checks: no check plays any of its {len(reached)} reachable nodes; "
            "add golden paths under 'checks'"))
    return scenario.marks.warning(("checks",), (
        f"checks visit {len(reached) - len(missed)} of {len(reached)} reachable nodes; "
        f"no check visits {names}"), key=True)
