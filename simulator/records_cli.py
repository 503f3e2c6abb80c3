"""Commands that read and write trainees.db: report, rescore, trainee, and `play --trainee`.

`hotseat play FILE --choose ... --trainee NAME` records the call in mode `scripted`: the picks
were known in advance, so it shows in the history and in reports, and `rescore` checks it, but it
never counts for certification (only exam calls, taken in the TUI, do).
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import json
import sys
from pathlib import Path
from typing import Any

from .errors import UserError

__all__ = ["neutralise", "record_played_call", "register"]

FORMATS = ("table", "csv", "json")
SECTIONS = ("trainees", "certifications", "calls")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


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
    p.add_argument("--role", choices=("trainee", "trainer", "supervisor"))
    p.set_defaults(func=cmd_trainee)


def _engine(args: argparse.Namespace) -> Any:
    from . import db

    return db.make_engine(getattr(args, "db", None))


def record_played_call(args: argparse.Namespace, scenario: Any, result: Any, card: Any) -> None:
    """Store a call played with --choose as `args.trainee` (created if new), mode scripted."""
    from . import db

    engine = _engine(args)
    try:
        call_id = db.start_call(engine, args.trainee, scenario, "scripted")
        db.finish_call(engine, call_id, result, card)
    finally:
        engine.dispose()
    print(f"hotseat: recorded call {call_id} for {args.trainee}", file=sys.stderr)


def _library(paths: list[Path] | None) -> Any:
    from .cli import BUNDLED
    from .scenario import LoadError, load_library

    try:
        lib = load_library(paths or [BUNDLED])
    except LoadError as exc:
        raise UserError(str(exc)) from None
    for d in lib.errors:
        print(str(d), file=sys.stderr)
    return lib


def _viewer(engine: Any, args: argparse.Namespace) -> Any:
    """The person running the command, if the database knows them."""
    from . import db

    name = getattr(args, "as_user", None)
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            return None
    return db.find_trainee(engine, name)


def cmd_report(args: argparse.Namespace) -> int:
    from . import db
    from .tracks import load_tracks

    engine = _engine(args)
    try:
        viewer = _viewer(engine, args)
        if viewer is not None and viewer.role == "trainee":
            # a trainee sees their own calls only (docs/reviewing-a-team.md, "Privacy")
            if args.team or (args.trainee and args.trainee != viewer.name):
                raise UserError(f"{viewer.name} is a trainee: a trainee's report shows their "
                                "own calls only (drop --trainee/--team)")
            args.trainee = viewer.name
        people = db.trainees(engine, name=args.trainee, team=args.team)
        if not people:
            who = f"trainee '{args.trainee}'" if args.trainee else None
            who = who or (f"team '{args.team}'" if args.team else "anyone")
            raise UserError(f"no {who} in {db.resolve_url(args.db)}")
        lib = _library(args.scenarios)
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
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        section = args.rows or "calls"
        sys.stdout.write(to_csv(getattr(report, section), _columns(section)))
    else:
        for i, section in enumerate(sections):
            if i:
                print()
            print(f"{section.capitalize()} ({report.today.isoformat()})")
            print(to_table(getattr(report, section), _columns(section)))
    return 0


def _columns(section: str) -> tuple[str, ...]:
    from .db.report import CALL_COLUMNS, CERT_COLUMNS, TRAINEE_COLUMNS

    return {"trainees": TRAINEE_COLUMNS, "certifications": CERT_COLUMNS,
            "calls": CALL_COLUMNS}[section]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def neutralise(text: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (OWASP CSV injection)."""
    if text.startswith(DANGEROUS) or text.lstrip().startswith(DANGEROUS[:4]):
        return "'" + text
    return text


def to_csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """CSV with a header; text cells neutralised (numbers are ours and stay numbers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) if isinstance(v, int | float) and not isinstance(v, bool)
                         else neutralise(_cell(v)) for v in (row[c] for c in columns)])
    return buffer.getvalue()


def to_table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    if not rows:
        return "  (none)"
    cells = [[_cell(row[c]).replace("\n", " ") for c in columns] for row in rows]
    shown = [i for i, c in enumerate(columns) if any(r[i] for r in cells)]
    widths = {i: max(len(columns[i]), *(len(r[i]) for r in cells)) for i in shown}
    lines = ["  " + "  ".join(columns[i].ljust(widths[i]) for i in shown).rstrip()]
    lines += ["  " + "  ".join(r[i].ljust(widths[i]) for i in shown).rstrip() for r in cells]
    return "\n".join(lines)


def cmd_rescore(args: argparse.Namespace) -> int:
    from . import db

    lib = _library(args.scenarios)
    engine = _engine(args)
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
    from . import db

    engine = _engine(args)
    try:
        viewer = _viewer(engine, args)
        if args.role and viewer is not None and viewer.role == "trainee":
            raise UserError(f"{viewer.name} is a trainee: only a trainer or a supervisor "
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
