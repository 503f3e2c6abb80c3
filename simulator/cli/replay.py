"""`hotseat replay CALL`: a stored call turn by turn, with the rules that fired on each turn.

For supervisors reviewing a rep (DESIGN.md: "replays a call turn by turn with the rules that
fired"), and for a rep reading back their own call. A trainee may replay their own calls only.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from scoring import ScoreEvent

from ..call import Line
from ..text import json_text, printable
from ..wrapup import WrapUpRecord
from .common import UserError, asking, call_number, open_engine
from .freetext import typed_json, typed_lines
from .review import review_json, review_lines

if TYPE_CHECKING:
    from ..db import ReviewEntry

__all__ = ["SEES", "cmd_replay", "register", "replay_text"]

SEES = {"trainee": "a trainee sees their own calls", "trainer": "a trainer sees their own calls",
        "supervisor": "a supervisor sees the calls of their teams",
        "admin": "an admin sees every call"}


def register(sub: Any) -> None:
    p = sub.add_parser("replay", help="a stored call turn by turn, with the scoring events")
    p.add_argument("call", type=call_number, metavar="CALL",
                   help="the call's number (see `report`)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")
    p.set_defaults(func=cmd_replay)


def _shown(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return ("yes" if value else "no") if isinstance(value, bool) else _said(str(value), 29)


def _said(text: str, indent: int) -> str:
    """Stored text shown literally: controls as visible escapes, its line breaks indented."""
    return printable(text).replace("\n", "\n" + " " * indent)


def replay_text(call: Any, lines: list[Line], events: list[ScoreEvent],
                wrapup: WrapUpRecord | None, reviews: Sequence[ReviewEntry] = ()) -> str:
    """The call for a terminal: names, lines and the wrap-up are shown literally, every
    control character as a visible escape (simulator.text.printable). A supervisor's comment
    on a turn is shown under it; the comments on the whole call and the overrides at the end,
    and the result that stands in the header."""
    when = call.started.strftime("%Y-%m-%d %H:%M UTC")
    who = printable(f"{call.trainee}, {call.scenario_id}", keep_newlines=False)
    out = [f"Call {call.id}: {who} ({call.mode}), {when}"]
    if call.outcome is None:
        out.append("  still under way (or interrupted before it was marked)")
    else:
        result = "passed" if call.passed else "failed"
        scores = "  ".join(f"{d} {v}" for d, v in call.dimensions.items())
        out.append(f"  {call.outcome} at level {call.level}; "
                   + (f"{call.overall} {result}; {scores}" if call.dimensions else "not scored"))
        standing = [r for r in reviews if r.kind == "override"]
        if standing:
            last = standing[-1]
            out.append(f"  overridden: it stands as {'passed' if last.verdict else 'failed'} "
                       f"(by {last.made_by}, {last.made_at:%Y-%m-%d}); the scorer's result "
                       f"above is kept")
        out.append(f"  rubric {call.rubric_version}, scenario file {call.scenario_hash[:12]}")
    by_turn: dict[int, list[Any]] = {}
    for e in events:
        by_turn.setdefault(e.turn, []).append(e)
    said: dict[int, list[ReviewEntry]] = {}
    for r in reviews:
        if r.kind == "comment" and r.turn is not None:
            said.setdefault(r.turn, []).append(r)
    out.append("")
    shown: set[int] = set()
    for line in lines:
        if line.speaker == "customer":
            out.append(f"  customer  {_said(line.text, 12)}")
            continue
        out.append(f"  rep [{line.turn}]  {_said(line.text, 12)}")
        out += typed_lines(line)  # free-text mode: what the rep typed, and its match
        for e in by_turn.get(line.turn, []):
            out.append(f"        {e.points:+4d} {e.dimension:<10} {e.reason}  ({e.rule})")
        if line.turn not in shown:
            for r in said.get(line.turn, []):
                out += review_lines(r, indent=" " * 8)
        shown.add(line.turn)
    for turn in sorted(set(by_turn) - shown):  # e.g. omissions charged before any reply
        for e in by_turn[turn]:
            out.append(f"        {e.points:+4d} {e.dimension:<10} {e.reason}  ({e.rule})")
    if wrapup is not None:
        out += ["", "  Wrap-up (complaint record)"]
        for f in fields(wrapup):
            value = _shown(getattr(wrapup, f.name))
            if value is not None:
                out.append(f"    {f.metadata['label'].lower():<24} {value}")
    rest = [r for r in reviews if r.kind == "override" or r.turn is None
            or r.turn not in shown]
    if rest:
        out += ["", "  Review"]
        for r in rest:
            out += review_lines(r, indent="    ")
    return printable("\n".join(out))  # and anything else stored (a reason, a rule)


def cmd_replay(args: argparse.Namespace) -> int:
    from .. import db

    engine = open_engine(args)
    try:
        viewer = asking(engine, args)
        call = db.get_call(engine, viewer, args.call)
        if call is None:  # not there, or not theirs to see: the same answer
            raise UserError(f"no call {args.call} among the calls {viewer.name} may see "
                            f"({SEES[viewer.role]})")
        lines = db.call_transcript(engine, viewer, call.id)
        events = db.call_events(engine, viewer, call.id)
        wrapup = db.get_wrapup(engine, viewer, call.id)
        reviews = db.reviews_of(engine, viewer, call.id)
    finally:
        engine.dispose()
    if args.format == "json":
        print(json_text({
            "call": call.id, "trainee": call.trainee, "scenario": call.scenario_id,
            "mode": call.mode, "started": call.started.isoformat(), "outcome": call.outcome,
            "level": call.level, "overall": call.overall, "passed": call.passed,
            "dimensions": call.dimensions, "rubric": call.rubric_version,
            "transcript": [{"speaker": x.speaker, "node": x.node, "turn": x.turn,
                            "option": x.option, "text": x.text, **typed_json(x)}
                           for x in lines],
            "events": [{"turn": e.turn, "dimension": e.dimension, "points": e.points,
                        "reason": e.reason, "rule": e.rule} for e in events],
            "override": None if call.override is None else
            ("passed" if call.override else "failed"),
            "reviews": [review_json(r) for r in reviews],
        }))
    else:
        print(replay_text(call, lines, events, wrapup, reviews))
    return 0
