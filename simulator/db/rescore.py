"""Recompute stored calls from their transcripts and compare with what was stored.

The score of a call is a pure function of (scenario, picks, rubric): the picks are the stored
trainee lines' option positions, the scenario is the exact file the call was played on (kept in
scenario_sources by its content hash), the rubric is today's. With `against_library` the
scenario is the library's version of today instead. A difference says whether the scenario file
(by its content hash) or the rubric version changed since the call was scored; when neither did,
the scorer's code did. Nothing stored is ever changed here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import col

from scoring import DIMENSIONS, Rubric, Scorecard
from scoring.rubric import default_rubric

from ..call import PickError, TypedPick, play
from ..scenario import Scenario, load_bytes
from .bulk import paused_gc
from .calls import writing
from .freetext import merge_typed
from .people import SYSTEM, Refused, Viewer, normalise, visible
from .seal import call_seal, scorecard_seal
from .tables import Call, ScenarioSource, Trainee, utcnow
from .tables import Scorecard as StoredScorecard

__all__ = ["Rescored", "adopt_scorecards", "rescore_calls"]


@dataclass(frozen=True)
class Rescored:
    call_id: int
    trainee: str
    scenario_id: str
    started: str
    changes: tuple[str, ...] = ()
    """What differs, e.g. "overall 96 -> 90"; empty when the call rescored the same."""
    why: str = ""
    """Which input changed since: the scenario (hash), the rubric (version), or neither."""
    problem: str | None = None
    """Why the call could not be rescored (scenario not found, picks no longer valid)."""
    passed_before: bool | None = None
    """Passed or failed, as stored (what the rep was shown)."""
    passed_after: bool | None = None
    """Passed or failed on rescoring; None when the call could not be rescored."""
    rubric_before: str = ""
    """The rubric version the call was scored with."""
    rubric_after: str = ""
    """The rubric version it was rescored with; empty when it could not be rescored."""
    scenario_changed: bool = False
    """Rescored on another version of the scenario file than the one it was played on."""
    failures_before: tuple[str, ...] = ()
    """Why the call failed, as stored."""
    failures_after: tuple[str, ...] = ()
    """Why it fails on rescoring."""
    card: Scorecard | None = field(default=None, compare=False, repr=False)
    """The new scorecard, for `adopt_scorecards`: kept only when the call rescored
    differently."""

    @property
    def differs(self) -> bool:
        return bool(self.changes) or self.problem is not None

    @property
    def pass_changed(self) -> bool:
        """Passed before and fails now, or the other way round."""
        return self.passed_after is not None and self.passed_after != self.passed_before


_FIELDS = ("id", "trainee_id", "scenario_id", "scenario_hash", "seat", "mode", "rubric_version",
           "started", "ended", "outcome", "level", *DIMENSIONS, "overall", "passed", "failures",
           "seal")
"""What rescoring reads of a call: the fields its seal covers (seal.CALL_FIELDS), and the seal."""
_CHUNK = 2000
"""Calls whose lines and score events are read in one query each."""

Event = tuple[int, str, int, str, str]
"""A stored score event: (turn, dimension, points, reason, rule)."""


def _stored(call: Any, events: list[Event]) -> dict[str, Any]:
    return {"outcome": call.outcome, "level": call.level, "overall": call.overall,
            "passed": call.passed, **{d: getattr(call, d) for d in DIMENSIONS},
            "events": [(t, d, p, r) for t, d, p, _, r in events]}


def _fresh(outcome: str, level: int, card: Scorecard) -> dict[str, Any]:
    return {"outcome": outcome, "level": level, "overall": card.overall, "passed": card.passed,
            **card.dimensions,
            "events": [(e.turn, e.dimension, e.points, e.rule) for e in card.events]}


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    for key in ("outcome", "level", "overall", "passed", *DIMENSIONS):
        if key == "level" and old[key] is None:
            continue  # a call abandoned without its result stores no level
        if old[key] != new[key]:
            out.append(f"{key} {old[key]} -> {new[key]}")
    if old["events"] != new["events"]:
        gone = [e for e in old["events"] if e not in new["events"]]
        came = [e for e in new["events"] if e not in old["events"]]
        words = [f"-{r}@{t} ({p:+d} {d})" for t, d, p, r in gone]
        words += [f"+{r}@{t} ({p:+d} {d})" for t, d, p, r in came]
        out.append("events " + (", ".join(words) if words else "reordered"))
    return out


def _sources(conn: sa.Connection, digests: Iterable[str]) -> dict[str, Scenario | None]:
    """The stored scenario files of these hashes, each parsed once (None when not stored)."""
    wanted = sorted(set(digests))
    parsed: dict[str, Scenario | None] = dict.fromkeys(wanted)
    table = ScenarioSource.__table__  # type: ignore[attr-defined]
    for i in range(0, len(wanted), 500):
        for digest, scenario_id, source in conn.execute(
                sa.select(table.c.hash, table.c.scenario_id, table.c.source)
                .where(table.c.hash.in_(wanted[i:i + 500]))):
            parsed[digest], _ = load_bytes(source.encode("utf-8"),
                                           f"{scenario_id} (stored {digest[:12]})")
    return parsed


_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s"}
"""The driver's own placeholder (sqlite3, psycopg): the lines and events are read over plain
DB-API, where SQLAlchemy's rows would cost a third of the reading."""
_TURNS = ("SELECT call_id, idx, option FROM turns WHERE {where} AND speaker = 'trainee' "
          "AND option IS NOT NULL ORDER BY call_id, idx")
