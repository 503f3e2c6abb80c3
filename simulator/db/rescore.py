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

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from scoring import DIMENSIONS, Rubric, Scorecard
from scoring.rubric import default_rubric

from ..call import PickError, play
from ..scenario import Scenario, load_bytes
from .calls import writing
from .people import SYSTEM, Refused, Viewer, normalise, visible
from .seal import call_seal, scorecard_seal
from .tables import Call, CallEvent, ScenarioSource, Trainee, Turn, utcnow
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
    """The new scorecard, for `adopt_scorecards`."""

    @property
    def differs(self) -> bool:
        return bool(self.changes) or self.problem is not None

    @property
    def pass_changed(self) -> bool:
        """Passed before and fails now, or the other way round."""
        return self.passed_after is not None and self.passed_after != self.passed_before


def _stored(call: Call, events: list[CallEvent]) -> dict[str, Any]:
    return {"outcome": call.outcome, "level": call.level, "overall": call.overall,
            "passed": call.passed, **{d: getattr(call, d) for d in DIMENSIONS},
            "events": [(e.turn, e.dimension, e.points, e.rule) for e in events]}


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


class _Sources:
    """The stored scenario files, each parsed once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.parsed: dict[str, Scenario | None] = {}

    def get(self, digest: str) -> Scenario | None:
        if digest not in self.parsed:
            row = self.session.get(ScenarioSource, digest)
            scenario = None
            if row is not None:
                scenario, _ = load_bytes(row.source.encode("utf-8"),
                                         f"{row.scenario_id} (stored {digest[:12]})")
            self.parsed[digest] = scenario
        return self.parsed[digest]


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
    """
    rubric = rubric or default_rubric()
    query = (select(Call, Trainee.name).join(Trainee, col(Trainee.id) == col(Call.trainee_id))
             .where(visible(viewer)).order_by(col(Call.id)))
    if trainee is not None:
        query = query.where(Trainee.name == normalise(trainee))
    results: list[Rescored] = []
    skipped = 0
    with Session(engine) as session:
        sources = _Sources(session)
        for call, name in session.exec(query).all():
            if call.ended is None or call.overall is None:
                skipped += 1
                continue
            turns = session.exec(select(Turn).where(Turn.call_id == call.id)
                                 .order_by(col(Turn.idx))).all()
            events = session.exec(select(CallEvent).where(CallEvent.call_id == call.id)
                                  .order_by(col(CallEvent.seq))).all()
            if against_library:
                scenario = find(call.scenario_id)
            else:
                scenario = sources.get(call.scenario_hash)
                if scenario is None:
                    found = find(call.scenario_id)
                    if found is not None and found.content_hash == call.scenario_hash:
                        scenario = found
                    elif found is not None:
                        results.append(_problem(call, name, (
                            "its scenario file was not kept and the library's version differs "
                            "(rescore --against-library scores it on today's version)")))
                        continue
            results.append(_rescore(call, name, list(turns), list(events), scenario, rubric))
    return results, skipped


def _base(call: Call, name: str) -> dict[str, Any]:
    assert call.id is not None
    return {"call_id": call.id, "trainee": name, "scenario_id": call.scenario_id,
            "started": call.started.strftime("%Y-%m-%d %H:%M"), "passed_before": call.passed,
            "rubric_before": call.rubric_version,
            "failures_before": tuple((call.failures or "").splitlines())}


def _problem(call: Call, name: str, problem: str) -> Rescored:
    return Rescored(**_base(call, name), problem=problem)


def _rescore(call: Call, name: str, turns: list[Turn], events: list[CallEvent],
             scenario: Scenario | None, rubric: Rubric) -> Rescored:
    base = _base(call, name)
    if scenario is None:
        return Rescored(**base, problem=f"scenario '{call.scenario_id}' not found "
                                        "(give its folder with --scenarios)")
    reasons = []
    base.update(rubric_after=rubric.version,
                scenario_changed=scenario.content_hash != call.scenario_hash)
    if scenario.content_hash != call.scenario_hash:
        reasons.append(f"the scenario changed since (hash {call.scenario_hash[:8]} -> "
                       f"{scenario.content_hash[:8]})")
    if rubric.version != call.rubric_version:
        reasons.append(f"the rubric changed since ({call.rubric_version} -> {rubric.version})")
    stored = [(e.turn, e.dimension, e.points, e.reason, e.rule) for e in events]
    if call.seal is None or call.seal != call_seal(call, stored):
        reasons.insert(0, "the stored score does not match its seal: it was changed outside "
                          "Hotseat (hotseat verify)")
    why = "; ".join(reasons) or "neither the scenario nor the rubric changed: the scorer did"
    picks: list[int | str] = [t.option for t in turns
                              if t.speaker == "trainee" and t.option is not None]
    try:
        result = play(scenario, picks)
    except PickError as exc:
        return Rescored(**base, why=why, problem=f"cannot replay the stored picks: {exc}")
    card = result.score(rubric)
    changes = _changes(_stored(call, events), _fresh(result.outcome, result.level, card))
    return Rescored(**base, changes=tuple(changes), why=why if changes else "",
                    passed_after=card.passed, failures_after=card.failures, card=card)


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
