"""The certification track model: scenarios/tracks/*.yaml as typed, validated objects.

Moved from scoring/certification.py, which imports it on first use (`scoring.certification.Track`
still names it): the rules there read a track's fields only. What a requirement means is in
scoring/trackrules.py, shared with plain copies of a track (simulator/trackindex.py).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .trackrules import SLUG, requirement_label, requirement_met
from .vocabulary import Persona, Seat

__all__ = ["Requirement", "Track"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Requirement(_Model):
    """One thing a track requires: exactly one of `scenario` or `persona`."""

    scenario: str | None = Field(None, pattern=SLUG)
    """A scenario id: any passing exam call on that scenario."""
    persona: Persona | None = None
    """A persona: any passing exam call on a scenario of that persona (and the track's seat)."""

    @property
    def label(self) -> str:
        return requirement_label(self)

    def met_by(self, call: Any) -> bool:
        """A call (anything with `scenario_id` and `persona`) that meets this requirement."""
        return requirement_met(self, call)


class Track(_Model):
    """A certification track, read from scenarios/tracks/*.yaml."""

    id: str = Field(pattern=SLUG, max_length=64)
    """Lowercase slug, unique among tracks."""
    title: str = Field(min_length=1)
    summary: str | None = None
    seat: Seat = Field(Seat.CSR, alias="role")
    """Which seat's scenarios count: calls where the trainee played csr, expert or supervisor
    (the file's key is `role`)."""
    requires: list[Requirement] = Field(min_length=1)
    """What must be passed in exam mode: scenarios by id, or personas."""
    pass_mark: int = Field(ge=0, le=100)
    """The overall score an exam call needs (and the scorecard must have passed)."""
    valid_days: int = Field(ge=1, le=3650)
    """How many days a certificate is valid."""
    refresher_days: int = Field(ge=0, le=3650)
    """How many days before expiry the refresher is due."""

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """What the field types cannot say: (path, message) pairs; empty when sound."""
        found: list[tuple[tuple[str | int, ...], str]] = []
        if self.refresher_days >= self.valid_days:
            found.append((("refresher_days",), (f"refresher_days ({self.refresher_days}) must "
                                                f"be below valid_days ({self.valid_days})")))
        for i, req in enumerate(self.requires):
            if (req.scenario is None) == (req.persona is None):
                found.append((("requires", i),
                              "a requirement names exactly one of 'scenario' or 'persona'"))
        return found
