"""The tables of trainees.db, as SQLModel classes. The only module that declares SQL.

Times are stored as naive UTC (SQLite drops time zones) and read back as aware UTC datetimes.
Table and column changes need a migration in `migrations/versions/` (see docs/reviewing-a-team.md).
"""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import AutoString, Field, SQLModel

from ..wrapup import WrapUpRecord

__all__ = ["Calibration", "Call", "CallEvent", "Certificate", "LoginFailure", "Password",
           "Quotient", "Review", "ScenarioSource", "Scorecard", "SiteSetting", "SupervisedTeam",
           "Trainee", "Turn", "UTCDateTime", "metadata", "utcnow", "wrapups"]

metadata = SQLModel.metadata


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A DateTime stored as naive UTC and returned as an aware UTC datetime, on every backend."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database: pass an aware UTC time")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Trainee(SQLModel, table=True):
    """A person who uses Hotseat: a trainee, a trainer or a supervisor."""

    __tablename__ = "trainees"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    """The login-like name given with --trainee / --as."""
    display_name: str | None = None
    team: str | None = Field(default=None, index=True)
    role: str = "trainee"
    """trainee | trainer | supervisor | admin: what they may see and do"""
    created: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class Call(SQLModel, table=True):
    """One call: who, which scenario (id and content hash), the rubric, and how it was scored."""

    __tablename__ = "calls"
    __table_args__ = (
        # the per-trainee aggregates of `report` and the TUI's history read only this index
        sa.Index("ix_calls_trainee_agg", "trainee_id", "started", "mode", "outcome", "scenario_id",
                 "overall", "passed", "empathy", "resolution", "escalation", "policy"),
        # calls still open (recover_interrupted): a small partial index
        sa.Index("ix_calls_open", "ended", sqlite_where=sa.text("ended IS NULL"),
                 postgresql_where=sa.text("ended IS NULL")),
        # each scenario's results (queries.scenario_results) read from the index alone.
        # Migration 0006.
        sa.Index("ix_calls_scenario", "scenario_id", "mode", "outcome", "overall", "passed",
                 "empathy", "resolution", "escalation", "policy", "trainee_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    trainee_id: int = Field(foreign_key="trainees.id")
    scenario_id: str
    scenario_hash: str
    """sha256 of the scenario file's bytes when the call was played."""
    persona: str
    seat: str = Field(sa_column=sa.Column("role", AutoString, nullable=False))
    """Who the trainee played (the scenario's seat): csr | expert | supervisor. Column `role`."""
    rubric_version: str
    mode: str
    """practice | exam | scripted | playtest | uncalibrated-exam (records.MODES)"""
    started: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    ended: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True))
    outcome: str | None = None
    """resolved | escalated | lost | incomplete; NULL while the call is under way."""
    level: int | None = None
    empathy: int | None = None
    resolution: int | None = None
    escalation: int | None = None
    policy: int | None = None
    overall: int | None = None
    passed: bool | None = None
    failures: str | None = None
    """Why the call failed, one reason a line."""
    host: str | None = None
    pid: int | None = None
    """The process that plays the call: recover_interrupted tells a dead call from a live one."""
    touched: datetime | None = Field(default=None,
                                     sa_column=sa.Column(UTCDateTime(), nullable=True))
    seal: str | None = None
    """HMAC of the scorecard with the site key (seal.py): `hotseat verify` checks it.
    Migration 0004."""
    """Last write to the call (start, each line)."""


