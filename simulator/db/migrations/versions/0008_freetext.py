"""free-text replies: what the rep typed, the option it played and the similarity (issue 15)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 00:40:00

Reserved in the chain so that three pieces of work can land in any order; the work that owns it
fills in upgrade() and downgrade() with its tables and says what they hold here.
"""
from collections.abc import Sequence

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
