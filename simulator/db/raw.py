"""The fast read path: trainees.db over plain DB-API (sqlite3, psycopg), no SQLAlchemy.

For the commands and screens that only read and must start fast (`hotseat report`, the TUI's
home). Importing this module imports neither SQLAlchemy, SQLModel, pydantic nor Alembic (a test
checks it); psycopg only when the URL is a PostgreSQL one.

The rule: **anything unusual raises `Unusual`**, and the caller then takes the ordinary path
(`simulator.db.make_engine` and the SQLAlchemy queries) unchanged, which says what is wrong in
its own words and exit codes, upgrades the schema or recovers calls. Unusual is: a URL that is not
a plain `sqlite:///PATH` (no query options) or `postgresql+psycopg://...`, an in-memory
database, a file that is missing, not a file, not SQLite, or that cannot be written (the ordinary
path says it is read-only), a schema not at HEAD, records not sealed yet, a call whose process
died (the ordinary path marks it incomplete), a person the database does not know when the site
refuses newcomers, an empty database, `--as` refused, any driver error. The fast path never
writes: SQLite is opened through a `file:...?mode=ro` URI, PostgreSQL in a read-only
transaction.

API (stable; other modules build on it):

    reader = connect(url)                # Reader; url as --db gives it (None: $HOTSEAT_DB...)
    viewer = reader.viewer(login, as_user)   # Viewer: who is asking, as people.sign_in/view_as
    cond, params = visible(viewer, "t")  # SQL condition on trainees aliased t (db.visible)
    rows = reader.rows("SELECT ... WHERE x = ?", [x])   # `?` placeholders on both backends
    reader.close()                       # or `with connect(url) as reader:`

`as_datetime`, `as_date` and `as_bool` turn a column as either driver returns it into a naive
UTC datetime, a date, a bool. `HEAD` is the schema revision this code reads (a test checks it
against the migrations).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

from scoring.vocabulary import Role

from .viewer import Viewer

__all__ = ["HEAD", "Reader", "Unusual", "Viewer", "as_bool", "as_date", "as_datetime",
           "connect", "normalise", "visible"]

HEAD = "0008"
"""The schema revision this module reads; tests/test_raw_reader.py checks it is Alembic's head
(simulator.db.engine.HEAD)."""
SQLITE_MAGIC = b"SQLite format 3\x00"
STALE_AFTER = timedelta(hours=12)
"""calls.STALE_AFTER: an open call untouched this long is dead (recover_interrupted)."""
SEALED_KEY = "sealed"
"""verify.SEALED_KEY: the site setting saying the older records were sealed."""
BUSY_TIMEOUT_S = 60.0


class Unusual(Exception):
    """The fast path cannot answer this exactly as the ordinary path would: take that one."""


def normalise(name: str) -> str:
    """records.normalise: trimmed, spaces folded, case folded. A name records.check_name would
    refuse (empty, too long, a control character) raises Unusual: the ordinary path says why."""
    import unicodedata

    if not name or not name.strip() or len(name) > 64 or any(
            unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        raise Unusual("a name the ordinary path refuses")
    return " ".join(name.split()).casefold()


def visible(viewer: Viewer, alias: str = "trainees") -> tuple[str, list[Any]]:
    """The SQL condition on `alias` (the trainees table) keeping only the people this viewer
    may see, and its parameters: people.visible, word for word."""
    if viewer.sees_everyone:
        return "1 = 1", []
    if viewer.id is None:
        return "1 = 0", []
    if viewer.role is Role.SUPERVISOR and viewer.teams:
        teams = sorted(viewer.teams)
        marks = ", ".join("?" * len(teams))
        return f"({alias}.id = ? OR {alias}.team IN ({marks}))", [viewer.id, *teams]
    return f"{alias}.id = ?", [viewer.id]


def as_datetime(value: Any) -> datetime | None:
    """A stored time (naive UTC: text in SQLite, a datetime in PostgreSQL), naive."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def as_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _resolve(url: str | None) -> str:
    if url is not None and not url.strip():
        raise Unusual("--db is empty")
    return url or os.environ.get("HOTSEAT_DB") or "sqlite:///trainees.db"


