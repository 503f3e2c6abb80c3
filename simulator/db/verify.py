"""Checking the seals: every stored scorecard, certificate, review entry, calibration and
quotient against the site key.

`seal_records` seals what has no seal yet: the rows of a database made by an earlier release,
once, the first time this release writes to it (trust on first use: what was changed before
that cannot be told). After that every scorecard and certificate is sealed as it is written,
and `verify` reports every record whose seal is missing or does not match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from .calls import writing
from .seal import (
    calibration_seal,
    call_seal,
    certificate_seal,
    quotient_seal,
    review_seal,
    scorecard_seal,
)
from .tables import (
    Calibration,
    Call,
    CallEvent,
    Certificate,
    Quotient,
    Review,
    Scorecard,
    SiteSetting,
)

__all__ = ["SEALED_KEY", "Finding", "seal_records", "verify"]

SEALED_KEY = "sealed"
"""The site setting saying the records older than seals were sealed, and when."""


@dataclass(frozen=True)
class Finding:
    """One record whose seal does not hold."""

    kind: str  # call | certificate | scorecard | review | calibration | quotient | password
    id: int
    problem: str

    def __str__(self) -> str:
        return f"{self.kind} {self.id}: {self.problem}"


def _events(session: Session, call_ids: Iterable[int]) -> dict[int, list[tuple[object, ...]]]:
    ids = list(call_ids)
    out: dict[int, list[tuple[object, ...]]] = defaultdict(list)
    if not ids:
        return out
    rows = session.exec(select(CallEvent).where(col(CallEvent.call_id).in_(ids))
                        .order_by(col(CallEvent.call_id), col(CallEvent.seq))).all()
    for e in rows:
        out[e.call_id].append((e.turn, e.dimension, e.points, e.reason, e.rule))
    return out


def _rests_on(cert: Certificate) -> list[int]:
    return [int(i) for i in (cert.rests_on or "").split(",") if i]


def seal_records(engine: Engine) -> int:
    """Seal every scored call and certificate that has no seal yet, once per database; return
    how many were sealed (0 when another process did it at the same moment)."""
    try:
        return _seal_records(engine)
    except sa.exc.IntegrityError:  # PostgreSQL: another process sealed them and said so first
        return 0


def _seal_records(engine: Engine) -> int:
    with writing(engine) as session:
        if session.get(SiteSetting, SEALED_KEY) is not None:
            return 0
        calls = session.exec(select(Call).where(col(Call.seal).is_(None),
                                                col(Call.ended).is_not(None))).all()
        events = _events(session, [c.id for c in calls if c.id is not None])
        for call in calls:
            assert call.id is not None
            call.seal = call_seal(call, events[call.id])
        session.flush()
        seals = {c.id: c.seal for c in session.exec(select(Call)).all()}
        certs = session.exec(select(Certificate).where(col(Certificate.seal).is_(None))).all()
        for cert in certs:
            cert.seal = certificate_seal(cert, [seals.get(i) for i in _rests_on(cert)])
        from .tables import utcnow

        session.add(SiteSetting(key=SEALED_KEY, value=utcnow().isoformat()))
        return len(calls) + len(certs)


def verify(engine: Engine) -> tuple[list[Finding], int]:
    """Every record whose seal is missing or wrong, and how many records were checked."""
    findings: list[Finding] = []
    with Session(engine) as session:
        calls = session.exec(select(Call).where(col(Call.ended).is_not(None))
                             .order_by(col(Call.id))).all()
        events = _events(session, [c.id for c in calls if c.id is not None])
        seals: dict[int | None, str | None] = {}
        for call in calls:
            assert call.id is not None
            seals[call.id] = call.seal
            if call.seal is None:
                findings.append(Finding("call", call.id, "has no seal: its scorecard was "
                                                         "written outside Hotseat"))
            elif call.seal != call_seal(call, events[call.id]):
                findings.append(Finding("call", call.id, "its scorecard does not match its "
                                                         "seal: it was changed outside Hotseat"))
        certs = session.exec(select(Certificate).order_by(col(Certificate.id))).all()
        for cert in certs:
            assert cert.id is not None
            if cert.seal is None or cert.seal != certificate_seal(
                    cert, [seals.get(i) for i in _rests_on(cert)]):
                what = "has no seal" if cert.seal is None else "does not match its seal"
                findings.append(Finding("certificate", cert.id,
                                        f"{cert.track_id} earned on {cert.earned_on} {what}: "
                                        "it was made or changed outside Hotseat"))
        cards = session.exec(select(Scorecard).order_by(col(Scorecard.id))).all()
        for card in cards:
            assert card.id is not None
            if card.seal is None or card.seal != scorecard_seal(card):
                findings.append(Finding("scorecard", card.id, f"of call {card.call_id} "
                                        "does not match its seal: it was made or changed "
                                        "outside Hotseat"))
        later = _review_log(session, findings) + _calibrations(session, findings) + \
            _quotients(session, findings) + _passwords(session, findings)
    return findings, len(calls) + len(certs) + len(cards) + later


_OUTSIDE = "it was made or changed outside Hotseat"


def _review_log(session: Session, findings: list[Finding]) -> int:
    """Each entry against its seal, chained to the call's previous entry: an entry changed,
    added by hand, or removed from the middle of a call's log is found."""
    rows = session.exec(select(Review).order_by(col(Review.call_id), col(Review.id))).all()
    previous: dict[int, str | None] = {}
    for row in rows:
        assert row.id is not None
        expected = review_seal(row, previous.get(row.call_id))
        if row.seal != expected:
            what = "has no seal" if row.seal is None else "does not match its seal"
            findings.append(Finding("review", row.id, f"({row.kind} on call {row.call_id}) "
                                    f"{what}: {_OUTSIDE}, or an entry before it was removed"))
        previous[row.call_id] = row.seal
    return len(rows)


def _sealed_rows(session: Session, findings: list[Finding], table: Any, kind: str,
                 seal: Callable[[Any], str], what: Callable[[Any], str]) -> int:
    """Check the seal of every row of a table whose rows are sealed one by one."""
    rows = session.exec(select(table).order_by(col(table.id))).all()
    for row in rows:
        assert row.id is not None
        if row.seal is None or row.seal != seal(row):
            findings.append(Finding(kind, row.id, f"{what(row)} does not match its seal: "
                                                  f"{_OUTSIDE}"))
    return len(rows)


def _calibrations(session: Session, findings: list[Finding]) -> int:
    return _sealed_rows(session, findings, Calibration, "calibration", calibration_seal,
                        lambda row: f"of call {row.call_id}")


def _quotients(session: Session, findings: list[Finding]) -> int:
    return _sealed_rows(session, findings, Quotient, "quotient", quotient_seal,
                        lambda row: f"of team {row.team}")


def _passwords(session: Session, findings: list[Finding]) -> int:
    """A served Hotseat's password hashes (migration 0007): one set outside Hotseat is refused
    at login, and named here."""
    from .passwords import password_seal
    from .tables import Password, Trainee

    rows = session.exec(select(Password, Trainee.name).join(
        Trainee, col(Trainee.id) == Password.person_id)).all()
    for row, name in rows:
        if row.seal is None or row.seal != password_seal(row):
            findings.append(Finding("password", row.person_id, f"of {name} does not match its "
                                                               f"seal: {_OUTSIDE}"))
    return len(rows)
