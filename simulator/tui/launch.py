"""Start the TUI from the command line: parse the library once, open the database, run."""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from simulator.errors import UserError
from simulator.scenario import LoadError, Scenario, load_library

from .app import make_app

__all__ = ["run_tui", "whoami"]


def whoami(as_user: str | None) -> str:
    """--as NAME, else the operating-system user."""
    if as_user and as_user.strip():
        return as_user.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers): still usable
        return "trainee"


def run_tui(args: argparse.Namespace, scenario: Scenario | None = None) -> int:
    from simulator import db
    from simulator.cli import BUNDLED

    try:
        library = load_library([BUNDLED])
    except LoadError as exc:
        raise UserError(str(exc)) from None
    try:
        engine: Any = db.make_engine(getattr(args, "db", None))
    except Exception as exc:  # noqa: BLE001 - a rep sees a message, never a traceback
        raise UserError(f"cannot open the database: {exc}") from None
    app = make_app(library, engine, whoami(getattr(args, "as_user", None)), scenario=scenario,
                   shuffle=True)
    try:
        app.run()
    finally:
        app.store.close()
    return app.return_code or 0
