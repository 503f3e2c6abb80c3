"""The certification tracks, cached between starts as the library index is (issue 12).

`load_tracks` reads the track files with the scenarios' own care (simulator.tracks: the YAML
checks and the typed builder of the scenario models), which the TUI's home would otherwise
import only to read four small files. `cached_tracks` keeps the tracks that loaded as JSON under
the user's cache folder (beside the library index), with each file's `mtime_ns` and size: while
no file of the folder changed, the tracks are made again from it (`Track.model_validate`, the
same values); when one did (or was added or removed), the folder is loaded again with
`load_tracks` and the cache rewritten. A cache that cannot be read, is damaged or of another
version is ignored, never trusted; one that cannot be written is no error.

`plain_tracks` reads the same cache without pydantic: plain copies of the tracks (PlainTrack),
with every field a track's rules read and the rules of its requirements from
scoring/trackrules.py, for the TUI's home, which works its certification panel out before
pydantic is imported (issue 12). None when the cache cannot answer: then `cached_tracks`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scoring.trackrules import requirement_label, requirement_met
from scoring.vocabulary import Persona, Seat

from .bundled import BUNDLED_TRACKS
from .scenario.index import cache_dir, write_cache

if TYPE_CHECKING:
    from scoring.certification import Track

__all__ = ["CACHE_VERSION", "PlainRequirement", "PlainTrack", "cache_file", "cached_tracks",
           "plain_tracks"]

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


@dataclass(frozen=True)
class PlainRequirement:
    """A track's requirement as the rules read it (scoring.certification.Requirement's)."""

    scenario: str | None
    persona: Persona | None

    @property
    def label(self) -> str:
        return requirement_label(self)

    def met_by(self, call: Any) -> bool:
        return requirement_met(self, call)


@dataclass(frozen=True)
class PlainTrack:
    """A track as the rules read it (scoring.certification.Track's fields), made from the
    cache of tracks that loaded and were validated."""

    id: str
    title: str
    summary: str | None
    seat: Seat
    requires: tuple[PlainRequirement, ...]
    pass_mark: int
    valid_days: int
    refresher_days: int

    @classmethod
    def of(cls, item: dict[str, Any]) -> PlainTrack:
        """From a track as the cache keeps it (`Track.model_dump(mode="json", by_alias=True)`);
        KeyError, TypeError or ValueError when it is not one."""
        def whole(value: Any) -> int:
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"{value!r} is not a whole number")
            return value

        def text(value: Any, none: bool = False) -> Any:
            if not (isinstance(value, str) or (none and value is None)):
                raise TypeError(f"{value!r} is not text")
            return value
        requires = tuple(PlainRequirement(text(r["scenario"], True),
                                          None if r["persona"] is None else Persona(r["persona"]))
                         for r in item["requires"])
        return cls(id=text(item["id"]), title=text(item["title"]),
                   summary=text(item["summary"], True), seat=Seat(item["role"]),
                   requires=requires, pass_mark=whole(item["pass_mark"]),
                   valid_days=whole(item["valid_days"]),
                   refresher_days=whole(item["refresher_days"]))


def plain_tracks(folder: Path | None = None) -> list[PlainTrack] | None:
    """The tracks `cached_tracks(folder)` gives, as plain copies, while the cache holds them
    (no pydantic imported); None when it does not (missing, stale, damaged)."""
    folder = folder or BUNDLED_TRACKS
    try:
        data = _data(cache_file(folder), _stamps(folder))
        return None if data is None else [PlainTrack.of(item) for item in data]
    except (OSError, KeyError, TypeError, ValueError, AttributeError):
        return None


def _data(where: Path, stamps: list[list[Any]]) -> list[Any] | None:
    """The cached tracks as JSON while the folder's files are those they were made from."""
    try:
        data = json.loads(where.read_bytes())
    except (OSError, ValueError):
        return None
    if (not isinstance(data, dict) or data.get("version") != CACHE_VERSION
            or data.get("files") != stamps or not isinstance(data.get("tracks"), list)):
        return None
    tracks: list[Any] = data["tracks"]
    return tracks


def _read(where: Path, stamps: list[list[Any]]) -> list[Track] | None:
    data = _data(where, stamps)
    if data is None:
        return None
    from scoring.certification import Track

    try:
        return [Track.model_validate(item) for item in data]
    except (ValueError, TypeError):  # pydantic's ValidationError is a ValueError
        return None


def _write(where: Path, stamps: list[list[Any]], tracks: list[Track]) -> None:
    write_cache(where, {"version": CACHE_VERSION, "files": stamps,
                        "tracks": [t.model_dump(mode="json", by_alias=True) for t in tracks]},
                prefix=".tracks-")
