"""Scenario files: safe YAML loading, typed models with source positions, validation."""

from .diagnostics import Diagnostic, Marks
from .library import Library, LoadError, discover, load_bytes, load_file, load_library
from .model import (
                    TAGS,
                    Check,
                    Customer,
                    Expect,
                    Facts,
                    Node,
                    Option,
                    Policy,
                    Scenario,
)

__all__ = [
    "TAGS", "Check", "Customer", "Diagnostic",
    "Expect", "Facts", "Library", "LoadError", "Marks", "Node", "Option", "Policy", "Scenario",
    "discover", "load_bytes", "load_file", "load_library",
]
