"""The supervisor's report: rows of trainees, certifications and calls (formatting is the CLI's)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, col

from scoring import DIMENSIONS
from scoring.certification import Certificate as Earned
from scoring.certification import Track, weakest_dimension

from ..scenario import Scenario
from ..standing import DUE, TrackRow, track_rows, why_not_counted, with_refreshers
from .bulk import paused_gc
from .overview import _certificates
from .people import Viewer, visible
from .queries import _calls, _summary
from .records import CallSummary
from .reviews import ReviewSummary, latest_override, review_summaries
from .tables import Call, Trainee, wrapups

__all__ = ["CALL_COLUMNS", "CALL_TABLE_COLUMNS", "CERT_COLUMNS", "REVIEW_COLUMNS", "SECTIONS",
           "TRAINEE_COLUMNS", "WRAPUP_COLUMNS", "Report", "build_report"]

from .reportrows import (
    CALL_COLUMNS,
    CALL_TABLE_COLUMNS,
    CERT_COLUMNS,
    ENDED,
    REVIEW_COLUMNS,
    SECTIONS,
    TRAINEE_COLUMNS,
    WRAPUP_COLUMNS,
    Record,
    Report,
)
from .reportrows import NO_CALLS as _NO_CALLS
from .reportrows import NO_DIMENSIONS as _NO_DIMENSIONS
from .reportrows import NO_RECORD as _NO_RECORD
from .reportrows import in_chunks as _in_chunks
from .reportrows import iso as _iso
from .reportrows import naive_iso as _naive_iso
from .reportrows import ratio as _ratio
from .reportrows import until as _until
from .reportrows import verdict as _verdict


def _mean(values: Sequence[int]) -> int | None:
    return int(sum(values) / len(values) + 0.5) if values else None


def _wrapup_state(c: CallSummary, wrapup: Record | None) -> str:
    """yes, missing (an exam that ended without a record) or no (see CALL_COLUMNS)."""
    if wrapup is not None:
        return "yes"
    return "missing" if c.mode == "exam" and c.outcome in ENDED else "no"


_DOCUMENTATION = WRAPUP_COLUMNS.index("documentation")


def _trainee_row(person: Trainee, calls: list[CallSummary],
                 records: dict[int, Record]) -> dict[str, Any]:
    marks = [records[c.id][_DOCUMENTATION] for c in calls
             if c.id in records and records[c.id][_DOCUMENTATION] is not None]
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


def _review_cells(summary: ReviewSummary | None) -> tuple[Any, ...]:
    """The values of REVIEW_COLUMNS."""
    standing = summary.override if summary is not None else None
    return (None if standing is None else _verdict(standing.verdict),
            standing.made_by if standing else None,
            _iso(standing.made_at.date()) if standing else None,
            standing.text if standing else None,
            summary.comments if summary is not None else 0)


_NO_REVIEW = _review_cells(None)
_DIMENSIONS = itemgetter(*DIMENSIONS)


def _call_row(person: Trainee, c: CallSummary, wrapup: Record | None = None,
              library: Mapping[str, Scenario] | None = None,
              review: ReviewSummary | None = None, counts: str | None = None) -> dict[str, Any]:
    """A row of the calls section (CALL_COLUMNS); `counts`: why_not_counted's answer, when the
    caller knows it already."""
    return dict(zip(CALL_COLUMNS, (
        c.id, person.name, person.team, _iso(c.started), _iso(c.ended), c.scenario_id, c.mode,
        c.outcome or "under way", c.level, c.overall, c.passed,
        *(_review_cells(review) if review is not None else _NO_REVIEW),
        *(_DIMENSIONS(c.dimensions) if c.dimensions else _NO_DIMENSIONS),
        counts or why_not_counted(c, library or {}) or "yes",
        c.scenario_hash[:12], c.rubric_version, _wrapup_state(c, wrapup),
        *(wrapup or _NO_RECORD)), strict=True))


def _wrapups_of(engine: Engine, people: Sequence[Trainee]) -> dict[int, Record]:
    """The wrap-up record of every call of `people`, by call number: one query for the report
    (a few hundred people at a time)."""
    out: dict[int, Record] = {}
    with engine.connect() as conn:
        for chunk in _in_chunks([p.id for p in people if p.id is not None]):
            query = (sa.select(wrapups.c.call_id, *(wrapups.c[f] for f in WRAPUP_COLUMNS))
                     .join(Call, col(Call.id) == wrapups.c.call_id)
                     .where(col(Call.trainee_id).in_(chunk)))
            out.update((row[0], tuple(row[1:])) for row in conn.execute(query).all())
    return out


def _overridden(current: Earned | None, calls: Sequence[CallSummary]) -> list[int]:
    """The calls the certificate rests on that pass by a supervisor's override."""
    if current is None:
        return []
    resting = {*current.rests_on, current.call_id}
    return [c.id for c in calls if c.id in resting and c.override is True]


