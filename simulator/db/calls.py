"""Writing calls: each write is one short transaction, committed at once.

A call is written as it happens: `start_call`, one `record_line` per transcript line, then
`finish_call` (or `abandon_call`). A process that dies mid-call leaves its committed lines and a
call with no end time, which `recover_interrupted` (run by make_engine) marks incomplete.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from scoring import DIMENSIONS, Scorecard
from scoring.rubric import default_rubric

from ..call import CallResult, Line
from ..scenario import Scenario
from ..wrapup import WrapUpRecord
from .engine import writer
from .records import MODES, ROLES
from .tables import Call, CallEvent, Trainee, Turn, utcnow, wrapups

__all__ = [
    "STALE_AFTER",
    "abandon_call",
    "finish_call",
    "get_or_create_trainee",
    "record_line",
    "recover_interrupted",
    "save_wrapup",
    "start_call",
    "writing",
]

STALE_AFTER = timedelta(hours=12)
"""An open call untouched this long is taken as dead even when its process cannot be checked
(another host sharing a PostgreSQL server)."""


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """One write transaction (BEGIN IMMEDIATE on SQLite), committed on leaving the block."""
    with Session(writer(engine), expire_on_commit=False) as session, session.begin():
        yield session


def _trainee(session: Session, name: str, display_name: str | None, team: str | None,
             role: str) -> Trainee:
    if not name or not name.strip():
        raise ValueError("a trainee needs a name")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} (expected {', '.join(ROLES)})")
    found = session.exec(select(Trainee).where(Trainee.name == name)).first()
    if found is None:
        found = Trainee(name=name, display_name=display_name, team=team, role=role,
                        created=utcnow())
        session.add(found)
        session.flush()
        return found
    if display_name is not None and found.display_name != display_name:
        found.display_name = display_name
    if team is not None and found.team != team:
        found.team = team
    return found


def get_or_create_trainee(engine: Engine, name: str, *, display_name: str | None = None,
                          team: str | None = None, role: str = "trainee") -> Trainee:
    """The person called `name`, created if new.

    An existing person's display name and team are updated when given; their role is never
    changed here (`role` applies to a new person only), so that a default can't demote anyone.
    """
    with writing(engine) as session:
        return _trainee(session, name, display_name, team, role)


def set_role(engine: Engine, name: str, role: str) -> Trainee:
    """Make `name` (created if new) a trainee, a trainer or a supervisor."""
    with writing(engine) as session:
        person = _trainee(session, name, None, None, role)
        person.role = role
        return person


def start_call(engine: Engine, trainee: str, scenario: Scenario, mode: str = "practice") -> int:
    """Open a call for `trainee` (created if new) on `scenario`; return its id."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r} (expected {', '.join(MODES)})")
    now = utcnow()
    with writing(engine) as session:
        person = _trainee(session, trainee, None, None, "trainee")
        assert person.id is not None
        call = Call(trainee_id=person.id, scenario_id=scenario.id,
                    scenario_hash=scenario.content_hash, persona=scenario.persona,
                    seat=scenario.seat, rubric_version=default_rubric().version, mode=mode,
                    started=now, touched=now, host=socket.gethostname(), pid=os.getpid())
        session.add(call)
        session.flush()
        assert call.id is not None
        return call.id


def _open_call(session: Session, call_id: int) -> Call:
    call = session.exec(select(Call).where(Call.id == call_id).with_for_update()).first()
    if call is None:
        raise ValueError(f"no call {call_id}")
    if call.ended is not None:
        raise ValueError(f"call {call_id} already ended ({call.outcome})")
    return call


def _next_index(session: Session, call_id: int) -> int:
    last = session.exec(select(sa.func.max(Turn.idx)).where(Turn.call_id == call_id)).one()
    return 0 if last is None else last + 1


def _turn(call_id: int, idx: int, line: Line) -> Turn:
    return Turn(call_id=call_id, idx=idx, speaker=line.speaker, node=line.node, text=line.text,
                turn=line.turn, option=line.option, option_id=line.option_id,
                feedback=line.feedback)


def record_line(engine: Engine, call_id: int, line: Line) -> None:
    """Append one transcript line to an open call, committed before this returns."""
    with writing(engine) as session:
        call = _open_call(session, call_id)
        session.add(_turn(call_id, _next_index(session, call_id), line))
        call.touched = utcnow()


