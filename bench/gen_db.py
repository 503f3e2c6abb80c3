"""A generated trainees.db of a real site's size, built through Hotseat's own code and bulk inserts.

Hotseat's code makes the schema (`db.make_engine`: Alembic migrations), the admin (`db.sign_in`:
the first person of a new database), the supervisors and trainers (`db.add_person`,
`db.set_person`), one real call per bundled scenario (`db.start_call`, `db.record_line` per line,
`db.finish_call`, `db.save_wrapup`: these also store the scenarios' sources), and finally every
certificate the calls earn (`db.record_certificates`, per person, as the TUI does after an exam
call). The mass in between (trainees, calls, lines, score events, wrap-ups) goes in bulk, in one
transaction (sqlite3 `executemany`; psycopg `COPY` on PostgreSQL), made of real plays: for each
bundled scenario a few distinct pick sequences are played with `simulator.call.play` and scored,
and their transcripts, scorecards, content hashes and seals are reused. Dates spread over the
year before the build; modes are practice, exam and scripted; some calls were abandoned or
interrupted, as at a real site.
"""

from __future__ import annotations

import enum
import random
import sqlite3
import types
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["ADMIN", "CALLER", "GEN_VERSION", "HEAVY", "TYPICAL", "Shape", "build", "drop_calls",
           "max_call_id", "pg_database_url", "prepare_pg_database"]

GEN_VERSION = 3
"""Bumped whenever what `build` writes changes: a cached database of another version is rebuilt."""

ADMIN = "bench-admin"
"""The site's admin (the first person of the database): the CLI benchmarks run as them."""
TYPICAL = "rep-0001"
"""A rep with exactly `Shape.typical` calls: the TUI's home is measured as them."""
HEAVY = "rep-0002"
"""A rep with 1,000 calls of their own (the start-up growth check), in the big database."""
CALLER = "rep-0003"
"""The rep who takes the calls of the reply benchmarks (removed after each run)."""
TEAMS = [f"team-{i:02d}" for i in range(1, 11)]
HOST, PID = "bench-host", 4242
EXAM, PRACTICE = 0.35, 0.60
"""Shares of exam and practice calls; the rest are scripted (`play --choose --trainee`)."""
ABANDONED, INTERRUPTED = 0.02, 0.005
LINES_PER_CALL = 10.0
"""The mean transcript length the non-exam plays are tilted to: with the exam calls' longer
passing plays, about 11 lines a call (1,100,000 lines for 100,000 calls)."""
CHUNK = 5_000


@dataclass(frozen=True)
class Shape:
    """How big a generated database is."""

    name: str
    trainees: int
    calls: int
    typical: int = 100
    heavy: int | None = None
    """The calls of HEAVY (None: no such rep)."""
    caller: int = 100


@dataclass(frozen=True)
class Play:
    picks: tuple[int | str, ...]
    result: Any
    card: Any
    level: int | None
    """None for an abandoned call (abandon_call stores no level)."""


def _log(msg: str) -> None:
    import sys

    print(f"  [build] {msg}", file=sys.stderr, flush=True)


# -- the plays: real transcripts and scorecards of the bundled scenarios -------------------------

def _walk(scenario: Any, rng: random.Random) -> list[int]:
    from simulator.call import Call

    call, picks = Call(scenario), []
    while not call.ended:
        pick = rng.randint(1, len(call.options))
        call.choose(pick)
        picks.append(pick)
    return picks


def _plays(scenarios: Sequence[Any], rng: random.Random, per_scenario: int = 8
           ) -> dict[str, list[Play]]:
    """A few distinct pick sequences per scenario (its checks' first, then random walks),
    played and scored once; and a few abandoned halfway."""
    from simulator.call import play

    out: dict[str, list[Play]] = {}
    for s in scenarios:
        seen: dict[tuple[int | str, ...], None] = {}
        for check in s.checks or []:
            seen.setdefault(tuple(check.choose))
        for _ in range(per_scenario * 6):
            if len(seen) >= per_scenario:
                break
            seen.setdefault(tuple(_walk(s, rng)))
        plays = []
        for picks in seen:
            result = play(s, list(picks))
            plays.append(Play(picks, result, result.score(), result.level))
        out[s.id] = plays
    return out


