"""Shared fixtures for the core tests (no UI here: see tests/ui/)."""

from __future__ import annotations

import pytest
from corepaths import GOOD

from simulator.scenario import Scenario, load_file


@pytest.fixture
def example() -> Scenario:
    """The example scenario of scenario-format.md, verbatim."""
    scenario, problems = load_file(GOOD)
    assert scenario is not None, problems
    return scenario
