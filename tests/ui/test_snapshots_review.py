"""SVG snapshots of the replay, review and calibration screens at 80x24 and 120x40.

Deterministic as tests/ui/test_snapshots.py: a frozen clock (conftest.NOW, UTC), the fixture
library, a tmp database with the site of reviewsite.py (alice and sue in team blue, bob in red;
the calls at NOW). Update with `pytest tests/ui/test_snapshots_review.py --snapshot-update`
after checking the new images by eye.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import settle
from reviewsite import SUPERVISOR, make_site, viewer

from simulator import db
from simulator.tui.screens import (
    AgreementScreen,
    BlindScoreScreen,
    ReplayScreen,
)

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def reviewed(engine: Any, library: Any) -> Any:
    """The site, with sue's comment on turn 1 of alice's failed exam, one on the whole call,
    and her override of it to passed."""
    site = make_site(engine, library)
    sue = viewer(engine, SUPERVISOR)
    db.add_comment(engine, sue, site.failed, "Own the double charge before any policy", turn=1)
    db.add_comment(engine, sue, site.failed, "Calm hand-off: now open with the apology")
    db.override(engine, sue, site.failed, True, "The policy line was our own script")
    return site


@pytest.mark.parametrize("size", SIZES)
def test_replay_reviewed(snap_compare: Any, new_app: Any, engine: Any, library: Any,
                         frozen: Any, size: tuple[int, int]) -> None:
    """sue replays alice's call 2. Head: "Call 2 · alice · Charged twice for one order · exam
    · 2026-03-14 09:30 UTC", "Scorer: FAILED 66/100 · escalated at level 3" and, in reverse,
    "Stands as PASSED (override by sue, 2026-03-14 09:30 UTC)", the four dimensions. Turns:
    the opening (mood 7/10, level 1), turn 1 (mood 9/10) with "-50 policy" and "-10 empathy"
    and their reasons, "Best path: ≠ I'm sorry...", the comment "✎ Comment by sue" under it;
    turn 2 at level 3 (cut at 80x24). The review log (beside the turns at 120 columns, below at
    80): the scorer's result and the override standing, both comments and the override with
    its reason, and the keys c, w, o. Wrap-up: "No wrap-up record: an exam needs one." Footer:
    Back, Comment on turn, Comment on call, Override."""
    site = reviewed(engine, library)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.push_screen(ReplayScreen(site.failed))
        await settle(pilot)
    assert snap_compare(new_app(user=SUPERVISOR), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_trainee_calls(snap_compare: Any, new_app: Any, engine: Any, library: Any,
                       frozen: Any, size: tuple[int, int]) -> None:
    """alice's own calls (v on her home): two rows, call 2 "66 failed", exam, "2 comments ·
    overridden: passed"; call 1 "99 passed", exam, no review. Footer: Back, Replay."""
    reviewed(engine, library)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
    assert snap_compare(new_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_blind_score(snap_compare: Any, new_app: Any, engine: Any, library: Any,
                     frozen: Any, size: tuple[int, int]) -> None:
    """sue scores call 1 blind: the head says the scores are hidden; the transcript's lines
    only ("Customer: ..." and "Rep [1]: ..."), no score, rule, coaching note or result; the
    form: empathy, resolution, escalation, policy (0-100), "Would you pass it?" Pass / Fail,
    the save button. Footer: Back, Save my scores."""
    site = make_site(engine, library)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.push_screen(BlindScoreScreen(site.passed))
        await settle(pilot)
    assert snap_compare(new_app(user=SUPERVISOR), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_blind_score_compared(snap_compare: Any, new_app: Any, engine: Any, library: Any,
                              frozen: Any, size: tuple[int, int]) -> None:
    """After sue's scores 80, 100, 100, 90 and "Pass" are kept: "Kept." and the table of hers
    beside the scorer's (95, 100, 100, 100; differences -15, +0, +0, -10; pass/fail pass,
    pass, agree), the rules that fired, "r: replay the call with every score"."""
    site = make_site(engine, library)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.push_screen(BlindScoreScreen(site.passed))
        await settle(pilot)
        for d, value in (("empathy", "80"), ("resolution", "100"), ("escalation", "100"),
                         ("policy", "90")):
            pilot.app.screen.query_one(f"#score-{d}").value = value
        pilot.app.screen.query_one("#verdict-pass").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert snap_compare(new_app(user=SUPERVISOR), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_agreement(snap_compare: Any, new_app: Any, engine: Any, library: Any, frozen: Any,
                   size: tuple[int, int]) -> None:
    """The agreement report over sue's two blind scores (the numbers of
    test_calibration_screen): per dimension (empathy 2, +5.0, 20.0; ...), pass or fail
    (agreement 0.50, expected 0.50, kappa 0.00, no better than chance), per rule, and the
    calls of most disagreement (call 2: 35, disagree; call 1: 25, agree), Enter: replay."""
    site = make_site(engine, library)
    sue = viewer(engine, SUPERVISOR)
    db.calibrate(engine, sue, site.passed, {"empathy": 80, "resolution": 100,
                                            "escalation": 100, "policy": 90}, True)
    db.calibrate(engine, sue, site.failed, {"empathy": 40, "resolution": 90,
                                            "escalation": 100, "policy": 50}, True)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.push_screen(AgreementScreen())
        await settle(pilot)
    assert snap_compare(new_app(user=SUPERVISOR), terminal_size=size, run_before=run_before)
