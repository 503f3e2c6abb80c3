"""How report rows are written out: a plain table for the terminal, CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
from typing import Any

__all__ = ["neutralise", "to_csv", "to_table"]

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def neutralise(text: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (OWASP CSV injection)."""
    if text.startswith(DANGEROUS) or text.lstrip().startswith(DANGEROUS[:4]):
        return "'" + text
    return text


def to_csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """CSV with a header; text cells neutralised (numbers are ours and stay numbers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) if isinstance(v, int | float) and not isinstance(v, bool)
                         else neutralise(_cell(v)) for v in (row[c] for c in columns)])
    return buffer.getvalue()


def to_table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    if not rows:
        return "  (none)"
    cells = [[_cell(row[c]).replace("\n", " ") for c in columns] for row in rows]
    shown = [i for i, c in enumerate(columns) if any(r[i] for r in cells)]
    widths = {i: max(len(columns[i]), *(len(r[i]) for r in cells)) for i in shown}
    lines = ["  " + "  ".join(columns[i].ljust(widths[i]) for i in shown).rstrip()]
    lines += ["  " + "  ".join(r[i].ljust(widths[i]) for i in shown).rstrip() for r in cells]
    return "\n".join(lines)
