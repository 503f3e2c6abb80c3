"""The rep's possible replies as a numbered list: keys 1 to 9, or arrows and Enter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.events import Resize
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simulator.scenario import Option as Reply
from simulator.text import printable

__all__ = ["ReplyList"]


def prompt(n: int, reply: Reply) -> Text:
    """Reply `n` as the list shows it: its number, then its words as text (never markup)."""
    return Text.assemble((f"{n}  ", "bold"), printable(reply.say))


class ReplyList(OptionList):
    """An OptionList whose prompts are numbered; selecting one posts OptionSelected.

    The replies are replaced in place on every turn. Given every set of replies the call may
    show (`expect`), the list keeps the height of the tallest (up to its max-height) for the
    whole call: the screen does not jump, and is not laid out again, from turn to turn."""

    DEFAULT_CSS = """
    ReplyList { height: auto; max-height: 45%; }
    ReplyList > .option-list--option { padding: 0 1; }
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """The lines of the replies shown: once the height is set (`_fit`), more or fewer of them
    need a repaint and the scrollbar, not a new layout of the screen (Widget's lays it out)."""

    expected: Sequence[Sequence[Reply]] = ()
    """The sets of replies the call may show (each node's), to fit the list's height to."""
    _tallest: tuple[int, int] = (0, 0)
    """(width, lines): the lines of the tallest expected set at that width, measured once per
    width rather than on every turn (a few ms a reply on a call of many nodes)."""

    def expect(self, sets: Sequence[Sequence[Reply]]) -> None:
        self.expected = sets
        self._tallest = (0, 0)
        self._fit()

    def show(self, replies: list[Reply]) -> None:
        self.set_options([Option(prompt(n, reply), id=f"reply-{n}")
                          for n, reply in enumerate(replies, start=1)])
        if replies:
            self.highlighted = 0
        self._fit()

    def on_resize(self, event: Resize) -> None:
        self._fit()  # another width: another number of lines

    def _count_lines(self, replies: Sequence[Reply], width: int) -> int:
        """The lines `replies` take at `width`, wrapped as OptionList wraps them."""
        styles: Any = self.styles  # what OptionList itself measures its options with
        lines = 0
        for n, reply in enumerate(replies, start=1):
            lines += self._get_visual(Option(prompt(n, reply))).get_height(styles, width)
        return lines

    def _fit(self) -> None:
        """Set the height (rather than `auto`) to the tallest set of replies, once laid out:
        a new set of replies is then laid out again only if it needs more."""
        if not self.scrollable_content_region.width:
            return  # not laid out yet: `auto` until then
        padding = self.get_component_styles("option-list--option").padding
        width = self.content_region.width - self._get_left_gutter_width() - padding.width
        if self._tallest[0] != width:
            self._tallest = (width, max([0, *(self._count_lines(replies, width)
                                               for replies in self.expected)]))
        lines = max(self.virtual_size.height, self._tallest[1])
        height = lines + self.styles.gutter.height
        if self.styles.height is None or self.styles.height.cells != height:
            self.styles.height = height
