"""The supervisor's home, as data: each trainee of their teams at a glance, and a trainee's trend.

`team_overview` answers with SQL aggregates (one GROUP BY query for the rows), never by loading
every call; the certification status needs the exams themselves, which are read in one query
for all the trainees shown, with their stored certificates in one more. `trend` reads one
trainee's scored calls (their scores only) for a chart.
Both read through the viewer: a supervisor sees their teams, an admin everyone, anyone else
their own row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from scoring import DIMENSIONS
from scoring.certification import Certificate as Earned
from scoring.certification import Status, Track, TrackStatus, track_status

from ..scenario import Scenario
from ..standing import DUE, certifying, standing_certificates
from .people import Viewer, normalise, visible
from .queries import _calls, _summary
from .records import CallSummary
from .reviews import latest_override
from .seal import certificate_seal
from .tables import Call, Certificate, Trainee, wrapups

__all__ = ["STATUSES", "TRENDS", "TraineeOverview", "TrendPoint", "team_overview",
           "trainee_tracks", "trend"]

STATUSES: tuple[str, ...] = Status.ALL
TRENDS = ("call", "week")
"""A trend point per scored call, or per week (Monday to Sunday, UTC)."""
_FINISHED = ("resolved", "escalated", "lost")


@dataclass(frozen=True)
class TraineeOverview:
    """One trainee on the supervisor's home."""

    trainee: str
    display_name: str | None
    team: str | None
    calls: int
    """Every call in the date range (and of the persona, when filtered), playtests included."""
    exam_calls: int
    exam_passes: int
    """Finished exams whose verdict is passed: the latest override, else the scorer's."""
    overridden: int
    """Calls whose pass or fail a supervisor overrode."""
    incomplete: int
    overall: int | None
    """The mean overall score over the finished, scored calls (playtests left out)."""
    dimensions: dict[str, int | None]
    """The mean of each dimension over the same calls."""
    documentation: int | None
    """The mean documentation mark over the calls with a wrap-up record."""
    weakest: str | None
    """The dimension with the lowest mean over those calls."""
    last_call: datetime | None
    tracks: tuple[TrackStatus, ...] = field(default=())
    """The certification status on each track today (whatever the date range)."""

    @property
    def due(self) -> bool:
        """A refresher is due, or a certificate expired, on some track."""
        return any(t.status in DUE for t in self.tracks)

    @property
    def next_date(self) -> date | None:
        """The nearest date a track asks for: the refresher due, else the expiry."""
        dates = [t.refresher_due_on if t.status == Status.CERTIFIED else t.valid_until
                 for t in self.tracks]
        return min((d for d in dates if d is not None), default=None)


@dataclass(frozen=True)
class TrendPoint:
    """One point of a trainee's trend: a scored call, or the mean of a week's."""

    start: datetime
    """The call's start, or the Monday the week starts on (00:00 UTC)."""
    calls: int
    dimensions: dict[str, float]
    overall: float
    call_id: int | None = None
    """The call (a point per call); None for a week."""


def _round(value: Any) -> int | None:
    return None if value is None else int(float(value) + 0.5)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _call_filters(persona: str | None, since: date | None,
                  until: date | None) -> list[sa.ColumnElement[bool]]:
    out: list[sa.ColumnElement[bool]] = []
    if persona is not None:
        out.append(col(Call.persona) == persona)
    if since is not None:
        out.append(col(Call.started) >= _day_start(since))
    if until is not None:
        out.append(col(Call.started) < _day_start(until + timedelta(days=1)))
    return out


