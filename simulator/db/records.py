"""Plain values the database hands out or takes in (no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

__all__ = ["MODES", "ROLES", "CallSummary", "WrapUpRecord"]

MODES = ("practice", "exam", "scripted")
"""practice: coached, in the TUI; exam: no coaching, counts for certification; scripted: picks
given in advance (`hotseat play --choose ... --trainee`), never counts for certification."""
ROLES = ("trainee", "trainer", "supervisor")


@dataclass(frozen=True)
class WrapUpRecord:
    """The complaint record of domain.md, section 3, as the trainee fills it after the call.

    The customer, the employee and the dates are the call's own; these are the rest.
    """

    complaint: str
    solution: str
    done_on_spot: bool
    promised_for: str | None = None
    """When the solution was promised, if not carried out on the spot."""
    steps_now: str | None = None
    """The steps being taken now (domain.md, section 3)."""
    follow_up: str | None = None
    """The date of the follow-up that checks the customer is satisfied."""
    compensation: str | None = None
    prevention: str | None = None
    documentation: int | None = None
    """0..100: how well the record matches the scenario's facts (marked by the TUI)."""


@dataclass(frozen=True)
class CallSummary:
    """One stored call, as history and reports show it."""

    id: int
    scenario_id: str
    mode: str
    started: datetime
    """UTC, aware."""
    outcome: str | None
    """resolved | escalated | lost | incomplete; None while the call is under way."""
    overall: int | None
    passed: bool | None
    dimensions: dict[str, int] = field(default_factory=dict)
    """Empty when the call was not scored (under way, or interrupted)."""
    trainee: str = ""
    persona: str = ""
    role: str = "csr"
    level: int | None = None
    ended: datetime | None = None
    scenario_hash: str = ""
    rubric_version: str = ""

    @property
    def day(self) -> date:
        return self.started.date()
