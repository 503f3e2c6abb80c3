"""The customer-service quotient of a team, filled in by its supervisor (simulator.quotient).

Seven areas, every statement rated 1 (never) to 5 (always) by a key (1-5) or a click; each
area's average and the total (7 to 35) with its band are worked out as the ratings are given.
Ctrl+S keeps it, with its date, through simulator.db.quotients (only a supervisor of the team or
an admin may); the team's earlier quotients are shown beside it as a trend, oldest first, each
as a bar on the same 7-35 scale.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Select, Static

from simulator.db.quotients import QuotientEntry, quotient_history, record_quotient
from simulator.quotient import AREAS, ASSET, BANDS, HIGHEST, LOSING, LOWEST, band, rate

from ..store import Store
from ..widgets.safe import line, plain_str

__all__ = ["QuotientScreen", "Rating", "history_text"]

LEAST = len(AREAS) * LOWEST
MOST = len(AREAS) * HIGHEST
BAR = 20
"""The widest history bar: the whole scale from 7 to 35 (narrower when the box is)."""


def _fmt(value: Fraction | float) -> str:
    """A total or an average to two decimals, without trailing zeros (27.67, 28, 4.5)."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


class Rating(Widget, can_focus=True):
    """One statement's rating, 1 to 5: a digit key, the arrows, or a click on the number."""

    DEFAULT_CSS = """
    Rating { width: 15; height: 1; margin-left: 1; }
    Rating:focus { background: $boost; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"rate({n})", "Rate 1-5", show=n == 1) for n in range(1, 6)),
        Binding("left", "step(-1)", show=False),
        Binding("right", "step(1)", show=False),
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]

    class Changed(Message):
        def __init__(self, rating: Rating) -> None:
            super().__init__()
            self.rating = rating

    def __init__(self, area: str, index: int, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.area, self.index = area, index
        self.value: int | None = None

    def render(self) -> Text:
        """Three cells a number; the chosen one in brackets (and reversed), so that it shows
        without colour too: ` 1  2  3 [4] 5 `."""
        text = Text()
        for n in range(LOWEST, HIGHEST + 1):
            if n == self.value:
                text.append(f"[{n}]", "reverse bold")
            else:
                text.append(f" {n} ", "")
        return text

    def set_value(self, value: int | None) -> None:
        self.value = value
        self.refresh()
        self.post_message(self.Changed(self))

    def action_rate(self, value: int) -> None:
        self.set_value(value)
        self.screen.focus_next()

    def action_step(self, by: int) -> None:
        start = self.value if self.value is not None else (LOWEST - 1 if by > 0 else HIGHEST + 1)
        self.set_value(min(HIGHEST, max(LOWEST, start + by)))

    def on_click(self, event: events.Click) -> None:
        n = event.x // 3 + LOWEST
        if LOWEST <= n <= HIGHEST:
            self.focus()
            self.set_value(n)


def history_text(entries: list[QuotientEntry], width: int = 40) -> Text:
    """The team's quotients, oldest first: the date, the total as a bar on the 7-35 scale and
    the total; under it, its change since the one before, its band and who rated it. `width`:
    the room there is (the bar shrinks to fit)."""
    if not entries:
        return Text("No quotient kept for this team yet.", "dim")
    bar = max(5, min(BAR, width - 17))
    out = Text()
    before: Fraction | None = None
    for e in entries:
        filled = round(bar * (float(e.total) - LEAST) / (MOST - LEAST))
        out.append(f"{e.made_at:%Y-%m-%d} ")
        out.append("█" * filled + "░" * (bar - filled), "bold" if e.band == "asset" else "")
        out.append(f" {_fmt(e.total):>5}\n  ")
        if before is not None:
            change = e.total - before
            out.append(f"({'+' if change >= 0 else ''}{_fmt(change)}) ", "dim")
        out.append(f"{e.band}, by {plain_str(e.made_by)}\n")
        before = e.total
    out.rstrip()
    return out


class QuotientScreen(Screen[None]):
    """The form for one team (a supervisor with several teams picks which), and its trend."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, store: Store, teams: list[str], team: str | None = None) -> None:
        super().__init__()
        self.store, self.teams = store, list(teams)
        self.team = team if team in self.teams else (self.teams[0] if self.teams else None)
        self.saved: QuotientEntry | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="q-body"):
            with VerticalScroll(id="q-form"):
                for area in AREAS:
                    yield Static(Text(area.title, "bold"), id=f"q-area-{area.id}",
                                 classes="q-area")
                    for i, statement in enumerate(area.statements):
                        with Horizontal(classes="q-statement"):
                            yield Static(statement, classes="q-text", markup=False)
                            yield Rating(area.id, i, id=f"q-{area.id}-{i}")
            with Vertical(id="q-side"):
                yield Select[str]([(line(t), t) for t in self.teams], value=self.team
                                  if self.team else Select.NULL, allow_blank=self.team is None,
                                  id="q-team", compact=True)
                yield Static("", id="q-total")
                with VerticalScroll(id="q-history-box"):
                    yield Static("", id="q-history")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Customer-service quotient"
        self.query_one("#q-form").border_title = "1 never … 5 always"
        self.query_one("#q-history-box").border_title = "Earlier quotients"
        self.query_one("#q-team", Select).display = len(self.teams) > 1
        if self.team is None:
            self.query_one("#q-total", Static).update(Text(
                "No team to rate: the quotient is rated for a team, by its supervisors or an "
                "admin, and you supervise none (an admin: no team has people yet).", "bold"))
            return
        self.sub_title = plain_str(f"team {self.team}")
        self.query_one(Rating).focus()
        self.update_total()
        self.load_history()

    # -- the sums -------------------------------------------------------------------------------
    def ratings(self) -> dict[str, list[int | None]]:
        out: dict[str, list[int | None]] = {a.id: [None] * len(a.statements) for a in AREAS}
        for r in self.query(Rating):
            out[r.area][r.index] = r.value
        return out

    def missing(self) -> list[Rating]:
        return [r for r in self.query(Rating) if r.value is None]

    @on(Rating.Changed)
    def update_total(self) -> None:
        ratings = self.ratings()
        total = Fraction(0)
        complete = True
        for area in AREAS:
            given = [v for v in ratings[area.id] if v is not None]
            head = self.query_one(f"#q-area-{area.id}", Static)
            if len(given) == len(area.statements):
                average = Fraction(sum(given), len(given))
                total += average
                head.update(Text.assemble((area.title, "bold"), f" · average {_fmt(average)}"))
            else:
                complete = False
                head.update(Text.assemble(
                    (area.title, "bold"), (f" · {len(given)}/{len(area.statements)} rated",
                                           "dim")))
        box = self.query_one("#q-total", Static)
        if complete:
            b = band(total)
            box.update(Text.assemble(("Total ", "bold"), (f"{_fmt(total)}", "bold"),
                                     f" of {MOST}: {b}\n", (BANDS[b], "italic"),
                                     "\nCtrl+S keeps it with today's date."))
        else:
            left = len(self.missing())
            box.update(Text.assemble(
                ("Total: ", "bold"), f"{left} statement(s) still to rate.\n",
                (f"{ASSET} or more: an asset; {LOSING + 1} to {ASSET - 1}: adequate; "
                 f"{LOSING} or less: losing customers.", "dim")))

    # -- saving ---------------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.team is None:
            return
        missing = self.missing()
        if missing:
            first = missing[0]
            area = next(a for a in AREAS if a.id == first.area)
            self.notify(f"{len(missing)} statement(s) not rated yet: first, {area.title}, "
                        f"statement {first.index + 1}.", severity="warning", markup=False)
            first.focus()
            first.scroll_visible()
            return
        answers = {a: [v for v in vs if v is not None] for a, vs in self.ratings().items()}
        self.save(self.team, answers)

    @work(thread=True, exclusive=True, group="quotient-save")
    def save(self, team: str, answers: dict[str, list[int]]) -> None:
        result = rate(answers)
        try:
            entry = self.store.ask(lambda engine, viewer: record_quotient(
                engine, viewer, team, result))
        except Exception as exc:  # a refusal, a full disk: said, nothing half-written
            self.app.call_from_thread(self.notify, plain_str(f"Not saved: {exc}"),
                                      severity="error", markup=False, timeout=10)
            return
        self.app.call_from_thread(self.was_saved, entry)

    def was_saved(self, entry: QuotientEntry) -> None:
        self.saved = entry
        self.notify(f"Saved for team {plain_str(entry.team)} on {entry.made_at:%Y-%m-%d}: "
                    f"{_fmt(entry.total)}, {entry.band}.", title="Quotient kept", markup=False)
        self.load_history()

    @work(thread=True, exclusive=True, group="quotient-history")
    def load_history(self) -> None:
        team = self.team
        if team is None:
            return
        try:
            entries: Any = self.store.ask(lambda engine, viewer: quotient_history(
                engine, viewer, team))
        except Exception as exc:
            entries = Text(plain_str(f"The history could not be read: {exc}"), "bold")
        self.app.call_from_thread(self.show_history, entries)

    def show_history(self, entries: list[QuotientEntry] | Text) -> None:
        box = self.query_one("#q-history", Static)
        box.update(entries if isinstance(entries, Text)
                   else history_text(entries, box.content_size.width))

    @on(Select.Changed, "#q-team")
    def team_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.team:
            self.team = event.value
            self.sub_title = plain_str(f"team {self.team}")
            self.load_history()

    def action_back(self) -> None:
        self.dismiss()
