"""The rep's home proposes a refresher from the library index's stand-ins, the report from the
same stand-ins with each file's policy looked up, certification from loaded scenarios: a
scenario whose policy forbids something counts as stressing the policy dimension
(scoring.certification._exercises), so the index keeps whether it does (issue 12) and all
agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from corepaths import GOOD

from scoring.certification import Requirement, Track
from simulator.scenario import load_library
from simulator.scenario.index import Indexed, index_library
from simulator.standing import DUE, next_for_tracks, track_rows

TEXT = GOOD.read_text(encoding="utf-8")
FORBIDS = "  forbids: [Promising a date the bank controls]\n"
TODAY = date(2026, 6, 25)
TRACK = Track(id="pay", title="Payments", pass_mark=75, valid_days=180, refresher_days=30,
              requires=[Requirement(persona="payment")])
WEAK_POLICY = {"empathy": 90, "resolution": 90, "escalation": 90, "policy": 60}


@dataclass(frozen=True)
class Call:
    """A stored call, as certification reads it."""

    scenario_id: str
    day: date
    persona: str = "payment"
    seat: str = "csr"
    mode: str = "exam"
    outcome: str | None = "resolved"
    overall: int | None = 85
    passed: bool | None = True
    dimensions: dict[str, int] = field(default_factory=lambda: dict(WEAK_POLICY))

    @property
    def started(self) -> datetime:
        return datetime(self.day.year, self.day.month, self.day.day, 10, tzinfo=UTC)


def write(folder: Path, sid: str, forbids: bool) -> None:
    text = TEXT.replace("id: payment-double-charge ", f"id: {sid} ", 1)
    assert FORBIDS in text
    if not forbids:
        text = text.replace(FORBIDS, "", 1)
    (folder / f"{sid}.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three payment scenarios; only the last by id forbids anything."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "site"
    folder.mkdir()
    for sid, forbids in (("site-a", False), ("site-b", False), ("site-z", True)):
        write(folder, sid, forbids)
    return folder


def test_the_homes_refresher_is_the_loaded_librarys(site: Path) -> None:
    calls = [Call("site-a", TODAY - timedelta(days=170))]  # certified; its refresher is due
    full = [s for s in load_library([site]).scenarios if s.id.startswith("site-")]
    assert {s.id: bool(s.policy.forbids) for s in full} == {
        "site-a": False, "site-b": False, "site-z": True}
    expected = track_rows([TRACK], calls, [], full, TODAY)
    assert expected[0].status in DUE
    # the weakest dimension is policy: the scenario that forbids something comes first
    assert expected[0].refresher == ("site-z", "site-a", "site-b")
    for start in ("read", "cached"):  # indexed now, then taken from the index's cache
        index = index_library([site])
        assert index.read == (3 if start == "read" else 0)
        stand_ins = [s for s in index.library().scenarios if s.id.startswith("site-")]
        assert all(isinstance(s, Indexed) for s in stand_ins)
        rows = track_rows([TRACK], calls, [], stand_ins, TODAY)
        assert rows == expected, start
        assert next_for_tracks(rows, stand_ins) == next_for_tracks(expected, full) == "site-z"
