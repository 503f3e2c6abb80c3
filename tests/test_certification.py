"""Certification: each status on a frozen clock, expiry, renewal, refreshers; track files."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from scoring.certification import (
    Certificate,
    Requirement,
    ScenarioMeta,
    Status,
    Track,
    earned_certificates,
    propose_refresher,
    track_status,
    weakest_dimension,
)

TRACK = Track(id="front-line", title="Front line", role="csr", pass_mark=75, valid_days=180,
              refresher_days=30, requires=[Requirement(persona="angry"),
                                           Requirement(scenario="payment-double-charge")])
BOTH = ("persona angry", "scenario payment-double-charge")
DIMS = {"empathy": 90, "resolution": 90, "escalation": 90, "policy": 90}


@dataclass(frozen=True)
class C:
    """A stored call, as certification reads it."""

    day: date
    scenario_id: str = "angry-blender"
    persona: str = "angry"
    overall: int | None = 90
    passed: bool | None = True
    mode: str = "exam"
    seat: str = "csr"
    outcome: str | None = "resolved"
    dimensions: dict[str, int] = field(default_factory=lambda: dict(DIMS))
    id: int | None = None

    @property
    def started(self) -> datetime:
        return datetime(self.day.year, self.day.month, self.day.day, 10, tzinfo=UTC)


def angry(day: date, **kw) -> C:
    return C(day, **kw)


def pay(day: date, **kw) -> C:
    return C(day, scenario_id="payment-double-charge", persona="payment", **kw)


D = date
CERTIFIED_JAN = [angry(D(2026, 1, 10)), pay(D(2026, 1, 20), id=7)]
RENEWED_JUN = CERTIFIED_JAN + [angry(D(2026, 6, 21)), pay(D(2026, 6, 22))]

# name, calls, today, status, certified_on, missing, earlier certificates
STATUS_CASES = [
    ("no calls", [], D(2026, 2, 1), Status.NOT_STARTED, None, BOTH, 0),
    ("practice passes do not count",
     [angry(D(2026, 1, 10), mode="practice"), pay(D(2026, 1, 11), mode="scripted")],
     D(2026, 2, 1), Status.NOT_STARTED, None, BOTH, 0),
    ("another role's calls do not count", [angry(D(2026, 1, 10), seat="expert")],
     D(2026, 2, 1), Status.NOT_STARTED, None, BOTH, 0),
    ("a failed exam is a start", [angry(D(2026, 1, 10), overall=50, passed=False)],
     D(2026, 2, 1), Status.IN_PROGRESS, None, BOTH, 0),
    ("one requirement of two", [angry(D(2026, 1, 10))], D(2026, 2, 1), Status.IN_PROGRESS,
     None, ("scenario payment-double-charge",), 0),
    ("passed, but below the track's pass mark",
     [angry(D(2026, 1, 10), overall=72), pay(D(2026, 1, 20), overall=74)],
     D(2026, 2, 1), Status.IN_PROGRESS, None, BOTH, 0),
    ("a scorecard that failed does not count even above the mark",
     [angry(D(2026, 1, 10)), pay(D(2026, 1, 20), overall=90, passed=False)],
     D(2026, 2, 1), Status.IN_PROGRESS, None, ("scenario payment-double-charge",), 0),
    ("evidence older than valid_days is stale",
     [angry(D(2025, 6, 1)), pay(D(2026, 1, 20))], D(2026, 2, 1), Status.IN_PROGRESS, None,
     ("persona angry",), 0),
    ("certified", CERTIFIED_JAN, D(2026, 2, 1), Status.CERTIFIED, D(2026, 1, 20), (), 0),
    ("last day before the refresher", CERTIFIED_JAN, D(2026, 6, 18), Status.CERTIFIED,
     D(2026, 1, 20), (), 0),
    ("refresher due", CERTIFIED_JAN, D(2026, 6, 19), Status.REFRESHER_DUE, D(2026, 1, 20),
     BOTH, 0),
    ("passes before the refresher window do not renew",
     CERTIFIED_JAN + [angry(D(2026, 3, 1)), pay(D(2026, 3, 2))], D(2026, 6, 25),
     Status.REFRESHER_DUE, D(2026, 1, 20), BOTH, 0),
    ("half a refresher", CERTIFIED_JAN + [angry(D(2026, 6, 21))], D(2026, 7, 1),
     Status.REFRESHER_DUE, D(2026, 1, 20), ("scenario payment-double-charge",), 0),
    ("expired on valid_until", CERTIFIED_JAN, D(2026, 7, 19), Status.EXPIRED, D(2026, 1, 20),
     BOTH, 0),
    ("renewed in the refresher window", RENEWED_JUN, D(2026, 7, 1), Status.CERTIFIED,
     D(2026, 6, 22), (), 1),
    ("renewed after expiry",
     CERTIFIED_JAN + [angry(D(2026, 9, 1)), pay(D(2026, 9, 2))], D(2026, 9, 10),
     Status.CERTIFIED, D(2026, 9, 2), (), 1),
    ("calls after today are ignored", CERTIFIED_JAN, D(2026, 1, 15), Status.IN_PROGRESS, None,
     ("scenario payment-double-charge",), 0),
]


@pytest.mark.parametrize("name, calls, today, status, certified_on, missing, earlier",
                         STATUS_CASES, ids=[c[0] for c in STATUS_CASES])
def test_status(name, calls, today, status, certified_on, missing, earlier) -> None:
    with time_machine.travel(datetime(today.year, today.month, today.day, 12, tzinfo=UTC),
                             tick=False):
        got = track_status(TRACK, calls)  # today: the frozen clock's UTC date
    assert got == track_status(TRACK, calls, today)
    assert (got.status, got.certified_on, got.missing, len(got.history)) == (
        status, certified_on, missing, earlier)
    if certified_on is not None:
        assert got.valid_until == certified_on + timedelta(days=180)
        assert got.refresher_due_on == got.valid_until - timedelta(days=30)
        assert got.days_left == (got.valid_until - today).days


def test_certificate_dates_and_history() -> None:
    first, second = earned_certificates(TRACK, RENEWED_JUN, D(2026, 7, 1))
    assert first == Certificate("front-line", D(2026, 1, 20), D(2026, 7, 19), D(2026, 6, 19), 7)
    assert (second.earned_on, second.valid_until) == (D(2026, 6, 22), D(2026, 12, 19))
    assert track_status(TRACK, RENEWED_JUN, D(2026, 7, 1)).history == (first,)


def test_a_stored_certificate_outlives_a_stricter_track() -> None:
    stored = earned_certificates(TRACK, CERTIFIED_JAN, D(2026, 2, 1))
    stricter = TRACK.model_copy(update={"pass_mark": 95})
    assert track_status(stricter, CERTIFIED_JAN, D(2026, 2, 1)).status == Status.IN_PROGRESS
    kept = track_status(stricter, CERTIFIED_JAN, D(2026, 2, 1), earned=stored)
    assert (kept.status, kept.certified_on) == (Status.CERTIFIED, D(2026, 1, 20))


# (status, the calls of a trainee built to be in it on TODAY). TRACK: valid 180 days, refresher
# due 30 days before expiry; so on TODAY a certificate earned 2026-06-02 is current, one earned
# 2026-01-20 has its refresher due (since 2026-06-19), one earned 2025-12-13 expired 2026-06-11
TODAY = D(2026, 7, 1)
EACH_STATUS = [
    ("not_started", [angry(D(2026, 6, 1), mode="practice")]),
    ("in_progress", [angry(D(2026, 6, 1))]),
    ("certified", [angry(D(2026, 6, 1)), pay(D(2026, 6, 2))]),
    ("refresher_due", CERTIFIED_JAN),
    ("expired", [angry(D(2025, 12, 10)), pay(D(2025, 12, 13))]),
]


@pytest.mark.parametrize("status, calls", EACH_STATUS, ids=[c[0] for c in EACH_STATUS])
def test_each_status_is_produced(status: str, calls: list[C]) -> None:
    assert track_status(TRACK, calls, TODAY).status == status


def test_every_status_has_a_situation() -> None:
    assert [status for status, _ in EACH_STATUS] == list(Status.ALL)


# the refresher: a track on payment calls, a trainee weakest in escalation
PAYMENT = Track(id="payments", title="Payments", pass_mark=75, valid_days=180, refresher_days=30,
                requires=[Requirement(persona="payment")])
LIBRARY = [
    ScenarioMeta("pay-double", "payment"),
    ScenarioMeta("pay-hold", "payment", escalation="expert"),
    ScenarioMeta("pay-gift", "payment"),
    ScenarioMeta("angry-blender", "angry"),
    ScenarioMeta("pay-expert-side", "payment", seat="expert"),
]
WEAK_ESCALATION = {"empathy": 90, "resolution": 80, "escalation": 50, "policy": 95}
TODAY = D(2026, 6, 25)
HISTORY = [
    C(D(2026, 5, 1), "pay-double", "payment", 70, False, "practice", dimensions=WEAK_ESCALATION),
    C(D(2026, 1, 5), "pay-gift", "payment", 90, True, "exam",
      dimensions={**DIMS, "escalation": 90}),
]


def test_weakest_dimension() -> None:
    assert weakest_dimension(HISTORY) == "escalation"
    assert weakest_dimension([]) is None


REFRESHER_CASES = [
    ("weakest first, then what stresses it, required before the rest", HISTORY, 4,
     ["pay-double", "pay-hold", "pay-gift", "angry-blender"]),
    ("k limits", HISTORY, 2, ["pay-double", "pay-hold"]),
    ("passed recently is left out",
     HISTORY + [C(D(2026, 6, 20), "pay-double", "payment", 80, True, "practice",
                  dimensions=WEAK_ESCALATION)], 3, ["pay-hold", "pay-gift", "angry-blender"]),
    ("no history: required first, by id", [], 3, ["pay-double", "pay-gift", "pay-hold"]),
]


@pytest.mark.parametrize("name, calls, k, expected", REFRESHER_CASES,
                         ids=[c[0] for c in REFRESHER_CASES])
def test_propose_refresher(name, calls, k, expected) -> None:
    assert propose_refresher(PAYMENT, calls, LIBRARY, TODAY, k=k) == expected


def test_certification_imports_nothing_of_simulator() -> None:
    code = ("import sys, scoring.certification\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'simulator'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


# track files: loaded with the scenarios' care, every error positioned
GOOD_TRACK = """\
id: front-line
title: Front line
role: csr
requires:
  - persona: angry
  - scenario: payment-double-charge
