"""The library index (simulator/scenario/index.py): cached between starts, refreshed by file
modification, never trusted when damaged, and saying what `load_library` says.

Which files a start reads is counted by wrapping the parser the index calls (`load_bytes`),
never by timing. The cache is under tmp_path (conftest.py points XDG_CACHE_HOME there for every
test; these tests point it at their own folder again to look inside it)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from corepaths import GOOD

from simulator.bundled import BUNDLED
from simulator.scenario import index as libindex
from simulator.scenario import load_library
from simulator.scenario.index import (
    INDEX_VERSION,
    Indexed,
    cache_dir,
    index_file,
    index_library,
)

TEXT = GOOD.read_text(encoding="utf-8")


def scenario_text(sid: str, title: str = "Charged twice for one order",
                  extra: str = "") -> str:
    out = TEXT.replace("id: payment-double-charge ", f"id: {sid} ", 1)
    out = out.replace("title: Charged twice for one order", f"title: {title}", 1)
    assert out.count(f"id: {sid} ") == 1
    return out.replace("locale: en ", f"{extra}locale: en ", 1) if extra else out


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "hotseat"


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    """A small site library: three good files, one with errors."""
    folder = tmp_path / "site"
    folder.mkdir()
    for sid in ("alpha", "beta", "gamma"):
        (folder / f"{sid}.yaml").write_text(scenario_text(f"site-{sid}", f"Site {sid}"),
                                            encoding="utf-8")
    (folder / "broken.yaml").write_text("id: Not A Slug\ntitle: [\n", encoding="utf-8")
    return folder


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the index parses, in order (a wrapper around its parser)."""
    seen: list[str] = []
    real = libindex.load_bytes

    def counting(raw: bytes, shown: str):  # type: ignore[no-untyped-def]
        seen.append(Path(shown).name)
        return real(raw, shown)

    monkeypatch.setattr(libindex, "load_bytes", counting)
    return seen


def same_as_library(paths: list[Path]) -> None:
    """The index says what load_library says: the scenarios, their order, every diagnostic."""
    index, library = index_library(paths), load_library(paths)
    assert [e.summary.id for e in index.scenarios if e.summary] == \
        [s.id for s in library.scenarios]
    assert [str(d) for d in index.diagnostics] == [str(d) for d in library.diagnostics]
    assert index.broken_paths == sorted({d.path for d in library.errors})
    for entry, s in zip(index.scenarios, library.scenarios, strict=True):
        assert entry.digest == s.content_hash
        assert entry.summary is not None
        assert (entry.summary.title, entry.summary.persona, entry.summary.problem,
                entry.summary.difficulty, entry.summary.locale) == \
            (s.title, s.persona, s.problem, s.difficulty, s.locale)
        shell = Indexed.of(entry)  # the stand-in the home shows: the same summary fields
        fields = ("id", "title", "persona", "problem", "summary", "difficulty", "locale", "seat",
                  "escalation", "translates", "content_hash", "file")
        assert [getattr(shell, f) for f in fields] == [getattr(s, f) for f in fields]
        assert shell.customer.name == s.customer.name and shell.start_level == s.start_level


def test_a_second_start_parses_nothing(cache: Path, lib: Path, parsed: list[str]) -> None:
    first = index_library([BUNDLED, lib])
    assert first.read == len(first.entries) == len(parsed) > 4
    assert first.cache is not None and first.cache.parent == cache
    parsed.clear()
    second = index_library([BUNDLED, lib])
    assert parsed == [] and second.read == 0
    assert [e.summary for e in second.entries] == [e.summary for e in first.entries]
    assert [str(d) for d in second.diagnostics] == [str(d) for d in first.diagnostics]


def test_the_index_says_what_the_library_says(cache: Path, lib: Path) -> None:
    (lib / "dup.yaml").write_text(scenario_text("site-alpha", "Again"), encoding="utf-8")
    (lib / "zz-translation.yaml").write_text(
        scenario_text("site-delta", "Delta", "translates: no-such-scenario\n"), encoding="utf-8")
    (lib / "zz-self.yaml").write_text(
        scenario_text("site-self", "Self", "translates: site-self\n"), encoding="utf-8")
    same_as_library([BUNDLED, lib])  # read
    same_as_library([BUNDLED, lib])  # from the index
    index = index_library([BUNDLED, lib])
    assert index.read == 0
    text = "\n".join(str(d) for d in index.diagnostics)
    assert "duplicate scenario id 'site-alpha'" in text
    assert "which is not among the scenarios loaded with it" in text
    assert "a scenario cannot translate itself" in text


def test_an_edited_file_is_read_again(cache: Path, lib: Path, parsed: list[str]) -> None:
    index_library([lib])
    parsed.clear()
    target = lib / "beta.yaml"
    before = os.stat(target)
    target.write_text(scenario_text("site-beta", "Site bēta"), encoding="utf-8")
    # the same size would not do: the modification time alone says it changed
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    index = index_library([lib])
    assert parsed == ["beta.yaml"] and index.read == 1
    entry = index.by_id("site-beta")
    assert entry is not None and entry.summary is not None
    assert entry.summary.title == "Site bēta"
    assert [e.summary.id for e in index.scenarios if e.summary] == \
        ["site-alpha", "site-beta", "site-gamma"]


