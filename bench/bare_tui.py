"""The bare baselines of the TUI benchmarks: plain Textual apps, no Hotseat imported.

`home`: an app with as many widgets as Hotseat's home (header, two panels, the next-call line,
four selects, a search box, the library's table filled with the same titles, footer), which
paints at once; with `--db` a worker thread then reads the rep's data through sqlite3 (or
psycopg) in plain SQL, the same rows the home shows (the person, the last 100 calls, the exam
calls and the certificates of the certification panel), and fills the panels.

`call`: a conversation as a Textual RichLog; each key 1-9 appends the rep's line and the
customer's answer and stores both lines, each with an INSERT and a COMMIT (SQLite in WAL with
synchronous=FULL, as Hotseat opens it; or PostgreSQL), before the next key is taken.

Run by bench/run.py in a pseudo-terminal; it reads the same markers on the screen as for Hotseat.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, RichLog, Select, Static

CSS = """
#overview { height: auto; max-height: 45%; }
#tracks { width: 35%; min-width: 32; height: auto; max-height: 100%; min-height: 4;
          border: round $primary; padding: 0 1; }
#recent { width: 1fr; height: auto; max-height: 100%; min-height: 4; border: round $primary;
          padding: 0 1; }
#next { height: 1; padding: 0 1; background: $boost; }
#library { border: round $primary; padding: 0 1; height: 1fr; }
#filters { height: 1; margin-bottom: 1; }
#filters > Select { width: 1fr; margin-right: 1; }
#filters > Input { width: 1fr; }
#conversation { height: 1fr; }
"""


def connect(url: str) -> Any:
    """A DB-API connection: sqlite3 for sqlite:///PATH, psycopg for postgresql URLs."""
    if url.startswith("sqlite"):
        import sqlite3

        con = sqlite3.connect(url.split("///", 1)[1], isolation_level=None,
                              check_same_thread=False, timeout=60)
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = FULL")
        return con
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))


def _q(con: Any, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
    if type(con).__module__.startswith("psycopg"):
        sql = sql.replace("?", "%s")
    cur = con.execute(sql, args)
    return list(cur.fetchall()) if cur.description is not None else []


def home_rows(con: Any, user: str) -> dict[str, Any]:
    """The home's data in plain SQL: who, their last 100 calls, exam calls, certificates."""
    person = _q(con, "SELECT id, role FROM trainees WHERE name = ?", (user,))
    pid = person[0][0] if person else -1
    recent = _q(con, "SELECT started, scenario_id, overall, passed, outcome, mode FROM calls "
                     "WHERE trainee_id = ? ORDER BY started DESC, id DESC LIMIT 100", (pid,))
    exams = _q(con, "SELECT scenario_id, persona, role, started, passed, overall FROM calls "
                    "WHERE trainee_id = ? AND mode = 'exam' ORDER BY started, id", (pid,))
    certs = _q(con, "SELECT track_id, earned_on, valid_until FROM certificates "
                    "WHERE trainee_id = ? ORDER BY earned_on, track_id", (pid,))
    return {"role": person[0][1] if person else "trainee", "recent": recent, "exams": exams,
            "certs": certs}


class Home(Screen[None]):
    def __init__(self, data: dict[str, Any], url: str | None, user: str) -> None:
        super().__init__()
        self.data, self.url, self.user = data, url, user

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="overview"):
            yield Static(id="tracks")
            yield Static(id="recent")
        yield Static("", id="next")
        with Vertical(id="library"):
            with Horizontal(id="filters"):
                for name in ("Persona", "Problem", "Difficulty", "Language"):
                    yield Select([(Text(v), v) for v in self.data["choices"]], prompt=name,
                                 compact=True)
                yield Input(placeholder="Search  /", compact=True)
            table: DataTable[Text] = DataTable(id="scenarios", cursor_type="row",
                                               zebra_stripes=True)
            table.add_columns("Scenario", "Persona", "Problem", "Difficulty", "Lang")
            for row in self.data["scenarios"]:
                table.add_row(*[Text(str(v)) for v in row])
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#tracks").border_title = "Certification"
        self.query_one("#recent").border_title = "Recent calls"
        self.query_one("#library").border_title = "Scenario library"
        self.query_one("#scenarios").focus()
        if self.url:
            self.query_one("#tracks").loading = True
            self.query_one("#recent").loading = True
            self.load()

    @work(thread=True)
    def load(self) -> None:
        assert self.url is not None
        con = connect(self.url)
        rows = home_rows(con, self.user)
        con.close()
        self.app.call_from_thread(self.fill, rows)

    def fill(self, rows: dict[str, Any]) -> None:
        self.sub_title = f"{self.user} · {rows['role']}"
        earned = {track for track, *_ in rows["certs"]}
        text = Text()
        for track_id, title in self.data["tracks"]:
            text.append(f"{title}\n", "bold")
            text.append(("✔ certified" if track_id in earned else "· in progress") + "\n")
        box = self.query_one("#tracks", Static)
        box.update(text)
        box.loading = False
        titles = dict(self.data["titles"])
        table = Table(box=None, expand=True, pad_edge=False, show_edge=False)
        for name in ("When", "Scenario", "Result", "Mode"):
            table.add_column(name, no_wrap=True)
        for started, scenario, overall, passed, outcome, mode in rows["recent"][:10]:
            when = started if isinstance(started, datetime) else datetime.fromisoformat(started)
            result = (f"{overall:>3} {'passed' if passed else 'failed'}" if overall is not None
                      else outcome or "under way")
            table.add_row(f"{when.replace(tzinfo=UTC).astimezone():%b %d}",
                          Text(titles.get(scenario, scenario)), result, mode)
        recent = self.query_one("#recent", Static)
        recent.update(table)
        recent.loading = False
        title = self.data["scenarios"][0][0] if self.data["scenarios"] else ""
        self.query_one("#next", Static).update(
            Text.assemble(("Next call (n) ", "bold"), title, ("  needed for certification",
                                                              "italic")))


