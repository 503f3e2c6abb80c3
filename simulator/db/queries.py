"""Reading calls back: history, transcripts, wrap-ups, the rows reports are made of."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from scoring import DIMENSIONS, ScoreEvent
from scoring.vocabulary import Role

from ..call import Line
from ..wrapup import WrapUpRecord
from .freetext import typed_from
from .people import Viewer, list_people, normalise, visible
from .records import CallSummary
from .reviews import latest_override
from .tables import Call, CallEvent, Trainee, Turn, wrapups

__all__ = ["SCENARIO_COLUMNS", "call_events", "call_transcript", "calls_of", "count_calls",
           "get_call", "get_wrapup", "recent_calls", "scenario_results", "trainees"]

_SUMMARY: tuple[Any, ...] = tuple(col(c) for c in (
            Call.id, Call.scenario_id, Call.mode, Call.started, Call.outcome, Call.overall,
            Call.passed, Call.empathy, Call.resolution, Call.escalation, Call.policy,
            Trainee.name, Call.persona, Call.seat, Call.level, Call.ended, Call.scenario_hash,
            Call.rubric_version)) + (latest_override(col(Call.id)).label("override"),)
"""A call's summary; `override`: the verdict of its latest override (reviews.py), in the same
query."""


def _summary(row: Sequence[Any]) -> CallSummary:
    (cid, scenario_id, mode, started, outcome, overall, passed, *dims, name, persona, seat,
     level, ended, digest, rubric, overridden) = row
    dimensions: dict[str, int] = ({d: v for d, v in zip(DIMENSIONS, dims, strict=True)}
                  if all(v is not None for v in dims) else {})
    return CallSummary(id=cid, scenario_id=scenario_id, mode=mode, started=started,
                       outcome=outcome, overall=overall, passed=passed, dimensions=dimensions,
                       trainee=name, persona=persona, seat=seat, level=level, ended=ended,
                       scenario_hash=digest, rubric_version=rubric,
                       override=None if overridden is None else bool(overridden))


def _calls(viewer: Viewer) -> sa.Select[Any]:
    """Call summaries joined to their person, only of the people this viewer may see."""
    return (sa.select(*_SUMMARY).join(Trainee, col(Trainee.id) == col(Call.trainee_id))
            .where(visible(viewer)))


def recent_calls(engine: Engine, viewer: Viewer, trainee: str | None = None,
                 limit: int = 10) -> list[CallSummary]:
    """`trainee`'s calls (default: the viewer's own), newest first, if the viewer may see them."""
    name = normalise(trainee) if trainee is not None else viewer.name
    query = (_calls(viewer).where(col(Trainee.name) == name)
             .order_by(col(Call.started).desc(), col(Call.id).desc())
             .limit(limit))
    with Session(engine) as session:
        return [_summary(row) for row in session.execute(query).all()]


def calls_of(engine: Engine, viewer: Viewer,
             names: Sequence[str] | None = None) -> list[CallSummary]:
    """Every call the viewer may see of the given people (of all when None), oldest first."""
    query = _calls(viewer)
    if names is not None:
        query = query.where(col(Trainee.name).in_([normalise(n) for n in names]))
    query = query.order_by(col(Call.started), col(Call.id))
    with Session(engine) as session:
        return [_summary(row) for row in session.execute(query).all()]


def get_call(engine: Engine, viewer: Viewer, call_id: int) -> CallSummary | None:
    """One stored call by its number, or None (also when the viewer may not see it)."""
    with Session(engine) as session:
        row = session.execute(_calls(viewer).where(col(Call.id) == call_id)).first()
    return _summary(row) if row is not None else None


def _seen(viewer: Viewer, call_id: int) -> sa.ColumnElement[bool]:
    """The call exists and belongs to someone the viewer may see."""
    return sa.exists(sa.select(col(Call.id)).join(
        Trainee, col(Trainee.id) == col(Call.trainee_id)).where(
        col(Call.id) == call_id, visible(viewer)))


def call_transcript(engine: Engine, viewer: Viewer, call_id: int) -> list[Line]:
    """The stored lines of a call, in order (none when the viewer may not see it)."""
    with Session(engine) as session:
        rows = session.exec(select(Turn).where(Turn.call_id == call_id, _seen(viewer, call_id))
                            .order_by(col(Turn.idx))).all()
    return [Line(r.speaker, r.node, r.text, r.turn, r.option, r.option_id, r.feedback,
                 typed_from(r)) for r in rows]


def call_events(engine: Engine, viewer: Viewer, call_id: int) -> list[ScoreEvent]:
    """The stored score events of a call, in the scorecard's order."""
    with Session(engine) as session:
        rows = session.exec(select(CallEvent).where(CallEvent.call_id == call_id,
                                                    _seen(viewer, call_id))
                            .order_by(col(CallEvent.seq))).all()
    return [ScoreEvent(r.turn, r.dimension, r.points, r.reason, r.rule) for r in rows]


