"""The report over the fast read path (simulator.db.raw): the same rows as report.build_report,
from plain DB-API queries, without SQLAlchemy.

`build_report(reader, viewer, people, tracks, scenarios, ...)` mirrors report.build_report
query for query: one aggregate per section (a few hundred people at a time), the viewer's
filter in every query's SQL (raw.visible), certificates kept only when their seal holds, the
certification statuses and refresher proposals worked out by the same pure code
(simulator.standing). Tests run both builders on the same data and compare every cell
(tests/test_report_fast.py). Any driver error raises raw.Unusual: the caller then takes the
ordinary path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from scoring.vocabulary import DIMENSIONS

from ..wrapup import WrapUpRecord
from .raw import Reader, Viewer, as_date, as_datetime, visible
from .records import CallSummary
from .reportrows import (
    CALL_COLUMNS,
    ENDED,
    NO_CALLS,
    NO_DIMENSIONS,
    NO_RECORD,
    NO_REVIEW,
    REVIEW_COLUMNS,
    WEAKEST_OVER,
    WRAPUP_COLUMNS,
    Columns,
    Report,
    in_chunks,
    iso,
    naive_iso,
    ratio,
    until,
    verdict,
)

if TYPE_CHECKING:
    from scoring.certification import Certificate, Track

    from ..scenario import Scenario

__all__ = ["Person", "build_report", "people"]


@dataclass(frozen=True)
class Person:
    """A row of `trainees`, as the report reads it (report.py reads `Trainee`)."""

    id: int
    name: str
    display_name: str | None
    team: str | None
    role: str


def people(reader: Reader, viewer: Viewer, *, name: str | None = None,
           team: str | None = None) -> list[Person]:
    """queries.trainees: the people the viewer may see, by name; `name` already normalised."""
    cond, params = visible(viewer, "t")
    sql = f"SELECT t.id, t.name, t.display_name, t.team, t.role FROM trainees t WHERE {cond}"
    if name is not None:
        sql += " AND t.name = ?"
        params.append(name)
    if team is not None:
        sql += " AND t.team = ?"
        params.append(team)
    return [Person(*row) for row in reader.rows(sql + " ORDER BY t.name", params)]


def _stamp(reader: Reader, when: datetime) -> Any:
    """A time as the column stores it (naive UTC): SQLAlchemy writes SQLite's as this text."""
    naive = when.astimezone(UTC).replace(tzinfo=None)
    if reader.backend == "sqlite":
        return naive.strftime("%Y-%m-%d %H:%M:%S.%f")
    return naive


def _true(reader: Reader) -> str:
    return "1" if reader.backend == "sqlite" else "true"


_LATEST_OVERRIDE = ("(SELECT r.verdict FROM reviews r WHERE r.call_id = c.id AND "
                    "r.kind = 'override' ORDER BY r.id DESC LIMIT 1)")
"""reviews.latest_override, as SQL on `calls c`."""
_SCORED = ("(" + " AND ".join(f"c.{d} IS NOT NULL" for d in DIMENSIONS)
           + " AND (c.outcome IS NULL OR c.outcome != 'incomplete') AND c.mode != 'playtest')")
"""report._scored."""


def _their_calls(reader: Reader, viewer: Viewer, chunk: list[int],
                 today: date) -> tuple[str, list[Any]]:
    """report._their_calls: these people's calls started by the end of `today`, visible."""
    cond, params = visible(viewer, "t")
    marks = ", ".join("?" * len(chunk))
    return (f"c.trainee_id IN ({marks}) AND c.started < ? AND {cond}",
            [*chunk, _stamp(reader, until(today)), *params])


