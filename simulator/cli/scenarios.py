"""The commands on scenario files: validate, play, graph, schema."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Any

from scoring.vocabulary import STEPS

from ..bundled import BUNDLED, BUNDLED_SCHEMA
from ..call import PickError, parse_picks, play
from ..checks import coverage, run_checks
from ..conversation import machine_diagram
from ..graphs import scenario_diagram, scenario_dot
from ..output import call_json, call_text, to_dict
from ..paths import Exploration, explore, format_picks
from ..playtest import call_from, play_from, shown
from ..scenario import Library, LoadError, Scenario, load_library
from ..scenario.library import collector_paused
from ..scenario.schema import schema_json
from ..text import json_text, printable
from ..tracks import load_tracks
from .common import UserError, load_one, say, site_libraries
from .freetext import play_said
from .records import record_played_call
from .tui import open_tui

__all__ = ["register"]


def cmd_validate(args: argparse.Namespace) -> int:
    # no PATH: the whole library the TUI and the other commands use (bundled, the site's
    # $HOTSEAT_SCENARIOS and any `hotseat --scenarios DIR validate`), so ids clash as they would
    given = getattr(args, "library_paths", None) or []
    paths = args.paths or [BUNDLED, *site_libraries(), *given]
    try:
        with collector_paused():
            lib = load_library(paths)
            # the library stays till the end: the collector leaves it alone from now on, instead
            # of walking all of it once it is back on, and again at each full collection
            gc.freeze()
    except LoadError as exc:
        raise UserError(str(exc)) from None
    try:
        return _validate(args, paths, lib)
    finally:
        gc.unfreeze()


def _validate(args: argparse.Namespace, paths: list[Path], lib: Library) -> int:
    diagnostics = list(lib.diagnostics)
    passed = total = nodes = visited = 0
    for scenario in lib.scenarios:
        results, problems = run_checks(scenario)
        diagnostics += problems
        missed = coverage(scenario, results)
        if missed is not None:
            diagnostics.append(missed)
        total += len(results)
        passed += sum(r.passed for r in results)
        nodes += len(scenario.nodes)
        visited += len(frozenset().union(*(r.visited for r in results)))
    tracks = 0
    for folder in [p / "tracks" for p in paths if (p / "tracks").is_dir()]:
        found = load_tracks(folder, lib.scenarios)  # checked against the scenarios given
        diagnostics += found.diagnostics
        tracks += len(found.tracks)
    explored = [explore(s) for s in lib.scenarios] if args.explore else []
    path_warnings = [w for e in explored for w in e.warnings]
    # a file is valid when it has no error at all: a failed check or a wrong translation too
    broken = {d.path for d in diagnostics if d.is_error}
    valid = sum(s.file not in broken for s in lib.scenarios)
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors + len(path_warnings)
    if args.format == "json":
        say(json_text({
            "files": len(lib.files), "valid": valid,
            "checks": {"passed": passed, "total": total},
            "nodes": {"visited": visited, "total": nodes}, "tracks": tracks,
            "errors": errors, "warnings": warnings,
            "diagnostics": [str(d) for d in sorted(diagnostics)],
            **({"scenarios": {e.scenario.id: e.as_json() for e in explored}}
               if args.explore else {}),
        }))
        return 1 if errors else 0
    for d in sorted(diagnostics):
        say(str(d))
    for e in explored:
        for line in _path_report(e):
            say(line)
    track_note = f"{tracks} certification track{'s' * (tracks != 1)}; " if tracks else ""
    path_note = ""
    if args.explore:
        count = sum(e.paths for e in explored)
        path_note = f"{count} path{'s' * (count != 1)} explored; "
    say(f"{len(lib.files)} file{'s' * (len(lib.files) != 1)}, "
        f"{valid} valid; {passed} of {total} checks passed, "
        f"visiting {visited} of {nodes} nodes; {track_note}{path_note}"
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    return 1 if errors else 0


def _path_report(e: Exploration) -> list[str]:
    """The explorer's numbers for one scenario, as lines of text (its warnings positioned)."""
    s = e.scenario
    lines = [printable(f"{s.id} ({s.file}): {e.summary()}", keep_newlines=False)]
    for name, b in e.bounds.items():
        lines.append(f"  {name:<11}{b.min:>4} to {b.max:<4} lowest --choose "
                     f"{format_picks(b.min_picks) or '(none)'}; highest --choose "
                     f"{format_picks(b.max_picks) or '(none)'}")
    if not e.bounds:
        lines.append("  no path ends: nothing to score")
    never = [str(x) for x in STEPS if x not in e.steps]
    lines.append(f"  steps: {', '.join(e.steps) or 'none'}"
                 + (f" (never: {', '.join(never)})" if never else ""))
    lines.append(f"  ends: {', '.join(e.ends) or 'none'}")
    if not any(w.message.startswith("a path that passes") for w in e.warnings):
        lines.append("  no passing path lies, hides behind policy, breaks the policy card, "
                     "loses the customer or misses a needed escalation")
    lines += [f"  {w}" for w in e.warnings]
    return lines


