"""A stored call, turn by turn, as the replay screen shows it (pure: no Textual, no database).

The database keeps every line said and every score event with its turn, but not the customer's
mood, the step or the escalation level after each reply: those are worked out again here by
playing the stored picks on the scenario the call was played on (the state machine is
deterministic). Without that scenario (its file was not kept, or the picks no longer fit it),
the turns are still shown, with those three left unknown and `Replay.missing` saying why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from scoring import ScoreEvent
from scoring.vocabulary import Step

from .call import Call, Line, PickError
from .review import best_path
from .scenario import Scenario

__all__ = ["Replay", "ReplayTurn", "replay"]


@dataclass(frozen=True)
class ReplayTurn:
    """One turn of a stored call: the rep's reply (none for the opening, turn 0), what the
    customer said next, and what the turn changed and earned."""

    turn: int
    said: Line | None
    """The rep's line (with the coach's feedback); None for the customer's opening."""
    customer: tuple[str, ...]
    """What the customer said after this reply (for turn 0: the opening)."""
    events: tuple[ScoreEvent, ...] = ()
    """The score events this turn caused, in the scorecard's order."""
    step: Step | None = None
    """The step this reply took, if any."""
    mood: int | None = None
    """The customer's mood (0..10) after the turn; None when it cannot be worked out."""
    level: int | None = None
    """Who holds the call after the turn (1 rep .. 4 lost); None when unknown."""
    best: str | None = None
    """What the best path says at this turn (None: the scenario has no best path, or it is
    shorter)."""
    same_as_best: bool = False


@dataclass(frozen=True)
class Replay:
    turns: list[ReplayTurn]
    has_best: bool = False
    """The scenario has a best path (a check expected to pass)."""
    missing: str | None = None
    """Why mood, step and level are unknown (None: they are known)."""
    unplaced: tuple[ScoreEvent, ...] = field(default_factory=tuple)
    """Score events on a turn with no line (none on a call stored by Hotseat)."""


def replay(lines: Sequence[Line], events: Sequence[ScoreEvent],
           scenario: Scenario | None, missing: str | None = None) -> Replay:
    """Group a stored call's lines by turn, attach each score event to the turn that caused
    it, and (given the scenario it was played on) the step, mood and level after each turn and
    the best path beside it. `missing` says why there is no scenario."""
    said: dict[int, Line] = {}
    customer: dict[int, list[str]] = {}
    for line in lines:
        if line.speaker == "trainee":
            said.setdefault(line.turn, line)
        else:
            customer.setdefault(line.turn, []).append(line.text)
    numbers = sorted(set(said) | set(customer) | {0})
    by_turn: dict[int, list[ScoreEvent]] = {}
    for e in events:
        by_turn.setdefault(e.turn, []).append(e)

    moods: dict[int, tuple[Step | None, int, int]] = {}
    best: list[Line] | None = None
    if scenario is not None:
        try:
            moods = _states(scenario, [said[n] for n in sorted(said)])
        except (PickError, KeyError, IndexError) as exc:
            missing = f"the stored picks do not fit the scenario file ({exc})"
        best = best_path(scenario)
    elif missing is None:
        missing = "the scenario file this call was played on is not available"
    turns = []
    for n in numbers:
        reply = said.get(n)
        step, mood, level = moods.get(n, (None, None, None))
        shown_best, same = None, False
        if best is not None and reply is not None and 1 <= n <= len(best):
            shown_best = best[n - 1].text
            same = (best[n - 1].node, best[n - 1].option) == (reply.node, reply.option)
        turns.append(ReplayTurn(n, reply, tuple(customer.get(n, ())), tuple(by_turn.pop(n, ())),
                                step, mood, level, shown_best, same))
    unplaced = tuple(e for n in sorted(by_turn) for e in by_turn[n])
    return Replay(turns, best is not None, missing, unplaced)


def _states(scenario: Scenario, replies: list[Line]) -> dict[int, tuple[Step | None, int, int]]:
    """Play the stored picks: (step taken, mood after, level after) of each turn, 0 the start."""
    call = Call(scenario)
    conv = call.conversation
    out: dict[int, tuple[Step | None, int, int]] = {0: (None, conv.mood, int(conv.level))}
    for line in replies:
        if line.option is None and line.typed is None:
            raise PickError(f"turn {line.turn} has no stored pick")
        if call.ended:
            raise PickError(f"the call ended before turn {line.turn}")
        if line.option is None and line.typed is not None:  # free text that matched none
            call.unmatched(line.typed)
        else:
            assert line.option is not None
            call.choose(line.option, line.typed)
        facts = call.turns[-1]
        out[line.turn] = (facts.step, facts.mood_after, int(conv.level))
    return out