def test_a_file_that_turns_invalid_is_counted(cache: Path, lib: Path) -> None:
    assert len(index_library([lib]).broken_paths) == 1
    (lib / "gamma.yaml").write_text("id: site-gamma\n", encoding="utf-8")
    index = index_library([lib])
    assert index.read == 1
    assert len(index.broken_paths) == 2
    gamma = next(e for e in index.entries if e.path.endswith("gamma.yaml"))
    assert not gamma.valid and gamma.error_count > 0 and gamma.summary is None
    assert index.by_id("site-gamma") is None
    again = index_library([lib])  # from the index: still counted, with its errors
    assert again.read == 0 and again.broken_paths == index.broken_paths
    assert [str(d) for d in again.errors] == [str(d) for d in index.errors]


def test_the_invalid_file_is_counted_from_the_index(cache: Path, lib: Path,
                                                     parsed: list[str]) -> None:
    index_library([lib])
    parsed.clear()
    index = index_library([lib])
    assert parsed == []
    broken = next(e for e in index.entries if e.path.endswith("broken.yaml"))
    assert not broken.valid and broken.error_count == len(
        [d for d in index.errors if d.path.endswith("broken.yaml")]) > 0
    assert len(index.scenarios) == 3 and index.broken_paths[0].endswith("broken.yaml")


def test_a_removed_file_drops_out(cache: Path, lib: Path) -> None:
    index_library([lib])
    (lib / "alpha.yaml").unlink()
    index = index_library([lib])
    assert index.read == 0
    assert index.by_id("site-alpha") is None
    assert not any(e.path.endswith("alpha.yaml") for e in index.entries)
    assert index.cache is not None
    stored = json.loads(index.cache.read_text(encoding="utf-8"))
    assert not any(f["path"].endswith("alpha.yaml") for f in stored["files"])


def test_a_new_file_is_read(cache: Path, lib: Path, parsed: list[str]) -> None:
    index_library([lib])
    parsed.clear()
    (lib / "delta.yaml").write_text(scenario_text("site-delta", "Delta"), encoding="utf-8")
    index = index_library([lib])
    assert parsed == ["delta.yaml"] and index.by_id("site-delta") is not None


@pytest.mark.parametrize("damage", [
    b"", b"{not json", b"\xff\xfe", b"[]", b'{"version": 999, "files": []}',
    "version", "type", "path", "severity", "summary-with-errors",
])
def test_a_damaged_index_is_rebuilt(cache: Path, lib: Path, parsed: list[str],
                                    damage: bytes | str) -> None:
    first = index_library([lib])
    assert first.cache is not None
    if isinstance(damage, bytes):
        first.cache.write_bytes(damage)
    else:
        data = json.loads(first.cache.read_text(encoding="utf-8"))
        entry = next(f for f in data["files"] if f["summary"] is not None)
        if damage == "version":
            data["version"] = INDEX_VERSION + 1
        elif damage == "type":
            entry["summary"]["difficulty"] = "2"
        elif damage == "path":
            entry["path"] = "relative.yaml"
        elif damage == "severity":
            entry["problems"] = [[1, 1, "fatal", "x"]]
        else:
            entry["problems"] = [[1, 1, "error", "x"]]
        first.cache.write_text(json.dumps(data), encoding="utf-8")
    parsed.clear()
    rebuilt = index_library([lib])
    assert rebuilt.read == len(rebuilt.entries) == len(parsed) == 4
    assert [str(d) for d in rebuilt.diagnostics] == [str(d) for d in first.diagnostics]
    parsed.clear()
    assert index_library([lib]).read == 0 and parsed == []  # and written whole again


def test_a_forged_summary_is_not_what_loads(cache: Path, lib: Path) -> None:
    """The index is what the home shows; opening a scenario loads its file, whatever the
    index says (the content hash tells the two apart)."""
    index = index_library([lib])
    assert index.cache is not None
    data = json.loads(index.cache.read_text(encoding="utf-8"))
    for f in data["files"]:
        if f["summary"] is not None:
            f["summary"]["title"] = "Forged"
    index.cache.write_text(json.dumps(data), encoding="utf-8")
    entry = index_library([lib]).by_id("site-alpha")
    assert entry is not None
    scenario, problems = libindex.load_entry(entry)
    assert scenario is not None and scenario.title == "Site alpha"
    assert scenario.content_hash == entry.digest


def test_a_file_that_turned_invalid_says_so_when_opened(cache: Path, lib: Path) -> None:
    entry = index_library([lib]).by_id("site-beta")
    assert entry is not None
    (lib / "beta.yaml").write_text("id: site-beta\ntitle: x\n", encoding="utf-8")
    scenario, problems = libindex.load_entry(entry)
    assert scenario is None
    assert problems and all(str(d).startswith(f"{entry.shown}:") for d in problems)
    assert any(d.is_error for d in problems)


def test_one_index_per_set_of_folders(cache: Path, lib: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.yaml").write_text(scenario_text("other-x"), encoding="utf-8")
    assert index_file([lib]) != index_file([lib, other]) != index_file([other])
    index_library([lib])
    index_library([lib, other])
    assert len(list(cache.glob("library-*.json"))) == 2
    assert not list(cache.glob("*.tmp"))  # written to a temporary file, then moved


def test_an_unwritable_cache_is_no_error(tmp_path: Path, lib: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    index = index_library([lib])
    assert index.read == 4 and len(index.scenarios) == 3


def test_no_cache_reads_every_file(cache: Path, lib: Path) -> None:
    index_library([lib], cache=False)
    assert not cache.exists()
    assert index_library([lib], cache=False).read == 4


def test_the_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "hotseat"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "hotseat"


def test_the_tests_never_write_the_real_cache() -> None:
    """conftest.py points every test's XDG_CACHE_HOME at a tmp folder."""
    assert "XDG_CACHE_HOME" in os.environ
    assert not cache_dir().is_relative_to(Path.home() / ".cache")