def _trainee_rows(reader: Reader, viewer: Viewer, persons: Sequence[Person],
                  today: date) -> list[dict[str, Any]]:
    """report._trainee_rows and _trainee_aggregates."""
    with_overall = f"({_SCORED} AND c.overall IS NOT NULL)"
    marked = "w.documentation IS NOT NULL"
    true = _true(reader)
    out: dict[int, dict[str, Any]] = {}
    for chunk in in_chunks([p.id for p in persons]):
        where, params = _their_calls(reader, viewer, chunk, today)
        sql = f"""
            SELECT c.trainee_id, count(*),
                   count(CASE WHEN c.mode = 'exam' THEN 1 END),
                   count(CASE WHEN coalesce({_LATEST_OVERRIDE}, c.passed) = {true} THEN 1 END),
                   count(CASE WHEN c.outcome = 'incomplete' THEN 1 END),
                   count(CASE WHEN {with_overall} THEN 1 END),
                   sum(CASE WHEN {with_overall} THEN c.overall END),
                   count(CASE WHEN {_SCORED} THEN 1 END),
                   {", ".join(f"sum(CASE WHEN {_SCORED} THEN c.{d} END)" for d in DIMENSIONS)},
                   count(CASE WHEN {marked} THEN 1 END),
                   sum(CASE WHEN {marked} THEN w.documentation END),
                   count(CASE WHEN c.mode = 'exam' AND c.outcome IN
                              ('resolved', 'escalated', 'lost') AND w.call_id IS NULL THEN 1 END),
                   max(c.started)
            FROM calls c JOIN trainees t ON t.id = c.trainee_id
            LEFT OUTER JOIN wrapups w ON w.call_id = c.id
            WHERE {where} GROUP BY c.trainee_id"""
        for (pid, calls, exams, passed, incomplete, n_overall, s_overall, n_scored,
             *rest) in reader.rows(sql, params):
            sums = rest[:len(DIMENSIONS)]
            n_marks, s_marks, missing, last = rest[len(DIMENSIONS):]
            out[pid] = {
                "calls": calls, "exam_calls": exams, "passed": passed,
                "incomplete": incomplete, "overall": ratio(s_overall, n_overall),
                **{d: ratio(v, n_scored) for d, v in zip(DIMENSIONS, sums, strict=True)},
                "documentation": ratio(s_marks, n_marks),
                "exams_without_wrapup": missing, "weakest": None,
                "last_call": naive_iso(as_datetime(last))}
        sql = f"""
            SELECT pid, count(*), {", ".join(f"sum({d})" for d in DIMENSIONS)} FROM (
                SELECT c.trainee_id AS pid, {", ".join(f"c.{d} AS {d}" for d in DIMENSIONS)},
                       row_number() OVER (PARTITION BY c.trainee_id
                                          ORDER BY c.started DESC, c.id DESC) AS n
                FROM calls c JOIN trainees t ON t.id = c.trainee_id
                WHERE {where} AND {_SCORED}) ranked
            WHERE n <= ? GROUP BY pid"""
        for pid, n, *sums in reader.rows(sql, [*params, WEAKEST_OVER]):
            means = {d: int(v) / n for d, v in zip(DIMENSIONS, sums, strict=True)}
            out[pid]["weakest"] = min(DIMENSIONS, key=lambda d: (means[d], DIMENSIONS.index(d)))
    return [{"trainee": p.name, "display_name": p.display_name, "team": p.team,
             "role": p.role, **out.get(p.id, NO_CALLS)} for p in persons]


def _aware(value: Any) -> datetime | None:
    naive = as_datetime(value)
    return None if naive is None else naive.replace(tzinfo=UTC)


def _aware_of(backend: str) -> Callable[[Any], datetime]:
    """_aware of a time that is not None, for this backend's driver (SQLite: text)."""
    if backend == "sqlite":
        return _aware_text
    return lambda value: value.replace(tzinfo=UTC)


def _aware_text(value: Any) -> datetime:
    """_aware of SQLite's text of a naive UTC time: parsed with its offset said, in one call
    (datetime.replace(tzinfo=...) costs ten times the parse: 0.06 s of a report of 100k
    calls); anything else, as _aware reads it."""
    try:
        return _parse(value + "+00:00")
    except (TypeError, ValueError):
        return _parse(value).replace(tzinfo=UTC)


_parse = datetime.fromisoformat


_new = object.__new__


