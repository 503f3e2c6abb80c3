"""Certification tracks: who is certified, until when, when the refresher is due, what to practise.

Pure: reads a track and a trainee's calls, imports nothing of `simulator`, no database, no clock
except `today` (which defaults to the current UTC date).

The rules (docs/reviewing-a-team.md says the same for supervisors):
- Only **exam** calls count, on scenarios of the track's seat (its `role` key: who the trainee
  plays). A call **passes** a track when the scorecard passed and `overall` is at least the
  track's `pass_mark`.
- A requirement `{scenario: ID}` is met by a passing call on that scenario; `{persona: NAME}` by a
  passing call on any scenario of that persona.
- A certificate is **earned** on the day of the passing exam call that meets the last missing
  requirement, counting only passes from the last `valid_days` days. It is valid for
  `valid_days`; the refresher is due `refresher_days` before it expires.
- To **renew**, the trainee meets every requirement again with passes made since the refresher
  became due; the new certificate starts on the day the last of them is passed. Passes made while
  the certificate is current and no refresher is due do not renew it.
- Status on a day: `not_started` (no exam call on anything the track requires),
  `in_progress`, `certified`, `refresher_due`, `expired`.
- Certificates are computed from the calls, and the database also stores each one when it is
  earned (never changed afterwards): `track_status(..., earned=...)` merges the stored ones, so a
  certificate earned under an older track definition stays in the history.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from .lazy import lazy_names
from .vocabulary import DIMENSIONS

if TYPE_CHECKING:  # the models (pydantic) are imported on first use: see __getattr__
    from .trackmodel import Requirement, Track

__all__ = [
    "CallLike",
    "Certificate",
    "Requirement",
    "ScenarioMeta",
    "Status",
    "Track",
    "TrackStatus",
    "counts_for",
    "day_of",
    "earned_certificates",
    "propose_refresher",
    "track_status",
    "weakest_dimension",
]

_MODELS = ("Requirement", "Track")
"""Defined in scoring/trackmodel.py (pydantic) and imported from there on first use (PEP 562):
the rules below read a track's fields only, so the TUI's home works them out before pydantic is
imported (issue 12)."""


__getattr__ = lazy_names(globals(), dict.fromkeys(_MODELS, "trackmodel"))


class Status:
    """A trainee's standing on one track (plain strings, for JSON and CSV)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    CERTIFIED = "certified"
    REFRESHER_DUE = "refresher_due"
    EXPIRED = "expired"
    ALL = (NOT_STARTED, IN_PROGRESS, CERTIFIED, REFRESHER_DUE, EXPIRED)


class _Named(Protocol):
    @property
    def scenario_id(self) -> str: ...
    @property
    def persona(self) -> str: ...


