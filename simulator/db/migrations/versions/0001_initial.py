"""initial: trainees, calls, turns, score events

Revision ID: 0001
Revises:
Create Date: 2026-11-23 13:30:19
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString for str columns
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Text = sqlmodel.sql.sqltypes.AutoString  # type: ignore[attr-defined]


def upgrade() -> None:
    op.create_table(
        "trainees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", Text(), nullable=False),
        sa.Column("display_name", Text(), nullable=True),
        sa.Column("team", Text(), nullable=True),
        sa.Column("role", Text(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("trainees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trainees_team"), ["team"], unique=False)

    op.create_table(
        "calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", Text(), nullable=False),
        sa.Column("scenario_hash", Text(), nullable=False),
        sa.Column("persona", Text(), nullable=False),
        sa.Column("role", Text(), nullable=False),
        sa.Column("rubric_version", Text(), nullable=False),
        sa.Column("mode", Text(), nullable=False),
        sa.Column("started", sa.DateTime(), nullable=False),
        sa.Column("ended", sa.DateTime(), nullable=True),
        sa.Column("outcome", Text(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("empathy", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.Integer(), nullable=True),
        sa.Column("escalation", sa.Integer(), nullable=True),
        sa.Column("policy", sa.Integer(), nullable=True),
        sa.Column("overall", sa.Integer(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("failures", Text(), nullable=True),
        sa.Column("host", Text(), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("touched", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["trainee_id"], ["trainees.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.create_index("ix_calls_open", ["ended"], unique=False,
                              sqlite_where=sa.text("ended IS NULL"),
                              postgresql_where=sa.text("ended IS NULL"))
        batch_op.create_index("ix_calls_trainee_agg",
                              ["trainee_id", "started", "mode", "outcome", "scenario_id",
                               "overall", "passed", "empathy", "resolution", "escalation",
                               "policy"], unique=False)

    op.create_table(
        "score_events",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=False),
        sa.Column("dimension", Text(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reason", Text(), nullable=False),
        sa.Column("rule", Text(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"]),
        sa.PrimaryKeyConstraint("call_id", "seq"),
    )
    op.create_table(
        "turns",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("speaker", Text(), nullable=False),
        sa.Column("node", Text(), nullable=False),
        sa.Column("text", Text(), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=False),
        sa.Column("option", sa.Integer(), nullable=True),
        sa.Column("option_id", Text(), nullable=True),
        sa.Column("feedback", Text(), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"]),
        sa.PrimaryKeyConstraint("call_id", "idx"),
    )


def downgrade() -> None:
    op.drop_table("turns")
    op.drop_table("score_events")
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_index("ix_calls_trainee_agg")
        batch_op.drop_index("ix_calls_open", sqlite_where=sa.text("ended IS NULL"),
                            postgresql_where=sa.text("ended IS NULL"))
    op.drop_table("calls")
    with op.batch_alter_table("trainees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trainees_team"))
    op.drop_table("trainees")