def _their_calls(viewer: Viewer, chunk: list[int], until: datetime) -> list[Any]:
    """The conditions on `Call` (joined to its `Trainee`) of every report query: the calls of
    these people started by `until`, only those the viewer may see."""
    return [col(Call.trainee_id).in_(chunk), col(Call.started) < until, visible(viewer)]


def _calls_by_person(engine: Engine, viewer: Viewer, ids: Sequence[int], today: date,
                     exams_only: bool = False) -> dict[str, list[CallSummary]]:
    """Every call (or exam) of these people started by the end of `today` (UTC) that the
    viewer may see, by name, oldest first: one query (a few hundred people at a time)."""
    out: dict[str, list[CallSummary]] = {}
    with engine.connect() as conn:
        for chunk in _in_chunks(ids):
            query = (_calls(viewer).where(*_their_calls(viewer, chunk, _until(today)))
                     .order_by(col(Call.trainee_id), col(Call.started), col(Call.id)))
            if exams_only:
                query = query.where(col(Call.mode) == "exam")
            for row in conn.execute(query).all():
                call = _summary(row)
                out.setdefault(call.trainee, []).append(call)
    return out


_FINISHED = ("resolved", "escalated", "lost")
_WEAKEST_OVER = 20
"""weakest_dimension's window: the last 20 scored calls."""


def _scored() -> Any:
    """A call the means are taken over (CallSummary with dimensions, finished or under way,
    not a playtest), as _trainee_row and weakest_dimension read it."""
    return sa.and_(*(getattr(Call, d).is_not(None) for d in DIMENSIONS),
                   sa.or_(col(Call.outcome).is_(None), col(Call.outcome) != "incomplete"),
                   col(Call.mode) != "playtest")


def _trainee_aggregates(engine: Engine, viewer: Viewer, ids: Sequence[int],
                        today: date) -> dict[int, dict[str, Any]]:
    """The numbers of each person's row of the trainees section, by person, in SQL: one
    GROUP BY for the counts, sums and last call, one for the last 20 scored calls (the weakest
    dimension); the same numbers as _trainee_row over the person's calls (means rounded from
    exact sums, as _mean does)."""
    scored = _scored()
    verdict = sa.func.coalesce(latest_override(col(Call.id)), col(Call.passed))

    def count(condition: Any) -> Any:
        return sa.func.count(sa.case((condition, 1)))

    def total(column: Any, condition: Any) -> Any:
        return sa.func.sum(sa.case((condition, column)))

    with_overall = sa.and_(scored, col(Call.overall).is_not(None))
    marked = wrapups.c.documentation.is_not(None)
    out: dict[int, dict[str, Any]] = {}
    with engine.connect() as conn:
        for chunk in _in_chunks(ids):
            where = _their_calls(viewer, chunk, _until(today))
            query = (sa.select(
                col(Call.trainee_id), sa.func.count(), count(col(Call.mode) == "exam"),
                count(verdict == sa.true()), count(col(Call.outcome) == "incomplete"),
                count(with_overall), total(col(Call.overall), with_overall), count(scored),
                *(total(getattr(Call, d), scored) for d in DIMENSIONS),
                count(marked), total(wrapups.c.documentation, marked),
                count(sa.and_(col(Call.mode) == "exam", col(Call.outcome).in_(_FINISHED),
                              wrapups.c.call_id.is_(None))),
                sa.func.max(col(Call.started)))
                .join(Trainee, col(Trainee.id) == col(Call.trainee_id))
                .outerjoin(wrapups, wrapups.c.call_id == col(Call.id))
                .where(*where).group_by(col(Call.trainee_id)))
            for (pid, calls, exams, passed, incomplete, n_overall, s_overall, n_scored,
                 *rest) in conn.execute(query).all():
                sums = rest[:len(DIMENSIONS)]
                n_marks, s_marks, missing, last = rest[len(DIMENSIONS):]
                out[pid] = {
                    "calls": calls, "exam_calls": exams, "passed": passed,
                    "incomplete": incomplete, "overall": _ratio(s_overall, n_overall),
                    **{d: _ratio(v, n_scored) for d, v in zip(DIMENSIONS, sums, strict=True)},
                    "documentation": _ratio(s_marks, n_marks),
                    "exams_without_wrapup": missing, "weakest": None,
                    "last_call": _iso(last)}
            ranked = (sa.select(col(Call.trainee_id).label("pid"),
                                *(getattr(Call, d).label(d) for d in DIMENSIONS),
                                sa.func.row_number().over(
                                    partition_by=col(Call.trainee_id),
                                    order_by=(col(Call.started).desc(), col(Call.id).desc()))
                                .label("rank"))
                      .join(Trainee, col(Trainee.id) == col(Call.trainee_id))
                      .where(*where, scored).subquery())
            recent = (sa.select(ranked.c.pid, sa.func.count(),
                                *(sa.func.sum(ranked.c[d]) for d in DIMENSIONS))
                      .where(ranked.c.rank <= _WEAKEST_OVER).group_by(ranked.c.pid))
            for pid, n, *sums in conn.execute(recent).all():
                means = {d: int(v) / n for d, v in zip(DIMENSIONS, sums, strict=True)}
                out[pid]["weakest"] = min(DIMENSIONS, key=lambda d: (means[d],
                                                                      DIMENSIONS.index(d)))
    return out


