"""What the commands share: the one-line error, who is asking, the library, the database."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..bundled import BUNDLED
from ..errors import HotseatError
from ..scenario import Library, LoadError

if TYPE_CHECKING:  # the database layer is imported only by the commands that use it
    from sqlalchemy import Engine

    from ..db import Viewer
    from ..scenario import Scenario

__all__ = ["FALLBACK_USER", "SCENARIOS_ENV", "USER_ENV", "FileError", "UserError", "asking",
           "call_number", "library", "load_one", "login_name", "open_engine", "say",
           "site_libraries",
           "whoami", "with_common"]

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


USER_ENV = "HOTSEAT_USER"
"""Who is asking, when the deployment says so (an SSH forced command per key, a kiosk)."""


def login_name() -> str:
    """Who is asking: $HOTSEAT_USER when the deployment sets it, else the operating-system
    login (else "trainee", where the system gives no name)."""
    given = os.environ.get(USER_ENV, "").strip()
    if given:
        return given
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return FALLBACK_USER


def whoami(as_user: str | None) -> str:
    """The name Hotseat is used as: `--as NAME` (spaces trimmed) when given, else
    login_name(). Whether `--as` is allowed is for `asking` to say."""
    if as_user and as_user.strip():
        return as_user.strip()
    return login_name()


def with_common() -> argparse.ArgumentParser:
    """The options every command takes before or after its name (`--db`, `--as`)."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                   help="database URL (default: $HOTSEAT_DB, else sqlite:///trainees.db)")
    p.add_argument("--as", dest="as_user", metavar="NAME", default=argparse.SUPPRESS,
                   help="see Hotseat as this person (admins, and supervisors for their teams)")
    return p


def asking(engine: Engine, args: argparse.Namespace, *, create: bool = False) -> Viewer:
    """Who is asking, as a viewer: the login (see login_name), or the person named by `--as`
    when the login may use it. `create`: an unknown person is about to record a call, and is
    added as a trainee (when the site lets newcomers start)."""
    from .. import db

    as_user = getattr(args, "as_user", None)
    if as_user is not None and not as_user.strip():
        raise UserError("--as is empty: give a person's name")
    asker = db.sign_in(engine, login_name(), create=create and as_user is None)
    if as_user is None or db.normalise(as_user) == asker.name:
        return asker
    return db.view_as(engine, asker, as_user)


SCENARIOS_ENV = "HOTSEAT_SCENARIOS"
"""A site's own scenario folders, kept beside the bundled library (separated like PATH)."""


def site_libraries() -> list[Path]:
    """The folders $HOTSEAT_SCENARIOS names."""
    return [Path(p) for p in os.environ.get(SCENARIOS_ENV, "").split(os.pathsep) if p.strip()]


def library(paths: Sequence[Path] | None = None) -> Library:
    """The bundled library, the site's ($HOTSEAT_SCENARIOS) and the scenarios under `paths`,
    all added together (ids stay unique across all of them); errors go to standard error."""
    try:
        from ..scenario import load_library  # the models: not before the TUI's first paint

        lib = load_library([BUNDLED, *site_libraries(), *(paths or [])])
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


def load_one(file: Path) -> Scenario | None:
    """One scenario file (play, match), its problems printed; None when it has errors."""
    if not file.is_file():
        raise UserError(f"{file}: no such file")
    from ..scenario import load_file

    scenario, problems = load_file(file)
    for d in problems:
        say(str(d), err=True)
    return scenario
