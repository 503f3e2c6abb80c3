"""Scenario files: safe YAML loading, typed models with source positions, validation.

The typed models and the loader (pydantic, YAML) are imported on first use of their names
(PEP 562): finding the library's files (`discover`, `Library`) and the library index
(simulator/scenario/index.py) import neither, so the TUI paints its home before them (issue 12).
"""

from typing import TYPE_CHECKING

from scoring.lazy import lazy_names

from .diagnostics import Diagnostic, Marks
from .files import Library, LoadError, discover

if TYPE_CHECKING:
    from .library import load_bytes, load_file, load_library
    from .model import TAGS, Check, Customer, Expect, Facts, Node, Option, Policy, Scenario

__all__ = [
    "TAGS", "Check", "Customer", "Diagnostic",
    "Expect", "Facts", "Library", "LoadError", "Marks", "Node", "Option", "Policy", "Scenario",
    "discover", "load_bytes", "load_file", "load_library",
]

_LATER = {
    "load_bytes": "library", "load_file": "library", "load_library": "library",
    "TAGS": "model", "Check": "model", "Customer": "model", "Expect": "model", "Facts": "model",
    "Node": "model", "Option": "model", "Policy": "model", "Scenario": "model",
}
"""The names imported from their module at first use."""


__getattr__ = lazy_names(globals(), _LATER)
