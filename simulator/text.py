"""Untrusted text made safe to show: the one function every screen and output goes through.

Scenario files, people's names and wrap-up records are written by people, and some will be
careless or hostile. A terminal obeys the control characters in what it prints (ESC starts a
sequence that can set the window title, write the clipboard or redraw a line; CR goes back to the
start of the line; BEL rings), and the bidi overrides reorder what a reader sees. `printable`
replaces every such character by a visible escape (`\\x1b`, `\\x9b`, `\\u202e`), so a reader sees
what was there and nothing is executed or reordered. Letters of every language, emoji and
punctuation are kept as they are.

`json_text` is `json.dumps` for our outputs: json.dumps escapes C0 controls but writes DEL, C1
controls and bidi overrides raw; here they are escaped too (the decoded value is unchanged).

Pure: no Textual, no Rich, no database. Markup is a concern of the TUI (simulator/tui/widgets/
safe.py), which builds its text objects from what this module returns.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["json_text", "printable", "unsafe_characters", "visible"]

BIDI = "\u202a-\u202e\u2066-\u2069"
"""Embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI, PDI)."""
_ALWAYS = f"\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}\u2028\u2029\ud800-\udfff"
"""Shown as escapes everywhere: C0 controls but tab and newline, DEL, C1 controls, bidi
controls, the line and paragraph separators, and lone surrogates (from undecodable bytes)."""
_MULTI_LINE = re.compile(f"[{_ALWAYS}]")
_ONE_LINE = re.compile(f"[{_ALWAYS}\n]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_JSON_RAW = re.compile(f"[\x7f-\x9f{BIDI}\u2028\u2029\ud800-\udfff]")
"""What json.dumps(ensure_ascii=False) leaves raw that must not reach a terminal."""


def visible(char: str) -> str:
    """The escape a reader sees in place of `char`: `\\x1b`, `\\n`, `\\u202e`."""
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """`text` with every control character shown as a visible escape, safe to print.

    A tab becomes a space. A newline is kept, unless `keep_newlines` is False (a table cell, a
    name, a title: anything that must stay on one line), where it shows as `\\n`.
    """
    text = text.replace("\t", " ")
    pattern = _MULTI_LINE if keep_newlines else _ONE_LINE
    return pattern.sub(lambda m: visible(m.group()), text)


def unsafe_characters(text: str, *, one_line: bool = False) -> list[str]:
    """The distinct characters `printable` would show as escapes, in order of appearance
    (`one_line`: also newlines and tabs, which have no place in an id or a name)."""
    pattern = _ONE_LINE if one_line else _MULTI_LINE
    if pattern.search(text) is None and not (one_line and "\t" in text):
        return []  # the usual case, without a look at each character
    return [c for c in dict.fromkeys(text) if pattern.match(c) or (one_line and c == "\t")]


def json_text(value: Any, *, indent: int | None = 2) -> str:
    """json.dumps(value, ensure_ascii=False, indent=indent), with DEL, C1 controls, bidi controls
    and lone surrogates written as \\u escapes too (the same JSON value; no raw control left).

    Output without such characters is byte for byte what json.dumps gives."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
