"""A site keeps its own scenarios beside the bundled library: $HOTSEAT_SCENARIOS and
`hotseat --scenarios DIR` (repeatable) add to it, ids unique across all of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from simulator.bundled import BUNDLED
from simulator.cli import main
from simulator.tui import HotseatApp


def _site(folder: Path, scenario_id: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (BUNDLED / "payment-double-charge.yaml").read_text(encoding="utf-8")
    (folder / f"{scenario_id}.yaml").write_text(
        text.replace("id: payment-double-charge", f"id: {scenario_id}"), encoding="utf-8")
    return folder


def test_site_libraries_are_added_to_the_bundled_one(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path, capsys: Any) -> None:
    seen: list[HotseatApp] = []
    monkeypatch.setattr(HotseatApp, "run", lambda self, *a, **k: seen.append(self))
    monkeypatch.setenv("HOTSEAT_USER", "ann")
    monkeypatch.setenv("HOTSEAT_SCENARIOS", str(_site(tmp_path / "site", "site-own-case")))
    extra = _site(tmp_path / "extra", "extra-own-case")
    url = "sqlite:///" + str(tmp_path / "t.db")
    assert main(["--db", url, "--scenarios", str(extra)]) == 0
    (app,) = seen
    ids = {s.id for s in app.scenarios}
    assert {"site-own-case", "extra-own-case", "payment-double-charge"} <= ids
    assert len(ids) == len(list(BUNDLED.glob("*.yaml"))) + 2
    _site(tmp_path / "extra", "payment-double-charge")  # a bundled id again: refused, said
    assert main(["--db", url, "--scenarios", str(extra)]) == 0
    err = capsys.readouterr().err
    assert "duplicate scenario id 'payment-double-charge'" in err
