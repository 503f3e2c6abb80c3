"""wrap-up records (domain.md section 3) and certificates as earned

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString for str columns
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Text = sqlmodel.sql.sqltypes.AutoString  # type: ignore[attr-defined]


def upgrade() -> None:
    op.create_table(
        "wrapups",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("complaint", Text(), nullable=False),
        sa.Column("solution", Text(), nullable=False),
        sa.Column("done_on_spot", sa.Boolean(), nullable=False),
        sa.Column("promised_for", Text(), nullable=True),
        sa.Column("follow_up", Text(), nullable=True),
        sa.Column("compensation", Text(), nullable=True),
        sa.Column("prevention", Text(), nullable=True),
        sa.Column("documentation", sa.Integer(), nullable=True),
        sa.Column("saved", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"]),
        sa.PrimaryKeyConstraint("call_id"),
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("track_id", Text(), nullable=False),
        sa.Column("earned_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("refresher_due_on", sa.Date(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("recorded", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"]),
        sa.ForeignKeyConstraint(["trainee_id"], ["trainees.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("trainee_id", "track_id", "earned_on"),
    )


def downgrade() -> None:
    op.drop_table("certificates")
    op.drop_table("wrapups")
