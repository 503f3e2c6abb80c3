"""Build typed models from composed YAML nodes, by the models' own field annotations.

Text fields keep their scalar exactly as written (`no`, `0123`, `12:30`); integers and booleans
follow YAML 1.2 (plain `7`, `-2`, `+3`; `true`, `false`). Every problem is positioned.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any, Literal, cast

import yaml
from pydantic import BaseModel

from .diagnostics import Diagnostic, Locate, Marks, Path, Position

__all__ = ["Builder", "locator", "text_fields", "top_paths"]

INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
MISSING = object()
PATTERN_WORDS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "a lowercase slug (letters, digits and dashes)",
    r"^[a-z][a-z0-9_-]*$": "an id: a lowercase letter, then letters, digits, - or _",
}
"""How the slug patterns of the models read in an error message."""


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _plain(node: yaml.ScalarNode) -> bool:
    return node.style in (None, "")  # the C composer says '' where the Python one says None


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if _plain(node) and node.value == "":
        return "nothing"
    text = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return f"'{text}'"


@dataclass(frozen=True)
class _Rules:
    """A field's constraints (pydantic's Field(ge=..., max_length=...)), read once."""

    ge: int | None = None
    le: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    regex: re.Pattern[str] | None = None


NO_RULES = _Rules()


def _constraints(metadata: list[Any]) -> _Rules:
    found: dict[str, Any] = {}
    for item in metadata:
        for name in ("ge", "le", "min_length", "max_length", "pattern"):
            value = getattr(item, name, None)
            if value is not None:
                found[name] = value
    if "pattern" in found:
        found["regex"] = re.compile(found["pattern"])
    return _Rules(**found) if found else NO_RULES


@dataclass(frozen=True)
class _Plan:
    """How to build a value of one annotation, worked out once per annotation (no typing
    introspection per value: a library of thousands of files builds millions of values)."""

    kind: str  # pick | model | list | dict | enum | literal | bool | int | text
    target: Any = None
    """The model class, the enum class or the allowed values."""
    annotation: Any = None
    item: _Plan | None = None
    """The plan of a list's items or a dict's values."""
    allowed: tuple[Any, ...] = ()
    """The values of an enum or a literal."""


@lru_cache(maxsize=None)
def _plan(annotation: Any) -> _Plan:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if set(inner) == {int, str}:
            return _Plan("pick")
        annotation = inner[0]
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _Plan("model", annotation)
    if origin is list:
        return _Plan("list", args[0], item=_plan(args[0]))
    if origin is dict:
        return _Plan("dict", args[1], item=_plan(args[1]))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _Plan("enum", annotation, annotation, allowed=tuple(m.value for m in annotation))
    if origin is Literal:
        return _Plan("literal", args, annotation, allowed=args)
    if annotation is bool:
        return _Plan("bool", annotation=annotation)
    if annotation is int:
        return _Plan("int", annotation=annotation)
    return _Plan("text", annotation=annotation)


@dataclass(frozen=True)
class _Field:
    name: str
    """The key in the file (the field's alias when it has one: Scenario.seat is `role`)."""
    required: bool
    plan: _Plan
    rules: _Rules
    attribute: str = ""
    """The model's own name for it (`seat`)."""
    bare_text: bool = False
    """Text with no constraint: a scalar is taken as written (the usual case, read inline)."""


@dataclass(frozen=True)
class _Table:
    """One model class's fields by key, worked out once per class from its annotations, so a
    field added to a model is read like the others with nothing to declare here."""

    fields: dict[str, _Field]
    required: tuple[str, ...]
    known: str
    """The keys, for "unknown key" errors."""


@lru_cache(maxsize=None)
def _table(cls: type[BaseModel]) -> _Table:
    fields = _fields(cls)
    return _Table(fields, tuple(k for k, f in fields.items() if f.required), ", ".join(fields))


@lru_cache(maxsize=None)
def _fields(cls: type[BaseModel]) -> dict[str, _Field]:
    out = {}
    for name, info in cls.model_fields.items():
        key = info.alias or name
        plan, rules = _plan(cast(Any, info.annotation)), _constraints(info.metadata)
        out[key] = _Field(key, info.is_required(), plan, rules, name,
                          plan.kind == "text" and rules is NO_RULES)
    return out


def text_fields(cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(attribute, key) of each field of `cls` that can hold text the trainer wrote: text, picks,
    or a list of them (an enum or a literal holds only our own words)."""
    return _text_fields(cls)


@lru_cache(maxsize=None)
def _text_fields(cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    def texty(plan: _Plan) -> bool:
        return plan.kind in ("text", "pick") or (plan.kind == "list" and plan.item is not None
                                                  and texty(plan.item))
    return tuple((f.attribute, key) for key, f in _fields(cls).items() if texty(f.plan))


def top_paths(cls: type[BaseModel]) -> list[Path]:
    """The path of each top-level key of a `cls` file."""
    return [(key,) for key in _fields(cls)]


_Found = tuple[yaml.Node | None, yaml.Node, _Plan]


def locator(root: yaml.Node, cls: type[BaseModel]) -> Locate:
    """Where each path of a `cls` file is, read from its node tree on demand, with exactly the
    paths a Builder writes down in its marks (Marks.locate_with): the known keys of a model (not
    an x- or merge key; a repeated key's last), a dict's keys up to one that is not text, every
    item of a list, each under the plan the Builder follows there."""
    index: dict[tuple[int, int], dict[str | int, _Found]] = {}

    def children(node: yaml.Node, plan: _Plan) -> dict[str | int, _Found]:
        got = index.get((id(node), id(plan)))
        if got is not None:
            return got
        got = {}
        if plan.kind == "model" and isinstance(node, yaml.MappingNode):
            fields = _fields(plan.target)
            for k, v in node.value:
                if (isinstance(k, yaml.ScalarNode) and not k.value.startswith("x-")
                        and not k.tag.endswith(":merge") and k.value in fields):
                    got[k.value] = (k, v, fields[k.value].plan)
        elif plan.kind == "dict" and isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    break
                if not k.value.startswith("x-"):
                    got[k.value] = (k, v, cast(_Plan, plan.item))
        elif plan.kind == "list" and isinstance(node, yaml.SequenceNode):
            got = {i: (None, v, cast(_Plan, plan.item)) for i, v in enumerate(node.value)}
        index[(id(node), id(plan))] = got
        return got

    top = _plan(cls)

    def locate(path: Path) -> tuple[int, Position, Position | None]:
        node, plan, key = root, top, None
        depth = 0
        for part in path:
            found = children(node, plan).get(part)
            if found is None:
                break
            key_node, node, plan = found
            key = _pos(key_node) if key_node is not None else None
            depth += 1
        return depth, _pos(node), key

    return locate


def _choices(values: tuple[Any, ...]) -> str:
    words = [str(v) for v in values]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


class Builder:
    """Walks one file's node tree; collects diagnostics and marks as it goes."""

    def __init__(self, marks: Marks,
                 local: Callable[[BaseModel, Path], list[Diagnostic]] | None = None) -> None:
        self.marks = marks
        self.problems: list[Diagnostic] = []
        self.local = local or (lambda instance, path: [])
        self.record = not marks.locating
        """Write each position down (else the marks read them from the tree when asked)."""
        self._scalar_kinds: dict[str, Callable[[yaml.ScalarNode, _Plan, Path, _Rules], Any]] = {
            "enum": self._enum, "literal": self._literal, "bool": self._bool,
            "int": self.integer, "text": self.text}

    def error(self, node: yaml.Node, message: str) -> object:
        self.problems.append(Diagnostic(self.marks.file, *_pos(node), "error", message))
        return MISSING

    def model(self, node: yaml.Node, cls: type[BaseModel], path: Path) -> Any:
        """A mapping node as `cls`, or MISSING when it has errors."""
        if not isinstance(node, yaml.MappingNode):
            return self.error(node, f"{self._label(path)} must be a mapping, not {_describe(node)}")
        table = _table(cls)
        fields = table.fields
        values: dict[str, Any] = {}
        given: set[str] = set()
        ok = True
        add, record = self.marks.add, self.record
        scalar = yaml.ScalarNode
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                ok = False  # yamlsafe said "a key must be plain text"
                continue
            key = key_node.value
            given.add(key)
            if key.startswith("x-") or key_node.tag.endswith(":merge"):
                continue  # x- keys are the trainer's own; `<<` is refused in yamlsafe
            spec = fields.get(key)
            if spec is None:
                self.error(key_node, f"unknown key '{key}' (expected one of: {table.known})")
                ok = False
                continue
            here = path + (key,)
            if record:
                mark, key_mark = value_node.start_mark, key_node.start_mark
                add(here, (mark.line + 1, mark.column + 1),
                    (key_mark.line + 1, key_mark.column + 1))
            if spec.bare_text and value_node.__class__ is scalar and (
                    value_node.value or not _plain(value_node)):
                values[key] = value_node.value  # what `built` gives, without the calls
                continue
            value = self.built(value_node, spec.plan, here, spec.rules)
            if value is MISSING:
                ok = False
            else:
                values[key] = value
        for name in table.required:  # given but wrong: said already
            if name not in given:
                self.error(node, f"missing required key '{name}'" + self._in(path))
                ok = False
        if not ok:
            return MISSING
        instance = cls.model_validate(values)
        local = self.local(instance, path)
        if local:
            self.problems.extend(local)
            if any(p.is_error for p in local):
                return MISSING
        return instance

    def value(self, node: yaml.Node, annotation: Any, path: Path,
              rules: dict[str, Any] | None = None) -> Any:
        return self.built(node, _plan(annotation), path,
                          _constraints([_Rules(**rules)]) if rules else NO_RULES)

    def built(self, node: yaml.Node, plan: _Plan, path: Path, rules: _Rules) -> Any:
        kind = plan.kind
        if kind == "model":
            return self.model(node, plan.target, path)
        if kind == "list":
            return self.sequence(node, plan, path, rules)
        if kind == "pick":
            return self.pick(node, path)
        if kind == "dict":
            return self.mapping(node, plan, path, rules)
        if node.__class__ is not yaml.ScalarNode and not isinstance(node, yaml.ScalarNode):
            return self.error(node, f"{self._label(path)} must be {self._kind(plan.annotation)}, "
                                    f"not {_describe(node)}")
        if node.value == "" and _plain(node):
            return self.error(node, f"{self._label(path)} has no value")
        return self._scalar_kinds[kind](node, plan, path, rules)

    def _enum(self, node: yaml.ScalarNode, plan: _Plan, path: Path, rules: _Rules) -> Any:
        return self.choice(node, path, plan.allowed, plan.target)

    def _literal(self, node: yaml.ScalarNode, plan: _Plan, path: Path, rules: _Rules) -> Any:
        return self.choice(node, path, plan.allowed, str)

    def _bool(self, node: yaml.ScalarNode, plan: _Plan, path: Path, rules: _Rules) -> Any:
        if not _plain(node) or node.value not in ("true", "false"):
            return self.error(node, f"{self._label(path)} must be true or false, "
                                    f"not {_describe(node)}")
        return node.value == "true"

    def choice(self, node: yaml.ScalarNode, path: Path, allowed: tuple[Any, ...],
               make: Callable[[str], Any]) -> Any:
        if node.value not in allowed:
            what = path[-1] if isinstance(path[-1], str) else "value"
            return self.error(node, f"unknown {what} '{node.value}' "
                                    f"(expected {_choices(allowed)})")
        return make(node.value)

    def text(self, node: yaml.ScalarNode, plan: _Plan, path: Path, rules: _Rules) -> Any:
        value = node.value
        if rules is NO_RULES:
            return value
        if rules.min_length and not value.strip():
            return self.error(node, f"{self._label(path)} must not be empty")
        longest = rules.max_length
        if longest is not None and len(value) > longest:
            return self.error(node, f"{self._label(path)} is {len(value)} characters long: "
                                    f"at most {longest}")
        pattern = rules.pattern
        if pattern and rules.regex is not None and not rules.regex.match(value):
            return self.error(node, f"{self._label(path)} {_describe(node)} must be "
                                    f"{PATTERN_WORDS.get(pattern, 'of the form ' + pattern)}")
        return value

    def integer(self, node: yaml.ScalarNode, plan: _Plan, path: Path, rules: _Rules) -> Any:
        lo, hi = rules.ge, rules.le
        span = f" from {lo} to {hi}" if lo is not None and hi is not None else ""
        if not _plain(node) or not INT.match(node.value):
            return self.error(node, f"{self._label(path)} must be a whole number{span}, "
                                    f"not {_describe(node)}")
        number = int(node.value)
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            return self.error(node, f"{self._label(path)} must be{span or ' in range'}, "
                                    f"not {number}")
        return number

    def pick(self, node: yaml.Node, path: Path) -> Any:
        if not isinstance(node, yaml.ScalarNode) or node.value == "":
            return self.error(node, f"a pick must be a position or an option id, "
                                    f"not {_describe(node)}")
        if self.record:
            self.marks.add(path, _pos(node))
        if _plain(node) and INT.match(node.value):
            return int(node.value)
        return node.value

    def sequence(self, node: yaml.Node, plan: _Plan, path: Path, rules: _Rules) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return self.error(node, f"{self._label(path)} must be a list, not {_describe(node)}")
        if rules.min_length and not node.value:
            return self.error(node, f"{self._label(path)} must not be empty")
        item = cast(_Plan, plan.item)
        out = []
        ok = True
        add, built, record = self.marks.add, self.built, self.record
        for i, child in enumerate(node.value):
            here = path + (i,)
            if record:
                mark = child.start_mark
                add(here, (mark.line + 1, mark.column + 1))
            value = built(child, item, here, NO_RULES)
            ok = ok and value is not MISSING
            out.append(value)
        return out if ok else MISSING

    def mapping(self, node: yaml.Node, plan: _Plan, path: Path, rules: _Rules) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return self.error(node, f"{self._label(path)} must be a mapping, not {_describe(node)}")
        if rules.min_length and not node.value:
            return self.error(node, f"{self._label(path)} must not be empty")
        item = cast(_Plan, plan.item)
        out: dict[str, Any] = {}
        add, built, record = self.marks.add, self.built, self.record
        for key_node, child in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                return MISSING  # yamlsafe said "a key must be plain text"
            key = key_node.value
            if key.startswith("x-"):
                continue
            here = path + (key,)
            if record:
                mark, key_mark = child.start_mark, key_node.start_mark
                add(here, (mark.line + 1, mark.column + 1),
                    (key_mark.line + 1, key_mark.column + 1))
            out[key] = built(child, item, here, NO_RULES)
        # a repeated key (its error said in yamlsafe): the last one's value is the one kept
        return MISSING if any(v is MISSING for v in out.values()) else out

    @staticmethod
    def _label(path: Path) -> str:
        for part in reversed(path):
            if isinstance(part, str):
                return f"'{part}'"
        return "the file"

    @staticmethod
    def _in(path: Path) -> str:
        names = [p for p in path if isinstance(p, str)]
        return f" in '{names[-1]}'" if names else ""

    @staticmethod
    def _kind(annotation: Any) -> str:
        return {int: "a whole number", bool: "true or false"}.get(annotation, "text")
