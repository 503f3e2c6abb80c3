"""The `hotseat` command. Every command returns an exit code; no traceback reaches a user."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .call import PickError, parse_picks, play
from .checks import run_checks
from .conversation import machine_diagram
from .errors import UserError
from .graphs import scenario_diagram
from .output import call_json, call_text
from .scenario import LoadError, Scenario, load_file, load_library
from .scenario.schema import schema_json

__all__ = ["BUNDLED", "UserError", "build_parser", "main"]

# UserError lives in errors.py so that command modules can raise it without importing cli.

BUNDLED = Path(__file__).resolve().parent.parent / "scenarios"
"""The bundled library, at the project root."""


def _print(text: str = "", *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout)


def cmd_validate(args: argparse.Namespace) -> int:
    paths = args.paths or [BUNDLED]
    try:
        lib = load_library(paths)
    except LoadError as exc:
        raise UserError(str(exc)) from None
    diagnostics = list(lib.diagnostics)
    passed = total = nodes = visited = 0
    for scenario in lib.scenarios:
        results, problems = run_checks(scenario)
        diagnostics += problems
        total += len(results)
        passed += sum(r.passed for r in results)
        nodes += len(scenario.nodes)
        visited += len(frozenset().union(*(r.visited for r in results)))
    tracks = 0
    for folder in [p / "tracks" for p in paths if (p / "tracks").is_dir()]:
        from .tracks import load_tracks

        found = load_tracks(folder, lib.scenarios)  # checked against the scenarios given
        diagnostics += found.diagnostics
        tracks += len(found.tracks)
    for d in sorted(diagnostics):
        _print(str(d))
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    track_note = f"{tracks} certification track{'s' * (tracks != 1)}; " if tracks else ""
    _print(f"{len(lib.files)} file{'s' * (len(lib.files) != 1)}, "
           f"{len(lib.scenarios)} valid; {passed} of {total} checks passed, "
           f"visiting {visited} of {nodes} nodes; {track_note}"
           f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    return 1 if errors else 0


def cmd_play(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise UserError(f"{args.file}: no such file")
    scenario, problems = load_file(args.file)
    for d in problems:
        _print(str(d), err=True)
    if scenario is None:
        return 1
    _, failed_checks = run_checks(scenario, severity="warning")
    for d in failed_checks:
        _print(str(d), err=True)
    if args.choose is None:
        return open_tui(args, scenario)
    try:
        result = play(scenario, parse_picks(args.choose))
    except PickError as exc:
        _print(f"hotseat: error: {exc}", err=True)
        return 2
    card = result.score()
    if args.trainee:
        from .records_cli import record_played_call

        record_played_call(args, scenario, result, card)
    _print(call_json(result, card) if args.json else call_text(result, card))
    return 0


def open_tui(args: argparse.Namespace, scenario: Scenario | None = None) -> int:
    """The TUI (imported only here, so the other commands never load Textual)."""
    try:
        from .tui.launch import run_tui
    except ImportError as exc:
        raise UserError(f"the TUI is not available: {exc}") from None
    return run_tui(args, scenario)


def cmd_graph(args: argparse.Namespace) -> int:
    if args.machine:
        _print(machine_diagram(args.machine))
        return 0
    if args.file is None:
        raise UserError("give a scenario FILE, or --machine")
    if not args.file.is_file():
        raise UserError(f"{args.file}: no such file")
    scenario, problems = load_file(args.file)
    for d in problems:
        _print(str(d), err=True)
    if scenario is None:
        return 1
    _print(scenario_diagram(scenario))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    text = schema_json()
    if args.write:
        target = BUNDLED / "schema.json"
        target.write_text(text, encoding="utf-8")
        _print(f"wrote {target}")
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotseat", description="Role-play trainer for customer-service representatives. "
        "With no command, opens the trainee's TUI on the bundled library.")
    parser.add_argument("--db", metavar="URL", help="database URL (default: $HOTSEAT_DB, "
                        "else sqlite:///trainees.db in the current folder)")
    parser.add_argument("--as", dest="as_user", metavar="NAME",
                        help="use Hotseat as this person (default: your login name)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check scenario files: errors as file:line:col")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="files or folders (default: the bundled library)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("play", help="play a scenario with scripted picks (or open it in the TUI)")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--choose", metavar="PICKS",
                   help="comma-separated picks: 1-based positions or option ids")
    p.add_argument("--json", action="store_true", help="print the call as one JSON object")
    p.add_argument("--trainee", metavar="NAME", help="record the call as this trainee")
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("graph", help="draw a scenario's tree, or the state machine, as Mermaid")
    p.add_argument("file", type=Path, nargs="?", metavar="FILE")
    p.add_argument("--machine", nargs="?", const="both", choices=["both", "steps", "ladder"],
                   help="draw the conversation state machine instead")
    p.set_defaults(func=cmd_graph)

    p = sub.add_parser("schema", help="print the scenario JSON Schema")
    p.add_argument("--write", action="store_true", help="write it to scenarios/schema.json")
    p.set_defaults(func=cmd_schema)

    from .records_cli import register
    from .replay_cli import register_replay

    register(sub)
    register_replay(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return open_tui(args)
        return int(args.func(args))
    except UserError as exc:
        _print(f"hotseat: error: {exc}", err=True)
        return 2
    except KeyboardInterrupt:
        _print("hotseat: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
