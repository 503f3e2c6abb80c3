"""The browser tests' fixtures and hook, defined in browserlib.py (a module name of its own:
`conftest` is taken by tests/ and tests/ui/, and the test modules import helpers by name)."""

from browserlib import chromium, pytest_runtest_makereport, site, tabs

__all__ = ["chromium", "pytest_runtest_makereport", "site", "tabs"]
