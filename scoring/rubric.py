"""The rubric: weights, bases, floors, the pass mark and every rule's points, read from YAML."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .vocabulary import DIMENSIONS, Dimension

__all__ = ["CREDITS", "DAMAGE", "DEFAULT_RUBRIC_PATH", "PER_STEP", "REPAIRS", "RULES", "Rubric",
           "RubricError", "default_rubric", "load_rubric"]

DEFAULT_RUBRIC_PATH = Path(__file__).with_name("rubric.yaml")

#: rule -> dimension it counts in. The reasons are written where the rules fire (scoring/rules.py).
_RULE_DIMENSION = {
    "acknowledge": "empathy", "apologise": "empathy", "courteous": "empathy",
    "interrupt": "empathy", "blame": "empathy", "dismiss": "empathy", "argue": "empathy",
    "never_acknowledged": "empathy", "calmed": "empathy", "mood_rise": "empathy",
    "ended_upset": "empathy", "customer_lost": "empathy", "supervisor_no_apology": "empathy",
    "missing_step": "resolution", "skipped_step": "resolution", "no_confirm": "resolution",
    "no_idea": "resolution", "no_satisfaction_check": "resolution", "compensate": "resolution",
    "follow_up": "resolution", "set_expectation": "resolution", "supervisor_no_plan": "resolution",
    "early_escalation": "escalation", "needless_escalation": "escalation",
    "late_escalation": "escalation", "had_to_ask": "escalation",
    "missing_escalation": "escalation", "refused_supervisor": "escalation",
    "handoff_no_expectation": "escalation", "wrong_level": "escalation",
    "good_handoff": "escalation",
    "weaponise_policy": "policy", "lie": "policy", "overpromise": "policy",
    "explain_policy": "policy",
}
RULES: dict[str, Dimension] = {rule: Dimension(d) for rule, d in _RULE_DIMENSION.items()}

#: The rules that credit: each earns at most once per call, never less than 0. Every other rule
#: is a deduction and never earns.
CREDITS = frozenset({"acknowledge", "apologise", "courteous", "calmed", "compensate", "follow_up",
                     "set_expectation", "good_handoff", "explain_policy"})
#: The rep's own damage: a credit in REPAIRS that comes on or after it repairs it, and earns
#: back at most `repair_share` percent of what the damage cost.
DAMAGE = frozenset({"dismiss", "blame", "argue", "interrupt", "weaponise_policy"})
REPAIRS = frozenset({"acknowledge", "apologise", "courteous"})
#: Rules whose points are per step of the customer's mood.
PER_STEP = frozenset({"mood_rise", "ended_upset"})


class RubricError(ValueError):
    """The rubric file is unreadable or incomplete."""


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(min_length=1)
    pass_mark: int = Field(ge=0, le=100)
    weights: dict[str, float]
    bases: dict[str, int]
    floors: dict[str, int]
    calmed_by: int = Field(ge=1, le=10)
    """The mood must end at least this far below its start for `calmed`."""
    upset_at: int = Field(ge=1, le=10)
    """From this mood up the customer is upset: only then is courtesy "under pressure"."""
    repair_share: int = Field(ge=0, le=99)
    """Percent of the rep's own damage that the credits repairing it can earn back at most."""
    points: dict[str, int]

    @model_validator(mode="after")
    def _complete(self) -> Rubric:
        for name in ("weights", "bases", "floors"):
            table = getattr(self, name)
            if set(table) != set(DIMENSIONS):
                raise ValueError(f"{name} must name exactly {', '.join(DIMENSIONS)}")
        if sum(self.weights.values()) <= 0:
            raise ValueError("weights must add up to more than 0")
        missing = sorted(set(RULES) - set(self.points))
        unknown = sorted(set(self.points) - set(RULES))
        if missing or unknown:
            raise ValueError(f"points: missing {missing or 'none'}, unknown {unknown or 'none'}")
        costs = sorted(r for r, p in self.points.items() if r in CREDITS and p < 0)
        earns = sorted(r for r, p in self.points.items() if r not in CREDITS and p > 0)
        if costs or earns:
            raise ValueError("points: " + "; ".join(
                [f"a credit cannot cost: {', '.join(costs)}"] * bool(costs)
                + [f"a deduction cannot earn: {', '.join(earns)}"] * bool(earns)))
        # no clamp may hide a deduction: a dimension has room for every credit it can earn, so
        # that it reaches 100 only when nothing was lost in it
        for d in DIMENSIONS:
            room = self.bases[d] + self.credits(d)
            if room > 100:
                raise ValueError(f"{d}: the base {self.bases[d]} and every credit "
                                 f"({self.credits(d):+d}) reach {room}, past 100, where the clamp "
                                 f"would hide a deduction: lower the base or the credits")
        # scenario-format.md: "One weaponise_policy reply, or one overpromise reply, is enough
        # on its own to put policy below its floor", whatever credits the rest of the call earns
        best = self.bases["policy"] + self.credits(Dimension.POLICY)
        for rule in ("weaponise_policy", "overpromise"):
            if best + self.points[rule] >= self.floors["policy"]:
                raise ValueError(f"one {rule} must put policy below its floor: "
                                 "make it cost more, or the policy credits less")
        # repair is not profit: in the repairs' own dimension the scorer caps them at
        # `repair_share` of the damage; damage elsewhere must cost more than all of them together
        repairs = sum(self.points[r] for r in REPAIRS)
        for rule in sorted(DAMAGE):
            if RULES[rule] not in {RULES[r] for r in REPAIRS} and -self.points[rule] <= repairs:
                raise ValueError(f"one {rule} must cost more than every repairing credit "
                                 f"together ({repairs:+d}): make it cost more")
        return self

    def credits(self, dimension: str) -> int:
        """The most a call can earn in credits in a dimension (each credit earns once)."""
        return sum(p for rule, p in self.points.items()
                   if rule in CREDITS and RULES[rule] == dimension)


def load_rubric(path: Path | str) -> Rubric:
    """Read and check a rubric file; raise RubricError saying what is wrong."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Rubric.model_validate(data)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise RubricError(f"{path}: {exc}") from exc


@lru_cache(maxsize=1)
def default_rubric() -> Rubric:
    return load_rubric(DEFAULT_RUBRIC_PATH)