def _summary(values: dict[str, Any]) -> CallSummary:
    """CallSummary(**values), `values` naming every field, without the frozen dataclass's
    __init__ (one object.__setattr__ a field: about 0.3 s of a report's 200k calls, issue 12):
    the same object, equal to the one __init__ makes (tests/test_report_fast.py checks)."""
    made: CallSummary = _new(CallSummary)
    made.__dict__.update(values)
    return made


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _summaries(reader: Reader, viewer: Viewer, persons: Sequence[Person], today: date,
               exams_only: bool = False) -> dict[str, list[CallSummary]]:
    """report._calls_by_person: every call (or exam) of these people, by name, oldest first."""
    out: dict[str, list[CallSummary]] = {}
    for chunk in in_chunks([p.id for p in persons]):
        where, params = _their_calls(reader, viewer, chunk, today)
        if exams_only:
            where += " AND c.mode = 'exam'"
        sql = f"""
            SELECT c.id, c.scenario_id, c.mode, c.started, c.outcome, c.overall, c.passed,
                   {", ".join(f"c.{d}" for d in DIMENSIONS)}, t.name, c.persona, c.role,
                   c.level, c.ended, c.scenario_hash, c.rubric_version, {_LATEST_OVERRIDE}
            FROM calls c JOIN trainees t ON t.id = c.trainee_id
            WHERE {where} ORDER BY c.trainee_id, c.started, c.id"""
        for (cid, sid, mode, started, outcome, overall, passed, *dims, name, persona, seat,
             level, ended, digest, rubric, overridden) in reader.rows(sql, params):
            out.setdefault(name, []).append(CallSummary(
                id=cid, scenario_id=sid, mode=mode, started=_aware(started),  # type: ignore[arg-type]
                outcome=outcome, overall=overall, passed=_bool(passed),
                dimensions=(dict(zip(DIMENSIONS, dims, strict=True))
                            if all(v is not None for v in dims) else {}),
                trainee=name, persona=persona, seat=seat, level=level, ended=_aware(ended),
                scenario_hash=digest, rubric_version=rubric, override=_bool(overridden)))
    return out


@dataclass(frozen=True)
class _CertificateRow:
    """The fields of a stored certificate its seal covers (seal.CERTIFICATE_FIELDS)."""

    trainee_id: int
    track_id: str
    earned_on: date
    valid_until: date
    refresher_due_on: date
    call_id: int | None
    rests_on: str | None


def _ids(rests_on: str | None) -> tuple[int, ...]:
    return tuple(int(i) for i in (rests_on or "").split(",") if i)


def _earned(reader: Reader, viewer: Viewer,
            persons: Sequence[Person]) -> dict[int, list[Certificate]]:
    """overview._certificates: the stored certificates whose seal holds, by person."""
    from scoring.certification import Certificate

    from .seal import certificate_seal

    cond, vparams = visible(viewer, "t")
    out: dict[int, list[Certificate]] = {}
    for chunk in in_chunks([p.id for p in persons]):
        marks = ", ".join("?" * len(chunk))
        rows = reader.rows(f"""
            SELECT k.trainee_id, k.track_id, k.earned_on, k.valid_until, k.refresher_due_on,
                   k.call_id, k.rests_on, k.seal
            FROM certificates k JOIN trainees t ON t.id = k.trainee_id
            WHERE k.trainee_id IN ({marks}) AND {cond}
            ORDER BY k.earned_on, k.track_id""", [*chunk, *vparams])
        wanted = sorted({i for r in rows for i in _ids(r[6])})
        seals: dict[int, str | None] = {}
        for ids in in_chunks(wanted):
            seals.update(reader.rows(f"SELECT id, seal FROM calls WHERE id IN "
                                     f"({', '.join('?' * len(ids))})", ids))
        for pid, track, earned_on, valid_until, due_on, call_id, rests_on, seal in rows:
            row = _CertificateRow(pid, track, as_date(earned_on), as_date(valid_until),  # type: ignore[arg-type]
                                  as_date(due_on), call_id, rests_on)  # type: ignore[arg-type]
            if seal is not None and seal == certificate_seal(
                    row, [seals.get(i) for i in _ids(rests_on)]):
                out.setdefault(pid, []).append(Certificate(
                    track, row.earned_on, row.valid_until, row.refresher_due_on, call_id,
                    _ids(rests_on)))
    return out


def _overridden(current: Certificate | None, calls: Sequence[CallSummary]) -> list[int]:
    """report._overridden."""
    if current is None:
        return []
    resting = {*current.rests_on, current.call_id}
    return [c.id for c in calls if c.id in resting and c.override is True]