"""A call's picks in order, from the index ix_turns_picks alone."""
_EVENTS = ("SELECT call_id, turn, dimension, points, reason, rule FROM score_events "
           "WHERE {where} ORDER BY call_id, seq")


def _span(ids: list[int], mark: str) -> tuple[str, list[int], tuple[int, int] | None]:
    """The condition on call_id that reads these calls (in id order): a range when they are
    most of the ids it spans (every call, or a team's run of them), else the list itself (a
    trainee's calls spread over the whole table). Rows of calls in the range but not among
    `ids` are read and dropped."""
    lo, hi = ids[0], ids[-1]
    if hi - lo + 1 <= 2 * len(ids):
        return f"call_id BETWEEN {mark} AND {mark}", [lo, hi], (lo, hi)
    return f"call_id IN ({', '.join([mark] * len(ids))})", ids, None


def _lines(conn: sa.Connection, ids: list[int]) -> tuple[dict[int, list[int | str | TypedPick]],
                                                         dict[int, list[Event]]]:
    """The trainee's picks and the stored score events of these calls (in id order), in
    order: one query each for all of them, read over the driver's own cursor."""
    mark = _PLACEHOLDER[conn.dialect.paramstyle]
    where, params, span = _span(ids, mark)
    cursor = conn.connection.cursor()
    try:
        cursor.execute(_TURNS.format(where=where), params)
        lines: dict[int, list[tuple[int, Any]]] = {i: [] for i in ids}
        for call_id, idx, option in cursor.fetchall():
            got = lines.get(call_id)
            if got is not None:
                got.append((idx, option))
        # free-text turns: the stored matches, as they were played
        merge_typed(conn, ids, lines, span=span)
        picks: dict[int, list[int | str | TypedPick]] = {
            i: [pick for _, pick in lines[i]] for i in ids}
        cursor.execute(_EVENTS.format(where=where), params)
        stored: dict[int, list[Event]] = {i: [] for i in ids}
        for call_id, *event in cursor.fetchall():
            here = stored.get(call_id)
            if here is not None:
                here.append(tuple(event))
    finally:
        cursor.close()
    return picks, stored


