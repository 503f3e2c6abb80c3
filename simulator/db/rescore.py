"""Recompute stored calls from their transcripts and compare with what was stored.

The score of a call is a pure function of (scenario, picks, rubric): the picks are the stored
trainee lines' option positions, the scenario is found by id, the rubric is today's. A
difference says whether the scenario file (by its content hash) or the rubric version changed
since the call was scored; when neither did, the scorer's code did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from scoring import DIMENSIONS, Rubric, Scorecard
from scoring.rubric import default_rubric

from ..call import PickError, play
from .tables import Call, CallEvent, Trainee, Turn

__all__ = ["Rescored", "rescore_calls"]


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

    @property
    def differs(self) -> bool:
        return bool(self.changes) or self.problem is not None


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


def rescore_calls(engine: Engine, find: Callable[[str], Any], *,
                  trainee: str | None = None, rubric: Rubric | None = None
                  ) -> tuple[list[Rescored], int]:
    """Rescore every finished, scored call; return the results and how many were skipped
    (calls under way, or interrupted ones that were never scored).

    `find(scenario_id)` returns the scenario to replay (or None).
    """
    rubric = rubric or default_rubric()
    query = (select(Call, Trainee.name).join(Trainee, col(Trainee.id) == col(Call.trainee_id))
             .order_by(col(Call.id)))
    if trainee is not None:
        query = query.where(Trainee.name == trainee)
    results: list[Rescored] = []
    skipped = 0
    with Session(engine) as session:
        for call, name in session.exec(query).all():
            if call.ended is None or call.overall is None:
                skipped += 1
                continue
            turns = session.exec(select(Turn).where(Turn.call_id == call.id)
                                 .order_by(col(Turn.idx))).all()
            events = session.exec(select(CallEvent).where(CallEvent.call_id == call.id)
                                  .order_by(col(CallEvent.seq))).all()
            results.append(_rescore(call, name, list(turns), list(events), find, rubric))
    return results, skipped


def _rescore(call: Call, name: str, turns: list[Turn], events: list[CallEvent],
             find: Callable[[str], Any], rubric: Rubric) -> Rescored:
    assert call.id is not None
    base: dict[str, Any] = {"call_id": call.id, "trainee": name,
                            "scenario_id": call.scenario_id,
                            "started": call.started.strftime("%Y-%m-%d %H:%M")}
    scenario = find(call.scenario_id)
    if scenario is None:
        return Rescored(**base, problem=f"scenario '{call.scenario_id}' not found "
                                        "(give its folder with --scenarios)")
    reasons = []
    if scenario.content_hash != call.scenario_hash:
        reasons.append(f"the scenario changed since (hash {call.scenario_hash[:8]} -> "
                       f"{scenario.content_hash[:8]})")
    if rubric.version != call.rubric_version:
        reasons.append(f"the rubric changed since ({call.rubric_version} -> {rubric.version})")
    why = "; ".join(reasons) or "neither the scenario nor the rubric changed: the scorer did"
    picks: list[int | str] = [t.option for t in turns
                              if t.speaker == "trainee" and t.option is not None]
    try:
        result = play(scenario, picks)
    except PickError as exc:
        return Rescored(**base, why=why, problem=f"cannot replay the stored picks: {exc}")
    card = result.score(rubric)
    changes = _changes(_stored(call, events), _fresh(result.outcome, result.level, card))
    return Rescored(**base, changes=tuple(changes), why=why if changes else "")
