"""Finding the library's files, and the Library they make: no parsing, no models.

What every start needs before anything is read (the TUI's library index, simulator/scenario/
index.py, lists the files and compares their sizes and times): kept apart from `library.py`,
which builds the typed models, so that finding the files imports neither pydantic nor YAML
(issue 12: nothing heavy before the home's first paint). `library.py` re-exports these names.
"""

from __future__ import annotations

import errno
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import HotseatError
from .diagnostics import Diagnostic

if TYPE_CHECKING:
    from .model import Scenario

__all__ = ["SKIP_DIRS", "Library", "LoadError", "collector_paused", "discover", "shown_path"]

SKIP_DIRS = {"tracks"}
"""Folders of the library that hold other YAML (certification tracks), not scenarios."""


class LoadError(HotseatError):
    """A path given on the command line does not exist or holds no scenario."""


@dataclass
class Library:
    scenarios: list[Scenario] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    def by_id(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)


def shown_path(path: Path) -> str:
    """The path as a trainer reads it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def discover(paths: list[Path]) -> list[Path]:
    """Scenario files under the given files and folders (recursively), sorted, no repeats.

    Raises LoadError for a path that is not there, not a file or folder, or a folder with no
    scenario file in it.
    """
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            before = len(found)
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if name.endswith((".yaml", ".yml")):
                        found.setdefault(Path(root) / name)
            if len(found) == before:
                raise LoadError(f"{path}: no scenario files (*.yaml, *.yml) in this folder")
        elif path.is_file():
            found.setdefault(path)
        else:
            raise LoadError(f"{path}: {_why_missing(path)}")
    return list(found)


def _why_missing(path: Path) -> str:
    """Why a path is neither a file nor a folder, in plain words."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops back on itself"
        if exc.errno == errno.ENOENT:
            return "no such file or folder"
        return f"cannot be read ({exc.strerror})"
    return "not a scenario file (a device or a pipe, not a regular file)"


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a bulk load, back as it was after.

    A load allocates millions of objects that all stay (the models, their positions) and makes
    no reference cycles, yet each allocation past a threshold sets off a collection that walks
    everything loaded so far: about half the time of validating a large library."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
