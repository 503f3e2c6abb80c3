"""svgdiff: what a failed snapshot prints, checked on a real snapshot changed by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from svgdiff import cells, describe
from textual.app import App
from textual.widgets import Input, TextArea

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


FOOTER = ('<text class="terminal-r13" x="0" y="581.2" textLength="36.6" '
          'clip-path="url(#terminal-line-23)">&#160;s&#160;</text>')


def _footer_split(space_class: str, key_class: str) -> str:
    """The footer's first span (" s ") cut in three, each with its own style."""
    assert FOOTER in SVG
    return SVG.replace(FOOTER, "".join(
        f'<text class="{cls}" x="{x}" y="581.2" textLength="12.2" '
        f'clip-path="url(#terminal-line-23)">{text}</text>'
        for cls, x, text in ((space_class, 0, "&#160;"), (key_class, 12.2, "s"),
                             ("terminal-r13", 24.4, "&#160;"))))


def test_text_style_on_a_blank_cell_is_not_seen() -> None:
    # the space before "s" drawn in another text style (colour, weight): another SVG, the same
    # screen, as Rich gives when a line is cut into segments another way
    other = _footer_split("terminal-r2", "terminal-r13")
    assert other != SVG and cells(other)[23][0][1] != cells(SVG)[23][0][1]
    assert cells(other)[23][0][2] == cells(SVG)[23][0][2]  # the same background
    assert describe(SVG, other) == ""


def test_text_style_on_a_letter_is_seen() -> None:
    other = _footer_split("terminal-r13", "terminal-r2")
    said = describe(SVG, other)
    assert said.startswith("row 23, column 1 ('s Sort")
    assert "font-weight: bold" in said


async def test_text_cursors_hold_still_in_the_ui_tests() -> None:
    """conftest.steady_cursors: a field's cursor shows, and stays, whenever a snapshot is taken."""
    class Two(App[None]):
        def compose(self) -> Any:
            yield Input(id="i")
            yield TextArea(id="t")
    app = Two()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.query_one(Input).cursor_blink is False
        assert app.query_one(TextArea).cursor_blink is False
        assert app.query_one(Input)._cursor_visible