class Reader:
    """One read-only connection. Use `rows` for queries (`?` placeholders)."""

    def __init__(self, con: Any, backend: str) -> None:
        self.con = con
        self.backend = backend
        """sqlite | postgresql"""

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.con.close()
        except Exception:  # noqa: BLE001 - closing a read-only connection cannot lose anything
            pass

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one query; any driver error raises Unusual."""
        if self.backend == "postgresql":
            sql = sql.replace("?", "%s")
        try:
            cur = self.con.execute(sql, tuple(params))
            return list(cur.fetchall())
        except Exception as exc:  # noqa: BLE001 - the ordinary path explains it
            raise Unusual(f"{type(exc).__name__}: {exc}") from exc

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        found = self.rows(sql, params)
        return found[0][0] if found else None

    def check(self) -> None:
        """What make_engine would do beyond reading: upgrade the schema, seal older records,
        recover dead calls. When any of it is due, Unusual."""
        try:
            revision = self.value("SELECT version_num FROM alembic_version")
        except Unusual:
            raise Unusual("no alembic_version table") from None
        if revision != HEAD:
            raise Unusual(f"schema at {revision}, not {HEAD}")
        if self.value("SELECT count(*) FROM site WHERE key = ?", [SEALED_KEY]) == 0:
            raise Unusual("records not sealed yet")
        now = datetime.now(UTC).replace(tzinfo=None)
        open_calls = self.rows("SELECT host, pid, touched, started FROM calls "
                               "WHERE ended IS NULL")
        if not open_calls:
            return
        import socket

        host = socket.gethostname()
        for host_, pid, touched, started in open_calls:
            when = as_datetime(touched) or as_datetime(started)
            if when is None or when < now - STALE_AFTER or (
                    host_ == host and pid is not None and not _alive(int(pid))):
                raise Unusual("a call to recover")

    def viewer(self, login: str, as_user: str | None = None) -> Viewer:
        """Who is asking, as cli.common.asking(create=False) finds them: the login, or the
        person `--as` names when the login may use it. Whatever the ordinary path would refuse
        or write (a first person becoming admin) raises Unusual."""
        if as_user is not None and not as_user.strip():
            raise Unusual("--as is empty")
        asker = self._sign_in(normalise(login))
        if as_user is None or normalise(as_user) == asker.name:
            return asker
        if asker.role not in (Role.ADMIN, Role.SUPERVISOR):
            raise Unusual("--as refused")
        target = self._person(normalise(as_user))
        if target is None:
            raise Unusual("--as: no such person")
        if asker.role is Role.SUPERVISOR and target.name != asker.name and (
                target.teams_own not in asker.teams or target.role is not Role.TRAINEE):
            raise Unusual("--as refused")
        return target.viewer

    def _sign_in(self, name: str) -> Viewer:
        person = self._person(name)
        if person is not None:
            return person.viewer
        if self.value("SELECT count(*) FROM trainees") == 0:
            raise Unusual("an empty database: the first person becomes its admin")
        if self.value("SELECT value FROM site WHERE key = ?", ["newcomers"]) == "refuse":
            raise Unusual("newcomers refused")
        return Viewer(name, Role.TRAINEE)

    def _person(self, name: str) -> _Person | None:
        found = self.rows("SELECT id, role, team FROM trainees WHERE name = ?", [name])
        if not found:
            return None
        pid, role, team = found[0]
        try:
            role = Role(role)
        except ValueError:
            raise Unusual(f"unknown role {role!r}") from None
        teams: frozenset[str] = frozenset()
        if role in (Role.SUPERVISOR, Role.ADMIN):
            led = [t for (t,) in self.rows(
                "SELECT team FROM supervised_teams WHERE person_id = ?", [pid])]
            teams = frozenset([*led, *([team] if team else [])])
        return _Person(Viewer(name, role, pid, teams), team)


@dataclass(frozen=True)
class _Person:
    viewer: Viewer
    teams_own: str | None
    """Their own team (people.view_as compares it)."""

    @property
    def name(self) -> str:
        return self.viewer.name

    @property
    def role(self) -> Role:
        return self.viewer.role


def _alive(pid: int) -> bool:
    """calls._alive."""
    if pid == os.getpid() or os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def connect(url: str | None = None, *, check: bool = True) -> Reader:
    """A read-only Reader on `url` (`--db`; None: $HOTSEAT_DB, else ./trainees.db), its schema
    at HEAD and nothing for make_engine to do (`check`: see Reader.check); else Unusual."""
    text = _resolve(url)
    if text.startswith("sqlite:///"):
        reader = _sqlite(text[len("sqlite:///"):])
    elif text.startswith("postgresql+psycopg://"):
        reader = _postgresql(text)
    else:
        raise Unusual("not a plain sqlite or postgresql+psycopg URL")
    if check:
        try:
            reader.check()
        except BaseException:
            reader.close()
            raise
    return reader


def _sqlite(database: str) -> Reader:
    if not database or database == ":memory:" or any(c in database for c in "?#%"):
        raise Unusual("not a plain file path")
    path = Path(database)
    try:
        if not path.is_file():
            raise Unusual("no such file")
        with path.open("rb") as f:
            if f.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                raise Unusual("not an SQLite file")
        if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            raise Unusual("read-only: the ordinary path says so")
    except OSError as exc:
        raise Unusual(str(exc)) from None
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True,
                              timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise Unusual(str(exc)) from None
    return Reader(con, "sqlite")


def _postgresql(url: str) -> Reader:
    if "#" in url:
        raise Unusual("a fragment: not a libpq URI")
    try:  # the options (`?options=...`) are libpq's own; any it refuses: Unusual
        import psycopg

        con = psycopg.connect("postgresql://" + url[len("postgresql+psycopg://"):])
        con.read_only = True
    except Exception as exc:  # noqa: BLE001 - ImportError, OperationalError: the ordinary path
        raise Unusual(str(exc)) from None
    return Reader(con, "postgresql")
