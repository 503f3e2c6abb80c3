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
from .freetext import typed_columns, typed_from
from .records import DISPLAY_MAX, MODES, ROLES, check_name, normalise
from .seal import call_seal
from .tables import Call, CallEvent, ScenarioSource, Trainee, Turn, utcnow, wrapups

__all__ = [
    "STALE_AFTER",
    "LineWriter",
    "TranscriptConflict",
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


class TranscriptConflict(ValueError):
    """A line that does not fit the call's stored lines: another line at its index, a gap, or
    an end whose transcript differs from what is stored. Nothing was written."""


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """One write transaction (BEGIN IMMEDIATE on SQLite), committed on leaving the block."""
    with Session(writer(engine), expire_on_commit=False) as session, session.begin():
        yield session


def _trainee(session: Session, name: str, display_name: str | None, team: str | None,
             role: str) -> Trainee:
    name = normalise(name)
    if display_name is not None:
        check_name(display_name, "a display name", DISPLAY_MAX)
    if team is not None:
        check_name(team, "a team's name")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} (expected {', '.join(ROLES)})")
    query = select(Trainee).where(Trainee.name == name)
    found = session.exec(query).first()
    if found is None:
        person = Trainee(name=name, display_name=display_name, team=team, role=role,
                         created=utcnow())
        if session.get_bind().dialect.name == "sqlite":  # BEGIN IMMEDIATE: we write alone
            session.add(person)
            session.flush()
            return person
        try:
            with session.begin_nested():  # a savepoint: another process may create them too
                session.add(person)
                session.flush()
        except sa.exc.IntegrityError:
            return session.exec(query).one()  # it did, and committed first: theirs it is
        return person
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
        _keep_source(session, scenario, now)
        session.flush()
        assert call.id is not None
        return call.id


def _keep_source(session: Session, scenario: Scenario, now: datetime) -> None:
    """The scenario's file, once per content hash, so the call can always be replayed."""
    if not scenario.source or session.get(ScenarioSource, scenario.content_hash) is not None:
        return
    if session.get_bind().dialect.name == "sqlite":  # BEGIN IMMEDIATE: we write alone
        session.add(ScenarioSource(hash=scenario.content_hash, scenario_id=scenario.id,
                                   source=scenario.source, stored=now))
        return
    try:
        with session.begin_nested():  # another process may store the same file at once
            session.add(ScenarioSource(hash=scenario.content_hash, scenario_id=scenario.id,
                                       source=scenario.source, stored=now))
            session.flush()
    except sa.exc.IntegrityError:
        pass  # it did: the same bytes, by their hash


def _open_call(session: Session, call_id: int) -> Call:
    call = session.exec(select(Call).where(Call.id == call_id).with_for_update()).first()
    if call is None:
        raise ValueError(f"no call {call_id}")
    if call.ended is not None:
        raise ValueError(f"call {call_id} already ended ({call.outcome})")
    return call


def _turn(call_id: int, idx: int, line: Line) -> Turn:
    return Turn(call_id=call_id, idx=idx, speaker=line.speaker, node=line.node, text=line.text,
                turn=line.turn, option=line.option, option_id=line.option_id,
                feedback=line.feedback, **typed_columns(line.typed))


def _line(row: Turn) -> Line:
    return Line(row.speaker, row.node, row.text, row.turn, row.option, row.option_id,
                row.feedback, typed_from(row))


def _stored(session: Session, call_id: int) -> dict[int, Line]:
    rows = session.exec(select(Turn).where(Turn.call_id == call_id)).all()
    return {row.idx: _line(row) for row in rows}


def record_line(engine: Engine, call_id: int, line: Line, idx: int) -> None:
    """Store line `idx` (its 0-based position in the call's transcript) of an open call,
    committed before this returns.

    The index is the caller's: the database never numbers a line. Lines are stored in order:
    `idx` is at most the number of lines stored, so what is stored is always a prefix of the
    call. Writing a stored line again is harmless when it is the same line, and an error when
    it is not (two different transcripts for one call).
    """
    if idx < 0:
        raise ValueError(f"call {call_id}: a line's index is 0 or more, not {idx}")
    with writing(engine) as session:
        call = _open_call(session, call_id)
        found = session.get(Turn, (call_id, idx))
        if found is not None:
            if _line(found) != line:
                raise TranscriptConflict(f"call {call_id}: line {idx} is stored with other "
                                         "words; refusing to overwrite it")
            return
        count = session.exec(select(sa.func.count()).select_from(Turn)
                             .where(Turn.call_id == call_id)).one()
        if idx != count:
            raise TranscriptConflict(f"call {call_id}: line {idx} given when {count} are "
                                     "stored; lines are stored in order, without gaps")
        session.add(_turn(call_id, idx, line))
        call.touched = utcnow()


