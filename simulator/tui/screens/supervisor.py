"""The supervisor's home: every trainee of their teams at a glance (an admin: everyone).

The rows are SQL aggregates (simulator.db.overview.team_overview), shown as soon as they come;
the certification status of each trainee needs their exams, so it is filled in afterwards, a
page of trainees at a time (trainee_tracks), and kept until the next refresh: changing the team,
persona or dates asks the database for new aggregates only. Every query takes the person signed
in, so a supervisor sees their teams and an admin everyone, whatever this screen asks for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.validation import Function
from textual.widgets import DataTable, Footer, Header, Input, Select, Static
from textual.worker import get_current_worker

from scoring import DIMENSIONS
from scoring.certification import Status, Track, TrackStatus
from simulator.db.overview import TraineeOverview, team_overview, trainee_tracks
from simulator.scenario import Scenario
from simulator.standing import DUE

from ..store import Store
from ..widgets.safe import line, plain_str
from .home import HomeScreen
from .labels import SHORT, STATUS_WORDS

__all__ = ["STAFF", "OwnHomeScreen", "SupervisorHome", "status_cell"]

STAFF = ("supervisor", "admin")
"""The roles that open Hotseat on the supervisor's home."""
PAGE = 100
"""How many trainees' certification statuses are read at a time."""
RANK = {Status.EXPIRED: 0, Status.REFRESHER_DUE: 1, Status.IN_PROGRESS: 2,
        Status.NOT_STARTED: 3, Status.CERTIFIED: 4}
"""The order of statuses when sorting a track's column: the most urgent first."""


def status_cell(st: TrackStatus | None, required: int = 0) -> Text:
    """A track's status in one short cell, with the date that matters: when a certificate's
    refresher is due, when a due one expires, when an expired one did."""
    if st is None:
        return Text("…", "dim")
    if st.status == Status.CERTIFIED:
        when = f" {st.refresher_due_on:%Y-%m-%d}" if st.refresher_due_on else ""
        return Text(f"✔ refresher{when}")
    if st.status == Status.REFRESHER_DUE:
        when = f" {st.valid_until:%Y-%m-%d}" if st.valid_until else ""
        return Text(f"! due, expires{when}", "bold")
    if st.status == Status.EXPIRED:
        when = f" {st.valid_until:%Y-%m-%d}" if st.valid_until else ""
        return Text(f"✘ expired{when}", "bold")
    if st.status == Status.IN_PROGRESS and required:
        return Text(f"· in progress {required - len(st.missing)}/{required}")
    return Text(f"· {STATUS_WORDS.get(st.status, st.status)}", "dim")


def _due_date(st: TrackStatus) -> date | None:
    """The date a due track asks for: the expiry (past, for an expired certificate)."""
    return st.valid_until


def _num(value: int | None) -> Text:
    return Text("–" if value is None else str(value), justify="right")


def _when(moment: datetime | None) -> str:
    return "never" if moment is None else f"{moment.astimezone(UTC):%Y-%m-%d}"


@dataclass(frozen=True)
class Filters:
    team: str | None = None
    track: str | None = None
    status: str | None = None
    persona: str | None = None
    since: date | None = None
    until: date | None = None


def _parse_day(value: str) -> date | None:
    """A date typed in a filter: YYYY-MM-DD, or empty for none. ValueError otherwise."""
    value = value.strip()
    return date.fromisoformat(value) if value else None


def _valid_day(value: str) -> bool:
    try:
        _parse_day(value)
    except ValueError:
        return False
    return True


