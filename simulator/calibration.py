"""How far the supervisors and the automatic scorer agree: the statistics of `hotseat calibration`.

Pure: it reads pairs (a supervisor's blind scores of a call beside the scorer's) and returns
numbers; no database, no UI. For each dimension: the number of calibrations, the mean
difference (supervisor minus scorer: positive when the supervisors are more generous) and the
mean absolute difference (how far apart, whichever way). On pass or fail: the share of calls
where they agree, and Cohen's kappa, the agreement beyond what chance would give:

    kappa = (p_o - p_e) / (1 - p_e)

where p_o is the observed agreement and p_e the agreement expected by chance from each side's
own rate of passes: p_e = s_pass * a_pass + s_fail * a_fail (s: the supervisors' shares, a: the
scorer's). Kappa is 1 for perfect agreement, 0 for no better than chance, negative for worse;
it is undefined when p_e is 1 (both sides passed every call, or both failed every call), and
then the agreement share alone is reported. Per rule: for the calls where a rule fired, the
mean difference in that rule's dimension, which tells which rule the supervisors disagree with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from scoring import DIMENSIONS

__all__ = ["TOP", "Calibration", "DimensionAgreement", "Disagreement", "Pair", "PassAgreement",
           "RuleAgreement", "kappa", "summarise"]

TOP = 10
"""How many calls `summarise` lists where the supervisors and the scorer disagree most."""


@dataclass(frozen=True)
class Pair:
    """One calibration: a supervisor's blind scores of a call beside the scorer's."""

    call_id: int
    supervisor: Mapping[str, int]
    """The supervisor's score of each dimension, 0..100."""
    supervisor_passed: bool
    scorer: Mapping[str, int]
    """The scorer's stored score of each dimension."""
    scorer_passed: bool
    fired: Mapping[str, str] = field(default_factory=dict)
    """The rules that fired on the call (at least one score event), each with its dimension."""
    trainee: str = ""
    made_by: str = ""
    """The supervisor who gave the scores."""


@dataclass(frozen=True)
class DimensionAgreement:
    dimension: str
    calls: int
    """Calibrations counted (a call scored by two supervisors counts twice)."""
    mean_difference: Fraction | None
    """Mean of supervisor minus scorer; None without calibrations."""
    mean_absolute_difference: Fraction | None


@dataclass(frozen=True)
class PassAgreement:
    calls: int
    agreement: Fraction | None
    """p_o: the share of calibrations where both said pass, or both said fail."""
    expected: Fraction | None
    """p_e: the agreement chance alone would give."""
    kappa: Fraction | None
    """Cohen's kappa; None when undefined (p_e is 1) or without calibrations."""
    agreed: int = 0
    """Calibrations where both said pass, or both said fail."""
    supervisor_passes: int = 0
    scorer_passes: int = 0


@dataclass(frozen=True)
class RuleAgreement:
    rule: str
    dimension: str
    calls: int
    """Calibrations of calls where the rule fired."""
    mean_difference: Fraction
    """Mean of supervisor minus scorer in the rule's dimension, over those calls."""


@dataclass(frozen=True)
class Disagreement:
    call_id: int
    total: int
    """The sum of the absolute differences over the four dimensions."""
    differences: dict[str, int]
    """Supervisor minus scorer, per dimension."""
    pass_fail_differs: bool
    trainee: str = ""
    made_by: str = ""


@dataclass(frozen=True)
class Calibration:
    dimensions: list[DimensionAgreement]
    pass_fail: PassAgreement
    rules: list[RuleAgreement]
    """Most disputed first (the largest mean difference either way)."""
    worst: list[Disagreement]
    """The calls where they disagree most, the largest total absolute difference first (a
    call where they agree on everything is not listed)."""


def _mean(values: Sequence[int]) -> Fraction | None:
    return Fraction(sum(values), len(values)) if values else None


def kappa(pairs: Iterable[tuple[bool, bool]]) -> PassAgreement:
    """Cohen's kappa of pass or fail, from (supervisor, scorer) verdicts."""
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return PassAgreement(0, None, None, None)
    both = sum(s == a for s, a in pairs)
    s_pass = sum(s for s, _ in pairs)
    a_pass = sum(a for _, a in pairs)
    observed = Fraction(both, n)
    expected = Fraction(s_pass, n) * Fraction(a_pass, n) + \
        Fraction(n - s_pass, n) * Fraction(n - a_pass, n)
    value = None if expected == 1 else (observed - expected) / (1 - expected)
    return PassAgreement(n, observed, expected, value, both, s_pass, a_pass)


def summarise(pairs: Iterable[Pair], top: int = TOP) -> Calibration:
    """Every statistic of the module docstring, over `pairs`."""
    pairs = list(pairs)
    dims = []
    for d in DIMENSIONS:
        diffs = [p.supervisor[d] - p.scorer[d] for p in pairs]
        dims.append(DimensionAgreement(d, len(diffs), _mean(diffs),
                                       _mean([abs(x) for x in diffs])))
    by_rule: dict[tuple[str, str], list[int]] = {}
    for p in pairs:
        for rule, dimension in p.fired.items():
            by_rule.setdefault((rule, dimension), []).append(
                p.supervisor[dimension] - p.scorer[dimension])
    rules = [RuleAgreement(rule, dimension, len(v), Fraction(sum(v), len(v)))
             for (rule, dimension), v in by_rule.items()]
    rules.sort(key=lambda r: (-abs(r.mean_difference), -r.calls, r.rule))
    worst = []
    for p in pairs:
        diff = {str(d): p.supervisor[d] - p.scorer[d] for d in DIMENSIONS}
        if not any(diff.values()) and p.supervisor_passed == p.scorer_passed:
            continue  # they agree on everything
        worst.append(Disagreement(p.call_id, sum(abs(v) for v in diff.values()), diff,
                                  p.supervisor_passed != p.scorer_passed, p.trainee, p.made_by))
    worst.sort(key=lambda w: (-w.total, not w.pass_fail_differs, w.call_id))
    return Calibration(dims, kappa((p.supervisor_passed, p.scorer_passed) for p in pairs),
                       rules, worst[:top])
