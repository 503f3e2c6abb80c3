"""The report's CSV and table, formatted a column at a time, are cell for cell what formatting
every cell on its own gives (csv_cell, the table's one-line text), hostile values included."""

from __future__ import annotations

import csv
import io
import random

from simulator.cli.formats import _cell, csv_cell, to_csv, to_table

HOSTILE = [None, True, False, 0, 1, -3, 1.0, 2.5, "", " ", "1", "-3", "=1+1", "+x", "@SUM(A1)",
           "|calc", ";x", ",x", "\tx", "\rx", "\nx", " =1", "\u200b=1", "\ufeff@x", "\uff1d1",
           "a\x1bb", "\x9b31m", "right\u202eleft", "tab\there", "multi\nline", "caf\u00e9",
           "\u4e2d\u6587", "\U0001f600", "plain text", "2026-01-20T09:00:00Z", ["a", "=b"], [],
           ["x\x1b", 3, True], "\ud800", "'already", "~tilde", "!bang", "\x7f",
           '"},\n      {"', "}, {"]


def _old_csv(rows, columns) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row[c]) for c in columns])
    return buffer.getvalue()


def _old_table(rows, columns) -> str:
    if not rows:
        return "  (none)"
    cells = [[_cell(row[c]) for c in columns] for row in rows]
    shown = [i for i, c in enumerate(columns) if any(r[i] for r in cells)]
    widths = {i: max(len(columns[i]), *(len(r[i]) for r in cells)) for i in shown}
    lines = ["  " + "  ".join(columns[i].ljust(widths[i]) for i in shown).rstrip()]
    lines += ["  " + "  ".join(r[i].ljust(widths[i]) for i in shown).rstrip() for r in cells]
    return "\n".join(lines)


def test_column_formatting_matches_cell_formatting_on_hostile_values() -> None:
    rng = random.Random(12)
    columns = ("a", "b", "c", "empty", "lists")
    for _ in range(40):
        rows = [{"a": rng.choice(HOSTILE), "b": rng.choice(HOSTILE[:12]),
                 "c": rng.choice(HOSTILE), "empty": None,
                 "lists": rng.choice([["x"], [], None, ["=1", 2]])}
                for _ in range(rng.randint(1, 30))]
        assert to_csv(rows, columns) == _old_csv(rows, columns)
        assert to_table(rows, columns) == _old_table(rows, columns)
    assert to_csv([], columns) == _old_csv([], columns)
    assert to_table([], columns) == "  (none)"
    one = [{"a": v} for v in HOSTILE]
    assert to_csv(one, ("a",)) == _old_csv(one, ("a",))
    assert to_table(one, ("a",)) == _old_table(one, ("a",))


def test_a_value_and_its_lookalike_of_another_type_are_formatted_apart() -> None:
    rows = [{"v": True}, {"v": 1}, {"v": 1.0}, {"v": "1"}, {"v": False}, {"v": 0}]
    assert to_csv(rows, ("v",)).splitlines()[1:] == ['"yes"', '"1"', '"1.0"', '"1"', '"no"',
                                                      '"0"']
    assert [line.strip() for line in to_table(rows, ("v",)).splitlines()[1:]] == [
        "yes", "1", "1.0", "1", "no", "0"]


def test_cells_are_still_neutralised_and_escaped() -> None:
    out = to_csv([{"a": "=HYPERLINK(1)", "b": "x\x1b[2J"}, {"a": "\uff1d1", "b": 5}], ("a", "b"))
    assert out.splitlines() == ['"a","b"', '"\'=HYPERLINK(1)","x\\x1b[2J"', '"\'\uff1d1","5"']


def test_the_fast_json_is_json_text_byte_for_byte() -> None:
    from simulator.cli.formats import to_json
    from simulator.text import json_text

    rng = random.Random(7)
    scalars = [v for v in HOSTILE if not isinstance(v, list)] + [float("nan"), 1e300, -0.0]
    for _ in range(30):
        report = {"date": "2026-01-20",
                  "trainees": [{"a": rng.choice(scalars), "b\u202e": rng.choice(scalars)}
                               for _ in range(rng.randint(0, 5))],
                  "certifications": [{"missing": rng.choice(HOSTILE[-8:-4]),
                                      "x": rng.choice(scalars), "nested": {"k": [1, {}]}}
                                     for _ in range(rng.randint(0, 3))],
                  "calls": [{} for _ in range(rng.randint(0, 2))],
                  "empty": []}
        assert to_json(report) == json_text(report)
    assert to_json({}) == json_text({})
    rows = [{"k": '"},\n      {"', '},\n      {"x': 1}, {"k": "}, {", '},\n      {"x': None}]
    assert to_json({"calls": rows}) == json_text({"calls": rows})  # rows written in one go
