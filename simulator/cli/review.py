"""The supervisor's commands: review, calibrate, calibration, quotient.

- `hotseat review CALL --comment TEXT [--turn N]` or `--override pass|fail --reason TEXT` adds
  to the call's review log (simulator.db.reviews); without either, lists it.
- `hotseat calibrate CALL` shows the call's transcript without any score, asks for the
  supervisor's own scores (or takes them as options), keeps them, and only then shows the
  scorer's beside them.
- `hotseat calibration` says how far the supervisors and the scorer agree
  (simulator.calibration).
- `hotseat quotient --team T` asks the customer-service quotient's statements (or reads them
  from a file) and keeps the result; `--history` shows the team's trend.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from scoring import DIMENSIONS

from ..calibration import Calibration, summarise
from ..quotient import AREAS, BANDS, HIGHEST, LOWEST, BadAnswers, Result, parse_answers, rate
from ..text import json_text, printable
from .common import FileError, UserError, asking, call_number, open_engine, say
from .formats import to_csv, to_table

if TYPE_CHECKING:  # the database layer is imported when a command needs it
    from ..db import QuotientEntry, ReviewEntry, Viewer

__all__ = ["register", "review_json", "review_lines"]

T = TypeVar("T")
VERDICTS = {"pass": True, "fail": False}
ANSWERS_MAX = 1_000_000
"""The largest answers file read, in bytes."""


def register(sub: Any) -> None:
    p = sub.add_parser("review", help="comment on a call (a turn or the whole call) or override "
                                      "its pass or fail with a reason; lists its review log")
    p.add_argument("call", type=call_number, metavar="CALL", help="the call's number")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--comment", metavar="TEXT", help="add a comment")
    what.add_argument("--override", choices=tuple(VERDICTS),
                      help="override the call's pass or fail (needs --reason)")
    p.add_argument("--turn", type=int, metavar="N",
                   help="the rep's turn the comment is about, as `replay` numbers them")
    p.add_argument("--reason", metavar="TEXT", help="why the call is overridden")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("calibrate", help="score a call blind (its transcript without scores), "
                                         "then see the scorer's scores beside yours")
    p.add_argument("call", type=call_number, metavar="CALL", help="the call's number")
    for d in DIMENSIONS:
        p.add_argument(f"--{d}", type=int, metavar="N", help=f"your {d} score, 0 to 100")
    verdict = p.add_mutually_exclusive_group()
    verdict.add_argument("--pass", dest="passed", action="store_const", const=True,
                         help="you would pass the call")
    verdict.add_argument("--fail", dest="passed", action="store_const", const=False,
                         help="you would fail it")
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser("calibration", help="how far the supervisors' blind scores and the "
                                           "scorer agree, per dimension and per rule")
    p.add_argument("--team", metavar="TEAM", help="the calls of one team only")
    p.add_argument("--rows", choices=("dimensions", "rules", "calls"),
                   help="one section only (CSV: default dimensions)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")
    p.set_defaults(func=cmd_calibration)

    p = sub.add_parser("quotient", help="rate a team's customer-service quotient (seven areas, "
                                        "each statement 1 to 5), or show its history")
    p.add_argument("--team", metavar="TEAM",
                   help="the team (default: yours, when you supervise one team)")
    p.add_argument("--answers", type=Path, metavar="FILE",
                   help="the ratings from a YAML or JSON file (culture: [5, 4, 4, 3], ...) "
                        "instead of asking them")
    p.add_argument("--history", action="store_true", help="the team's quotients, oldest first")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="the same as --format json")
    p.set_defaults(func=cmd_quotient)


# -- review ------------------------------------------------------------------------------------

def _when(entry: ReviewEntry) -> str:
    return entry.made_at.strftime("%Y-%m-%d %H:%M UTC")


def _verdict(passed: bool | None) -> str:
    return "passed" if passed else "failed"


def review_lines(entry: ReviewEntry, indent: str = "  ") -> list[str]:
    """One entry of a review log for a terminal (its text shown literally)."""
    who = printable(entry.made_by, keep_newlines=False)
    text = printable(entry.text).replace("\n", "\n" + indent + "    ")
    if entry.kind == "override":
        head = f"{indent}override: {_verdict(entry.verdict)}, by {who}, {_when(entry)}"
        return [head, f"{indent}    because: {text}"]
    where = f"on turn {entry.turn}" if entry.turn is not None else "on the whole call"
    return [f"{indent}comment {where}, by {who}, {_when(entry)}", f"{indent}    {text}"]


def review_json(entry: ReviewEntry) -> dict[str, Any]:
    return {"id": entry.id, "kind": entry.kind, "turn": entry.turn, "text": entry.text,
            "verdict": None if entry.verdict is None else _verdict(entry.verdict),
            "by": entry.made_by, "at": entry.made_at.isoformat()}


def _certify_after(engine: Any, call_id: int) -> list[Any]:
    """An override may complete a track (an exam now passed): its certificates are stored as
    after an exam call, judged by the whole library and the bundled tracks."""
    from .. import db
    from ..tracks import load_tracks
    from .common import library

    return db.certify_overridden(engine, call_id, load_tracks().tracks, library().scenarios)


def cmd_review(args: argparse.Namespace) -> int:
    from .. import db

    if args.override is not None and not (args.reason and args.reason.strip()):
        raise UserError("--override needs --reason TEXT: say why the result is overridden")
    if args.override is None and args.reason is not None:
        raise UserError("--reason goes with --override pass|fail")
    if args.turn is not None and args.comment is None:
        raise UserError("--turn goes with --comment TEXT")
    engine = open_engine(args)
    certified: list[Any] = []
    try:
        viewer = asking(engine, args)
        if args.comment is not None:
            added = db.add_comment(engine, viewer, args.call, args.comment, turn=args.turn)
        elif args.override is not None:
            added = db.override(engine, viewer, args.call, VERDICTS[args.override], args.reason)
            certified = _certify_after(engine, args.call)
        else:
            added = None
        if added is None and db.get_call(engine, viewer, args.call) is None:
            raise UserError(f"no call {args.call} among the calls {viewer.name} may see")
        log = db.reviews_of(engine, viewer, args.call)
        verdict = db.verdict_of(engine, viewer, args.call)
    finally:
        engine.dispose()
    if args.format == "json":
        print(json_text({"call": args.call,
                         "passed": None if verdict is None else verdict.passed,
                         "scorer_passed": None if verdict is None else verdict.automatic,
                         "added": None if added is None else review_json(added),
                         "reviews": [review_json(e) for e in log]}))
        return 0
    if added is not None:
        say(f"hotseat: added {'an override' if added.kind == 'override' else 'a comment'} to "
            f"call {args.call}", err=True)
    for cert in certified:
        say(f"hotseat: certificate stored: {cert.track_id}, earned on "
            f"{cert.earned_on.isoformat()}, valid until {cert.valid_until.isoformat()}",
            err=True)
    say(f"Call {args.call}: review log ({len(log)} entr{'ies' if len(log) != 1 else 'y'})")
    if verdict is not None and verdict.automatic is not None:
        line = f"  the scorer: {_verdict(verdict.automatic)}"
        if verdict.overridden:
            line += f"; it stands as {_verdict(verdict.passed)} (overridden)"
        say(line)
    for entry in log:
        say("\n".join(review_lines(entry)))
    return 0


# -- calibrate ---------------------------------------------------------------------------------

def _ask(prompt: str, parse: Callable[[str], T], what: str) -> T:
    """One answer from standard input: asked again on a terminal when it does not fit, an error
    otherwise (a script's answers are read line by line)."""
    interactive = sys.stdin.isatty()
    while True:
        print(prompt, end="", file=sys.stderr, flush=True)
        line = sys.stdin.readline()
        if not line:
            raise UserError(f"no answer for {what} on standard input")
        try:
            return parse(line.strip())
        except ValueError as exc:
            if not interactive:
                raise UserError(f"{what}: {exc}") from None
            print(f"  {exc}", file=sys.stderr)


def _score(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= 100:
        raise ValueError(f"{text[:20]!r} is not a score (a whole number from 0 to 100)")
    return int(text)


def _pass_fail(text: str) -> bool:
    word = text.lower()
    if word in ("pass", "passed", "p", "yes", "y"):
        return True
    if word in ("fail", "failed", "f", "no", "n"):
        return False
    raise ValueError(f"{text[:20]!r}: answer pass or fail")


def _blind(lines: list[Any]) -> str:
    """The transcript with no score, no rule and no coaching: what the supervisor judges."""
    out = []
    for line in lines:
        who = "customer" if line.speaker == "customer" else f"rep [{line.turn}]"
        text = printable(line.text).replace("\n", "\n" + " " * 12)
        out.append(f"  {who:<9} {text}")
    return "\n".join(out)


def cmd_calibrate(args: argparse.Namespace) -> int:
    from .. import db

    given = {d: getattr(args, d) for d in DIMENSIONS}
    for d, v in given.items():
        if v is not None and not 0 <= v <= 100:
            raise UserError(f"--{d} {v}: a score is a whole number from 0 to 100")
    engine = open_engine(args)
    try:
        viewer = asking(engine, args)
        db.check_calibrator(engine, viewer, args.call)  # before anything of the call is shown
        call = db.get_call(engine, viewer, args.call)
        assert call is not None
        lines = db.call_transcript(engine, viewer, args.call)
        if any(v is None for v in given.values()) or args.passed is None:
            say(f"Call {call.id}: {printable(call.trainee, keep_newlines=False)}, "
                f"{printable(call.scenario_id, keep_newlines=False)} (scores hidden until you "
                "have given yours)\n")
            say(_blind(lines) + "\n")
            sys.stdout.flush()
        for d in DIMENSIONS:
            if given[d] is None:
                given[d] = _ask(f"{d} (0-100): ", _score, d)
        passed = args.passed if args.passed is not None else \
            _ask("pass or fail: ", _pass_fail, "pass or fail")
        pair = db.calibrate(engine, viewer, args.call,
                            {d: v for d, v in given.items() if v is not None}, passed)
    finally:
        engine.dispose()
    say(f"hotseat: calibration of call {pair.call_id} kept", err=True)
    rows = [{"": d, "yours": pair.supervisor[d], "scorer": pair.scorer[d],
             "difference": f"{pair.supervisor[d] - pair.scorer[d]:+d}"} for d in DIMENSIONS]
    rows.append({"": "pass/fail", "yours": _verdict(pair.supervisor_passed),
                 "scorer": _verdict(pair.scorer_passed),
                 "difference": "agree" if pair.supervisor_passed == pair.scorer_passed
                 else "disagree"})
    say(f"Call {pair.call_id}: your scores beside the scorer's")
    say(to_table(rows, ("", "yours", "scorer", "difference")))
    if pair.fired:
        say("  rules that fired: " + ", ".join(printable(r, keep_newlines=False)
                                                for r in sorted(pair.fired)))
    return 0


# -- calibration -------------------------------------------------------------------------------

UNDEFINED = ("undefined: expected agreement is 1 (both sides passed every call, or both "
             "failed every call)")


def _calibration_rows(result: Calibration, *, text: bool,
                      undefined: str | None = "undefined") -> dict[str, list[dict[str, Any]]]:
    """The sections of `hotseat calibration`: numbers rounded (JSON, CSV), or written for a
    terminal (`text`: differences signed); `undefined` is the kappa when it is undefined."""
    def diff(value: Fraction | None) -> Any:
        if value is None:
            return None
        return f"{float(value):+.1f}" if text else round(float(value), 1) + 0.0

    def size(value: Fraction | None) -> Any:
        if value is None:
            return None
        return f"{float(value):.1f}" if text else round(float(value), 1) + 0.0

    def share(value: Fraction | None) -> Any:
        if value is None:
            return None
        return f"{float(value):.2f}" if text else round(float(value), 2) + 0.0

    pf = result.pass_fail
    dims: list[dict[str, Any]] = [
        {"dimension": d.dimension, "calls": d.calls, "mean_difference": diff(d.mean_difference),
         "mean_absolute_difference": size(d.mean_absolute_difference),
         "agreement": None, "expected_agreement": None, "kappa": None}
        for d in result.dimensions]
    dims.append({"dimension": "pass/fail", "calls": pf.calls, "mean_difference": None,
                 "mean_absolute_difference": None, "agreement": share(pf.agreement),
                 "expected_agreement": share(pf.expected),
                 "kappa": share(pf.kappa) if pf.kappa is not None else
                 (undefined if pf.calls else None)})
    rules = [{"rule": r.rule, "dimension": r.dimension, "calls": r.calls,
              "mean_difference": diff(r.mean_difference)} for r in result.rules]
    calls = [{"call": w.call_id, "trainee": w.trainee, "supervisor": w.made_by,
              "total": w.total,
              **{d: f"{v:+d}" if text else v for d, v in w.differences.items()},
              "pass_fail": "disagree" if w.pass_fail_differs else "agree"}
             for w in result.worst]
    return {"dimensions": dims, "rules": rules, "calls": calls}


DIM_COLUMNS = ("dimension", "calls", "mean_difference", "mean_absolute_difference", "agreement",
               "expected_agreement", "kappa")
CALIBRATION_COLUMNS = {"dimensions": DIM_COLUMNS,
                       "rules": ("rule", "dimension", "calls", "mean_difference"),
                       "calls": ("call", "trainee", "supervisor", "total", *DIMENSIONS,
                                 "pass_fail")}


def cmd_calibration(args: argparse.Namespace) -> int:
    from .. import db

    engine = open_engine(args)
    try:
        viewer = asking(engine, args)
        pairs = db.calibration_pairs(engine, viewer, team=args.team)
    finally:
        engine.dispose()
    result = summarise(pairs)
    if args.format == "json":
        rows = _calibration_rows(result, text=False, undefined=None)
        out: dict[str, Any] = {"team": args.team, "calibrations": len(pairs),
                               "kappa_note": UNDEFINED if result.pass_fail.kappa is None
                               and pairs else None}
        for section in [args.rows] if args.rows else list(rows):
            out[section] = rows[section]
        print(json_text(out))
    elif args.format == "csv":
        section = args.rows or "dimensions"
        sys.stdout.write(to_csv(_calibration_rows(result, text=False)[section],
                                CALIBRATION_COLUMNS[section]))
    else:
        _calibration_table(args, viewer, len(pairs), result)
    return 0


def _calibration_table(args: argparse.Namespace, viewer: Viewer, count: int,
                       result: Calibration) -> None:
    scope = f"team {printable(args.team, keep_newlines=False)}" if args.team else \
        f"the calls {printable(viewer.name, keep_newlines=False)} may see"
    say(f"Calibration: {count} blind score{'s' * (count != 1)} of {scope} "
        "(difference: supervisor - scorer)")
    if not count:
        say("  (none yet: `hotseat calibrate CALL` scores a call blind)")
        return
    rows = _calibration_rows(result, text=True)
    if args.rows in (None, "dimensions"):
        say(to_table(rows["dimensions"][:-1], DIM_COLUMNS[:4]))
        pf = result.pass_fail
        kappa = f"{float(pf.kappa):.2f} (agreement expected by chance " \
            f"{float(pf.expected or 0):.2f})" if pf.kappa is not None else UNDEFINED
        say(f"  pass/fail: they agree on {pf.agreed} of {pf.calls} "
            f"({float(pf.agreement or 0):.2f}); Cohen's kappa {kappa}")
    if args.rows in (None, "rules"):
        say("\nBy rule: where a rule fired, the mean difference in its dimension")
        say(to_table(rows["rules"], CALIBRATION_COLUMNS["rules"]))
    if args.rows in (None, "calls"):
        say("\nThe calls where they disagree most")
        say(to_table(rows["calls"], CALIBRATION_COLUMNS["calls"]))


# -- quotient ----------------------------------------------------------------------------------

def _team(args: argparse.Namespace, viewer: Viewer) -> str:
    if args.team:
        return str(args.team)
    if len(viewer.teams) == 1:
        return next(iter(viewer.teams))
    raise UserError("which team? give --team TEAM")


def _rating(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not LOWEST <= int(text) <= HIGHEST:
        raise ValueError(f"{text[:20]!r} is not a rating (a whole number from {LOWEST} to "
                         f"{HIGHEST}: {LOWEST} never, {HIGHEST} always)")
    return int(text)


def _read_answers(path: Path) -> Result:
    try:
        if path.stat().st_size > ANSWERS_MAX:
            raise UserError(f"{path}: larger than {ANSWERS_MAX} bytes: not an answers file")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not a UTF-8 text file") from None
    except OSError as exc:
        raise FileError(f"{path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        where = getattr(exc, "problem_mark", None)
        at = f":{where.line + 1}:{where.column + 1}" if where is not None else ""
        raise UserError(f"{path}{at}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}"
                        f": {str(exc).splitlines()[0]}") from None
    try:
        return parse_answers(data)
    except BadAnswers as exc:
        raise UserError(f"{path}: {exc}") from None


def _ask_answers() -> Result:
    say(f"Rate each statement from {LOWEST} (never) to {HIGHEST} (always).", err=True)
    answers: dict[str, list[int]] = {}
    for area in AREAS:
        say(f"\n{area.title}", err=True)
        answers[area.id] = [_ask(f"  {s} ", _rating, f"{area.id}, statement {i}")
                            for i, s in enumerate(area.statements, 1)]
    return rate(answers)


def _shown(value: Fraction) -> str:
    return f"{float(value):.2f}"


def _quotient_json(entry: QuotientEntry) -> dict[str, Any]:
    r = entry.result
    return {"id": entry.id, "team": entry.team, "by": entry.made_by,
            "date": entry.made_at.date().isoformat(), "total": round(float(r.total), 2),
            "band": r.band, "averages": {a: round(float(v), 2) for a, v in r.averages.items()},
            "answers": {a: list(v) for a, v in r.answers.items()}}


def cmd_quotient(args: argparse.Namespace) -> int:
    from .. import db
    from ..db.quotients import check_rater

    engine = open_engine(args)
    try:
        viewer = asking(engine, args)
        team = _team(args, viewer)
        if args.history:
            if args.answers is not None:
                raise UserError("--history shows the team's quotients: drop --answers")
            history = db.quotient_history(engine, viewer, team)
        else:
            check_rater(viewer, team)  # before asking 25 questions
            result = _read_answers(args.answers) if args.answers else _ask_answers()
            entry = db.record_quotient(engine, viewer, team, result)
            history = [entry]
    finally:
        engine.dispose()
    if args.format == "json":
        print(json_text({"team": team, "quotients": [_quotient_json(e) for e in history]}))
        return 0
    name = printable(team, keep_newlines=False)
    if not args.history:
        r = history[0].result
        say(f"hotseat: quotient of team {name} kept", err=True)
        say(to_table([{"area": a.title, "average": _shown(r.averages[a.id])} for a in AREAS],
                     ("area", "average")))
        say(f"  total {_shown(r.total)} of 35: {r.band} ({BANDS[r.band]})")
        return 0
    say(f"Customer-service quotient of team {name} ({len(history)} rated)")
    rows = []
    for i, e in enumerate(history):
        change = "" if i == 0 else f"{float(e.total - history[i - 1].total):+.2f}"
        rows.append({"date": e.made_at.date().isoformat(), "by": e.made_by,
                     "total": _shown(e.total), "change": change, "band": e.band,
                     **{a.id: _shown(e.result.averages[a.id]) for a in AREAS}})
    say(to_table(rows, ("date", "by", "total", "change", "band", *(a.id for a in AREAS))))
    return 0
