"""What the commands share: the one-line error, who is asking, the library, the database."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..bundled import BUNDLED
from ..errors import HotseatError
from ..scenario import Library, LoadError, load_library

if TYPE_CHECKING:  # the database layer is imported only by the commands that use it
    from sqlalchemy import Engine

    from ..db import Trainee

__all__ = ["FALLBACK_USER", "FileError", "UserError", "call_number", "library", "open_engine",
           "say", "viewer", "whoami"]

FALLBACK_USER = "trainee"
"""Who we are when the operating system gives no login name (some containers)."""


class UserError(HotseatError):
    """A mistake in what the user asked for: printed as `hotseat: error: ...`, exit 2."""

    exit_code = 2


class FileError(HotseatError):
    """A file or folder that cannot be read or written: exit 4."""

    exit_code = 4


CALL_MAX = 2**63 - 1
"""The largest call number a database can hold."""


def call_number(text: str) -> int:
    """A call's number on the command line: a whole number from 1 (argparse type)."""
    if not text.strip().isascii() or not text.strip().isdigit() or not 1 <= int(text) <= CALL_MAX:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a call number (a whole number "
                                         "from 1, as `report` lists them)")
    return int(text)


def say(text: str = "", *, err: bool = False) -> None:
    """Print a line for the user (standard error with `err`)."""
    print(text, file=sys.stderr if err else sys.stdout)


def whoami(as_user: str | None) -> str:
    """Who is asking: `--as NAME` (spaces trimmed) when given, else the operating-system login."""
    if as_user and as_user.strip():
        return as_user.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return FALLBACK_USER


def library(paths: Sequence[Path] | None = None) -> Library:
    """The scenarios under `paths` (default: the bundled library); errors go to standard error."""
    try:
        lib = load_library(list(paths) if paths else [BUNDLED])
    except LoadError as exc:
        raise UserError(str(exc)) from None
    for d in lib.errors:
        say(str(d), err=True)
    return lib


def open_engine(args: argparse.Namespace) -> Engine:
    """The database named by `--db` (else $HOTSEAT_DB, else ./trainees.db).

    An in-memory database is refused (it would keep nothing); a read-only one is opened for
    reading, with a notice on standard error.
    """
    from .. import db

    url = db.parse_url(db.resolve_url(getattr(args, "db", None)))
    if db.is_memory(url):
        raise UserError(f"{url.render_as_string()} is an in-memory database: it would keep "
                        "nothing; give a file, e.g. --db sqlite:///trainees.db")
    engine = db.make_engine(getattr(args, "db", None))
    if db.is_read_only(engine):
        say(f"hotseat: note: {db.shown_url(url)} is {db.READ_ONLY_NOTE}", err=True)
    return engine


def viewer(engine: Engine, args: argparse.Namespace) -> Trainee | None:
    """The person running the command, if the database knows them."""
    from .. import db

    return db.find_trainee(engine, whoami(getattr(args, "as_user", None)))
