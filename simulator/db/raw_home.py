"""The TUI home's rows over the plain read path (simulator.db.raw): no SQLAlchemy, no SQLModel.

What a rep's home shows (issue 12): who they are, their latest calls, and what the
certification panel is worked out from (their exam calls, every call when a track wants a
refresher, their stored certificates whose seal holds). The same rows, in the same order and of
the same types, as the ordinary path's `recent_calls`, `calls_of` and `stored_certificates`
(tests/test_raw_home.py compares them on both backends). Who is asking decides what is read,
in the SQL itself: every query keeps only the people `raw.visible(viewer)` lets them see.

Only a person the database knows, who sees their own calls only (a trainee or a trainer), is
read here; anyone else, and anything unusual (raw.Unusual), is the ordinary path's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from scoring.certification import Certificate as Earned
from scoring.vocabulary import DIMENSIONS, Role

from .raw import Reader, Unusual, Viewer, as_bool, as_date, as_datetime, visible
from .records import CallSummary

__all__ = ["HOME_ROLES", "HomeReader"]

HOME_ROLES = (Role.TRAINEE, Role.TRAINER)
"""The roles whose home is read here: they see their own calls only."""

OVERRIDE = "override"
"""reviews.OVERRIDE: the kind of a review entry that overrides a call's pass or fail."""

_COLUMNS = ("c.id, c.scenario_id, c.mode, c.started, c.outcome, c.overall, c.passed, "
            "c.empathy, c.resolution, c.escalation, c.policy, t.name, c.persona, c.role, "
            "c.level, c.ended, c.scenario_hash, c.rubric_version, "
            "(SELECT r.verdict FROM reviews r WHERE r.call_id = c.id AND r.kind = ? "
            "ORDER BY r.id DESC LIMIT 1)")
"""queries._SUMMARY, the latest override (reviews.latest_override) in the same query."""


def _aware(value: Any) -> datetime | None:
    """A stored time as the ordinary path returns it (tables.UTCDateTime): aware UTC."""
    moment = as_datetime(value)
    return None if moment is None else moment.replace(tzinfo=UTC)


def _summary(row: Sequence[Any]) -> CallSummary:
    """queries._summary, from a raw row."""
    (cid, scenario_id, mode, started, outcome, overall, passed, *dims, name, persona, seat,
     level, ended, digest, rubric, overridden) = row
    dimensions: dict[str, int] = ({d: v for d, v in zip(DIMENSIONS, dims, strict=True)}
                                  if all(v is not None for v in dims) else {})
    begun = _aware(started)
    assert begun is not None  # NOT NULL
    return CallSummary(id=cid, scenario_id=scenario_id, mode=mode, started=begun,
                       outcome=outcome, overall=overall, passed=as_bool(passed),
                       dimensions=dimensions, trainee=name, persona=persona, seat=seat,
                       level=level, ended=_aware(ended), scenario_hash=digest,
                       rubric_version=rubric, override=as_bool(overridden))


class HomeReader:
    """The home's reads for `viewer` (known here: an id, a trainee's or a trainer's role) on
    `reader`. Each query filters on the people the viewer may see, then on the viewer's own
    name: the same as the ordinary path's reads of the viewer's own calls."""

    def __init__(self, reader: Reader, viewer: Viewer) -> None:
        if viewer.id is None:
            raise Unusual("a person to add: the ordinary path adds them")
        if viewer.role not in HOME_ROLES:
            raise Unusual(f"a {viewer.role}'s home is the ordinary path's")
        self.reader, self.viewer = reader, viewer
        self._where, self._params = visible(viewer, "t")

    def _calls(self, condition: str, params: Sequence[Any], order: str,
               limit: int | None = None) -> list[CallSummary]:
        sql = (f"SELECT {_COLUMNS} FROM calls c JOIN trainees t ON t.id = c.trainee_id "
               f"WHERE {self._where} AND t.name = ?{condition} ORDER BY {order}")
        args = [OVERRIDE, *self._params, self.viewer.name, *params]
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [_summary(row) for row in self.reader.rows(sql, args)]

    def recent(self, limit: int = 100) -> list[CallSummary]:
        """queries.recent_calls(viewer, limit=limit): their calls, newest first."""
        return self._calls("", [], "c.started DESC, c.id DESC", limit)

    def calls(self) -> list[CallSummary]:
        """queries.calls_of(viewer, [viewer.name]): all their calls, oldest first."""
        return self._calls("", [], "c.started, c.id")

    def exams(self) -> list[CallSummary]:
        """Their exam calls, oldest first: all a track's status reads of calls_of's
        (simulator.standing.track_rows counts exams only)."""
        return self._calls(" AND c.mode = ?", ["exam"], "c.started, c.id")

    def certificates(self) -> list[Earned]:
        """certificates.stored_certificates(viewer, viewer.name): their stored certificates
        whose seal holds, oldest first."""
        from .seal import certificate_seal

        rows = self.reader.rows(
            "SELECT ce.trainee_id, ce.track_id, ce.earned_on, ce.valid_until, "
            "ce.refresher_due_on, ce.call_id, ce.rests_on, ce.seal FROM certificates ce "
            f"JOIN trainees t ON t.id = ce.trainee_id WHERE t.name = ? AND {self._where} "
            "ORDER BY ce.earned_on, ce.track_id", [self.viewer.name, *self._params])
        certs = [_Stored(trainee_id, track_id, as_date(earned), as_date(until), as_date(due),
                         call_id, rests_on, seal)
                 for trainee_id, track_id, earned, until, due, call_id, rests_on, seal in rows]
        wanted = sorted({i for c in certs for i in c.resting})
        seals: dict[int, str | None] = {}
        if wanted:
            marks = ", ".join("?" * len(wanted))
            seals = {cid: seal for cid, seal in self.reader.rows(
                f"SELECT id, seal FROM calls WHERE id IN ({marks})", wanted)}
        return [Earned(c.track_id, c.earned_on, c.valid_until, c.refresher_due_on, c.call_id,
                       c.resting)
                for c in certs
                if c.seal is not None
                and c.seal == certificate_seal(c, [seals.get(i) for i in c.resting])]


class _Stored:
    """A certificate row as read, with the fields its seal covers (seal.CERTIFICATE_FIELDS)."""

    def __init__(self, trainee_id: int, track_id: str, earned_on: Any, valid_until: Any,
                 refresher_due_on: Any, call_id: int | None, rests_on: str | None,
                 seal: str | None) -> None:
        self.trainee_id, self.track_id = trainee_id, track_id
        self.earned_on, self.valid_until = earned_on, valid_until
        self.refresher_due_on, self.call_id = refresher_due_on, call_id
        self.rests_on, self.seal = rests_on, seal
        self.resting = tuple(int(i) for i in (rests_on or "").split(",") if i)
        """certificates._ids"""
