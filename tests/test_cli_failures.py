"""Nothing a user types, and no state of the database or the disk, ends in a traceback.

Every case gives one plain line on standard error (`hotseat: error: ...`) and the exit code of
its kind (simulator.errors.EXIT_CODES); a damaged, foreign, read-only or locked database is never
written.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from corepaths import GOOD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import db
from simulator.cli import main
from simulator.errors import EXIT_CODES


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """main() as the `hotseat` program runs it (argparse's usage errors exit with 2)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    """The one error line on standard error (a read-only note, or argparse's usage line, may
    come before it)."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines()
             if not line.startswith(("hotseat: note:", "usage:", " "))]
    assert len(lines) == 1 and lines[0].startswith("hotseat") and "error: " in lines[0], err
    return lines[0]


@pytest.fixture
def recorded(tmp_path: Path, capsys: pytest.CaptureFixture[str],
             monkeypatch: pytest.MonkeyPatch) -> Path:
    """A trainees.db holding one scripted call by ann (call 1), who is asking (and, the first
    to use it, its admin)."""
    monkeypatch.setenv("HOTSEAT_USER", "ann")
    path = tmp_path / "trainees.db"
    code, _, _ = run(capsys, "--db", f"sqlite:///{path}", "play", str(GOOD), "--choose",
                     "1,1,1,1", "--trainee", "ann")
    assert code == 0
    return path


def url(path: Path) -> str:
    return f"sqlite:///{path}"


INPUT_CASES = [  # (name, argv after --db URL, exit code, words of the one error line)
    ("a superscript digit is no position", ["play", str(GOOD), "--choose", "²"], 2,
     "has no option '²'"),
    ("a call number too large for any database", ["replay", "99999999999999999999999"], 2,
     "is not a call number"),
    ("a call number that is not a number", ["replay", "abc"], 2, "is not a call number"),
    ("an empty name", ["trainee", ""], 2, "a person's name must not be empty"),
    ("a blank name", ["trainee", "   "], 2, "a person's name must not be empty"),
    ("a name of 100,000 characters", ["trainee", "a" * 100_000], 2, "at most 64"),
    ("a name with a carriage return", ["trainee", "\r=1+1"], 2, "control or invisible"),
    ("a name with an escape sequence", ["trainee", "x\x1b]0;pwned\x07"], 2,
     "control or invisible"),
    ("recording as nobody", ["play", str(GOOD), "--choose", "1", "--trainee", ""], 2,
     "must not be empty"),
    ("a tracks folder that is not there", ["report", "--tracks", "/nonexistent/tracks"], 2,
     "no such folder of certification tracks"),
]


@pytest.mark.parametrize("argv,code,words", [c[1:] for c in INPUT_CASES],
                         ids=[c[0] for c in INPUT_CASES])
def test_bad_input_is_one_plain_line(capsys: pytest.CaptureFixture[str], recorded: Path,
                                     argv: list[str], code: int, words: str) -> None:
    got, out, err = run(capsys, "--db", url(recorded), *argv)
    line = one_line_error(err)
    assert (got, words in line) == (code, True), err
    assert "\x1b" not in err and "\r" not in err


def test_an_unknown_person_says_where_without_the_password(
        capsys: pytest.CaptureFixture[str]) -> None:
    secret = "postgresql+psycopg://postgres:S3CRET@127.0.0.1:1/hotseat"
    code, _, err = run(capsys, "--db", secret, "report")
    line = one_line_error(err)
    assert code == 3 and "S3CRET" not in err and "postgres:***@127.0.0.1:1" in line


URL_CASES = [  # (name, --db, exit code, words)
    ("an empty --db", "", 2, "--db is empty"),
    ("an in-memory database keeps nothing", "sqlite://", 2, "in-memory database"),
    ("not a URL", "[::1:5432", 2, "not a database URL"),
    ("a file that is no database", "sqlite:////etc/passwd", 3, "not a Hotseat database"),
    ("a folder that does not exist", "sqlite:////nonexistent/folder/t.db", 3,
     "does not exist"),
]


@pytest.mark.parametrize("given_url,code,words", [c[1:] for c in URL_CASES],
                         ids=[c[0] for c in URL_CASES])
def test_bad_database_urls(capsys: pytest.CaptureFixture[str], given_url: str, code: int,
                           words: str) -> None:
    before = Path("/etc/passwd").read_bytes()
    got, _, err = run(capsys, "--db", given_url, "play", str(GOOD), "--choose", "1",
                      "--trainee", "ann")
    assert (got, words in one_line_error(err)) == (code, True), err
    assert Path("/etc/passwd").read_bytes() == before


