"""Who is asking, and what they may see and do: people, roles, teams and the site's settings.

Every read of calls, wrap-ups, scorecards or people takes a `Viewer` and filters in SQL with
`visible(viewer)`:
- a trainee (or an unknown person, who has a trainee's rights and never more) sees their own;
- a trainer sees their own, and the scenarios' results without names (`scenario_results`);
- a supervisor sees the people of their teams (their own team and the ones they look after);
- an admin sees everyone.
Only an admin sets roles; a supervisor manages their own teams' trainees. The first person to
use a new database becomes its admin.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from scoring.vocabulary import Role

from ..errors import HotseatError
from .calls import writing
from .engine import is_read_only
from .records import DISPLAY_MAX, check_name, normalise
from .tables import SiteSetting, SupervisedTeam, Trainee, utcnow
from .viewer import Viewer

__all__ = [
    "NEWCOMERS", "SYSTEM", "Refused", "Viewer", "add_person", "anyone", "find_person",
    "get_setting",
    "list_people", "normalise", "set_person", "set_setting", "sign_in", "supervised_teams",
    "view_as", "visible",
]

NEWCOMERS = "newcomers"
"""The site setting: may an unknown person start as a trainee on first use? `trainee` (the
default) or `refuse`."""


class Refused(HotseatError):
    """The person asking may not do or see this: exit 2, one line."""


SYSTEM = Viewer("hotseat", Role.ADMIN)
"""Hotseat itself: certification, rescoring of a whole database by an admin's command, tests."""


def visible(viewer: Viewer) -> sa.ColumnElement[bool]:
    """The condition on `Trainee` that keeps only the people this viewer may see."""
    if viewer.sees_everyone:
        return sa.true()
    mine = col(Trainee.id) == viewer.id if viewer.id is not None else sa.false()
    if viewer.role is Role.SUPERVISOR and viewer.teams:
        return sa.or_(mine, col(Trainee.team).in_(sorted(viewer.teams)))
    return mine


def _teams(session: Session, person: Trainee) -> frozenset[str]:
    if person.role not in (Role.SUPERVISOR, Role.ADMIN):
        return frozenset()
    led = session.exec(select(SupervisedTeam.team).where(
        SupervisedTeam.person_id == person.id)).all()
    return frozenset([*led, *([person.team] if person.team else [])])


def _viewer(session: Session, person: Trainee) -> Viewer:
    return Viewer(person.name, Role(person.role), person.id, _teams(session, person))


def supervised_teams(engine: Engine, ids: Sequence[int]) -> dict[int, set[str]]:
    """The teams each of these people looks after (besides their own)."""
    out: dict[int, set[str]] = {}
    if not ids:
        return out
    with Session(engine) as session:
        for pid, team in session.exec(select(SupervisedTeam.person_id, SupervisedTeam.team)
                                      .where(col(SupervisedTeam.person_id).in_(list(ids)))).all():
            out.setdefault(pid, set()).add(team)
    return out


def anyone(engine: Engine) -> bool:
    """Is anybody in the records yet? (Until someone is, the first person in becomes the
    admin: sign_in.)"""
    with Session(engine) as session:
        return session.exec(select(Trainee.id).limit(1)).first() is not None


def find_person(engine: Engine, name: str) -> Trainee | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.exec(select(Trainee).where(Trainee.name == normalise(name))).first()


def get_setting(engine: Engine, key: str, default: str) -> str:
    with Session(engine) as session:
        row = session.get(SiteSetting, key)
    return row.value if row is not None else default


def set_setting(engine: Engine, viewer: Viewer, key: str, value: str) -> None:
    if viewer.role is not Role.ADMIN:
        raise Refused(f"{viewer.name} is a {viewer.role}: only an admin changes the site's "
                      "settings")
    with writing(engine) as session:
        row = session.get(SiteSetting, key)
        if row is None:
            session.add(SiteSetting(key=key, value=value))
        else:
            row.value = value


def _newcomer_refused(name: str) -> Refused:
    return Refused(f"{name} is not known here, and this site does not let newcomers start on "
                   f"their own: ask an admin (hotseat people add {name})")


def sign_in(engine: Engine, name: str, *, create: bool = False) -> Viewer:
    """The person called `name` as a viewer.

    Nobody in the database yet: they become its admin (created now). Unknown otherwise: a
    trainee's rights, created now when `create` (they are about to record a call) and the site
    lets newcomers start; refused when it does not.
    """
    name = normalise(name)
    with Session(engine) as session:  # the usual case reads only (a read-only file works)
        person = session.exec(select(Trainee).where(Trainee.name == name)).first()
        if person is not None:
            return _viewer(session, person)
        anyone = session.exec(select(sa.func.count()).select_from(Trainee)).one() > 0
    if is_read_only(engine):
        return Viewer(name, Role.TRAINEE)  # nothing can be added: a trainee's rights
    if anyone and not create:
        if get_setting(engine, NEWCOMERS, "trainee") == "refuse":
            raise _newcomer_refused(name)
        return Viewer(name, Role.TRAINEE)
    with writing(engine) as session:
        person = session.exec(select(Trainee).where(Trainee.name == name)).first()
        if person is not None:  # added a moment ago by another process
            return _viewer(session, person)
        if session.exec(select(sa.func.count()).select_from(Trainee)).one() == 0:
            person = Trainee(name=name, role=Role.ADMIN, created=utcnow())
            session.add(person)
            session.flush()
            return _viewer(session, person)
        allowed = session.get(SiteSetting, NEWCOMERS)
        if allowed is not None and allowed.value == "refuse":
            raise _newcomer_refused(name)
        if not create:
            return Viewer(name, Role.TRAINEE)
        person = Trainee(name=name, role=Role.TRAINEE, created=utcnow())
        session.add(person)
        session.flush()
        return _viewer(session, person)


