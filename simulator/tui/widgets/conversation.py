"""The conversation as it unfolds: customer and rep told apart by side, label and colour.

One scrolling widget that lines are appended to (a log), not a widget per line: a reply adds
its lines without mounting anything, so the screen is not laid out again on every turn. Each
entry is wrapped once to the view's width (again only when the width changes).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from scoring import ScoreEvent
from simulator.text import printable

__all__ = ["ConversationView", "Entry"]

SIDE = 8
"""The margin on the other side of a customer's or a rep's line, and left of a coach's note."""

THICK, OUTER = "█", "▌"
ROUND = ("╭", "─", "╮", "│", "╰", "╯")


@dataclass(frozen=True)
class Entry:
    """One entry of the conversation: its kind (customer, rep, coach, notice) and its text."""

    kind: str
    text: Text
    ok: bool = False
    """A notice: the call ended well (green) rather than badly (red)."""

    @property
    def plain(self) -> str:
        return self.text.plain


class ConversationView(ScrollView, can_focus=False):
    """Customer lines on the left, the rep's on the right, the coach's notes under a reply,
    the call's end in a box.

    Every line is Text made printable (simulator.text): shown literally, never as markup."""

    COMPONENT_CLASSES = {
        "conversation--customer", "conversation--rep", "conversation--coach",
        "conversation--muted", "conversation--lost", "conversation--ok",
    }
    DEFAULT_CSS = """
    ConversationView { height: 1fr; padding: 0 1; overflow-x: hidden; overflow-y: scroll; }
    ConversationView > .conversation--customer { color: $warning; }
    ConversationView > .conversation--rep { color: $primary; }
    ConversationView > .conversation--coach { color: $success; }
    ConversationView > .conversation--muted { color: $text-muted; }
    ConversationView > .conversation--lost { color: $error; }
    ConversationView > .conversation--ok { color: $success; }
    """

    def __init__(self, customer_name: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.customer_name = printable(customer_name, keep_newlines=False)
        self.entries: list[Entry] = []
        self._lines: list[Strip] = []
        self._width = 0
        """The width the lines were wrapped to (0: not known yet)."""

    # -- what the rep reads -------------------------------------------------------------------
    def texts(self, kind: str | None = None) -> list[str]:
        """The plain text of every entry (of one kind), in order."""
        return [e.plain for e in self.entries if kind is None or e.kind == kind]

    def add_customer(self, text: str) -> Entry:
        return self._add(Entry("customer", Text.assemble((f"{self.customer_name}\n", "bold"),
                                                         printable(text))))

    def add_rep(self, text: str, turn: int) -> Entry:
        return self._add(Entry("rep", Text.assemble((f"You, reply {turn}\n", "bold"),
                                                    printable(text))))

    def add_coach(self, feedback: str | None, events: list[ScoreEvent]) -> Entry | None:
        text = Text()
        if feedback:
            text.append("Coach: ", "bold")
            text.append(printable(feedback))
        for e in events:
            if text:
                text.append("\n")
            text.append(f"{e.points:+d} {e.dimension}", "bold")
            text.append(f"  {printable(e.reason)}")
        return self._add(Entry("coach", text)) if text else None

    def add_notice(self, text: str, ok: bool = False) -> Entry:
        return self._add(Entry("notice", Text(printable(text), "bold"), ok))

    # -- drawing ------------------------------------------------------------------------------
    def _add(self, entry: Entry) -> Entry:
        self.entries.append(entry)
        if self._width:
            self._lines.extend(self._render_entry(entry, self._width))
            self._resized()
        return entry

    def _rewrap(self) -> None:
        """Wrap every entry again to the view's width. The scrollbar is always there
        (overflow-y: scroll): the width never changes when the conversation first overflows,
        so that turn neither wraps everything again nor lays the screen out."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        self._width = width
        self._lines = [s for e in self.entries for s in self._render_entry(e, width)]
        self._resized()

    def _resized(self) -> None:
        size = Size(self._width, len(self._lines))
        if size != self.virtual_size:
            # not through the reactive, which lays the whole screen out again: only the
            # scrollbar changes (a layout then only if it appears or goes)
            self.set_reactive(ConversationView.virtual_size, size)
            self._scroll_update(size)
        self.refresh()
        # at the end (once more on a resize: the view may shrink, a longer list of replies)
        self.scroll_end(animate=False, immediate=True, x_axis=False)

    def on_resize(self, event: Resize) -> None:
        self._rewrap()

    def notify_style_update(self) -> None:
        """A theme change: the colours of the bars are drawn into the lines."""
        super().notify_style_update()
        if self._width:
            self._rewrap()

    def _bar_style(self, name: str) -> Style:
        style = self.get_component_rich_style(f"conversation--{name}")
        return Style(color=style.color)

    def _wrap(self, text: Text, width: int, justify: str, style: Style | None = None
              ) -> list[list[Segment]]:
        console = self.app.console
        options = console.options.update(width=max(1, width), justify=justify,  # type: ignore[arg-type]
                                         overflow="fold", no_wrap=False, height=None)
        return console.render_lines(text, options, style=style, pad=True)

    def _render_entry(self, entry: Entry, width: int) -> list[Strip]:
        base = self.rich_style
        return [strip.apply_style(base) for strip in self._draw_entry(entry, width)]

    def _draw_entry(self, entry: Entry, width: int) -> list[Strip]:
        blank = Strip.blank(width)
        if entry.kind == "notice":
            box = self._bar_style("ok" if entry.ok else "lost")
            inner = max(1, width - 4)
            lines = self._wrap(entry.text, inner, "center")
            tl, h, tr, v, bl, br = ROUND
            out = [blank, Strip([Segment(tl + h * (width - 2) + tr, box)], width)]
            out += [Strip([Segment(v, box), Segment(" "), *ln, Segment(" "), Segment(v, box)],
                          width) for ln in lines]
            out.append(Strip([Segment(bl + h * (width - 2) + br, box)], width))
            return out
        inner = max(1, width - SIDE - 3)  # a margin, the bar, a space either side
        if entry.kind == "customer":
            bar = Segment(THICK, self._bar_style("customer"))
            lines = self._wrap(entry.text, inner, "left")
            rows = [[bar, Segment(" "), *ln, Segment(" " * (SIDE + 1))] for ln in lines]
            return [blank, *(Strip(r, width) for r in rows)]
        if entry.kind == "rep":
            bar = Segment(THICK, self._bar_style("rep"))
            lines = self._wrap(entry.text, inner, "right")
            rows = [[Segment(" " * (SIDE + 1)), *ln, Segment(" "), bar] for ln in lines]
            return [blank, *(Strip(r, width) for r in rows)]
        bar = Segment(OUTER, self._bar_style("coach"))  # the coach's note, under the reply
        lines = self._wrap(entry.text, inner, "left", self.get_component_rich_style(
            "conversation--muted"))
        rows = [[Segment(" " * SIDE), bar, Segment(" "), *ln, Segment(" ")] for ln in lines]
        return [Strip(r, width) for r in rows]

    def render_line(self, y: int) -> Strip:
        """A stored line as it is (wrapped to this width, the widget's style applied): a
        repaint builds no new lines."""
        idx = self.scroll_offset.y + y
        if idx < len(self._lines) and self._lines[idx].cell_length == self._width:
            return self._lines[idx]
        width = self.scrollable_content_region.width
        if idx >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        return self._lines[idx].crop_extend(0, width, self.rich_style)
