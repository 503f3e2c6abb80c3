"""A team's customer-service quotient, kept with its date (simulator.quotient does the sums).

A supervisor rates it for one of their teams (an admin for any team); each rating is a new
row, sealed, never changed, so the team sees its trend. The history of a team is read by its
supervisors, the admins, and the people of the team.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from scoring.vocabulary import Role

from ..quotient import Result, rate
from .calls import writing
from .people import Refused, Viewer
from .records import check_name
from .seal import quotient_seal
from .tables import Quotient, Trainee, utcnow

__all__ = ["QuotientEntry", "check_rater", "quotient_history", "record_quotient"]


@dataclass(frozen=True)
class QuotientEntry:
    """One rating of a team's quotient."""

    id: int
    team: str
    made_by: str
    made_at: datetime
    result: Result

    @property
    def total(self) -> Fraction:
        return self.result.total

    @property
    def band(self) -> str:
        return self.result.band


def check_rater(viewer: Viewer, team: str) -> None:
    """Refused unless the viewer may rate the team's quotient: its supervisors, the admins."""
    check_name(team, "a team's name")
    if viewer.id is None or not (viewer.role is Role.ADMIN or (
            viewer.role is Role.SUPERVISOR and team in viewer.teams)):
        raise Refused(f"{viewer.name} is a {viewer.role}: the quotient of team {team} is rated "
                      "by its supervisors (or an admin)")


def record_quotient(engine: Engine, viewer: Viewer, team: str, result: Result) -> QuotientEntry:
    """Keep a team's quotient as the viewer rated it today."""
    check_rater(viewer, team)
    assert viewer.id is not None
    with writing(engine) as session:
        row = Quotient(team=team, made_by=viewer.id, made_at=utcnow(),
                       answers=json.dumps({a: list(v) for a, v in result.answers.items()}),
                       total=float(result.total))
        session.add(row)
        session.flush()
        row.seal = quotient_seal(row)
        assert row.id is not None
        return QuotientEntry(row.id, team, viewer.name, row.made_at, result)


def quotient_history(engine: Engine, viewer: Viewer, team: str) -> list[QuotientEntry]:
    """The team's quotients, oldest first: for its supervisors, the admins and its people."""
    with Session(engine) as session:
        own = session.exec(select(Trainee.team).where(Trainee.id == viewer.id)).first() \
            if viewer.id is not None else None
        if not (viewer.role is Role.ADMIN or team in viewer.teams or own == team):
            raise Refused(f"{viewer.name} is not in team {team} nor one of its supervisors: "
                          "its quotient is not theirs to see")
        rows = session.exec(select(Quotient, Trainee.name)
                            .join(Trainee, col(Trainee.id) == col(Quotient.made_by))
                            .where(Quotient.team == team)
                            .order_by(col(Quotient.made_at), col(Quotient.id))).all()
    out = []
    for row, name in rows:
        assert row.id is not None
        out.append(QuotientEntry(row.id, row.team, name, row.made_at,
                                 rate(json.loads(row.answers))))
    return out