class Turn(SQLModel, table=True):
    """One transcript line, committed when it is said. The primary key serves "turns by call"."""

    __tablename__ = "turns"
    __table_args__ = (
        # a call's picks in order, from the index alone (rescore, replay). Migration 0006.
        sa.Index("ix_turns_picks", "call_id", "idx", "option",
                 sqlite_where=sa.text("speaker = 'trainee'"),
                 postgresql_where=sa.text("speaker = 'trainee'")),
    )

    call_id: int = Field(foreign_key="calls.id", primary_key=True)
    idx: int = Field(primary_key=True)
    speaker: str
    """customer | trainee"""
    node: str
    text: str
    turn: int = 0
    option: int | None = None
    option_id: str | None = None
    feedback: str | None = None
    # free-text mode (issue 15, migration 0008): on a trainee line, what the rep typed beside
    # the option it played (`text` and `option`: the option's line, or the typed words and
    # NULL when they matched none), how it was matched, and what the words earned. Rescoring
    # replays these, never matching again.
    typed: str | None = None
    """What the rep typed (NULL: the reply was picked from the list)."""
    match_engine: str | None = None
    """The matcher's engine: e5 | lexical."""
    match_decision: str | None = None
    """match (played without asking) | confirm (the rep confirmed it) | none."""
    similarity: float | None = None
    """How close the typed words were to the option played (NULL: matched none)."""
    typed_tags: str | None = None
    """The tags the words earned beyond the option's, space-separated (detectors that score)."""
    typed_notes: str | None = None
    """The coach's notes on the words, one a line (detectors that do not score)."""


# the typed lines of a call, from a small partial index (rescore merges them into the picks)
sa.Index("ix_turns_typed", Turn.__table__.c.call_id, Turn.__table__.c.idx,  # type: ignore[attr-defined]
         sqlite_where=sa.text("typed IS NOT NULL"), postgresql_where=sa.text("typed IS NOT NULL"))


class CallEvent(SQLModel, table=True):
    """One score event of a call's scorecard, in the scorecard's order."""

    __tablename__ = "score_events"

    call_id: int = Field(foreign_key="calls.id", primary_key=True)
    seq: int = Field(primary_key=True)
    turn: int
    dimension: str
    points: int
    reason: str
    rule: str


_SQL_TYPES: dict[type, type[sa.types.TypeEngine[typing.Any]]] = {
    str: AutoString, bool: sa.Boolean, int: sa.Integer}


def _record_column(name: str, hint: typing.Any) -> sa.Column[typing.Any]:
    args = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) \
        else (hint,)
    kind = next(a for a in args if a is not type(None))
    return sa.Column(name, _SQL_TYPES[kind](), nullable=type(None) in args)


_HINTS = typing.get_type_hints(WrapUpRecord)
wrapups = sa.Table(
    "wrapups", metadata,
    sa.Column("call_id", sa.Integer, sa.ForeignKey("calls.id"), primary_key=True),
    *[_record_column(f.name, _HINTS[f.name]) for f in fields(WrapUpRecord)],
    sa.Column("saved", UTCDateTime(), nullable=False),
)
"""The complaint record a trainee fills after the call: one column per field of
simulator.wrapup.WrapUpRecord (declared there once), plus the call and when it was saved."""


class Certificate(SQLModel, table=True):
    """A certificate as it was earned: rows are only ever added, never changed. Migration 0002."""

    __tablename__ = "certificates"
    __table_args__ = (sa.UniqueConstraint("trainee_id", "track_id", "earned_on"),)

    id: int | None = Field(default=None, primary_key=True)
    trainee_id: int = Field(foreign_key="trainees.id")
    track_id: str
    earned_on: date
    """The UTC date of the call that completed the track."""
    valid_until: date
    refresher_due_on: date
    call_id: int | None = Field(default=None, foreign_key="calls.id")
    """The exam call that completed the track."""
    recorded: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    rests_on: str | None = None
    """The passing exam calls the certificate rests on, as "12,15,31". Migration 0004."""
    seal: str | None = None
    """HMAC of the certificate and the seals of the calls it rests on. Migration 0004."""


class ScenarioSource(SQLModel, table=True):
    """The exact file every stored call was played on, once per content hash, so any call can be
    replayed and rescored when the file is gone or changed. Migration 0004."""

    __tablename__ = "scenario_sources"

    hash: str = Field(primary_key=True)
    """sha256 of the file's bytes (the calls' scenario_hash)."""
    scenario_id: str
    source: str = Field(sa_column=sa.Column(sa.Text(), nullable=False))
    """The file's text, UTF-8."""
    stored: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))


