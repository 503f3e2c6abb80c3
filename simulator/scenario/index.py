"""The library index: what the home needs of every scenario file, cached between starts.

`index_library` finds the library's files as `load_library` does and keeps, per file, its
path, `mtime_ns`, size, the sha256 of its bytes, whether it loaded, its diagnostics and a
summary (id, title, persona, problem, its summary, the customer's name, difficulty,
locale, seat, translates: what the home, the library's table and its search show; whether its
policy forbids anything: what a refresher proposal weighs). The index
lives in a JSON file under the user's cache folder ($XDG_CACHE_HOME/hotseat, else ~/.cache/hotseat),
one per set of library folders; a file whose `mtime_ns` or size is not the indexed one is read
and validated again, a new file is read, a removed one drops out. An index that cannot be read,
is damaged or was written by another version is ignored and rebuilt, never trusted; it is
written to a temporary file and moved into place (`os.replace`), so a reader never sees half of
it. Deleting it is always safe: the next start reads every file again.

The checks across files (a duplicate id, a translation of a scenario that is not there or not
of the same persona and seat) are made again from the summaries on every start, with the same
messages as `load_library`'s. A scenario is loaded in full (`load_entry`) when it is opened;
the content hash says whether the file is still the one indexed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scoring.vocabulary import Level, Needs, Persona, Problem, Seat

from .diagnostics import Diagnostic, Marks
from .files import Library, collector_paused, discover, shown_path

if TYPE_CHECKING:
    from .model import Scenario

    _Shell = Scenario
else:
    _Shell = object

__all__ = ["INDEX_VERSION", "Entry", "Indexed", "LibraryIndex", "Summary", "cache_dir",
           "index_file", "index_library", "load_entry"]

INDEX_VERSION = 2
"""Bumped whenever what is kept per file changes: an index of another version is rebuilt."""

Position = tuple[int, int]


@dataclass(frozen=True)
class Summary:
    """What the home and the library's table show of a scenario that loaded, and what the
    checks across files need (the positions of its `id` and `translates`)."""

    id: str
    title: str
    persona: str
    problem: str | None
    summary: str | None
    customer: str
    """The customer's name (the library's search reads it)."""
    difficulty: int
    locale: str
    seat: str
    escalation: str
    translates: str | None
    id_at: Position
    translates_at: Position
    forbids: bool = False
    """Whether its policy forbids anything: a refresher proposal weighs it for a rep whose
    weakest dimension is policy (scoring.certification._exercises), on the home as in the
    report."""

    @classmethod
    def of(cls, s: Scenario) -> Summary:
        return cls(id=s.id, title=s.title, persona=f"{s.persona}",
                   problem=None if s.problem is None else f"{s.problem}",
                   summary=s.summary, customer=s.customer.name,
                   difficulty=s.difficulty, locale=s.locale, seat=f"{s.seat}",
                   escalation=f"{s.escalation}",
                   translates=s.translates, id_at=s.marks.at(("id",)),
                   translates_at=s.marks.at(("translates",)),
                   forbids=bool(s.policy.forbids))


@dataclass
class Entry:
    """One file of the library as indexed."""

    path: str
    """Absolute."""
    mtime_ns: int
    size: int
    digest: str
    """sha256 of the bytes read ("" when the file could not be read)."""
    summary: Summary | None
    """None when the file did not load (it has errors)."""
    problems: list[tuple[int, int, str, str]] = field(default_factory=list)
    """The file's own diagnostics: line, column, severity, message."""

    @property
    def shown(self) -> str:
        return shown_path(Path(self.path))

    @property
    def valid(self) -> bool:
        return self.summary is not None

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.problems if p[2] == "error")

    def diagnostics(self) -> list[Diagnostic]:
        shown = self.shown
        return [Diagnostic(shown, line, col, sev, msg) for line, col, sev, msg in self.problems]


