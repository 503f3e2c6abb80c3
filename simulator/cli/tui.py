"""Opening the TUI from the command line: the library parsed once, the database, who is asking.

Textual is imported only here and only when the TUI opens, so the other commands never load it.
The database is opened (and the database layer imported) on the TUI's database thread after
the home's first paint, not before it (issue 12); what fails there (a bad URL, a refusal) ends
the TUI and is reported here, with the same message and exit code as before.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..bundled import BUNDLED
from ..scenario import Library, LoadError
from ..scenario.index import index_library
from .common import (
    UserError,
    asking,
    login_name,
    open_engine,
    say,
    site_libraries,
    whoami,
)

if TYPE_CHECKING:
    from ..scenario import Scenario

__all__ = ["open_tui"]


def open_tui(args: argparse.Namespace, scenario: Scenario | None = None, *,
             start_node: str | None = None) -> int:
    """Run the trainee's TUI; `scenario` opens its briefing straight away (with `start_node`,
    a playtest at that node)."""
    try:
        from ..tui import make_app
    except ImportError as exc:
        raise UserError(f"the TUI is not available: {exc}") from None
    lib = indexed_library(getattr(args, "library_paths", None))
    engines: list[Any] = []

    def opener() -> tuple[Any, str]:
        """On the database thread, at first use: the database, and who is signed in."""
        engine = open_engine(args)
        engines.append(engine)
        return engine, asking(engine, args, create=True).name

    def quick() -> tuple[Any, Any]:
        """On the database thread, before the opener: the plain read path for the home, and
        who is asking (as `asking` finds them); raw.Unusual when the ordinary path must
        answer instead."""
        return quick_reader(args)

    name = " ".join(whoami(getattr(args, "as_user", None)).split()).casefold()  # as stored
    app = make_app(lib, None, name, scenario=scenario, shuffle=True,
                   start_node=start_node, opener=opener, quick=quick)
    try:
        app.run()
    finally:
        app.store.close()
        for engine in engines:
            engine.dispose()
    if app.store.failed is not None:
        raise app.store.failed
    return app.return_code or 0


def quick_reader(args: argparse.Namespace) -> tuple[Any, Any]:
    """A read-only `simulator.db.raw.Reader` on the database `--db` names and who is asking
    (the login, or `--as`), as `open_engine` and `asking` would find them; raw.Unusual (or a
    driver's error) when anything is unusual: the ordinary path then opens the database."""
    from ..db import raw

    reader = raw.connect(getattr(args, "db", None))
    try:
        return reader, reader.viewer(login_name(), getattr(args, "as_user", None))
    except BaseException:
        reader.close()
        raise


def indexed_library(paths: list[Path] | None) -> Library:
    """The library as `common.library` finds it (the bundled one, the site's, `paths`), from
    the library index: a file is read and validated only when it changed since the last start
    (simulator.scenario.index); its scenarios are stand-ins loaded in full when opened. The
    errors go to standard error, as `common.library`'s."""
    try:
        index = index_library([BUNDLED, *site_libraries(), *(paths or [])])
    except LoadError as exc:
        raise UserError(str(exc)) from None
    for d in index.errors:
        say(str(d), err=True)
    return index.library()
