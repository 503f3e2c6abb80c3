"""Plain helpers for the database tests (import them by name: `from dbhelpers import played`).

The database fixtures themselves (`backend_url`, `engine`, `pg_url`, `sqlite_url`, `scenario`)
live in tests/conftest.py, where pytest shares them with every test without an import.
"""

from __future__ import annotations

import os

import pytest

from simulator.call import CallResult, play
from simulator.scenario import Scenario

__all__ = ["ADMIN", "PG_ENV", "pg_server_url", "played", "run_as", "staff"]

PG_ENV = "HOTSEAT_TEST_PG_URL"


def pg_server_url() -> str:
    """The PostgreSQL server for the tests, or skip (fail under CI=true)."""
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but ${PG_ENV} is not set: .ci/run starts a PostgreSQL "
                        "server for the database tests")
        pytest.skip(f"no PostgreSQL server (set ${PG_ENV} to run these)")
    return url


def played(scenario: Scenario, picks: list[int | str]) -> CallResult:
    return play(scenario, picks)


ADMIN = "ada"
"""The person who first uses each test database: its admin."""


def staff(url: str, **people: tuple[str, str | None]) -> None:
    """Put people in the database as its admin would: name=(role, team). The admin (ADMIN) is
    the first person to use it."""
    from simulator import db

    engine = db.make_engine(url)
    try:
        admin = db.sign_in(engine, ADMIN)
        for name, (role, team) in people.items():
            if db.find_person(engine, name) is None:
                db.add_person(engine, admin, name, role=role, team=team)
            else:
                db.set_person(engine, admin, name, role=role, team=team)
    finally:
        engine.dispose()


def run_as(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, who: str,
           *argv: str) -> tuple[int, str, str]:
    """`hotseat ARGV` run by `who` (their login, as $HOTSEAT_USER says)."""
    from simulator.cli import main

    monkeypatch.setenv("HOTSEAT_USER", who)
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
