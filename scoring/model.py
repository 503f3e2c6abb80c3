"""What the scorer reads (the facts of one call) and what it returns (a scorecard).

Plain frozen dataclasses: the scorer imports nothing of `simulator`, so the call engine
translates a played call into these facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .vocabulary import Escalation, Level, Needs, Outcome, Seat, Step

__all__ = ["CallFacts", "ScoreEvent", "Scorecard", "TurnFacts"]


def _coerce(instance: object, **kinds: Any) -> None:
    for name, kind in kinds.items():
        value = getattr(instance, name)
        if value is not None and type(value) is not kind:
            object.__setattr__(instance, name, kind(value))


@dataclass(frozen=True)
class TurnFacts:
    """One trainee reply, as the scorer needs to know it."""

    turn: int
    """1-based number of the trainee's reply."""
    node: str
    tags: tuple[str, ...] = ()
    step: Step | None = None
    escalate: Escalation | None = None
    """Where the option hands the call, as authored, else None."""
    level_before: Level = Level.REP
    level_after: Level = Level.REP
    asks_supervisor: bool = False
    """The customer asked for a supervisor at the node this reply answers."""
    skipped: tuple[Step, ...] = ()
    """Steps this reply's `step` jumped over (taken out of order)."""
    mood_before: int = 5
    mood_after: int = 5

    def __post_init__(self) -> None:
        # plain words and numbers (a test's table, a database row) become the vocabulary's own
        _coerce(self, step=Step, escalate=Escalation, level_before=Level, level_after=Level)
        object.__setattr__(self, "skipped", tuple(Step(s) for s in self.skipped))


@dataclass(frozen=True)
class CallFacts:
    """A whole call: the case, what happened on each turn, and how it ended."""

    seat: Seat = Seat.CSR
    """Who the trainee plays."""
    needs: Needs = Needs.NONE
    """Who must take the case beyond the trainee."""
    start_level: Level = Level.REP
    outcome: Outcome = Outcome.RESOLVED
    end_level: Level = Level.REP
    mood_start: int = 5
    mood_end: int = 5
    turns: tuple[TurnFacts, ...] = ()
    walked_out: bool = False
    """The call was lost because the mood reached the breaking point (not at an `end: lost`
    node)."""

    def __post_init__(self) -> None:
        _coerce(self, seat=Seat, needs=Needs, start_level=Level, outcome=Outcome,
                end_level=Level)


@dataclass(frozen=True)
class ScoreEvent:
    """One credit or deduction: on which turn, in which dimension, how much and why."""

    turn: int
    dimension: str
    """One of the four dimensions (scoring.vocabulary.Dimension)."""
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
