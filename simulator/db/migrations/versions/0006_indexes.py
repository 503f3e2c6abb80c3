"""covering indexes for reports, rescoring and the review log (issue 12)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:40:00

Indexes only: no table or row changes, so an upgrade from 0005 keeps every record as it is, and
a downgrade drops them again.
- ix_turns_picks (turns: call_id, idx, option; only the trainee's lines): the picks of a call,
  in order, read from the index alone: `rescore` replays 100,000 calls from them, and a call's
  replay reads them.
- ix_reviews_latest (reviews: call_id, kind, id, verdict): a call's standing override (the
  latest override's verdict) and its comment count, read from the index alone: every call
  summary of a report, the history and the supervisor's home asks for them, one lookup per call.
- ix_calls_scenario (calls: scenario_id, mode, outcome, overall, passed, the four dimensions
  and the trainee, for who may see it): each scenario's results (`report --rows scenarios`, the trainer's view) from the
  index alone, one GROUP BY over it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRAINEE_LINES = "speaker = 'trainee'"
SCENARIO_COLUMNS = ["scenario_id", "mode", "outcome", "overall", "passed", "empathy",
                    "resolution", "escalation", "policy", "trainee_id"]


def upgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.create_index("ix_turns_picks", ["call_id", "idx", "option"], unique=False,
                           sqlite_where=sa.text(TRAINEE_LINES),
                           postgresql_where=sa.text(TRAINEE_LINES))
    with op.batch_alter_table("reviews") as batch:
        batch.create_index("ix_reviews_latest", ["call_id", "kind", "id", "verdict"],
                           unique=False)
    with op.batch_alter_table("calls") as batch:
        batch.create_index("ix_calls_scenario", SCENARIO_COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.drop_index("ix_calls_scenario")
    with op.batch_alter_table("reviews") as batch:
        batch.drop_index("ix_reviews_latest")
    with op.batch_alter_table("turns") as batch:
        batch.drop_index("ix_turns_picks", sqlite_where=sa.text(TRAINEE_LINES),
                         postgresql_where=sa.text(TRAINEE_LINES))
