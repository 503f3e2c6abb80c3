"""Where the bundled library is: `scenarios/` in a checkout, package data in an installed wheel.

Imports nothing of Hotseat but the library's own (empty) package: any module may ask where the
library is without pulling in the rest. The package's folder is read from its `__path__`, not
through importlib.resources, whose import costs a command's start about 5 ms (issue 12); both
name the same folder, a real one in a checkout and in an installed wheel.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

__all__ = ["BUNDLED", "BUNDLED_SCHEMA", "BUNDLED_TRACKS"]

BUNDLED = Path(import_module("simulator.library").__path__[0])
"""The bundled scenario library (the project's scenarios/ folder, shipped as package data)."""
BUNDLED_TRACKS = BUNDLED / "tracks"
"""The bundled certification tracks."""
BUNDLED_SCHEMA = BUNDLED / "schema.json"
"""The JSON Schema editors use for scenario files."""
