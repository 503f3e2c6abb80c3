"""Commands that read and write trainees.db: report, certify, rescore, and `play --trainee`.

`hotseat play FILE --choose ... --trainee NAME` records the call in mode `scripted`: the picks
were known in advance, so it shows in the history and in reports, and `rescore` checks it, but it
never counts for certification (only exam calls, taken in the TUI, do).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..text import json_text, printable
from .common import UserError, asking, library, open_engine
from .formats import to_table, write_csv, write_json

if TYPE_CHECKING:  # the database layer, the core and the models: imported when a command
    # needs them (`report` starts without them, issue 12)
    from sqlalchemy import Engine

    from scoring import Scorecard

    from ..call import CallResult
    from ..db import Trainee, Viewer
    from ..db.rescore import Rescored
    from ..scenario import Scenario

XAPI_HOME = "https://hotseat.invalid"
"""simulator.xapi.DEFAULT_HOME (a test holds them equal), without importing the xAPI module
to build the parser."""

__all__ = ["record_played_call", "register"]

FORMATS = ("table", "csv", "json", "xapi")
RESCORE_FORMATS = ("text", "json")
SECTIONS = ("trainees", "certifications", "calls", "scenarios")


def register(sub: Any) -> None:
    """Add the database commands to the `hotseat` parser."""
    p = sub.add_parser("report", help="calls, scores and certification of trainees "
                                      "(table, CSV or JSON)")
    p.add_argument("--trainee", metavar="NAME", help="one trainee only")
    p.add_argument("--team", metavar="TEAM", help="one team only")
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="xapi: one xAPI statement per call, as a JSON array (one statement a "
                        "line), for a learning record store")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")
    p.add_argument("--xapi-home", metavar="URL", default=XAPI_HOME,
                   help=f"the homePage of the xAPI accounts and the root of every IRI "
                        f"(default {XAPI_HOME})")
    p.add_argument("--rows", choices=SECTIONS,
                   help="one section only (CSV: default calls); scenarios: each scenario's "
                        "results without names (trainers, supervisors and admins)")
    p.add_argument("--last", type=int, metavar="N",
                   help="only each trainee's N most recent calls in the calls section")
    p.add_argument("--tracks", type=Path, metavar="DIR",
                   help="certification tracks (default: the bundled scenarios/tracks)")
    p.add_argument("--scenarios", type=Path, action="append", metavar="PATH",
                   help="scenario files or folders for refresher proposals "
                        "(default: the bundled library)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("certify", help="store the certificates the calls earn that are not "
                                       "stored yet (a report never writes; the TUI stores them "
                                       "after each exam)")
    p.add_argument("--trainee", metavar="NAME", help="one trainee only")
    p.add_argument("--team", metavar="TEAM", help="one team only")
    p.add_argument("--tracks", type=Path, metavar="DIR",
                   help="certification tracks (default: the bundled scenarios/tracks)")
    p.add_argument("--scenarios", type=Path, action="append", metavar="PATH",
                   help="more scenario files or folders, added to the bundled library")
    p.set_defaults(func=cmd_certify)

    p = sub.add_parser("rescore", help="recompute every stored call and list the differences, "
                                       "the calls whose pass or fail changed first")
    p.add_argument("--scenarios", type=Path, action="append", metavar="PATH",
                   help="more scenario files or folders, added to the bundled library")
    p.add_argument("--trainee", metavar="NAME", help="one trainee's calls only")
    p.add_argument("--adopt", action="store_true",
                   help="keep each differing call's new scorecard beside its stored one, with "
                        "who and when (admins; never an edit of the stored score)")
    p.add_argument("--against-library", action="store_true",
                   help="score each call on the library's version of its scenario today "
                        "(default: on the exact file it was played on, kept in the database)")
    p.add_argument("--format", choices=RESCORE_FORMATS, default="text")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")
    p.set_defaults(func=cmd_rescore)


def record_played_call(args: argparse.Namespace, scenario: Scenario, result: CallResult,
                       card: Scorecard, mode: str = "scripted") -> None:
    """Store a call played with --choose as the one asking (added as a trainee when new), in
    mode scripted (a playtest with --from). Nobody records a call as someone else."""
    from .. import db

    if getattr(args, "as_user", None) is not None:
        raise UserError("a call is recorded as yourself: drop --as to record it")
    engine = open_engine(args)
    try:
        viewer = asking(engine, args, create=True)
        if args.trainee is not None and db.normalise(args.trainee) != viewer.name:
            raise UserError(f"you are {viewer.name}: a call is recorded as the one who plays "
                            f"it, never as someone else ({args.trainee})")
        call_id = db.start_call(engine, viewer.name, scenario, mode)
        db.finish_call(engine, call_id, result, card)
    finally:
        engine.dispose()
    print(f"hotseat: recorded call {call_id} for {printable(viewer.name)}", file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> int:
    from ..db.bulk import paused_gc

    if args.format != "xapi":  # the fast path (simulator.db.raw) when nothing is unusual
        from .fastreport import fast_report

        done = fast_report(args)
        if done is not None:
            fast, sections, messages = done
            for line in messages:
                print(line, file=sys.stderr)
            with paused_gc():
                _write_report(args, fast, sections)
            return 0
    from .. import db

    engine = open_engine(args)
    try:
        viewer = asking(engine, args)
        if viewer.role in ("trainee", "trainer"):
            # they see their own calls only (docs/reviewing-a-team.md, "Privacy")
            if args.team or (args.trainee and db.normalise(args.trainee) != viewer.name):
                raise UserError(f"{viewer.name} is a {viewer.role}: their report shows their "
                                "own calls only (drop --trainee/--team)")
            args.trainee = viewer.name
        people = db.trainees(engine, viewer, name=args.trainee, team=args.team)
        if not people:
            who = f"trainee '{args.trainee}'" if args.trainee else None
            who = who or (f"team '{args.team}'" if args.team else "anyone")
            raise UserError(f"no {who} in {db.shown_url(db.resolve_url(args.db))}")
        if args.format == "xapi":
            return _xapi(args, engine, viewer, people)
        lib = library(args.scenarios)
        tracks = _tracks(args)
        # the scenarios' results without names: what a trainer reads; others ask with --rows
        sections = [args.rows] if args.rows else [
            s for s in SECTIONS if s != "scenarios" or viewer.role == "trainer"]
        if args.format == "csv":
            sections = [args.rows or "calls"]
        report = db.build_report(engine, viewer, people, tracks, lib.scenarios,
                                 last=args.last, sections=sections)
        if "scenarios" in sections:
            report.scenarios = db.scenario_results(engine, viewer)
    finally:
        engine.dispose()
    with paused_gc():  # a few hundred thousand cells, and no cycle among them
        _write_report(args, report, sections)
    return 0


def _write_report(args: argparse.Namespace, report: Any, sections: list[str]) -> None:
    if args.format == "json":
        out: dict[str, Any] = {"date": report.today.isoformat()}
        out.update({s: getattr(report, s) for s in sections})
        write_json(sys.stdout, out)
    elif args.format == "csv":
        (section,) = sections
        write_csv(sys.stdout, getattr(report, section), _columns(section))
    else:
        for i, section in enumerate(sections):
            if i:
                print()
            print(f"{section.capitalize()} ({report.today.isoformat()})")
            print(to_table(getattr(report, section), _columns(section, table=True)))


def _tracks(args: argparse.Namespace) -> list[Any]:
    """The certification tracks of --tracks (default: the bundled ones); problems to stderr."""
    from ..tracks import load_tracks

    if args.tracks is not None and not args.tracks.is_dir():
        raise UserError(f"{args.tracks}: no such folder of certification tracks")
    tracks = load_tracks(args.tracks)
    if args.tracks is not None and not tracks.tracks and not tracks.diagnostics:
        raise UserError(f"{args.tracks}: no certification tracks (*.yaml) in this folder")
    for d in tracks.diagnostics:
        print(str(d), file=sys.stderr)
    return list(tracks.tracks)


def cmd_certify(args: argparse.Namespace) -> int:
    """Store the certificates earned and not stored yet, of the people the one asking may see
    (a trainee or a trainer: their own). What the TUI does after each exam call, for calls that
    ended elsewhere or were overridden since."""
    from .. import db

    lib = library(args.scenarios)
    tracks = _tracks(args)
    engine = open_engine(args)
    try:
        if db.is_read_only(engine):
            raise UserError("the database is read-only: certificates cannot be stored")
        viewer = asking(engine, args)
        if viewer.role in ("trainee", "trainer"):
            if args.team or (args.trainee and db.normalise(args.trainee) != viewer.name):
                raise UserError(f"{viewer.name} is a {viewer.role}: they certify their own "
                                "calls only (drop --trainee/--team)")
            args.trainee = viewer.name
        people = db.trainees(engine, viewer, name=args.trainee, team=args.team)
        stored = 0
        for person in people:
            for cert in db.record_certificates(engine, person.name, tracks, lib.scenarios):
                stored += 1
                print(f"{printable(person.name, keep_newlines=False)}: {cert.track_id} "
                      f"earned on {cert.earned_on.isoformat()}, valid until "
                      f"{cert.valid_until.isoformat()}")
    finally:
        engine.dispose()
    print(f"hotseat: {stored} certificate{'s' * (stored != 1)} stored", file=sys.stderr)
    return 0


def _xapi(args: argparse.Namespace, engine: Engine, viewer: Viewer,
          people: Sequence[Trainee]) -> int:
    """`report --format xapi`: one statement per call of `people` (simulator.xapi), written as
    a JSON array with one statement a line; calls under way have none yet."""
    from .. import db
    from ..db.seal import xapi_account
    from ..xapi import statement, titles

    if args.rows not in (None, "calls"):
        raise UserError("--format xapi writes the calls: drop --rows")
    home = args.xapi_home.strip()
    parts = urlsplit(home)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or \
            parts.fragment or any(c.isspace() for c in home):
        raise UserError(f"--xapi-home {home[:80]!r} is not a web address (an http or https URL "
                        "such as https://lms.example.com/hotseat)")
    about = titles({s.id: s for s in library(args.scenarios).scenarios})
    accounts = {p.name: xapi_account(p.id) for p in people if p.id is not None}
    calls = db.calls_of(engine, viewer, [p.name for p in people])
    if args.last is not None:
        by_person: dict[str, list[Any]] = {}
        for c in calls:
            by_person.setdefault(c.trainee, []).append(c)
        keep = {c.id for cs in by_person.values() for c in (cs[-args.last:] if args.last > 0
                                                             else [])}
        calls = [c for c in calls if c.id in keep]
    statements, under_way = [], 0
    for c in calls:
        title, language, summary = about.get(c.scenario_id, (c.scenario_id, "en", None))
        made = statement(c, accounts[c.trainee], home=home, title=title, language=language,
                         description=summary)
        if made is None:
            under_way += 1
        else:
            statements.append(json_text(made, indent=None))
    sys.stdout.write("[\n" + ",\n".join(statements) + "\n]\n" if statements else "[]\n")
    if under_way:
        print(f"hotseat: {under_way} call{'s' * (under_way != 1)} still under way left out "
              "(no statement until they end)", file=sys.stderr)
    return 0


def _columns(section: str, *, table: bool = False) -> tuple[str, ...]:
    """A section's columns; a terminal table leaves out the wrap-up's free text."""
    from ..db.reportrows import CALL_COLUMNS, CALL_TABLE_COLUMNS, CERT_COLUMNS, TRAINEE_COLUMNS

    if section == "scenarios":
        from ..db.queries import SCENARIO_COLUMNS

        return SCENARIO_COLUMNS
    return {"trainees": TRAINEE_COLUMNS, "certifications": CERT_COLUMNS,
            "calls": CALL_TABLE_COLUMNS if table else CALL_COLUMNS}[section]


def _verdict(passed: bool | None) -> str:
    return "passed" if passed else "failed"


def _pass_change(r: Rescored) -> str:
    """Why a call's pass or fail changed: the rubric versions, and what fails it."""
    line = (f"{_verdict(r.passed_before)} -> {_verdict(r.passed_after)} "
            f"under rubric {r.rubric_after}")
    if r.rubric_after != r.rubric_before:
        line += f" (was {r.rubric_before})"
    if r.scenario_changed or r.rubric_after == r.rubric_before:
        line += f"; {r.why}"
    if r.passed_after and r.failures_before:
        line += f"; it had failed: {'; '.join(r.failures_before)}"
    elif not r.passed_after and r.failures_after:
        line += f"; it fails now: {'; '.join(r.failures_after)}"
    return line


