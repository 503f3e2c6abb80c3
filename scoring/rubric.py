"""The rubric: weights, bases, floors, the pass mark and every rule's points, read from YAML."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .vocabulary import DIMENSIONS, Dimension

__all__ = ["DEFAULT_RUBRIC_PATH", "RULES", "Rubric", "RubricError", "default_rubric", "load_rubric"]

DEFAULT_RUBRIC_PATH = Path(__file__).with_name("rubric.yaml")

#: rule -> dimension it counts in. The reasons are written where the rules fire (scoring/rules.py).
_RULE_DIMENSION = {
    "acknowledge": "empathy", "apologise": "empathy", "courteous": "empathy",
    "interrupt": "empathy", "blame": "empathy", "dismiss": "empathy", "argue": "empathy",
    "never_acknowledged": "empathy", "calmed": "empathy", "customer_lost": "empathy",
    "supervisor_no_apology": "empathy",
    "missing_step": "resolution", "skipped_step": "resolution", "no_confirm": "resolution",
    "no_idea": "resolution", "no_satisfaction_check": "resolution", "compensate": "resolution",
    "follow_up": "resolution", "set_expectation": "resolution", "supervisor_no_plan": "resolution",
    "early_escalation": "escalation", "needless_escalation": "escalation",
    "missing_escalation": "escalation", "refused_supervisor": "escalation",
    "handoff_no_expectation": "escalation", "wrong_level": "escalation",
    "good_handoff": "escalation",
    "weaponise_policy": "policy", "lie": "policy", "overpromise": "policy",
    "explain_policy": "policy",
}
RULES: dict[str, Dimension] = {rule: Dimension(d) for rule, d in _RULE_DIMENSION.items()}


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
        # scenario-format.md: "a single weaponise_policy reply is enough to put policy below its
        # floor", whatever credits the rest of the call earns in that dimension
        best = self.bases["policy"] + sum(
            max(0, p) for rule, p in self.points.items() if RULES[rule] == "policy")
        if min(100, best) + self.points["weaponise_policy"] >= self.floors["policy"]:
            raise ValueError("one weaponise_policy must put policy below its floor: "
                             "make it cost more, or the policy credits less")
        return self


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