def get_wrapup(engine: Engine, viewer: Viewer, call_id: int) -> WrapUpRecord | None:
    """The call's complaint record, or None when the rep saved none (or it is not the
    viewer's to see)."""
    columns = [wrapups.c[name] for name in WrapUpRecord.__dataclass_fields__]
    with engine.connect() as conn:
        row = conn.execute(sa.select(*columns).where(wrapups.c.call_id == call_id,
                                                     _seen(viewer, call_id))).first()
    return None if row is None else WrapUpRecord(**row._asdict())


def trainees(engine: Engine, viewer: Viewer, *, name: str | None = None,
             team: str | None = None, role: str | None = None) -> list[Trainee]:
    """The people the viewer may see, by name; filtered by name, team and role when given."""
    return list_people(engine, viewer, name=name, team=team, role=role)


def count_calls(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(sa.func.count()).select_from(Call)).one()


SCENARIO_COLUMNS = ("scenario", "calls", "finished", "passed", "pass_rate", "overall",
                    *DIMENSIONS)
"""The results of each scenario, without anyone's name (what a trainer sees)."""


def scenario_results(engine: Engine, viewer: Viewer) -> list[dict[str, Any]]:
    """Each scenario's calls and mean scores, with no names: over everyone's finished calls
    for a trainer or an admin, over their teams' for a supervisor; a trainee sees none.
    Playtests are left out; unfinished calls count in `calls` only."""
    if viewer.role == Role.TRAINEE:
        return []
    scope = visible(viewer) if viewer.role == Role.SUPERVISOR else sa.true()
    finished = sa.and_(col(Call.outcome).is_not(None), col(Call.outcome) != "incomplete")
    scored = sa.and_(finished, col(Call.overall).is_not(None))

    def mean(column: Any) -> Any:
        return sa.func.avg(sa.case((scored, column)))

    query = (sa.select(col(Call.scenario_id), sa.func.count(),
                       sa.func.count(sa.case((finished, 1))),
                       sa.func.count(sa.case((sa.and_(finished, col(Call.passed).is_(True)), 1))),
                       mean(col(Call.overall)),
                       *(mean(getattr(Call, d)) for d in DIMENSIONS))
             .join(Trainee, col(Trainee.id) == col(Call.trainee_id))
             .where(scope, col(Call.mode) != "playtest")
             .group_by(col(Call.scenario_id)).order_by(col(Call.scenario_id)))
    with Session(engine) as session:
        rows = session.execute(query).all()
    out: list[dict[str, Any]] = []
    for sid, calls, done, passed, overall, *dims in rows:
        means: dict[str, int | None] = {
            d: _round(v) for d, v in zip(DIMENSIONS, dims, strict=True)}
        out.append({"scenario": sid, "calls": calls, "finished": done, "passed": passed,
                    "pass_rate": round(100 * passed / done) if done else None,
                    "overall": _round(overall), **means})
    return out


def _round(value: Any) -> int | None:
    return None if value is None else int(float(value) + 0.5)
