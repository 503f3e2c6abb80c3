"""The report's columns, its rows' container and the small conversions both of its builders
share: simulator/db/report.py (SQLAlchemy) and simulator/db/report_raw.py (the fast path over
plain DB-API). No SQL here, and nothing heavy to import (the fast path's start counts)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from scoring.vocabulary import DIMENSIONS

from ..wrapup import WrapUpRecord

__all__ = ["CALL_COLUMNS", "CALL_TABLE_COLUMNS", "CERT_COLUMNS", "ENDED", "REVIEW_COLUMNS",
           "SECTIONS", "TRAINEE_COLUMNS", "WRAPUP_COLUMNS", "Columns", "Report"]

# documentation: the mean mark over the calls with a wrap-up record; exams_without_wrapup:
# the exam calls that ended (resolved, escalated, lost) without one: an exam needs one
TRAINEE_COLUMNS = ("trainee", "display_name", "team", "role", "calls", "exam_calls", "passed",
                   "incomplete", "overall", *DIMENSIONS, "documentation",
                   "exams_without_wrapup", "weakest", "last_call")
"""`overall` and the dimensions are means over finished calls: an unfinished call and a
playtest are counted (calls, incomplete) but kept out of the averages."""
CERT_COLUMNS = ("trainee", "team", "track", "status", "certified_on", "valid_until",
                "refresher_due_on", "days_left", "missing", "refresher", "earlier", "overridden")
"""`overridden`: the calls the current certificate rests on whose pass is a supervisor's
override of a fail (simulator.db.reviews), marked as such."""
WRAPUP_COLUMNS = tuple(f.name for f in fields(WrapUpRecord))
"""The wrap-up (complaint record) of each call, by the record's own fields; empty without one."""
# wrapup: "yes" (a record is saved), "missing" (an exam that ended without one: an exam
# needs one) or "no" (none, and none asked for: practice, scripted, incomplete, under way)
REVIEW_COLUMNS = ("override", "override_by", "override_on", "override_reason", "comments")
"""The call's review log (simulator.db.reviews): the override that stands (`override`: passed
or failed, empty when none; `passed` stays the scorer's), who made it, on which day and why;
and how many comments supervisors wrote on it."""
CALL_COLUMNS = ("call", "trainee", "team", "started", "ended", "scenario", "mode", "outcome",
                "level", "overall", "passed", *REVIEW_COLUMNS, *DIMENSIONS, "counts",
                "scenario_hash", "rubric", "wrapup", *WRAPUP_COLUMNS)
"""`counts`: "yes" when the call counts for certification, else why not, in plain words."""
CALL_TABLE_COLUMNS = tuple(c for c in CALL_COLUMNS
                           if (c not in WRAPUP_COLUMNS or c == "documentation")
                           and c not in ("override_by", "override_on", "override_reason"))
"""The calls in a terminal table: the wrap-up's free text is left to CSV, JSON and `replay`."""
SECTIONS = ("trainees", "certifications", "calls")
"""The sections build_report fills (the scenarios' results are queries.scenario_results)."""
ENDED = ("resolved", "escalated", "lost")
"""Outcomes after which the rep is asked for the wrap-up (an incomplete call never is)."""
WEAKEST_OVER = 20
"""weakest_dimension's window: the last 20 scored calls."""

Record = tuple[Any, ...]
"""A call's wrap-up record: its values in the order of WRAPUP_COLUMNS."""
NO_RECORD: Record = (None,) * len(WRAPUP_COLUMNS)
NO_DIMENSIONS = (None,) * len(DIMENSIONS)
NO_REVIEW: tuple[Any, ...] = (None, None, None, None, 0)
"""The REVIEW_COLUMNS of a call nobody reviewed."""


class Columns:
    """A section held column by column, each column a list of one length: the fast report's
    calls, written to CSV or a table without a dict per row (simulator/cli/formats.py reads
    either form; `rows()` gives the dicts)."""

    def __init__(self, values: dict[str, list[Any]], length: int) -> None:
        self.values = values
        self.length = length

    def __len__(self) -> int:
        return self.length

    def rows(self) -> list[dict[str, Any]]:
        names = list(self.values)
        return [dict(zip(names, row, strict=True))
                for row in zip(*self.values.values(), strict=True)] if self.length else []


@dataclass
class Report:
    today: date
    trainees: list[dict[str, Any]] = field(default_factory=list)
    certifications: list[dict[str, Any]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    """Each scenario's results without names (queries.scenario_results): trainers, supervisors
    and admins."""


def iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.astimezone(UTC)
        if value.year < 1000:  # isoformat pads the year, strftime does not
            return value.strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.replace(tzinfo=None, microsecond=0).isoformat() + "Z"
    return value.isoformat()


def naive_iso(value: datetime | None) -> str | None:
    """iso of a stored (naive UTC) time."""
    if value is None:
        return None
    if value.year < 1000:
        return iso(value.replace(tzinfo=UTC))
    return value.isoformat(timespec="seconds") + "Z"


def ratio(total: Any, count: int) -> int | None:
    """A mean rounded half up from an exact sum and a count (report._mean)."""
    return int(int(total) / count + 0.5) if count else None


def verdict(passed: bool | None) -> str:
    return "passed" if passed else "failed"


def in_chunks(ids: Sequence[int], size: int = 900) -> Iterable[list[int]]:
    """`ids` a few hundred at a time: an IN list stays within every backend's limits."""
    ids = sorted(set(ids))
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def until(today: date) -> datetime:
    """The end of `today` (UTC): a report counts the calls started by then."""
    return datetime.combine(today + timedelta(days=1), time(), tzinfo=UTC)


NO_CALLS: dict[str, Any] = {
    "calls": 0, "exam_calls": 0, "passed": 0, "incomplete": 0, "overall": None,
    **dict.fromkeys(DIMENSIONS), "documentation": None, "exams_without_wrapup": 0,
    "weakest": None, "last_call": None}
"""The numbers of a person with no call."""
