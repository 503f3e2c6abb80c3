"""Every path of a scenario: walked from its start, each trainee pick at each node, scored.

The trainer's proof that a bad path cannot pass. `explore` walks the scenario's tree depth first,
in authored order, and scores every path that ends (at an `end:` node, or by a walkout at the
breaking point) with the real scorer. It reports how many paths there are; for each dimension
and `overall` the lowest and highest score some path reaches, with the picks of a path that
reaches it (the shortest, then the first in authored order); which steps and ends are reachable;
and a warning for each kind of path that PASSES while it lies, hides behind policy, breaks the
policy card, loses the customer or misses a needed escalation (one warning per kind, naming the
first such path).

Cycles are bounded: on one path a node may be revisited at most `revisits` times; a pick that
would go further is cut (and counted, and said). A path is scored only when it ends: the bounds
are over the calls a trainee can finish.

Why every path is scored rather than memoised by (node, state): the scorer is not additive over
turns. A dimension is clamped to 0..100, repair credits are capped by the damage done before them,
and whole-call rules (a step never taken, the mood at the end, a hand-off that was due) look at
the call as a whole, so the best or worst finish from a node depends on the whole way there. The
walk keeps its own state incrementally (one move forward, one back: no call replayed from the
start), and a scenario with more than `max_paths` ending paths is explored up to that many, the
report saying "explored N of at least M paths".

The moves follow the call engine (simulator/call.py, `Call.choose`): mood, then step, then
escalation, then the breaking point. tests/test_paths.py plays paths through the engine and
compares the facts, so the two cannot drift apart unnoticed.

Pure: no database, no UI.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from scoring import DIMENSIONS, CallFacts, Scorecard, TurnFacts, score
from scoring.rubric import Rubric
from scoring.vocabulary import ESCALATION_LEVEL, STEPS, End, Level, Outcome, Step

from .scenario import Diagnostic, Option, Scenario
from .scenario.diagnostics import Path as KeyPath

__all__ = ["KINDS", "MAX_PATHS", "MAX_REVISITS", "Bound", "Exploration", "Path", "explore",
           "format_picks", "walk"]

MAX_REVISITS = 2
"""On one path a node may be revisited at most this many times (so entered at most 3 times)."""
MAX_PATHS = 20_000
"""Ending paths scored per scenario; past it the walk only counts (up to COUNT_LIMIT)."""
COUNT_LIMIT = 1_000_000
"""Past this many ending paths the count stops too: "at least M"."""
SCORES = ("overall", *DIMENSIONS)

KINDS: dict[str, str] = {
    "lie": "lies (a reply tagged lie)",
    "weaponise_policy": "hides behind policy (a reply tagged weaponise_policy)",
    "overpromise": "breaks the policy card (a reply tagged overpromise)",
    "lost": "loses the customer (outcome lost)",
    "missing_escalation": "misses a needed escalation (missing_escalation)",
}
"""The kinds of path that must never pass, in the order they are reported."""
TAG_KINDS = ("lie", "weaponise_policy", "overpromise")

Pick = int | str


def format_picks(picks: tuple[Pick, ...] | list[Pick]) -> str:
    """Picks as `play --choose` reads them: `1,2,refund`."""
    return ",".join(str(p) for p in picks)


@dataclass(frozen=True)
class Path:
    """One path that ends: its picks and the facts the scorer reads."""

    picks: tuple[Pick, ...]
    """One pick per trainee turn: the option's id when it has one, else its 1-based position."""
    options: tuple[tuple[str, int], ...]
    """(node, 0-based option index) of each pick, to point at it in the file."""
    facts: CallFacts
    steps: tuple[Step, ...]
    """The steps taken on this path, in the order first taken."""
    end_node: str
    """The node the call ended at (for a walkout, the node whose reply was the last straw)."""


@dataclass(frozen=True)
class Bound:
    min: int
    max: int
    min_picks: tuple[Pick, ...]
    max_picks: tuple[Pick, ...]


@dataclass
class Walk:
    """What the walk counted besides the paths it yields."""

    cut: int = 0
    """Picks not followed: they would revisit a node more than the bound allows."""
    cut_nodes: set[str] = field(default_factory=set)
    ended: int = 0
    """Ending paths found (scored or only counted)."""
    complete: bool = True
    """False when the count stopped at COUNT_LIMIT."""