def _certification_rows(reader: Reader, viewer: Viewer, persons: Sequence[Person],
                        tracks: Sequence[Track], scenarios: Sequence[Scenario],
                        today: date, fetched: _Fetched | None = None) -> list[dict[str, Any]]:
    """report._certification_rows; the calls from `fetched` when the calls were read already
    (the same summaries as _summaries, without reading them again)."""
    from ..standing import DUE, TrackRow, track_rows, with_refreshers

    def summaries(who: Sequence[Person], exams_only: bool = False
                  ) -> dict[str, list[CallSummary]]:
        if fetched is None:
            return _summaries(reader, viewer, who, today, exams_only)
        return fetched.summaries(who, exams_only, None if exams_only else exams)

    earned_of = _earned(reader, viewer, persons)
    exams: dict[str, list[CallSummary]] = {}
    exams = summaries(persons, exams_only=True)
    standing: dict[str, list[TrackRow]] = {}
    for person in persons:
        standing[person.name] = track_rows(tracks, exams.get(person.name, []),
                                           earned_of.get(person.id, []), scenarios, today)
    due = [p for p in persons if any(r.status in DUE for r in standing[p.name])]
    calls = dict(exams)
    if due:
        calls.update(summaries(due))
        for person in due:
            standing[person.name] = with_refreshers(standing[person.name], tracks,
                                                    calls.get(person.name, []), scenarios,
                                                    today)
    out = []
    for person in persons:
        mine = calls.get(person.name, [])
        for row in standing[person.name]:
            out.append({
                "trainee": person.name, "team": person.team, "track": row.track_id,
                "status": row.status, "certified_on": iso(row.certified_on),
                "valid_until": iso(row.valid_until),
                "refresher_due_on": iso(row.refresher_due_on), "days_left": row.days_left,
                "missing": list(row.missing), "refresher": list(row.refresher),
                "earlier": [f"{iso(c.earned_on)}..{iso(c.valid_until)}" for c in row.history],
                "overridden": _overridden(row.current, mine),
            })
    return out


def _reviews(reader: Reader, viewer: Viewer, persons: Sequence[Person]
             ) -> tuple[dict[int, tuple[Any, ...]], dict[int, bool | None]]:
    """reviews.review_summaries of these people's calls, as the REVIEW_COLUMNS' values; and the
    verdict of each call's latest override (reviews.latest_override), by call."""
    cond, vparams = visible(viewer, "t")
    counts: dict[int, int] = {}
    latest: dict[int, tuple[Any, ...]] = {}
    verdicts: dict[int, bool | None] = {}
    for chunk in in_chunks([p.id for p in persons]):
        marks = ", ".join("?" * len(chunk))
        for call_id, kind, text, entry_verdict, made_at, author in reader.rows(f"""
                SELECT r.call_id, r.kind, r.text, r.verdict, r.made_at, a.name
                FROM reviews r JOIN trainees a ON a.id = r.made_by
                JOIN calls c ON c.id = r.call_id JOIN trainees t ON t.id = c.trainee_id
                WHERE {cond} AND c.trainee_id IN ({marks}) ORDER BY r.id""",
                [*vparams, *chunk]):
            counts.setdefault(call_id, 0)
            if kind == "comment":
                counts[call_id] += 1
            else:
                if kind == "override":
                    verdicts[call_id] = _bool(entry_verdict)
                made = as_datetime(made_at)
                latest[call_id] = (verdict(_bool(entry_verdict)), author,
                                   iso(made.date()) if made is not None else None, text)
    return ({cid: (*latest.get(cid, (None, None, None, None)), n)
             for cid, n in counts.items()}, verdicts)


_BOOLEAN = tuple(i for i, f in enumerate(fields(WrapUpRecord)) if f.type in ("bool", bool))
"""The wrap-up's yes/no fields (SQLite hands them back as 0 and 1)."""


def _record(values: Sequence[Any]) -> tuple[Any, ...]:
    if not _BOOLEAN:
        return tuple(values)
    out = list(values)
    for i in _BOOLEAN:
        out[i] = _bool(out[i])
    return tuple(out)


_N = len(DIMENSIONS)
_DIMS = slice(10, 10 + _N)
"""Where the dimensions are in a fetched row (see _fetch)."""
_DIGEST, _RUBRIC, _PERSONA, _SEAT, _RECORDED = range(10 + _N, 15 + _N)
_RECORD = slice(15 + _N, None)


