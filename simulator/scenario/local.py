"""Checks that need one model and its neighbours only (run as each model is built)."""

from __future__ import annotations

from pydantic import BaseModel

from ..text import printable, unsafe_characters, visible
from .build import text_fields
from .diagnostics import Diagnostic, Marks, Path
from .model import TAGS, Check, Customer, Node, Option, Scenario

__all__ = ["IDENTIFIERS", "ONE_LINE", "LocalChecks"]

IDENTIFIERS = {(Scenario, "id"), (Scenario, "start"), (Customer, "name"),
               (Option, "id"), (Option, "next"), (Option, "tags"), (Check, "choose")}
"""Ids, references to ids, and the customer's name: a control character in them is an error.
In any other text it is a warning (reps see it as a visible escape such as \\x1b, never run)."""
ONE_LINE = IDENTIFIERS | {(Scenario, "title"), (Scenario, "locale"), (Check, "name")}
"""Fields shown on one line, where a newline or a tab is a control character too."""


def _one_line_fields(kind: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    found = _ONE_LINE_FIELDS.get(kind)
    if found is None:
        found = _ONE_LINE_FIELDS[kind] = tuple(
            (name, key) for name, key in text_fields(kind) if (kind, name) in ONE_LINE)
    return found


_ONE_LINE_FIELDS: dict[type[BaseModel], tuple[tuple[str, str], ...]] = {}


def plain_text(text: str) -> bool:
    """No control character but newlines in the file's text, no tab and no backslash (the
    escapes of a quoted YAML string): then a value read from it can hold no control character
    but a newline (block scalars keep them), so only one-line fields need a look."""
    return "\t" not in text and "\\" not in text and not unsafe_characters(text)


class LocalChecks:
    def __init__(self, marks: Marks, text: str | None = None) -> None:
        self.marks = marks
        self.plain = text is not None and plain_text(text)
        """The file's text is `plain_text`: only one-line fields are read for controls."""

    def __call__(self, instance: BaseModel, path: Path) -> list[Diagnostic]:
        out = self.controls(instance, path)
        if isinstance(instance, Option):
            out += self.option(instance, path)
        elif isinstance(instance, Node):
            out += self.node(instance, path)
        elif isinstance(instance, Customer):
            out += self.customer(instance, path)
        elif isinstance(instance, Scenario):
            out += self.scenario(instance)
        return out

    def controls(self, instance: BaseModel, path: Path) -> list[Diagnostic]:
        """Control characters in the model's text: an error in ids and names, else a warning."""
        out = []
        kind = type(instance)
        plain = self.plain
        # an int, an enum or a model holds no control; in a plain file only a newline can be
        fields = _one_line_fields(kind) if plain else text_fields(kind)
        for name, key in fields:
            value = getattr(instance, name)
            if value is None:
                continue
            items = enumerate(value) if isinstance(value, list) else ((None, value),)
            for i, item in items:
                if not isinstance(item, str) or (plain and "\n" not in item):
                    continue
                found = unsafe_characters(item, one_line=(kind, name) in ONE_LINE)
                if not found:
                    continue
                where = path + ((key,) if i is None else (key, i))
                if (kind, name) in IDENTIFIERS:
                    what = "a name" if name == "name" else "an id"
                    out.append(self.marks.error(where, f"'{key}' {_quoted(item)} holds "
                                                       f"{_listed(found)}: not allowed in {what}"))
                else:
                    it = "them" if len(found) > 1 else "it"
                    out.append(self.marks.warning(
                        where, f"'{key}' holds {_listed(found)}: shown as text, never run; "
                               f"remove {it}"))
        if (isinstance(instance, Node) and len(path) == 2 and isinstance(path[-1], str)
                and not (plain and "\n" not in path[-1])):
            found = unsafe_characters(path[-1], one_line=True)
            if found:  # a node id is the key of its mapping
                out.append(self.marks.error(path, f"node id {_quoted(path[-1])} holds "
                                                  f"{_listed(found)}: not allowed in an id",
                                            key=True))
        return out

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


def _quoted(text: str, width: int = 40) -> str:
    shown = printable(text.replace("\t", "\\t"), keep_newlines=False)
    return f"'{shown if len(shown) <= width else shown[: width - 3] + '...'}'"


def _listed(found: list[str]) -> str:
    kind = "control character" + "s" * (len(found) > 1)
    return f"{kind} {', '.join(visible(c) for c in found)}"