def cmd_play(args: argparse.Namespace) -> int:
    if args.trainee is not None:  # refuse a name that cannot be kept before playing anything
        from ..db.records import check_name

        check_name(args.trainee)
        args.record = True
    scenario = load_one(args.file)
    if scenario is None:
        return 1
    _, failed_checks = run_checks(scenario, severity="warning")
    for d in failed_checks:
        say(str(d), err=True)
    start_node = getattr(args, "start_node", None)
    if start_node is not None:
        call_from(scenario, start_node)  # a node that is not there, or an end: said before
    if args.say:  # free-text replies: simulator/cli/freetext.py
        return play_said(args, scenario)
    if args.choose is None:
        return open_tui(args, scenario, start_node=start_node)
    if start_node is not None:
        return _play_from(args, scenario, start_node)
    try:
        result = play(scenario, parse_picks(args.choose))
    except PickError as exc:
        say(f"hotseat: error: {exc}", err=True)
        return 2
    card = result.score()
    if args.record:
        record_played_call(args, scenario, result, card)
    say(call_json(result, card) if args.format == "json" else call_text(result, card))
    return 0


def _play_from(args: argparse.Namespace, scenario: Scenario, node: str) -> int:
    """`play FILE --from NODE --choose PICKS`: the picks played from the node (a playtest: it
    is recorded, with --record, as one, and never counts)."""
    try:
        result, opening = play_from(scenario, node, parse_picks(args.choose))
    except PickError as exc:
        say(f"hotseat: error: {exc}", err=True)
        return 2
    card = result.score()
    if args.record:
        record_played_call(args, scenario, result, card, mode="playtest")
    if args.format == "json":
        data = to_dict(shown(result, opening), card)
        data["from"] = {"node": opening.node, "lead_in": list(opening.lead_in),
                        "mood": opening.mood, "level": opening.level,
                        "steps": list(opening.steps)}
        say(json_text(data))
    else:
        say(printable(opening.describe(), keep_newlines=False))
        say(call_text(shown(result, opening), card))
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    if args.machine:
        if args.format != "mermaid":
            raise UserError("--machine draws Mermaid only: leave out --format dot")
        say(machine_diagram(args.machine))
        return 0
    if args.file is None:
        raise UserError("give a scenario FILE, or --machine")
    scenario = load_one(args.file)
    if scenario is None:
        return 1
    draw = scenario_dot if args.format == "dot" else scenario_diagram
    say(draw(scenario))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    text = schema_json()
    if args.write:
        BUNDLED_SCHEMA.write_text(text, encoding="utf-8")
        say(f"wrote {BUNDLED_SCHEMA}")
    else:
        sys.stdout.write(text)
    return 0


def register(sub: Any) -> None:
    """Add the scenario commands to the `hotseat` parser."""
    p = sub.add_parser("validate", help="check scenario files: errors as file:line:col")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="files or folders (default: the whole library: the bundled one, "
                        "$HOTSEAT_SCENARIOS and `hotseat --scenarios DIR validate`)")
    p.add_argument("--paths", dest="explore", action="store_true",
                   help="also walk every path of each scenario: how many, the lowest and "
                        "highest scores with their picks, the steps and ends reached, and any "
                        "path that passes while it should not")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="lines of text, or one JSON object")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("play", help="play a scenario with scripted picks (or open it in the TUI)")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--choose", metavar="PICKS",
                   help="comma-separated picks: 1-based positions or option ids")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="a readable transcript and scorecard, or one JSON object")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")
    p.add_argument("--record", action="store_true",
                   help="keep the call in the database, as yours (a scripted call: it never "
                        "counts for certification)")
    p.add_argument("--trainee", metavar="NAME",
                   help="the same as --record, when NAME is you (kept for older scripts)")
    p.add_argument("--say", action="append", metavar="TEXT",
                   help="play from typed replies instead (repeatable, one per turn): each is "
                        "matched to the turn's options, a confirm takes the closest; prints "
                        "what --choose prints, plus the matches")
    p.add_argument("--from", dest="start_node", metavar="NODE",
                   help="a playtest from this node: the call so far is the shortest way "
                        "there; the picks of --choose are played from it (it never counts)")
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("graph", help="draw a scenario's tree (Mermaid or Graphviz DOT), or the "
                                     "state machine (Mermaid)")
    p.add_argument("file", type=Path, nargs="?", metavar="FILE")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid",
                   help="a Mermaid flowchart (the default) or a Graphviz DOT graph")
    p.add_argument("--machine", nargs="?", const="both", choices=["both", "steps", "ladder"],
                   help="draw the conversation state machine instead")
    p.set_defaults(func=cmd_graph)

    p = sub.add_parser("schema", help="print the scenario JSON Schema")
    p.add_argument("--write", action="store_true", help="write it to scenarios/schema.json")
    p.set_defaults(func=cmd_schema)