def _store_card(session: Session, call: Call, card: Scorecard) -> None:
    assert call.id is not None
    for d in DIMENSIONS:
        setattr(call, d, card.dimensions.get(d))
    call.overall = card.overall
    call.passed = card.passed
    call.failures = "\n".join(card.failures) or None
    for seq, e in enumerate(card.events):
        session.add(CallEvent(call_id=call.id, seq=seq, turn=e.turn, dimension=e.dimension,
                              points=e.points, reason=e.reason, rule=e.rule))


def finish_call(engine: Engine, call_id: int, result: CallResult, card: Scorecard) -> None:
    """Close a call with its outcome and scorecard, in one transaction.

    Transcript lines of `result` not yet recorded (record_line) are appended first, so a caller
    that records nothing along the way still stores the whole call.
    """
    with writing(engine) as session:
        call = _open_call(session, call_id)
        stored = _next_index(session, call_id)
        for idx, line in enumerate(result.transcript[stored:], start=stored):
            session.add(_turn(call_id, idx, line))
        call.outcome = result.outcome
        call.level = result.level
        call.ended = call.touched = utcnow()
        if card.rubric != call.rubric_version:
            call.rubric_version = card.rubric
        _store_card(session, call, card)


def abandon_call(engine: Engine, call_id: int, card: Scorecard | None = None, *,
                 result: CallResult | None = None) -> None:
    """The trainee quit: the call ends `incomplete` (and fails).

    Optional: the scorecard of the quit call (`call.quit(); r = call.result(); r.score()`) keeps
    its scores and events, and the result its level and any lines not recorded yet; without a
    card the call is stored failed with no scores.
    """
    with writing(engine) as session:
        call = _open_call(session, call_id)
        if result is not None:
            stored = _next_index(session, call_id)
            for idx, line in enumerate(result.transcript[stored:], start=stored):
                session.add(_turn(call_id, idx, line))
            call.level = result.level
        call.outcome = "incomplete"
        call.ended = call.touched = utcnow()
        call.passed = False
        if card is not None:
            _store_card(session, call, card)
        else:
            call.failures = "The call was not finished"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # pragma: no cover - no cheap check: rely on STALE_AFTER
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def recover_interrupted(engine: Engine, *, stale_after: timedelta = STALE_AFTER,
                        now: datetime | None = None) -> int:
    """Mark incomplete every call whose process died before it ended; return how many.

    A call is dead when its process (same host) no longer exists, or when nothing was written to
    it for `stale_after`. Calls of live processes, here or on other hosts, are left alone.
    """
    now = now or utcnow()
    host = socket.gethostname()
    with Session(engine) as session:
        open_calls = session.execute(
            sa.select(col(Call.id), col(Call.host), col(Call.pid), col(Call.touched),
                      col(Call.started)).where(col(Call.ended).is_(None))).all()
    dead = [cid for cid, h, pid, touched, started in open_calls
            if (touched or started) < now - stale_after
            or (h == host and pid is not None and not _alive(pid))]
    if not dead:
        return 0
    count = 0
    with writing(engine) as session:
        for cid in dead:
            call = session.get(Call, cid, with_for_update=True)
            if call is None or call.ended is not None:
                continue  # finished meanwhile
            call.outcome = "incomplete"
            call.ended = now
            call.passed = False
            call.failures = "The call was interrupted (the program stopped mid-call)"
            count += 1
    return count


def save_wrapup(engine: Engine, call_id: int, record: WrapUpRecord) -> None:
    """Store (or replace) the call's complaint record."""
    if record.documentation is not None and not 0 <= record.documentation <= 100:
        raise ValueError("documentation is a mark from 0 to 100")
    values = {**asdict(record), "saved": utcnow()}
    with writing(engine) as session:
        if session.get(Call, call_id) is None:
            raise ValueError(f"no call {call_id}")
        found = session.execute(sa.select(wrapups.c.call_id)
                                .where(wrapups.c.call_id == call_id)).first()
        if found is None:
            session.execute(sa.insert(wrapups).values(call_id=call_id, **values))
        else:
            session.execute(sa.update(wrapups).where(wrapups.c.call_id == call_id)
                            .values(**values))
