"""What differs between two of Textual's SVG screenshots, cell by cell, as text a CI log can
hold: a failed snapshot then says which lines changed and how, instead of pointing at an HTML
report that is gone with the CI machine."""

from __future__ import annotations

import difflib
import html
import re

__all__ = ["cells", "describe", "looks"]

CHAR_W = 12.2
LINE_H = 24.4
_TEXT = re.compile(r'<text class="([\w-]+)" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
                   r'clip-path="url\(#[\w-]*line-(\d+)\)">([^<]*)</text>')
_RECT = re.compile(r'<rect fill="(#[0-9a-fA-F]+)" x="([\d.]+)" y="([\d.]+)" '
                   r'width="([\d.]+)" height="[\d.]+" shape-rendering="crispEdges"/>')
_CLASS = re.compile(r"\.([\w-]+) \{([^}]*)\}")

Cell = tuple[str, str, str]
"""A character, its style (fill, weight, decoration: the class's rule) and its background."""


def cells(svg: str) -> list[list[Cell]]:
    """The screen as rows of cells, from one of Textual's (Rich's) SVG exports."""
    rules = {name.split("-", 2)[-1]: " ".join(body.split())
             for name, body in _CLASS.findall(svg)}
    grid: dict[tuple[int, int], list[str]] = {}
    width = height = 0
    for fill, x, y, w in _RECT.findall(svg):
        row = round((float(y) - 1.5) / LINE_H)
        first, count = round(float(x) / CHAR_W), round(float(w) / CHAR_W)
        for col in range(first, first + count):
            grid.setdefault((row, col), [" ", "", ""])[2] = fill.lower()
            width, height = max(width, col + 1), max(height, row + 1)
    for name, x, line, text in _TEXT.findall(svg):
        row, col = int(line), round(float(x) / CHAR_W)
        for ch in html.unescape(text).replace("\xa0", " ").rstrip("\n"):
            cell = grid.setdefault((row, col), [" ", "", ""])
            cell[0], cell[1] = ch, rules.get(name.split("-", 2)[-1], name)
            col += 1
            width, height = max(width, col), max(height, row + 1)
    return [[tuple(grid.get((r, c), (" ", "", ""))) for c in range(width)]  # type: ignore[misc]
            for r in range(height)]


_UNSEEN_ON_A_SPACE = re.compile(r"(^|;)\s*(fill|font-weight|font-style):[^;]*")


def looks(svg: str) -> list[list[Cell]]:
    """The cells as a person sees them: a space shows its background and any line drawn
    through it (underline, strike), never its text colour, weight or slant. Rich's export
    gives a blank cell a text style or none depending on how the line was cut into segments,
    which may differ from run to run with nothing on screen changed (a table's row padding,
    once cached, once not)."""
    return [[(ch, _UNSEEN_ON_A_SPACE.sub("", style).strip("; ") if ch == " " else style, bg)
             for ch, style, bg in row] for row in cells(svg)]


def describe(expected: str, actual: str, most: int = 40) -> str:
    """The rows whose text differs (a unified diff), then those whose text is the same but
    whose styles or backgrounds differ (the first cell that does, both ways); empty when the
    two screens look the same cell for cell (`looks`)."""
    old, new = looks(expected), looks(actual)
    old_text = ["".join(c[0] for c in row).rstrip() for row in old]
    new_text = ["".join(c[0] for c in row).rstrip() for row in new]
    out = list(difflib.unified_diff(old_text, new_text, "snapshot", "this run", lineterm="",
                                     n=1))
    for row, (a, b) in enumerate(zip(old, new, strict=False)):
        if old_text[row] != new_text[row] or a == b:
            continue
        col = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                   min(len(a), len(b)))
        x = a[col] if col < len(a) else ("", "", "")
        y = b[col] if col < len(b) else ("", "", "")
        out.append(f"row {row}, column {col} ({new_text[row][col:col + 20]!r}): style "
                   f"{x[1]!r} on {x[2]} -> {y[1]!r} on {y[2]}")
    if len(out) > most:
        out = [*out[:most], f"… and {len(out) - most} more lines"]
    return "\n".join(out)
