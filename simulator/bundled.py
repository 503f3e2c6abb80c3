"""Where the bundled library is: `scenarios/` in a checkout, package data in an installed wheel.

Imports nothing of Hotseat: any module may ask where the library is without pulling in the rest.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["BUNDLED", "BUNDLED_SCHEMA", "BUNDLED_TRACKS"]

BUNDLED = Path(str(files("simulator.library")))
"""The bundled scenario library (the project's scenarios/ folder, shipped as package data)."""
BUNDLED_TRACKS = BUNDLED / "tracks"
"""The bundled certification tracks."""
BUNDLED_SCHEMA = BUNDLED / "schema.json"
"""The JSON Schema editors use for scenario files."""
