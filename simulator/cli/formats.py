"""How report rows are written out: a plain table for the terminal, CSV for spreadsheets.

Every text cell is first made printable on one line (simulator.text.printable): a control
character shows as a visible escape (`\\r`, `\\x1b`), so no cell can redraw a terminal line or
split a CSV row. CSV cells are then all quoted, and a text cell a spreadsheet could run as a
formula gets a leading `'` (see `neutralise`). Numbers are the report's own and stay numbers.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any

from ..text import printable

__all__ = ["DANGEROUS", "csv_cell", "neutralise", "to_csv", "to_table"]

DANGEROUS = ("=", "+", "-", "@", "|", ";", ",", "\t", "\r", "\n")
"""A cell starting with one of these is written with a leading `'`: `= + - @` start a formula
(OWASP, CSV injection), `|` a DDE call, and `; ,` or a line break start a new cell or row in an
importer that splits on them; a tab or a line break may also be dropped before the formula."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    return printable(str(value), keep_newlines=False)


def _number(value: Any) -> bool:
    """A number of the report's own (an int or float in the row, never text that looks like one)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _invisible(char: str) -> bool:
    """Skipped before the first character a spreadsheet sees: spaces, and format characters
    (Unicode Cf: a BOM, zero-width space, joiner, word joiner, bidi controls...)."""
    return char.isspace() or unicodedata.category(char) == "Cf"


def neutralise(text: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (OWASP CSV injection).

    Prefixed with `'` when its first visible character, full-width forms folded (NFKC: `＝`
    is `=`), is one of DANGEROUS, or it starts with a tab or a line break."""
    if text.startswith(("\t", "\r", "\n")):
        return "'" + text
    first = next((c for c in text if not _invisible(c)), "")
    if first and unicodedata.normalize("NFKC", first).startswith(DANGEROUS):
        return "'" + text
    return text


def csv_cell(value: Any) -> str:
    """One CSV cell: a number as it is, any other value as neutralised one-line text."""
    return _cell(value) if _number(value) else neutralise(_cell(value))


def to_csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """CSV with a header, every cell quoted; text cells neutralised (numbers stay numbers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row[c]) for c in columns])
    return buffer.getvalue()


def to_table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """Aligned columns for the terminal, every cell on one line, columns left empty hidden."""
    if not rows:
        return "  (none)"
    cells = [[_cell(row[c]) for c in columns] for row in rows]
    shown = [i for i, c in enumerate(columns) if any(r[i] for r in cells)]
    widths = {i: max(len(columns[i]), *(len(r[i]) for r in cells)) for i in shown}
    lines = ["  " + "  ".join(columns[i].ljust(widths[i]) for i in shown).rstrip()]
    lines += ["  " + "  ".join(r[i].ljust(widths[i]) for i in shown).rstrip() for r in cells]
    return "\n".join(lines)
