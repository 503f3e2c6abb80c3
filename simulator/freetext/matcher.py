"""The decision on a typed reply: which authored option it plays, or none of them.

Given the similarities of the reply to the node's options, best first:

- `none` when the best is below the engine's `none` threshold (the customer reacts as the
  node's `unmatched:` says);
- `match` when the best is at or above `match` and ahead of the second by at least `margin`:
  that option is played;
- `confirm` otherwise (the uncertain band): the two closest are shown and the rep confirms one
  or types again. Scripted play (`play --say`) takes the best.

The thresholds are per engine, in thresholds.toml, written by tools/calibrate_freetext.py.
"""

from __future__ import annotations

import tomllib
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any

from ..scenario import Scenario
from .engines import Engine, EngineError, load_engine

__all__ = ["TEXT_MAX", "Candidate", "Decision", "Match", "ScenarioMatcher", "Thresholds",
           "certifies", "load_thresholds", "matcher_for"]

TEXT_MAX = 2000
"""The longest typed reply, in characters."""


class Decision(StrEnum):
    MATCH = "match"
    CONFIRM = "confirm"
    NONE = "none"


@dataclass(frozen=True)
class Thresholds:
    match: float
    """At or above it (and `margin` ahead of the second) the best option is played."""
    none: float
    """Below it the reply is none of the options."""
    margin: float
    """How far the best must be ahead of the second to be played without asking."""

    def decide(self, similarities: list[float]) -> Decision:
        ranked = sorted(similarities, reverse=True)
        if not ranked or ranked[0] < self.none:
            return Decision.NONE
        second = ranked[1] if len(ranked) > 1 else -1.0
        if ranked[0] >= self.match and ranked[0] - second >= self.margin:
            return Decision.MATCH
        return Decision.CONFIRM


def load_thresholds(engine: str, text: str | None = None) -> Thresholds:
    """The thresholds of `engine` from thresholds.toml (or from `text`, a TOML document)."""
    if text is None:
        text = resources.files(__package__).joinpath("thresholds.toml").read_text("utf-8")
    table: dict[str, Any] = tomllib.loads(text).get(engine, {})
    try:
        return Thresholds(match=float(table["match"]), none=float(table["none"]),
                          margin=float(table["margin"]))
    except (KeyError, TypeError, ValueError):
        raise EngineError(f"thresholds.toml: no complete [{engine}] table "
                          "(match, none, margin)") from None


def certifies(engine: str, text: str | None = None) -> bool:
    """Whether free-text exams matched by `engine` count for certification: only when its
    [engine] table in thresholds.toml (or `text`) says `certifies = true`, which the engine earns
    by meeting issue 15's bar on the evaluation set (top-1 >= 0.95, each language >= 0.90,
    wrong auto-plays <= 3%, none replies never auto-played in >= 90%; tests/test_freetext_exam.py
    measures it again). The lexical fallback matches spelling, not meaning, and does not."""
    if text is None:
        text = resources.files(__package__).joinpath("thresholds.toml").read_text("utf-8")
    return tomllib.loads(text).get(engine, {}).get("certifies") is True


@dataclass(frozen=True)
class Candidate:
    option: int
    """The authored 1-based position."""
    id: str | None
    similarity: float

    def as_json(self) -> dict[str, Any]:
        return {"option": self.option, "id": self.id, "similarity": round(self.similarity, 4)}


@dataclass(frozen=True)
class Match:
    text: str
    decision: Decision
    candidates: tuple[Candidate, ...]
    """Every option of the node, closest first."""
    engine: str

    @property
    def option(self) -> int | None:
        """The option played without asking (a `match`), else None."""
        return self.candidates[0].option if self.decision == Decision.MATCH else None

    @property
    def best(self) -> Candidate:
        return self.candidates[0]

    @property
    def closest(self) -> tuple[Candidate, ...]:
        """What the uncertain band shows: the two closest."""
        return self.candidates[:2]

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "decision": str(self.decision), "option": self.option,
                "candidates": [c.as_json() for c in self.candidates], "engine": self.engine}


class ScenarioMatcher:
    """Matches typed replies at any node of one scenario. Every node's option vectors are
    computed once, in one batch, when the matcher is made, and kept for its life."""

    def __init__(self, scenario: Scenario, engine: Engine | None = None,
                 thresholds: Thresholds | None = None) -> None:
        self.scenario = scenario
        self.engine = engine or load_engine()
        self.thresholds = thresholds or load_thresholds(self.engine.name)
        texts: list[str] = []
        self._spans: dict[str, tuple[int, int]] = {}
        for name, node in scenario.nodes.items():
            options = node.options or []
            self._spans[name] = (len(texts), len(texts) + len(options))
            texts += [o.say for o in options]
        every = self.engine.prepare(texts) if texts else []
        self._prepared: dict[str, Any] = {
            name: every[a:b] for name, (a, b) in self._spans.items() if b > a}

    @property
    def fallback(self) -> bool:
        return self.engine.fallback

    def match(self, node: str, text: str) -> Match:
        """The decision on `text` typed at `node`; ValueError for an unknown or end node or an
        empty or overlong text."""
        if node not in self.scenario.nodes:
            raise ValueError(f"scenario '{self.scenario.id}' has no node '{node}'")
        if node not in self._prepared:
            raise ValueError(f"node '{node}' ends the call: it has no replies to match")
        if not text.strip():
            raise ValueError("nothing was typed")
        if len(text) > TEXT_MAX:
            raise ValueError(f"a reply is at most {TEXT_MAX} characters (this one has "
                             f"{len(text)})")
        options = self.scenario.nodes[node].options or []
        sims = self.engine.similarities(text, self._prepared[node])
        ranked = sorted(range(len(options)), key=lambda i: (-sims[i], i))
        candidates = tuple(Candidate(i + 1, options[i].id, sims[i]) for i in ranked)
        return Match(text, self.thresholds.decide(sims), candidates, self.engine.name)


_cache: OrderedDict[tuple[str, int, str], ScenarioMatcher] = OrderedDict()
CACHE_SIZE = 8


def matcher_for(scenario: Scenario, engine: Engine | None = None) -> ScenarioMatcher:
    """The matcher of a loaded scenario, made on first use and kept (the last few scenarios)."""
    engine = engine or load_engine()
    key = (engine.name, id(scenario), scenario.content_hash)
    found = _cache.get(key)
    if found is None or found.scenario is not scenario:
        found = _cache[key] = ScenarioMatcher(scenario, engine)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    _cache.move_to_end(key)
    return found