pass_mark: 75
valid_days: 180
refresher_days: 30
"""

TRACK_CASES = [
    ("unknown key", GOOD_TRACK + "valid_for: 10\n", "10:1: error: unknown key 'valid_for'"),
    ("duplicate key", GOOD_TRACK + "pass_mark: 80\n", "10:1: error: duplicate key 'pass_mark'"),
    ("missing key", GOOD_TRACK.replace("pass_mark: 75\n", ""),
     "1:1: error: missing required key 'pass_mark'"),
    ("YAML 1.1 number", GOOD_TRACK.replace("pass_mark: 75", "pass_mark: 075"),
     "7:12: error: 'pass_mark' must be a whole number from 0 to 100, not '075'"),
    ("quoted number", GOOD_TRACK.replace("valid_days: 180", 'valid_days: "180"'),
     "8:13: error: 'valid_days' must be a whole number"),
    ("refresher longer than validity", GOOD_TRACK.replace("refresher_days: 30",
                                                          "refresher_days: 180"),
     "9:17: error: refresher_days (180) must be below valid_days (180)"),
    ("unknown persona", GOOD_TRACK.replace("persona: angry", "persona: grumpy"),
     "5:14: error: unknown persona 'grumpy'"),
    ("both scenario and persona", GOOD_TRACK.replace("  - persona: angry\n",
                                                     "  - {persona: angry, scenario: x}\n"),
     "5:5: error: a requirement names exactly one of 'scenario' or 'persona'"),
    ("unknown role", GOOD_TRACK.replace("role: csr", "role: boss"),
     "3:7: error: unknown role 'boss'"),
    ("unknown scenario", GOOD_TRACK.replace("payment-double-charge", "no-such-case"),
     "6:15: error: no scenario 'no-such-case' in the library"),
    ("empty requires", GOOD_TRACK.replace(
        "  - persona: angry\n  - scenario: payment-double-charge\n", "").replace(
        "requires:", "requires: []"), "4:11: error: 'requires' must not be empty"),
]


@pytest.mark.parametrize("name, text, expected", TRACK_CASES, ids=[c[0] for c in TRACK_CASES])
def test_track_file_errors(tmp_path, name, text, expected) -> None:
    from corepaths import GOOD

    from simulator.scenario import load_file
    from simulator.tracks import load_track

    library, _ = load_file(GOOD)
    path = tmp_path / "track.yaml"
    path.write_text(text, encoding="utf-8")
    track, problems = load_track(path, [library])
    assert track is None
    assert any(f"track.yaml:{expected}" in str(p) for p in problems), [str(p) for p in problems]


def test_good_track_file(tmp_path) -> None:
    from simulator.tracks import load_track

    path = tmp_path / "track.yaml"
    path.write_text(GOOD_TRACK + "x-note: anything\n", encoding="utf-8")
    track, problems = load_track(path)
    assert problems == []
    assert track == TRACK.model_copy(update={"title": "Front line"})


def test_bundled_tracks_load_against_the_library() -> None:
    from simulator.bundled import BUNDLED
    from simulator.scenario import load_library
    from simulator.tracks import load_tracks

    library = load_library([BUNDLED])
    tracks = load_tracks(BUNDLED / "tracks", library.scenarios)
    assert [str(d) for d in tracks.diagnostics] == []
    files = sorted((BUNDLED / "tracks").glob("*.y*ml")) if (BUNDLED / "tracks").is_dir() else []
    assert len(tracks.tracks) == len(files)


def test_duplicate_track_ids(tmp_path: Path) -> None:
    from simulator.tracks import load_tracks

    (tmp_path / "a.yaml").write_text(GOOD_TRACK, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD_TRACK, encoding="utf-8")
    found = load_tracks(tmp_path)
    assert len(found.tracks) == 1
    assert any("duplicate track id 'front-line'" in d.message for d in found.errors)


def _earned_by_the_book(track: Track, calls: list[C], today: date) -> list[Certificate]:
    """earned_certificates as the rules read (each pass's window scanned again): the
    reference the one-pass version must agree with."""
    day_of = lambda c: c.started.astimezone(UTC).date()  # noqa: E731
    passes = sorted((c for c in calls if c.mode == "exam" and c.seat == track.seat
                     and c.outcome is not None and c.passed and c.overall is not None
                     and c.overall >= track.pass_mark and day_of(c) <= today), key=day_of)
    out: list[Certificate] = []
    cycle_start = date.min
    for i, call in enumerate(passes):
        day = day_of(call)
        if out and day < out[-1].refresher_due_on:
            continue
        since = max(cycle_start, day - timedelta(days=track.valid_days))
        window = [c for c in passes[: i + 1] if since <= day_of(c) <= day]
        if all(any(r.met_by(c) for c in window) for r in track.requires):
            ids: list[int] = []
            for r in track.requires:
                found = [c for c in window if r.met_by(c)][-1].id
                if isinstance(found, int) and found not in ids:
                    ids.append(found)
            until = day + timedelta(days=track.valid_days)
            out.append(Certificate(track.id, day, until,
                                   until - timedelta(days=track.refresher_days), call.id,
                                   tuple(ids)))
            cycle_start = out[-1].refresher_due_on
    return out


def test_earned_certificates_agree_with_the_rules_on_random_histories() -> None:
    import random

    rng = random.Random(5)
    tracks = [TRACK, Track(id="one", title="One", pass_mark=80, valid_days=40, refresher_days=10,
                           requires=[Requirement(scenario="payment-double-charge")]),
              Track(id="three", title="Three", pass_mark=60, valid_days=90, refresher_days=60,
                    requires=[Requirement(persona="angry"), Requirement(persona="payment"),
                              Requirement(scenario="angry-blender")])]
    start = date(2025, 1, 1)
    found = renewed = 0
    for _ in range(300):
        calls = []
        for n in range(rng.randint(0, 60)):
            make = rng.choice([angry, pay])
            calls.append(make(start + timedelta(days=rng.randint(0, 700)), id=n + 1,
                              overall=rng.choice([50, 70, 79, 80, 95, None]),
                              passed=rng.choice([True, True, False, None]),
                              mode=rng.choice(["exam", "exam", "exam", "practice"]),
                              outcome=rng.choice(["resolved", "lost", None])))
        today = start + timedelta(days=rng.randint(0, 800))
        for track in tracks:
            got = earned_certificates(track, calls, today)
            assert got == _earned_by_the_book(track, calls, today)
            assert [c.rests_on for c in got] == [
                c.rests_on for c in _earned_by_the_book(track, calls, today)]
            found += len(got)
            renewed += len(got) > 1
    assert found > 100 and renewed > 10  # the histories do earn and renew certificates
