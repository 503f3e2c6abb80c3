"""The wheel carries the bundled library and everything else Hotseat reads from its own files.

Builds the wheel once (from a copy of the working tree, so a stale build/ folder of the checkout can
never slip files into it and the checkout gets no build/ or egg-info), installs it NON-editable
into a fresh virtual environment, and runs Hotseat from there in an empty folder: the bundled
library, the certification tracks, the rubric, the stylesheet and the migrations must all come
from the installed wheel, not from the repository.

The fresh environment gets its dependencies, without any download, from a .pth file naming the
test environment's site-packages: folders named in a .pth file are not scanned for .pth files
themselves, so the editable install of the test environment stays switched off there.

Building without isolation needs setuptools >= 77 in the running environment (the `test` extra
installs it: `license = "MIT"` is a PEP 639 string, which older setuptools reject). Without it
these tests skip, and fail under CI=true.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from corepaths import ROOT

SCENARIOS = ROOT / "scenarios"
MIN_SETUPTOOLS = (77,)
# Left out of the copy the wheel is built from: caches, environments, earlier builds, databases.
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", "*.pyc",
    ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache", "*.db", "*.db-*",
)


def _cannot_build(reason: str) -> None:
    """Skip: this environment cannot build the wheel; under CI=true that is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the wheel cannot be built here: {reason}")
    pytest.skip(f"cannot build the wheel here: {reason}")


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(c for c in piece if c.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def _run(cmd: list[str], cwd: Path | None = None,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def _explain(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


# --- the wheel ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """hotseat-*.whl, built with this environment's own python from a copy of the work tree."""
    try:
        found = metadata.version("setuptools")
    except metadata.PackageNotFoundError:
        _cannot_build("setuptools is not installed (pip install -e '.[test]')")
    if _version_tuple(found) < MIN_SETUPTOOLS:
        _cannot_build(f"setuptools {found} is older than 77 (pip install -e '.[test]')")
    try:
        metadata.version("pip")
    except metadata.PackageNotFoundError:
        _cannot_build("pip is not installed in the test environment")

    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(ROOT, source, ignore=COPY_IGNORE)
    out = work / "dist"
    proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                 "--no-index", "--disable-pip-version-check", "-q", "-w", str(out),
                 str(source)], cwd=work)
    assert proc.returncode == 0, "pip wheel failed: " + _explain(proc)
    wheels = sorted(out.glob("hotseat-*.whl"))
    assert len(wheels) == 1, f"expected one hotseat wheel in {out}: {sorted(out.iterdir())}"
    return wheels[0]


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def _repo_files(folder: Path, pattern: str) -> list[str]:
    return sorted(p.name for p in folder.glob(pattern) if p.is_file())


def test_the_wheel_carries_every_bundled_scenario(wheel_names: set[str]) -> None:
    repo = _repo_files(SCENARIOS, "*.yaml") + _repo_files(SCENARIOS, "*.yml")
    assert repo, "no scenario in scenarios/"
    shipped = sorted(n.removeprefix("simulator/library/") for n in wheel_names
                     if n.startswith("simulator/library/") and "/" not in
                     n.removeprefix("simulator/library/") and n.endswith((".yaml", ".yml")))
    assert shipped == sorted(repo)


def test_the_wheel_carries_the_tracks_and_the_schema(wheel_names: set[str]) -> None:
    tracks = _repo_files(SCENARIOS / "tracks", "*.yaml")
    assert tracks, "no track in scenarios/tracks/"
    missing = [f"simulator/library/tracks/{name}" for name in tracks
               if f"simulator/library/tracks/{name}" not in wheel_names]
    assert not missing, missing
    assert "simulator/library/schema.json" in wheel_names
    assert "simulator/library/__init__.py" in wheel_names


def test_the_wheel_carries_the_rubric_stylesheet_and_migrations(wheel_names: set[str]) -> None:
    versions = ROOT / "simulator" / "db" / "migrations" / "versions"
    migrations = [f"simulator/db/migrations/versions/{name}"
                  for name in _repo_files(versions, "*.py")]
    assert any(Path(name).name[0].isdigit() for name in migrations), migrations
    wanted = [
        "scoring/rubric.yaml",
        "simulator/tui/hotseat.tcss",
        "simulator/db/migrations/script.py.mako",
        "simulator/db/migrations/env.py",
        *migrations,
    ]
    missing = [name for name in wanted if name not in wheel_names]
    assert not missing, missing


# --- the wheel installed into a fresh environment ----------------------------------------------


@dataclass
class Fresh:
    """A fresh venv with the wheel installed (not editable) and an empty folder to run in."""

    python: Path
    site_packages: Path
    cwd: Path
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _run([str(self.python), *args], cwd=self.cwd, env=self.env)

    def hotseat(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run("-m", "simulator", *args)


@pytest.fixture(scope="module")
def fresh(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Fresh:
    base = tmp_path_factory.mktemp("fresh")
    venv = base / "venv"
    proc = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert proc.returncode == 0, "python -m venv failed: " + _explain(proc)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "HOTSEAT_", "VIRTUAL_ENV"))}
    env["PYTHONNOUSERSITE"] = "1"
    probe = _run([str(python), "-c", "import site; print(site.getsitepackages()[0])"], env=env)
    assert probe.returncode == 0, _explain(probe)
    site_packages = Path(probe.stdout.strip())
    assert site_packages.is_dir() and site_packages.is_relative_to(venv), site_packages

    proc = _run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--no-compile",
                 "--disable-pip-version-check", "-q", "--target", str(site_packages),
                 str(wheel)])
    assert proc.returncode == 0, "pip install --target failed: " + _explain(proc)
    # The dependencies: the test environment's site-packages, appended after the fresh one.
    deps = "\n".join(site.getsitepackages()) + "\n"
    (site_packages / "zz_test_dependencies.pth").write_text(deps, encoding="utf-8")

    cwd = base / "empty"
    cwd.mkdir()
    return Fresh(python=python, site_packages=site_packages, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def installed(fresh: Fresh) -> dict[str, str]:
    """Where the fresh python finds Hotseat's packages and the bundled library."""
    proc = fresh.run("-c", textwrap.dedent("""
        import json, scoring, simulator, simulator.bundled, simulator.tui
        print(json.dumps({
            "simulator": simulator.__file__,
            "scoring": scoring.__file__,
            "tui": simulator.tui.__file__,
            "bundled": str(simulator.bundled.BUNDLED),
            "tracks": str(simulator.bundled.BUNDLED_TRACKS),
            "schema": str(simulator.bundled.BUNDLED_SCHEMA),
        }))
    """))
    assert proc.returncode == 0, _explain(proc)
    return json.loads(proc.stdout)


def test_the_fresh_python_imports_the_installed_wheel_not_the_repo(
        fresh: Fresh, installed: dict[str, str]) -> None:
    print(json.dumps(installed, indent=2))
    site_packages = fresh.site_packages.resolve()
    for what, where in installed.items():
        path = Path(where).resolve()
        assert path.is_relative_to(site_packages), f"{what} is not installed: {where}"
        assert not path.is_relative_to(ROOT), f"{what} comes from the repository: {where}"
    bundled = Path(installed["bundled"])
    assert bundled == site_packages / "simulator" / "library"
    assert sorted(p.name for p in bundled.glob("*.yaml")) == _repo_files(SCENARIOS, "*.yaml")
    assert Path(installed["schema"]).is_file()
    assert sorted(p.name for p in Path(installed["tracks"]).glob("*.yaml")) == \
        _repo_files(SCENARIOS / "tracks", "*.yaml")


def test_validate_checks_the_bundled_library_of_the_wheel(
        fresh: Fresh, installed: dict[str, str]) -> None:
    proc = fresh.hotseat("validate")
    assert proc.returncode == 0, _explain(proc)
    files = len(_repo_files(SCENARIOS, "*.yaml") + _repo_files(SCENARIOS, "*.yml"))
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary.startswith(f"{files} files, {files} valid"), summary
    assert str(ROOT) not in proc.stdout + proc.stderr


def test_play_a_bundled_scenario_from_the_wheel(fresh: Fresh, installed: dict[str, str]) -> None:
    path = Path(installed["bundled"]) / "payment-double-charge.yaml"
    # The bundled scenario is one exchange longer than the format example's 1,1,1,1.
    proc = fresh.hotseat("play", str(path), "--choose", "1,1,1,1,1", "--json")
    assert proc.returncode == 0, _explain(proc)
    data = json.loads(proc.stdout)
    assert data["scenario"] == "payment-double-charge"
    assert data["outcome"] == "resolved", data["outcome"]


def test_graph_of_the_state_machine(fresh: Fresh, installed: dict[str, str]) -> None:
    proc = fresh.hotseat("graph", "--machine", "steps")
    assert proc.returncode == 0, _explain(proc)
    assert "stateDiagram-v2" in proc.stdout


def test_report_migrates_a_new_database_from_the_wheel(
        fresh: Fresh, installed: dict[str, str]) -> None:
    db = fresh.cwd.parent / "t.db"
    proc = fresh.hotseat("--db", f"sqlite:///{db}", "report")
    assert "Traceback" not in proc.stderr, _explain(proc)
    assert proc.returncode in (0, 2), _explain(proc)  # 2: nobody in the new database yet
    assert db.is_file()
    check = fresh.run("-c", textwrap.dedent(f"""
        import sqlite3
        con = sqlite3.connect({str(db)!r})
        print(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    """))
    assert check.returncode == 0, _explain(check)
    versions = ROOT / "simulator" / "db" / "migrations" / "versions"
    newest = max(p.name.split("_", 1)[0] for p in versions.glob("[0-9]*.py"))
    assert check.stdout.strip() == newest, _explain(check)


def test_the_tui_starts_headless_on_the_bundled_library(
        fresh: Fresh, installed: dict[str, str]) -> None:
    proc = fresh.run("-c", textwrap.dedent("""
        import asyncio
        import simulator.bundled
        from simulator.scenario import load_library
        from simulator.tui import make_app

        lib = load_library([simulator.bundled.BUNDLED])
        app = make_app(lib, None, "wheel-user")

        async def main():
            async with app.run_test() as pilot:
                await pilot.pause()
                name = type(app.screen).__name__
                assert name == "HomeScreen", name
                print("screen", name, len(lib.scenarios))

        asyncio.run(main())
    """))
    assert proc.returncode == 0, _explain(proc)
    assert proc.stdout.split()[:2] == ["screen", "HomeScreen"], _explain(proc)


# --- the packages list (fast, no build) --------------------------------------------------------


def test_the_packages_list_names_every_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools_config = config["tool"]["setuptools"]
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("simulator", "scoring")
        for init in (ROOT / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert sorted(setuptools_config["packages"]) == sorted(on_disk | {"simulator.library"})
    assert setuptools_config["package-dir"] == {"simulator.library": "scenarios"}
    assert (SCENARIOS / "__init__.py").is_file()
