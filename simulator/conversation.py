"""The conversation state machine: the four steps and the escalation ladder, on `transitions`.

States and transitions are defined here in code, never built from trainer YAML, and
`auto_transitions=False`, so no state can jump to another by a generated trigger.
Two machines drive one model: `progress` (how far along the four steps the call is) and
`ladder` (who holds the call, the escalation ladder). Each machine is built once, at import, and
compiled into a plain table (trigger -> state -> next state) that every Conversation reads: a
call replays in microseconds instead of building two machines per call (issue 12: `rescore`
replays 100,000 calls); tests/test_conversation.py checks that the table agrees with a live
`transitions` machine on every trigger from every state. The steps and levels are the vocabulary's
(scoring/vocabulary.py); see docs/domain.md, sections 1 and 2.
Out-of-order steps are legal moves that record what they skipped; they never raise.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from transitions import Machine
from transitions.core import MachineError

from scoring.vocabulary import ESCALATION_LEVEL, STEPS, Escalation, Level, Step

__all__ = ["LADDER_MOVES", "LADDER_TABLE", "PROGRESS_MOVES", "PROGRESS_TABLE", "Conversation",
           "Level", "Progress", "machine_diagram"]


class Progress(Enum):
    """The furthest of the four steps the call has reached."""

    OPENED = 0
    UNDERSTOOD = 1
    CAUSE_IDENTIFIED = 2
    PROPOSED = 3
    RESOLVED = 4


STEP_STATE: dict[Step, Progress] = dict(zip(STEPS, list(Progress)[1:], strict=True))


def _progress_table() -> list[dict[str, Any]]:
    table = []
    for step, dest in STEP_STATE.items():
        before = [p for p in Progress if p.value < dest.value]
        after = [p for p in Progress if p.value >= dest.value]
        table.append({"trigger": f"take_{step}", "source": before, "dest": dest})
        # taking a step already passed (a repeat, or a late step) keeps the furthest point
        table.append({"trigger": f"take_{step}", "source": after, "dest": None})
    return table


def _ladder_table() -> list[dict[str, Any]]:
    held = [level for level in Level if level != Level.LOST]  # who can still hold the call
    table: list[dict[str, Any]] = []
    for to, dest in ESCALATION_LEVEL.items():
        table.append({"trigger": f"to_{to}", "source": [lv for lv in held if lv < dest],
                      "dest": dest})
        # an escalation to the current level or below changes nothing: the level never goes down
        table.append({"trigger": f"to_{to}", "source": [lv for lv in held if lv >= dest],
                      "dest": None})
    table.append({"trigger": "walk_out", "source": held, "dest": Level.LOST})
    return table


LADDER_TABLE = _ladder_table()
PROGRESS_TABLE = _progress_table()

Moves = dict[str, dict[Any, Any]]
"""trigger -> current state -> next state; a state missing under a trigger refuses it."""


def _compile(states: type[Enum], table: list[dict[str, Any]]) -> Moves:
    """The moves of a `transitions` machine built from `table`, read off the machine itself:
    an internal transition (`dest` None) keeps the state; no transition from a state refuses."""
    machine = Machine(model=None, states=states, initial=list(states)[0], transitions=table,
                      auto_transitions=False)
    moves: Moves = {}
    for trigger, event in machine.events.items():
        moves[trigger] = {}
        for source, found in event.transitions.items():
            (move,) = found  # one unconditional transition per trigger and source
            moves[trigger][states[source]] = states[move.dest] if move.dest else states[source]
    return moves


PROGRESS_MOVES = _compile(Progress, PROGRESS_TABLE)
LADDER_MOVES = _compile(Level, LADDER_TABLE)


def _move(moves: Moves, trigger: str, state: Any) -> Any:
    """The state after `trigger`; MachineError, as `transitions` raises, when it cannot fire."""
    try:
        return moves[trigger][state]
    except KeyError:
        raise MachineError(f"Can't trigger event {trigger} from state {state.name}!") from None


class Conversation:
    """The model both machines drive. A plain object: no UI, no I/O."""

    __slots__ = ("breaking_point", "ladder", "mood", "progress", "steps")

    progress: Progress
    ladder: Level

    def __init__(self, *, mood: int = 5, breaking_point: int = 10,
                 start_level: Level = Level.REP) -> None:
        self.mood = mood
        self.breaking_point = breaking_point
        self.steps: list[Step] = []
        self.progress = Progress.OPENED
        self.ladder = Level(start_level)

    @property
    def level(self) -> Level:
        return self.ladder

    @property
    def lost(self) -> bool:
        return self.ladder is Level.LOST

    def take(self, step: Step | str) -> tuple[Step, ...]:
        """Record a step; return the steps it skipped (empty when taken in order, or repeated)."""
        if step not in STEP_STATE:
            raise ValueError(f"unknown step {step!r}")
        step = Step(step)
        skipped: tuple[Step, ...] = ()
        if step not in self.steps:
            index = STEPS.index(step)
            skipped = tuple(s for s in STEPS[:index] if s not in self.steps)
            self.steps.append(step)
        # a late or repeated step keeps the furthest point
        self.progress = _move(PROGRESS_MOVES, f"take_{step}", self.progress)
        return skipped

    def escalate(self, to: Escalation | str) -> bool:
        """Hand the call up to `expert` or `supervisor`; return whether the level rose."""
        before = self.level
        self.ladder = _move(LADDER_MOVES, f"to_{Escalation(to)}", self.ladder)
        return self.level > before

    def walk_out(self) -> bool:
        """The customer walks out: the call is lost (level 4)."""
        self.ladder = _move(LADDER_MOVES, "walk_out", self.ladder)
        return True

    def change_mood(self, delta: int) -> None:
        """Apply a mood change, clamped to 0..10."""
        self.mood = max(0, min(10, self.mood + delta))

    def check_breaking_point(self) -> bool:
        """At or above the breaking point the customer walks out (level 4): return True then."""
        if self.mood >= self.breaking_point and not self.lost:
            self.walk_out()
            return True
        return False

    def lose(self) -> None:
        """The call reached an `end: lost` node: the customer escalates on their own (level 4)."""
        if not self.lost:
            self.walk_out()


MACHINES = {
    "steps": ("The four steps of solving a problem", Progress, Progress.OPENED),
    "ladder": ("The escalation ladder", Level, Level.REP),
}


def machine_diagram(which: str = "both") -> str:
    """Mermaid diagram of a machine, drawn by transitions' mermaid engine (no Graphviz).

    `steps` or `ladder` gives that machine's diagram alone; `both` gives a Markdown page with
    each in a mermaid block (GitHub and most editors render it).
    """
    from transitions.extensions import GraphMachine

    def draw(name: str) -> str:
        title, states, initial = MACHINES[name]
        table = PROGRESS_TABLE if name == "steps" else LADDER_TABLE
        rows = [row for row in table if row["dest"] is not None]  # self-loops draw nothing new
        model = type("Model", (), {})()
        GraphMachine(model=model, states=states, initial=initial, transitions=rows,
                     auto_transitions=False, graph_engine="mermaid", title=title)
        return str(model.get_graph().draw(None)).rstrip()

    if which != "both":
        return draw(which)
    return "\n\n".join(f"## {MACHINES[n][0]}\n\n```mermaid\n{draw(n)}\n```" for n in MACHINES)