def _aggregates(session: Session, viewer: Viewer, team: str | None, roles: Sequence[str],
                filters: list[sa.ColumnElement[bool]]) -> list[Any]:
    """One row per person: counts and means over their calls (one GROUP BY query)."""
    verdict = sa.func.coalesce(latest_override(col(Call.id)), col(Call.passed))
    scored = sa.and_(col(Call.outcome).in_(_FINISHED), col(Call.overall).is_not(None),
                     col(Call.mode) != "playtest")
    exam = col(Call.mode) == "exam"

    def mean(column: Any) -> Any:
        return sa.func.avg(sa.case((scored, column)))

    def count(condition: Any) -> Any:
        return sa.func.count(sa.case((condition, 1)))

    query = (sa.select(col(Trainee.id), col(Trainee.name), col(Trainee.display_name),
                       col(Trainee.team), sa.func.count(col(Call.id)), count(exam),
                       count(sa.and_(exam, col(Call.outcome).in_(_FINISHED),
                                     verdict == sa.true())),
                       count(latest_override(col(Call.id)).is_not(None)),
                       count(col(Call.outcome) == "incomplete"),
                       mean(col(Call.overall)), *(mean(getattr(Call, d)) for d in DIMENSIONS),
                       sa.func.avg(wrapups.c.documentation), sa.func.max(col(Call.started)))
             .select_from(Trainee)
             .outerjoin(Call, sa.and_(col(Call.trainee_id) == col(Trainee.id), *filters))
             .outerjoin(wrapups, wrapups.c.call_id == col(Call.id))
             .where(visible(viewer), col(Trainee.role).in_(list(roles)))
             .group_by(col(Trainee.id), col(Trainee.name), col(Trainee.display_name),
                       col(Trainee.team))
             .order_by(col(Trainee.name)))
    if team is not None:
        query = query.where(col(Trainee.team) == team)
    return list(session.execute(query).all())


def _exams(session: Session, viewer: Viewer, ids: Sequence[int]) -> dict[str, list[CallSummary]]:
    """Every exam of these people, by name, oldest first: one query."""
    query = (_calls(viewer).where(col(Call.trainee_id).in_(list(ids)), col(Call.mode) == "exam")
             .order_by(col(Call.started), col(Call.id)))
    out: dict[str, list[CallSummary]] = {}
    for row in session.execute(query).all():
        call = _summary(row)
        out.setdefault(call.trainee, []).append(call)
    return out


def _ids(rests_on: str | None) -> tuple[int, ...]:
    return tuple(int(i) for i in (rests_on or "").split(",") if i)


def _certificates(session: Session, viewer: Viewer, ids: Sequence[int]) -> dict[int, list[Earned]]:
    """The stored certificates of these people whose seal holds, by person (as
    certificates.stored_certificates reads one person's): two queries for all of them."""
    rows = session.exec(select(Certificate)
                        .join(Trainee, col(Trainee.id) == col(Certificate.trainee_id))
                        .where(col(Certificate.trainee_id).in_(list(ids)), visible(viewer))
                        .order_by(col(Certificate.earned_on), col(Certificate.track_id))).all()
    wanted = sorted({i for r in rows for i in _ids(r.rests_on)})
    seals = dict(session.exec(select(Call.id, Call.seal).where(col(Call.id).in_(wanted))).all()) \
        if wanted else {}
    out: dict[int, list[Earned]] = {}
    for r in rows:
        if r.seal is not None and r.seal == certificate_seal(
                r, [seals.get(i) for i in _ids(r.rests_on)]):
            out.setdefault(r.trainee_id, []).append(Earned(
                r.track_id, r.earned_on, r.valid_until, r.refresher_due_on, r.call_id,
                _ids(r.rests_on)))
    return out


