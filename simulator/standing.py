"""Where a person stands on each certification track: one path for the TUI and for `report`.

Pure: it reads a person's calls (anything with the fields of `scoring.certification.CallLike`),
the certificates stored for them, the tracks and the library; no database, no UI.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import TYPE_CHECKING

from scoring.certification import (
    CallLike,
    Certificate,
    Status,
    TrackStatus,
    day_of,
    propose_refresher,
    track_status,
)

if TYPE_CHECKING:  # annotations only: the scenario models are not imported for a report
    from scoring.certification import Track  # nor the track model (pydantic) for the home

    from .scenario import Scenario

__all__ = ["DUE", "NOT_COUNTED", "TrackRow", "certifying", "next_for_tracks",
           "standing_certificates", "track_rows", "why_not_counted", "with_refreshers"]

DUE = (Status.REFRESHER_DUE, Status.EXPIRED)
"""The statuses that send a person back for a refresher."""
UNFINISHED = (Status.NOT_STARTED, Status.IN_PROGRESS, *DUE)


@dataclass(frozen=True)
class TrackRow(TrackStatus):
    """One certification track for one person on one day: its status (see TrackStatus), and
    what the home screen and the report add to it."""

    title: str = ""
    required: int = 0
    """How many requirements the track has."""
    refresher: tuple[str, ...] = ()
    """Scenario ids proposed for the refresher, best first (when one is due)."""
    proposed: str | None = None
    """The scenario this track wants taken next, if any."""

    @property
    def progress(self) -> str:
        """"2/3 passed" while the track is unfinished, else empty."""
        done = self.required - len(self.missing)
        return f"{done}/{self.required} passed" if self.status in UNFINISHED else ""


def _easiest_missing(track: Track, missing: Sequence[str],
                     scenarios: Iterable[Scenario]) -> str | None:
    """The easiest scenario that meets a requirement still missing."""
    wanted = [r for r in track.requires if r.label in missing]
    fits = sorted((s for s in scenarios if s.seat == track.seat and any(
        s.id == r.scenario if r.scenario else s.persona == r.persona for r in wanted)),
        key=lambda s: (s.difficulty, s.title))
    return fits[0].id if fits else None


def track_rows(tracks: Iterable[Track], calls: Sequence[CallLike], earned: Iterable[Certificate],
               scenarios: Sequence[Scenario], today: date) -> list[TrackRow]:
    """Each track's status for one person's `calls` and stored certificates on `today`.

    Only the exams that count do (why_not_counted); a translation meets its original's
    requirement; a supervisor's override counts (certifying), and a stored certificate resting
    on a call since overridden to failed no longer stands (standing_certificates)."""
    earned = standing_certificates(earned, calls)
    calls = certifying(calls, {s.id: s for s in scenarios})
    # all a track's status reads (counts_for): the finished exams in its seat, each call's
    # day worked out once for every track
    by_seat: dict[str, tuple[list[CallLike], list[date]]] = {}
    for c in calls:
        if c.mode == "exam" and c.outcome is not None:
            mine, days = by_seat.setdefault(c.seat, ([], []))
            mine.append(c)
            days.append(day_of(c))
    rows = []
    for track in tracks:
        exams, days = by_seat.get(track.seat, ([], []))
        st = track_status(track, exams, today, earned=earned, days=days)
        refresher: tuple[str, ...] = ()
        proposed = None
        if st.status in DUE:
            refresher = tuple(propose_refresher(track, calls, scenarios, today))
            proposed = refresher[0] if refresher else None
        elif st.status != Status.CERTIFIED:
            proposed = _easiest_missing(track, st.missing, scenarios)
        rows.append(TrackRow(**{f.name: getattr(st, f.name) for f in fields(st)},
                             title=track.title, required=len(track.requires),
                             refresher=refresher, proposed=proposed))
    return rows


def with_refreshers(rows: Sequence[TrackRow], tracks: Sequence[Track],
                    calls: Sequence[CallLike], scenarios: Sequence[Scenario],
                    today: date) -> list[TrackRow]:
    """`rows` (track_rows of the person's exams alone, which is all a status reads) with the
    refresher each due track proposes from all the person's calls: the same rows as track_rows
    of all their calls, without working the statuses out again."""
    if not any(r.status in DUE for r in rows):
        return list(rows)
    seen = certifying(calls, {s.id: s for s in scenarios})
    by_id = {t.id: t for t in tracks}
    out = []
    for row in rows:
        if row.status in DUE:
            refresher = tuple(propose_refresher(by_id[row.track_id], seen, scenarios, today))
            row = replace(row, refresher=refresher, proposed=refresher[0] if refresher else None)
        out.append(row)
    return out


def next_for_tracks(rows: Sequence[TrackRow], scenarios: Sequence[Scenario]) -> str | None:
    """What the tracks want next: a due refresher first, else the easiest requirement."""
    difficulty = {s.id: s.difficulty for s in scenarios}
    wanted = [(t.status not in DUE, difficulty.get(t.proposed, 9), i, t.proposed)
              for i, t in enumerate(rows) if t.proposed]
    return min(wanted)[3] if wanted else None


NOT_COUNTED = {
    "practice": "a practice call: only exams count",
    "scripted": "a scripted call (hotseat play --choose): it never counts",
    "playtest": "a playtest (a trainer trying a scenario): it never counts",
    "uncalibrated-exam": "a free-text exam matched by an engine not calibrated for "
                         "certification (the lexical fallback matches spelling, not meaning): "
                         "it never counts",
}


def why_not_counted(call: CallLike, library: Mapping[str, Scenario]) -> str | None:
    """Why this call does not count for certification, in plain words; None when it counts.

    An exam counts when it was finished on a scenario of the library, in the version the
    library holds now (an edited copy, or a file from elsewhere, is kept as practice)."""
    if call.mode in NOT_COUNTED:
        return NOT_COUNTED[call.mode]
    if call.outcome is None:
        return "still under way, or interrupted"
    if call.outcome == "incomplete":
        return "not finished"
    scenario = library.get(call.scenario_id)
    if scenario is None:
        return "played on a file that is not in the library"
    if getattr(call, "scenario_hash", scenario.content_hash) != scenario.content_hash:
        return "played on another version of the scenario than the library's (an edited copy)"
    return None


@dataclass(frozen=True)
class _Seen:
    """A call as certification reads it: on a translation, seen as a call on the scenario it
    translates; overridden by a supervisor, with the override's pass or fail."""

    call: CallLike
    scenario_id: str
    passed: bool | None
    overridden: bool = False
    """Its pass or fail is a supervisor's override, not the scorer's (marked as such)."""

    def __getattr__(self, name: str) -> object:
        return getattr(self.call, name)


def certifying(calls: Iterable[CallLike], library: Mapping[str, Scenario]) -> list[CallLike]:
    """The calls certification may read: every call but exams that do not count, a call on a
    translation seen as a call on the scenario it translates.

    A call with an `override` (simulator.db.CallSummary: the latest override of its pass or fail
    by a supervisor) is read with that verdict and marked `overridden`: a failed exam overridden
    to passed counts as a pass, a passed one overridden to failed does not. A track's own pass
    mark still applies to the overall score, which an override does not change."""
    out: list[CallLike] = []
    for call in calls:
        if call.mode == "exam" and why_not_counted(call, library) is not None:
            continue
        scenario = library.get(call.scenario_id)
        original = scenario.translates if scenario is not None and scenario.translates else None
        verdict: bool | None = getattr(call, "override", None)
        if original is None and verdict is None:
            out.append(call)
            continue
        out.append(_Seen(call, original or call.scenario_id,  # type: ignore[arg-type]
                         call.passed if verdict is None else verdict, verdict is not None))
    return out


def standing_certificates(earned: Iterable[Certificate],
                          calls: Iterable[CallLike]) -> list[Certificate]:
    """The stored certificates that still stand: one resting on a call a supervisor has since
    overridden to failed does not (the calls may earn the track again without it)."""
    failed = {getattr(c, "id", None) for c in calls if getattr(c, "override", None) is False}
    return [c for c in earned if not failed.intersection((*c.rests_on, c.call_id))]
