"""SVG snapshots of the four main screens at 80x24 and 120x40.

Deterministic: a frozen clock (conftest.NOW, UTC), the user "alice", a tmp database seeded with
the same calls, the fixture library and fixed certification tracks. Update with
`pytest tests/ui --snapshot-update` after checking the new images by eye.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from conftest import seed_calls
from helpers import open_scenario, settle

from simulator.call import play
from simulator.review import best_path
from simulator.tui.screens import ScorecardScreen
from simulator.wrapup import documentation_mark

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare: Any, new_app: Any, engine: Any, library: Any, frozen: Any,
              size: tuple[int, int]) -> None:
    """Home, "alice · trainee" in the header. Certification: "First-line rep" "certified to
    2027-03-14", "refresher 2027-02-12" below; "Hand-offs" not started (0/1 passed). Recent
    calls: three rows dated Mar 14 09:30, newest first (charged twice, practice, failed; charged
    twice, exam, 94 passed; the late parcel, exam, 99 passed), each with its result and
    mode in view even at 80 columns. "Next call (n)" names "The reset link that goes nowhere",
    needed for certification. The library lists the three fixture scenarios, easiest first,
    under the Persona, Problem, Level, Language filters and the search box; "v: replay" under
    the recent calls; the footer shows n Next call, / Search, l Library, v Your calls and the
    palette."""
    seed_calls(engine, library)
    assert snap_compare(new_app(), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_briefing(snap_compare: Any, new_app: Any, frozen: Any, size: tuple[int, int]) -> None:
    """The briefing of "The parcel that never came": title, "angry customer · service problem ·
    difficulty 1/5 · en", the customer Sam Okafor (mood 7/10, angry; walks out at 10) but not
    the trainer's summary, the goal (the same for every call: it does not say whether to hand
    over; then the four steps), the policy card (may:
    reship by express, a $10 voucher; must not: blaming the courier), the practice/exam/free
    text explanation (scrolled below at 80x24) and the three mode buttons (practice, exam, free
    text) docked at the bottom."""
    async def run_before(pilot: Any) -> None:
        await open_scenario(pilot, "parcel")
    assert snap_compare(new_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_call_in_practice(snap_compare: Any, new_app: Any, frozen: Any,
                          size: tuple[int, int]) -> None:
    """A practice call on "The parcel that never came" after two replies: Sam's lines on the
    left with an amber bar, "You, reply N" on the right with a blue one, the coach's green note
    under the first reply (feedback and two "+20 empathy ..." credits). Side panel: mood 4/10
    tense, steps "Understand" and "Identify the cause" ticked, the other two still to do, level 1
    marked, the policy card (cut at 80x24). Below, the numbered reply "1  I'll reship it by
    express..." highlighted; the footer shows 1-9 Reply, p Policy card, q Quit call."""
    async def run_before(pilot: Any) -> None:
        await open_scenario(pilot, "parcel")
        await pilot.press("p", "1", "1")
        await settle(pilot)
    assert snap_compare(new_app(), terminal_size=size, run_before=run_before)


def test_walkout(snap_compare: Any, new_app: Any, frozen: Any) -> None:
    """80x24. An exam call where the rep blamed and argued: no coach notes; Sam's walkout line
    ("Forget it. I'm cancelling...") as the last customer line, a red notice "Sam Okafor
    walked out. Level 4: this customer is lost.", mood 10/10 furious, level 4 "Customer gone",
    no replies left, and the banner "Press Enter to write the wrap-up" above the footer."""
    async def run_before(pilot: Any) -> None:
        await open_scenario(pilot, "parcel")
        await pilot.press("e", "2", "1")
        await settle(pilot)
    assert snap_compare(new_app(), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_scorecard(snap_compare: Any, new_app: Any, library: Any, frozen: Any,
                   size: tuple[int, int]) -> None:
    """The scorecard of a practice call on "Charged twice for one order" that skipped the
    confirmation: "PASSED 94/100 overall", resolved at level 1, mood 7 to 5; the four dimensions
    with bars (resolution 85); the documentation mark with the facts not mentioned and the
    fields left empty; the events table (turn 1 empathy +20 twice, turn 3 resolution -15 with
    its reason); at 120x40 also the path taken beside the best path (all "="). Footer: r Try
    again, h Home. (The flow that leads here is driven by keys in test_pilot_calls.py.)"""
    scenario = library.by_id("payment-double-charge")
    result = play(scenario, [1, 1, 1, 1])
    record = SimpleNamespace(complaint="4471 twice", solution="refund", done_on_spot=False)
    screen = ScorecardScreen(result, result.score(), "practice",
                             documentation_mark(record, scenario.facts), best_path(scenario))

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.app.push_screen(screen)
        await pilot.pause()
    assert snap_compare(new_app(), terminal_size=size, run_before=run_before)