@dataclass
class Exploration:
    scenario: Scenario
    paths: int = 0
    """Ending paths scored."""
    at_least: int = 0
    """Ending paths found: equal to `paths` unless the cap stopped the scoring."""
    counted_all: bool = True
    """False when even the count stopped: there are more than `at_least`."""
    revisits: int = MAX_REVISITS
    cut: int = 0
    """Picks cut by the cycle bound."""
    bounds: dict[str, Bound] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    """The steps some ending path takes, in the order of the four steps."""
    ends: tuple[str, ...] = ()
    """The outcomes some path reaches: resolved, escalated, lost; incomplete when some node
    reachable from start can reach no end."""
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        return self.paths < self.at_least or not self.counted_all

    def summary(self) -> str:
        """`30 paths`, `explored 20000 of at least 31250 paths`, with the cycle bound if any."""
        if self.capped:
            more = "at least " if not self.counted_all else ""
            text = f"explored {self.paths} of {more}{self.at_least} paths"
        else:
            text = f"{self.paths} path{'s' * (self.paths != 1)}"
        if self.cut:
            text += (f" (cycles bounded: {self.cut} pick{'s' * (self.cut != 1)} not followed, "
                     f"a node is revisited at most {self.revisits} time"
                     f"{'s' * (self.revisits != 1)} on one path)")
        return text

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.scenario.file,
            "paths": self.paths,
            "at_least": self.at_least if self.counted_all else None,
            "capped": self.capped,
            "cut": self.cut,
            "revisits": self.revisits,
            "bounds": {name: {"min": b.min, "max": b.max, "min_picks": list(b.min_picks),
                              "max_picks": list(b.max_picks)}
                       for name, b in self.bounds.items()},
            "steps": [str(s) for s in self.steps],
            "ends": list(self.ends),
            "warnings": [str(w) for w in self.warnings],
        }


def walk(s: Scenario, revisits: int = MAX_REVISITS, *, stats: Walk | None = None,
         limit: int | None = None) -> Iterator[Path]:
    """Every ending path of `s`, depth first in authored order.

    After `limit` paths the walk goes on counting in `stats` without building them (up to
    COUNT_LIMIT). Assumes a scenario that loaded (every `next` and `start` exists).
    """
    stats = stats if stats is not None else Walk()
    start_level = s.start_level
    breaking = s.customer.breaking_point

    def facts(outcome: Outcome, end_level: Level, mood_end: int, done: tuple[TurnFacts, ...],
              walked_out: bool = False) -> CallFacts:
        return CallFacts(seat=s.seat, needs=s.escalation, start_level=start_level,
                         outcome=outcome, end_level=end_level, mood_start=s.customer.mood,
                         mood_end=mood_end, turns=done, walked_out=walked_out)

    turns: list[TurnFacts] = []
    picks: list[Pick] = []
    chosen: list[tuple[str, int]] = []
    visits: Counter[str] = Counter({s.start: 1})
    # a frame: the node, the next option to try there, and the state on arriving
    frames: list[tuple[str, list[int], int, tuple[Step, ...], Level]] = [
        (s.start, [0], s.customer.mood, (), start_level)]
    first = s.nodes[s.start].end
    if first is not None:  # a one-node call: it ends before any pick
        stats.ended += 1
        level = Level.LOST if first == End.LOST else start_level
        yield Path((), (), facts(Outcome(first), level, s.customer.mood, ()), (), s.start)
        return
    while frames:
        name, cursor, mood, steps, level = frames[-1]
        node = s.nodes[name]
        options = node.options or []
        if cursor[0] >= len(options):
            frames.pop()
            if frames:  # step back out of this node
                turns.pop()
                picks.pop()
                chosen.pop()
                visits[name] -= 1
            continue
        index = cursor[0]
        cursor[0] += 1
        option = options[index]
        # the engine's order: mood, step, escalation; then the breaking point
        after = max(0, min(10, mood + option.mood))
        skipped: tuple[Step, ...] = ()
        taken = steps
        if option.step is not None and option.step not in steps:
            skipped = tuple(x for x in STEPS[:STEPS.index(option.step)] if x not in steps)
            taken = steps + (option.step,)
        raised = max(level, ESCALATION_LEVEL[option.escalate]) if option.escalate else level
        target = s.nodes[option.next]
        walked = after >= breaking
        if not walked and target.end is None and visits[option.next] > revisits:
            stats.cut += 1
            stats.cut_nodes.add(option.next)
            continue
        if not walked and target.end is None:  # one move forward
            turns.append(_turn(len(turns) + 1, name, node.asks_supervisor, option, level,
                               raised, skipped, mood, after))
            picks.append(option.id or index + 1)
            chosen.append((name, index))
            visits[option.next] += 1
            frames.append((option.next, [0], after, taken, raised))
            continue
        stats.ended += 1
        if limit is not None and stats.ended > limit:
            if stats.ended >= COUNT_LIMIT:
                stats.complete = False
                return
            continue
        last = _turn(len(turns) + 1, name, node.asks_supervisor, option, level, raised,
                     skipped, mood, after)
        if walked or target.end is None:  # (not walked: the target is an end, see above)
            outcome, end_level, end_node = Outcome.LOST, Level.LOST, name
        else:
            outcome = Outcome(target.end)
            end_level = Level.LOST if target.end == End.LOST else raised
            end_node = option.next
        yield Path((*picks, option.id or index + 1), (*chosen, (name, index)),
                   facts(outcome, end_level, after, (*turns, last), walked), taken, end_node)