class Scorecard(SQLModel, table=True):
    """A later scorecard of a stored call (a new rubric adopted): stored scores are never edited;
    this sits beside the call's own, saying who made it and when. Migration 0004."""

    __tablename__ = "scorecards"

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    rubric_version: str
    overall: int
    passed: bool
    empathy: int
    resolution: int
    escalation: int
    policy: int
    failures: str | None = None
    events: str = Field(sa_column=sa.Column(sa.Text(), nullable=False))
    """The score events as JSON: [[turn, dimension, points, reason, rule], ...]."""
    made_by: str
    """Who adopted it (a person's name)."""
    made_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    seal: str | None = None


class SupervisedTeam(SQLModel, table=True):
    """A team a supervisor looks after (besides their own). Migration 0004."""

    __tablename__ = "supervised_teams"

    person_id: int = Field(foreign_key="trainees.id", primary_key=True)
    team: str = Field(primary_key=True)


class SiteSetting(SQLModel, table=True):
    """A setting of the whole site, e.g. whether newcomers may start. Migration 0004."""

    __tablename__ = "site"

    key: str = Field(primary_key=True)
    value: str


class Review(SQLModel, table=True):
    """One entry of a call's review log: a comment (on a turn or the whole call) or an override
    of its pass or fail, with the reason. Rows are only ever added: the call itself is never
    edited, and its automatic result stays beside the override. Migration 0005."""

    __tablename__ = "reviews"
    __table_args__ = (
        # a call's standing override and comment count (reviews.latest_override,
        # comment_count), one lookup per call, from the index alone. Migration 0006.
        sa.Index("ix_reviews_latest", "call_id", "kind", "id", "verdict"),
    )

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    turn: int | None = None
    """The rep's turn the comment is about (as `replay` numbers them); None: the whole call."""
    kind: str
    """comment | override"""
    text: str = Field(sa_column=sa.Column(sa.Text(), nullable=False))
    """The comment, or the override's reason."""
    verdict: bool | None = None
    """An override's verdict: True passed, False failed; None for a comment."""
    made_by: int = Field(foreign_key="trainees.id")
    made_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    seal: str | None = None
    """HMAC of the entry and of the seal of the call's previous entry (seal.review_seal)."""


class Calibration(SQLModel, table=True):
    """A supervisor's blind scores of a call, given before they saw the automatic ones: one per
    person and call, never changed. Migration 0005."""

    __tablename__ = "calibrations"
    __table_args__ = (sa.UniqueConstraint("call_id", "made_by"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="calls.id", index=True)
    made_by: int = Field(foreign_key="trainees.id")
    made_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    empathy: int
    resolution: int
    escalation: int
    policy: int
    passed: bool
    seal: str | None = None


class Quotient(SQLModel, table=True):
    """A team's customer-service quotient (docs/domain.md, section 5) as a supervisor rated it
    on a day: kept, never changed, so the team sees its trend. Migration 0005."""

    __tablename__ = "quotients"

    id: int | None = Field(default=None, primary_key=True)
    team: str = Field(index=True)
    made_by: int = Field(foreign_key="trainees.id")
    made_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    answers: str = Field(sa_column=sa.Column(sa.Text(), nullable=False))
    """Each area's ratings as JSON: {"culture": [5, 4, 4, 3], ...} (simulator.quotient)."""
    total: float
    """The sum of the seven areas' averages, 7 to 35."""
    seal: str | None = None


class Password(SQLModel, table=True):
    """A person's password for a served Hotseat (`hotseat serve`), only ever as a salted scrypt
    hash (simulator/db/passwords.py), with who set it and when. Migration 0007."""

    __tablename__ = "passwords"

    person_id: int = Field(foreign_key="trainees.id", primary_key=True)
    hash: str
    """scrypt$N$r$p$salt$key, salt and key in base64: never the password itself."""
    set_by: int = Field(foreign_key="trainees.id")
    set_at: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    seal: str | None = None
    """HMAC of the row with the site key: a hash written outside Hotseat is refused at login."""


class LoginFailure(SQLModel, table=True):
    """Failed logins to a served Hotseat, counted per name and per address, so that the next
    attempts wait (simulator/db/passwords.py). Shared by every tab's process. Migration 0007."""

    __tablename__ = "login_failures"

    key: str = Field(primary_key=True)
    """`name:ann` or `address:192.0.2.7`."""
    failures: int
    last: datetime = Field(sa_column=sa.Column(UTCDateTime(), nullable=False))
    """When the latest failure was."""
