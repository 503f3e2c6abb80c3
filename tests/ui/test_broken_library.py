"""A library with a broken file (a YAML key that is not text) opens: the file is left out and
the rep is told, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import LIBRARY
from helpers import settle

from simulator.scenario import load_library
from simulator.tui import make_app
from simulator.tui.screens import HomeScreen


async def test_a_non_text_key_leaves_its_file_out_and_says_so(tmp_path: Path, engine: Any,
                                                              apps: list[Any]) -> None:
    folder = tmp_path / "library"
    shutil.copytree(LIBRARY, folder)
    good = (LIBRARY / "angry-late-parcel.yaml").read_text(encoding="utf-8")
    (folder / "broken.yaml").write_text(good.replace("id: angry-late-parcel", "id: broken")
                                        + "[a, b]: 1\n", encoding="utf-8")
    library = load_library([folder])
    assert [d.message for d in library.errors] == ["a key must be plain text"]
    app = make_app(library, engine, "alice", tracks=[])
    apps.append(app)
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.is_running
        assert len(app.scenarios) == 3
        assert any("1 scenario file(s) have errors" in str(n.message)
                   for n in app._notifications)
