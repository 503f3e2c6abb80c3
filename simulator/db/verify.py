"""Checking the seals: every stored scorecard and certificate against the site key.

`seal_records` seals what has no seal yet: the rows of a database made by an earlier release,
once, the first time this release writes to it (trust on first use: what was changed before
that cannot be told). After that every scorecard and certificate is sealed as it is written,
and `verify` reports every record whose seal is missing or does not match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from .calls import writing
from .seal import call_seal, certificate_seal, scorecard_seal
from .tables import Call, CallEvent, Certificate, Scorecard, SiteSetting

__all__ = ["SEALED_KEY", "Finding", "seal_records", "verify"]

SEALED_KEY = "sealed"
"""The site setting saying the records older than seals were sealed, and when."""


@dataclass(frozen=True)
class Finding:
    """One record whose seal does not hold."""

    kind: str  # call | certificate | scorecard
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
    how many were sealed."""
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
    return findings, len(calls) + len(certs) + len(cards)
