"""The TUI over the library index (what `hotseat` opens with, simulator/cli/tui.py): the home
shows the indexed stand-ins exactly as it shows loaded scenarios; the briefing opens the file
loaded in full; a file that turned invalid since indexing says where, and no call starts."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import LIBRARY, TRACKS
from helpers import open_scenario, settle
from textual.widgets import DataTable

from simulator.scenario import Scenario, load_library
from simulator.scenario.index import Indexed, index_library
from simulator.tui import make_app
from simulator.tui.screens import BriefingScreen, HomeScreen


def copied(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    shutil.copytree(LIBRARY, folder)
    return folder


async def rows_of(library: Any, engine: Any, apps: list[Any]) -> list[list[str]]:
    app = make_app(library, engine, "alice", tracks=TRACKS)
    apps.append(app)
    async with app.run_test() as pilot:
        await settle(pilot)
        table = app.screen.query_one("#scenarios", DataTable)
        return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_home_shows_the_index_as_the_library(tmp_path: Path, engine: Any,
                                                       apps: list[Any]) -> None:
    folder = copied(tmp_path)
    index_library([folder])
    index = index_library([folder])
    assert index.read == 0  # the second start: from the index
    shells = index.library()
    assert all(isinstance(s, Indexed) for s in shells.scenarios)
    assert await rows_of(shells, engine, apps) == await rows_of(
        load_library([folder]), engine, apps)


async def test_the_briefing_opens_the_file_in_full(tmp_path: Path, engine: Any,
                                                   apps: list[Any]) -> None:
    folder = copied(tmp_path)
    app = make_app(index_library([folder]).library(), engine, "alice", tracks=TRACKS)
    apps.append(app)
    async with app.run_test() as pilot:
        await open_scenario(pilot, "twice")
        assert isinstance(app.screen, BriefingScreen)
        scenario = app.screen.scenario
        assert type(scenario) is Scenario and scenario.nodes
        assert scenario.id == "payment-double-charge"
        # the library's version from now on, for the home and for certification alike
        assert scenario in app.scenarios and scenario in app.store.scenarios


async def test_a_file_turned_invalid_says_where_and_starts_nothing(
        tmp_path: Path, engine: Any, apps: list[Any]) -> None:
    folder = copied(tmp_path)
    app = make_app(index_library([folder]).library(), engine, "alice", tracks=TRACKS)
    apps.append(app)
    target = folder / "payment-double-charge.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace(
        "difficulty: 2", "difficulty: 9", 1), encoding="utf-8")
    async with app.run_test(notifications=True) as pilot:
        await open_scenario(pilot, "twice")
        assert isinstance(app.screen, HomeScreen) and app.is_running
        shown = [str(n.message) for n in app._notifications]
        assert any("payment-double-charge.yaml has changed and no longer loads" in m
                   and "payment-double-charge.yaml:" in m and "difficulty" in m
                   for m in shown), shown


async def test_the_broken_files_notice_from_the_index(tmp_path: Path, engine: Any,
                                                      apps: list[Any]) -> None:
    folder = copied(tmp_path)
    (folder / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    index_library([folder])
    index = index_library([folder])
    assert index.read == 0
    app = make_app(index.library(), engine, "alice", tracks=[])
    apps.append(app)
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        assert len(app.scenarios) == 3
        assert any("1 scenario file(s) have errors" in str(n.message)
                   for n in app._notifications)


async def test_a_replay_reads_the_stored_source_not_a_stand_in(new_app: Any, engine: Any,
                                                                library: Any) -> None:
    """The stand-ins have the library's content hashes but no tree: a replay plays the call on
    the source stored with it, turn for turn as over the loaded library."""
    from reviewsite import SUPERVISOR, make_site
    from test_replay_screen import open_replay, turns_text

    site = make_site(engine, library)
    seen = []
    for lib in (library, index_library([LIBRARY]).library()):
        app = new_app(user=SUPERVISOR, library=lib)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_replay(pilot, site.failed)
            seen.append(turns_text(app))
    assert len(seen[0]) == 3 and seen[1] == seen[0]
