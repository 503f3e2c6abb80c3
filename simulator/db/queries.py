"""Reading calls back: history, transcripts, wrap-ups, the rows reports are made of."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from scoring import DIMENSIONS, ScoreEvent

from ..call import Line
from ..wrapup import WrapUpRecord
from .records import CallSummary
from .tables import Call, CallEvent, Trainee, Turn, wrapups

__all__ = ["call_events", "call_transcript", "calls_of", "find_trainee", "get_call",
           "get_wrapup", "recent_calls", "trainees"]

_SUMMARY: tuple[Any, ...] = tuple(col(c) for c in (
            Call.id, Call.scenario_id, Call.mode, Call.started, Call.outcome, Call.overall,
            Call.passed, Call.empathy, Call.resolution, Call.escalation, Call.policy,
            Trainee.name, Call.persona, Call.seat, Call.level, Call.ended, Call.scenario_hash,
            Call.rubric_version))


def _summary(row: Sequence[Any]) -> CallSummary:
    (cid, scenario_id, mode, started, outcome, overall, passed, *dims, name, persona, seat,
     level, ended, digest, rubric) = row
    dimensions: dict[str, int] = ({d: v for d, v in zip(DIMENSIONS, dims, strict=True)}
                  if all(v is not None for v in dims) else {})
    return CallSummary(id=cid, scenario_id=scenario_id, mode=mode, started=started,
                       outcome=outcome, overall=overall, passed=passed, dimensions=dimensions,
                       trainee=name, persona=persona, seat=seat, level=level, ended=ended,
                       scenario_hash=digest, rubric_version=rubric)


def recent_calls(engine: Engine, trainee: str, limit: int = 10) -> list[CallSummary]:
    """The trainee's calls, newest first (an unknown trainee has none)."""
    query = (sa.select(*_SUMMARY).join(Trainee, col(Trainee.id) == col(Call.trainee_id))
             .where(col(Trainee.name) == trainee)
             .order_by(col(Call.started).desc(), col(Call.id).desc())
             .limit(limit))
    with Session(engine) as session:
        return [_summary(row) for row in session.execute(query).all()]


def calls_of(engine: Engine, names: Sequence[str] | None = None) -> list[CallSummary]:
    """Every call of the given people (all people when None), oldest first."""
    query = sa.select(*_SUMMARY).join(Trainee, col(Trainee.id) == col(Call.trainee_id))
    if names is not None:
        query = query.where(col(Trainee.name).in_(list(names)))
    query = query.order_by(col(Call.started), col(Call.id))
    with Session(engine) as session:
        return [_summary(row) for row in session.execute(query).all()]


def get_call(engine: Engine, call_id: int) -> CallSummary | None:
    """One stored call by its number, or None."""
    query = (sa.select(*_SUMMARY).join(Trainee, col(Trainee.id) == col(Call.trainee_id))
             .where(col(Call.id) == call_id))
    with Session(engine) as session:
        row = session.execute(query).first()
    return _summary(row) if row is not None else None


def call_transcript(engine: Engine, call_id: int) -> list[Line]:
    """The stored lines of a call, in order."""
    with Session(engine) as session:
        rows = session.exec(select(Turn).where(Turn.call_id == call_id)
                            .order_by(col(Turn.idx))).all()
    return [Line(r.speaker, r.node, r.text, r.turn, r.option, r.option_id, r.feedback)
            for r in rows]


def call_events(engine: Engine, call_id: int) -> list[ScoreEvent]:
    """The stored score events of a call, in the scorecard's order."""
    with Session(engine) as session:
        rows = session.exec(select(CallEvent).where(CallEvent.call_id == call_id)
                            .order_by(col(CallEvent.seq))).all()
    return [ScoreEvent(r.turn, r.dimension, r.points, r.reason, r.rule) for r in rows]


def get_wrapup(engine: Engine, call_id: int) -> WrapUpRecord | None:
    """The call's complaint record, or None when the rep saved none."""
    columns = [wrapups.c[name] for name in WrapUpRecord.__dataclass_fields__]
    with engine.connect() as conn:
        row = conn.execute(sa.select(*columns).where(wrapups.c.call_id == call_id)).first()
    return None if row is None else WrapUpRecord(**row._asdict())


def find_trainee(engine: Engine, name: str) -> Trainee | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.exec(select(Trainee).where(Trainee.name == name)).first()


def trainees(engine: Engine, *, name: str | None = None, team: str | None = None,
             role: str | None = None) -> list[Trainee]:
    """People, by name; filtered by name, team and role when given."""
    query = select(Trainee)
    if name is not None:
        query = query.where(Trainee.name == name)
    if team is not None:
        query = query.where(Trainee.team == team)
    if role is not None:
        query = query.where(Trainee.role == role)
    with Session(engine, expire_on_commit=False) as session:
        return list(session.exec(query.order_by(Trainee.name)).all())


def count_calls(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(sa.func.count()).select_from(Call)).one()
