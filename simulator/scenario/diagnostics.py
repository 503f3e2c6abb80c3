"""Positioned problems: `PATH:LINE:COLUMN: error: MESSAGE`, lines and columns 1-based."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..text import printable

__all__ = ["Diagnostic", "Locate", "Marks", "Path", "Position"]

Path = tuple[str | int, ...]
"""Where a value sits in a scenario, e.g. ("nodes", "opening", "options", 0, "next")."""


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    severity: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        line = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return printable(line, keep_newlines=False)  # a quoted value cannot reach a terminal

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


Position = tuple[int, int]
Locate = Callable[[Path], tuple[int, Position, "Position | None"]]
"""Where a path is, read from a file's node tree: how many of its parts were found, and the
value's (and key's) position of the deepest one (see build.locator)."""


class Marks:
    """Source positions of the keys and values of one file, by path (1-based line, column).

    Either a table (`add`), or read on demand from the file's node tree (`locate_with`: nothing
    is written down while a file is built). Once a file has loaded, `compact` keeps only the
    positions of its top-level keys (what a library's warnings point at) and lets the tree go; a
    deeper one is found again from the file's text when first asked for, so a large library
    keeps neither its trees nor thousands of positions per file in memory."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._values: dict[Path, Position] = {}
        self._keys: dict[Path, Position] = {}
        self._locate: Locate | None = None
        self._refill: Callable[[], Locate] | None = None

    @property
    def locating(self) -> bool:
        """Positions are read from the node tree: nothing needs to be `add`ed."""
        return self._locate is not None

    def add(self, path: Path, value: Position, key: Position | None = None) -> None:
        self._values[path] = value
        if key is not None:
            self._keys[path] = key

    def locate_with(self, locate: Locate) -> None:
        self._locate = locate

    def compact(self, top: list[Path], refill: Callable[[], Locate]) -> None:
        """Keep the positions of the `top` paths only (read now) and let the tree go;
        `refill()` reads the file again when a deeper one is asked for."""
        if self._locate is not None:
            self._values, self._keys = {}, {}
            for path in [(), *top]:
                found, value, key = self._locate(path)
                if found == len(path):
                    self.add(path, value, key)
        else:
            self._values = {p: v for p, v in self._values.items() if len(p) <= 1}
            self._keys = {p: v for p, v in self._keys.items() if len(p) <= 1}
        self._locate, self._refill = None, refill

    def at(self, path: Path, *, key: bool = False) -> Position:
        """The position of the value at `path` (or of its key), else of its nearest ancestor."""
        refill = self._refill
        if len(path) > 1 and refill is not None:
            self._locate, self._refill = refill(), None
        if self._locate is not None:
            _, value, key_at = self._locate(path)
            return key_at if key and key_at is not None else value
        table = self._keys if key else self._values
        while path:
            if path in table:
                return table[path]
            if path in self._values:
                return self._values[path]
            path = path[:-1]
        return self._values.get((), (1, 1))

    def written(self, path: Path) -> tuple[int, Position, Position | None]:
        """`Locate` over the positions written down with `add`."""
        for depth in range(len(path), 0, -1):
            prefix = path[:depth]
            if prefix in self._values:
                return depth, self._values[prefix], self._keys.get(prefix)
        return 0, self._values.get((), (1, 1)), None

    def error(self, path: Path, message: str, *, key: bool = False) -> Diagnostic:
        return Diagnostic(self.file, *self.at(path, key=key), "error", message)

    def warning(self, path: Path, message: str, *, key: bool = False) -> Diagnostic:
        return Diagnostic(self.file, *self.at(path, key=key), "warning", message)