@dataclass
class LibraryIndex:
    """The library as indexed: every file, the scenarios that count (the first of each id)."""

    entries: list[Entry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Every file's diagnostics then those across files, as `Library.diagnostics`."""
    scenarios: list[Entry] = field(default_factory=list)
    """The files that loaded, less a second file of the same id, in the library's order."""
    read: int = 0
    """How many files were read (and validated) by this start, not taken from the index."""
    cache: Path | None = None
    """The index file (None when indexing without a cache)."""

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def broken_paths(self) -> list[str]:
        """The files left out for their errors (the TUI's "N scenario file(s)" notice)."""
        return sorted({d.path for d in self.errors})

    def by_id(self, scenario_id: str) -> Entry | None:
        return next((e for e in self.scenarios if e.summary and e.summary.id == scenario_id),
                    None)

    def library(self) -> Library:
        """A Library of `Indexed` stand-ins (what the home shows), with every diagnostic."""
        return Library(scenarios=[Indexed.of(e) for e in self.scenarios],
                       diagnostics=list(self.diagnostics),
                       files=[Path(e.path) for e in self.entries])


@dataclass(frozen=True)
class _Customer:
    """A stand-in's customer: the name the library's search reads, the model's defaults."""

    name: str
    mood: int = 5
    breaking_point: int = 10
    walkout: str | None = None


@dataclass(frozen=True)
class _Policy:
    allows: tuple[str, ...] = ()
    forbids: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Facts:
    complaint: str | None = None
    cause: str | None = None
    solution: str | None = None


_NO_POLICY, _NO_FACTS = _Policy(), _Facts()
"""A stand-in's (frozen: shared by all), as empty as a Scenario's defaults."""
_FORBIDS = _Policy(forbids=("(in the file)",))
"""A stand-in's policy when the file's forbids something: only that it does is known (what
certification reads); the briefing and the call load the file and show its own."""


class Indexed(_Shell):
    """A scenario as the index knows it: only its summary's fields, file and content hash are
    its own; no nodes, and the customer's mood, the policy and the facts are placeholders with
    a Scenario's defaults (the policy's `forbids` not empty when the file's is not). What the
    home, the library's table, its search and certification read; `load_entry(x.entry)` loads
    the file in full before a briefing, a call, a replay or anything else that needs more.

    A plain object, not a pydantic model: the home shows the library before pydantic and the
    scenario models are imported (issue 12). To the type checker it is a Scenario (it goes
    wherever the library's scenarios go); anything it does not have raises AttributeError."""

    def __init__(self, entry: Entry) -> None:
        s = entry.summary
        assert s is not None
        self.id = s.id
        self.title = s.title
        self.persona = Persona(s.persona)
        self.problem = None if s.problem is None else Problem(s.problem)
        self.summary = s.summary
        self.difficulty = s.difficulty
        self.locale = s.locale
        self.seat = Seat(s.seat)
        self.escalation = Needs(s.escalation)
        self.translates = s.translates
        self.customer = _Customer(s.customer)  # type: ignore[assignment]
        self.policy = _FORBIDS if s.forbids else _NO_POLICY  # type: ignore[assignment]
        self.facts = _NO_FACTS  # type: ignore[assignment]
        self.start = ""
        self.nodes = {}
        self.checks = []
        self._entry = entry
        self._shown = entry.shown

    @classmethod
    def of(cls, entry: Entry) -> Indexed:
        return cls(entry)

    @property
    def entry(self) -> Entry:
        return self._entry

    @property
    def file(self) -> str:
        return self._shown

    @property
    def content_hash(self) -> str:
        return self._entry.digest

    @property
    def source(self) -> str:
        """Not read yet: the file's text comes with `load_entry`."""
        return ""

    @property
    def marks(self) -> Marks:
        return Marks(self._shown or self.id)

    @property
    def start_level(self) -> Level:
        return self.seat.level

    def __repr__(self) -> str:
        return f"Indexed(id={self.id!r}, file={self._shown!r})"


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/hotseat, else ~/.cache/hotseat."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hotseat"


def index_file(paths: list[Path]) -> Path:
    """The index of this set of library folders and files (one per set, in this order)."""
    key = "\0".join(os.path.abspath(p) for p in paths)
    return cache_dir() / f"library-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"


def index_library(paths: list[Path], *, cache: Path | None | bool = True) -> LibraryIndex:
    """Index every scenario under `paths` (raises LoadError as `load_library` does).

    `cache`: True for the index file of these paths under the user's cache folder, a path for
    that file, False or None for no cache (every file read)."""
    files = discover(paths)
    where = index_file(paths) if cache is True else (cache or None)
    old = _read(where) if where is not None else {}
    result = LibraryIndex(cache=where)
    with collector_paused():
        for path in files:
            full = os.path.abspath(path)
            try:
                st = os.stat(full)
            except OSError:
                st = None
            known = old.get(full)
            if known is not None and st is not None and (known.mtime_ns, known.size) == (
                    st.st_mtime_ns, st.st_size):
                result.entries.append(known)
                continue
            result.entries.append(_index_one(Path(full), st))
            result.read += 1
    _across(result)
    if where is not None and (result.read or set(old) != {e.path for e in result.entries}):
        _write(where, result.entries)
    return result


def _index_one(path: Path, st: os.stat_result | None) -> Entry:
    """Read and validate one file (its stat taken before reading: a change while it is read
    is seen by the next start)."""
    from .yamlsafe import read_file

    shown = shown_path(path)
    raw, problems = read_file(path, shown)
    scenario = None
    if raw is not None:
        scenario, problems = load_bytes(raw, shown)
    return Entry(path=str(path), mtime_ns=st.st_mtime_ns if st else -1,
                 size=st.st_size if st else -1,
                 digest=hashlib.sha256(raw).hexdigest() if raw is not None else "",
                 summary=Summary.of(scenario) if scenario is not None else None,
                 problems=[(d.line, d.column, d.severity, d.message) for d in problems])


def _across(result: LibraryIndex) -> None:
    """Each file's diagnostics, then the checks across files: `load_library`'s `_load_all`."""
    first: dict[str, Entry] = {}
    for entry in result.entries:
        result.diagnostics.extend(entry.diagnostics())
        s = entry.summary
        if s is None:
            continue
        if s.id in first:
            other = first[s.id]
            assert other.summary is not None
            line, col = other.summary.id_at
            result.diagnostics.append(Diagnostic(
                entry.shown, *s.id_at, "error", f"duplicate scenario id '{s.id}': also in "
                                                f"{other.shown}:{line}:{col}"))
            continue
        first[s.id] = entry
        result.scenarios.append(entry)
    for entry in result.scenarios:
        result.diagnostics += _translation(entry, first)


def _translation(entry: Entry, by_id: dict[str, Entry]) -> list[Diagnostic]:
    s = entry.summary
    assert s is not None
    if s.translates is None:
        return []
    shown = entry.shown
    if s.translates == s.id:
        return [Diagnostic(shown, *s.translates_at, "error",
                           "a scenario cannot translate itself")]
    original = by_id.get(s.translates)
    if original is None:
        return [Diagnostic(shown, *s.translates_at, "warning",
                           f"translates '{s.translates}', which is not among the scenarios "
                           "loaded with it")]
    o = original.summary
    assert o is not None
    if (o.persona, o.seat) != (s.persona, s.seat):
        return [Diagnostic(shown, *s.translates_at, "error",
                           f"translates '{s.translates}', a {o.persona} call played as "
                           f"{o.seat}: a translation keeps both")]
    return []


def load_entry(entry: Entry) -> tuple[Scenario | None, list[Diagnostic]]:
    """The scenario of an indexed file, loaded in full (parsed and validated, as
    `load_file`), when it is opened. None with its diagnostics when it no longer loads; a file
    that changed since indexing but still loads is the file as it is now."""
    from .library import load_file

    return load_file(Path(entry.path))


def load_bytes(raw: bytes, shown: str) -> tuple[Scenario | None, list[Diagnostic]]:
    """`library.load_bytes`, imported when a file is read (not on a start that reads none)."""
    from .library import load_bytes as load

    return load(raw, shown)


# -- the JSON file -------------------------------------------------------------------------

def _read(where: Path) -> dict[str, Entry]:
    """The indexed entries by absolute path; {} for an index that is missing, unreadable,
    damaged in any way or of another version (it is rebuilt)."""
    try:
        data = json.loads(where.read_bytes())
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return {}
        entries = [_entry(item) for item in data["files"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return {e.path: e for e in entries}


def _entry(item: dict[str, Any]) -> Entry:
    """One entry read back, its types checked (ValueError or TypeError otherwise)."""
    def typed(value: Any, kind: type | tuple[type, ...]) -> Any:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise TypeError(f"{value!r} is not {kind}")
        return value

    def pos(value: Any) -> Position:
        a, b = typed(value, list)
        return typed(a, int), typed(b, int)

    raw = item["summary"]
    summary = None
    if raw is not None:
        typed(raw, dict)
        summary = Summary(
            id=typed(raw["id"], str), title=typed(raw["title"], str),
            persona=typed(raw["persona"], str), problem=typed(raw["problem"], (str, type(None))),
            summary=typed(raw["summary"], (str, type(None))),
            customer=typed(raw["customer"], str),
            difficulty=typed(raw["difficulty"], int), locale=typed(raw["locale"], str),
            seat=typed(raw["seat"], str), escalation=typed(raw["escalation"], str),
            translates=typed(raw["translates"], (str, type(None))),
            id_at=pos(raw["id_at"]), translates_at=pos(raw["translates_at"]),
            forbids=typed(raw["forbids"], bool))
        # ValueError when not one of them
        Persona(summary.persona), Seat(summary.seat), Needs(summary.escalation)
        if summary.problem is not None:
            Problem(summary.problem)
    problems = [(typed(p[0], int), typed(p[1], int), typed(p[2], str), typed(p[3], str))
                for p in typed(item["problems"], list)]
    if any(sev not in ("error", "warning") for _, _, sev, _ in problems):
        raise ValueError("a severity is neither error nor warning")
    if summary is not None and any(sev == "error" for _, _, sev, _ in problems):
        raise ValueError("a file with errors has a summary")
    path = typed(item["path"], str)
    if not os.path.isabs(path):
        raise ValueError("a path is not absolute")
    return Entry(path=path, mtime_ns=typed(item["mtime_ns"], int),
                 size=typed(item["size"], int), digest=typed(item["digest"], str),
                 summary=summary, problems=problems)


def _write(where: Path, entries: list[Entry]) -> None:
    """The index written whole (write_cache)."""
    write_cache(where, {"version": INDEX_VERSION, "files": [asdict(e) for e in entries]},
                prefix=".library-")


def write_cache(where: Path, data: Any, *, prefix: str) -> None:
    """A cache file written whole to a temporary file beside it, then moved into place. A
    cache that cannot be written is no error: the next start reads the files again."""
    import tempfile  # only when a cache is written (with shutil, random...: 3 ms of a start)

    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=where.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, where)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
