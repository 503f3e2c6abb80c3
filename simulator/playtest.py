"""Playtests: a trainer's call started at any node of a scenario (no database, no UI).

A call started at a node is the call a trainee would have had on the shortest way there: the
engine plays the fewest picks that take the call from `start` to the node without ending it
(breadth first, in authored order, with the real engine, so a pick that would make the customer
walk out on the way is never taken), and the playtest begins at that node's customer line.
The steps, the mood and the level are therefore the ones that way leaves; the whole call, that
way included, is what is scored and stored (so a stored playtest is a call from the start like
any other, and `replay` and `rescore` read it as one). The picks of the way are shown to the
trainer (`Opening.lead_in`), written as `play --choose` reads them.

A node no pick reaches from `start` cannot be played (link it first: `validate` warns about
it), nor can an end node (the call would be over before the first pick).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

from scoring import Scorecard, ScoreEvent

from .call import Call, CallResult, PickError
from .errors import HotseatError
from .paths import format_picks
from .review import END_RULES, WAITS_A_TURN
from .scenario import Scenario

__all__ = ["Opening", "PlaytestError", "call_from", "fired", "play_from", "shown", "way_to"]

Pick = int | str


class PlaytestError(HotseatError):
    """A start node that does not exist, is an end, or cannot be reached."""


@dataclass(frozen=True)
class Opening:
    """Where a playtest begins and how the call got there."""

    node: str
    lead_in: tuple[Pick, ...]
    """The picks of the shortest way from `start` to `node` (empty at the start)."""
    first_line: int
    """The index in the call's transcript of `node`'s customer line: the first line shown."""
    mood: int
    level: int
    steps: tuple[str, ...]
    """The state the call starts in at `node` (the one the way there leaves)."""

    @property
    def at_start(self) -> bool:
        return not self.lead_in

    @property
    def way(self) -> str:
        """The lead-in as `play --choose` reads it."""
        return format_picks(self.lead_in)

    def describe(self) -> str:
        """One line for the trainer: where the call starts and the state it starts with."""
        if self.at_start:
            return f"Playtest from the start ('{self.node}'): a fresh call."
        return (f"Playtest from node '{self.node}': the call so far is the shortest way there "
                f"(--choose {self.way}), leaving mood {self.mood}, level {self.level}, "
                f"steps {', '.join(self.steps) or 'none'}.")


def _pick(call: Call, index: int) -> Pick:
    """A pick as the explorer writes it: the option's id, else its 1-based position."""
    return call.options[index].id or index + 1


def _replay(s: Scenario, picks: list[Pick]) -> Call:
    call = Call(s)
    for pick in picks:
        call.choose(pick)
    return call


def way_to(s: Scenario, node: str) -> list[Pick] | None:
    """The fewest picks from `start` that arrive at `node` with the call still going (ties: the
    first in authored order); None when no such way exists."""
    if node == s.start:
        return []
    seen = {s.start}
    queue: deque[list[Pick]] = deque([[]])
    while queue:
        picks = queue.popleft()
        call = _replay(s, picks)
        for index in range(len(call.options)):
            step = [*picks, _pick(call, index)]
            after = _replay(s, step)
            if after.ended or after.node in seen:
                continue
            if after.node == node:
                return step
            seen.add(after.node)
            queue.append(step)
    return None


def call_from(s: Scenario, node: str | None = None) -> tuple[Call, Opening]:
    """A call at `node` (None: the start), on the shortest way there; PlaytestError when it
    cannot start there."""
    node = s.start if node is None else node
    if node not in s.nodes:
        known = ", ".join(s.nodes)
        raise PlaytestError(f"scenario '{s.id}' has no node '{node}' (its nodes: {known})")
    if s.nodes[node].end is not None and node != s.start:
        raise PlaytestError(f"node '{node}' is an end ({s.nodes[node].end}): the call would be "
                            "over before the first reply; start at a node with replies")
    picks = way_to(s, node)
    if picks is None:
        raise PlaytestError(f"node '{node}' cannot be reached from the start ('{s.start}') "
                            "without the call ending: link it from a reply first")
    call = _replay(s, picks)
    conv = call.conversation
    return call, Opening(node, tuple(picks), len(call.transcript) - 1, conv.mood,
                         int(conv.level), tuple(str(x) for x in conv.steps))


def play_from(s: Scenario, node: str | None, picks: list[Pick]) -> tuple[CallResult, Opening]:
    """Play `picks` from `node` (the `play --from NODE --choose PICKS` of a trainer). Too few
    picks: the call is `incomplete`; too many: PickError. The result is the whole call's, the
    way there included (`shown` cuts its transcript to what the trainer played)."""
    call, opening = call_from(s, node)
    for i, pick in enumerate(picks):
        if call.ended:
            left = len(picks) - i
            raise PickError(f"the call ended after turn {call.turn - len(opening.lead_in)} "
                            f"from '{opening.node}'; {left} pick{'s' if left != 1 else ''} "
                            "left over")
        call.choose(pick)
    if not call.ended:
        call.quit()
    return call.result(), opening


def shown(result: CallResult, opening: Opening) -> CallResult:
    """The result with its transcript starting at the opening node's customer line (its facts,
    and so its score, stay the whole call's)."""
    return replace(result, transcript=result.transcript[opening.first_line:])


def fired(call: Call, opening: Opening) -> tuple[Scorecard, list[ScoreEvent], list[ScoreEvent]]:
    """The call's scorecard so far, the score events of the way there, and the events fired
    since the playtest began, in order. While the call goes on, the rules judged on the whole
    call (a step never taken...) and those the next reply can still satisfy have not fired
    yet; once it ends, every event has."""
    card = call.result().score()
    way = len(opening.lead_in)
    since: list[ScoreEvent] = []
    before: list[ScoreEvent] = []
    for e in card.events:
        if not call.ended and (e.rule in END_RULES
                               or (e.rule in WAITS_A_TURN and e.turn == call.turn)):
            continue
        (before if e.turn <= way and e.rule not in END_RULES else since).append(e)
    return card, before, since
