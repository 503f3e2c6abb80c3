"""free-text replies: what the rep typed, the option it played and the similarity (issue 15)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 00:40:00

Columns on `turns`, all NULL on a line picked from the list (every line stored before this
migration), so an upgrade keeps every record as it is and a downgrade drops them again:
- typed: what the rep typed on a trainee line in free-text mode; the line's `text` and
  `option` stay the option played (or the typed words and NULL when they matched none);
- match_engine (e5 | lexical), match_decision (match | confirm | none), similarity (to the
  option played): how the words were matched; rescoring replays this, never matching again;
- typed_tags (space-separated) and typed_notes (one a line): what the detectors found in the
  words, the tags that scored and the coach's notes.
- ix_turns_typed (call_id, idx, only typed lines): the typed lines of a call, for rescoring.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString for str columns
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Text = sqlmodel.sql.sqltypes.AutoString  # type: ignore[attr-defined]
TYPED = "typed IS NOT NULL"
COLUMNS = [("typed", Text()), ("match_engine", Text()), ("match_decision", Text()),
           ("similarity", sa.Float()), ("typed_tags", Text()), ("typed_notes", Text())]


def upgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    with op.batch_alter_table("turns") as batch:
        batch.create_index("ix_turns_typed", ["call_id", "idx"], unique=False,
                           sqlite_where=sa.text(TYPED), postgresql_where=sa.text(TYPED))


def downgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.drop_index("ix_turns_typed", sqlite_where=sa.text(TYPED),
                         postgresql_where=sa.text(TYPED))
    with op.batch_alter_table("turns") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
