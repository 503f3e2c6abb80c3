"""Database fixtures shared by tests/test_db*.py, test_records_cli*.py (import what you use).

`backend_url` is parametrised over SQLite (a file in tmp_path) and PostgreSQL (a fresh schema
on the server named by $HOTSEAT_TEST_PG_URL, which .ci/run starts). Without that variable the
PostgreSQL cases skip, except under CI=true, where they fail: CI must run them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from corepaths import GOOD

from simulator.call import CallResult, play
from simulator.scenario import Scenario, load_file

__all__ = ["backend_url", "engine", "pg_url", "played", "scenario", "sqlite_url"]

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


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose search_path is a new, empty schema (dropped afterwards)."""
    server = pg_server_url()
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.fail(f"cannot reach PostgreSQL at ${PG_ENV}: {exc.orig}")
    sep = "&" if "?" in server else "?"
    yield f"{server}{sep}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'trainees.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest) -> str:
    """The same test on SQLite and on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def engine(backend_url: str) -> Iterator[sa.Engine]:
    from simulator.db import make_engine

    eng = make_engine(backend_url)
    yield eng
    eng.dispose()


@pytest.fixture
def scenario() -> Scenario:
    found, problems = load_file(GOOD)
    assert found is not None, problems
    return found


def played(scenario: Scenario, picks: list[int | str]) -> CallResult:
    return play(scenario, picks)
