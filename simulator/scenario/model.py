"""The typed scenario: what a trainer's YAML file means once loaded (scenario-format.md, v1).

Each field's docstring is what trainers read in their editor (it goes into schema.json).
Instances are built by build.py from the composed YAML nodes, never from `yaml.safe_load`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from scoring.vocabulary import End, Escalation, Level, Needs, Outcome, Persona, Problem, Seat, Step

from .diagnostics import Marks

__all__ = ["DEFAULT_UNMATCHED", "TAGS", "Bounds", "Check", "Customer", "Expect", "Facts", "Node",
           "Option", "Policy", "Scenario", "Unmatched"]

TAGS = (
    "acknowledge", "apologise", "courteous", "interrupt", "blame", "dismiss", "argue",
    "confirm", "ask_idea", "check_satisfied", "compensate", "follow_up", "set_expectation",
    "explain_policy", "weaponise_policy", "lie", "overpromise",
)
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
OPTION_ID = r"^[a-z][a-z0-9_-]*$"
ID_MAX = 64
"""The longest scenario, node or option id."""
NAME_MAX = 100
"""The longest customer name or scenario title."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Customer(_Model):
    name: str = Field(min_length=1, max_length=NAME_MAX)
    """The customer's name, as the trainee hears it."""
    mood: int = Field(5, ge=0, le=10)
    """Starting mood: 0 is calm, 10 is furious."""
    breaking_point: int = Field(10, ge=1, le=10)
    """At or above this mood the customer walks out (level 4). Must be above `mood`."""
    walkout: str | None = None
    """What the customer says when walking out."""


class Policy(_Model):
    allows: list[str] = []
    """What the trainee may do (shown on the policy card)."""
    forbids: list[str] = []
    """What the trainee must not do."""


class Facts(_Model):
    complaint: str | None = None
    """The nature of the complaint (the complaint record, docs/domain.md section 3)."""
    cause: str | None = None
    """What really caused it."""
    solution: str | None = None
    """The solution a good call agrees on."""


class Option(_Model):
    say: str = Field(min_length=1)
    """The trainee's line."""
    next: str
    """The node the call moves to."""
    id: str | None = Field(None, pattern=OPTION_ID, max_length=ID_MAX)
    """A slug starting with a letter, unique in its node, usable as a pick."""
    step: Step | None = None
    """The step of the four this reply completes."""
    escalate: Escalation | None = None
    """Hand the call to an expert (level 2) or a supervisor (level 3)."""
    tags: list[str] = Field(default=[], json_schema_extra={
        "items": {"anyOf": [{"enum": list(TAGS)}, {"type": "string", "pattern": "^x-"}]}})
    """What the reply does, for the scorer; x- tags are ignored."""
    mood: int = Field(0, ge=-10, le=10)
    """Change of the customer's mood; negative calms."""
    feedback: str | None = None
    """The coach's comment, shown after the reply in practice and on the scorecard."""


class Unmatched(_Model):
    customer: str = Field(min_length=1)
    """What the customer says when the trainee's typed words match none of the replies."""
    mood: int = Field(1, ge=-10, le=10)
    """Change of the customer's mood on such a turn (default +1)."""


DEFAULT_UNMATCHED = Unmatched(customer="Sorry, I'm not sure what you mean. Could you put that "
                                       "another way?", mood=1)
"""A node's reaction to typed words that match none of its replies, when it authors none."""


class Node(_Model):
    customer: str
    """What the customer says on arriving at this node."""
    options: list[Option] | None = Field(None, min_length=1)
    """The trainee's possible replies (a node has options or end, not both)."""
    end: End | None = None
    """Makes this a terminal node: resolved, escalated or lost."""
    asks_supervisor: bool = False
    """The customer asks for a supervisor here."""
    unmatched: Unmatched | None = None
    """Free-text mode: how the customer reacts when the trainee's typed words match none of
    the replies (default: asks them to rephrase, mood +1). The call stays at this node."""


class Bounds(_Model):
    overall: int | None = Field(None, ge=0, le=100)
    empathy: int | None = Field(None, ge=0, le=100)
    resolution: int | None = Field(None, ge=0, le=100)
    escalation: int | None = Field(None, ge=0, le=100)
    policy: int | None = Field(None, ge=0, le=100)


class Expect(_Model):
    outcome: Outcome | None = None
    level: int | None = Field(None, ge=1, le=4)
    passed: bool | None = None
    min: Bounds | None = None
    """Lowest acceptable scores (inclusive)."""
    max: Bounds | None = None
    """Highest acceptable scores (inclusive)."""


class Check(_Model):
    name: str = Field(min_length=1)
    choose: list[int | str]
    """One pick per trainee turn: a 1-based position as authored, or an option id."""
    expect: Expect


class Scenario(_Model):
    id: str = Field(pattern=SLUG, max_length=ID_MAX)
    """Lowercase slug, unique in the library."""
    title: str = Field(min_length=1, max_length=NAME_MAX)
    persona: Persona
    problem: Problem | None = None
    summary: str | None = None
    difficulty: int = Field(2, ge=1, le=5)
    locale: str = "en"
    seat: Seat = Field(Seat.CSR, alias="role")
    """Who the trainee plays: csr, expert or supervisor (the file's key is `role`)."""
    translates: str | None = Field(None, pattern=SLUG, max_length=ID_MAX)
    """The id of the scenario this one translates: a certification requirement on that
    scenario is met by this one too."""
    escalation: Needs = Needs.NONE
    """Who must take this case beyond the trainee."""
    customer: Customer
    policy: Policy = Policy()
    facts: Facts = Facts()
    start: str
    """The id of the first node."""
    nodes: dict[str, Node] = Field(min_length=1)
    checks: list[Check] = []
    """Golden paths that `hotseat validate` plays."""

    _marks: Marks | None = PrivateAttr(default=None)
    _file: str = PrivateAttr(default="")
    _digest: str = PrivateAttr(default="")
    _source: str = PrivateAttr(default="")

    @property
    def marks(self) -> Marks:
        return self._marks or Marks(self._file or self.id)

    @property
    def file(self) -> str:
        return self._file

    @property
    def source(self) -> str:
        """The file's text as it was loaded (stored with the calls played on it)."""
        return self._source

    @property
    def content_hash(self) -> str:
        """sha256 of the file's bytes: stored with every call so scores can be recomputed."""
        return self._digest

    @property
    def start_level(self) -> Level:
        """The level the call starts at: the trainee's own."""
        return self.seat.level
