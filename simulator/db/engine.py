"""Where the database is, and an engine that is safe to share between processes.

SQLite: WAL, foreign keys on every connection, a busy timeout, and `BEGIN IMMEDIATE` for every
write transaction (a deferred read-then-write transaction fails at once with "database is locked"
when another process wrote in between). PostgreSQL: the same code on `postgresql+psycopg://`.
The schema is created and upgraded by Alembic (`init_db`), never by `create_all`.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from ..errors import HotseatError

__all__ = ["BUSY_TIMEOUT_MS", "DEFAULT_URL", "HEAD", "MIGRATIONS", "DatabaseError",
           "create_engine", "current_revision", "init_db", "resolve_url", "writer"]

DEFAULT_URL = "sqlite:///trainees.db"
HEAD = "0003"
"""The newest migration; a test checks it against migrations/versions."""
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 60_000
"""How long a SQLite writer waits for another process's write to finish."""
_PG_LOCK = 0x486F74736561  # "Hotsea": the advisory lock that serialises schema upgrades


class DatabaseError(HotseatError):
    """The database cannot be opened, or was written by a newer Hotseat."""


def resolve_url(cli_url: str | None = None) -> str:
    """`--db URL`, else $HOTSEAT_DB, else sqlite:///trainees.db in the current folder."""
    return cli_url or os.environ.get("HOTSEAT_DB") or DEFAULT_URL


def create_engine(url: str | None = None) -> Engine:
    """An engine on `url` (resolved as resolve_url does) with the schema at the newest version.

    `simulator.db.make_engine` also recovers interrupted calls: use that one.
    """
    text = resolve_url(url)
    try:
        sa_url = make_url(text)
    except sa.exc.ArgumentError:
        raise DatabaseError(f"not a database URL: {text!r} (e.g. sqlite:///trainees.db or "
                            "postgresql+psycopg://user@host/db)") from None
    if sa_url.get_backend_name() == "sqlite":
        engine = _sqlite_engine(sa_url)
    else:
        try:
            engine = sa.create_engine(sa_url, pool_pre_ping=True)
        except (ImportError, sa.exc.SQLAlchemyError) as exc:
            raise DatabaseError(f"cannot use {sa_url.render_as_string()}: {exc}") from None
    try:
        init_db(engine)
    except sa.exc.OperationalError as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open {sa_url.render_as_string()}: "
                            f"{exc.orig or exc}") from None
    return engine


def _sqlite_engine(url: sa.URL) -> Engine:
    memory = url.database in (None, "", ":memory:")
    if memory:
        engine = sa.create_engine(url, poolclass=StaticPool,
                                  connect_args={"check_same_thread": False})
    else:
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not memory:
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
