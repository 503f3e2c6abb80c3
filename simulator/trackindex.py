"""The certification tracks, cached between starts as the library index is (issue 12).

`load_tracks` reads the track files with the scenarios' own care (simulator.tracks: the YAML
checks and the typed builder of the scenario models), which the TUI's home would otherwise
import only to read four small files. `cached_tracks` keeps the tracks that loaded as JSON under
the user's cache folder (beside the library index), with each file's `mtime_ns` and size: while
no file of the folder changed, the tracks are made again from it (`Track.model_validate`, the
same values); when one did (or was added or removed), the folder is loaded again with
`load_tracks` and the cache rewritten. A cache that cannot be read, is damaged or of another
version is ignored, never trusted; one that cannot be written is no error.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bundled import BUNDLED_TRACKS
from .scenario.index import cache_dir

if TYPE_CHECKING:
    from scoring.certification import Track

__all__ = ["CACHE_VERSION", "cache_file", "cached_tracks"]

CACHE_VERSION = 1


def cache_file(folder: Path) -> Path:
    key = os.path.abspath(folder)
    return cache_dir() / f"tracks-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"


def _stamps(folder: Path) -> list[list[Any]]:
    """The track files of `folder` as load_tracks finds them, with their mtime_ns and size."""
    out: list[list[Any]] = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        st = path.stat()
        out.append([str(path), st.st_mtime_ns, st.st_size])
    return out


def cached_tracks(folder: Path | None = None) -> list[Track]:
    """`load_tracks(folder).tracks` (default: the bundled tracks), from the cache while the
    folder's files are those it was made from."""
    folder = folder or BUNDLED_TRACKS
    where = cache_file(folder)
    try:
        stamps = _stamps(folder)
    except OSError:
        stamps = None
    if stamps is not None:
        known = _read(where, stamps)
        if known is not None:
            return known
    from .tracks import load_tracks

    tracks = load_tracks(folder).tracks
    if stamps is not None:
        _write(where, stamps, tracks)
    return tracks


def _read(where: Path, stamps: list[list[Any]]) -> list[Track] | None:
    try:
        data = json.loads(where.read_bytes())
        if (not isinstance(data, dict) or data.get("version") != CACHE_VERSION
                or data.get("files") != stamps or not isinstance(data.get("tracks"), list)):
            return None
        from scoring.certification import Track

        return [Track.model_validate(item) for item in data["tracks"]]
    except (OSError, ValueError, TypeError):  # pydantic's ValidationError is a ValueError
        return None


def _write(where: Path, stamps: list[list[Any]], tracks: list[Track]) -> None:
    data = {"version": CACHE_VERSION, "files": stamps,
            "tracks": [t.model_dump(mode="json", by_alias=True) for t in tracks]}
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tracks-", suffix=".tmp", dir=where.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, where)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
