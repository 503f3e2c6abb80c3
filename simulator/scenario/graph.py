"""Checks over the scenario's graph of nodes: targets, winnability, reachability, hand-offs."""

from __future__ import annotations

from collections import deque

from scoring.vocabulary import ESCALATION_LEVEL, End, Level

from .diagnostics import Diagnostic
from .model import ID_MAX, Scenario

__all__ = ["check_graph", "reachable_levels"]


def check_graph(s: Scenario) -> list[Diagnostic]:
    m = s.marks
    out: list[Diagnostic] = []
    for name in s.nodes:
        if len(name) > ID_MAX:
            out.append(m.error(("nodes", name), f"node id '{name[:20]}...' is {len(name)} "
                                                f"characters long: at most {ID_MAX}", key=True))
    if s.start not in s.nodes:
        out.append(m.error(("start",), f"start node '{s.start}' does not exist"))
    for name, node in s.nodes.items():
        for i, option in enumerate(node.options or []):
            if option.next not in s.nodes:
                out.append(m.error(("nodes", name, "options", i, "next"),
                                   f"option {i + 1} of node '{name}' goes to '{option.next}', "
                                   "which does not exist"))
    if out:
        return out
    levels = reachable_levels(s)
    winners = [n for n, node in s.nodes.items() if node.end in (End.RESOLVED, End.ESCALATED)
               and levels.get(n)]
    if not winners:
        out.append(m.error(("start",), "no path from start reaches an 'end: resolved' or "
                                       "'end: escalated' node: this scenario cannot be won"))
    for name, node in s.nodes.items():
        here = levels.get(name)
        if not here:
            out.append(m.warning(("nodes", name), f"node '{name}' is never reached from start",
                                 key=True))
            continue
        if node.end is End.ESCALATED and s.start_level in here:
            out.append(m.warning(("nodes", name),
                                 f"node '{name}' ends 'escalated' but a path reaches it with no "
                                 "hand-off", key=True))
        for i, option in enumerate(node.options or []):
            target = ESCALATION_LEVEL[option.escalate] if option.escalate else None
            if target is not None and target <= min(here):
                out.append(m.warning(("nodes", name, "options", i, "escalate"),
                                     f"escalate: {option.escalate} cannot raise the level here "
                                     f"(already at level {min(here)}); it is scored as passing "
                                     "the customer on"))
    return out


def reachable_levels(s: Scenario) -> dict[str, set[Level]]:
    """For each node, the escalation levels at which some path from start arrives there."""
    seen: dict[str, set[Level]] = {}
    todo = deque([(s.start, s.start_level)])
    while todo:
        name, level = todo.popleft()
        if level in seen.setdefault(name, set()):
            continue
        seen[name].add(level)
        for option in s.nodes[name].options or []:
            raised = max(level, ESCALATION_LEVEL[option.escalate]) if option.escalate else level
            if option.next in s.nodes:
                todo.append((option.next, raised))
    return seen
