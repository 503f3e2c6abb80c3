"""wrap-ups: the steps being taken now (domain.md section 3)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString for str columns
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Text = sqlmodel.sql.sqltypes.AutoString  # type: ignore[attr-defined]


def upgrade() -> None:
    with op.batch_alter_table("wrapups") as batch:  # SQLite: batch mode rebuilds the table
        batch.add_column(sa.Column("steps_now", Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("wrapups") as batch:
        batch.drop_column("steps_now")
