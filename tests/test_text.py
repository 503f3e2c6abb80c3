"""simulator.text: untrusted text made safe to print, and JSON with no raw control character."""

from __future__ import annotations

import json

import pytest

from simulator.text import json_text, printable, unsafe_characters

CASES = [
    # name, text, shown (keep_newlines=True), shown on one line
    ("ESC CSI clear screen", "a\x1b[2Jb", "a\\x1b[2Jb", "a\\x1b[2Jb"),
    ("OSC 52 clipboard", "\x1b]52;c;SGVsbG8=\x07", "\\x1b]52;c;SGVsbG8=\\x07",
     "\\x1b]52;c;SGVsbG8=\\x07"),
    ("OSC 0 window title", "\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07", "\\x1b]0;pwned\\x07"),
    ("BEL", "ding\x07", "ding\\x07", "ding\\x07"),
    ("CR redraws the line", "mallory\rfake 100 passed", "mallory\\rfake 100 passed",
     "mallory\\rfake 100 passed"),
    ("CR LF", "one\r\ntwo", "one\\r\ntwo", "one\\r\\ntwo"),
    ("newline", "one\ntwo", "one\ntwo", "one\\ntwo"),
    ("tab is a space", "a\tb", "a b", "a b"),
    ("NUL and backspace", "a\x00b\x08", "a\\x00b\\x08", "a\\x00b\\x08"),
    ("DEL", "a\x7f", "a\\x7f", "a\\x7f"),
    ("C1 CSI", "\x9b2J", "\\x9b2J", "\\x9b2J"),
    ("C1 NEL", "a\x85b", "a\\x85b", "a\\x85b"),
    ("RLO", "invoice\u202efdp.exe", "invoice\\u202efdp.exe", "invoice\\u202efdp.exe"),
    ("isolates", "\u2066x\u2069", "\\u2066x\\u2069", "\\u2066x\\u2069"),
    ("line separator", "a\u2028b", "a\\u2028b", "a\\u2028b"),
    ("lone surrogate (undecodable byte)", "ann\udcff", "ann\\udcff", "ann\\udcff"),
    ("French", "Désolé, ça arrive à l'été", "Désolé, ça arrive à l'été",
     "Désolé, ça arrive à l'été"),
    ("Dutch", "Het spijt me, ik bel u terug: één moment", "Het spijt me, ik bel u terug: één "
     "moment", "Het spijt me, ik bel u terug: één moment"),
    ("emoji and CJK", "📦 late 😀 配達", "📦 late 😀 配達", "📦 late 😀 配達"),
    ("markup is not a control", "[@click=app.quit]x[/]", "[@click=app.quit]x[/]",
     "[@click=app.quit]x[/]"),
    ("full-width and zero-width kept", "＝1\u200b\ufeff", "＝1\u200b\ufeff", "＝1\u200b\ufeff"),
]


@pytest.mark.parametrize("name, text, shown, one_line", CASES, ids=[c[0] for c in CASES])
def test_printable(name: str, text: str, shown: str, one_line: str) -> None:
    assert printable(text) == shown
    assert printable(text, keep_newlines=False) == one_line


@pytest.mark.parametrize("name, text, shown, one_line", CASES, ids=[c[0] for c in CASES])
def test_what_is_unsafe(name: str, text: str, shown: str, one_line: str) -> None:
    # a text is reported exactly when printable has to change it (a tab is fine in prose)
    assert bool(unsafe_characters(text)) == (printable(text) != text.replace("\t", " "))
    assert bool(unsafe_characters(text, one_line=True)) == (
        printable(text, keep_newlines=False) != text)


def test_unsafe_characters_are_distinct_in_order() -> None:
    assert unsafe_characters("a\x1bb\u202e\x1b\nc") == ["\x1b", "\u202e"]
    assert unsafe_characters("a\tb\x1b\n", one_line=True) == ["\t", "\x1b", "\n"]


JSON_CASES = [
    ("C0 (json.dumps already escapes)", "a\x1b[2J\x07", "a\\u001b[2J\\u0007"),
    ("DEL", "a\x7f", "a\\u007f"),
    ("C1 CSI", "\x9b2J", "\\u009b2J"),
    ("RLO", "x\u202ey", "x\\u202ey"),
    ("line separator", "a\u2028b", "a\\u2028b"),
    ("lone surrogate", "ann\udcff", "ann\\udcff"),
    ("accents and emoji stay as they are", "été één 😀", "été één 😀"),
]


@pytest.mark.parametrize("name, text, written", JSON_CASES, ids=[c[0] for c in JSON_CASES])
def test_json_text_escapes_every_control(name: str, text: str, written: str) -> None:
    out = json_text({"t": text}, indent=None)
    assert out == '{"t": "' + written + '"}'
    assert json.loads(out) == {"t": text}


def test_json_text_is_json_dumps_for_normal_text() -> None:
    value = {"scenario": "x", "lines": ["Désolé", "😀", 'a "quote"', "a\\b"], "n": [1, -2.5]}
    assert json_text(value) == json.dumps(value, ensure_ascii=False, indent=2)