class LineWriter:
    """One call's lines as it happens: each line one small transaction, committed before
    `write` returns.

    `record_line`'s checks take six ORM statements a line; here a line that comes next, as
    expected, takes two Core statements (the call's `touched`, which also proves that it is
    still open and locks its row, then the INSERT): the next index is kept in memory. Anything
    unexpected (a first line, a retry, a line written twice or out of order, a failure) takes
    `record_line`'s own path, so the rules and the errors are the same. Use from one thread."""

    def __init__(self, engine: Engine, call_id: int, next_idx: int | None = None) -> None:
        """`next_idx`: the number of lines the call has, when the caller knows it (0 for a
        call it has just started); else the first line goes through record_line."""
        self.engine = writer(engine)
        self.call_id = call_id
        self.next_idx: int | None = next_idx
        """The index of the next line, once a line was written here; None: not known."""

    def write(self, line: Line, idx: int) -> None:
        """Store line `idx` of the call, committed before this returns (see record_line)."""
        if idx != self.next_idx:
            self.next_idx = None
            record_line(self.engine, self.call_id, line, idx)
            self.next_idx = idx + 1
            return
        self.next_idx = None  # until this line is committed
        try:
            with self.engine.begin() as conn:  # BEGIN IMMEDIATE on SQLite
                done = conn.execute(_TOUCH, {"call": self.call_id, "now": utcnow()}).rowcount
                if done != 1:
                    raise _NotOpen
                conn.execute(_INSERT, _row(self.call_id, idx, line))
        except (_NotOpen, sa.exc.IntegrityError):  # ended, or the line is there: say which
            record_line(self.engine, self.call_id, line, idx)
        self.next_idx = idx + 1


class _NotOpen(Exception):
    """The call is no longer open (or is not there): record_line says which."""


_TURNS = Turn.__table__  # type: ignore[attr-defined]
_CALLS = Call.__table__  # type: ignore[attr-defined]
_INSERT = sa.insert(_TURNS)
_TOUCH = (sa.update(_CALLS)
          .where(_CALLS.c.id == sa.bindparam("call"), _CALLS.c.ended.is_(None))
          .values(touched=sa.bindparam("now")))


def _row(call_id: int, idx: int, line: Line) -> dict[str, object]:
    return {"call_id": call_id, "idx": idx, "speaker": line.speaker, "node": line.node,
            "text": line.text, "turn": line.turn, "option": line.option,
            "option_id": line.option_id, "feedback": line.feedback,
            **typed_columns(line.typed)}


def _complete(session: Session, call_id: int, transcript: list[Line]) -> None:
    """Store every line of `transcript` that is missing, so that the call's stored lines are
    `transcript`, exactly; refuse (nothing written) when a stored line is not the transcript's."""
    stored = _stored(session, call_id)
    for idx, line in sorted(stored.items()):
        if idx >= len(transcript) or transcript[idx] != line:
            raise TranscriptConflict(
                f"call {call_id}: stored line {idx} is not line {idx} of the call "
                f"({len(stored)} stored, {len(transcript)} said); refusing to end it with a "
                "transcript that differs from what was said")
    for idx, line in enumerate(transcript):
        if idx not in stored:
            session.add(_turn(call_id, idx, line))


def _seal(call: Call, card: Scorecard | None) -> None:
    """Seal the call's scorecard as it is now (seal.py): `hotseat verify` checks it."""
    events = [(e.turn, e.dimension, e.points, e.reason, e.rule) for e in card.events] \
        if card is not None else []
    call.seal = call_seal(call, events)


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

    The call's stored lines become `result.transcript` exactly: lines not recorded yet
    (record_line) are stored first, so a caller that records nothing along the way still
    stores the whole call. A stored line that is not the transcript's line at the same index
    is a TranscriptConflict, and the call is left open, unchanged: a call is never stored as
    finished with a transcript that differs from what was said.
    """
    with writing(engine) as session:
        call = _open_call(session, call_id)
        _complete(session, call_id, result.transcript)
        call.outcome = result.outcome
        call.level = result.level
        call.ended = call.touched = utcnow()
        if card.rubric != call.rubric_version:
            call.rubric_version = card.rubric
        _store_card(session, call, card)
        _seal(call, card)


def abandon_call(engine: Engine, call_id: int, card: Scorecard | None = None, *,
                 result: CallResult | None = None, reason: str | None = None) -> None:
    """The trainee quit: the call ends `incomplete` (and fails).

    Optional: the scorecard of the quit call (`call.quit(); r = call.result(); r.score()`) keeps
    its scores and events, and the result its level and any lines not recorded yet (checked as
    finish_call does); without a card the call is stored failed with no scores, and `reason`
    (else "The call was not finished") says why. Without a result the lines stored so far are
    kept as they are.
    """
    with writing(engine) as session:
        call = _open_call(session, call_id)
        if result is not None:
            _complete(session, call_id, result.transcript)
            call.level = result.level
        call.outcome = "incomplete"
        call.ended = call.touched = utcnow()
        call.passed = False
        if card is not None:
            _store_card(session, call, card)
        else:
            call.failures = reason or "The call was not finished"
        _seal(call, card)


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
            _seal(call, None)
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
