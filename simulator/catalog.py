"""Filtering the scenario library (pure: no Textual, no database)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.scenario import Scenario

__all__ = ["Filters", "choices", "filter_scenarios", "recommend"]


@dataclass(frozen=True)
class Filters:
    """What the rep narrowed the library to; None means any."""

    persona: str | None = None
    problem: str | None = None
    difficulty: int | None = None
    locale: str | None = None
    search: str = ""


def _haystack(s: Scenario) -> str:
    return " ".join((s.id, s.title, s.summary or "", s.customer.name, s.persona,
                     s.problem or "")).lower()


def filter_scenarios(scenarios: Iterable[Scenario], f: Filters) -> list[Scenario]:
    """The scenarios matching every filter, each search word anywhere in the scenario's text."""
    words = f.search.lower().split()
    return [s for s in scenarios
            if (f.persona is None or s.persona == f.persona)
            and (f.problem is None or s.problem == f.problem)
            and (f.difficulty is None or s.difficulty == f.difficulty)
            and (f.locale is None or s.locale == f.locale)
            and all(w in _haystack(s) for w in words)]


def choices(scenarios: Iterable[Scenario]) -> dict[str, list[str | int]]:
    """The values each filter can take in this library, sorted."""
    items = list(scenarios)
    return {
        "persona": sorted({s.persona for s in items}),
        "problem": sorted({s.problem for s in items if s.problem}),
        "difficulty": sorted({s.difficulty for s in items}),
        "locale": sorted({s.locale for s in items}),
    }


def recommend(scenarios: list[Scenario], calls: list[Any],
              proposed: str | None = None) -> tuple[Scenario, str] | None:
    """The next call to take, and why: a refresher the tracks propose, else the easiest
    scenario not yet passed, else the one with the lowest best score."""
    by_id = {s.id: s for s in scenarios}
    if proposed and proposed in by_id:
        return by_id[proposed], "needed for certification"
    if not scenarios:
        return None
    best: dict[str, int] = {}
    for c in calls:
        if getattr(c, "overall", None) is not None and getattr(c, "passed", False):
            best[c.scenario_id] = max(best.get(c.scenario_id, 0), int(c.overall))
    tried = {c.scenario_id for c in calls}
    ordered = sorted(scenarios, key=lambda s: (s.difficulty, s.title))
    for s in ordered:
        if s.id not in best:
            return s, ("not passed yet" if s.id in tried else "new to you")
    weakest = min(ordered, key=lambda s: best[s.id])
    return weakest, f"your lowest passing score ({best[weakest.id]})"
