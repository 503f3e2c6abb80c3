"""Commands that read and write trainees.db: report, rescore, trainee, and `play --trainee`.

`hotseat play FILE --choose ... --trainee NAME` records the call in mode `scripted`: the picks
were known in advance, so it shows in the history and in reports, and `rescore` checks it, but it
never counts for certification (only exam calls, taken in the TUI, do).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from scoring import Scorecard
from scoring.vocabulary import Role

from ..call import CallResult
from ..scenario import Scenario
from ..text import json_text
from ..tracks import load_tracks
from .common import UserError, library, open_engine, viewer
from .formats import to_csv, to_table

__all__ = ["record_played_call", "register"]

FORMATS = ("table", "csv", "json")
SECTIONS = ("trainees", "certifications", "calls")


def register(sub: Any) -> None:
    """Add the database commands to the `hotseat` parser."""
    p = sub.add_parser("report", help="calls, scores and certification of trainees "
                                      "(table, CSV or JSON)")
    p.add_argument("--trainee", metavar="NAME", help="one trainee only")
    p.add_argument("--team", metavar="TEAM", help="one team only")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--rows", choices=SECTIONS, help="one section only (CSV: default calls)")
    p.add_argument("--last", type=int, metavar="N",
                   help="only each trainee's N most recent calls in the calls section")
    p.add_argument("--tracks", type=Path, metavar="DIR",
                   help="certification tracks (default: the bundled scenarios/tracks)")
    p.add_argument("--scenarios", type=Path, action="append", metavar="PATH",
                   help="scenario files or folders for refresher proposals "
                        "(default: the bundled library)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("rescore", help="recompute every stored call and list the differences")
    p.add_argument("--scenarios", type=Path, action="append", metavar="PATH",
                   help="where to find the calls' scenarios by id (default: the bundled library)")
    p.add_argument("--trainee", metavar="NAME", help="one trainee's calls only")
    p.set_defaults(func=cmd_rescore)

    p = sub.add_parser("trainee", help="add a person, or set their team, role or display name")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--team", metavar="TEAM")
    p.add_argument("--display-name", metavar="TEXT")
    p.add_argument("--role", choices=tuple(Role))
    p.set_defaults(func=cmd_trainee)


def record_played_call(args: argparse.Namespace, scenario: Scenario, result: CallResult,
                       card: Scorecard) -> None:
    """Store a call played with --choose as `args.trainee` (created if new), mode scripted."""
    from .. import db

    engine = open_engine(args)
    try:
        call_id = db.start_call(engine, args.trainee, scenario, "scripted")
        db.finish_call(engine, call_id, result, card)
    finally:
        engine.dispose()
    print(f"hotseat: recorded call {call_id} for {args.trainee}", file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> int:
    from .. import db

    engine = open_engine(args)
    try:
        asking = viewer(engine, args)
        if asking is not None and asking.role == "trainee":
            # a trainee sees their own calls only (docs/reviewing-a-team.md, "Privacy")
            if args.team or (args.trainee and args.trainee != asking.name):
                raise UserError(f"{asking.name} is a trainee: a trainee's report shows their "
                                "own calls only (drop --trainee/--team)")
            args.trainee = asking.name
        people = db.trainees(engine, name=args.trainee, team=args.team)
        if not people:
            who = f"trainee '{args.trainee}'" if args.trainee else None
            who = who or (f"team '{args.team}'" if args.team else "anyone")
            raise UserError(f"no {who} in {db.resolve_url(args.db)}")
        lib = library(args.scenarios)
        tracks = load_tracks(args.tracks)  # checked against the library by the tests
        for d in tracks.diagnostics:
            print(str(d), file=sys.stderr)
        report = db.build_report(engine, people, tracks.tracks, lib.scenarios, last=args.last)
    finally:
        engine.dispose()
    sections = [args.rows] if args.rows else list(SECTIONS)
    if args.format == "json":
        out: dict[str, Any] = {"date": report.today.isoformat()}
        out.update({s: getattr(report, s) for s in sections})
        sys.stdout.write(json_text(out) + "\n")
    elif args.format == "csv":
        section = args.rows or "calls"
        sys.stdout.write(to_csv(getattr(report, section), _columns(section)))
    else:
        for i, section in enumerate(sections):
            if i:
                print()
            print(f"{section.capitalize()} ({report.today.isoformat()})")
            print(to_table(getattr(report, section), _columns(section, table=True)))
    return 0


def _columns(section: str, *, table: bool = False) -> tuple[str, ...]:
    """A section's columns; a terminal table leaves out the wrap-up's free text."""
    from ..db.report import CALL_COLUMNS, CALL_TABLE_COLUMNS, CERT_COLUMNS, TRAINEE_COLUMNS

    return {"trainees": TRAINEE_COLUMNS, "certifications": CERT_COLUMNS,
            "calls": CALL_TABLE_COLUMNS if table else CALL_COLUMNS}[section]


def cmd_rescore(args: argparse.Namespace) -> int:
    from .. import db

    lib = library(args.scenarios)
    engine = open_engine(args)
    try:
        results, skipped = db.rescore_calls(engine, lib.by_id, trainee=args.trainee)
    finally:
        engine.dispose()
    differing = [r for r in results if r.differs]
    for r in differing:
        head = f"call {r.call_id} ({r.trainee}, {r.scenario_id}, {r.started} UTC)"
        if r.problem:
            print(f"{head}: cannot rescore: {r.problem}")
        else:
            print(f"{head}: {', '.join(r.changes)}; {r.why}")
    note = f"; {skipped} unscored (interrupted or under way) skipped" if skipped else ""
    print(f"{len(results)} call{'s' * (len(results) != 1)} rescored, "
          f"{len(differing)} difference{'s' * (len(differing) != 1)}{note}")
    return 1 if differing else 0


def cmd_trainee(args: argparse.Namespace) -> int:
    from .. import db

    engine = open_engine(args)
    try:
        asking = viewer(engine, args)
        if args.role and asking is not None and asking.role == "trainee":
            raise UserError(f"{asking.name} is a trainee: only a trainer or a supervisor "
                            "can change roles")
        person = db.get_or_create_trainee(engine, args.name, display_name=args.display_name,
                                          team=args.team)
        if args.role:
            person = db.set_role(engine, args.name, args.role)
    finally:
        engine.dispose()
    print(f"{person.name}: role {person.role}, team {person.team or '-'}, "
          f"display name {person.display_name or '-'}")
    return 0