def rescore_calls(engine: Engine, find: Callable[[str], Scenario | None], *,
                  trainee: str | None = None, rubric: Rubric | None = None,
                  against_library: bool = False,
                  viewer: Viewer = SYSTEM) -> tuple[list[Rescored], int]:
    """Rescore every finished, scored call; return the results and how many were skipped
    (calls under way, or interrupted ones that were never scored).

    Each call is replayed on the file it was played on (stored by content hash); when that is
    not stored (a call recorded before Hotseat kept sources) `find(scenario_id)` gives the
    library's version, used only when it is the same file. With `against_library`, every call is
    replayed on `find(scenario_id)`, today's version, and a changed file is said.

    Read in bulk, in call order: the calls in one query, then the lines and score events of
    `_CHUNK` calls at a time (one query each), and each stored scenario file parsed once (the
    library's own, when it is the same file: same bytes, same scenario).
    """
    rubric = rubric or default_rubric()
    columns: list[Any] = [col(getattr(Call, f)).label(f) for f in _FIELDS]
    query = (sa.select(*columns, col(Trainee.name).label("trainee"))
             .join(Trainee, col(Trainee.id) == col(Call.trainee_id))
             .where(visible(viewer)).order_by(col(Call.id)))
    if trainee is not None:
        query = query.where(col(Trainee.name) == normalise(trainee))
    results: list[Rescored] = []
    skipped = 0
    with engine.connect() as conn, paused_gc():
        calls = []
        for call in conn.execute(query):
            if call.ended is None or call.overall is None:
                skipped += 1
            else:
                calls.append(call)
        scenarios: dict[str, Scenario | None] = {}
        if not against_library:
            library = {}
            for sid in {c.scenario_id for c in calls}:
                found = find(sid)
                if found is not None:
                    library[found.content_hash] = found
            scenarios.update(library)
            scenarios.update(_sources(conn, {c.scenario_hash for c in calls} - set(library)))
        replay = _Replay(rubric)
        for i in range(0, len(calls), _CHUNK):
            chunk = calls[i:i + _CHUNK]
            picks, events = _lines(conn, [c.id for c in chunk])
            for call in chunk:
                if against_library:
                    scenario = find(call.scenario_id)
                else:
                    scenario = scenarios[call.scenario_hash]
                    if scenario is None and find(call.scenario_id) is not None:
                        results.append(_problem(call, (
                            "its scenario file was not kept and the library's version differs "
                            "(rescore --against-library scores it on today's version)")))
                        continue
                results.append(_rescore(call, picks[call.id], events[call.id], scenario,
                                        rubric, replay))
    return results, skipped


def _base(call: Any) -> dict[str, Any]:
    return {"call_id": call.id, "trainee": call.trainee, "scenario_id": call.scenario_id,
            "started": call.started.strftime("%Y-%m-%d %H:%M"), "passed_before": call.passed,
            "rubric_before": call.rubric_version,
            "failures_before": tuple((call.failures or "").splitlines())}


def _problem(call: Any, problem: str) -> Rescored:
    return Rescored(**_base(call), problem=problem)


Replayed = tuple[Any, Any, Scorecard]
"""What a replay gives the comparison: the outcome, the level reached, the new scorecard."""