def team_overview(engine: Engine, viewer: Viewer, *, team: str | None = None,
                  track: str | None = None, status: str | None = None,
                  since: date | None = None, until: date | None = None,
                  persona: str | None = None, tracks: Sequence[Track] = (),
                  scenarios: Sequence[Scenario] = (), today: date | None = None,
                  roles: Sequence[str] = ("trainee",)) -> list[TraineeOverview]:
    """Each trainee the viewer may see (of `team`), with their calls' counts and means (over
    the calls of `persona` started from `since` to `until`, UTC dates, both included), and
    their certification status on `tracks` (only `track` when given) today, whatever the
    range. `status`: only the trainees with a track in that status. Exams count for
    certification as they do everywhere (simulator.standing: on the library `scenarios`, an
    override counting). Those due a refresher (or expired) first, then by name."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status '{status}' (expected {', '.join(STATUSES)})")
    shown = [t for t in tracks if track is None or t.id == track]
    if track is not None and not shown:
        raise ValueError(f"no track '{track}' (the tracks are "
                         f"{', '.join(t.id for t in tracks) or 'none'})")
    today = today or datetime.now(UTC).date()
    library = {s.id: s for s in scenarios}
    with Session(engine) as session:
        rows = _aggregates(session, viewer, team, roles, _call_filters(persona, since, until))
        ids = [r[0] for r in rows]
        exams = _exams(session, viewer, ids) if ids and shown else {}
        earned = _certificates(session, viewer, ids) if ids and shown else {}
    out = []
    for (pid, name, display, team_of, calls, exam_calls, passes, overridden, incomplete,
         overall, *rest) in rows:
        dims = dict(zip(DIMENSIONS, rest[:len(DIMENSIONS)], strict=True))
        documentation, last = rest[len(DIMENSIONS):]
        mine = exams.get(name, [])
        counting = certifying(mine, library)
        kept = standing_certificates(earned.get(pid, []), mine)
        statuses = tuple(track_status(t, counting, today, earned=kept) for t in shown)
        if status is not None and not any(s.status == status for s in statuses):
            continue
        present = {d: float(v) for d, v in dims.items() if v is not None}
        weakest = min(present, key=lambda d: (present[d], DIMENSIONS.index(d))) \
            if present else None
        out.append(TraineeOverview(
            trainee=name, display_name=display, team=team_of, calls=calls,
            exam_calls=exam_calls, exam_passes=passes, overridden=overridden,
            incomplete=incomplete, overall=_round(overall),
            dimensions={d: _round(v) for d, v in dims.items()},
            documentation=_round(documentation), weakest=weakest, last_call=last,
            tracks=statuses))
    out.sort(key=lambda r: (not r.due, r.trainee))
    return out


def trainee_tracks(engine: Engine, viewer: Viewer, names: Sequence[str], *,
                   tracks: Sequence[Track], scenarios: Sequence[Scenario] = (),
                   today: date | None = None) -> dict[str, tuple[TrackStatus, ...]]:
    """The certification status on each of `tracks` today of these people (by name), as
    `team_overview` computes it, for those the viewer may see (the others are left out): three
    queries for all of them. The supervisor's home shows `team_overview(tracks=())` at once (its
    SQL aggregates) and fills the statuses in with this, a page of people at a time."""
    today = today or datetime.now(UTC).date()
    library = {s.id: s for s in scenarios}
    wanted = sorted({normalise(n) for n in names})
    if not wanted:
        return {}
    with Session(engine) as session:
        people = session.execute(sa.select(col(Trainee.id), col(Trainee.name))
                                 .where(col(Trainee.name).in_(wanted), visible(viewer))).all()
        ids = [pid for pid, _ in people]
        exams = _exams(session, viewer, ids) if ids and tracks else {}
        earned = _certificates(session, viewer, ids) if ids and tracks else {}
    out = {}
    for pid, name in people:
        mine = exams.get(name, [])
        counting = certifying(mine, library)
        kept = standing_certificates(earned.get(pid, []), mine)
        out[name] = tuple(track_status(t, counting, today, earned=kept) for t in tracks)
    return out


def trend(engine: Engine, viewer: Viewer, trainee: str, *, by: str = "call",
          since: date | None = None, until: date | None = None) -> list[TrendPoint]:
    """Each dimension of the trainee's finished, scored calls over time (playtests left out),
    oldest first: a point per call, or per week (`by`). Empty when the viewer may not see
    the trainee."""
    if by not in TRENDS:
        raise ValueError(f"a trend is by {' or '.join(TRENDS)}, not '{by}'")
    query = (sa.select(col(Call.id), col(Call.started), col(Call.overall),
                       *(getattr(Call, d) for d in DIMENSIONS))
             .join(Trainee, col(Trainee.id) == col(Call.trainee_id))
             .where(col(Trainee.name) == normalise(trainee), visible(viewer),
                    col(Call.outcome).in_(_FINISHED), col(Call.overall).is_not(None),
                    col(Call.mode) != "playtest", *_call_filters(None, since, until))
             .order_by(col(Call.started), col(Call.id)))
    with Session(engine) as session:
        rows = session.execute(query).all()
    points = [TrendPoint(started, 1, {d: float(v) for d, v in zip(DIMENSIONS, dims, strict=True)},
                         float(overall), cid)
              for cid, started, overall, *dims in rows]
    if by == "call":
        return points
    weeks: dict[date, list[TrendPoint]] = {}
    for p in points:
        day = p.start.astimezone(UTC).date()
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(p)
    return [TrendPoint(_day_start(monday), len(ps),
                       {d: sum(p.dimensions[d] for p in ps) / len(ps) for d in DIMENSIONS},
                       sum(p.overall for p in ps) / len(ps))
            for monday, ps in sorted(weeks.items())]