class _Fetched:
    """Every call of the people, read once with its wrap-up (report._call_rows's query, with
    the persona and seat certification reads): each person's, newest first, as rows of
    (trainee_id, id, scenario_id, mode, started, ended, outcome, level, overall, passed,
    *DIMENSIONS, scenario_hash, rubric_version, persona, seat, wrap-up's call_id,
    *WRAPUP_COLUMNS); the review cells and latest overrides by call."""

    def __init__(self, reader: Reader, viewer: Viewer, persons: Sequence[Person],
                 today: date) -> None:
        self.persons = persons
        self.backend = reader.backend
        self.reviews, self.overrides = _reviews(reader, viewer, persons)
        self.by_person: dict[int, list[tuple[Any, ...]]] = {}
        for chunk in in_chunks([p.id for p in persons]):
            where, params = _their_calls(reader, viewer, chunk, today)
            sql = f"""
                SELECT c.trainee_id, c.id, c.scenario_id, c.mode, c.started, c.ended,
                       c.outcome, c.level, c.overall, c.passed,
                       {", ".join(f"c.{d}" for d in DIMENSIONS)},
                       c.scenario_hash, c.rubric_version, c.persona, c.role, w.call_id,
                       {", ".join(f"w.{f}" for f in WRAPUP_COLUMNS)}
                FROM calls c JOIN trainees t ON t.id = c.trainee_id
                LEFT OUTER JOIN wrapups w ON w.call_id = c.id
                WHERE {where} ORDER BY c.trainee_id, c.started DESC, c.id DESC"""
            by_person = self.by_person
            for row in reader.rows(sql, params):
                mine = by_person.get(row[0])
                if mine is None:
                    by_person[row[0]] = mine = []
                mine.append(row)

    def summaries(self, persons: Sequence[Person], exams_only: bool = False,
                  exams: Mapping[str, list[CallSummary]] | None = None
                  ) -> dict[str, list[CallSummary]]:
        """_summaries of these people, from the rows read. `exams`: what this gave with
        `exams_only` for them, taken for their exams rather than built again (the same)."""
        out: dict[str, list[CallSummary]] = {}
        overrides = self.overrides
        aware = _aware_of(self.backend)
        summary = _summary
        for person in persons:
            rows = self.by_person.get(person.id)
            if not rows:
                continue
            mine = out[person.name] = []
            built = iter(exams.get(person.name, ())) if exams is not None and not exams_only \
                else None
            for row in reversed(rows):  # oldest first: started, then id
                if row[3] == "exam" and built is not None:
                    mine.append(next(built))  # built from this row, in the same order
                    continue
                if exams_only and row[3] != "exam":
                    continue
                dims = row[_DIMS]
                mine.append(summary({
                    "id": row[1], "scenario_id": row[2], "mode": row[3],
                    "started": aware(row[4]), "outcome": row[6], "overall": row[8],
                    "passed": None if row[9] is None else bool(row[9]),
                    "dimensions": (dict(zip(DIMENSIONS, dims, strict=True))
                                   if None not in dims else {}),
                    "trainee": person.name, "persona": row[_PERSONA], "seat": row[_SEAT],
                    "level": row[7], "ended": None if row[5] is None else aware(row[5]),
                    "scenario_hash": row[_DIGEST], "rubric_version": row[_RUBRIC],
                    "override": overrides.get(row[1])}))
            if not mine:
                del out[person.name]
        return out

    def trainee_rows(self) -> list[dict[str, Any]]:
        """_trainee_rows, from the rows read: the same counts, exact sums and means."""
        overrides = self.overrides
        out = []
        for p in self.persons:
            rows = self.by_person.get(p.id)
            numbers = NO_CALLS
            if rows:
                exams = passed = incomplete = n_overall = s_overall = n_scored = 0
                n_marks = s_marks = missing = 0
                sums = [0] * _N
                recent: list[tuple[Any, ...]] = []
                for row in rows:
                    mode, outcome = row[3], row[6]
                    if mode == "exam":
                        exams += 1
                        if outcome in ENDED and row[_RECORDED] is None:
                            missing += 1
                    stands = overrides.get(row[1])
                    if stands is None:
                        stands = row[9]
                    if stands is not None and bool(stands):
                        passed += 1
                    if outcome == "incomplete":
                        incomplete += 1
                    dims = row[_DIMS]
                    if None not in dims and outcome != "incomplete" and mode != "playtest":
                        n_scored += 1
                        for i, v in enumerate(dims):
                            sums[i] += v
                        if row[8] is not None:
                            n_overall += 1
                            s_overall += row[8]
                        if len(recent) < WEAKEST_OVER:
                            recent.append(dims)
                    if row[_RECORDED] is not None:
                        mark = row[_RECORD][_DOCUMENTATION]
                        if mark is not None:
                            n_marks += 1
                            s_marks += mark
                weakest = None
                if recent:
                    means = {d: sum(r[i] for r in recent) / len(recent)
                             for i, d in enumerate(DIMENSIONS)}
                    weakest = min(DIMENSIONS, key=lambda d: (means[d], DIMENSIONS.index(d)))
                numbers = {
                    "calls": len(rows), "exam_calls": exams, "passed": passed,
                    "incomplete": incomplete, "overall": ratio(s_overall, n_overall),
                    **{d: ratio(v, n_scored) for d, v in zip(DIMENSIONS, sums, strict=True)},
                    "documentation": ratio(s_marks, n_marks),
                    "exams_without_wrapup": missing, "weakest": weakest,
                    "last_call": _shown_time(max(r[4] for r in rows))}
            out.append({"trainee": p.name, "display_name": p.display_name, "team": p.team,
                        "role": p.role, **numbers})
        return out

    def call_rows(self, library: Mapping[str, Scenario],
                  last: int | None) -> list[dict[str, Any]]:
        """report._call_rows, from the rows read."""
        from ..standing import why_not_counted

        counts: dict[tuple[Any, ...], str] = {}
        reviews = self.reviews
        out: list[dict[str, Any]] = []
        for person in self.persons:
            rows = self.by_person.get(person.id, [])
            if last is not None:
                rows = rows[:last] if last > 0 else []
            name, team = person.name, person.team
            for (_, cid, sid, mode, started, ended, outcome, level, overall, passed,
                 *rest) in rows:
                dims = tuple(rest[:_N])
                digest, rubric, _persona, _seat, recorded = rest[_N:_N + 5]
                key = (mode, outcome, sid, digest)
                if key not in counts:  # why_not_counted reads only these
                    counts[key] = why_not_counted(CallSummary(
                        id=cid, scenario_id=sid, mode=mode,
                        started=_aware(started),  # type: ignore[arg-type]
                        outcome=outcome, overall=overall, passed=_bool(passed),
                        scenario_hash=digest), library) or "yes"
                out.append(dict(zip(CALL_COLUMNS, (
                    cid, name, team, _shown_time(started), _shown_time(ended), sid, mode,
                    outcome or "under way", level, overall,
                    None if passed is None else bool(passed),
                    *reviews.get(cid, NO_REVIEW),
                    *(dims if None not in dims else NO_DIMENSIONS),
                    counts[key], digest[:12], rubric,
                    "yes" if recorded is not None else "missing" if mode == "exam"
                    and outcome in ENDED else "no",
                    *(_record(rest[_N + 5:]) if recorded is not None else NO_RECORD)),
                    strict=True)))
        return out


    def call_columns(self, library: Mapping[str, Scenario], last: int | None) -> Columns:
        """call_rows, column by column: the same values, without a dict per row (CSV and the
        table read columns)."""
        from ..standing import why_not_counted

        rows: list[tuple[Any, ...]] = []
        names: list[str] = []
        teams: list[str | None] = []
        for person in self.persons:
            mine = self.by_person.get(person.id, [])
            if last is not None:
                mine = mine[:last] if last > 0 else []
            rows.extend(mine)
            names.extend([person.name] * len(mine))
            teams.extend([person.team] * len(mine))
        n = len(rows)
        if not n:
            return Columns({c: [] for c in CALL_COLUMNS}, 0)
        (_, cids, sids, modes, starts, ends, outcomes, levels, overalls, passes,
         *rest) = (list(c) for c in zip(*rows, strict=True))
        dims = rest[:_N]
        digests, rubrics, _, _, recorded = rest[_N:_N + 5]
        records = rest[_N + 5:]
        scored = [None not in d for d in zip(*dims, strict=True)]
        counts: dict[tuple[Any, ...], str] = {}
        for key in set(zip(modes, outcomes, sids, digests, strict=True)):
            mode, outcome, sid, digest = key
            counts[key] = why_not_counted(CallSummary(
                id=0, scenario_id=sid, mode=mode, started=datetime.now(UTC),
                outcome=outcome, overall=None, passed=None, scenario_hash=digest),
                library) or "yes"
        reviews = self.reviews
        review = list(zip(*(reviews.get(cid, NO_REVIEW) for cid in cids), strict=True))
        values: dict[str, list[Any]] = {
            "call": cids, "trainee": names, "team": teams,
            "started": _shown_times(starts), "ended": _shown_times(ends),
            "scenario": sids, "mode": modes,
            "outcome": [o or "under way" for o in outcomes], "level": levels,
            "overall": overalls, "passed": [None if p is None else bool(p) for p in passes],
            **{c: list(v) for c, v in zip(REVIEW_COLUMNS, review, strict=True)},
            **{d: [v if ok else None for v, ok in zip(col, scored, strict=True)]
               for d, col in zip(DIMENSIONS, dims, strict=True)},
            "counts": [counts[k] for k in zip(modes, outcomes, sids, digests, strict=True)],
            "scenario_hash": [d[:12] for d in digests], "rubric": rubrics,
            "wrapup": ["yes" if r is not None else "missing" if m == "exam" and o in ENDED
                       else "no" for r, m, o in zip(recorded, modes, outcomes, strict=True)],
        }
        for i, (name, col) in enumerate(zip(WRAPUP_COLUMNS, records, strict=True)):
            if i in _BOOLEAN:
                col = [None if v is None else bool(v) for v in col]
            values[name] = col  # a call without a wrap-up: the outer join's NULLs already
        return Columns({c: values[c] for c in CALL_COLUMNS}, n)