class _Replay:
    """`play` and score each distinct (scenario, picks) once.

    A call's score is a pure function of its scenario, its picks and the rubric (the module's
    premise), and the calls of a site follow far fewer paths than there are calls (a scenario
    has a few branches; at 100,000 calls most paths recur thousands of times): a path replayed
    again gives the same outcome, level and scorecard, so it is replayed once and reused. Each
    call is still compared with its own stored score, line by line."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.done: dict[tuple[int, tuple[Any, ...]], Replayed | str] = {}
        self.kept: dict[int, Scenario] = {}
        """The scenarios keyed by id(): kept alive, so an id is never reused while keyed."""
        self.hashes: dict[int, str] = {}

    def content_hash(self, scenario: Scenario) -> str:
        key = id(scenario)
        digest = self.hashes.get(key)
        if digest is None:
            self.kept[key] = scenario
            digest = self.hashes[key] = scenario.content_hash
        return digest

    def __call__(self, scenario: Scenario, picks: list[int | str | TypedPick]) -> Replayed | str:
        """(outcome, level, scorecard), or why the picks cannot be replayed."""
        key = (id(scenario), tuple(picks))
        got = self.done.get(key)
        if got is None:
            self.kept[id(scenario)] = scenario
            try:
                result = play(scenario, picks)
            except PickError as exc:
                got = str(exc)
            else:
                got = (result.outcome, result.level, result.score(self.rubric))
            if len(self.done) >= _PATHS:
                self.done.clear()  # a bound on memory; the paths met again are replayed again
            self.done[key] = got
        return got


_PATHS = 100_000
"""The most replayed paths kept at once."""


def _same(call: Any, events: list[Event], outcome: Any, level: Any, card: Scorecard) -> bool:
    """`_changes` would find nothing (the usual case, checked without building its dicts)."""
    if (call.outcome != outcome or call.overall != card.overall or call.passed != card.passed
            or (call.level is not None and call.level != level)):
        return False
    dims = card.dimensions
    for d in DIMENSIONS:
        if getattr(call, d) != dims[d]:
            return False
    fresh = card.events
    if len(fresh) != len(events):
        return False
    for e, (turn, dimension, points, _, rule) in zip(fresh, events, strict=True):
        if e.turn != turn or e.dimension != dimension or e.points != points or e.rule != rule:
            return False
    return True


def _rescore(call: Any, picks: list[int | str | TypedPick], events: list[Event],
             scenario: Scenario | None, rubric: Rubric, replay: _Replay) -> Rescored:
    base = _base(call)
    if scenario is None:
        return Rescored(**base, problem=f"scenario '{call.scenario_id}' not found "
                                        "(give its folder with --scenarios)")
    base.update(rubric_after=rubric.version,
                scenario_changed=replay.content_hash(scenario) != call.scenario_hash)
    got = replay(scenario, picks)
    if isinstance(got, str):
        return Rescored(**base, why=_why(call, events, scenario, rubric),
                        problem=f"cannot replay the stored picks: {got}")
    outcome, level, card = got
    if _same(call, events, outcome, level, card):
        return Rescored(**base, passed_after=card.passed, failures_after=card.failures)
    changes = _changes(_stored(call, events), _fresh(outcome, level, card))
    # why is said only of a call that differs: worked out (its seal checked) only then
    return Rescored(**base, changes=tuple(changes),
                    why=_why(call, events, scenario, rubric) if changes else "",
                    passed_after=card.passed, failures_after=card.failures,
                    card=card if changes else None)


def _why(call: Any, events: list[Event], scenario: Scenario, rubric: Rubric) -> str:
    """Which input changed since the call was scored: its stored score (the seal no longer
    holds), the scenario file, the rubric; else the scorer."""
    reasons = []
    if call.seal is None or call.seal != call_seal(call, events):
        reasons.append("the stored score does not match its seal: it was changed outside "
                       "Hotseat (hotseat verify)")
    if scenario.content_hash != call.scenario_hash:
        reasons.append(f"the scenario changed since (hash {call.scenario_hash[:8]} -> "
                       f"{scenario.content_hash[:8]})")
    if rubric.version != call.rubric_version:
        reasons.append(f"the rubric changed since ({call.rubric_version} -> {rubric.version})")
    return "; ".join(reasons) or "neither the scenario nor the rubric changed: the scorer did"


def adopt_scorecards(engine: Engine, viewer: Viewer, results: Iterable[Rescored]) -> int:
    """Keep the new scorecard of every call that rescored differently, beside its own (never
    in place), sealed, saying who adopted it and when; return how many. Admins only."""
    if viewer.role != "admin":
        raise Refused(f"{viewer.name} is a {viewer.role}: only an admin adopts new scorecards")
    adopted = 0
    with writing(engine) as session:
        for r in results:
            if r.card is None or not r.changes:
                continue
            card = r.card
            row = StoredScorecard(call_id=r.call_id, rubric_version=card.rubric,
                            overall=card.overall, passed=card.passed,
                            empathy=card.dimensions["empathy"],
                            resolution=card.dimensions["resolution"],
                            escalation=card.dimensions["escalation"],
                            policy=card.dimensions["policy"],
                            failures="\n".join(card.failures) or None,
                            events=json.dumps([[e.turn, e.dimension, e.points, e.reason, e.rule]
                                               for e in card.events], ensure_ascii=False),
                            made_by=viewer.name, made_at=utcnow())
            row.seal = scorecard_seal(row)
            session.add(row)
            adopted += 1
    return adopted
