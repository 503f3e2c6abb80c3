"""Opening the TUI from the command line: the library parsed once, the database, who is asking.

Textual is imported only here and only when the TUI opens, so the other commands never load it.
"""

from __future__ import annotations

import argparse

from ..scenario import Scenario
from .common import UserError, asking, library, open_engine

__all__ = ["open_tui"]


def open_tui(args: argparse.Namespace, scenario: Scenario | None = None, *,
             start_node: str | None = None) -> int:
    """Run the trainee's TUI; `scenario` opens its briefing straight away (with `start_node`,
    a playtest at that node)."""
    try:
        from ..tui import make_app
    except ImportError as exc:
        raise UserError(f"the TUI is not available: {exc}") from None
    lib = library(getattr(args, "library_paths", None))
    engine = open_engine(args)
    viewer = asking(engine, args, create=True)
    app = make_app(lib, engine, viewer.name, scenario=scenario, shuffle=True,
                   role=str(viewer.role), start_node=start_node)
    try:
        app.run()
    finally:
        app.store.close()
        engine.dispose()
    return app.return_code or 0