def _rescored_json(r: Rescored) -> dict[str, Any]:
    return {"call": r.call_id, "trainee": r.trainee, "scenario": r.scenario_id,
            "started": r.started, "changes": list(r.changes), "passed_before": r.passed_before,
            "passed_after": r.passed_after, "pass_changed": r.pass_changed,
            "rubric_before": r.rubric_before, "rubric_after": r.rubric_after or None,
            "why": r.why or None, "failures": list(r.failures_after), "problem": r.problem}


def cmd_rescore(args: argparse.Namespace) -> int:
    from .. import db

    lib = library(args.scenarios)
    engine = open_engine(args)
    try:
        viewer = asking(engine, args)  # a supervisor rescores their teams, a trainee their own
        results, skipped = db.rescore_calls(engine, lib.by_id, trainee=args.trainee,
                                            against_library=args.against_library,
                                            viewer=viewer)
        adopted = db.adopt_scorecards(engine, viewer, results) if args.adopt else 0
    finally:
        engine.dispose()
    if args.adopt:
        print(f"hotseat: adopted {adopted} new scorecard{'s' * (adopted != 1)} beside the "
              f"stored ones, as {printable(viewer.name)}", file=sys.stderr)
    differing = [r for r in results if r.differs]
    flipped = [r for r in differing if r.pass_changed]
    if args.format == "json":
        sys.stdout.write(json_text({
            "rescored": len(results), "differences": len(differing),
            "pass_fail_changes": len(flipped), "skipped": skipped,
            "calls": [_rescored_json(r) for r in differing]}) + "\n")
        return 1 if differing else 0

    def head(r: Rescored) -> str:
        return (f"call {r.call_id} ({printable(r.trainee, keep_newlines=False)}, "
                f"{printable(r.scenario_id, keep_newlines=False)}, {r.started} UTC)")

    def say(line: str) -> None:
        print(printable(line, keep_newlines=False))  # a stored reason is shown as text too

    if flipped:  # what certification turns on, first; then every difference in full
        print(f"Pass/fail changed ({len(flipped)}):")
        for r in flipped:
            say(f"{head(r)}: {_pass_change(r)}")
        print(f"\nEvery difference ({len(differing)}):")
    for r in differing:
        if r.problem:
            say(f"{head(r)}: cannot rescore: {r.problem}")
        else:
            say(f"{head(r)}: {', '.join(r.changes)}; {r.why}")
    note = f"; {skipped} unscored (interrupted or under way) skipped" if skipped else ""
    changed = (f", {len(flipped)} pass/fail change{'s' * (len(flipped) != 1)}"
               if flipped else "")
    print(f"{len(results)} call{'s' * (len(results) != 1)} rescored, "
          f"{len(differing)} difference{'s' * (len(differing) != 1)}{changed}{note}")
    return 1 if differing else 0
