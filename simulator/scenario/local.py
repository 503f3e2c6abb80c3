"""Checks that need one model and its neighbours only (run as each model is built)."""

from __future__ import annotations

from pydantic import BaseModel

from .diagnostics import Diagnostic, Marks, Path
from .model import TAGS, Customer, Node, Option, Scenario

__all__ = ["LocalChecks"]


class LocalChecks:
    def __init__(self, marks: Marks) -> None:
        self.marks = marks

    def __call__(self, instance: BaseModel, path: Path) -> list[Diagnostic]:
        if isinstance(instance, Option):
            return self.option(instance, path)
        if isinstance(instance, Node):
            return self.node(instance, path)
        if isinstance(instance, Customer):
            return self.customer(instance, path)
        if isinstance(instance, Scenario):
            return self.scenario(instance)
        return []

    def option(self, option: Option, path: Path) -> list[Diagnostic]:
        out = []
        for i, tag in enumerate(option.tags):
            if tag not in TAGS and not tag.startswith("x-"):
                close = [t for t in TAGS if t[:3] == tag[:3]]
                hint = f" (did you mean {close[0]}?)" if close else ""
                out.append(self.marks.error(path + ("tags", i), f"unknown tag '{tag}'{hint}"))
        if len(set(option.tags)) != len(option.tags):
            out.append(self.marks.warning(path + ("tags",), "a tag is repeated: it counts once"))
        return out

    def node(self, node: Node, path: Path) -> list[Diagnostic]:
        name = path[-1]
        if node.options is None and node.end is None:
            return [self.marks.error(path, f"node '{name}' is a dead end: give it options "
                                           "or end", key=True)]
        if node.options is not None and node.end is not None:
            return [self.marks.error(path, f"node '{name}' has both options and end: "
                                           "keep one", key=True)]
        out = []
        seen: dict[str, int] = {}
        for i, option in enumerate(node.options or []):
            if option.id is None:
                continue
            if option.id in seen:
                out.append(self.marks.error(
                    path + ("options", i, "id"),
                    f"duplicate option id '{option.id}' in node '{name}' "
                    f"(also option {seen[option.id] + 1})"))
            seen.setdefault(option.id, i)
        return out

    def customer(self, customer: Customer, path: Path) -> list[Diagnostic]:
        if customer.breaking_point <= customer.mood:
            where = path + (("breaking_point",) if self._given(path + ("breaking_point",))
                            else ("mood",))
            return [self.marks.error(where, f"breaking_point {customer.breaking_point} must be "
                                            f"above the starting mood {customer.mood}")]
        return []

    def scenario(self, scenario: Scenario) -> list[Diagnostic]:
        out = []
        needed = scenario.escalation.level
        if needed is not None and needed <= scenario.start_level:
            out.append(self.marks.warning(
                ("escalation",), f"escalation '{scenario.escalation}' cannot go beyond a "
                                 f"trainee who plays {scenario.seat}"))
        return out

    def _given(self, path: Path) -> bool:
        return self.marks.at(path) != self.marks.at(path[:-1])
