"""The TUI's one door for untrusted text: scenario files, people's names, wrap-up records.

Textual parses a plain `str` as markup in many places (Static, Label, Button, DataTable cells,
OptionList and Select prompts, notify, border titles), and Rich does in Table cells: a scenario
title holding `[@click=app.quit]` would become a live action, and a lone `[/]` would stop the app
with a MarkupError. Text from outside Hotseat therefore reaches a widget only as a Rich `Text`
built here (never parsed as markup), after simulator.text.printable has shown every control
character as a visible escape (`\\x1b`), so that no escape sequence reaches the terminal.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input, Static

from simulator.text import printable

__all__ = ["PlainInput", "Saying", "line", "plain", "plain_str"]


def plain(text: str, style: str = "") -> Text:
    """Untrusted text as Text: literal, controls visible, its own line breaks kept."""
    return Text(printable(text), style=style)


def line(text: str, style: str = "") -> Text:
    """Untrusted text as Text on one line (a table cell, a title, a name): line breaks visible."""
    return Text(printable(text, keep_newlines=False), style=style)


def plain_str(text: str) -> str:
    """Untrusted text for a place that takes a str and does not parse markup (a screen's title
    and sub_title, which the Header shows as Content): one line, controls visible."""
    return printable(text, keep_newlines=False)


class PlainInput(Input):
    """An Input that keeps no control character: a paste holding an escape sequence shows (and
    is stored) as its visible escape, `\\x1b`, instead of being echoed to the terminal."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(printable(text, keep_newlines=False), start, end)

    def validate_value(self, value: str) -> str:
        return printable(value, keep_newlines=False)


class Saying(Static):
    """One line said to the person at a form (a login, a password dialog): an error in red,
    or a note (`error=False`) in muted text; untrusted text shown as text."""

    DEFAULT_CSS = """
    Saying { color: $error; height: auto; }
    Saying.-info { color: $text-muted; }
    """

    def say(self, message: str, *, error: bool = True) -> None:
        self.update(line(message))
        self.set_class(not error, "-info")

    @property
    def said(self) -> str:
        """What it says now, as plain text (for tests and the served page)."""
        return plain_str(str(self.render()))
