"""A trainee's trend: each dimension over time as a chart, or as a table of the numbers.

The chart is drawn by Plotext (textual-plotext). Its lines are told apart by colour, so where
there is no colour (NO_COLOR) or no room for it (a terminal under 80 columns) the same points
are shown as a plain table instead: the date, how many calls, and each dimension's score.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from scoring import DIMENSIONS

__all__ = ["NARROW", "TrendChart", "trend_rows"]

NARROW = 80
"""Under this many columns, the trend is a table: a chart would be too cramped to read."""
COLOURS = ("cyan", "green", "orange", "magenta")
"""Each dimension's colour, in Plotext's names (the legend uses Rich's names for the same)."""
LEGEND = ("cyan", "green", "dark_orange", "magenta")
MARKER = "hd"
"""Half-block lines (2x2 a cell, drawn with characters every terminal font has), told apart by
colour: without colour, the table is shown."""


def _day(point: Any) -> str:
    return f"{point.start.astimezone(UTC):%Y-%m-%d}"


def trend_rows(points: Sequence[Any], by: str = "call") -> tuple[list[str], list[list[str]]]:
    """The points as the plain-text trend: the column titles, and a row per call (or week),
    oldest first."""
    head = ["Week of" if by == "week" else "Date", *(["Calls"] if by == "week" else []),
            *(d.capitalize() for d in DIMENSIONS), "Overall"]
    rows = [[_day(p), *([str(p.calls)] if by == "week" else []),
             *(f"{p.dimensions[d]:.0f}" for d in DIMENSIONS), f"{p.overall:.0f}"]
            for p in points]
    return head, rows


class TrendChart(Widget):
    """Set `points` with `show`; the widget draws a chart, or a table (see the module)."""

    DEFAULT_CSS = """
    TrendChart { height: 1fr; min-height: 8; }
    TrendChart > #trend-legend { height: 1; padding: 0 1; }
    TrendChart > PlotextPlot { height: 1fr; }
    TrendChart > #trend-numbers { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.points: list[Any] = []
        self.by = "call"

    def compose(self) -> ComposeResult:
        legend = Text()
        for d, colour in zip(DIMENSIONS, LEGEND, strict=True):
            legend.append("━ ", colour)
            legend.append(f"{d} ")
        yield Static(legend, id="trend-legend")
        yield PlotextPlot()
        yield DataTable(id="trend-numbers", cursor_type="none", zebra_stripes=True)

    @property
    def plain(self) -> bool:
        """Show the table rather than the chart: no colour, or a narrow terminal."""
        return bool(self.app.no_color) or self.app.size.width < NARROW

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def show(self, points: Sequence[Any], by: str = "call") -> None:
        self.points, self.by = list(points), by
        self._draw()

    def _draw(self) -> None:
        plain = self.plain
        plot = self.query_one(PlotextPlot)
        numbers = self.query_one("#trend-numbers", DataTable)
        plot.display = not plain
        self.query_one("#trend-legend").display = not plain
        numbers.display = plain
        self.set_class(plain, "-plain")
        if plain:
            numbers.clear(columns=True)
            head, rows = trend_rows(self.points, self.by)
            if not rows:
                head, rows = ["No scored calls yet."], []
            for i, title in enumerate(head):
                numbers.add_column(title, key=title if i else "when")
            for row in rows:
                numbers.add_row(*(Text(c, justify="left" if i == 0 else "right")
                                  for i, c in enumerate(row)))
            numbers.scroll_end(animate=False, immediate=False)  # the latest in view
            return
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.ylim(0, 100)
        plt.yticks([0, 25, 50, 75, 100])
        if not self.points:
            plt.title("No scored calls yet")
            plot.refresh()
            return
        xs = list(range(1, len(self.points) + 1))
        for i, d in enumerate(DIMENSIONS):
            ys = [p.dimensions[d] for p in self.points]
            plt.plot(xs, ys, color=COLOURS[i % len(COLOURS)], marker=MARKER)
        step = max(1, len(xs) // 6)
        ticks = xs[::step]
        plt.xticks([float(x) for x in ticks], [_day(self.points[x - 1])[5:] for x in ticks])
        plt.xlabel("week" if self.by == "week" else "call")
        plot.refresh()