class CallLike(Protocol):
    """What certification reads of a stored call (simulator.db.CallSummary has it all)."""

    @property
    def scenario_id(self) -> str: ...
    @property
    def persona(self) -> str: ...
    @property
    def seat(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def started(self) -> datetime: ...
    @property
    def outcome(self) -> str | None: ...
    @property
    def overall(self) -> int | None: ...
    @property
    def passed(self) -> bool | None: ...
    @property
    def dimensions(self) -> dict[str, int]: ...


@dataclass(frozen=True)
class ScenarioMeta:
    """What the refresher reads of a scenario (a simulator Scenario works as well)."""

    id: str
    persona: str
    seat: str = "csr"
    escalation: str = "none"


@dataclass(frozen=True)
class Certificate:
    track_id: str
    earned_on: date
    valid_until: date
    refresher_due_on: date
    call_id: int | None = None
    """The exam call that completed the track."""
    rests_on: tuple[int, ...] = field(default=(), compare=False)
    """The passing exam calls the certificate rests on: for each requirement, the latest pass
    that met it (their ids, in the order of the requirements; the completing call included)."""


@dataclass(frozen=True)
class TrackStatus:
    track_id: str
    status: str
    certified_on: date | None = None
    valid_until: date | None = None
    refresher_due_on: date | None = None
    days_left: int | None = None
    """Days until the current certificate expires (0 or less once expired)."""
    missing: tuple[str, ...] = ()
    """Requirements still to pass (for a first certificate, or to renew)."""
    history: tuple[Certificate, ...] = field(default=())
    """Earlier certificates, oldest first (the current one is not repeated here)."""
    current: Certificate | None = None


def day_of(call: CallLike) -> date:
    """The (UTC) day a call started: the day the rules count it on."""
    when = call.started
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.date()


_day = day_of


def _first(pair: tuple[date, Any]) -> date:
    return pair[0]


def _today(today: date | None) -> date:
    return today if today is not None else datetime.now(UTC).date()


def counts_for(track: Track, call: CallLike) -> bool:
    """An exam call in this track's seat, whatever its result."""
    return call.mode == "exam" and call.seat == track.seat and call.outcome is not None


def _passes(track: Track, call: CallLike) -> bool:
    return (counts_for(track, call) and bool(call.passed) and call.overall is not None
            and call.overall >= track.pass_mark)


def _unmet(track: Track, passes: Iterable[tuple[date, CallLike]], since: date,
           until: date) -> list[str]:
    """The requirements no pass (given with its day) between `since` and `until` meets."""
    window = [c for d, c in passes if since <= d <= until]
    return [r.label for r in track.requires if not any(r.met_by(c) for c in window)]


def _rests_on(track: Track, passes: Sequence[CallLike], since: date,
              until: date) -> tuple[int, ...]:
    return _resting(track, [c for c in passes if since <= _day(c) <= until])


def _resting(track: Track, window: Sequence[CallLike]) -> tuple[int, ...]:
    """For each requirement, the latest pass in `window` that met it (their ids, in order)."""
    ids: list[int] = []
    for req in track.requires:
        met = [c for c in window if req.met_by(c)]
        found = getattr(met[-1], "id", None) if met else None
        if isinstance(found, int) and found not in ids:
            ids.append(found)
    return tuple(ids)


def earned_certificates(track: Track, calls: Iterable[CallLike],
                        today: date | None = None) -> list[Certificate]:
    """Every certificate the calls earn, oldest first (calls after `today` are ignored)."""
    today = _today(today)
    # each pass with its day, worked out once, in order of day (stable: the calls' own order)
    return _earned(track, sorted(((d, c) for c in calls if _passes(track, c)
                                  and (d := _day(c)) <= today), key=_first))


def _earned(track: Track, dated: Sequence[tuple[date, CallLike]]) -> list[Certificate]:
    """earned_certificates of the passes up to today, with their days, in order of day."""
    days = [d for d, _ in dated]
    certificates: list[Certificate] = []
    cycle_start = date.min
    valid = timedelta(days=track.valid_days)
    # the window of passes that count on a day is dated[start:i + 1] (its days are sorted and
    # its start only moves on); for each requirement, the latest pass so far that meets it
    latest: list[int] = [-1] * len(track.requires)
    for i, (day, call) in enumerate(dated):
        for r, req in enumerate(track.requires):
            if req.met_by(call):
                latest[r] = i
        if certificates and day < certificates[-1].refresher_due_on:
            continue  # fully certified: nothing to renew yet
        start = bisect_left(days, max(cycle_start, day - valid), 0, i + 1)
        if all(j >= start for j in latest):
            until = day + valid
            ids: list[int] = []
            for j in latest:  # what it rests on: each requirement's latest pass (_resting)
                found = getattr(dated[j][1], "id", None)
                if isinstance(found, int) and found not in ids:
                    ids.append(found)
            cert = Certificate(track.id, day, until,
                               until - timedelta(days=track.refresher_days),
                               getattr(call, "id", None), tuple(ids))
            certificates.append(cert)
            cycle_start = cert.refresher_due_on
    return certificates


def track_status(track: Track, calls: Iterable[CallLike], today: date | None = None, *,
                 earned: Iterable[Certificate] = (),
                 days: Sequence[date] | None = None) -> TrackStatus:
    """Where the trainee stands on `track` on `today` (default: the current UTC date).

    `earned`: certificates stored earlier (simulator.db), merged with those the calls earn.
    `days`: each call's day_of, in the order of `calls`, when the caller has them already.
    """
    today = _today(today)
    pairs = zip(days, calls, strict=True) if days is not None else ((_day(c), c) for c in calls)
    dated = [(d, c) for d, c in pairs if d <= today]  # each day worked out once
    calls = [c for _, c in dated]
    passes = [(d, c) for d, c in dated if _passes(track, c)]
    by_day = {c.earned_on: c for c in _earned(track, sorted(passes, key=_first))}
    by_day.update({c.earned_on: c for c in earned if c.track_id == track.id
                   and c.earned_on <= today})  # a stored certificate wins
    certificates = [by_day[d] for d in sorted(by_day)]
    if not certificates:
        attempted = any(counts_for(track, c) and any(r.met_by(c) for r in track.requires)
                        for c in calls)
        missing = _unmet(track, passes, today - timedelta(days=track.valid_days), today)
        status = Status.IN_PROGRESS if attempted else Status.NOT_STARTED
        return TrackStatus(track.id, status, missing=tuple(missing))
    current = certificates[-1]
    if today < current.refresher_due_on:
        status, missing = Status.CERTIFIED, []
    else:
        status = Status.REFRESHER_DUE if today < current.valid_until else Status.EXPIRED
        missing = _unmet(track, passes, current.refresher_due_on, today)
    return TrackStatus(track.id, status, current.earned_on, current.valid_until,
                       current.refresher_due_on, (current.valid_until - today).days,
                       tuple(missing), tuple(certificates[:-1]), current)


def weakest_dimension(calls: Iterable[CallLike], last: int = 20) -> str | None:
    """The dimension with the lowest mean over the trainee's last `last` scored calls
    (finished calls: a call left unfinished or a playtest says little of the trainee)."""
    return _weakest([(_day(c), c) for c in calls], last)


def _weakest(dated: Iterable[tuple[date, CallLike]], last: int = 20) -> str | None:
    """weakest_dimension of calls given with their days."""
    scored = [c for _, c in sorted(((d, c) for d, c in dated if c.dimensions
                                    and c.outcome != "incomplete" and c.mode != "playtest"),
                                   key=_first)[-last:]]
    if not scored:
        return None
    means = {d: sum(c.dimensions[d] for c in scored) / len(scored) for d in DIMENSIONS}
    return min(DIMENSIONS, key=lambda d: (means[d], DIMENSIONS.index(d)))


def _exercises(scenario: Any, dimension: str) -> bool:
    """Does this scenario stress the dimension beyond what every call does?"""
    if dimension == "empathy":
        return getattr(scenario, "persona", "") == "angry"
    if dimension == "escalation":
        return getattr(scenario, "escalation", "none") != "none"
    if dimension == "policy":
        policy = getattr(scenario, "policy", None)
        return bool(getattr(policy, "forbids", None))
    return False


def propose_refresher(track: Track, calls: Sequence[CallLike], scenarios_meta: Iterable[Any],
                      today: date | None = None, k: int = 3) -> list[str]:
    """Up to `k` scenario ids for the trainee's refresher, best first.

    Candidates: scenarios of the track's seat not passed (at the track's pass mark, any mode) in
    the last `refresher_days` days, those the track requires first. Among them, the ones where
    the trainee's weakest dimension scored lowest come first (their own calls on the scenario,
    else on its persona, else all their calls), and a scenario that stresses that dimension
    (angry persona for empathy, a needed escalation for escalation, forbidden actions for
    policy) counts as 15 points weaker.
    """
    today = _today(today)
    since = today - timedelta(days=track.refresher_days)
    dated = [(d, c) for c in calls if (d := _day(c)) <= today]  # each call's day worked out once
    calls = [c for _, c in dated]
    recent = {c.scenario_id for d, c in dated
              if since <= d and c.passed and (c.overall or 0) >= track.pass_mark}
    weakest = _weakest(dated)
    # the weakest dimension's sum and count over all calls, each scenario's and each persona's
    # (summed in the calls' order, as the mean of each group would be)
    by_scenario: dict[str, list[int]] = {}
    by_persona: dict[Any, list[int]] = {}
    total = [0, 0]
    if weakest:
        for c in calls:
            if c.dimensions:
                v = c.dimensions[weakest]
                for acc in (by_scenario.setdefault(c.scenario_id, [0, 0]),
                            by_persona.setdefault(c.persona, [0, 0]), total):
                    acc[0] += v
                    acc[1] += 1

    def mean(acc: list[int] | None) -> float | None:
        return acc[0] / acc[1] if acc and acc[1] else None

    overall = mean(total)

    def key(s: Any) -> tuple[bool, float, str]:
        relevant = any(r.met_by(_AsCall(s)) for r in track.requires)
        if weakest is None:
            return (not relevant, 0.0, s.id)
        seen = next((m for m in (mean(by_scenario.get(s.id)),
                                 mean(by_persona.get(getattr(s, "persona", None))),
                                 overall) if m is not None), 100.0)
        return (not relevant, seen - (15 if _exercises(s, weakest) else 0), s.id)

    candidates = [s for s in scenarios_meta
                  if getattr(s, "seat", "csr") == track.seat and s.id not in recent]
    return [s.id for s in sorted(candidates, key=key)[:k]]


@dataclass(frozen=True)
class _AsCall:
    """A scenario seen as a call, to ask a requirement whether it names it."""

    scenario: Any

    @property
    def scenario_id(self) -> str:
        return str(self.scenario.id)

    @property
    def persona(self) -> str:
        return str(getattr(self.scenario, "persona", ""))