def _trainee_rows(engine: Engine, viewer: Viewer, people: Sequence[Trainee],
                  today: date) -> list[dict[str, Any]]:
    numbers = _trainee_aggregates(engine, viewer, [p.id for p in people if p.id is not None],
                                  today)
    return [{"trainee": p.name, "display_name": p.display_name, "team": p.team,
             "role": p.role, **numbers.get(p.id or 0, _NO_CALLS)} for p in people]


def _stored_time(column: Any) -> Any:
    """A UTCDateTime column read as the naive UTC datetime it is stored as (no time zone to
    attach and take off again for 100,000 rows): for `_naive_iso`."""
    return sa.type_coerce(column, sa.DateTime())


_ROW_COLUMNS = (col(Call.id), col(Call.scenario_id), col(Call.mode),
                _stored_time(col(Call.started)), _stored_time(col(Call.ended)),
                col(Call.outcome), col(Call.level), col(Call.overall), col(Call.passed),
                *(col(getattr(Call, d)) for d in DIMENSIONS), col(Call.scenario_hash),
                col(Call.rubric_version))


def _call_rows(engine: Engine, viewer: Viewer, people: Sequence[Trainee], today: date,
               library: Mapping[str, Scenario], last: int | None) -> list[dict[str, Any]]:
    """The calls section: each person's calls, newest first, people in the order given; one
    query with the wrap-ups (a few hundred people at a time) and one for the reviews. The
    same rows as _call_row of each call's summary."""
    ids = [p.id for p in people if p.id is not None]
    reviews = review_summaries(engine, viewer, people=ids)
    counts: dict[tuple[Any, ...], str] = {}
    rows: dict[int, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for chunk in _in_chunks(ids):
            query = (sa.select(col(Call.trainee_id), *_ROW_COLUMNS,
                               wrapups.c.call_id, *(wrapups.c[f] for f in WRAPUP_COLUMNS))
                     .join(Trainee, col(Trainee.id) == col(Call.trainee_id))
                     .outerjoin(wrapups, wrapups.c.call_id == col(Call.id))
                     .where(*_their_calls(viewer, chunk, _until(today)))
                     .order_by(col(Call.trainee_id), col(Call.started).desc(),
                               col(Call.id).desc()))
            for pid, cid, sid, mode, started, ended, outcome, level, overall, passed, \
                    *rest in conn.execute(query).all():
                dims = rest[:len(DIMENSIONS)]
                digest, rubric, recorded = rest[len(DIMENSIONS):len(DIMENSIONS) + 3]
                record = tuple(rest[len(DIMENSIONS) + 3:]) if recorded is not None \
                    else _NO_RECORD
                key = (mode, outcome, sid, digest)
                if key not in counts:  # why_not_counted reads only these
                    counts[key] = why_not_counted(CallSummary(
                        id=cid, scenario_id=sid, mode=mode, started=started.replace(tzinfo=UTC),
                        outcome=outcome,
                        overall=overall, passed=passed, scenario_hash=digest),
                        library) or "yes"
                review = reviews.get(cid)
                rows.setdefault(pid, []).append((
                    cid, started, ended, sid, mode, outcome or "under way", level, overall,
                    None if passed is None else bool(passed),
                    _review_cells(review) if review is not None else _NO_REVIEW,
                    tuple(dims) if all(v is not None for v in dims) else _NO_DIMENSIONS,
                    counts[key], digest[:12], rubric,
                    "yes" if recorded is not None else "missing" if mode == "exam"
                    and outcome in ENDED else "no",
                    record))
    out: list[dict[str, Any]] = []
    for person in people:
        mine = rows.get(person.id or 0, [])
        shown = mine if last is None else mine[:last] if last > 0 else []
        out.extend(dict(zip(CALL_COLUMNS, (
            cid, person.name, person.team, _naive_iso(started), _naive_iso(ended), sid, mode,
            outcome,
            level, overall, passed, *review, *dims, counts_, digest, rubric, state, *record),
            strict=True))
            for (cid, started, ended, sid, mode, outcome, level, overall, passed, review, dims,
                 counts_, digest, rubric, state, record) in shown)
    return out


def _earned_by_person(engine: Engine, viewer: Viewer,
                      ids: Sequence[int]) -> dict[int, list[Earned]]:
    """The stored certificates of these people whose seal holds, by person: two queries."""
    out: dict[int, list[Earned]] = {}
    with Session(engine) as session:
        for chunk in _in_chunks(ids):
            out.update(_certificates(session, viewer, chunk))
    return out


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
    with paused_gc():
        _fill(report, engine, viewer, people, tracks, scenarios, wanted, last)
    return report


def _fill(report: Report, engine: Engine, viewer: Viewer, people: list[Trainee],
          tracks: Sequence[Track], scenarios: Sequence[Scenario], wanted: set[str],
          last: int | None) -> None:
    today = report.today
    if "trainees" in wanted:
        report.trainees = _trainee_rows(engine, viewer, people, today)
    if "certifications" in wanted:
        report.certifications = _certification_rows(engine, viewer, people, tracks, scenarios,
                                                    today)
    if "calls" in wanted:
        report.calls = _call_rows(engine, viewer, people, today,
                                  {s.id: s for s in scenarios}, last)


def _certification_rows(engine: Engine, viewer: Viewer, people: Sequence[Trainee],
                        tracks: Sequence[Track], scenarios: Sequence[Scenario],
                        today: date) -> list[dict[str, Any]]:
    """Each person's status on each track (standing.track_rows). A status reads only the
    exams, so those are read first, in one query; a refresher proposal reads every call, so
    the people due one are read again in full (one more query), and only they."""
    ids = [p.id for p in people if p.id is not None]
    earned_of = _earned_by_person(engine, viewer, ids)
    exams = _calls_by_person(engine, viewer, ids, today, exams_only=True)
    standing: dict[str, list[TrackRow]] = {}
    for person in people:
        earned = earned_of.get(person.id, []) if person.id is not None else []
        standing[person.name] = track_rows(tracks, exams.get(person.name, []), earned,
                                           scenarios, today)
    due = [p for p in people if p.id is not None and any(r.status in DUE
                                                         for r in standing[p.name])]
    calls = dict(exams)
    if due:
        calls.update(_calls_by_person(engine, viewer, [p.id for p in due if p.id], today))
        for person in due:
            standing[person.name] = with_refreshers(standing[person.name], tracks,
                                                    calls.get(person.name, []), scenarios,
                                                    today)
    out = []
    for person in people:
        mine = calls.get(person.name, [])
        for row in standing[person.name]:
            out.append({
                "trainee": person.name, "team": person.team, "track": row.track_id,
                "status": row.status, "certified_on": _iso(row.certified_on),
                "valid_until": _iso(row.valid_until),
                "refresher_due_on": _iso(row.refresher_due_on), "days_left": row.days_left,
                "missing": list(row.missing), "refresher": list(row.refresher),
                "earlier": [f"{_iso(c.earned_on)}..{_iso(c.valid_until)}"
                            for c in row.history],
                "overridden": _overridden(row.current, mine),
            })
    return out
