"""The supervisor's report: rows of trainees, certifications and calls (formatting is the CLI's)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, col

from scoring import DIMENSIONS
from scoring.certification import Certificate as Earned
from scoring.certification import Track, weakest_dimension

from ..scenario import Scenario
from ..standing import track_rows, why_not_counted
from ..wrapup import WrapUpRecord
from .overview import _certificates
from .people import Viewer
from .queries import _calls, _summary
from .records import CallSummary
from .reviews import ReviewSummary, review_summaries
from .tables import Call, Trainee, wrapups

__all__ = ["CALL_COLUMNS", "CALL_TABLE_COLUMNS", "CERT_COLUMNS", "REVIEW_COLUMNS", "SECTIONS",
           "TRAINEE_COLUMNS", "WRAPUP_COLUMNS", "Report", "build_report"]

# documentation: the mean mark over the calls with a wrap-up record; exams_without_wrapup:
# the exam calls that ended (resolved, escalated, lost) without one: an exam needs one
TRAINEE_COLUMNS = ("trainee", "display_name", "team", "role", "calls", "exam_calls", "passed",
                   "incomplete", "overall", *DIMENSIONS, "documentation",
                   "exams_without_wrapup", "weakest", "last_call")
"""`overall` and the dimensions are means over finished calls: an unfinished call and a
playtest are counted (calls, incomplete) but kept out of the averages."""
CERT_COLUMNS = ("trainee", "team", "track", "status", "certified_on", "valid_until",
                "refresher_due_on", "days_left", "missing", "refresher", "earlier", "overridden")
"""`overridden`: the calls the current certificate rests on whose pass is a supervisor's
override of a fail (simulator.db.reviews), marked as such."""
WRAPUP_COLUMNS = tuple(f.name for f in fields(WrapUpRecord))
"""The wrap-up (complaint record) of each call, by the record's own fields; empty without one."""
# wrapup: "yes" (a record is saved), "missing" (an exam that ended without one: an exam
# needs one) or "no" (none, and none asked for: practice, scripted, incomplete, under way)
REVIEW_COLUMNS = ("override", "override_by", "override_on", "override_reason", "comments")
"""The call's review log (simulator.db.reviews): the override that stands (`override`: passed
or failed, empty when none; `passed` stays the scorer's), who made it, on which day and why;
and how many comments supervisors wrote on it."""
CALL_COLUMNS = ("call", "trainee", "team", "started", "ended", "scenario", "mode", "outcome",
                "level", "overall", "passed", *REVIEW_COLUMNS, *DIMENSIONS, "counts",
                "scenario_hash", "rubric", "wrapup", *WRAPUP_COLUMNS)
"""`counts`: "yes" when the call counts for certification, else why not, in plain words."""
CALL_TABLE_COLUMNS = tuple(c for c in CALL_COLUMNS
                           if (c not in WRAPUP_COLUMNS or c == "documentation")
                           and c not in ("override_by", "override_on", "override_reason"))
"""The calls in a terminal table: the wrap-up's free text is left to CSV, JSON and `replay`."""


