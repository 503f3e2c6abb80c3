"""How report rows are written out: a plain table for the terminal, CSV for spreadsheets, JSON.

Every text cell is first made printable on one line (simulator.text.printable): a control
character shows as a visible escape (`\\r`, `\\x1b`), so no cell can redraw a terminal line or
split a CSV row. CSV cells are then all quoted, and a text cell a spreadsheet could run as a
formula gets a leading `'` (see `neutralise`). Numbers are the report's own and stay numbers.

A report has a few hundred thousand cells, most of them repeated (a mode, a scenario, a score,
a name): each column is formatted at once, every distinct value of it only once (`_column`), and
the rows are put back together by the csv module. The cells are exactly those of `csv_cell` and
`_cell`, value by value.

JSON is `json_text` of the report (indent 2), byte for byte, written without the indenting
encoder: a column of rows goes to the C encoder at once and the rows are laid out from its
values, as UTF-8 bytes (`json_parts`, `write_json`).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter
from typing import Any, TextIO, cast

from ..db.reportrows import Columns
from ..text import _JSON_RAW, json_text, printable

__all__ = ["DANGEROUS", "csv_cell", "json_parts", "neutralise", "to_csv", "to_json", "to_table",
           "write_csv", "write_json"]

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
    text = str(value)
    if text.isascii() and text.isprintable():
        return text  # nothing to escape (the common case, answered without a search)
    return printable(text, keep_newlines=False)


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
    first = text[:1]
    if "!" <= first <= "~":  # a visible ASCII character first: the common case
        return "'" + text if first in DANGEROUS else text
    if text.startswith(("\t", "\r", "\n")):
        return "'" + text
    first = next((c for c in text if not _invisible(c)), "")
    if first and unicodedata.normalize("NFKC", first).startswith(DANGEROUS):
        return "'" + text
    return text


def csv_cell(value: Any) -> str:
    """One CSV cell: a number as it is, any other value as neutralised one-line text."""
    return _cell(value) if _number(value) else neutralise(_cell(value))


def _plain_texts(values: list[Any], types: set[type]) -> bool:
    """Is every value text or None (`types`: the values'), the texts all printable ASCII
    (checked at once, in C)?"""
    if not _TEXT_TYPES.issuperset(types):
        return False
    joined = "".join(filter(None, values))
    return joined.isascii() and joined.isprintable()


_TEXT_TYPES = frozenset((str, type(None)))


def _plain_column(values: list[Any], cell: Callable[[Any], str]) -> list[Any] | None:
    """`cell` of every value of a column of whole numbers or of plain ASCII text (most of a
    report's), without a call per cell; None for any other column. The same cells: a number is
    its digits; a plain text is itself (`_cell`), with a leading `'` in CSV when its first
    character past spaces is one of DANGEROUS (`neutralise`: nothing else in printable ASCII is
    invisible or folds into one). For CSV, a column the csv module itself writes as those cells
    (ints, and texts or None that need no mark) is handed back as it is, not copied."""
    if cell is not _cell and cell is not csv_cell:
        return None
    types = set(map(type, values))  # once a column (a tenth of a second of a large report)
    if types == {int}:
        # CSV: the csv module writes an int as str() does, so the column goes as it is
        return values if cell is csv_cell else list(map(str, values))
    if not _plain_texts(values, types):
        return None
    if cell is not _cell:  # CSV: each distinct text looked at once
        marked = {v: "'" + v for v in set(values)
                  if v is not None and v.lstrip(" ")[:1] in _STARTS}
        if marked:
            return ["" if v is None else marked.get(v, v) for v in values]
        # the csv module writes None as "", quoted like any other cell: the column as it is
        return values
    return ["" if v is None else v for v in values]


_STARTS = frozenset(c for c in DANGEROUS if c.isascii() and c.isprintable())
"""The DANGEROUS characters a plain ASCII text can start with."""


def _column(values: list[Any], cell: Callable[[Any], str]) -> list[Any]:
    """`cell` of every value, each distinct value (of the same type: 1 is not True) formatted
    once; a column holding lists (not hashable) is formatted value by value."""
    plain = _plain_column(values, cell)
    if plain is not None:
        return plain
    try:
        return list(map(lru_cache(maxsize=None, typed=True)(cell), values))
    except TypeError:
        return list(map(cell, values))


Rows = list[dict[str, Any]] | Columns
"""A section: its rows, or its columns (reportrows.Columns: the fast report's calls)."""


def _columns(rows: Rows, columns: tuple[str, ...]) -> list[list[Any]]:
    """The rows' values, column by column."""
    if isinstance(rows, Columns):
        return [rows.values[c] for c in columns]
    if len(columns) == 1:
        return [[row[columns[0]] for row in rows]]
    return [list(c) for c in zip(*map(itemgetter(*columns), rows), strict=True)] if rows else \
        [[] for _ in columns]


def to_csv(rows: Rows, columns: tuple[str, ...]) -> str:
    """CSV with a header, every cell quoted; text cells neutralised (numbers stay numbers)."""
    buffer = io.StringIO()
    write_csv(buffer, rows, columns)
    return buffer.getvalue()


def write_csv(out: TextIO, rows: Rows, columns: tuple[str, ...]) -> None:
    """to_csv's text, written to `out` a row at a time once every cell is worked out (a
    report's CSV is never held whole: a StringIO of 100,000 calls is 200 MB, issue 12)."""
    cells = [_column(values, csv_cell) for values in _columns(rows, columns)]
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    writer.writerows(zip(*cells, strict=True))


def to_table(rows: Rows, columns: tuple[str, ...]) -> str:
    """Aligned columns for the terminal, every cell on one line, columns left empty hidden."""
    if not rows:
        return "  (none)"
    cells = [_column(values, _cell) for values in _columns(rows, columns)]
    shown = [i for i, column in enumerate(cells) if any(column)]
    widths = {i: max(len(columns[i]), *map(len, cells[i])) for i in shown}
    lines = ["  " + "  ".join(columns[i].ljust(widths[i]) for i in shown).rstrip()]
    # each cell padded to its column's width as str.ljust does (%-Ns: by characters), a row
    # at a time in C; a cell's own % is a value here, never part of the format
    row = "  ".join(f"%-{widths[i]}s" for i in shown)
    lines += ["  " + (row % r).rstrip()
              for r in zip(*(cells[i] for i in shown), strict=True)]
    return "\n".join(lines)


_SCALARS = frozenset((str, int, float, bool, type(None)))
_ROW = json.JSONEncoder(ensure_ascii=False, separators=(",\n      ", ": "))
"""A flat row written by the C encoder with the line breaks and indent of a row of a report
section (json.dumps with indent uses the pure-Python encoder, several times slower)."""


_LINES = json.JSONEncoder(ensure_ascii=False, separators=("\n", ": "))
"""A list of scalars, one encoded value a line (an encoded value never holds a raw line break:
the C encoder writes it as \\n), split on them: each value as _ONE writes it, in one call."""

_ONE = json.JSONEncoder(ensure_ascii=False).encode
"""One scalar as json.dumps writes it (the C encoder)."""


def _flat_or_lists(row: dict[Any, Any]) -> bool:
    """A row whose keys are text and whose values are scalars or lists of scalars."""
    return all(type(k) is str for k in row) and all(
        type(v) in _SCALARS or (type(v) is list and _SCALARS.issuperset(map(type, v)))
        for v in row.values())


def _listed(value: Any) -> str:
    """A value of a row (depth 2) as json.dumps(indent=2) writes it there."""
    if type(value) is not list:
        return _ONE(value)
    if not value:
        return "[]"
    return "[\n        " + ",\n        ".join(map(_ONE, value)) + "\n      ]"


def _indented(value: Any, depth: int) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), as nested `depth` levels deep."""
    if isinstance(value, dict) and depth == 2 and value and \
            _SCALARS.issuperset(map(type, value.values())):
        return "{\n      " + _ROW.encode(value)[1:-1] + "\n    }"
    if isinstance(value, dict) and depth == 2 and value and _flat_or_lists(value):
        # a row holding lists (the certifications': missing, refresher...): each value by
        # the C encoder, laid out as the indenting encoder does
        return "{\n      " + ",\n      ".join(f"{_ONE(k)}: {_listed(v)}"
                                               for k, v in value.items()) + "\n    }"
    if isinstance(value, list) and depth == 1:
        if not value:
            return "[]"
        if set(map(type, value)) == {dict} and all(value) and _SCALARS.issuperset(
                set(map(type, chain.from_iterable(map(dict.values, value))))):
            # flat rows, the whole list in one call of the C encoder: its separator puts each
            # key on its own line; between two rows it writes `},\n      {` (a line break never
            # occurs raw inside an encoded string), where the rows' own indent goes
            text = _ROW.encode(value)[2:-2].replace("},\n      {", "\n    },\n    {\n      ")
            return "[\n    {\n      " + text + "\n    }\n  ]"
        return "[\n    " + ",\n    ".join(_indented(v, 2) for v in value) + "\n  ]"
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)


def to_json(report: dict[str, Any]) -> str:
    """`json_text(report)` (indent 2), byte for byte, written fast: a report is a dict of
    sections, each a list of flat rows (or reportrows.Columns)."""
    return b"".join(json_parts(report)).decode("utf-8")


def write_json(out: TextIO, report: dict[str, Any]) -> None:
    """to_json(report) and a line break, written to `out` piece by piece: as UTF-8 bytes
    straight to its binary buffer when it writes UTF-8 (a report of 100,000 calls is 115 MB:
    joined as bytes, a byte a character, rather than as text of two or four bytes a character
    and encoded after, half a second sooner, issue 12), else as text."""
    binary = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if binary is None or not encoding or codecs.lookup(encoding).name != "utf-8":
        for part in json_parts(report):
            out.write(part.decode("utf-8"))  # whole characters: a piece ends between values
        out.write("\n")
        return
    out.flush()  # what was written as text goes first
    for part in json_parts(report):
        binary.write(part)
    binary.write(b"\n")
    binary.flush()


_CHUNK = 2000
"""Rows of a Columns section encoded at a time (the whole section is never one string)."""


def json_parts(report: dict[str, Any]) -> Iterator[bytes]:
    """to_json's text in UTF-8 pieces, to be written one after the other: a section held as
    Columns is encoded a few thousand rows at a time, so a report of 100,000 calls is never
    held as rows and text at once."""
    if not report:
        yield json_text(report).encode("utf-8")
        return
    yield b"{\n  "
    for i, (key, v) in enumerate(report.items()):
        head = (",\n  " if i else "") + f"{json.dumps(key, ensure_ascii=False)}: "
        if isinstance(v, Columns):
            yield _escaped(head).encode("utf-8")
            yield from _column_rows(v)  # escaped there
        else:
            yield _escaped(head + _indented(v, 1)).encode("utf-8")
    yield b"\n}"


def _escaped(text: str) -> str:
    """What json_text escapes beyond json.dumps (each a single character: piece by piece is
    the same as all at once)."""
    if text.isascii():
        return text  # nothing _JSON_RAW could match (all of it is beyond ASCII)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _encoded_scalars(column: list[Any]) -> str | None:
    """_LINES's text of a column whose every value is a scalar the C encoder writes as
    json.dumps(indent=2) does; None for any other. Asked of the encoded text (a search in C,
    not a type() a value): a list, tuple or dict begins a line of it with `[` or `{` (an
    encoded text never holds a raw line break, and a number, null, true or false never
    begin so), and a value of no JSON type stops the encoder."""
    try:
        text = _LINES.encode(column)
    except (TypeError, ValueError):
        return None
    if text[1:2] in ("[", "{") or "\n[" in text or "\n{" in text:
        return None
    return text


def _column_rows(section: Columns) -> Iterator[bytes]:
    """_indented(section.rows(), 1) in UTF-8, a chunk of rows at a time: chunks joined as the
    rows of one list are (`,` then the next row's indent). Each column's chunk goes to the C
    encoder in one call; when every value in the chunk is a scalar (the usual case), each
    column's text is escaped as json_text does (searched only when it holds text beyond
    ASCII), encoded and split, and the rows are interleaved from the values with the keys
    between, as bytes, in C. A chunk holding anything else is laid out row by row (_indented).
    Escaped first, the text holds no lone surrogate: it always encodes."""
    if not len(section):
        yield b"[]"
        return
    names = list(section.values)
    columns = list(section.values.values())
    # a row as _indented(row, 2) writes it, with the separator before it: each key's text
    # then its value, column after column
    heads = [repeat(_escaped(",\n    {\n      " + _ONE(names[0]) + ": ").encode("utf-8")),
             *(repeat(_escaped(",\n      " + _ONE(n) + ": ").encode("utf-8"))
               for n in names[1:])]
    tail = repeat(b"\n    }")
    yield b"[\n    "
    for start in range(0, len(section), _CHUNK):
        part = [c[start:start + _CHUNK] for c in columns]
        encoded = [_encoded_scalars(c) for c in part]
        if all(e is not None for e in encoded):
            values = [_escaped(cast(str, e)).encode("utf-8")[1:-1].split(b"\n")
                      for e in encoded]
            text = b"".join(chain.from_iterable(zip(*chain.from_iterable(
                zip(heads, values, strict=True)), tail, strict=False)))  # the repeats: endless
        else:
            text = _escaped("".join(",\n    " + _indented(dict(zip(names, row, strict=True)), 2)
                                    for row in zip(*part, strict=True))).encode("utf-8")
        yield text[6:] if not start else text  # the first row: no separator before it
    yield b"\n  ]"
