"""The review log of a call: supervisors' comments and overrides of its pass or fail.

Append-only: an entry is added, never changed or removed, and a call is never edited: its
automatic result (the scorecard's `passed`) stays as it was, and the latest override stands
beside it, saying who, when and why. Certification and reports read the *effective verdict*:
the latest override, else the automatic result (`latest_override`, read in the same query as
the calls: simulator.db.queries).

Who may do what (the trust rules of simulator.db.people):
- a supervisor reviews the calls of the trainees of their teams; an admin anyone's calls;
  nobody reviews their own call, and a trainee or a trainer reviews none;
- anyone who may see a call sees its review log: a trainee reads the comments and overrides on
  their own calls.
Every entry is sealed (seal.review_seal), chained to the call's previous entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from scoring.vocabulary import Role

from ..errors import HotseatError
from .calls import writing
from .people import Refused, Viewer, visible
from .seal import review_seal
from .tables import Call, Review, ScenarioSource, Trainee, Turn, utcnow

__all__ = ["COMMENT", "KINDS", "OVERRIDE", "TEXT_MAX", "BadReview", "ReviewEntry",
           "ReviewSummary", "Verdict", "add_comment", "call_and_person", "call_source", "check",
           "check_reviewer", "comment_count", "latest_override", "override", "review_summaries",
           "reviews_of", "verdict_of"]

COMMENT = "comment"
OVERRIDE = "override"
KINDS = (COMMENT, OVERRIDE)
TEXT_MAX = 4000
"""The longest comment or reason, in characters."""


class BadReview(HotseatError, ValueError):
    """A comment or override that cannot be kept as given (empty, too long, no such turn,
    nothing to override): exit 2, nothing written."""


@dataclass(frozen=True)
class ReviewEntry:
    """One entry of a call's review log, as it was written."""

    id: int
    call_id: int
    kind: str
    """comment | override"""
    text: str
    """The comment, or the override's reason."""
    made_by: str
    """Who wrote it (a person's name)."""
    made_at: datetime
    """UTC, aware."""
    turn: int | None = None
    """The rep's turn a comment is about (as `replay` numbers them); None: the whole call."""
    verdict: bool | None = None
    """An override's verdict (True: passed); None for a comment."""


@dataclass(frozen=True)
class ReviewSummary:
    """What a report shows of a call's review log."""

    comments: int = 0
    override: ReviewEntry | None = None
    """The latest override, the one that stands."""


@dataclass(frozen=True)
class Verdict:
    """A call's pass or fail: the scorer's, and the override that stands, if any."""

    call_id: int
    automatic: bool | None
    """The scorecard's `passed`, as stored; None while the call is under way."""
    override: ReviewEntry | None = None

    @property
    def passed(self) -> bool | None:
        """The effective verdict: the latest override, else the automatic result."""
        return self.override.verdict if self.override is not None else self.automatic

    @property
    def overridden(self) -> bool:
        return self.override is not None


def latest_override(call_id: Any) -> Any:
    """The verdict of the latest override of the call `call_id` (a column or a number), as a
    scalar subquery: NULL when the call was never overridden. Read it in the same query as the
    calls (one index lookup per call), never one query per call."""
    return (sa.select(col(Review.verdict))
            .where(col(Review.call_id) == call_id, col(Review.kind) == OVERRIDE)
            .order_by(col(Review.id).desc()).limit(1).scalar_subquery())


def comment_count(call_id: Any) -> Any:
    """How many comments the call `call_id` has, as a scalar subquery."""
    return (sa.select(sa.func.count()).select_from(Review)
            .where(col(Review.call_id) == call_id, col(Review.kind) == COMMENT)
            .scalar_subquery())


