"""passwords for a served Hotseat, stored only as hashes (issue 16)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:40:00

- passwords: one row per person who may log in to a served Hotseat (`hotseat serve`): a salted
  scrypt hash (never the password), who set it and when, and a seal (HMAC with the site key) so
  that a hash written outside Hotseat is refused at login.
- login_failures: failed logins counted per name and per address with the time of the latest,
  so that every tab's process slows the next attempts alike.
Both start empty: nobody has a password until `hotseat people passwd NAME` sets one.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString for str columns
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Text = sqlmodel.sql.sqltypes.AutoString  # type: ignore[attr-defined]


def upgrade() -> None:
    op.create_table(
        "passwords",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("hash", Text(), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("seal", Text(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["trainees.id"]),
        sa.ForeignKeyConstraint(["set_by"], ["trainees.id"]),
        sa.PrimaryKeyConstraint("person_id"),
    )
    op.create_table(
        "login_failures",
        sa.Column("key", Text(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("login_failures")
    op.drop_table("passwords")
