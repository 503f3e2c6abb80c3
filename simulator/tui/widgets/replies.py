"""The rep's possible replies as a numbered list: keys 1 to 9, or arrows and Enter."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simulator.scenario import Option as Reply
from simulator.text import printable

__all__ = ["ReplyList"]


class ReplyList(OptionList):
    """An OptionList whose prompts are numbered; selecting one posts OptionSelected."""

    DEFAULT_CSS = """
    ReplyList { height: auto; max-height: 45%; }
    ReplyList > .option-list--option { padding: 0 1; }
    """

    def show(self, replies: list[Reply]) -> None:
        """Replace the replies in place. Once laid out, the list's height is set to fit them
        (rather than `auto`): the screen is laid out again only when that height changes, not
        on every turn."""
        self.set_options([
            Option(Text.assemble((f"{n}  ", "bold"), printable(reply.say)), id=f"reply-{n}")
            for n, reply in enumerate(replies, start=1)])
        if replies:
            self.highlighted = 0
        if self.scrollable_content_region.width:  # known: the lines were counted
            height = self.virtual_size.height + self.styles.gutter.height
            if self.styles.height is None or self.styles.height.cells != height:
                self.styles.height = height
