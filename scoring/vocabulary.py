"""Hotseat's vocabulary, defined once: the four steps, the escalation ladder, who the trainee
plays, the dimensions of a score. Every other module imports these names instead of spelling
the words out again (the service rules, docs/domain.md, sections 1 and 2).

The enums are `str`/`int` enums, so a value compares equal to the plain word or number that a
scenario file, a JSON document or a database row holds.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

__all__ = [
    "DIMENSIONS", "ESCALATION_LEVEL", "LEVEL_LABELS", "PERSONAS", "SEAT_LABELS", "SEAT_LEVEL",
    "STEPS", "STEP_LABELS", "STEP_WORDS", "Dimension", "End", "Escalation", "Level", "Needs",
    "Outcome", "Persona", "Problem", "Role", "Seat", "Step",
]


class Step(StrEnum):
    """The four steps of solving a problem, in the order they are expected (section 2)."""

    UNDERSTAND = "understand"
    IDENTIFY_CAUSE = "identify_cause"
    PROPOSE = "propose"
    RESOLVE = "resolve"


STEPS: tuple[Step, ...] = tuple(Step)

STEP_LABELS: dict[Step, str] = {
    Step.UNDERSTAND: "Understand the problem",
    Step.IDENTIFY_CAUSE: "Identify the cause",
    Step.PROPOSE: "Propose solutions",
    Step.RESOLVE: "Solve it, check satisfied",
}
"""A step as a heading (the call screen's tracker)."""

STEP_WORDS: dict[Step, str] = {
    Step.UNDERSTAND: "understanding the problem",
    Step.IDENTIFY_CAUSE: "identifying the cause",
    Step.PROPOSE: "proposing a fix",
    Step.RESOLVE: "solving the problem",
}
"""A step inside a sentence ("Went to proposing a fix before ...")."""


class Level(IntEnum):
    """The escalation ladder (section 1): who holds the call."""

    REP = 1
    EXPERT = 2
    SUPERVISOR = 3
    LOST = 4


LEVEL_LABELS: dict[Level, str] = {
    Level.REP: "You, the rep",
    Level.EXPERT: "Product expert",
    Level.SUPERVISOR: "Supervisor",
    Level.LOST: "Customer gone",
}


class Escalation(StrEnum):
    """Where an option hands the call (`escalate:`)."""

    EXPERT = "expert"
    SUPERVISOR = "supervisor"


ESCALATION_LEVEL: dict[Escalation, Level] = {
    Escalation.EXPERT: Level.EXPERT,
    Escalation.SUPERVISOR: Level.SUPERVISOR,
}


class Needs(StrEnum):
    """Who must take a case beyond the trainee (a scenario's `escalation:`)."""

    NONE = "none"
    EXPERT = "expert"
    SUPERVISOR = "supervisor"

    @property
    def level(self) -> Level | None:
        """The level the case needs, or None when the trainee must settle it."""
        return None if self is Needs.NONE else ESCALATION_LEVEL[Escalation(self.value)]


class Seat(StrEnum):
    """Who the trainee plays in a scenario (the scenario's and a track's `role:` key).

    Not to be confused with a person's role in Hotseat (trainee, trainer, supervisor), which
    says what they may see and do.
    """

    CSR = "csr"
    EXPERT = "expert"
    SUPERVISOR = "supervisor"

    @property
    def level(self) -> Level:
        return SEAT_LEVEL[self]


SEAT_LEVEL: dict[Seat, Level] = {
    Seat.CSR: Level.REP,
    Seat.EXPERT: Level.EXPERT,
    Seat.SUPERVISOR: Level.SUPERVISOR,
}

SEAT_LABELS: dict[Seat, str] = {
    Seat.CSR: "the customer-service rep (level 1)",
    Seat.EXPERT: "the product expert (level 2)",
    Seat.SUPERVISOR: "the supervisor (level 3)",
}


class End(StrEnum):
    """How a terminal node ends the call (`end:`)."""

    RESOLVED = "resolved"
    ESCALATED = "escalated"
    LOST = "lost"


class Outcome(StrEnum):
    """How a call ended: an `End`, or `incomplete` (quit, or the scripted picks ran out)."""

    RESOLVED = "resolved"
    ESCALATED = "escalated"
    LOST = "lost"
    INCOMPLETE = "incomplete"


class Persona(StrEnum):
    """The kind of customer who calls."""

    ANGRY = "angry"
    CONFUSED = "confused"
    PAYMENT = "payment"


PERSONAS: tuple[Persona, ...] = tuple(Persona)


class Problem(StrEnum):
    """The kind of problem (section 6, answers by kind of problem)."""

    RETURN = "return"
    SERVICE = "service"
    PAYMENT = "payment"
    TECHNICAL = "technical"
    OTHER = "other"


class Dimension(StrEnum):
    """The four dimensions of a score."""

    EMPATHY = "empathy"
    RESOLUTION = "resolution"
    ESCALATION = "escalation"
    POLICY = "policy"


DIMENSIONS: tuple[Dimension, ...] = tuple(Dimension)


class Role(StrEnum):
    """A person's role in Hotseat: what they may see and do (not the seat they play in a call).

    A trainee sees their own calls; a trainer sees the scenarios and results without names; a
    supervisor sees the trainees of their teams; an admin sees everyone and sets roles.
    """

    TRAINEE = "trainee"
    TRAINER = "trainer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
