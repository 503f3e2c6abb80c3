"""Blind calibration: a supervisor's own scores of a call, given before they see the scorer's.

`calibrate` keeps them (once per person and call, sealed, never changed); `calibration_pairs`
reads them back beside the scorer's stored scores and the rules that fired, for
simulator.calibration to compare. Who: the supervisors of the call's trainee's team and the
admins, as for reviews (simulator.db.reviews), never on their own call; a calibration is refused
to someone who has already reviewed the call (they have seen its scores).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from scoring import DIMENSIONS
from scoring.vocabulary import Role

from ..calibration import Pair
from ..errors import HotseatError
from .calls import writing
from .people import Refused, Viewer, visible
from .reviews import call_and_person, check
from .seal import calibration_seal
from .tables import Calibration, Call, CallEvent, Review, Trainee, utcnow

__all__ = ["FINISHED", "BadCalibration", "BlindCall", "blind_call", "calibrate",
           "calibration_candidates", "calibration_pairs", "check_calibrator"]

FINISHED = ("resolved", "escalated", "lost")
"""The outcomes of a call that can be calibrated: finished and scored."""


class BadCalibration(HotseatError, ValueError):
    """Scores that cannot be kept: a dimension missing or out of 0..100: exit 2."""


def _open(session: Session, viewer: Viewer, call_id: int) -> Call:
    """The call, once the viewer may calibrate it (see the module docstring)."""
    call, person = call_and_person(session, viewer, call_id)
    check(viewer, person, call_id, "calibrates")
    if call.outcome not in FINISHED or call.overall is None:
        state = "still under way" if call.outcome is None else \
            "not finished (incomplete)" if call.outcome == "incomplete" else "not scored"
        raise Refused(f"call {call_id} is {state}: only a finished, scored call is calibrated")
    done = session.exec(select(Calibration.made_at).where(
        Calibration.call_id == call_id, Calibration.made_by == viewer.id)).first()
    if done is not None:
        raise Refused(f"{viewer.name} calibrated call {call_id} on {done:%Y-%m-%d}: a "
                      "calibration is given once, blind")
    reviewed = session.exec(select(Review.id).where(
        Review.call_id == call_id, Review.made_by == viewer.id)).first()
    if reviewed is not None:
        raise Refused(f"{viewer.name} has reviewed call {call_id} already (a comment or an "
                      "override), so has seen its scores: a calibration must be blind")
    return call


def check_calibrator(engine: Engine, viewer: Viewer, call_id: int) -> None:
    """Refused unless the viewer may calibrate this call now (before showing its transcript)."""
    with Session(engine) as session:
        _open(session, viewer, call_id)


def _scores(scores: Mapping[str, int]) -> dict[str, int]:
    out = {}
    for d in DIMENSIONS:
        value = scores.get(d)
        if value is None:
            raise BadCalibration(f"no score for {d} (each of {', '.join(DIMENSIONS)}, 0 to 100)")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise BadCalibration(f"{d}: {value!r} is not a score (a whole number from 0 to 100)")
        out[str(d)] = value
    unknown = sorted(set(scores) - set(DIMENSIONS))
    if unknown:
        raise BadCalibration(f"unknown dimension '{unknown[0]}' (expected "
                             f"{', '.join(DIMENSIONS)})")
    return out


def calibrate(engine: Engine, viewer: Viewer, call_id: int, scores: Mapping[str, int],
              passed: bool) -> Pair:
    """Keep the viewer's blind scores of a call (each dimension 0..100, and pass or fail);
    return them beside the scorer's, to be shown only now."""
    given = _scores(scores)
    try:
        with writing(engine) as session:
            call = _open(session, viewer, call_id)
            assert viewer.id is not None
            row = Calibration(call_id=call_id, made_by=viewer.id, made_at=utcnow(),
                              passed=bool(passed), empathy=given["empathy"],
                              resolution=given["resolution"], escalation=given["escalation"],
                              policy=given["policy"])
            session.add(row)
            session.flush()
            row.seal = calibration_seal(row)
            trainee = session.exec(select(Trainee.name).where(
                Trainee.id == call.trainee_id)).one()
            fired = _fired(session, [call_id]).get(call_id, {})
    except sa.exc.IntegrityError:  # the same person, at the same moment, in another window
        raise Refused(f"{viewer.name} calibrated call {call_id} already: a calibration is "
                      "given once, blind") from None
    return Pair(call_id, given, bool(passed), {d: getattr(call, d) for d in DIMENSIONS},
                bool(call.passed), fired, trainee, viewer.name)


