"""What the coach and the scorecard say about a call (pure: no Textual, no database)."""

from __future__ import annotations

from dataclasses import dataclass

from scoring import ScoreEvent
from simulator.call import Call, Line, PickError, play
from simulator.scenario import Scenario

__all__ = ["PathRow", "best_path", "path_rows", "turn_events"]

END_RULES = frozenset({
    "never_acknowledged", "supervisor_no_apology", "customer_lost", "calmed", "missing_step",
    "supervisor_no_plan", "missing_escalation",
})
"""Rules judged on the whole call (faults of omission): the coach keeps them for the scorecard."""
WAITS_A_TURN = frozenset({"handoff_no_expectation"})
"""Rules the next reply can still satisfy."""


def turn_events(call: Call, turn: int) -> list[ScoreEvent]:
    """The score events of one reply, by re-scoring the call so far (practice mode's coach)."""
    card = call.result().score()
    events = [e for e in card.events if e.turn == turn]
    if call.ended and call.outcome != "incomplete":
        return events
    return [e for e in events if e.rule not in END_RULES and e.rule not in WAITS_A_TURN]


def best_path(scenario: Scenario) -> list[Line] | None:
    """The rep's lines on the scenario's best path: the first check expected to pass."""
    for check in scenario.checks:
        if check.expect.passed is True:
            try:
                result = play(scenario, list(check.choose))
            except PickError:
                return None
            return [line for line in result.transcript if line.speaker == "trainee"]
    return None


@dataclass(frozen=True)
class PathRow:
    turn: int
    taken: str
    best: str
    same: bool


def path_rows(taken: list[Line], best: list[Line] | None) -> list[PathRow]:
    """The path taken beside the best path, turn by turn."""
    mine = [line for line in taken if line.speaker == "trainee"]
    theirs = best or []
    rows = []
    for i in range(max(len(mine), len(theirs))):
        a = mine[i] if i < len(mine) else None
        b = theirs[i] if i < len(theirs) else None
        same = a is not None and b is not None and (a.node, a.option) == (b.node, b.option)
        rows.append(PathRow(i + 1, a.text if a else "", b.text if b else "", same))
    return rows
