"""Opening trainees.db for use: the schema at the newest version, interrupted calls recovered."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Engine

from .calls import recover_interrupted
from .engine import create_engine, explain, is_read_only
from .verify import seal_records

__all__ = ["make_engine"]


def make_engine(url: str | None = None, *, recover: bool = True) -> Engine:
    """An engine on `url` (`--db`, else $HOTSEAT_DB, else ./trainees.db), ready to use.

    Also marks calls whose process died as incomplete (recover_interrupted), unless `recover`
    is False or the database is read-only, and seals the records of an earlier release once
    (verify.seal_records).
    """
    engine = create_engine(url)
    if recover and not is_read_only(engine):
        try:
            recover_interrupted(engine)
            seal_records(engine)
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            raise explain(exc, engine.url) from None
    return engine
