"""the supervisor's workspace: the review log, blind calibrations, the customer-service quotient

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 10:00:00

- reviews: an append-only log of comments (on a turn or the whole call) and overrides of a
  call's pass or fail, with the reason, who and when. The call is never edited: the automatic
  result stays beside the override.
- calibrations: a supervisor's blind scores of a call (each dimension and pass or fail), one per
  person and call.
- quotients: a team's customer-service quotient (docs/domain.md, section 5), kept with its date.
Every row is sealed as it is written (simulator/db/seal.py); the tables start empty, so there is
nothing to back-fill.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString for str columns
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Text = sqlmodel.sql.sqltypes.AutoString  # type: ignore[attr-defined]


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=True),
        sa.Column("kind", Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("verdict", sa.Boolean(), nullable=True),
        sa.Column("made_by", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("seal", Text(), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"]),
        sa.ForeignKeyConstraint(["made_by"], ["trainees.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reviews") as batch:
        batch.create_index("ix_reviews_call_id", ["call_id"], unique=False)
    op.create_table(
        "calibrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("made_by", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("empathy", sa.Integer(), nullable=False),
        sa.Column("resolution", sa.Integer(), nullable=False),
        sa.Column("escalation", sa.Integer(), nullable=False),
        sa.Column("policy", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("seal", Text(), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"]),
        sa.ForeignKeyConstraint(["made_by"], ["trainees.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("call_id", "made_by"),
    )
    with op.batch_alter_table("calibrations") as batch:
        batch.create_index("ix_calibrations_call_id", ["call_id"], unique=False)
    op.create_table(
        "quotients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team", Text(), nullable=False),
        sa.Column("made_by", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("seal", Text(), nullable=True),
        sa.ForeignKeyConstraint(["made_by"], ["trainees.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("quotients") as batch:
        batch.create_index("ix_quotients_team", ["team"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quotients") as batch:
        batch.drop_index("ix_quotients_team")
    op.drop_table("quotients")
    with op.batch_alter_table("calibrations") as batch:
        batch.drop_index("ix_calibrations_call_id")
    op.drop_table("calibrations")
    with op.batch_alter_table("reviews") as batch:
        batch.drop_index("ix_reviews_call_id")
    op.drop_table("reviews")
