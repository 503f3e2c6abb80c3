"""Plain values the database hands out or takes in (no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from scoring.vocabulary import Role

__all__ = ["MODES", "ROLES", "CallSummary"]

MODES = ("practice", "exam", "scripted")
"""practice: coached, in the TUI; exam: no coaching, counts for certification; scripted: picks
given in advance (`hotseat play --choose ... --trainee`), never counts for certification."""
ROLES: tuple[str, ...] = tuple(Role)
"""A person's role in Hotseat: what they may see and do. (Who a trainee plays in a scenario is
its seat: csr, expert or supervisor.)"""


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
    seat: str = "csr"
    """Who the trainee played: csr, expert or supervisor."""
    level: int | None = None
    ended: datetime | None = None
    scenario_hash: str = ""
    rubric_version: str = ""