def _abandoned(scenario: Any, full: Play, rng: random.Random) -> Play:
    from simulator.call import play

    turns = max(1, len(full.picks) - 1)
    picks = full.picks[:rng.randint(1, turns)]
    result = play(scenario, list(picks))
    return Play(picks, result, result.score(), None)


def _weights(plays: list[Play]) -> list[float]:
    """Weights that bring the mean transcript length of the plays to LINES_PER_CALL (an
    exponential tilt towards shorter calls), found by bisection."""
    import math

    lengths = [len(p.result.transcript) for p in plays]

    def mean(lam: float) -> float:
        w = [math.exp(-lam * n) for n in lengths]
        return sum(wi * n for wi, n in zip(w, lengths, strict=True)) / sum(w)

    lo, hi = -1.0, 5.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if mean(mid) > LINES_PER_CALL else (lo, mid)
    return [math.exp(-lo * n) for n in lengths]


# -- writing rows -------------------------------------------------------------------------------

class _Bulk:
    """Bulk inserts in one transaction: sqlite3 executemany, or psycopg COPY."""

    def __init__(self, url: str) -> None:
        self.sqlite = url.startswith("sqlite")
        if self.sqlite:
            self.con: Any = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
            self.con.execute("PRAGMA foreign_keys = ON")
            self.con.execute("BEGIN IMMEDIATE")
        else:
            import psycopg

            self.con = psycopg.connect(_libpq(url))

    def when(self, value: datetime | None) -> Any:
        if value is None:
            return None
        naive = value.astimezone(UTC).replace(tzinfo=None)
        return naive.strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else naive

    def rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        rows = [tuple(v.value if isinstance(v, enum.Enum) else v for v in row) for row in rows]
        cols = ", ".join(f'"{c}"' for c in columns)
        if self.sqlite:
            marks = ", ".join("?" * len(columns))
            self.con.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
            return
        with self.con.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def scalar(self, sql: str) -> Any:
        return self.con.execute(sql).fetchone()[0]

    def commit(self) -> None:
        if self.sqlite:
            self.con.execute("COMMIT")
            self.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            self.con.commit()
            for table in ("trainees", "calls", "certificates", "scorecards"):
                self.con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"GREATEST((SELECT max(id) FROM {table}), 1))")
            self.con.commit()
        self.con.close()


def _libpq(url: str) -> str:
    """A SQLAlchemy URL as psycopg takes it."""
    import sqlalchemy as sa

    u = sa.engine.make_url(url)
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


def pg_database_url(server_url: str, database: str) -> str:
    """The URL of `database` on the server of `server_url`."""
    import sqlalchemy as sa

    u = sa.engine.make_url(server_url).set(database=database)
    return u.render_as_string(hide_password=False)


