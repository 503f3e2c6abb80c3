"""The folders given with `hotseat --scenarios DIR` before a command count for that command too
(issue 14, item 1: "on the TUI and every command"), never silently dropped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from simulator import db
from simulator.bundled import BUNDLED
from simulator.call import play
from simulator.cli import main
from simulator.scenario import load_file


def _site(folder: Path) -> Path:
    folder.mkdir(parents=True)
    text = (BUNDLED / "payment-double-charge.yaml").read_text(encoding="utf-8")
    (folder / "site-own-case.yaml").write_text(
        text.replace("id: payment-double-charge", "id: site-own-case"), encoding="utf-8")
    return folder


@pytest.mark.parametrize("where", ["before", "after"])
def test_scenarios_before_the_command_reach_the_report(tmp_path: Path, capsys: Any,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       where: str) -> None:
    monkeypatch.setenv("HOTSEAT_USER", "ann")
    site = _site(tmp_path / "site")
    url = "sqlite:///" + str(tmp_path / "t.db")
    engine = db.make_engine(url)
    scenario, _ = load_file(site / "site-own-case.yaml")
    assert scenario is not None
    call_id = db.start_call(engine, "ann", scenario, mode="exam")
    result = play(scenario, ["own_it", "confirm", "cause", "ask", "resolve"])
    db.finish_call(engine, call_id, result, result.score())
    engine.dispose()
    args = ["--db", url, "report", "--format", "json"]
    assert main(args) == 0
    (call,) = json.loads(capsys.readouterr().out)["calls"]
    assert call["counts"] == "played on a file that is not in the library"
    given = (["--scenarios", str(site), *args] if where == "before"
             else [*args, "--scenarios", str(site)])
    assert main(given) == 0
    (call,) = json.loads(capsys.readouterr().out)["calls"]
    assert call["counts"] == "yes"
