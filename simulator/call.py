"""The call engine: plays picks against a scenario, one trainee turn at a time.

Produces the transcript, the conversation's state and the facts the scorer consumes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from scoring import CallFacts, Scorecard, TurnFacts, score
from scoring.rubric import Rubric
from scoring.vocabulary import End, Level, Outcome, Step

from .conversation import Conversation
from .scenario import Option, Scenario
from .scenario.model import DEFAULT_UNMATCHED

__all__ = ["DEFAULT_WALKOUT", "Call", "CallResult", "Line", "PickError", "Typed", "TypedPick",
           "parse_picks", "play", "reply_order"]

DEFAULT_WALKOUT = "That's it. I'm done with this company. Goodbye."
POSITION = re.compile(r"[0-9]{1,6}")
"""A pick that is a 1-based position: plain ASCII digits (`²` or `٣` are read as ids)."""


class PickError(ValueError):
    """A pick that names no option, or a pick given after the call ended."""


@dataclass(frozen=True)
class Typed:
    """Free-text mode: what the rep typed, and how it was matched to the turn's replies."""

    text: str
    engine: str
    """The matcher's engine (simulator/freetext): `e5` or `lexical`."""
    decision: str = "match"
    """match (played without asking), confirm (the rep confirmed it), none (matched nothing)."""
    similarity: float | None = None
    """How close the typed words were to the option played (None: matched none)."""
    tags: tuple[str, ...] = ()
    """Tags the rep's own words earn beyond the option's (simulator/freetext/detectors.py)."""
    notes: tuple[str, ...] = ()
    """The coach's notes on the rep's own words (detectors not precise enough to score)."""


@dataclass(frozen=True)
class TypedPick:
    """A stored free-text turn, played again as it was: the option it played (None: it matched
    none of them) and what the rep typed."""

    option: int | None
    typed: Typed


@dataclass(frozen=True)
class Line:
    """One line of the transcript."""

    speaker: str  # customer | trainee
    node: str
    text: str
    turn: int = 0
    """The trainee turn this line belongs to (0: the opening line)."""
    option: int | None = None
    """The authored 1-based position of the trainee's option."""
    option_id: str | None = None
    feedback: str | None = None
    typed: Typed | None = None
    """Free-text mode: what the rep typed on this trainee line (its `text` is the option's)."""


@dataclass
class CallResult:
    scenario: Scenario
    outcome: Outcome
    level: Level
    steps: list[Step]
    mood_start: int
    mood_end: int
    transcript: list[Line]
    facts: CallFacts

    def score(self, rubric: Rubric | None = None) -> Scorecard:
        return score(self.facts, rubric)


def reply_order(count: int, seed: int | None, node: str = "", turn: int = 0) -> list[int]:
    """The order in which to show a node's replies: 0-based authored positions.

    Trainers tend to write the best reply first; a rep who learns "always press 1" learns
    nothing. With a seed (one per call) the order is shuffled, the same for the same seed,
    node and turn; without one it is the authored order (scripted picks and tests).
    """
    order = list(range(count))
    if seed is not None:
        random.Random(f"{seed}:{node}:{turn}").shuffle(order)
    return order


def parse_picks(text: str) -> list[int | str]:
    """`"1,2,refund"` -> [1, 2, "refund"]: a position is plain ASCII digits, anything else an id."""
    picks: list[int | str] = []
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            raise PickError(f"empty pick in {text!r}: give positions or option ids, "
                            "separated by commas")
        picks.append(int(item) if POSITION.fullmatch(item) else item)
    return picks


