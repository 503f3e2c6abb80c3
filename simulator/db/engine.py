"""Where the database is, and an engine that is safe to share between processes.

SQLite: WAL, foreign keys on every connection, a busy timeout, and `BEGIN IMMEDIATE` for every
write transaction (a deferred read-then-write transaction fails at once with "database is locked"
when another process wrote in between). PostgreSQL: the same code on `postgresql+psycopg://`.
The schema is created and upgraded by Alembic (`init_db`), never by `create_all`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from ..errors import HotseatError

__all__ = ["BUSY_TIMEOUT_MS", "DEFAULT_URL", "HEAD", "MIGRATIONS", "READ_ONLY_NOTE",
           "DatabaseError", "create_engine", "current_revision", "explain", "init_db",
           "is_memory", "is_read_only", "parse_url", "resolve_url", "shown_url", "writer"]

DEFAULT_URL = "sqlite:///trainees.db"
HEAD = "0008"
"""The newest migration; a test checks it against migrations/versions."""
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 60_000
"""How long a SQLite writer waits for another process's write to finish."""
_PG_LOCK = 0x486F74736561  # "Hotsea": the advisory lock that serialises schema upgrades


class DatabaseError(HotseatError):
    """The database cannot be used: not a database, damaged, locked, read-only, disk full, or
    written by a newer Hotseat. Exit code 3."""

    exit_code = 3


class BadUrl(DatabaseError):
    """A --db (or $HOTSEAT_DB) that is no database URL: what was asked is wrong, exit 2."""

    exit_code = 2


SQLITE_MAGIC = b"SQLite format 3\x00"
READ_ONLY_NOTE = "read-only: opened for reading, nothing will be saved"


def resolve_url(cli_url: str | None = None) -> str:
    """`--db URL`, else $HOTSEAT_DB, else sqlite:///trainees.db in the current folder.

    An empty `--db` is refused (it would silently mean ./trainees.db).
    """
    if cli_url is not None and not cli_url.strip():
        raise BadUrl("--db is empty: give a database URL, e.g. sqlite:///trainees.db")
    return cli_url or os.environ.get("HOTSEAT_DB") or DEFAULT_URL


def parse_url(text: str) -> sa.URL:
    """A database URL, or a DatabaseError that says what is wrong with it."""
    try:
        return make_url(text)
    except (sa.exc.ArgumentError, ValueError):
        raise BadUrl(f"not a database URL: {shown_url(text)!r} (e.g. "
                            "sqlite:///trainees.db or postgresql+psycopg://user@host/db)") from None


def shown_url(url: str | sa.URL) -> str:
    """A URL as it may be printed: any password masked."""
    if isinstance(url, str):
        text = url
        try:
            url = make_url(text)
        except (sa.exc.ArgumentError, ValueError):
            return re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", text)  # mask what looks like one
    if url.get_backend_name() == "sqlite":
        return url.database or "an in-memory database"
    return url.render_as_string(hide_password=True)


def is_memory(url: sa.URL) -> bool:
    """An in-memory SQLite database: it keeps nothing once the program ends."""
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def is_read_only(engine: Engine) -> bool:
    """Was this SQLite database opened read-only (the file cannot be written)?"""
    return engine.url.get_backend_name() == "sqlite" and engine.url.query.get("mode") == "ro"


def explain(exc: BaseException, url: str | sa.URL) -> DatabaseError:
    """A driver or SQLAlchemy error as one plain line: what is wrong with which database."""
    where = shown_url(url)
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    low = text.lower()
    if "not a database" in low:
        why = "is not a Hotseat database (not an SQLite file): refused, left unchanged"
    elif "malformed" in low or "corrupt" in low:
        why = ("is damaged (the database disk image is malformed): restore it from a backup; "
               "it was left unchanged")
    elif "locked" in low or "busy" in low:
        why = (f"is locked by another program (waited {BUSY_TIMEOUT_MS // 1000} s): try again "
               "when it has finished")
    elif "readonly" in low or "read-only" in low:
        why = "is read-only: nothing can be saved to it"
    elif "full" in low or "no space" in low:
        why = "cannot be written: the disk is full"
    elif "unable to open" in low:
        why = "cannot be opened (does its folder exist, and may you read and write it?)"
    else:
        why = f"cannot be used: {text}"
    return DatabaseError(f"{where} {why}")


def create_engine(url: str | None = None) -> Engine:
    """An engine on `url` (resolved as resolve_url does) with the schema at the newest version.

    A SQLite file that is not an SQLite database is refused before anything touches it; one that
    cannot be written is opened read-only (see is_read_only). `simulator.db.make_engine` also
    recovers interrupted calls: use that one.
    """
    sa_url = parse_url(resolve_url(url))
    if sa_url.get_backend_name() == "sqlite":
        engine = _sqlite_engine(sa_url)
    else:
        try:
            engine = sa.create_engine(sa_url, pool_pre_ping=True)
        except (ImportError, sa.exc.SQLAlchemyError) as exc:
            raise DatabaseError(f"cannot use {shown_url(sa_url)}: {exc}") from None
    try:
        init_db(engine)
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        raise explain(exc, sa_url) from None
    return engine


def _check_sqlite_file(path: Path) -> bool:
    """Refuse a path that is not a SQLite database file; return whether it can be written."""
    if not path.exists():
        if not path.parent.is_dir():
            raise DatabaseError(f"cannot open {path}: the folder {path.parent} does not exist")
        if not os.access(path.parent, os.W_OK):
            raise DatabaseError(f"{path}: cannot create a database in {path.parent} "
                                "(the folder is read-only)")
        return True
    if not path.is_file():
        raise DatabaseError(f"{path} is not a database file (it is a folder or a device)")
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseError(f"{path} cannot be read: {exc.strerror}") from None
    if head and head != SQLITE_MAGIC:
        raise DatabaseError(f"{path} is not a Hotseat database (not an SQLite file): "
                            "refused, left unchanged")
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _sqlite_engine(url: sa.URL) -> Engine:
    memory = is_memory(url)
    read_only = False
    if memory:
        engine = sa.create_engine(url, poolclass=StaticPool,
                                  connect_args={"check_same_thread": False})
    else:
        path = Path(url.database or "")
        read_only = not _check_sqlite_file(path)
        if read_only:  # the file (or its folder) cannot be written: read it as it is
            url = url.set(database=f"file:{path.resolve()}",
                          query={"mode": "ro", "uri": "true"})
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not memory and not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")  # a committed turn survives a power cut
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        write = conn.get_execution_options().get("hotseat_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, whose transactions take the write lock at once (SQLite)."""
    return engine.execution_options(hotseat_write=True)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def init_db(engine: Engine) -> None:
    """Create or upgrade the schema to HEAD with Alembic, one process at a time."""
    if current_revision(engine) == HEAD:
        return  # the common case, without importing Alembic
    if is_read_only(engine):
        raise DatabaseError(f"{shown_url(engine.url)} is read-only and its records are not at "
                            "this Hotseat's version: it cannot be upgraded")
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with writer(engine).begin() as conn:  # BEGIN IMMEDIATE: other processes wait here
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, "head")
        except CommandError as exc:
            raise DatabaseError(f"this database was written by a newer Hotseat ({exc}); "
                                "upgrade Hotseat to use it") from None