_DOCUMENTATION = WRAPUP_COLUMNS.index("documentation")


def _shown_times(values: list[Any]) -> list[str | None]:
    """_shown_time of each value, its usual case without a call per value."""
    return [f"{v[:10]}T{v[11:19]}Z" if type(v) is str and len(v) in (19, 26) and v[10] == " "
            and v[0] != "0" and v[4] == "-" else _shown_time(v) for v in values]


def _shown_time(value: Any) -> str | None:
    """reportrows.naive_iso of a stored time, straight from SQLite's text when it is the usual
    `YYYY-MM-DD HH:MM:SS[.ffffff]` of a year from 1000 (the same characters)."""
    if type(value) is str and len(value) in (19, 26) and value[10] == " " and \
            value[0] != "0" and value[4] == "-":
        return f"{value[:10]}T{value[11:19]}Z"
    return naive_iso(as_datetime(value))


def build_report(reader: Reader, viewer: Viewer, persons: Sequence[Person],
                 tracks: Sequence[Track], scenarios: Sequence[Scenario],
                 today: date | None = None, last: int | None = None,
                 sections: Sequence[str] = ("trainees", "certifications", "calls"),
                 columns: bool = False) -> Report:
    """report.build_report over the fast read path: the same rows, the same sections.
    `columns`: the calls section as reportrows.Columns (for CSV and the table)."""
    from .bulk import paused_gc

    today = today or datetime.now(UTC).date()
    report = Report(today)
    wanted = set(sections)
    with paused_gc():
        # with the calls section, every call is read once and the other sections are worked
        # out from the same rows; without it, each section reads what it needs (as report.py)
        fetched = _Fetched(reader, viewer, persons, today) if "calls" in wanted else None
        if "trainees" in wanted:
            report.trainees = fetched.trainee_rows() if fetched is not None else \
                _trainee_rows(reader, viewer, persons, today)
        if "certifications" in wanted:
            report.certifications = _certification_rows(reader, viewer, persons, tracks,
                                                         scenarios, today, fetched)
        if fetched is not None:
            library = {s.id: s for s in scenarios}
            report.calls = fetched.call_columns(library, last) if columns else \
                fetched.call_rows(library, last)  # type: ignore[assignment]
    return report
