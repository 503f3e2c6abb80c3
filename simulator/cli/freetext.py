"""Free-text replies on the command line (issue 15): `hotseat match` for trainers and tests,
and `hotseat play FILE --say TEXT ...`, a call played from typed replies."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..call import Line, PickError
from ..freetext import Decision, Match, ScenarioMatcher
from ..freetext.detectors import detect
from ..freetext.engines import fallback_notice
from ..freetext.matcher import matcher_for
from ..freetext.play import play_typed
from ..output import call_text, to_dict
from ..scenario import Scenario
from ..text import json_text, printable
from .common import UserError, load_one, say

__all__ = ["play_said", "register", "typed_json", "typed_lines"]


def _matcher(scenario: Scenario) -> ScenarioMatcher:
    matcher = matcher_for(scenario)
    notice = fallback_notice(matcher.engine)
    if notice:
        say(f"hotseat: note: {notice}", err=True)
    return matcher


def _one_line(text: str) -> str:
    return printable(text, keep_newlines=False)


def describe(m: Match) -> str:
    """One line for a person: the decision and the closest options."""
    def cand(i: int) -> str:
        c = m.candidates[i]
        name = f" ({_one_line(c.id)})" if c.id else ""
        return f"option {c.option}{name} at {c.similarity:.3f}"
    if m.decision == Decision.MATCH:
        what = f"match: {cand(0)}"
    elif m.decision == Decision.CONFIRM:
        what = "confirm: " + " or ".join(cand(i) for i in range(len(m.closest)))
    else:
        what = f"none (closest: {cand(0)})"
    return f"{_one_line(m.text)!r} -> {what}"


def _texts(args: argparse.Namespace) -> Iterator[str]:
    if args.texts:
        for i, text in enumerate(args.texts, 1):
            if not text.strip():
                raise UserError(f"TEXT {i} is empty: type what the rep would say")
            yield text
        return
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        if text.strip():
            yield text


def cmd_match(args: argparse.Namespace) -> int:
    args.node, args.texts = args.node[0], [*args.texts, *args.node[1:]]
    scenario = load_one(args.file)
    if scenario is None:
        return 1
    node = scenario.nodes.get(args.node)
    if node is None:
        raise UserError(f"{args.file}: no node '{_one_line(args.node)}' (its nodes: "
                        f"{', '.join(scenario.nodes)})")
    if not node.options:
        raise UserError(f"{args.file}: node '{args.node}' ends the call: it has no replies")
    matcher = _matcher(scenario)
    for text in _texts(args):
        try:
            m = matcher.match(args.node, text)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        say(json_text(m.as_json(), indent=None) if args.format == "json" else describe(m))
    return 0


def play_said(args: argparse.Namespace, scenario: Scenario) -> int:
    """`play FILE --say TEXT [--say TEXT ...]`: prints what --choose prints, plus the matches."""
    if args.choose is not None:
        raise UserError("give either --choose or --say, not both")
    if getattr(args, "start_node", None) is not None:
        raise UserError("--say plays a call from its start: leave out --from")
    for i, text in enumerate(args.say, 1):
        if not text.strip():
            raise UserError(f"--say {i} is empty: type what the rep would say")
    matcher = _matcher(scenario)
    try:
        result, matches = play_typed(scenario, list(args.say), matcher)
    except PickError as exc:
        say(f"hotseat: error: {exc}", err=True)
        return 2
    card = result.score()
    if args.record:  # kept as a scripted call, each typed reply beside the option it played
        from .records import record_played_call

        record_played_call(args, scenario, result, card)
    if args.format == "json":
        data: dict[str, Any] = to_dict(result, card)
        data["matches"] = [_with_words(m) for m in matches]
        say(json_text(data))
    else:
        say(call_text(result, card))
        say("")
        say(f"Matches ({matcher.engine.name}{', the fallback' if matcher.fallback else ''}):")
        for turn, m in enumerate(matches, 1):
            say(f"  [{turn}] {describe(m)}")
            found = detect(m.text)
            for tag in found.tags:
                say(f"      your words: {tag} (scored)")
            for note in found.notes:
                say(f"      coach: {note}")
    return 0


def typed_lines(line: Line, indent: str = "        ") -> list[str]:
    """Under a stored free-text reply: what the rep typed, how it was matched, the notes."""
    t = line.typed
    if t is None:
        return []
    how = f"{t.engine} {t.similarity:.3f}" if t.similarity is not None else t.engine
    played = (f"option {line.option}" + (f" ({_one_line(line.option_id)})" if line.option_id
                                         else "")) if line.option is not None else \
        "none of the replies"
    out = [f"{indent}typed: {_one_line(repr(t.text))} -> {played} ({t.decision}, {how})"]
    out += [f"{indent}your words: {tag} (scored)" for tag in t.tags]
    out += [f"{indent}coach: {_one_line(note)}" for note in t.notes]
    return out


def typed_json(line: Line) -> dict[str, Any]:
    """A stored free-text reply's match, for JSON (empty for a reply picked from the list)."""
    t = line.typed
    if t is None:
        return {}
    return {"typed": {"text": t.text, "decision": t.decision, "engine": t.engine,
                      "similarity": t.similarity, "tags": list(t.tags), "notes": list(t.notes)}}


def _with_words(m: Match) -> dict[str, Any]:
    """The match object, and what the rep's own words did: the tags they scored, the notes."""
    found = detect(m.text)
    return {**m.as_json(), "words": {"signals": sorted(found.signals), "tags": list(found.tags),
                                     "notes": list(found.notes)}}


def register(sub: Any) -> None:
    """Add `match` to the `hotseat` parser."""
    p = sub.add_parser("match", help="map typed replies to a node's options (free-text mode)")
    p.add_argument("file", type=Path, metavar="FILE")
    # `match FILE --node NODE TEXT ...`: argparse gives a positional after an option nothing,
    # so the texts that follow --node are its own values (texts before it are positionals)
    p.add_argument("--node", required=True, nargs="+", metavar=("NODE", "TEXT"),
                   help="the node replied to, then what the rep types (default: each line of "
                        "standard input)")
    p.add_argument("texts", nargs="*", metavar="TEXT", help=argparse.SUPPRESS)
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="a line for a person, or one JSON object per line")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")
    p.set_defaults(func=cmd_match)
    p.parse_known_args = _texts_anywhere(p.parse_known_args)


def _texts_anywhere(parse: Any) -> Any:
    """TEXTs after another option (`--node N --json TEXT`) are texts too, not extras."""
    def parse_known_args(args: Any = None, namespace: Any = None) -> Any:
        ns, extras = parse(args, namespace)
        ns.texts = [*ns.texts, *(e for e in extras if not e.startswith("-"))]
        return ns, [e for e in extras if e.startswith("-")]
    return parse_known_args