@dataclass
class Report:
    today: date
    trainees: list[dict[str, Any]] = field(default_factory=list)
    certifications: list[dict[str, Any]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    """Each scenario's results without names (queries.scenario_results): trainers, supervisors
    and admins."""


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def _mean(values: Sequence[int]) -> int | None:
    return int(sum(values) / len(values) + 0.5) if values else None


ENDED = ("resolved", "escalated", "lost")
"""Outcomes after which the rep is asked for the wrap-up (an incomplete call never is)."""


def _wrapup_state(c: CallSummary, wrapup: dict[str, Any] | None) -> str:
    """yes, missing (an exam that ended without a record) or no (see CALL_COLUMNS)."""
    if wrapup is not None:
        return "yes"
    return "missing" if c.mode == "exam" and c.outcome in ENDED else "no"


def _trainee_row(person: Trainee, calls: list[CallSummary],
                 records: dict[int, dict[str, Any]]) -> dict[str, Any]:
    marks = [records[c.id]["documentation"] for c in calls
             if c.id in records and records[c.id]["documentation"] is not None]
    scored = [c for c in calls if c.dimensions and c.outcome != "incomplete"
              and c.mode != "playtest"]
    return {
        "trainee": person.name, "display_name": person.display_name, "team": person.team,
        "role": person.role, "calls": len(calls),
        "exam_calls": sum(c.mode == "exam" for c in calls),
        "passed": sum(bool(c.verdict) for c in calls),  # a supervisor's override counts
        "incomplete": sum(c.outcome == "incomplete" for c in calls),
        "overall": _mean([c.overall for c in scored if c.overall is not None]),
        **{d: _mean([c.dimensions[d] for c in scored]) for d in DIMENSIONS},
        "documentation": _mean(marks),
        "exams_without_wrapup": sum(_wrapup_state(c, records.get(c.id)) == "missing"
                                    for c in calls),
        "weakest": weakest_dimension(calls),
        "last_call": _iso(calls[-1].started) if calls else None,
    }


def _review_cells(summary: ReviewSummary | None) -> dict[str, Any]:
    standing = summary.override if summary is not None else None
    return {"override": None if standing is None else _verdict(standing.verdict),
            "override_by": standing.made_by if standing else None,
            "override_on": _iso(standing.made_at.date()) if standing else None,
            "override_reason": standing.text if standing else None,
            "comments": summary.comments if summary is not None else 0}


def _verdict(passed: bool | None) -> str:
    return "passed" if passed else "failed"


def _call_row(person: Trainee, c: CallSummary, wrapup: dict[str, Any] | None = None,
              library: Mapping[str, Scenario] | None = None,
              review: ReviewSummary | None = None) -> dict[str, Any]:
    return {"call": c.id, "trainee": person.name, "team": person.team,
            "started": _iso(c.started), "ended": _iso(c.ended), "scenario": c.scenario_id,
            "mode": c.mode, "outcome": c.outcome or "under way", "level": c.level,
            "overall": c.overall, "passed": c.passed, **_review_cells(review),
            **{d: c.dimensions.get(d) for d in DIMENSIONS},
            "counts": why_not_counted(c, library or {}) or "yes",
            "scenario_hash": c.scenario_hash[:12], "rubric": c.rubric_version,
            "wrapup": _wrapup_state(c, wrapup),
            **{f: (wrapup or {}).get(f) for f in WRAPUP_COLUMNS}}


def _wrapups_of(engine: Engine, people: Sequence[Trainee]) -> dict[int, dict[str, Any]]:
    """The wrap-up record of every call of `people`, by call number: one query for the report."""
    ids = [p.id for p in people if p.id is not None]
    if not ids:
        return {}
    query = (sa.select(wrapups.c.call_id, *(wrapups.c[f] for f in WRAPUP_COLUMNS))
             .join(Call, col(Call.id) == wrapups.c.call_id)
             .where(col(Call.trainee_id).in_(ids)))
    with engine.connect() as conn:
        return {row.call_id: {f: getattr(row, f) for f in WRAPUP_COLUMNS}
                for row in conn.execute(query)}


def _overridden(current: Earned | None, calls: Sequence[CallSummary]) -> list[int]:
    """The calls the certificate rests on that pass by a supervisor's override."""
    if current is None:
        return []
    resting = {*current.rests_on, current.call_id}
    return [c.id for c in calls if c.id in resting and c.override is True]


def _in_chunks(ids: Sequence[int], size: int = 900) -> Iterable[list[int]]:
    """`ids` a few hundred at a time: an IN list stays within every backend's limits."""
    ids = sorted(set(ids))
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _calls_by_person(engine: Engine, viewer: Viewer, ids: Sequence[int],
                     today: date) -> dict[str, list[CallSummary]]:
    """Every call of these people started by the end of `today` (UTC) that the viewer may see,
    by name, oldest first: one query (a few hundred people at a time)."""
    until = datetime.combine(today + timedelta(days=1), time(), tzinfo=UTC)
    out: dict[str, list[CallSummary]] = {}
    with Session(engine) as session:
        for chunk in _in_chunks(ids):
            query = (_calls(viewer).where(col(Call.trainee_id).in_(chunk),
                                          col(Call.started) < until)
                     .order_by(col(Call.trainee_id), col(Call.started), col(Call.id)))
            for row in session.execute(query):
                call = _summary(row)
                out.setdefault(call.trainee, []).append(call)
    return out


def _earned_by_person(engine: Engine, viewer: Viewer,
                      ids: Sequence[int]) -> dict[int, list[Earned]]:
    """The stored certificates of these people whose seal holds, by person: two queries."""
    out: dict[int, list[Earned]] = {}
    with Session(engine) as session:
        for chunk in _in_chunks(ids):
            out.update(_certificates(session, viewer, chunk))
    return out


SECTIONS = ("trainees", "certifications", "calls")
"""The sections build_report fills (the scenarios' results are queries.scenario_results)."""


def build_report(engine: Engine, viewer: Viewer, people: Iterable[Trainee],
                 tracks: Sequence[Track],
                 scenarios: Sequence[Scenario], today: date | None = None,
                 last: int | None = None, sections: Iterable[str] = SECTIONS) -> Report:
    """Rows for `people`, of the `sections` asked for (the others are left empty). Read-only:
    certificates are computed from the calls and merged with the stored ones (they are stored
    when an exam call ends, or with `hotseat certify`), never written here.

    Every call, stored certificate, wrap-up and review of all these people is read in one
    query each (a few hundred people at a time), never one query per person.
    `last`: keep only each person's `last` most recent calls in the calls rows.
    """
    today = today or datetime.now(UTC).date()
    wanted = set(sections)
    report = Report(today)
    people = list(people)
    ids = [p.id for p in people if p.id is not None]
    library = {s.id: s for s in scenarios}
    calls_of_person = _calls_by_person(engine, viewer, ids, today)
    records = _wrapups_of(engine, people) if wanted & {"trainees", "calls"} else {}
    reviews = review_summaries(engine, viewer, people=ids) if "calls" in wanted else {}
    earned_of = _earned_by_person(engine, viewer, ids) if "certifications" in wanted else {}
    for person in people:
        calls = calls_of_person.get(person.name, [])
        if "trainees" in wanted:
            report.trainees.append(_trainee_row(person, calls, records))
        if "certifications" in wanted:
            earned = earned_of.get(person.id, []) if person.id is not None else []
            for row in track_rows(tracks, calls, earned, scenarios, today):
                report.certifications.append({
                    "trainee": person.name, "team": person.team, "track": row.track_id,
                    "status": row.status, "certified_on": _iso(row.certified_on),
                    "valid_until": _iso(row.valid_until),
                    "refresher_due_on": _iso(row.refresher_due_on), "days_left": row.days_left,
                    "missing": list(row.missing), "refresher": list(row.refresher),
                    "earlier": [f"{_iso(c.earned_on)}..{_iso(c.valid_until)}"
                                for c in row.history],
                    "overridden": _overridden(row.current, calls),
                })
        if "calls" in wanted:
            shown = calls if last is None else calls[-last:] if last > 0 else []
            report.calls.extend(_call_row(person, c, records.get(c.id), library,
                                          reviews.get(c.id))
                                for c in reversed(shown))
    return report