def _clean(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise BadReview(f"{what} must not be empty")
    if len(text) > TEXT_MAX:
        raise BadReview(f"{what} is {len(text)} characters long: at most {TEXT_MAX}")
    return text


def call_and_person(session: Session, viewer: Viewer, call_id: int) -> tuple[Call, Trainee]:
    """The call and the person who took it, or Refused when the viewer may not see it."""
    row = session.exec(select(Call, Trainee).join(Trainee, col(Trainee.id) == col(Call.trainee_id))
                       .where(col(Call.id) == call_id, visible(viewer))).first()
    if row is None:  # not there, or not theirs to see: the same answer
        raise Refused(f"no call {call_id} among the calls {viewer.name} may see")
    return row


def check(viewer: Viewer, person: Trainee, call_id: int, verb: str) -> None:
    """Refused unless the viewer may review (or calibrate) a call of `person`."""
    if viewer.id is None or viewer.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise Refused(f"{viewer.name} is a {viewer.role}: only a supervisor (for their teams' "
                      f"trainees) or an admin {verb} calls")
    if person.id == viewer.id:
        raise Refused(f"call {call_id} is {viewer.name}'s own: nobody {verb} their own call")
    if viewer.role is Role.SUPERVISOR and (person.role != Role.TRAINEE
                                           or person.team not in viewer.teams):
        raise Refused(f"{viewer.name} is a supervisor: they {verb} the calls of their teams' "
                      f"trainees only, and call {call_id} is {person.name}'s")


def check_reviewer(engine: Engine, viewer: Viewer, call_id: int, verb: str = "reviews") -> None:
    """Refused unless the viewer may review (`verb`: or calibrate) this call; nothing is
    written."""
    with Session(engine) as session:
        _, person = call_and_person(session, viewer, call_id)
    check(viewer, person, call_id, verb)


def _entry(row: Review, name: str) -> ReviewEntry:
    assert row.id is not None
    return ReviewEntry(id=row.id, call_id=row.call_id, kind=row.kind, text=row.text,
                       made_by=name, made_at=row.made_at, turn=row.turn,
                       verdict=None if row.verdict is None else bool(row.verdict))


def _append(engine: Engine, viewer: Viewer, call_id: int, kind: str, text: str,
            turn: int | None = None, verdict: bool | None = None) -> ReviewEntry:
    with writing(engine) as session:
        call, person = call_and_person(session, viewer, call_id)
        check(viewer, person, call_id, "reviews")
        # the call's row is locked (PostgreSQL; SQLite writes one at a time anyway), so that
        # two reviewers writing at once still chain their entries one after the other
        session.exec(select(Call.id).where(Call.id == call_id).with_for_update()).first()
        if kind == OVERRIDE:
            _check_override(session, call, verdict)
        if turn is not None:
            _check_turn(session, call_id, turn)
        previous = session.exec(select(Review.seal).where(Review.call_id == call_id)
                                .order_by(col(Review.id).desc()).limit(1)).first()
        assert viewer.id is not None
        row = Review(call_id=call_id, turn=turn, kind=kind, text=text, verdict=verdict,
                     made_by=viewer.id, made_at=utcnow())
        session.add(row)
        session.flush()
        row.seal = review_seal(row, previous)
        return _entry(row, viewer.name)


def _check_turn(session: Session, call_id: int, turn: int) -> None:
    turns = sorted(set(session.exec(select(Turn.turn).where(
        Turn.call_id == call_id, Turn.speaker == "trainee")).all()))
    if turn not in turns:
        known = f"its rep's turns are {turns[0]} to {turns[-1]}" if turns else \
            "the rep said nothing"
        raise BadReview(f"call {call_id} has no turn {turn} ({known}; `hotseat replay "
                        f"{call_id}` numbers them)")


def _check_override(session: Session, call: Call, verdict: bool | None) -> None:
    if call.outcome is None or call.outcome == "incomplete":
        state = "still under way" if call.outcome is None else "not finished (incomplete)"
        raise BadReview(f"call {call.id} is {state}: it has no result to override")
    latest = session.exec(select(Review.verdict).where(
        Review.call_id == call.id, Review.kind == OVERRIDE)
        .order_by(col(Review.id).desc()).limit(1)).first()
    standing = bool(call.passed) if latest is None else bool(latest)
    if standing == verdict:
        whose = "the scorer's result" if latest is None else "an earlier override"
        raise BadReview(f"call {call.id} already stands as {'passed' if verdict else 'failed'} "
                        f"({whose}): nothing to override")


def add_comment(engine: Engine, viewer: Viewer, call_id: int, text: str,
                turn: int | None = None) -> ReviewEntry:
    """Add a comment to a call, on one of the rep's turns or (turn None) the whole call."""
    return _append(engine, viewer, call_id, COMMENT,
                   _clean(text, "a comment"), turn=turn)


def override(engine: Engine, viewer: Viewer, call_id: int, passed: bool,
             reason: str) -> ReviewEntry:
    """Override a finished call's pass or fail, with the reason (required). The call is not
    edited: its automatic result stays beside the override, and the latest override stands."""
    return _append(engine, viewer, call_id, OVERRIDE,
                   _clean(reason, "the reason for an override"), verdict=bool(passed))


def _rows(viewer: Viewer) -> sa.Select[Review, str]:
    """Review entries with their author's name, on the calls of the people the viewer sees."""
    author = aliased(Trainee)
    return (sa.select(Review, col(author.name))
            .join(author, col(author.id) == col(Review.made_by))
            .join(Call, col(Call.id) == col(Review.call_id))
            .join(Trainee, col(Trainee.id) == col(Call.trainee_id))
            .where(visible(viewer)))


def reviews_of(engine: Engine, viewer: Viewer, call_id: int) -> list[ReviewEntry]:
    """The call's review log, oldest first; empty when the viewer may not see the call."""
    with Session(engine) as session:
        rows = session.execute(_rows(viewer).where(col(Review.call_id) == call_id)
                               .order_by(col(Review.id))).all()
    return [_entry(review, name) for review, name in rows]


def review_summaries(engine: Engine, viewer: Viewer, call_ids: Sequence[int] = (), *,
                     people: Sequence[int] = ()) -> dict[int, ReviewSummary]:
    """Each call's comment count and standing override, by call number, for the calls
    `call_ids` and every call of the people numbered `people` (one query; calls with no entry,
    or not the viewer's to see, are left out)."""
    if not call_ids and not people:
        return {}
    query = _rows(viewer).where(sa.or_(col(Review.call_id).in_(sorted(set(call_ids))),
                                       col(Call.trainee_id).in_(sorted(set(people)))))
    with Session(engine) as session:
        rows = session.execute(query.order_by(col(Review.id))).all()
    counts: dict[int, int] = {}
    latest: dict[int, ReviewEntry] = {}
    for review, name in rows:
        counts.setdefault(review.call_id, 0)
        if review.kind == COMMENT:
            counts[review.call_id] += 1
        else:
            latest[review.call_id] = _entry(review, name)
    return {cid: ReviewSummary(counts[cid], latest.get(cid)) for cid in counts}


def verdict_of(engine: Engine, viewer: Viewer, call_id: int) -> Verdict | None:
    """The call's automatic result and the override that stands (None when the viewer may not
    see the call)."""
    with Session(engine) as session:
        row = session.execute(sa.select(col(Call.passed))
                              .join(Trainee, col(Trainee.id) == col(Call.trainee_id))
                              .where(col(Call.id) == call_id, visible(viewer))).first()
    if row is None:
        return None
    summary = review_summaries(engine, viewer, [call_id]).get(call_id, ReviewSummary())
    return Verdict(call_id, None if row[0] is None else bool(row[0]), summary.override)


def call_source(engine: Engine, viewer: Viewer, call_id: int) -> str | None:
    """The text of the scenario file the call was played on (kept by content hash), for the
    replay's step, mood and level after each turn and its best path; None when it was not kept
    or the viewer may not see the call."""
    with Session(engine) as session:
        return session.execute(
            sa.select(col(ScenarioSource.source))
            .join(Call, col(Call.scenario_hash) == col(ScenarioSource.hash))
            .join(Trainee, col(Trainee.id) == col(Call.trainee_id))
            .where(col(Call.id) == call_id, visible(viewer))).scalar_one_or_none()
