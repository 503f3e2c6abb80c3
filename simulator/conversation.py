"""The conversation state machine: the four steps and the escalation ladder, on `transitions`.

States and transitions are defined here in code, never built from trainer YAML, and
`auto_transitions=False`, so no state can jump to another by a generated trigger.
Two machines share one model: `progress` (how far along the four steps the call is) and
`ladder` (who holds the call, the escalation ladder). The steps and levels are the vocabulary's
(scoring/vocabulary.py); see docs/domain.md, sections 1 and 2.
Out-of-order steps are legal moves that record what they skipped; they never raise.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum
from typing import Any

from transitions import Machine

from scoring.vocabulary import ESCALATION_LEVEL, STEPS, Escalation, Level, Step

__all__ = ["Conversation", "Level", "Progress", "machine_diagram"]


class Progress(Enum):
    """The furthest of the four steps the call has reached."""

    OPENED = 0
    UNDERSTOOD = 1
    CAUSE_IDENTIFIED = 2
    PROPOSED = 3
    RESOLVED = 4


class _SharedModelFilter(logging.Filter):
    """Both machines share one model: the second one rightly skips binding the model's
    generic `trigger` methods that the first already bound. That is by design, not a warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        return not (msg.startswith("Skip binding of '") and "trigger'" in msg)


logging.getLogger("transitions.core").addFilter(_SharedModelFilter())

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


class Conversation:
    """The model both machines drive. A plain object: no UI, no I/O."""

    progress: Progress
    ladder: Level
    walk_out: Callable[[], bool]
    """Trigger added by the ladder machine (declared for type checkers)."""

    def __init__(self, *, mood: int = 5, breaking_point: int = 10,
                 start_level: Level = Level.REP) -> None:
        self.mood = mood
        self.breaking_point = breaking_point
        self.steps: list[Step] = []
        Machine(model=self, states=Progress, initial=Progress.OPENED,
                transitions=_progress_table(), auto_transitions=False,
                model_attribute="progress")
        Machine(model=self, states=Level, initial=Level(start_level), transitions=LADDER_TABLE,
                auto_transitions=False, model_attribute="ladder")

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
        getattr(self, f"take_{step}")()  # a late or repeated step keeps the furthest point
        return skipped

    def escalate(self, to: Escalation | str) -> bool:
        """Hand the call up to `expert` or `supervisor`; return whether the level rose."""
        before = self.level
        getattr(self, f"to_{Escalation(to)}")()
        return self.level > before

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
        table = _progress_table() if name == "steps" else LADDER_TABLE
        rows = [row for row in table if row["dest"] is not None]  # self-loops draw nothing new
        model = type("Model", (), {})()
        GraphMachine(model=model, states=states, initial=initial, transitions=rows,
                     auto_transitions=False, graph_engine="mermaid", title=title)
        return str(model.get_graph().draw(None)).rstrip()

    if which != "both":
        return draw(which)
    return "\n\n".join(f"## {MACHINES[n][0]}\n\n```mermaid\n{draw(n)}\n```" for n in MACHINES)
