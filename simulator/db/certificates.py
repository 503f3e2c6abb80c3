"""Certificates as earned: computed from exam calls (scoring.certification), stored once, kept.

Rows of `certificates` are only ever inserted: a certificate earned under an older track
definition (a lower pass mark, say) stays in the history even when today's rules would not grant
it. `record_certificates` runs after each exam call (the TUI) and with `hotseat certify`; a
report never writes (it merges the stored certificates with those the calls earn).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from scoring.certification import Certificate as Earned
from scoring.certification import Track, earned_certificates

from ..scenario import Scenario
from ..standing import certifying
from .calls import writing
from .people import SYSTEM, Viewer, normalise, visible
from .queries import calls_of
from .seal import certificate_seal
from .tables import Call, Certificate, Trainee, utcnow

__all__ = ["certify_overridden", "record_certificates", "stored_certificates"]


def _ids(rests_on: str | None) -> tuple[int, ...]:
    return tuple(int(i) for i in (rests_on or "").split(",") if i)


def stored_certificates(engine: Engine, viewer: Viewer, trainee: str) -> list[Earned]:
    """The trainee's stored certificates whose seal holds, oldest first (none when the viewer
    may not see them). A certificate made or changed outside Hotseat is never shown as earned:
    `hotseat verify` lists it."""
    query = (select(Certificate).join(Trainee, col(Trainee.id) == col(Certificate.trainee_id))
             .where(Trainee.name == normalise(trainee), visible(viewer))
             .order_by(col(Certificate.earned_on), col(Certificate.track_id)))
    with Session(engine) as session:
        rows = session.exec(query).all()
        wanted = {i for r in rows for i in _ids(r.rests_on)}
        seals = dict(session.exec(select(Call.id, Call.seal).where(
            col(Call.id).in_(sorted(wanted)))).all()) if wanted else {}
    return [Earned(r.track_id, r.earned_on, r.valid_until, r.refresher_due_on, r.call_id,
                   _ids(r.rests_on))
            for r in rows
            if r.seal is not None
            and r.seal == certificate_seal(r, [seals.get(i) for i in _ids(r.rests_on)])]


def record_certificates(engine: Engine, trainee: str, tracks: Iterable[Track],
                        scenarios: Sequence[Scenario], today: date | None = None) -> list[Earned]:
    """Store the certificates the trainee's calls earn that are not stored yet; return them.

    Only the exams that count do: on the library's own version of a scenario of `scenarios`
    (standing.why_not_counted); a translation meets its original's requirement. Hotseat's own
    bookkeeping after an exam call: it reads as SYSTEM, whoever is asking."""
    calls = certifying(calls_of(engine, SYSTEM, [trainee]), {s.id: s for s in scenarios})
    if not any(c.mode == "exam" for c in calls):
        return []
    stored = {(c.track_id, c.earned_on) for c in stored_certificates(engine, SYSTEM, trainee)}
    new = [cert for track in tracks for cert in earned_certificates(track, calls, today)
           if (cert.track_id, cert.earned_on) not in stored]
    if not new:
        return []
    with writing(engine) as session:
        person = session.exec(select(Trainee).where(Trainee.name == normalise(trainee))).one()
        assert person.id is not None
        again = {(r.track_id, r.earned_on) for r in session.exec(
            select(Certificate).where(Certificate.trainee_id == person.id)).all()}
        added = []
        for cert in new:
            if (cert.track_id, cert.earned_on) in again:
                continue  # another process stored it meanwhile
            call_id = cert.call_id if cert.call_id and session.get(Call, cert.call_id) else None
            resting = [session.get(Call, i) for i in cert.rests_on]
            row = Certificate(trainee_id=person.id, track_id=cert.track_id,
                              earned_on=cert.earned_on, valid_until=cert.valid_until,
                              refresher_due_on=cert.refresher_due_on, call_id=call_id,
                              recorded=utcnow(),
                              rests_on=",".join(str(c.id) for c in resting if c) or None)
            row.seal = certificate_seal(row, [c.seal for c in resting if c])
            session.add(row)
            added.append(cert)
    return added


def certify_overridden(engine: Engine, call_id: int, tracks: Iterable[Track],
                       scenarios: Sequence[Scenario], today: date | None = None) -> list[Earned]:
    """After an override of a call's pass or fail: store the certificates its trainee's calls
    now earn (an exam overridden to passed may complete a track), as after an exam call.
    Certificates already stored stay: they are never taken back."""
    with Session(engine) as session:
        row = session.exec(select(Trainee.name).join(Call, col(Call.trainee_id) == Trainee.id)
                           .where(Call.id == call_id)).first()
    if row is None:
        return []
    return record_certificates(engine, row, tracks, scenarios, today)
