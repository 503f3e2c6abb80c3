"""`hotseat report` on the fast path: plain DB-API (simulator.db.raw), the library index, the
certification tracks cached; no SQLAlchemy, SQLModel, Alembic nor scenario models imported.

`fast_report(args)` answers a report exactly as `records.cmd_report`'s ordinary path would, or
returns None when anything is out of the ordinary (raw.Unusual: a database to upgrade or
recover, a person unknown or refused, --tracks, --format xapi, the scenarios section, any
error), and the ordinary path then runs unchanged, with its own messages and exit codes. It
never writes to the database, and prints nothing itself: the caller prints the report and the
messages once everything is built.

What certification reads of each scenario comes from the library index
(simulator/scenario/index.py: id, title, persona, seat, difficulty, translates, escalation,
content hash) plus whether its policy forbids anything (a refresher proposal weighs it): that
one fact is kept per content hash in a small cache beside the index, read from the file in
full once. The tracks (scenarios/tracks/*.yaml) are cached the same way, by each file's
mtime and size, with their diagnostics.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..db.raw import Unusual

if TYPE_CHECKING:
    from scoring.certification import Track

    from ..db.reportrows import Report
    from ..scenario import Scenario

__all__ = ["fast_report"]

CACHE_VERSION = 1
"""Bumped whenever what the caches below keep changes."""


def fast_report(args: argparse.Namespace, *, strict: bool = False
                ) -> tuple[Report, list[str], list[str]] | None:
    """(the report, its sections, the lines for standard error) or None for the ordinary path.
    `strict` (tests): raise whatever made the fast path give up instead of returning None."""
    try:
        return _report(args)
    except Exception:
        if strict:
            raise
        return None


_SECTIONS = ("trainees", "certifications", "calls", "scenarios")


def _report(args: argparse.Namespace) -> tuple[Report, list[str], list[str]]:
    from ..db import raw
    from ..db.report_raw import build_report, people
    from .common import login_name

    if args.format == "xapi" or args.tracks is not None:
        raise Unusual("xapi or --tracks: the ordinary path")
    reader = raw.connect(getattr(args, "db", None))
    try:
        viewer = reader.viewer(login_name(), getattr(args, "as_user", None))
        trainee = args.trainee
        if viewer.role in ("trainee", "trainer"):
            if args.team or (trainee and raw.normalise(trainee) != viewer.name):
                raise Unusual("refused: the ordinary path says why")
            trainee = viewer.name
        persons = people(reader, viewer, team=args.team,
                         name=raw.normalise(trainee) if trainee else None)
        if not persons:
            raise Unusual("nobody: the ordinary path says so")
        sections = [args.rows] if args.rows else [
            s for s in _SECTIONS if s != "scenarios" or viewer.role == "trainer"]
        if args.format == "csv":
            sections = [args.rows or "calls"]
        if "scenarios" in sections:
            raise Unusual("the scenarios' results: the ordinary path")
        messages: list[str] = []
        scenarios = _library(args.scenarios, messages)
        tracks = _tracks(messages)
        # the rows read live until the command ends: the cyclic collector, paused while they
        # are read, is not left to scan them all at its first run after (about 0.1 s of a
        # report of 200k calls, issue 12); they are moved to its permanent generation instead
        # (gc.freeze: freed by reference counting as ever, never scanned for cycles)
        running = gc.isenabled()
        gc.disable()
        try:
            report = build_report(reader, viewer, persons, tracks, scenarios, last=args.last,
                                  sections=sections, columns=True)
        finally:
            gc.freeze()
            if running:
                gc.enable()
    finally:
        reader.close()
    return report, sections, messages


def _library(paths: list[Path] | None, messages: list[str]) -> list[Scenario]:
    """common.library, from the library index: the scenarios that count, their errors said."""
    from ..bundled import BUNDLED
    from ..scenario.index import index_library
    from .common import site_libraries

    index = index_library([BUNDLED, *site_libraries(), *(paths or [])])
    messages.extend(str(d) for d in index.errors)
    stand_ins = index.library().scenarios
    forbids = _forbids(index.scenarios)
    for s in stand_ins:
        if forbids[s.content_hash]:
            s.policy = _Forbids()  # type: ignore[assignment]
    return stand_ins


class _Forbids:
    """A stand-in's policy that forbids something (certification._exercises reads only that)."""

    allows: tuple[str, ...] = ()
    forbids: tuple[str, ...] = ("(in the file)",)


def _cache_file(name: str) -> Path:
    from ..scenario.index import cache_dir

    return cache_dir() / name


def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == CACHE_VERSION else None


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Written whole beside it, then moved into place; a cache that cannot be written is no
    error (the next report works it out again)."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"version": CACHE_VERSION, **data}, out, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def _forbids(entries: list[Any]) -> dict[str, bool]:
    """Whether each indexed scenario's policy forbids anything, by content hash."""
    where = _cache_file("report-policy.json")
    known: dict[str, bool] = dict((_read_json(where) or {}).get("forbids", {}))
    missing = [e for e in entries if e.digest not in known]
    if missing:
        from ..scenario.index import load_entry

        for entry in missing:
            scenario, _ = load_entry(entry)
            if scenario is None or scenario.content_hash != entry.digest:
                raise Unusual(f"{entry.path} changed since it was indexed")
            known[entry.digest] = bool(scenario.policy.forbids)
        _write_json(where, {"forbids": known})
    return known


def _tracks(messages: list[str]) -> list[Track]:
    """records._tracks of the bundled tracks, cached by each file's mtime and size (with their
    diagnostics, which the report prints): from the cache, plain copies of the tracks
    (trackindex.PlainTrack, the same fields and rules)."""
    from ..bundled import BUNDLED_TRACKS

    folder = BUNDLED_TRACKS
    try:
        files = sorted((p.name, st.st_mtime_ns, st.st_size) for p in folder.iterdir()
                       for st in [p.stat()])
    except OSError as exc:
        raise Unusual(str(exc)) from None
    import hashlib

    key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    where = _cache_file(f"report-tracks-{key}.json")
    cached = _read_json(where)
    if cached is not None and cached.get("files") == [list(f) for f in files]:
        from ..trackindex import PlainTrack

        try:  # plain copies, as the home reads them: no pydantic imported
            tracks = cast("list[Track]", [PlainTrack.of(t) for t in cached["tracks"]])
        except (KeyError, TypeError, ValueError) as exc:
            raise Unusual(f"the tracks' cache: {exc}") from None
        said = [str(m) for m in cached["diagnostics"]]
    else:
        from ..tracks import load_tracks

        loaded = load_tracks(None)
        tracks = list(loaded.tracks)
        said = [str(d) for d in loaded.diagnostics]
        _write_json(where, {"files": [list(f) for f in files], "diagnostics": said,
                            "tracks": [t.model_dump(mode="json", by_alias=True)
                                       for t in tracks]})
    messages.extend(said)
    return tracks