def _fired(session: Session, call_ids: list[int]) -> dict[int, dict[str, str]]:
    """The rules that fired on each call, with their dimension (one query)."""
    out: dict[int, dict[str, str]] = {}
    if not call_ids:
        return out
    rows = session.exec(select(CallEvent.call_id, CallEvent.rule, CallEvent.dimension)
                        .where(col(CallEvent.call_id).in_(sorted(set(call_ids))))
                        .distinct()).all()
    for cid, rule, dimension in rows:
        out.setdefault(cid, {})[rule] = dimension
    return out


def calibration_pairs(engine: Engine, viewer: Viewer, *, team: str | None = None) -> list[Pair]:
    """Every calibration of a call the viewer may see (of one team), beside the scorer's scores,
    oldest first. Supervisors (over their teams) and admins; anyone else is refused."""
    if viewer.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise Refused(f"{viewer.name} is a {viewer.role}: calibration is read by supervisors "
                      "(for their teams) and admins")
    author = aliased(Trainee)
    query = (sa.select(Calibration, Call, col(Trainee.name), col(author.name))
             .join(Call, col(Call.id) == col(Calibration.call_id))
             .join(Trainee, col(Trainee.id) == col(Call.trainee_id))
             .join(author, col(author.id) == col(Calibration.made_by))
             .where(visible(viewer)).order_by(col(Calibration.id)))
    if team is not None:
        query = query.where(col(Trainee.team) == team)
    with Session(engine) as session:
        rows = session.execute(query).all()
        fired = _fired(session, [c.call_id for c, *_ in rows])
    return [Pair(cal.call_id, {d: getattr(cal, d) for d in DIMENSIONS}, bool(cal.passed),
                 {d: getattr(call, d) for d in DIMENSIONS}, bool(call.passed),
                 fired.get(cal.call_id, {}), trainee, made_by)
            for cal, call, trainee, made_by in rows]


@dataclass(frozen=True)
class BlindCall:
    """A call as a supervisor meets it before scoring it blind: who, what, when; no score, no
    outcome, no verdict (they are not even read)."""

    call_id: int
    trainee: str
    scenario_id: str
    mode: str
    started: datetime
    """UTC, aware."""


_BLIND = (col(Call.id), col(Trainee.name), col(Call.scenario_id), col(Call.mode),
          col(Call.started))


def blind_call(engine: Engine, viewer: Viewer, call_id: int) -> BlindCall:
    """The call the viewer is about to score blind, without any of its scores; Refused as
    `check_calibrator` when they may not calibrate it now."""
    with Session(engine) as session:
        _open(session, viewer, call_id)
        row = session.execute(sa.select(*_BLIND).join(
            Trainee, col(Trainee.id) == col(Call.trainee_id)).where(
            col(Call.id) == call_id)).one()
    return BlindCall(*row)


def calibration_candidates(engine: Engine, viewer: Viewer, *, limit: int = 200,
                           team: str | None = None) -> list[BlindCall]:
    """The calls the viewer may score blind now, newest first, without their scores: finished
    and scored, of their teams' trainees (an admin: anyone else's), neither calibrated nor
    reviewed by them yet. Supervisors and admins; anyone else is refused."""
    if viewer.role not in (Role.SUPERVISOR, Role.ADMIN) or viewer.id is None:
        raise Refused(f"{viewer.name} is a {viewer.role}: only a supervisor (for their teams' "
                      "trainees) or an admin calibrates calls")
    query = (sa.select(*_BLIND).join(Trainee, col(Trainee.id) == col(Call.trainee_id))
             .where(visible(viewer), col(Call.outcome).in_(FINISHED),
                    col(Call.overall).is_not(None), col(Call.trainee_id) != viewer.id,
                    ~sa.exists().where(col(Calibration.call_id) == col(Call.id),
                                       col(Calibration.made_by) == viewer.id),
                    ~sa.exists().where(col(Review.call_id) == col(Call.id),
                                       col(Review.made_by) == viewer.id))
             .order_by(col(Call.started).desc(), col(Call.id).desc()).limit(limit))
    if viewer.role is Role.SUPERVISOR:  # their teams' trainees only (check() in reviews.py)
        query = query.where(col(Trainee.role) == Role.TRAINEE.value,
                            col(Trainee.team).in_(sorted(viewer.teams)))
    if team is not None:
        query = query.where(col(Trainee.team) == team)
    with Session(engine) as session:
        return [BlindCall(*row) for row in session.execute(query).all()]