def _turn(number: int, node: str, asks: bool, option: Option, before: Level, after: Level,
          skipped: tuple[Step, ...], mood_before: int, mood_after: int) -> TurnFacts:
    return TurnFacts(turn=number, node=node, tags=tuple(option.tags), step=option.step,
                     escalate=option.escalate, level_before=before, level_after=after,
                     asks_supervisor=asks, skipped=skipped, mood_before=mood_before,
                     mood_after=mood_after)


def _trapped(s: Scenario) -> list[str]:
    """Nodes reachable from start from which no `end:` node can be reached."""
    reached: set[str] = set()
    todo = [s.start]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(o.next for o in s.nodes[name].options or [])
    ends = {n for n, node in s.nodes.items() if node.end is not None}
    into: dict[str, list[str]] = {}
    for name, node in s.nodes.items():
        for o in node.options or []:
            into.setdefault(o.next, []).append(name)
    can_end = set(ends)
    todo = list(ends)
    while todo:
        for before in into.get(todo.pop(), []):
            if before not in can_end:
                can_end.add(before)
                todo.append(before)
    return [n for n in s.nodes if n in reached and n not in can_end]


def _kinds(path: Path, card: Scorecard) -> list[tuple[str, KeyPath, bool]]:
    """The kinds of bad path this is, each with where to point in the file (and whether at the
    key)."""
    found: list[tuple[str, KeyPath, bool]] = []
    for kind in TAG_KINDS:
        for turn, (node, index) in zip(path.facts.turns, path.options, strict=True):
            if kind in turn.tags:
                found.append((kind, ("nodes", node, "options", index), False))
                break
    if path.facts.outcome == Outcome.LOST:
        if path.facts.walked_out:
            node, index = path.options[-1]
            found.append(("lost", ("nodes", node, "options", index), False))
        else:
            found.append(("lost", ("nodes", path.end_node), True))
    if any(e.rule == "missing_escalation" for e in card.events):
        found.append(("missing_escalation", ("escalation",), False))
    order = list(KINDS)
    return sorted(found, key=lambda f: order.index(f[0]))


def explore(s: Scenario, rubric: Rubric | None = None, *, revisits: int = MAX_REVISITS,
            max_paths: int = MAX_PATHS,
            judge: Callable[[CallFacts], Scorecard] | None = None) -> Exploration:
    """Walk and score every path of a scenario that loaded without errors.

    `judge` scores a path (default: the scorer with `rubric`); tests give another to show what
    the explorer reports of a path that passes.
    """
    judge = judge or (lambda facts: score(facts, rubric))
    stats = Walk()
    lows: dict[str, tuple[int, tuple[Pick, ...]]] = {}
    highs: dict[str, tuple[int, tuple[Pick, ...]]] = {}
    steps: set[Step] = set()
    ends: set[str] = set()
    bad: dict[str, tuple[Path, Scorecard, KeyPath, bool]] = {}
    bad_count: Counter[str] = Counter()
    paths = 0
    for path in walk(s, revisits, stats=stats, limit=max_paths):
        paths += 1
        card = judge(path.facts)
        values = {"overall": card.overall, **card.dimensions}
        for name in SCORES:  # on a tie the shorter path, then the first in authored order
            value, size = values[name], len(path.picks)
            if name not in lows or (value, size) < (lows[name][0], len(lows[name][1])):
                lows[name] = (value, path.picks)
            if name not in highs or (-value, size) < (-highs[name][0], len(highs[name][1])):
                highs[name] = (value, path.picks)
        steps.update(path.steps)
        ends.add(str(path.facts.outcome))
        if card.passed:
            for kind, where, key in _kinds(path, card):
                bad_count[kind] += 1
                bad.setdefault(kind, (path, card, where, key))
    trapped = _trapped(s)
    if trapped:
        ends.add(str(Outcome.INCOMPLETE))
    out = Exploration(
        scenario=s, paths=paths, at_least=stats.ended, counted_all=stats.complete,
        revisits=revisits, cut=stats.cut,
        bounds={name: Bound(lows[name][0], highs[name][0], lows[name][1], highs[name][1])
                for name in SCORES if name in lows},
        steps=tuple(x for x in STEPS if x in steps),
        ends=tuple(o for o in Outcome if o in ends),
    )
    marks = s.marks
    for kind in KINDS:
        if kind not in bad:
            continue
        path, card, where, key = bad[kind]
        others = bad_count[kind] - 1
        more = f"; {others} more passing path{'s' * (others != 1)} do{'es' * (others == 1)}" \
            if others else ""
        out.warnings.append(marks.warning(where, (
            f"a path that passes {KINDS[kind]}: --choose {format_picks(path.picks)} "
            f"(overall {card.overall}){more}"), key=key))
    for name in trapped:
        out.warnings.append(marks.warning(("nodes", name), (
            f"no end can be reached from node '{name}': a call there never ends "
            "(the trainee can only quit)"), key=True))
    if out.capped:
        out.warnings.append(marks.warning(("id",), (
            f"{out.summary()}: the bounds and warnings cover the paths explored "
            "(the first in authored order)")))
    return out
