"""Golden-path checks: play each check's picks and compare with what it expects."""

from __future__ import annotations

from dataclasses import dataclass

from scoring import DIMENSIONS
from scoring.rubric import Rubric

from .call import PickError, play
from .scenario import Check, Diagnostic, Scenario

__all__ = ["CheckResult", "run_checks"]


@dataclass(frozen=True)
class CheckResult:
    scenario: str
    name: str
    passed: bool
    problems: tuple[str, ...]
    visited: frozenset[str] = frozenset()
    """The nodes this check's call passed through (for path coverage)."""


def _compare(check: Check, outcome: str, level: int, passed: bool,
             scores: dict[str, int]) -> list[str]:
    e = check.expect
    wrong = []
    if e.outcome is not None and e.outcome != outcome:
        wrong.append(f"outcome {outcome}, expected {e.outcome}")
    if e.level is not None and e.level != level:
        wrong.append(f"level {level}, expected {e.level}")
    if e.passed is not None and e.passed != passed:
        wrong.append(f"{'passed' if passed else 'failed'}, expected to "
                     f"{'pass' if e.passed else 'fail'}")
    for name in ("overall",) + DIMENSIONS:
        low = getattr(e.min, name) if e.min else None
        high = getattr(e.max, name) if e.max else None
        if low is not None and scores[name] < low:
            wrong.append(f"{name} {scores[name]}, expected at least {low}")
        if high is not None and scores[name] > high:
            wrong.append(f"{name} {scores[name]}, expected at most {high}")
    return wrong


def run_checks(scenario: Scenario, rubric: Rubric | None = None,
               severity: str = "error") -> tuple[list[CheckResult], list[Diagnostic]]:
    """Play every check; failures come back as positioned diagnostics of `severity`."""
    results: list[CheckResult] = []
    problems: list[Diagnostic] = []
    marks = scenario.marks
    for i, check in enumerate(scenario.checks):
        try:
            result = play(scenario, list(check.choose))
        except PickError as exc:
            wrong = [str(exc)]
            where: tuple[str | int, ...] = ("checks", i, "choose")
            visited: frozenset[str] = frozenset()
        else:
            visited = frozenset(line.node for line in result.transcript)
            card = result.score(rubric)
            scores = {"overall": card.overall, **card.dimensions}
            wrong = _compare(check, result.outcome, result.level, card.passed, scores)
            where = ("checks", i, "expect")
        results.append(CheckResult(scenario.id, check.name, not wrong, tuple(wrong), visited))
        if wrong:
            line, col = marks.at(where)
            problems.append(Diagnostic(scenario.file, line, col, severity,
                                       f"check '{check.name}' failed: {'; '.join(wrong)}"))
    return results, problems
