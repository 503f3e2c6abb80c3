"""The TUI's pure helpers (no Textual): library filters, the recommendation, coach, paths."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import fixture_library

from simulator.call import Call, play
from simulator.catalog import Filters, choices, filter_scenarios, recommend
from simulator.review import best_path, path_rows, turn_events
from simulator.standing import TrackRow, next_for_tracks
from simulator.tui.screens.home import track_line

LIB = fixture_library()
IDS = {"a": "angry-late-parcel", "c": "confused-password-reset", "p": "payment-double-charge"}

FILTERS = [
    ("nothing set", Filters(), "acp"),
    ("persona", Filters(persona="angry"), "a"),
    ("problem", Filters(problem="technical"), "c"),
    ("difficulty", Filters(difficulty=2), "p"),
    ("language", Filters(locale="fr"), ""),
    ("search a customer name", Filters(search="okafor"), "a"),
    ("search every word", Filters(search="twice order"), "p"),
    ("search and filter", Filters(search="twice", persona="angry"), ""),
]


@pytest.mark.parametrize("f,expected", [c[1:] for c in FILTERS], ids=[c[0] for c in FILTERS])
def test_filter_scenarios(f: Filters, expected: str) -> None:
    got = {s.id for s in filter_scenarios(LIB.scenarios, f)}
    assert got == {IDS[k] for k in expected}


def test_choices() -> None:
    assert choices(LIB.scenarios) == {"persona": ["angry", "confused", "payment"],
                                      "problem": ["payment", "service", "technical"],
                                      "difficulty": [1, 2, 3], "locale": ["en"]}


def call(sid: str, overall: int, passed: bool) -> Any:
    return SimpleNamespace(scenario_id=IDS[sid], overall=overall, passed=passed)


RECOMMEND = [
    ("new rep: the easiest", [], None, "a", "new to you"),
    ("a track's proposal first", [], IDS["c"], "c", "needed for certification"),
    ("failed: not passed yet", [call("a", 40, False)], None, "a", "not passed yet"),
    ("passed: the next", [call("a", 90, True)], None, "p", "new to you"),
    ("all passed: the weakest", [call("a", 90, True), call("p", 80, True),
                                 call("c", 85, True)], None, "p", "lowest passing score (80)"),
]


@pytest.mark.parametrize("calls,proposed,expected,why", [c[1:] for c in RECOMMEND],
                         ids=[c[0] for c in RECOMMEND])
def test_recommend(calls: list[Any], proposed: str | None, expected: str, why: str) -> None:
    pick = recommend(LIB.scenarios, calls, proposed)
    assert pick is not None
    assert pick[0].id == IDS[expected] and why in pick[1]


def test_coach_keeps_whole_call_judgements_for_the_scorecard() -> None:
    c = Call(LIB.by_id(IDS["a"]))
    c.choose(1)
    rules = [e.rule for e in turn_events(c, 1)]
    assert rules == ["acknowledge", "apologise"]  # no "never got to..." while the call goes on


def test_best_path_is_the_first_passing_check() -> None:
    scenario = LIB.by_id(IDS["a"])
    best = best_path(scenario)
    assert best is not None and [x.option for x in best] == [1, 1, 1, 1]
    walked = play(scenario, [2, 1])
    rows = path_rows(walked.transcript, best)
    assert [r.same for r in rows] == [False, False, False, False]
    assert rows[2].taken == "" and rows[2].best


def test_no_passing_check_no_best_path() -> None:
    scenario = LIB.by_id(IDS["a"]).model_copy(update={"checks": []})
    assert best_path(scenario) is None


D = date(2027, 3, 14)
TRACK_LINES = [
    ("certified", TrackRow("t", "certified", title="T", valid_until=D,
                           refresher_due_on=date(2027, 2, 12), days_left=365),
     "T\n✔ certified to 2027-03-14\n  refresher 2027-02-12"),
    ("refresher due", TrackRow("t", "refresher_due", title="T", valid_until=D,
                               refresher_due_on=date(2027, 2, 12), days_left=12,
                               missing=("a", "b"), required=2),
     "T\n! refresher due: 12 days left (0/2 passed)"),
    ("expired", TrackRow("t", "expired", title="T", valid_until=D, days_left=-3, missing=("b",),
                         required=2),
     "T\n✘ expired 2027-03-14 (1/2 passed)"),
    ("in progress", TrackRow("t", "in_progress", title="T", missing=("b", "c", "d", "e", "f"),
                             required=6),
     "T\n· in progress (1/6 passed)"),
]


@pytest.mark.parametrize("row,expected", [c[1:] for c in TRACK_LINES],
                         ids=[c[0] for c in TRACK_LINES])
def test_track_line(row: TrackRow, expected: str) -> None:
    assert track_line(row).plain == expected


NEXT = [
    ("a due refresher first",
     [TrackRow("a", title="A", status="in_progress", proposed=IDS["a"]),
      TrackRow("b", title="B", status="refresher_due", proposed=IDS["c"])], "c"),
    ("else the easiest", [TrackRow("a", title="A", status="in_progress", proposed=IDS["c"]),
                          TrackRow("b", title="B", status="not_started", proposed=IDS["a"])], "a"),
    ("nothing proposed", [TrackRow("a", title="A", status="certified")], None),
]


@pytest.mark.parametrize("rows,expected", [c[1:] for c in NEXT], ids=[c[0] for c in NEXT])
def test_next_for_tracks(rows: list[TrackRow], expected: str | None) -> None:
    got = next_for_tracks(rows, LIB.scenarios)
    assert got == (IDS[expected] if expected else None)
