"""Can the database be written, and why a write failed, in words a rep understands.

For the TUI, which must tell a rep plainly that their call is not being saved (issue 9): the
driver's messages ("database is locked", "attempt to write a readonly database", "database or
disk is full") are turned into one short reason here, once.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Engine

from ..text import printable
from .engine import is_read_only, writer

__all__ = ["READ_ONLY", "why", "writable"]

READ_ONLY = "the database is read-only"

_REASONS = [  # (words in the driver's message, what the rep is told)
    (("readonly", "read-only", "read only", "permission denied"), READ_ONLY),
    (("locked", "busy", "lock timeout", "could not obtain lock"),
     "the database is locked by another program"),
    (("disk is full", "database or disk is full", "no space left", "disk full",
      "could not extend file"), "the disk is full"),
    (("disk i/o error", "input/output error"), "the disk could not be written (an I/O error)"),
    (("malformed", "not a database", "file is not a database", "corrupt"),
     "the database file is damaged"),
    (("unable to open",), "the database file cannot be opened"),
    (("connection", "server closed", "could not connect", "terminating"),
     "the database server cannot be reached"),
]


def why(exc: BaseException) -> str:
    """A failed database call as a short plain reason ("the disk is full")."""
    orig = getattr(exc, "orig", None) or exc
    text = printable(" ".join(str(orig).split()), keep_newlines=False) or type(orig).__name__
    low = text.lower()
    for words, reason in _REASONS:
        if any(w in low for w in words):
            return reason
    return text if len(text) <= 160 else text[:159] + "…"


def writable(engine: Engine) -> bool:
    """False when the database refuses writes because it is read-only: a SQLite file opened
    read-only (`mode=ro`), one whose file or folder cannot be written, a read-only PostgreSQL
    role or server. Nothing is changed: one write that touches no row, rolled back.

    Any other failure (locked past the busy timeout, unreachable) is raised.
    """
    if is_read_only(engine):
        return False
    try:
        with writer(engine).connect() as conn, conn.begin() as transaction:
            conn.execute(sa.text("DELETE FROM alembic_version WHERE 1 = 0"))
            transaction.rollback()
    except sa.exc.DBAPIError as exc:
        if why(exc) == READ_ONLY:
            return False
        raise
    return True
