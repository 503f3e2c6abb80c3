"""Read one YAML file into composed nodes, safely: size, aliases, tags and duplicate keys checked.

PyYAML is YAML 1.1 and would turn `no` into False; we never construct Python values here. The
typed scenario is built from the node tree (see build.py), so every value keeps its line and column.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any

import yaml

from .diagnostics import Diagnostic

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_VALUES", "compose_bytes", "compose_text", "read_file"]

MAX_BYTES = 1024 * 1024
MAX_VALUES = 100_000
"""Bound on the number of values once aliases are expanded (a real scenario has a few hundred)."""
MAX_DEPTH = 64

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C composer is about 3x faster

CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = {CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "value",
                                   "seq", "map")}
STR, MERGE = CORE + "str", CORE + "merge"


@lru_cache(maxsize=None)
def _composer(base: Any) -> Any:
    """`base` with a resolver that only tells a merge key (`<<`) from text.

    Nothing here reads a plain scalar's YAML 1.1 type (build.py reads every value as YAML 1.2
    from its text and style): a plain scalar resolved as int, bool, null, float or timestamp is
    allowed anyway, so only `<<`, refused below, needs its own tag. PyYAML's resolver tries up to
    seven regular expressions on every scalar; this is one comparison."""
    seq: str = base.DEFAULT_SEQUENCE_TAG
    mapping: str = base.DEFAULT_MAPPING_TAG

    def resolve(self: Any, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return MERGE if implicit[0] and value == "<<" else STR
        return seq if kind is yaml.SequenceNode else mapping

    return type(base.__name__ + "Hotseat", (base,), {"resolve": resolve})


def _pos(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def read_file(path: FsPath, shown: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of a YAML file (refused over MAX_BYTES before reading), or the problem."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, [Diagnostic(shown, 1, 1, "error",
                                     f"file is over the limit of {MAX_BYTES} bytes (1 MiB)")]
        return path.read_bytes(), []
    except OSError as exc:
        return None, [Diagnostic(shown, 1, 1, "error", f"cannot read file: {exc.strerror}")]


def compose_bytes(raw: bytes, shown: str) -> tuple[yaml.Node | None, list[Diagnostic]]:
    if len(raw) > MAX_BYTES:
        return None, [Diagnostic(shown, 1, 1, "error", f"file is {len(raw)} bytes, over the "
                                                       f"limit of {MAX_BYTES} (1 MiB)")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Diagnostic(shown, line, col, "error", "file is not valid UTF-8")]
    return compose_text(text, shown)


def compose_text(text: str, shown: str) -> tuple[yaml.Node | None, list[Diagnostic]]:
    text = text.removeprefix("\ufeff")
    try:
        root = yaml.compose(text, Loader=_composer(Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "expected a single document" in str(exc):
            problem = "one scenario per file: found a second YAML document"
        tab = _tab(text, mark)
        if tab is not None:
            return None, [Diagnostic(shown, *tab)]
        return None, [Diagnostic(shown, *_pos(mark), "error", f"YAML syntax: {problem}")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(shown, 1, 1, "error", f"YAML syntax: {exc}")]
    except RecursionError:
        return None, [Diagnostic(shown, 1, 1, "error", f"nested deeper than {MAX_DEPTH} levels")]
    if root is None:
        return None, [Diagnostic(shown, 1, 1, "error", "file is empty")]
    # tags and duplicate keys are reported, but the file is still read for its other problems
    problems = None if "*" in text else _check_tree(root, shown, text)
    if problems is None:  # aliases, or a bound passed: the general walk, then says which
        fatal = check_bounds(root, shown)
        if fatal:
            return None, fatal
        problems = _check_nodes(root, shown)
    return root, problems


def _tab(text: str, mark: yaml.Mark | None) -> tuple[int, int, str, str] | None:
    """A syntax error caused by a tab, in plain words (PyYAML says "found character '\\t' that
    cannot start any token", or, from its C scanner, not even which character): a tab in the
    indentation of the line where the error is, or the tab the error points at."""
    if mark is None:
        return None
    lines = text.splitlines()
    if mark.line >= len(lines):
        return None
    line = lines[mark.line]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indent:
        return (mark.line + 1, indent.index("\t") + 1, "error",
                f"a tab is used for indentation at line {mark.line + 1}: YAML indents with spaces")
    if line[mark.column: mark.column + 1] == "\t":
        return (mark.line + 1, mark.column + 1, "error",
                f"a tab at line {mark.line + 1}, column {mark.column + 1} cannot start a value: "
                "YAML indents and separates with spaces; put text that holds a tab in quotes")
    return None


def check_bounds(root: yaml.Node, shown: str) -> list[Diagnostic]:
    """Bound the expanded size before anything walks it; refuse recursion and deep nesting.

    The size is counted over the composed graph with each shared node counted once per use
    (memoised), so a "billion laughs" file is refused without ever being expanded.
    """
    sizes: dict[int, int] = {}
    on_stack: set[int] = set()
    # iterative post-order walk: (node, depth, children_done)
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_stack.discard(key)
            total = 1 + sum(sizes[id(c)] for c in _children(node))
            if total > MAX_VALUES:
                return [Diagnostic(shown, *_pos(node.start_mark), "error",
                                   f"document is too large once aliases are expanded "
                                   f"(more than {MAX_VALUES} values)")]
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_stack:
            return [Diagnostic(shown, *_pos(node.start_mark), "error",
                               "recursive alias: an anchor is used inside itself")]
        if depth > MAX_DEPTH:
            return [Diagnostic(shown, *_pos(node.start_mark), "error",
                               f"nested deeper than {MAX_DEPTH} levels")]
        on_stack.add(key)
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) in on_stack:
                return [Diagnostic(shown, *_pos(child.start_mark), "error",
                                   "recursive alias: an anchor is used inside itself")]
            if id(child) not in sizes:
                stack.append((child, depth + 1, False))
    return []


TAG_AFTER = frozenset(" \t\r\n\x85\u2028\u2029[{,:?-")
"""What comes before a `!` that could begin a YAML tag (a node's `!`, after a space, an indicator
or at a line's start); a `!` inside text (`now!`) is not one. A file with neither such a `!` nor
`<<` has only the tags the resolver gives, all allowed."""


def _may_have_tags(text: str) -> bool:
    if "<<" in text:
        return True
    at = text.find("!")
    while at >= 0:
        if at == 0 or text[at - 1] in TAG_AFTER:
            return True
        at = text.find("!", at + 1)
    return False


def _check_tree(root: yaml.Node, shown: str, text: str) -> list[Diagnostic] | None:
    """`check_bounds` and `_check_nodes` in one walk, for a file with no alias (no `*` in its
    text): its nodes are then a tree, each met once, so the expanded size is the number of nodes.
    The same problems (in another order: they are sorted); None when a bound is passed (the
    general walk then says which, where)."""
    problems: list[Diagnostic] = []
    allowed = ALLOWED_TAGS
    scalar, mapping = yaml.ScalarNode, yaml.MappingNode
    tags = _may_have_tags(text)
    said = root.tag not in allowed
    if said:  # its tag, and its keys
        problems += _check_nodes(root, shown, deep=False)
    if root.__class__ is scalar:
        return problems
    count = 1
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, said)]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        node, depth, said = pop()
        pairs = node.value
        if not pairs:
            continue
        if depth >= MAX_DEPTH:  # its children are too deep
            return None
        depth += 1
        if node.__class__ is mapping:
            count += 2 * len(pairs)
            if not said and len({k.value for k, _ in pairs if k.__class__ is scalar}) != len(pairs):
                problems += _check_nodes(node, shown, deep=False)  # a key repeated or not text
                if not tags:  # (with tags, every child is looked at below)
                    extend([(k, depth, False) for k, _ in pairs if k.__class__ is not scalar])
            children: list[yaml.Node] = [v for _, v in pairs]
        else:
            count += len(pairs)
            children = pairs
        if not tags:  # every tag is the resolver's own: only collections need a look
            extend([(child, depth, False) for child in children if child.__class__ is not scalar])
            continue
        if node.__class__ is mapping:
            children = [n for pair in pairs for n in pair]
        for child in children:
            said = child.tag not in allowed
            if said:
                problems += _check_nodes(child, shown, deep=False)
            if child.__class__ is not scalar:
                push((child, depth, said))
    return None if count > MAX_VALUES else problems


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _check_nodes(root: yaml.Node, shown: str, *, deep: bool = True) -> list[Diagnostic]:
    """Tags and duplicate keys, each distinct node visited once (the graph is bounded by now);
    not `deep`: of `root` alone."""
    problems: list[Diagnostic] = []
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag == CORE + "merge":
            problems.append(Diagnostic(shown, *_pos(node.start_mark), "error",
                                       "merge keys (<<) are not supported"))
        elif node.tag not in ALLOWED_TAGS:
            problems.append(Diagnostic(shown, *_pos(node.start_mark), "error",
                                       f"unsupported YAML tag {node.tag}"))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, yaml.Node] = {}
            for k, _ in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    problems.append(Diagnostic(shown, *_pos(k.start_mark), "error",
                                               "a key must be plain text"))
                elif k.value in first:
                    line, col = _pos(first[k.value].start_mark)
                    problems.append(Diagnostic(
                        shown, *_pos(k.start_mark), "error",
                        f"duplicate key '{k.value}' (first at line {line}, column {col})"))
                else:
                    first[k.value] = k
        if deep:
            todo.extend(reversed(_children(node)))
    return problems
