"""What the scorer reads (the facts of one call) and what it returns (a scorecard).

Plain frozen dataclasses: the scorer imports nothing of `simulator`, so the call engine
translates a played call into these facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DIMENSIONS", "STEPS", "CallFacts", "ScoreEvent", "Scorecard", "TurnFacts"]

DIMENSIONS: tuple[str, ...] = ("empathy", "resolution", "escalation", "policy")
STEPS: tuple[str, ...] = ("understand", "identify_cause", "propose", "resolve")


@dataclass(frozen=True)
class TurnFacts:
    """One trainee reply, as the scorer needs to know it."""

    turn: int
    """1-based number of the trainee's reply."""
    node: str
    tags: tuple[str, ...] = ()
    step: str | None = None
    escalate: str | None = None
    """`expert` or `supervisor` as authored on the option, else None."""
    level_before: int = 1
    level_after: int = 1
    asks_supervisor: bool = False
    """The customer asked for a supervisor at the node this reply answers."""
    skipped: tuple[str, ...] = ()
    """Steps this reply's `step` jumped over (taken out of order)."""
    mood_before: int = 5
    mood_after: int = 5


@dataclass(frozen=True)
class CallFacts:
    """A whole call: the case, what happened on each turn, and how it ended."""

    role: str = "csr"
    """Who the trainee plays: csr, expert or supervisor."""
    needs: str = "none"
    """Who must take the case beyond the trainee: none, expert or supervisor."""
    start_level: int = 1
    outcome: str = "resolved"
    """resolved, escalated, lost or incomplete."""
    end_level: int = 1
    mood_start: int = 5
    mood_end: int = 5
    turns: tuple[TurnFacts, ...] = ()


@dataclass(frozen=True)
class ScoreEvent:
    """One credit or deduction: on which turn, in which dimension, how much and why."""

    turn: int
    dimension: str
    points: int
    reason: str
    rule: str


@dataclass(frozen=True)
class Scorecard:
    overall: int
    passed: bool
    dimensions: dict[str, int]
    events: tuple[ScoreEvent, ...]
    rubric: str
    """The version of the rubric that produced this card."""
    failures: tuple[str, ...] = field(default=())
    """Why the call failed, in plain words (empty when it passed)."""
