"""Plain helpers for the database tests (import them by name: `from dbhelpers import played`).

The database fixtures themselves (`backend_url`, `engine`, `pg_url`, `sqlite_url`, `scenario`)
live in tests/conftest.py, where pytest shares them with every test without an import.
"""

from __future__ import annotations

import os

import pytest

from simulator.call import CallResult, play
from simulator.scenario import Scenario

__all__ = ["PG_ENV", "pg_server_url", "played"]

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
