"""Opening trainees.db for use: the schema at the newest version, interrupted calls recovered."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Engine

from .calls import recover_interrupted
from .engine import DatabaseError, create_engine

__all__ = ["make_engine"]


def make_engine(url: str | None = None, *, recover: bool = True) -> Engine:
    """An engine on `url` (`--db`, else $HOTSEAT_DB, else ./trainees.db), ready to use.

    Also marks calls whose process died as incomplete (recover_interrupted), unless `recover`
    is False.
    """
    engine = create_engine(url)
    if recover:
        try:
            recover_interrupted(engine)
        except sa.exc.OperationalError as exc:
            engine.dispose()
            raise DatabaseError(f"cannot open {engine.url.render_as_string()}: "
                                f"{exc.orig or exc}") from None
    return engine
