"""The scorecard: overall, pass or fail, each dimension, every event, the path beside the best."""

from __future__ import annotations

from typing import ClassVar

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from scoring import Scorecard
from simulator.call import CallResult, Line
from simulator.review import path_rows
from simulator.wrapup import DocumentationMark

from ..widgets.freetext import said_cell
from ..widgets.safe import plain, plain_str

__all__ = ["ScorecardScreen"]


def bar(value: int, width: int = 20) -> str:
    filled = round(value * width / 100)
    return "█" * filled + "░" * (width - filled)


class ScorecardScreen(Screen[str]):
    """Dismisses with "again" (try the same scenario again) or "home"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "leave('again')", "Try again"),
        Binding("h,escape", "leave('home')", "Home"),
    ]

    def __init__(self, result: CallResult, card: Scorecard, mode: str,
                 documentation: DocumentationMark | None, best: list[Line] | None,
                 unsaved: str | None = None) -> None:
        """`unsaved`: why this call is not (fully) in the rep's record, shown at the top."""
        super().__init__()
        self.result, self.card, self.mode = result, card, mode
        self.documentation, self.best = documentation, best
        self.unsaved = unsaved

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="scorecard"):
            if self.unsaved:
                yield Static(Text(self.unsaved, "bold"), id="unsaved")
            yield Static(self.verdict(), id="verdict")
            yield Static(self.dimensions(), id="dimensions")
            yield Static(self.events(), id="events")
            yield Static(self.paths(), id="paths")
            yield Static(Text("r: try this call again · h: home", "dim"), id="card-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{plain_str(self.result.scenario.title)} · scorecard"
        self.query_one("#verdict").set_class(not self.card.passed, "-failed")

    def verdict(self) -> Text:
        r, c = self.result, self.card
        text = Text.assemble(("PASSED" if c.passed else "FAILED", "bold reverse"),
                             (f"  {c.overall}/100 overall", "bold"),
                             f"   {self.mode} call · {r.outcome} at level {r.level} · "
                             f"mood {r.mood_start} to {r.mood_end}")
        for failure in c.failures:
            text.append(f"\n✘ {plain_str(failure)}")
        return text

    def dimensions(self) -> Text:
        text = Text()
        for name, value in self.card.dimensions.items():
            text.append(f"{name:<14}", "bold")
            text.append(f"{value:>3}  {bar(value)}\n")
        text.append(f"{'documentation':<14}", "bold")
        doc = self.documentation
        if doc is None and self.mode == "exam":
            text.append("  -  no wrap-up record: an exam needs one", "bold")
        elif doc is None:
            text.append("  -  no wrap-up record written")
        else:
            text.append(f"{doc.mark:>3}  {bar(doc.mark)}")
            for m in doc.facts:
                if m.missing and m.score < 1:
                    text.append(f"\n    {m.name}: not mentioned: "
                                f"{plain_str(', '.join(m.missing[:6]))}", "dim")
            if doc.missing_fields:
                text.append(f"\n    left empty: {', '.join(doc.missing_fields)}", "dim")
        return text

    # table cells are Text: Rich parses a str cell as markup, and lines come from a file
    def events(self) -> Table:
        table = Table(title="Every point, turn by turn", title_justify="left", box=box.SIMPLE,
                      expand=True, pad_edge=False)
        table.add_column("Turn", justify="right", no_wrap=True)
        table.add_column("Dimension", no_wrap=True)
        table.add_column("Pts", justify="right", no_wrap=True)
        table.add_column("Why", ratio=1)
        for e in self.card.events:
            table.add_row(str(e.turn), e.dimension, f"{e.points:+d}", plain(e.reason))
        if not self.card.events:
            table.add_row("", "", "", "No credits or deductions.")
        return table

    def paths(self) -> Table | Text:
        if self.best is None:
            return Text("This scenario has no best path to compare with.", "dim")
        table = Table(title="Your path beside the best path", title_justify="left",
                      box=box.SIMPLE, expand=True, pad_edge=False)
        table.add_column("Turn", justify="right", no_wrap=True)
        table.add_column("You said", ratio=1)
        table.add_column("", no_wrap=True)
        table.add_column("Best path", ratio=1)
        said = [x for x in self.result.transcript if x.speaker == "trainee"]
        for row in path_rows(self.result.transcript, self.best):
            line = said[row.turn - 1] if row.turn <= len(said) else None  # free text: both
            table.add_row(str(row.turn), plain(said_cell(line, row.taken) or "-"),
                          "=" if row.same else "≠", plain(row.best or "-"))
        return table

    def action_leave(self, where: str) -> None:
        self.dismiss(where)
