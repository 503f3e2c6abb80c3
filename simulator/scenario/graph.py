"""Checks over the scenario's graph of nodes: targets, winnability, reachability, hand-offs.

`check_references` also runs on a file whose model could not be built (see `skeleton`), so that
a wrong `next` or `start` is reported in the same run as the other errors of the file.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import yaml

from scoring.vocabulary import ESCALATION_LEVEL, End, Level, Step

from .diagnostics import Diagnostic, Marks, Path
from .model import ID_MAX, Scenario

__all__ = ["check_graph", "check_references", "reachable_levels", "skeleton"]

Skeleton = tuple[str | None, dict[str, list[str | None]]]
"""The graph alone: the start, and for each node id the `next` of each of its options."""


def check_references(graph: Skeleton, where: Callable[[Path], tuple[str, int, int]]
                     ) -> list[Diagnostic]:
    """Node ids that are too long, a `start` or `next` that names no node.

    `where(path)` gives the (file, line, column) of the value at a path."""
    start, nodes = graph
    out: list[Diagnostic] = []
    for name in nodes:
        if len(name) > ID_MAX:
            out.append(Diagnostic(*where(("nodes", name)), "error",
                                  f"node id '{name[:20]}...' is {len(name)} characters long: "
                                  f"at most {ID_MAX}"))
    if start is not None and start not in nodes:
        out.append(Diagnostic(*where(("start",)), "error",
                              f"start node '{start}' does not exist"))
    for name, targets in nodes.items():
        for i, target in enumerate(targets):
            if target is not None and target not in nodes:
                out.append(Diagnostic(*where(("nodes", name, "options", i, "next")), "error",
                                      f"option {i + 1} of node '{name}' goes to '{target}', "
                                      "which does not exist"))
    return out


def skeleton(root: yaml.Node, marks: Marks) -> tuple[Skeleton, dict[Path, tuple[int, int]]]:
    """The graph of a file read from its YAML nodes, whatever else is wrong in it, with the
    position of each value (a value that is not plain text is left out: it has its error)."""
    def text(node: yaml.Node | None) -> str | None:
        return node.value if isinstance(node, yaml.ScalarNode) and node.value else None

    def pairs(node: yaml.Node | None) -> list[tuple[yaml.Node, yaml.Node]]:
        return list(node.value) if isinstance(node, yaml.MappingNode) else []

    def pos(node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    found: dict[Path, tuple[int, int]] = {}
    top = {k.value: v for k, v in pairs(root) if isinstance(k, yaml.ScalarNode)}
    start = text(top.get("start"))
    if start is not None:
        found[("start",)] = pos(top["start"])
    nodes: dict[str, list[str | None]] = {}
    for key, value in pairs(top.get("nodes")):
        name = text(key)
        if name is None or name.startswith("x-") or name in nodes:
            continue
        found[("nodes", name)] = pos(key)
        fields = {k.value: v for k, v in pairs(value) if isinstance(k, yaml.ScalarNode)}
        options = fields.get("options")
        targets: list[str | None] = []
        for i, item in enumerate(options.value if isinstance(options, yaml.SequenceNode) else []):
            nxt = {k.value: v for k, v in pairs(item) if isinstance(k, yaml.ScalarNode)}.get("next")
            targets.append(text(nxt))
            if nxt is not None:
                found[("nodes", name, "options", i, "next")] = pos(nxt)
        nodes[name] = targets
    return (start, nodes), found


def check_graph(s: Scenario) -> list[Diagnostic]:
    m = s.marks
    graph: Skeleton = (s.start, {name: [o.next for o in node.options or []]
                                 for name, node in s.nodes.items()})
    out = check_references(graph, lambda path: (m.file, *m.at(path, key=len(path) == 2)))
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
    out += _resolve_missing(s)
    return out


def _resolve_missing(s: Scenario) -> list[Diagnostic]:
    """A case the trainee must settle whose every path to an `end: resolved` node lacks a reply
    with `step: resolve`: each such call is charged for never solving the problem.

    (In a case that needs an expert or a supervisor a resolved end is either settling it alone,
    which fails anyway, or comes after a hand-off, when the steps left are not the trainee's.)"""
    needed = s.escalation.level
    if needed is not None and needed > s.start_level:
        return []
    resolved: dict[str, bool] = {}
    seen: set[tuple[str, bool]] = set()
    todo = [(s.start, False)]
    while todo:
        name, done = todo.pop()
        if (name, done) in seen:
            continue
        seen.add((name, done))
        node = s.nodes[name]
        if node.end is End.RESOLVED:
            resolved[name] = resolved.get(name, False) or done
        for option in node.options or []:
            todo.append((option.next, done or option.step == Step.RESOLVE))
    if not resolved or any(resolved.values()):
        return []
    first = next(n for n in s.nodes if n in resolved)
    return [s.marks.warning(("nodes", first), (
        f"no path to an 'end: resolved' node (such as '{first}') has a reply with "
        "'step: resolve': every resolved call is charged for never solving the problem; "
        "put 'step: resolve' on the reply that settles it"), key=True)]


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
