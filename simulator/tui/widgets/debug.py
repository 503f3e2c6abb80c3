"""A playtest's debug panel (the call's state and every score event as it fires) and its list
of replies in authored order, each with its id, tags, step, mood change and next node."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static
from textual.widgets.option_list import Option

from scoring import ScoreEvent
from simulator.call import Call
from simulator.playtest import Opening, fired
from simulator.scenario import Option as Reply
from simulator.scenario import Scenario
from simulator.text import printable

from .replies import ReplyList
from .safe import line

__all__ = ["DebugPanel", "DebugReplyList", "reply_bits"]


def reply_bits(reply: Reply) -> str:
    """What a reply does, on one line: tags, step, hand-off, mood change and next node."""
    bits = [", ".join(reply.tags) or "no tags"]
    if reply.step:
        bits.append(f"step {reply.step}")
    if reply.escalate:
        bits.append(f"to {reply.escalate}")
    if reply.mood:
        bits.append(f"mood {reply.mood:+d}")
    return printable(" · ".join(bits) + f" → {reply.next}", keep_newlines=False)


class DebugReplyList(ReplyList):
    """The replies in the order they are written (a playtest never shuffles), numbered by their
    position, each with its id and what it does."""

    def show(self, replies: list[Reply]) -> None:
        self.clear_options()
        prompts = []
        for n, reply in enumerate(replies, start=1):
            text = Text.assemble((f"{n} ", "bold"))
            if reply.id:
                text.append(f"[{printable(reply.id, keep_newlines=False)}] ", "bold")
            text.append(printable(reply.say))
            text.append("\n   ")
            text.append(reply_bits(reply), "dim")
            prompts.append(Option(text, id=f"reply-{n}"))
        self.add_options(prompts)
        if replies:
            self.highlighted = 0


def _event(e: ScoreEvent, dim: bool = False) -> Text:
    text = Text.assemble((f"t{e.turn} ", "dim"), (f"{e.points:+d} {e.dimension}", "bold"),
                         f" {e.rule}\n   ", (printable(e.reason, keep_newlines=False), "dim"))
    if dim:
        text.stylize("dim")
    return text


class DebugPanel(Static, can_focus=False):
    """The playtest's state: node, turn, steps, mood, level, the last reply's tags, the score
    so far, and every score event since the playtest began, newest first (in view under the
    state however small the terminal), then the sum of the way there's."""

    DEFAULT_CSS = """
    DebugPanel { width: 36%; min-width: 30; max-width: 44; height: 1fr;
                 border-left: vkey $primary; padding: 0 1; overflow-y: auto; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.state = Text()
        self.events = Text()

    def show(self, scenario: Scenario, call: Call, opening: Opening,
             note: str | None = None) -> None:
        """Show the call's state; `note`: what the last reload did."""
        conv = call.conversation
        rows: list[tuple[str, Text]] = []
        rows.append(("node", line(call.node if not call.ended else
                                  f"{call.node} (ended: {call.outcome})")))
        start = ("the start" if opening.at_start else
                 f"{opening.node}, after --choose {opening.way}")
        rows.append(("from", line(start)))
        played = call.turn - len(opening.lead_in)
        rows.append(("turn", Text(f"{call.turn} ({played} in this playtest)")))
        rows.append(("steps", Text(", ".join(conv.steps) or "none")))
        rows.append(("mood", Text(f"{conv.mood}/10 (walks out at "
                                  f"{scenario.customer.breaking_point})")))
        rows.append(("level", Text(str(int(conv.level)))))
        if call.turns:
            last = call.turns[-1]
            tags = ", ".join(last.tags) or "none"
            rows.append(("tags", line(f"{tags} (reply {call.turn})")))
        else:
            rows.append(("tags", Text("none yet", "dim")))
        card, before, since = fired(call, opening)
        verdict = ("passed" if card.passed else "failed") if call.ended else "so far"
        rows.append(("score", Text(f"{card.overall} {verdict}")))
        state = Text()
        state.append("PLAYTEST · never counts\n", "bold reverse")
        for name, value in rows:
            state.append(f"{name:<6} ", "bold")
            state.append_text(value)
            state.append("\n")
        if note:
            state.append_text(line(note, "italic"))
        state.rstrip()
        events = Text("Score events, newest first", "bold underline")
        if not since:
            events.append("\nnone yet", "dim")
        for e in reversed(since):
            events.append("\n")
            events.append_text(_event(e))
        if before:
            total = sum(e.points for e in before)
            events.append(f"\nthe way there: {len(before)} event{'s' * (len(before) != 1)}, "
                          f"{total:+d}", "dim")
        self.state, self.events = state, events
        self.update(Text.assemble(state, "\n\n", events))
