"""Positioned problems: `PATH:LINE:COLUMN: error: MESSAGE`, lines and columns 1-based."""

from __future__ import annotations

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
    """Source positions of every key and value of one file, by path (1-based line, column)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._values: dict[Path, tuple[int, int]] = {}
        self._keys: dict[Path, tuple[int, int]] = {}

    def add(self, path: Path, value: tuple[int, int], key: tuple[int, int] | None = None) -> None:
        self._values[path] = value
        if key is not None:
            self._keys[path] = key

    def at(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The position of the value at `path` (or of its key), else of its nearest ancestor."""
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
