"""A trainee's page, for their supervisor: each dimension's trend, the weakest dimension and the
refresher proposed, certification (with its history), and their calls.

Every read takes the person signed in: a trainee the viewer may not see reads as one who does
not exist ("no trainee X among the people you may see"), never as an empty record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from scoring import DIMENSIONS
from scoring.certification import Certificate, Status
from simulator import db
from simulator.db.overview import TrendPoint, trend
from simulator.db.records import CallSummary
from simulator.scenario import Scenario
from simulator.standing import DUE, TrackRow, track_rows

from ..store import Store
from ..widgets.chart import TrendChart
from ..widgets.safe import line, plain_str
from .labels import SHORT, STATUS_WORDS

__all__ = ["TraineePage", "TraineeScreen", "load_page"]

BY_WEEK_AFTER = 60
"""More scored calls than this: the trend is drawn a point per week."""


@dataclass(frozen=True)
class TraineePage:
    """What the page shows, read in one go on the database thread."""

    name: str
    display_name: str | None = None
    team: str | None = None
    found: bool = False
    points: list[TrendPoint] = field(default_factory=list)
    by: str = "call"
    means: dict[str, float] = field(default_factory=dict)
    """Each dimension's mean over every scored call (what `weakest` is read from)."""
    calls: list[CallSummary] = field(default_factory=list)
    """Newest first."""
    tracks: list[TrackRow] = field(default_factory=list)

    @property
    def weakest(self) -> str | None:
        if not self.means:
            return None
        return min(self.means, key=lambda d: (self.means[d], DIMENSIONS.index(d)))


def load_page(engine: Any, viewer: db.Viewer, name: str, *, tracks: list[Any],
              scenarios: list[Scenario], today: date) -> TraineePage:
    """The page of `name` as `viewer` may see it (on the database thread)."""
    people = db.trainees(engine, viewer, name=name)
    if not people:
        return TraineePage(name=name)
    person = people[0]
    points = trend(engine, viewer, person.name)
    means: dict[str, float] = {d: sum(p.dimensions[d] for p in points) / len(points)
                               for d in DIMENSIONS} if points else {}
    by = "call"
    if len(points) > BY_WEEK_AFTER:
        points, by = trend(engine, viewer, person.name, by="week"), "week"
    every = db.calls_of(engine, viewer, [person.name])  # oldest first: certification reads all
    earned = db.stored_certificates(engine, viewer, person.name)
    rows = track_rows(tracks, every, earned, scenarios, today) if tracks else []
    calls = list(reversed(every))
    return TraineePage(person.name, person.display_name, person.team, True, points, by, means,
                       calls, rows)


def _requirement(label: str, titles: dict[str, str]) -> str:
    """A track's requirement as a person reads it: a scenario by its title, a persona as
    "any angry call"."""
    kind, _, what = label.partition(" ")
    if kind == "scenario" and what in titles:
        return f"“{titles[what]}”"
    if kind == "persona" and what:
        return f"any {what} call"
    return label


def certification_text(rows: list[TrackRow], titles: dict[str, str]) -> Text:
    """Each track's status, the refresher proposed when one is due, and every certificate
    earned on it (the current one first), with its dates."""
    if not rows:
        return Text("No certification tracks.", "dim")
    out = Text()
    for row in rows:
        out.append(f"{plain_str(row.title)}\n", "bold")
        out.append(f"  {STATUS_WORDS.get(row.status, row.status)}")
        if row.status in (Status.CERTIFIED, *DUE) and row.valid_until:
            verb = "" if row.status == Status.EXPIRED else ", valid until"
            out.append(f"{verb} {row.valid_until:%Y-%m-%d}")
        if row.status == Status.CERTIFIED and row.refresher_due_on:
            out.append(f", refresher {row.refresher_due_on:%Y-%m-%d}")
        if row.progress:
            out.append(f" ({row.progress})")
        out.append("\n")
        if row.missing:
            missing = ", ".join(_requirement(m, titles) for m in row.missing)
            out.append(f"  missing: {plain_str(missing)}\n", "dim")
        if row.refresher:
            names = ", ".join(plain_str(titles.get(s, s)) for s in row.refresher[:3])
            out.append(f"  refresher proposed: {names}\n", "italic")
        certs: list[Certificate] = [*([row.current] if row.current else []),
                                    *reversed(row.history)]
        for c in certs:
            out.append(f"  earned {c.earned_on:%Y-%m-%d}, valid to {c.valid_until:%Y-%m-%d}"
                       f"{'' if c is row.current else ' (earlier)'}\n", "dim")
    out.rstrip()
    return out


def _result(c: CallSummary) -> Text:
    if c.outcome is None:
        return Text("under way")
    if c.overall is None or c.outcome == "incomplete":
        return Text(c.outcome)
    verdict = "passed" if c.verdict else "failed"
    text = Text(f"{c.overall:>3} {verdict}")
    if c.override is not None:
        text.append(" (overridden)", "italic")
    return text