def view_as(engine: Engine, asker: Viewer, name: str) -> Viewer:
    """`--as NAME`: an admin may see Hotseat as anyone, a supervisor as a person of their
    teams; anyone else is refused."""
    if asker.role not in (Role.ADMIN, Role.SUPERVISOR):
        raise Refused(f"{asker.name} is a {asker.role}: only an admin or a supervisor may use "
                      "Hotseat as someone else (--as)")
    target = find_person(engine, name)
    if target is None:
        raise Refused(f"no person '{normalise(name)}' here (hotseat people list)")
    if asker.role is Role.SUPERVISOR and target.name != asker.name and (
            target.team not in asker.teams or target.role != Role.TRAINEE):
        raise Refused(f"{asker.name} is a supervisor: --as works for the trainees of their "
                      "teams only")
    with Session(engine) as session:
        return _viewer(session, target)


def list_people(engine: Engine, viewer: Viewer, *, team: str | None = None,
                role: str | None = None, name: str | None = None) -> list[Trainee]:
    """The people this viewer may see, by name; filtered by team, role and name."""
    query = select(Trainee).where(visible(viewer))
    if name is not None:
        query = query.where(Trainee.name == normalise(name))
    if team is not None:
        query = query.where(Trainee.team == team)
    if role is not None:
        query = query.where(Trainee.role == role)
    with Session(engine, expire_on_commit=False) as session:
        return list(session.exec(query.order_by(col(Trainee.name))).all())


def _check_changes(viewer: Viewer, person: Trainee | None, name: str, role: str | None,
                   team: str | None) -> None:
    if role is not None and viewer.role is not Role.ADMIN:
        raise Refused(f"{viewer.name} is a {viewer.role}: only an admin sets roles")
    if not viewer.may_manage(person, team):
        who = "their teams' trainees" if viewer.role is Role.SUPERVISOR else "no one"
        raise Refused(f"{viewer.name} is a {viewer.role}: they may manage {who}, "
                      f"not {name}" + (f" in team {team}" if team else ""))


def add_person(engine: Engine, viewer: Viewer, name: str, *, role: str | None = None,
               team: str | None = None, display_name: str | None = None) -> Trainee:
    """Add someone (a trainee unless an admin says otherwise)."""
    key = normalise(name)
    if find_person(engine, key) is not None:
        raise Refused(f"{key} is already here: change them with `hotseat people set`")
    _check_changes(viewer, None, key, role, team)
    return _write(engine, key, role or Role.TRAINEE, team, display_name, None)


def set_person(engine: Engine, viewer: Viewer, name: str, *, role: str | None = None,
               team: str | None = None, display_name: str | None = None,
               supervises: Sequence[str] | None = None) -> Trainee:
    """Change someone's role, team, display name, or the teams a supervisor looks after."""
    key = normalise(name)
    person = find_person(engine, key)
    if person is None:
        raise Refused(f"no person '{key}' here: add them with `hotseat people add`")
    _check_changes(viewer, person, key, role, team)
    if supervises is not None and viewer.role is not Role.ADMIN:
        raise Refused(f"{viewer.name} is a {viewer.role}: only an admin says which teams a "
                      "supervisor looks after")
    if role is not None and person.role == Role.ADMIN and role != Role.ADMIN:
        with Session(engine) as session:
            admins = session.exec(select(sa.func.count()).select_from(Trainee).where(
                Trainee.role == Role.ADMIN)).one()
        if admins <= 1:
            raise Refused(f"{key} is the only admin: make someone else admin first")
    return _write(engine, key, role, team, display_name, supervises)


def _write(engine: Engine, name: str, role: str | None, team: str | None,
           display_name: str | None, supervises: Sequence[str] | None) -> Trainee:
    if role is not None and role not in tuple(Role):
        raise Refused(f"unknown role '{role}' (expected {', '.join(Role)})")
    if team is not None:
        check_name(team, "a team's name")
    if display_name is not None:
        check_name(display_name, "a display name", DISPLAY_MAX)
    with writing(engine) as session:
        person = session.exec(select(Trainee).where(Trainee.name == name)).first()
        if person is None:
            person = Trainee(name=name, role=role or Role.TRAINEE, created=utcnow())
            session.add(person)
        if role is not None:
            person.role = role
        if team is not None:
            person.team = team
        if display_name is not None:
            person.display_name = display_name
        session.flush()
        if supervises is not None:
            for row in session.exec(select(SupervisedTeam).where(
                    SupervisedTeam.person_id == person.id)).all():
                session.delete(row)
            for t in dict.fromkeys(supervises):
                assert person.id is not None
                session.add(SupervisedTeam(person_id=person.id, team=check_name(
                    t, "a team's name")))
        return person
