"""Alembic's environment for trainees.db.

`init_db` runs it programmatically with a connection already inside a write transaction
(config.attributes["connection"]). From a shell, `alembic -c alembic.ini revision --autogenerate
-m "..."` uses $HOTSEAT_DB (or sqlite:///trainees.db) instead.
"""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from alembic import context

from simulator.db.tables import UTCDateTime, metadata

config = context.config


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Write our UTC wrapper as the plain DateTime it stores, so scripts import nothing of ours."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies the table
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
elif context.is_offline_mode():
    from simulator.db.engine import resolve_url

    context.configure(url=resolve_url(), target_metadata=metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    from simulator.db.engine import resolve_url

    engine = sa.create_engine(resolve_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