def prepare_pg_database(server_url: str, database: str) -> str:
    """Drop and create `database` on the server; return its URL."""
    import psycopg

    with psycopg.connect(_libpq(server_url), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{database}"')
    return pg_database_url(server_url, database)


# -- the build ----------------------------------------------------------------------------------

def _people(shape: Shape) -> list[tuple[str, str, str]]:
    """(name, display name, team) of every trainee: the named reps first."""
    return [(f"rep-{i:04d}", f"Rep {i:04d}", TEAMS[(i - 1) % len(TEAMS)])
            for i in range(1, shape.trainees + 1)]


def _owners(shape: Shape, ids: dict[str, int], rng: random.Random) -> list[int]:
    """The trainee of every bulk call: the named reps' exact counts, the rest at random."""
    fixed = {TYPICAL: shape.typical, CALLER: shape.caller}
    if shape.heavy is not None:
        fixed[HEAVY] = shape.heavy
    fixed = {k: v for k, v in fixed.items() if k in ids}
    owners = [ids[name] for name, n in fixed.items() for _ in range(n)]
    others = [i for name, i in ids.items() if name not in fixed]
    left = shape.calls - len(owners)
    if left < 0 or (left and not others):
        raise ValueError(f"{shape.name}: {shape.calls} calls cannot hold the named reps' "
                         f"{len(owners)}")
    owners += [rng.choice(others) for _ in range(left)]
    return owners


def build(url: str, shape: Shape, seed: int = 0,
          log: Callable[[str], None] = _log) -> dict[str, Any]:
    """Build the database at `url` (which must be new and empty); return what it holds."""
    from simulator import db
    from simulator.bundled import BUNDLED
    from simulator.db.seal import call_seal
    from simulator.scenario import load_library
    from simulator.tracks import load_tracks
    from simulator.wrapup import WrapUpRecord, documentation_mark

    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    engine = db.make_engine(url)  # the schema, by Alembic
    admin = db.sign_in(engine, ADMIN)  # the first person of a new database: its admin
    for i, team in enumerate(TEAMS[:5], start=1):
        name = f"sup-{i:02d}"
        db.add_person(engine, admin, name, role="supervisor", team=team,
                      display_name=f"Supervisor {i:02d}")
        db.set_person(engine, admin, name, supervises=[TEAMS[i + 4]])
    for i in range(1, 4):
        db.add_person(engine, admin, f"trainer-{i:02d}", role="trainer",
                      display_name=f"Trainer {i:02d}")
    lib = load_library([BUNDLED])
    scenarios = [s for s in lib.scenarios]
    log(f"{len(scenarios)} bundled scenarios; playing pick sequences")
    plays = _plays(scenarios, rng)
    weights = {sid: _weights(p) for sid, p in plays.items()}
    passing = {sid: [p for p in ps if p.card.passed] for sid, ps in plays.items()}
    records = _wrapup_variants(scenarios, WrapUpRecord, documentation_mark)
    by_id = {s.id: s for s in scenarios}

    bulk = _Bulk(url)
    first = int(bulk.scalar("SELECT COALESCE(max(id), 0) FROM trainees")) + 1
    people = _people(shape)
    year_ago = now - timedelta(days=365)
    bulk.rows("trainees", ("id", "name", "display_name", "team", "role", "created"),
              [(first + i, name, display, team, "trainee",
                bulk.when(year_ago - timedelta(days=30, minutes=i)))
               for i, (name, display, team) in enumerate(people)])
    ids = {name: first + i for i, (name, _, _) in enumerate(people)}
    owners = _owners(shape, ids, rng)
    span = int((now - year_ago - timedelta(days=1)).total_seconds())
    starts = sorted(year_ago + timedelta(seconds=rng.randrange(span),
                                         microseconds=rng.randrange(1_000_000))
                    for _ in owners)
    rng.shuffle(owners)
    call_cols = ("id", "trainee_id", "scenario_id", "scenario_hash", "persona", "role",
                 "rubric_version", "mode", "started", "ended", "outcome", "level", "empathy",
                 "resolution", "escalation", "policy", "overall", "passed", "failures", "host",
                 "pid", "touched", "seal")
    turn_cols = ("call_id", "idx", "speaker", "node", "text", "turn", "option", "option_id",
                 "feedback")
    event_cols = ("call_id", "seq", "turn", "dimension", "points", "reason", "rule")
    wrap_fields = [f.name for f in fields(WrapUpRecord)]
    wrap_cols = ("call_id", *wrap_fields, "saved")
    next_id = int(bulk.scalar("SELECT COALESCE(max(id), 0) FROM calls")) + 1
    totals = {"calls": 0, "lines": 0, "events": 0, "wrapups": 0}
    log(f"{len(people)} trainees, {len(owners)} calls in bulk")
    for at in range(0, len(owners), CHUNK):
        calls, turns, events, wraps = [], [], [], []
        for k in range(at, min(at + CHUNK, len(owners))):
            call_id = next_id + k
            s = scenarios[rng.randrange(len(scenarios))]
            r = rng.random()
            mode = "exam" if r < EXAM else "practice" if r < EXAM + PRACTICE else "scripted"
            if mode == "exam" and passing[s.id] and rng.random() < 0.6:
                p = rng.choice(passing[s.id])
            else:
                p = rng.choices(plays[s.id], weights[s.id])[0]
            fate = rng.random()
            interrupted = fate < INTERRUPTED and mode != "scripted"
            if not interrupted and fate < INTERRUPTED + ABANDONED and mode != "scripted":
                p = _abandoned(s, p, rng)
            started = starts[k]
            ended = started + timedelta(seconds=rng.randint(90, 900),
                                        microseconds=rng.randrange(1_000_000))
            lines = p.result.transcript
            card = p.card
            if interrupted:
                lines = lines[:1 + 2 * rng.randint(0, max(0, (len(lines) - 1) // 2 - 1))]
                row = dict(outcome="incomplete", level=None, overall=None, passed=False,
                           failures="The call was interrupted (the program stopped mid-call)",
                           **{d: None for d in ("empathy", "resolution", "escalation",
                                                "policy")})
                evs: list[tuple[Any, ...]] = []
            else:
                row = dict(outcome=str(p.result.outcome), level=p.level,
                           overall=card.overall, passed=card.passed,
                           failures="\n".join(card.failures) or None,
                           **{d: card.dimensions.get(d) for d in ("empathy", "resolution",
                                                                   "escalation", "policy")})
                evs = [(e.turn, e.dimension, e.points, e.reason, e.rule) for e in card.events]
            fields_ = dict(id=call_id, trainee_id=owners[k], scenario_id=s.id,
                           scenario_hash=s.content_hash, seat=str(s.seat), mode=mode,
                           rubric_version=card.rubric, started=started, ended=ended, **row)
            seal = call_seal(types.SimpleNamespace(**fields_), evs)
            calls.append((call_id, owners[k], s.id, s.content_hash, str(s.persona), str(s.seat),
                          card.rubric, mode, bulk.when(started), bulk.when(ended),
                          row["outcome"], row["level"], row["empathy"], row["resolution"],
                          row["escalation"], row["policy"], row["overall"], row["passed"],
                          row["failures"], HOST, PID, bulk.when(ended), seal))
            turns += [(call_id, idx, ln.speaker, ln.node, ln.text, ln.turn, ln.option,
                       ln.option_id, ln.feedback) for idx, ln in enumerate(lines)]
            events += [(call_id, seq, *e) for seq, e in enumerate(evs)]
            if mode != "scripted" and not interrupted and rng.random() < 0.7:
                record = rng.choice(records[s.id])
                values = asdict(record)
                wraps.append((call_id, *[values[f] for f in wrap_fields],
                              bulk.when(ended + timedelta(seconds=rng.randint(30, 300)))))
        bulk.rows("calls", call_cols, calls)
        bulk.rows("turns", turn_cols, turns)
        bulk.rows("score_events", event_cols, events)
        bulk.rows("wrapups", wrap_cols, wraps)
        totals["calls"] += len(calls)
        totals["lines"] += len(turns)
        totals["events"] += len(events)
        totals["wrapups"] += len(wraps)
    bulk.commit()
    log(f"bulk: {totals}")

    # one real call per bundled scenario, through Hotseat's own writes, as the TUI makes them
    reps = [name for name in ids if name not in (TYPICAL, HEAVY, CALLER)] or list(ids)
    for n, s in enumerate(scenarios):
        p = max(plays[s.id], key=lambda q: q.card.overall)
        name = reps[n % len(reps)]
        mode = "exam" if n % 2 else "practice"
        call_id = db.start_call(engine, name, by_id[s.id], mode)
        for idx, line in enumerate(p.result.transcript):
            db.record_line(engine, call_id, line, idx)
        db.finish_call(engine, call_id, p.result, p.card)
        db.save_wrapup(engine, call_id, records[s.id][0])
    log(f"{len(scenarios)} real calls through db.start_call/record_line/finish_call")

    tracks = load_tracks().tracks
    import inspect

    extra = ({"scenarios": scenarios}  # a later signature: the library judges refreshers
             if "scenarios" in inspect.signature(db.record_certificates).parameters else {})
    earned = 0
    for name in ids:
        earned += len(db.record_certificates(engine, name, tracks, **extra))
    log(f"{earned} certificates through db.record_certificates")
    engine.dispose()
    if not url.startswith("sqlite"):
        import psycopg

        with psycopg.connect(_libpq(url), autocommit=True) as con:
            con.execute("VACUUM ANALYZE")  # what autovacuum does to a table loaded long ago
    totals["calls"] += len(scenarios)
    totals["certificates"] = earned
    totals["trainees"] = len(people)
    return totals


def _wrapup_variants(scenarios: Sequence[Any], record_type: Any,
                     mark: Callable[..., Any]) -> dict[str, list[Any]]:
    """Three complaint records per scenario (thorough, partial, thin) with their marks."""
    out: dict[str, list[Any]] = {}
    for s in scenarios:
        facts = s.facts
        complaint = (facts.complaint if facts and facts.complaint else s.title)
        solution = (facts.solution if facts and facts.solution else "Fixed during the call")
        cause = (facts.cause if facts and facts.cause else "")
        variants = [
            record_type(complaint=complaint + ". " + cause, solution=solution, done_on_spot=True,
                        steps_now="Refund issued and ticket opened", follow_up="Friday 10:00",
                        compensation="none", prevention="Check " + cause.lower()[:60]),
            record_type(complaint=complaint, solution=solution, done_on_spot=False,
                        promised_for="next Monday", follow_up="next Tuesday"),
            record_type(complaint=s.title, solution="Sorted", done_on_spot=True),
        ]
        out[s.id] = [type(v)(**{**asdict(v), "documentation": mark(v, facts, s.locale).mark})
                     for v in variants]
    return out


def drop_calls(url: str, since_id: int) -> int:
    """Remove the calls numbered above `since_id` (and their lines, events, wrap-ups and the
    certificates resting on them): the reply benchmarks' own calls, so that the cached database
    stays as built. Returns how many calls were removed."""
    statements = [
        "DELETE FROM certificates WHERE call_id > {n} OR recorded > (SELECT min(started) "
        "FROM calls WHERE id > {n})",
        "DELETE FROM wrapups WHERE call_id > {n}",
        "DELETE FROM score_events WHERE call_id > {n}",
        "DELETE FROM turns WHERE call_id > {n}",
        "DELETE FROM scorecards WHERE call_id > {n}",
        "DELETE FROM calls WHERE id > {n}",
    ]
    if url.startswith("sqlite"):
        con = sqlite3.connect(url.split("///", 1)[1], isolation_level=None, timeout=60)
        con.execute("BEGIN IMMEDIATE")
        removed = con.execute(f"SELECT count(*) FROM calls WHERE id > {since_id}").fetchone()[0]
        for sql in statements:
            con.execute(sql.format(n=int(since_id)))
        con.execute("COMMIT")
        con.close()
        return int(removed)
    import psycopg

    with psycopg.connect(_libpq(url)) as con:
        removed = con.execute(f"SELECT count(*) FROM calls WHERE id > {since_id}").fetchone()[0]
        for sql in statements:
            con.execute(sql.format(n=int(since_id)))
        con.commit()
    return int(removed)


def max_call_id(url: str) -> int:
    if url.startswith("sqlite"):
        con = sqlite3.connect(url.split("///", 1)[1])
        try:
            return int(con.execute("SELECT COALESCE(max(id), 0) FROM calls").fetchone()[0])
        finally:
            con.close()
    import psycopg

    with psycopg.connect(_libpq(url)) as con:
        return int(con.execute("SELECT COALESCE(max(id), 0) FROM calls").fetchone()[0])



def complete_schema(url: str) -> list[str]:
    """What a cached database lacks of today's tables (indexes, nullable columns), added; the
    names of what was added.

    Migrations 0006 to 0008 were reserved as empty files before they were filled in: a cache
    upgraded in between is stamped at the head without what they add, and Alembic would never
    add it. A site's database upgraded from a release runs them for real (tests/test_db.py checks
    that the migrated schema is the models'); this only mends the harness's own cache."""
    import sqlalchemy as sa

    from simulator import db

    engine = sa.create_engine(url)
    added: list[str] = []
    try:
        with engine.begin() as conn:
            seen = sa.inspect(conn)
            tables = set(seen.get_table_names())
            for table in db.tables.metadata.sorted_tables:
                if table.name not in tables:
                    table.create(conn)
                    added.append(table.name)
                    continue
                columns = {c["name"] for c in seen.get_columns(table.name)}
                for column in table.columns:
                    if column.name not in columns and column.nullable:
                        kind = column.type.compile(dialect=conn.dialect)
                        conn.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN '
                                             f'"{column.name}" {kind}'))
                        added.append(f"{table.name}.{column.name}")
                indexes = {i["name"] for i in seen.get_indexes(table.name)}
                for index in table.indexes:
                    if index.name not in indexes:
                        index.create(conn)
                        added.append(str(index.name))
    finally:
        engine.dispose()
    if added:
        _log(f"{url.rsplit('/', 1)[-1]}: added what the cache lacked: {', '.join(added)}")
    return added
