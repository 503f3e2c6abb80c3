"""How a played call is shown: the contract's JSON object, or a readable transcript and card."""

from __future__ import annotations

from typing import Any

from scoring import Scorecard

from .call import CallResult
from .text import json_text, printable

__all__ = ["call_json", "call_text", "to_dict"]


def to_dict(result: CallResult, card: Scorecard) -> dict[str, Any]:
    """The object of scenario-format.md, "Playing without the TUI", keys in its order."""
    transcript: list[dict[str, Any]] = []
    for line in result.transcript:
        entry: dict[str, Any] = {"speaker": line.speaker, "node": line.node}
        if line.speaker == "trainee":
            entry["option"] = line.option
        entry["text"] = line.text
        transcript.append(entry)
    return {
        "scenario": result.scenario.id,
        "outcome": result.outcome,
        "level": result.level,
        "steps": list(result.steps),
        "mood": {"start": result.mood_start, "end": result.mood_end},
        "transcript": transcript,
        "score": {
            "overall": card.overall,
            "passed": card.passed,
            "dimensions": dict(card.dimensions),
            "events": [{"turn": e.turn, "dimension": e.dimension, "points": e.points,
                        "reason": e.reason, "rule": e.rule} for e in card.events],
            "failures": list(card.failures),
            "rubric": card.rubric,
        },
    }


def call_json(result: CallResult, card: Scorecard) -> str:
    """The JSON object, with every control character escaped (simulator.text.json_text)."""
    return json_text(to_dict(result, card))


def _one_line(text: str) -> str:
    return printable(text, keep_newlines=False)


def _said(text: str, indent: int) -> str:
    """A line of the call, its own line breaks kept and indented under it."""
    return printable(text).replace("\n", "\n" + " " * indent)


def call_text(result: CallResult, card: Scorecard) -> str:
    """A transcript and a scorecard a rep can read in a terminal.

    Scenario text is shown literally, every control character as a visible escape
    (simulator.text.printable): a file cannot move the cursor, retitle or clear the terminal.
    """
    s = result.scenario
    out = [f"{_one_line(s.title)}  ({_one_line(s.id)}, {s.persona}, "
           f"difficulty {s.difficulty})", ""]
    name = _one_line(s.customer.name)
    for line in result.transcript:
        if line.speaker == "customer":
            out.append(f"  {name}: {_said(line.text, 4)}")
        else:
            out.append(f"  You [{line.turn}]: {_said(line.text, 4)}")
            if line.feedback:
                out.append(f"      coach: {_said(line.feedback, 13)}")
    out += ["", (f"Outcome: {result.outcome}, level {result.level}, "
                f"mood {result.mood_start} -> {result.mood_end}"),
            f"Steps: {', '.join(result.steps) or 'none'}", "",
            (f"Score: {card.overall}  {'PASSED' if card.passed else 'FAILED'}"
            f"  (rubric {card.rubric})")]
    out.append("  " + "  ".join(f"{d} {v}" for d, v in card.dimensions.items()))
    for failure in card.failures:
        out.append(f"  ! {failure}")
    out.append("")
    for e in card.events:
        out.append(f"  turn {e.turn:>2}  {e.dimension:<10} {e.points:+4d}  {e.reason}")
    return printable("\n".join(out))  # and anything else quoted (a failure, a reason)
