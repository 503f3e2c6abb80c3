"""Find scenario files, load each into a typed Scenario, and check the library as a whole."""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path

from .build import MISSING, Builder, locator, top_paths
from .diagnostics import Diagnostic, Locate, Marks
from .files import (  # found without parsing: files.py (re-exported here)
    SKIP_DIRS,
    Library,
    LoadError,
    collector_paused,
    discover,
    shown_path,
)
from .graph import check_graph, check_references, skeleton
from .local import LocalChecks
from .model import Scenario
from .yamlsafe import compose_bytes, compose_text, read_file

__all__ = ["SKIP_DIRS", "Library", "LoadError", "collector_paused", "discover", "load_file",
           "load_library", "shown_path"]

def load_file(path: Path) -> tuple[Scenario | None, list[Diagnostic]]:
    shown = shown_path(path)
    raw, problems = read_file(path, shown)
    return (None, problems) if raw is None else load_bytes(raw, shown)


def load_bytes(raw: bytes, shown: str) -> tuple[Scenario | None, list[Diagnostic]]:
    root, problems = compose_bytes(raw, shown)
    if root is None:
        return None, problems
    marks = Marks(shown)
    marks.add((), (root.start_mark.line + 1, root.start_mark.column + 1))
    marks.locate_with(locator(root, Scenario))
    text = raw.decode("utf-8")  # compose_bytes has checked it decodes
    builder = Builder(marks, LocalChecks(marks, text))
    built = builder.model(root, Scenario, ())
    problems = problems + builder.problems
    if built is MISSING:  # report a wrong `next` or `start` in this run too, not after a fix
        graph, found = skeleton(root, marks)
        taken = {(p.line, p.column) for p in problems if p.is_error}
        problems += [d for d in check_references(graph, lambda path: (shown, *found[path]))
                     if (d.line, d.column) not in taken]
        return None, sorted(problems)
    scenario: Scenario = built
    scenario._marks = marks
    scenario._file = shown
    scenario._digest = hashlib.sha256(raw).hexdigest()
    scenario._source = text
    problems += check_graph(scenario)
    if any(p.is_error for p in problems):
        return None, sorted(problems)
    marks.compact(top_paths(Scenario), partial(_locator_of, text, shown))
    return scenario, sorted(problems)


def _locator_of(text: str, shown: str) -> Locate:
    """The positions of a file that loaded, read again from its text (see Marks.compact) and
    written down, so that its node tree is let go again."""
    root, _ = compose_text(text, shown)
    assert root is not None, "a file that loaded composes again"
    marks = Marks(shown)
    marks.add((), (root.start_mark.line + 1, root.start_mark.column + 1))
    Builder(marks).model(root, Scenario, ())
    return marks.written


def load_library(paths: list[Path]) -> Library:
    """Load every scenario under `paths`; raises LoadError for a path that does not exist."""
    lib = Library(files=discover(paths))
    with collector_paused():
        _load_all(lib)
    return lib


def _load_all(lib: Library) -> None:
    first: dict[str, Scenario] = {}
    for path in lib.files:
        scenario, problems = load_file(path)
        lib.diagnostics.extend(problems)
        if scenario is None:
            continue
        if scenario.id in first:
            other = first[scenario.id]
            line, col = other.marks.at(("id",))
            lib.diagnostics.append(scenario.marks.error(
                ("id",), f"duplicate scenario id '{scenario.id}': also in "
                         f"{other.file}:{line}:{col}"))
            continue
        first[scenario.id] = scenario
        lib.scenarios.append(scenario)
    for scenario in lib.scenarios:
        lib.diagnostics += _check_translation(scenario, first)


def _check_translation(s: Scenario, by_id: dict[str, Scenario]) -> list[Diagnostic]:
    """`translates: ID` names another scenario of the library, of the same persona and seat."""
    if s.translates is None:
        return []
    if s.translates == s.id:
        return [s.marks.error(("translates",), "a scenario cannot translate itself")]
    original = by_id.get(s.translates)
    if original is None:
        return [s.marks.warning(("translates",), f"translates '{s.translates}', which is not "
                                                 "among the scenarios loaded with it")]
    if (original.persona, original.seat) != (s.persona, s.seat):
        return [s.marks.error(("translates",), f"translates '{s.translates}', a "
                                               f"{original.persona} call played as "
                                               f"{original.seat}: a translation keeps both")]
    return []