def _cut(text: Text, width: int = 30) -> Text:
    """A long scenario title cut to `width` cells with an ellipsis (the table stays readable)."""
    if text.cell_len > width:
        text.truncate(width - 1)
        text.append("…")
    return text


class TraineeScreen(Screen[None]):
    """One trainee's page; Enter on a call opens its replay (the app's `open_call`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("f5", "reload", "Refresh", show=False),
    ]

    class OpenCall(Message):
        """Open this stored call's replay: the app's `open_call` answers it."""

        def __init__(self, call_id: int) -> None:
            super().__init__()
            self.call_id = call_id

    def __init__(self, name: str, scenarios: list[Scenario], store: Store,
                 today: date | None) -> None:
        super().__init__()
        self.trainee, self.scenarios, self.store, self.today = name, scenarios, store, today
        self.page: TraineePage | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="who")
        with Horizontal(id="upper"):
            yield TrendChart(id="trend")
            with VerticalScroll(id="certs"):
                yield Static("", id="certification")
        yield DataTable(id="calls", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = plain_str(self.trainee)
        self.sub_title = "trainee's page"
        self.query_one("#trend").border_title = "Trend"
        self.query_one("#certs").border_title = "Certification"
        calls = self.query_one("#calls", DataTable)
        calls.border_title = "Calls"
        calls.add_columns("#", "When", "Scenario", "Mode", "Result",
                          *(SHORT[d] for d in DIMENSIONS))
        calls.focus()  # (not `loading`: it would take the table's focus)
        self.query_one("#who", Static).update(Text("Reading…", "dim"))
        self.load()

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()

    @work(thread=True, exclusive=True, group="trainee")
    def load(self) -> None:
        tracks = self.store.certification_tracks()
        today = self.today or date.today()
        try:
            page = self.store.ask(lambda engine, viewer: load_page(
                engine, viewer, self.trainee, tracks=tracks, scenarios=self.store.scenarios,
                today=today))
        except Exception as exc:
            page = TraineePage(self.trainee)
            self.app.call_from_thread(self.notify, plain_str(f"Could not read: {exc}"),
                                      severity="error", markup=False)
        self.app.call_from_thread(self.fill, page)

    def fill(self, page: TraineePage) -> None:
        self.page = page
        calls = self.query_one("#calls", DataTable)
        calls.clear()
        who = self.query_one("#who", Static)
        if not page.found:
            who.update(Text(f"No trainee {plain_str(page.name)} among the people you may see.",
                            "bold"))
            self.query_one(TrendChart).show([])
            self.query_one("#certification", Static).update(Text(""))
            return
        titles = {s.id: s.title for s in self.scenarios}
        self.title = plain_str(page.name if not page.display_name
                               else f"{page.name} ({page.display_name})")
        self.sub_title = plain_str(f"team {page.team or '–'} · {len(page.calls)} calls")
        text = Text()
        if page.weakest is not None:
            text.append("Weakest: ", "bold")
            text.append(f"{page.weakest} ({page.means[page.weakest]:.0f} on average over "
                        f"{sum(p.calls for p in page.points)} scored calls)")
        else:
            text.append("No scored calls yet.", "dim")
        proposals = [(r, r.refresher[0]) for r in page.tracks if r.refresher]
        nexts = [(r, r.proposed) for r in page.tracks if not r.refresher and r.proposed]
        if proposals:
            r, s = proposals[0]
            text.append("\nRefresher proposed: ", "bold")
            text.append(f"{plain_str(titles.get(s, s))} ({plain_str(r.title)}, "
                        f"{STATUS_WORDS.get(r.status, r.status)})")
        elif nexts:
            r, s = nexts[0]
            text.append("\nNext for certification: ", "bold")
            text.append(f"{plain_str(titles.get(s, s))} ({plain_str(r.title)})")
        else:
            text.append("\nNo refresher due.", "dim")
        who.update(text)
        self.query_one(TrendChart).show(page.points, page.by)
        self.query_one("#trend").border_title = \
            f"Trend ({'a point per week' if page.by == 'week' else 'a point per call'})"
        self.query_one("#certification", Static).update(
            certification_text(page.tracks, titles))
        for c in page.calls:
            calls.add_row(
                Text(str(c.id), justify="right"),
                Text(f"{c.started.astimezone(UTC):%Y-%m-%d}"),
                _cut(line(titles.get(c.scenario_id, c.scenario_id))), Text(c.mode), _result(c),
                *(Text(str(c.dimensions[d]) if d in c.dimensions else "–", justify="right")
                  for d in DIMENSIONS), key=str(c.id))

    @on(DataTable.RowSelected, "#calls")
    def open_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.OpenCall(int(str(event.row_key.value))))

