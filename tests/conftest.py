"""Shared fixtures for the core tests (no UI here: see tests/ui/).

The database fixtures: `backend_url` is parametrised over SQLite (a file in tmp_path) and
PostgreSQL (a fresh schema on the server named by $HOTSEAT_TEST_PG_URL, which .ci/run starts).
Without that variable the PostgreSQL cases skip, except under CI=true, where they fail: CI must
run them. Plain helpers (`played`, `pg_server_url`) are in dbhelpers.py, imported by name.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from corepaths import GOOD
from dbhelpers import PG_ENV, pg_server_url

from simulator.scenario import Scenario, load_file


@pytest.fixture(autouse=True, scope="session")
def seal_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test seals with a key of its own run, never the user's (~/.config/hotseat);
    subprocesses inherit it through the environment."""
    key = tmp_path_factory.mktemp("seal") / "seal.key"
    mp = pytest.MonkeyPatch()
    mp.setenv("HOTSEAT_SEAL_KEY", str(key))
    yield key
    mp.undo()


@pytest.fixture(autouse=True, scope="session")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test keeps its caches (the library index) in a folder of its own run, never the
    user's (~/.cache/hotseat); subprocesses inherit it through the environment."""
    folder = tmp_path_factory.mktemp("cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(folder))
    yield folder
    mp.undo()


@pytest.fixture
def example() -> Scenario:
    """The example scenario of scenario-format.md, verbatim."""
    scenario, problems = load_file(GOOD)
    assert scenario is not None, problems
    return scenario


@pytest.fixture
def scenario(example: Scenario) -> Scenario:
    """The same example scenario, under the name the database tests use."""
    return example


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
    """The database at backend_url (tests/ui/conftest.py has its own, SQLite only)."""
    from simulator.db import make_engine

    eng = make_engine(backend_url)
    yield eng
    eng.dispose()
