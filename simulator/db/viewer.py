"""Who is asking, and what their role lets them see: one class for the ordinary path
(simulator/db/people.py, through the ORM) and the fast one (simulator/db/raw.py), which imports
no SQLAlchemy, so it lives here, beside neither."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scoring.vocabulary import Role

if TYPE_CHECKING:
    from .tables import Trainee

__all__ = ["Viewer"]


@dataclass(frozen=True)
class Viewer:
    """The person asking, with what their role lets them see."""

    name: str
    role: Role
    id: int | None = None
    """None for a person the database does not know (yet)."""
    teams: frozenset[str] = field(default_factory=frozenset)
    """The teams a supervisor sees (their own and the ones they look after)."""

    @property
    def sees_everyone(self) -> bool:
        return self.role is Role.ADMIN

    def may_manage(self, person: Trainee | None, team: str | None) -> bool:
        """May they add or change this person (or a new one in `team`)?"""
        if self.role is Role.ADMIN:
            return True
        if self.role is not Role.SUPERVISOR:
            return False
        if person is not None and person.role != Role.TRAINEE:
            return False  # a supervisor manages trainees, never other staff
        current = person.team if person is not None else None
        return all(t is None or t in self.teams for t in (current, team)) and (
            current is not None or team is not None)