class OwnHomeScreen(HomeScreen):
    """A supervisor's (or admin's) own trainee-style home, to take calls; Escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Team"),
    ]

    def action_back(self) -> None:
        self.dismiss()


class SupervisorHome(Screen[None]):
    """Paints at once; the rows arrive from a worker, then their certification statuses."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort", "Sort"),
        Binding("r", "reverse", "Reverse"),
        Binding("slash", "filters", "Filter"),
        Binding("c", "calls", "My calls"),
        Binding("q", "quotient", "Quotient"),
        Binding("k", "app.calibration", "Calibrate"),
        Binding("w", "app.workspace", "Trainer view"),  # an admin's (app.check_action)
        Binding("escape", "to_table", "Table", show=False),
        Binding("f5", "reload", "Refresh", show=False),
    ]

    def __init__(self, scenarios: list[Scenario], store: Store, today: date | None) -> None:
        super().__init__()
        self.scenarios, self.store, self.today = scenarios, store, today
        self.filters = Filters()
        self.rows: list[TraineeOverview] = []
        self.statuses: dict[str, tuple[TrackStatus, ...]] = {}
        """Each trainee's status on every track, as read (kept until a refresh)."""
        self.tracks: list[Track] = []
        self.teams: set[str] = set()
        self.role: str | None = None
        self.sort_key: str | None = None
        """The column sorted on; None: those due first, then by name."""
        self.reverse = False
        self.shown: list[str] = []
        """The trainees in the table, in its order."""

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        personas = sorted({s.persona for s in self.scenarios})
        with Horizontal(id="filters"):
            yield Select[str]([], prompt="Team", id="f-team", compact=True)
            yield Select[str]([], prompt="Track", id="f-track", compact=True)
            yield Select[str]([(STATUS_WORDS[s], s) for s in Status.ALL], prompt="Status",
                              id="f-status", compact=True)
            yield Select[str]([(line(p), p) for p in personas], prompt="Persona",
                              id="f-persona", compact=True)
            yield Input(placeholder="from YYYY-MM-DD", id="f-since", compact=True,
                        validators=[Function(_valid_day, "a date as YYYY-MM-DD")])
            yield Input(placeholder="to YYYY-MM-DD", id="f-until", compact=True,
                        validators=[Function(_valid_day, "a date as YYYY-MM-DD")])
        yield Static("", id="summary")
        yield DataTable(id="due", cursor_type="row", zebra_stripes=False)
        yield DataTable(id="team", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = plain_str(f"{self.store.user} · team overview")
        due = self.query_one("#due", DataTable)
        due.border_title = "Due or overdue"
        due.add_columns("Trainee", "Team", "Track", "Status", "Expires (expired)")
        table = self.query_one("#team", DataTable)
        table.border_title = "Trainees"
        self._reading()
        self._columns()
        table.focus()
        self.load()

    def _columns(self) -> None:
        """The team table's columns: the fixed ones, then one per track shown."""
        table = self.query_one("#team", DataTable)
        table.clear(columns=True)
        names = [("name", "Trainee"), ("team", "Team"), ("calls", "Calls"),
                 ("passes", "Exams passed"), *((d, SHORT[d]) for d in DIMENSIONS),
                 ("documentation", "Doc"), ("weakest", "Weakest"), ("last", "Last call")]
        names += [(f"track:{t.id}", t.title) for t in self._tracks_shown()]
        for key, label in names:
            mark = ""
            if key == self.sort_key:
                mark = " ▼" if self.reverse else " ▲"
            table.add_column(line(label + mark), key=key)

    def _tracks_shown(self) -> list[Track]:
        return [t for t in self.tracks if self.filters.track in (None, t.id)]

    # -- loading --------------------------------------------------------------------------------
    def action_reload(self) -> None:
        self.statuses.clear()
        self.load()

    @work(thread=True, exclusive=True, group="supervisor")
    def load(self) -> None:
        """The rows (SQL aggregates), then the statuses not read yet, a page at a time."""
        worker = get_current_worker()
        role = self.store.sign_in()
        f = self.filters
        if role not in STAFF:
            self.app.call_from_thread(self.fill, role, [], [])
            return
        tracks = self.store.certification_tracks()
        try:
            rows = self.store.ask(lambda engine, viewer: team_overview(
                engine, viewer, team=f.team, persona=f.persona, since=f.since, until=f.until,
                today=self.today))
        except Exception as exc:  # the screen says so; the app is not stopped
            self.app.call_from_thread(self.failed, str(exc))
            return
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self.fill, role, tracks, rows)
        todo = [r.trainee for r in rows if r.trainee not in self.statuses]
        library = self.store.scenarios
        for start in range(0, len(todo), PAGE):
            if worker.is_cancelled:
                return
            page = todo[start:start + PAGE]

            def read(engine: Any, viewer: Any, page: list[str] = page) -> Any:
                return trainee_tracks(engine, viewer, page, tracks=tracks, scenarios=library,
                                      today=self.today)
            try:
                got = self.store.ask(read)
            except Exception as exc:
                self.app.call_from_thread(self.failed, str(exc))
                return
            self.app.call_from_thread(self.add_statuses, got,
                                      start + PAGE >= len(todo))

    def _reading(self) -> None:
        """Say the rows are being read (not `loading`: that would take the table's focus)."""
        self.query_one("#summary", Static).update(Text("Reading the trainees' calls…", "dim"))

    def failed(self, why: str) -> None:
        self.query_one("#summary", Static).update(
            Text(f"The team could not be read: {plain_str(why)}", "bold"))

    def fill(self, role: str, tracks: list[Track], rows: list[TraineeOverview]) -> None:
        self.role = role
        if role not in STAFF:
            self.rows = []
            self.query_one("#summary", Static).update(Text(
                "The team overview is for supervisors and admins. Press c for your calls."))
            self.render_rows()
            return
        if [t.id for t in tracks] != [t.id for t in self.tracks]:
            self.tracks = tracks
            select = self.query_one("#f-track", Select)
            select.set_options([(line(t.title), t.id) for t in tracks])
            self._columns()
        self.rows = rows
        known = set(self.teams)
        self.teams |= {r.team for r in rows if r.team}
        if self.store.viewer is not None:
            self.teams |= set(self.store.viewer.teams)
        if self.teams != known:
            team = self.query_one("#f-team", Select)
            value = team.value
            team.set_options([(line(t), t) for t in sorted(self.teams)])
            if isinstance(value, str) and value in self.teams:
                with team.prevent(Select.Changed):
                    team.value = value
        who = "everyone" if role == "admin" else "your teams"
        self.sub_title = plain_str(f"{self.store.user} · {role} · {who}")
        self.render_rows()

    def add_statuses(self, got: dict[str, tuple[TrackStatus, ...]], last: bool = True) -> None:
        """A page of statuses: their cells are filled in where the rows stand; the table is
        sorted again (due first) once the last page is in, or at once when a status filter
        decides which rows show."""
        self.statuses.update(got)
        if last or self.filters.status is not None:
            self.render_rows()
            return
        table = self.query_one("#team", DataTable)
        tracks = self._tracks_shown()
        for name, statuses in got.items():
            if name not in table.rows:
                continue
            by_track = {st.track_id: st for st in statuses}
            for t in tracks:
                table.update_cell(name, f"track:{t.id}",
                                  status_cell(by_track.get(t.id), len(t.requires)))
        self._render_due()
        self._render_summary(table.row_count)

    # -- the table ------------------------------------------------------------------------------
    def _status(self, row: TraineeOverview) -> dict[str, TrackStatus] | None:
        got = self.statuses.get(row.trainee)
        return None if got is None else {s.track_id: s for s in got}

    def visible_rows(self) -> list[TraineeOverview]:
        """The rows after the track and status filters (the others are SQL's), sorted."""
        f = self.filters
        out = []
        for row in self.rows:
            if f.status is not None:
                st = self._status(row)
                if st is None or not any(s.status == f.status for t, s in st.items()
                                         if f.track in (None, t)):
                    continue
            out.append(row)
        return self._sorted(out)

    def _sort_value(self, row: TraineeOverview, key: str) -> Any:
        if key == "name":
            return row.trainee
        if key == "team":
            return row.team
        if key == "calls":
            return row.calls
        if key == "passes":
            return row.exam_passes
        if key in DIMENSIONS:
            return row.dimensions.get(key)
        if key == "documentation":
            return row.documentation
        if key == "weakest":
            return row.weakest
        if key == "last":
            return row.last_call
        if key.startswith("track:"):
            st = (self._status(row) or {}).get(key.removeprefix("track:"))
            if st is None:
                return None
            when = st.refresher_due_on if st.status == Status.CERTIFIED else st.valid_until
            return (RANK.get(st.status, 9), when or date.max)
        return None

    def _sorted(self, rows: list[TraineeOverview]) -> list[TraineeOverview]:
        if self.sort_key is None:
            return sorted(rows, key=lambda r: (not self._due(r), r.trainee),
                          reverse=self.reverse)
        key = self.sort_key
        known = [r for r in rows if self._sort_value(r, key) is not None]
        unknown = [r for r in rows if self._sort_value(r, key) is None]
        known.sort(key=lambda r: (self._sort_value(r, key), r.trainee), reverse=self.reverse)
        return known + sorted(unknown, key=lambda r: r.trainee)  # blanks last, either way

    def _due(self, row: TraineeOverview) -> bool:
        st = self._status(row)
        return st is not None and any(s.status in DUE for t, s in st.items()
                                      if self.filters.track in (None, t))

    def render_rows(self, keep: int | None = None) -> None:
        """Fill the table; `keep`: the row highlighted before (default: the cursor's)."""
        table = self.query_one("#team", DataTable)
        keep = table.cursor_row if keep is None else keep
        # the trainee highlighted stays highlighted when the rows move (at the top: the top)
        current = self.shown[keep] if 0 < keep < len(self.shown) else None
        table.clear()
        tracks = self._tracks_shown()
        rows = self.visible_rows()
        self.shown = [r.trainee for r in rows]
        for r in rows:
            st = self._status(r)
            name = r.trainee if not r.display_name else f"{r.trainee} ({r.display_name})"
            cells: list[Any] = [
                line(name), line(r.team or "–"), _num(r.calls),
                Text(f"{r.exam_passes}/{r.exam_calls}", justify="right"),
                *(_num(r.dimensions.get(d)) for d in DIMENSIONS), _num(r.documentation),
                Text(r.weakest or "–"), Text(_when(r.last_call))]
            cells += [status_cell(None if st is None else st.get(t.id), len(t.requires))
                      for t in tracks]
            table.add_row(*cells, key=r.trainee)
        if rows:
            at = self.shown.index(current) if current in self.shown else min(keep, len(rows) - 1)
            table.move_cursor(row=at)
        self._render_due()
        self._render_summary(len(rows))

    def _render_due(self) -> None:
        """Every due or expired track of the trainees listed (of the track and status filtered
        on, if any), the most overdue first."""
        due = self.query_one("#due", DataTable)
        due.clear()
        titles = {t.id: t.title for t in self.tracks}
        items = []
        for r in self.rows:
            for st in (self._status(r) or {}).values():
                if st.status in DUE and self.filters.track in (None, st.track_id) \
                        and self.filters.status in (None, st.status):
                    items.append((_due_date(st) or date.max, r, st))
        items.sort(key=lambda i: (i[0], i[1].trainee, i[2].track_id))
        for when, r, st in items:
            due.add_row(line(r.trainee), line(r.team or "–"),
                        line(titles.get(st.track_id, st.track_id)),
                        Text(STATUS_WORDS.get(st.status, st.status), "bold"),
                        Text("" if when == date.max else f"{when:%Y-%m-%d}"),
                        key=f"{r.trainee}\x00{st.track_id}")
        due.border_title = f"Due or overdue ({len(items)})"
        due.display = bool(items)

    def _render_summary(self, shown: int) -> None:
        if self.role not in STAFF:
            return
        if not self.rows:
            self.query_one("#summary", Static).update(Text(self._nobody(), "dim"))
            return
        read = sum(1 for r in self.rows if r.trainee in self.statuses)
        text = f"{shown} of {len(self.rows)} trainees"
        if read < len(self.rows):
            text += f" · reading certification {read}/{len(self.rows)}…"
        sort = "due first, then name" if self.sort_key is None else self._label(self.sort_key)
        text += f" · sorted by {sort}{' (reversed)' if self.reverse else ''}"
        self.query_one("#summary", Static).update(Text(text, "dim"))

    def _nobody(self) -> str:
        """What an empty table means, and what to do about it (a new site's first admin opens
        Hotseat on an empty team)."""
        f = self.filters
        if any(v is not None for v in (f.team, f.persona, f.since, f.until)):
            return "No trainee matches these filters: press / to change them."
        if self.role == "admin":
            return ("No trainees yet. Add them with `hotseat people add NAME --team TEAM`; a "
                    "rep who opens Hotseat on this database joins as a trainee unless "
                    "`hotseat people newcomers refuse` is set. Press c to take a call yourself.")
        return ("No trainees in your teams yet: add them with `hotseat people add NAME "
                "--team TEAM` (a team of yours). Press c for your own calls.")

    def _label(self, key: str) -> str:
        table = self.query_one("#team", DataTable)
        column = table.columns.get(key)  # type: ignore[call-overload]
        label = column.label.plain if column is not None else key
        return label.rstrip(" ▲▼")

    # -- sorting --------------------------------------------------------------------------------
    def sort_by(self, key: str | None, reverse: bool = False) -> None:
        self.sort_key, self.reverse = key, reverse
        keep = self.query_one("#team", DataTable).cursor_row
        self._columns()  # (the columns' titles say which is sorted on)
        self.render_rows(keep)

    def action_sort(self) -> None:
        """Sort on the next column (after the last one, back to due first)."""
        keys = [str(k.value) for k in self.query_one("#team", DataTable).columns]
        if self.sort_key is None:
            self.sort_by(keys[0])
        else:
            i = keys.index(self.sort_key) if self.sort_key in keys else -1
            self.sort_by(keys[i + 1] if i + 1 < len(keys) else None)

    def action_reverse(self) -> None:
        self.sort_by(self.sort_key, not self.reverse)

    @on(DataTable.HeaderSelected, "#team")
    def header_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        self.sort_by(key, not self.reverse if key == self.sort_key else False)

    # -- filters --------------------------------------------------------------------------------
    @on(Select.Changed)
    def select_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else None
        which = (event.select.id or "").removeprefix("f-")
        if which not in ("team", "track", "status", "persona"):
            return
        changes: dict[str, Any] = {which: value}
        self.filters = replace(self.filters, **changes)
        if which == "track":
            self._columns()
            self.render_rows()
        elif which == "status":
            self.render_rows()
        else:
            self._reading()
            self.load()

    @on(Input.Submitted, "#f-since, #f-until")
    @on(Input.Blurred, "#f-since, #f-until")
    def dates_changed(self, event: Input.Submitted | Input.Blurred) -> None:
        since_in = self.query_one("#f-since", Input)
        until_in = self.query_one("#f-until", Input)
        try:
            since, until = _parse_day(since_in.value), _parse_day(until_in.value)
        except ValueError:
            self.notify("Dates are written YYYY-MM-DD, e.g. 2026-03-01.", severity="warning",
                        markup=False)
            return
        if since is not None and until is not None and since > until:
            self.notify("The 'from' date is after the 'to' date.", severity="warning",
                        markup=False)
            return
        if (since, until) != (self.filters.since, self.filters.until):
            self.filters = replace(self.filters, since=since, until=until)
            self._reading()
            self.load()
        if isinstance(event, Input.Submitted):
            self.query_one("#team", DataTable).focus()

    def set_filters(self, **changes: Any) -> None:
        """Set filters by value (tests and the command palette): the widgets follow."""
        for key, value in changes.items():
            if key in ("since", "until"):
                self.query_one(f"#f-{key}", Input).value = "" if value is None else str(value)
            else:
                select = self.query_one(f"#f-{key}", Select)
                if value is None:
                    select.clear()
                else:
                    select.value = value
        if "since" in changes or "until" in changes:
            self.filters = replace(self.filters, **{k: v for k, v in changes.items()
                                                    if k in ("since", "until")})
            self._reading()
            self.load()

    def action_filters(self) -> None:
        self.query_one("#f-team", Select).focus()

    def action_to_table(self) -> None:
        self.query_one("#team", DataTable).focus()

    # -- where to go ----------------------------------------------------------------------------
    @on(DataTable.RowSelected)
    def open_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        name = str(event.row_key.value).split("\x00", 1)[0]
        self.open_trainee(name)

    def open_trainee(self, name: str) -> None:
        from .trainee import TraineeScreen
        self.app.push_screen(TraineeScreen(name, self.scenarios, self.store, self.today))

    def action_calls(self) -> None:
        self.app.push_screen(OwnHomeScreen(self.scenarios, self.store, self.today))

    def action_quotient(self) -> None:
        from .quotient import QuotientScreen
        teams = sorted(self.store.viewer.teams) if self.store.viewer is not None else []
        if self.role == "admin":
            teams = sorted(self.teams)
        self.app.push_screen(QuotientScreen(self.store, teams, self.filters.team))