class HomeApp(App[None]):
    CSS = CSS
    TITLE = "Hotseat"

    def __init__(self, data: dict[str, Any], url: str | None, user: str) -> None:
        super().__init__()
        self.data, self.url, self.user = data, url, user

    def on_mount(self) -> None:
        self.push_screen(Home(self.data, self.url, self.user))


class CallApp(App[None]):
    CSS = CSS
    TITLE = "Hotseat"
    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(str(n), f"pick({n})", "Reply", show=n == 1) for n in range(1, 10)]]

    def __init__(self, script: dict[str, Any], url: str, call_id: int) -> None:
        super().__init__()
        self.script, self.call_id = script, call_id
        self.con = connect(url)
        self.turn = 0
        self.idx = 0
        _q(self.con, "CREATE TABLE IF NOT EXISTS bare_turns (call_id INTEGER, idx INTEGER, "
                     "speaker TEXT, text TEXT, PRIMARY KEY (call_id, idx))")
        if not url.startswith("sqlite"):
            self.con.commit()

    def compose(self) -> ComposeResult:
        yield Header()
        yield RichLog(id="conversation", wrap=True)
        yield Footer()

    def on_mount(self) -> None:
        self.say("customer", self.script["opening"])

    def say(self, speaker: str, text: str) -> None:
        self.query_one(RichLog).write(Text.assemble((f"{speaker}\n", "bold"), text))
        sqlite = not type(self.con).__module__.startswith("psycopg")
        if sqlite:
            self.con.execute("BEGIN IMMEDIATE")
        _q(self.con, "INSERT INTO bare_turns VALUES (?, ?, ?, ?)",
           (self.call_id, self.idx, speaker, text))
        if sqlite:
            self.con.execute("COMMIT")
        else:
            self.con.commit()
        self.idx += 1

    def action_pick(self, n: int) -> None:
        turns = self.script["turns"]
        if self.turn >= len(turns):
            return
        rep, customer = turns[self.turn]
        self.turn += 1
        self.say("rep", rep)
        self.say("customer", customer)
        if self.turn == len(turns):
            self.query_one(RichLog).write(Text(self.script["banner"], "bold"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["home", "call"])
    parser.add_argument("--data", required=True, help="JSON: the library's rows, the tracks")
    parser.add_argument("--db", help="database URL (home: read; call: write)")
    parser.add_argument("--user", default="")
    parser.add_argument("--call-id", type=int, default=1)
    args = parser.parse_args()
    with open(args.data, encoding="utf-8") as f:
        data = json.load(f)
    if args.kind == "home":
        HomeApp(data, args.db, args.user).run()
    else:
        CallApp(data, args.db, args.call_id).run()


if __name__ == "__main__":
    main()