@dataclass
class Call:
    """One call in progress. `choose` a pick per trainee turn until `ended`."""

    scenario: Scenario
    node: str = ""
    ended: bool = False
    outcome: Outcome = Outcome.INCOMPLETE
    transcript: list[Line] = field(default_factory=list)
    turns: list[TurnFacts] = field(default_factory=list)
    walked_out: bool = False

    def __post_init__(self) -> None:
        s = self.scenario
        self.conversation = Conversation(mood=s.customer.mood,
                                         breaking_point=s.customer.breaking_point,
                                         start_level=s.start_level)
        self.node = s.start
        self._arrive(s.start)

    @property
    def turn(self) -> int:
        return len(self.turns)

    @property
    def options(self) -> list[Option]:
        return [] if self.ended else list(self.scenario.nodes[self.node].options or [])

    def resolve_pick(self, pick: int | str) -> int:
        """The 0-based index of the option a pick names at the current node."""
        if self.ended:
            raise PickError(f"the call already ended after turn {self.turn}")
        options = self.options
        if isinstance(pick, int):
            if 1 <= pick <= len(options):
                return pick - 1
            raise PickError(f"turn {self.turn + 1}: node '{self.node}' has no option {pick} "
                            f"(it has {len(options)})")
        for i, option in enumerate(options):
            if option.id == pick:
                return i
        ids = [o.id for o in options if o.id]
        known = f" (its ids: {', '.join(ids)})" if ids else " (its options have no ids)"
        raise PickError(f"turn {self.turn + 1}: node '{self.node}' has no option '{pick}'{known}")

    def choose(self, pick: int | str, typed: Typed | None = None) -> Line:
        """Play one trainee turn; return the trainee's line (with the coach's feedback).
        `typed`: the rep's own words in free-text mode, kept on the line."""
        index = self.resolve_pick(pick)
        option = self.options[index]
        conv = self.conversation
        turn = self.turn + 1
        node = self.scenario.nodes[self.node]
        mood_before, level_before = conv.mood, conv.level
        line = Line("trainee", self.node, option.say, turn, index + 1, option.id,
                    option.feedback, typed)
        self.transcript.append(line)
        # the contract's order: mood, step, escalate; then the breaking point
        conv.change_mood(option.mood)
        skipped = conv.take(option.step) if option.step else ()
        if option.escalate:
            conv.escalate(option.escalate)
        level_after = conv.level
        walked = conv.check_breaking_point()
        tags = tuple(option.tags)
        if typed is not None:  # what the rep's own words did, beyond the option's tags
            tags += tuple(t for t in typed.tags if t not in tags)
        self.turns.append(TurnFacts(
            turn=turn, node=self.node, tags=tags, step=option.step,
            escalate=option.escalate, level_before=level_before, level_after=level_after,
            asks_supervisor=node.asks_supervisor, skipped=skipped,
            mood_before=mood_before, mood_after=conv.mood))
        if walked:
            self.walked_out = True
            text = self.scenario.customer.walkout or DEFAULT_WALKOUT
            self.transcript.append(Line("customer", self.node, text, turn))
            self._end(Outcome.LOST)
        else:
            self.node = option.next
            self._arrive(option.next)
        return line

    def unmatched(self, typed: Typed) -> Line:
        """Free-text mode: the rep's words match none of the node's replies. The customer
        reacts as the node's `unmatched:` says (by default: asks them to rephrase, mood +1) and
        the call stays at this node, unless the mood reaches the breaking point."""
        if self.ended:
            raise PickError(f"the call already ended after turn {self.turn}")
        node = self.scenario.nodes[self.node]
        reaction = node.unmatched or DEFAULT_UNMATCHED
        conv = self.conversation
        turn = self.turn + 1
        mood_before, level = conv.mood, conv.level
        line = Line("trainee", self.node, typed.text, turn, typed=typed)
        self.transcript.append(line)
        conv.change_mood(reaction.mood)
        walked = conv.check_breaking_point()
        self.turns.append(TurnFacts(
            turn=turn, node=self.node, tags=typed.tags, level_before=level, level_after=level,
            asks_supervisor=node.asks_supervisor, mood_before=mood_before, mood_after=conv.mood))
        if walked:
            self.walked_out = True
            text = self.scenario.customer.walkout or DEFAULT_WALKOUT
            self.transcript.append(Line("customer", self.node, text, turn))
            self._end(Outcome.LOST)
        else:
            self.transcript.append(Line("customer", self.node, reaction.customer, turn))
        return line

    def quit(self) -> None:
        """The trainee leaves the call: it ends `incomplete`."""
        if not self.ended:
            self.ended = True
            self.outcome = Outcome.INCOMPLETE

    def result(self) -> CallResult:
        conv = self.conversation
        facts = CallFacts(
            seat=self.scenario.seat, needs=self.scenario.escalation,
            start_level=self.scenario.start_level, outcome=self.outcome, end_level=conv.level,
            mood_start=self.scenario.customer.mood, mood_end=conv.mood, turns=tuple(self.turns),
            walked_out=self.walked_out)
        return CallResult(self.scenario, self.outcome, conv.level, list(conv.steps),
                          self.scenario.customer.mood, conv.mood, list(self.transcript), facts)

    def _arrive(self, name: str) -> None:
        node = self.scenario.nodes[name]
        self.transcript.append(Line("customer", name, node.customer, self.turn))
        if node.end is not None:
            if node.end == End.LOST:
                self.conversation.lose()
            self._end(Outcome(node.end))

    def _end(self, outcome: Outcome) -> None:
        self.ended = True
        self.outcome = outcome


def play(scenario: Scenario, picks: Sequence[int | str | TypedPick]) -> CallResult:
    """Play all picks. Too few picks: the call is `incomplete`. Too many: PickError.
    A TypedPick (a stored free-text turn) plays its option, or the node's unmatched turn."""
    call = Call(scenario)
    for i, pick in enumerate(picks):
        if call.ended:
            left = len(picks) - i
            raise PickError(f"the call ended after turn {call.turn}; {left} pick"
                            f"{'s' if left != 1 else ''} left over")
        if isinstance(pick, TypedPick):
            if pick.option is None:
                call.unmatched(pick.typed)
            else:
                call.choose(pick.option, pick.typed)
        else:
            call.choose(pick)
    if not call.ended:
        call.quit()
    return call.result()
