"""trust: scenario sources, seals, later scorecards, supervised teams, site settings, admins,
normalised names

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:00:00

- scenario_sources: the exact file of every stored call, back-filled here from the bundled
  library for the calls whose file (by content hash) is still there.
- calls.seal, certificates.seal and certificates.rests_on: tamper evidence (simulator/db/seal.py).
  Rows made before this release stay unsealed: `hotseat verify` lists them apart.
- scorecards: a later scorecard beside a call's own (a new rubric adopted); never an edit.
- supervised_teams and site.
- People's names are normalised (surrounding spaces trimmed, case folded) and unique in that
  form; the name as it was written is kept as the display name when none was set. Two names that
  become one ("Ann", "ann") keep them apart with the person's number: "ann-7".
- The first admin: a database made by an earlier release has none, and only an admin sets roles:
  the earliest supervisor (else the earliest person) becomes the admin.
"""
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString for str columns
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Text = sqlmodel.sql.sqltypes.AutoString  # type: ignore[attr-defined]


def upgrade() -> None:
    op.create_table(
        "scenario_sources",
        sa.Column("hash", Text(), nullable=False),
        sa.Column("scenario_id", Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("stored", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("hash"),
    )
    op.create_table(
        "scorecards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("rubric_version", Text(), nullable=False),
        sa.Column("overall", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("empathy", sa.Integer(), nullable=False),
        sa.Column("resolution", sa.Integer(), nullable=False),
        sa.Column("escalation", sa.Integer(), nullable=False),
        sa.Column("policy", sa.Integer(), nullable=False),
        sa.Column("failures", Text(), nullable=True),
        sa.Column("events", sa.Text(), nullable=False),
        sa.Column("made_by", Text(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("seal", Text(), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("scorecards") as batch:
        batch.create_index("ix_scorecards_call_id", ["call_id"], unique=False)
    op.create_table(
        "supervised_teams",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("team", Text(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["trainees.id"]),
        sa.PrimaryKeyConstraint("person_id", "team"),
    )
    op.create_table(
        "site",
        sa.Column("key", Text(), nullable=False),
        sa.Column("value", Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("seal", Text(), nullable=True))
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(sa.Column("rests_on", Text(), nullable=True))
        batch.add_column(sa.Column("seal", Text(), nullable=True))
    conn = op.get_bind()
    _normalise_names(conn)
    _first_admin(conn)
    _backfill_sources(conn)


def _normalise_names(conn: sa.Connection) -> None:
    rows = conn.execute(sa.text("SELECT id, name, display_name FROM trainees ORDER BY id")).all()
    taken: set[str] = set()
    for pid, name, display in rows:
        norm = " ".join(name.split()).casefold()
        if norm in taken:
            norm = f"{norm}-{pid}"
        taken.add(norm)
        if norm != name:
            conn.execute(sa.text("UPDATE trainees SET name = :n, display_name = :d WHERE id = :i"),
                         {"n": norm, "d": display or name.strip(), "i": pid})


def _first_admin(conn: sa.Connection) -> None:
    if conn.execute(sa.text("SELECT count(*) FROM trainees WHERE role = 'admin'")).scalar():
        return
    first = conn.execute(sa.text(
        "SELECT id FROM trainees ORDER BY CASE WHEN role = 'supervisor' THEN 0 ELSE 1 END, "
        "created, id")).first()
    if first is not None:
        conn.execute(sa.text("UPDATE trainees SET role = 'admin' WHERE id = :i"), {"i": first[0]})


def _backfill_sources(conn: sa.Connection) -> None:
    """The bundled library's files, for the stored calls played on them (by content hash)."""
    wanted = {h: sid for sid, h in conn.execute(sa.text(
        "SELECT DISTINCT scenario_id, scenario_hash FROM calls")).all()}
    if not wanted:
        return
    from simulator.bundled import BUNDLED  # imports nothing else of Hotseat

    now = datetime.now(UTC).replace(tzinfo=None)
    for path in sorted(BUNDLED.rglob("*.y*ml")):
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest in wanted:
            conn.execute(sa.text(
                "INSERT INTO scenario_sources (hash, scenario_id, source, stored) "
                "VALUES (:h, :s, :src, :t)"),
                {"h": digest, "s": wanted.pop(digest), "src": raw.decode("utf-8"), "t": now})


def downgrade() -> None:
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("seal")
        batch.drop_column("rests_on")
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("seal")
    op.drop_table("site")
    op.drop_table("supervised_teams")
    with op.batch_alter_table("scorecards") as batch:
        batch.drop_index("ix_scorecards_call_id")
    op.drop_table("scorecards")
    op.drop_table("scenario_sources")
