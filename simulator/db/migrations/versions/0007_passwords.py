"""passwords for a served Hotseat, stored only as hashes (issue 16)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:40:00

Reserved in the chain so that three pieces of work can land in any order; the work that owns it
fills in upgrade() and downgrade() with its tables and says what they hold here.
"""
from collections.abc import Sequence

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