FILE_CASES = [  # (name, make the path in tmp, exit code, words)
    ("an empty folder", lambda p: p.mkdir(), 2, "no scenario files"),
    ("a symbolic link loop", lambda p: p.symlink_to(p), 2, "loops back on itself"),
    ("a missing file", lambda p: None, 2, "no such file or folder"),
]


@pytest.mark.parametrize("make,code,words", [c[1:] for c in FILE_CASES],
                         ids=[c[0] for c in FILE_CASES])
def test_validate_says_what_is_wrong_with_a_path(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path, make, code: int,
                                                 words: str) -> None:
    target = tmp_path / "library"
    make(target)
    got, _, err = run(capsys, "validate", str(target))
    assert (got, words in one_line_error(err)) == (code, True), err


def test_a_device_is_not_a_scenario_file(capsys: pytest.CaptureFixture[str]) -> None:
    got, _, err = run(capsys, "validate", "/dev/null")
    assert (got, "not a scenario file" in one_line_error(err)) == (2, True)


def test_a_key_that_is_not_text_is_a_positioned_error(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(GOOD.read_text(encoding="utf-8") + "[a, b]: 1\n", encoding="utf-8")
    lines = len(GOOD.read_text(encoding="utf-8").splitlines())
    code, out, err = run(capsys, "validate", str(broken))
    assert code == 1 and "Traceback" not in out + err
    assert f"broken.yaml:{lines + 1}:1: error: a key must be plain text" in out


# -- every command against a database in a bad state ----------------------------------------

DB_COMMANDS = {  # name -> argv after --db URL; `writes` says whether it must write
    "report": (["report"], False),
    "replay": (["replay", "1"], False),
    "rescore": (["rescore"], False),
    "trainee": (["trainee", "zoe"], True),
    "play --trainee": (["play", str(GOOD), "--choose", "1,1,1,1", "--trainee", "ann"], True),
    "people list": (["people", "list"], False),
    "people add": (["people", "add", "zoe"], True),
    "verify": (["verify"], False),
}


def corrupt(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@pytest.fixture
def damaged(recorded: Path) -> Path:
    """The recorded database, checkpointed into one file (no -wal), ready to be damaged."""
    conn = sqlite3.connect(recorded)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for extra in (".db-wal", ".db-shm"):
        recorded.with_suffix(extra).unlink(missing_ok=True)
    return recorded


@pytest.mark.parametrize("damage,words", [(corrupt, "not a Hotseat database"),
                                          (truncate, "damaged")],
                         ids=["corrupted", "truncated"])
@pytest.mark.parametrize("command", list(DB_COMMANDS))
def test_a_damaged_database_is_refused_and_left_as_it_is(
        capsys: pytest.CaptureFixture[str], damaged: Path, damage, words: str,
        command: str) -> None:
    damage(damaged)
    before = damaged.read_bytes()
    code, _, err = run(capsys, "--db", url(damaged), *DB_COMMANDS[command][0])
    assert (code, words in one_line_error(err)) == (3, True), err
    assert damaged.read_bytes() == before


@pytest.fixture
def read_only(recorded: Path) -> Iterator[Path]:
    """The recorded database made unwritable: immutable when we are root (root ignores mode
    bits), else read-only by its mode bits."""
    conn = sqlite3.connect(recorded)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(
                ["chattr", "+i", str(recorded)], capture_output=True).returncode != 0:
            pytest.skip("cannot make a file immutable here (chattr +i)")
        yield recorded
        subprocess.run(["chattr", "-i", str(recorded)], check=True)
    else:
        recorded.chmod(0o444)
        yield recorded
        recorded.chmod(0o644)


@pytest.mark.parametrize("command", list(DB_COMMANDS))
def test_a_read_only_database_is_read_with_a_notice_and_never_written(
        capsys: pytest.CaptureFixture[str], read_only: Path, command: str) -> None:
    before = read_only.read_bytes()
    argv, writes = DB_COMMANDS[command]
    code, out, err = run(capsys, "--db", url(read_only), *argv)
    assert "is read-only: opened for reading, nothing will be saved" in err
    if writes:
        assert (code, "is read-only" in one_line_error(err)) == (3, True), err
    else:
        assert code in (0, 1) and "Traceback" not in err, err  # rescore: 1 when calls differ
        assert out
    assert read_only.read_bytes() == before


@pytest.fixture
def locked(recorded: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The recorded database held by another program with an exclusive lock, and a short wait
    for it (the real one is 60 s)."""
    monkeypatch.setattr("simulator.db.engine.BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(recorded, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("SELECT count(*) FROM calls").fetchone()
    yield recorded
    holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.parametrize("command", list(DB_COMMANDS))
def test_a_locked_database_is_one_line_and_left_as_it_is(
        capsys: pytest.CaptureFixture[str], locked: Path, command: str) -> None:
    before = locked.read_bytes()
    code, _, err = run(capsys, "--db", url(locked), *DB_COMMANDS[command][0])
    assert (code, "is locked by another program" in one_line_error(err)) == (3, True), err
    assert locked.read_bytes() == before


def test_a_full_disk_is_one_line(capsys: pytest.CaptureFixture[str], recorded: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's own limit on the file's pages stands in for a full disk: the same error."""
    import simulator.db.engine as engine_module

    real = engine_module._sqlite_engine

    def tiny(sa_url):  # type: ignore[no-untyped-def]
        import sqlalchemy as sa

        engine = real(sa_url)

        @sa.event.listens_for(engine, "connect")
        def _full(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")
        return engine

    monkeypatch.setattr(engine_module, "_sqlite_engine", tiny)
    code, _, err = run(capsys, "--db", url(recorded), "trainee", "x" * 60)
    for n in range(40):  # each new person needs room: the file fills up after a few
        if code:
            break
        code, _, err = run(capsys, "--db", url(recorded), "trainee", f"{n}" + "y" * 60)
    assert (code, "the disk is full" in one_line_error(err)) == (3, True), err


# -- many processes creating the same new person ----------------------------------------------

NEWCOMERS = [f"newcomer-{n}" for n in range(40)]


def _create(db_url: str, barrier_file: str) -> list[str]:
    engine = db.make_engine(db_url, recover=False)
    try:
        while not os.path.exists(barrier_file):  # all start together
            pass
        return [db.get_or_create_trainee(engine, name).name for name in NEWCOMERS]
    finally:
        engine.dispose()


def test_many_processes_create_the_same_people_once(backend_url: str, tmp_path: Path) -> None:
    """8 processes create the same 40 new people at once (on PostgreSQL a plain insert fails
    with a unique violation when another process inserted the name first)."""
    import multiprocessing

    db.make_engine(backend_url).dispose()  # the schema, once
    barrier = str(tmp_path / "go")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(8) as pool:
        results = [pool.apply_async(_create, (backend_url, barrier)) for _ in range(8)]
        Path(barrier).touch()
        names = [r.get(timeout=120) for r in results]
    assert names == [NEWCOMERS] * 8
    engine = db.make_engine(backend_url)
    assert sorted(p.name for p in db.trainees(engine, db.SYSTEM)) == sorted(NEWCOMERS)
    engine.dispose()


# -- fuzz: whatever the arguments, a known exit code and no traceback ------------------------

KNOWN = set(EXIT_CODES)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.text(max_size=30), call=st.text(max_size=25),
       name=st.text(max_size=80), db_url=st.text(max_size=40))
def test_fuzzed_arguments_never_give_a_traceback(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, picks: str, call: str, name: str,
        db_url: str) -> None:
    store = url(tmp_path / "fuzz.db")
    argvs = [
        ["play", str(GOOD), "--choose", picks, "--json"],
        ["--db", store, "replay", call],
        ["--db", store, "trainee", name],
        ["--db", store, "play", str(GOOD), "--choose", "1,1,1,1", "--trainee", name],
        ["--db", db_url, "report"],
    ]
    for argv in argvs:
        code, _, err = run(capsys, *argv)
        assert code in KNOWN and code != 70, (argv, err)
        assert "Traceback" not in err


def test_the_exit_codes_are_documented() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert f"| {code} |" in readme, f"exit code {code} is not in the README's table"


def test_an_unexpected_error_is_one_line_and_code_70(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import simulator.cli.scenarios as scenarios

    def boom(*args: object) -> None:
        raise RuntimeError("kaboom")
    monkeypatch.setattr(scenarios, "scenario_diagram", boom)
    monkeypatch.delenv("HOTSEAT_DEBUG", raising=False)
    code, _, err = run(capsys, "graph", str(GOOD))
    assert code == 70 and "kaboom" in one_line_error(err) and "please report" in err


def test_the_command_runs_as_a_program_without_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "simulator", "--db", "", "report"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "--db is empty" in done.stderr and not (tmp_path / "trainees.db").exists()
