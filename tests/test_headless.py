"""The domain core runs without Textual: importing it must not load any UI."""

from __future__ import annotations

import subprocess
import sys

CORE = ["simulator.scenario", "simulator.conversation", "simulator.call", "simulator.checks",
        "scoring"]


def test_core_imports_no_textual() -> None:
    code = (f"import importlib, sys\nfor m in {CORE!r}: importlib.import_module(m)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
            "print(bad)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_scoring_imports_nothing_of_simulator() -> None:
    code = ("import sys, scoring\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'simulator'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
