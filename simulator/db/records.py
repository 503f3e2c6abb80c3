"""Plain values the database hands out or takes in (no SQL here)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from scoring.vocabulary import Role

from ..errors import HotseatError
from ..text import printable

__all__ = ["MODES", "NAME_MAX", "ROLES", "CallSummary", "InvalidName", "check_name",
           "normalise"]

MODES = ("practice", "exam", "scripted", "playtest", "uncalibrated-exam")
"""practice: coached, in the TUI; exam: no coaching, counts for certification (when played on
the library's own version of a scenario); scripted: picks given in advance (`hotseat play
--choose ... --record`); playtest: a trainer trying a file that is not in the library. Scripted
calls and playtests never count for certification or averages. uncalibrated-exam: a free-text
exam whose typed replies were matched by an engine not calibrated for certification (the
lexical fallback; simulator/freetext certifies): played as an exam, never counted."""
ROLES: tuple[str, ...] = tuple(Role)
"""A person's role in Hotseat: what they may see and do. (Who a trainee plays in a scenario is
its seat: csr, expert or supervisor.)"""


NAME_MAX = 64
"""The longest name of a person (and of a team, or a display name: DISPLAY_MAX)."""
DISPLAY_MAX = 100


class InvalidName(HotseatError, ValueError):
    """A person's name (or team, or display name) that cannot be kept: exit 2."""


def check_name(name: str | None, what: str = "a person's name",
               longest: int = NAME_MAX) -> str:
    """The name as it will be stored, or InvalidName saying what is wrong with it."""
    if name is None or not name.strip():
        raise InvalidName(f"{what} must not be empty")
    if len(name) > longest:
        raise InvalidName(f"{what} is {len(name)} characters long: at most {longest}")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        raise InvalidName(f"{what} '{printable(name, keep_newlines=False)[:80]}' holds a "
                          "control or invisible character: type it plainly")
    return name


def normalise(name: str) -> str:
    """A person's name as it is stored and compared: spaces trimmed and folded, case folded."""
    return " ".join(check_name(name).split()).casefold()


@dataclass(frozen=True)
class CallSummary:
    """One stored call, as history and reports show it."""

    id: int
    scenario_id: str
    mode: str
    started: datetime
    """UTC, aware."""
    outcome: str | None
    """resolved | escalated | lost | incomplete; None while the call is under way."""
    overall: int | None
    passed: bool | None
    dimensions: dict[str, int] = field(default_factory=dict)
    """Empty when the call was not scored (under way, or interrupted)."""
    trainee: str = ""
    persona: str = ""
    seat: str = "csr"
    """Who the trainee played: csr, expert or supervisor."""
    level: int | None = None
    ended: datetime | None = None
    scenario_hash: str = ""
    rubric_version: str = ""
    override: bool | None = None
    """The verdict of the latest override of the call's pass or fail by a supervisor (True:
    passed), None when it was never overridden. `passed` stays the scorer's (simulator.db.reviews).
    """

    @property
    def verdict(self) -> bool | None:
        """The effective pass or fail: the latest override, else the automatic result."""
        return self.passed if self.override is None else self.override
