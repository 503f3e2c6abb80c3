"""svgdiff: what a failed snapshot prints, checked on a real snapshot changed by hand."""

from __future__ import annotations

from pathlib import Path

from svgdiff import cells, describe

SVG = (Path(__file__).parent / "__snapshots__" / "test_snapshots_supervisor"
       / "test_supervisor_home[80x24].svg").read_text(encoding="utf-8")


def test_screen_read_back_as_rows_of_cells() -> None:
    rows = cells(SVG)
    assert len(rows) == 24 and all(len(r) == 80 for r in rows)
    text = ["".join(c[0] for c in r) for r in rows]
    assert "sue · supervisor · your teams" in text[0]
    assert text[-1].lstrip().startswith("s Sort")
    assert any("2 of 2 trainees" in t for t in text)


def test_same_screen_nothing_to_say() -> None:
    assert describe(SVG, SVG) == ""


def test_changed_text_shown_as_a_diff_of_its_row() -> None:
    assert SVG.count("Reverse") == 1
    changed = SVG.replace("Reverse", "Revarse", 1)
    said = describe(SVG, changed)
    assert "-" in said and "+" in said
    assert [ln for ln in said.splitlines() if ln.startswith("+") and "Revarse" in ln]
    assert [ln for ln in said.splitlines() if ln.startswith("-") and "Reverse" in ln]


def test_changed_background_named_by_row_and_column() -> None:
    # the first cell of the header line gets another background: same text, other style
    first = '<rect fill="#242f38" x="0" y="1.5"'
    assert first in SVG
    said = describe(SVG, SVG.replace(first, '<rect fill="#ff0000" x="0" y="1.5"', 1))
    assert said.splitlines() == ["row 0, column 0 (' ⭘                 H'): "
                                 "style '' on #242f38 -> '' on #ff0000"]
