"""Positioned problems: `PATH:LINE:COLUMN: error: MESSAGE`, lines and columns 1-based."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..text import printable

__all__ = ["Diagnostic", "Marks", "Path"]

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


class Marks:
    """Source positions of every key and value of one file, by path (1-based line, column).

    Once a file has loaded, `compact` keeps only the positions of its top-level keys (what a
    library's warnings point at); a deeper one is found again from the file's text when first
    asked for, so a large library does not keep thousands of positions per file in memory."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._values: dict[Path, tuple[int, int]] = {}
        self._keys: dict[Path, tuple[int, int]] = {}
        self._refill: Callable[[], Marks] | None = None

    def add(self, path: Path, value: tuple[int, int], key: tuple[int, int] | None = None) -> None:
        self._values[path] = value
        if key is not None:
            self._keys[path] = key

    def compact(self, refill: Callable[[], Marks]) -> None:
        """Drop the positions below the top level; `refill()` gives them all back (the same
        file read again) when a deeper one is asked for."""
        self._values = {p: v for p, v in self._values.items() if len(p) <= 1}
        self._keys = {p: v for p, v in self._keys.items() if len(p) <= 1}
        self._refill = refill

    def at(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The position of the value at `path` (or of its key), else of its nearest ancestor."""
        if len(path) > 1 and self._refill is not None:
            full, self._refill = self._refill(), None
            self._values, self._keys = full._values, full._keys
        table = self._keys if key else self._values
        while path:
            if path in table:
                return table[path]
            if path in self._values:
                return self._values[path]
            path = path[:-1]
        return self._values.get((), (1, 1))

    def error(self, path: Path, message: str, *, key: bool = False) -> Diagnostic:
        return Diagnostic(self.file, *self.at(path, key=key), "error", message)

    def warning(self, path: Path, message: str, *, key: bool = False) -> Diagnostic:
        return Diagnostic(self.file, *self.at(path, key=key), "warning", message)
