"""The evaluation set of free-text replies and the figures an engine earns on it.

The set is a YAML file (tests/fixtures/freetext/eval.yaml): for each `SCENARIO/NODE` of a
library, cases `[LANG, EXPECT, SIGNALS, TEXT]`, where EXPECT is the authored 1-based position
the reply means or `none`, and SIGNALS what its words do (for the detectors). Used by
tools/calibrate_freetext.py and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..scenario import Scenario
from .matcher import Decision, Match, ScenarioMatcher, Thresholds

__all__ = ["SIGNALS", "Case", "Figures", "Scored", "figures", "load_cases", "score_cases"]

SIGNALS = ("apology", "acknowledgement", "blame", "vague_promise", "policy_refusal")


@dataclass(frozen=True)
class Case:
    scenario: str
    node: str
    lang: str
    expect: int | None
    """The authored 1-based position meant, or None for a reply that means none of them."""
    signals: frozenset[str]
    text: str
    mixed: bool
    """Typed in another language than the scenario's."""


def load_cases(path: Path, scenarios: Iterable[Scenario]) -> list[Case]:
    """The cases of the set, checked against the scenarios (ValueError says where)."""
    by_id = {s.id: s for s in scenarios}
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases: list[Case] = []
    for key, rows in data["nodes"].items():
        sid, _, nid = key.partition("/")
        scenario = by_id.get(sid)
        if scenario is None or nid not in scenario.nodes:
            raise ValueError(f"{path}: {key}: no such scenario node")
        count = len(scenario.nodes[nid].options or [])
        for row in rows:
            lang, expect, signals, text = row
            if expect != "none" and not (isinstance(expect, int) and 1 <= expect <= count):
                raise ValueError(f"{path}: {key}: {expect!r} is not an option (1..{count})")
            unknown = set(signals) - set(SIGNALS)
            if unknown:
                raise ValueError(f"{path}: {key}: unknown signals {sorted(unknown)}")
            cases.append(Case(sid, nid, lang, None if expect == "none" else expect,
                              frozenset(signals), text, lang != scenario.locale))
    return cases


@dataclass(frozen=True)
class Scored:
    case: Case
    match: Match


def score_cases(cases: Iterable[Case], matchers: dict[str, ScenarioMatcher]) -> list[Scored]:
    """Each case matched by the matcher of its scenario."""
    return [Scored(c, matchers[c.scenario].match(c.node, c.text)) for c in cases]


@dataclass(frozen=True)
class Figures:
    replies: int
    top1: float
    """Replies meaning an option whose best candidate is it and that were not decided none
    (a confirm with the right best candidate counts)."""
    none_never_played: float
    """None replies that were not played as an option without asking."""
    none_detected: float
    """None replies decided none."""
    wrong_autoplays: float
    """Replies played as an option they do not mean, without asking, over all replies."""
    confirms: float
    """Replies that asked (the uncertain band), over all replies."""
    per_language: dict[str, float]
    """top1 per language typed."""

    @property
    def meets_bar(self) -> bool:
        """Issue 15's bar, which an engine must meet for its free-text exams to count
        (thresholds.toml's `certifies`): top-1 >= 0.95, each language >= 0.90, wrong auto-plays
        <= 3% of replies, none replies never auto-played in >= 90% of cases."""
        return (self.top1 >= 0.95 and all(v >= 0.90 for v in self.per_language.values())
                and self.wrong_autoplays <= 0.03 and self.none_never_played >= 0.90)

    def lines(self) -> list[str]:
        langs = ", ".join(f"{k} {v:.3f}" for k, v in sorted(self.per_language.items()))
        return [f"replies {self.replies}", f"top-1 {self.top1:.3f} ({langs})",
                f"none never auto-played {self.none_never_played:.3f}, "
                f"decided none {self.none_detected:.3f}",
                f"wrong auto-plays {self.wrong_autoplays:.3f}",
                f"asked to confirm {self.confirms:.3f}"]


def _decide(s: Scored, thresholds: Thresholds | None) -> Decision:
    if thresholds is None:
        return s.match.decision
    sims = [c.similarity for c in s.match.candidates]
    return thresholds.decide(sims)


def figures(scored: list[Scored], thresholds: Thresholds | None = None) -> Figures:
    """The figures of matched cases (decided again with `thresholds` when given)."""
    positives = [s for s in scored if s.case.expect is not None]
    negatives = [s for s in scored if s.case.expect is None]

    def right(s: Scored) -> bool:
        return (_decide(s, thresholds) != Decision.NONE
                and s.match.best.option == s.case.expect)

    def wrong_play(s: Scored) -> bool:
        return (_decide(s, thresholds) == Decision.MATCH
                and s.match.best.option != s.case.expect)

    langs = sorted({s.case.lang for s in positives})
    per = {lang: _share([right(s) for s in positives if s.case.lang == lang]) for lang in langs}
    return Figures(
        replies=len(scored),
        top1=_share([right(s) for s in positives]),
        none_never_played=_share([_decide(s, thresholds) != Decision.MATCH for s in negatives]),
        none_detected=_share([_decide(s, thresholds) == Decision.NONE for s in negatives]),
        wrong_autoplays=_share([wrong_play(s) for s in scored]),
        confirms=_share([_decide(s, thresholds) == Decision.CONFIRM for s in scored]),
        per_language=per)


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 1.0


@dataclass(frozen=True)
class DetectorFigures:
    signal: str
    precision: float
    """On the evaluation set: of the replies it fired on, the share labelled with its signal."""
    recall: float
    fired: int
    library_precision: float | None
    """On the bundled library's own options, held out (the patterns were not written against
    them): of the options it fired on, the share whose tags include its tag."""


def detector_figures(cases: Iterable[Case], scenarios: Iterable[Scenario]) -> list[DetectorFigures]:
    """Each detector's precision and recall on the set, and its precision on the options."""
    from .detectors import DETECTORS, found

    cases = list(cases)
    options = [o for s in scenarios for n in s.nodes.values() for o in (n.options or [])]
    out = []
    for d in DETECTORS:
        fired = [c for c in cases if d.signal in found(c.text)]
        labelled = [c for c in cases if d.signal in c.signals]
        hits = sum(d.signal in c.signals for c in fired)
        library: float | None = None
        if d.tag is not None:
            on = [o for o in options if d.signal in found(o.say)]
            library = _share([d.tag in o.tags for o in on])
        out.append(DetectorFigures(d.signal, _share([d.signal in c.signals for c in fired]),
                                   hits / len(labelled) if labelled else 1.0, len(fired),
                                   library))
    return out
