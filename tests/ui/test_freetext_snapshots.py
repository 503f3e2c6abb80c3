"""SVG snapshots of free-text mode (issue 15) at 80x24 and 120x40: the input line, and the
uncertain band asking the rep to confirm one of the two closest replies. The fallback engine
(its note says so), a frozen clock, the fixture library."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import open_scenario, settle

from simulator.freetext import ENGINE_ENV

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def lexical(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_ENV, "lexical")


@pytest.mark.parametrize("size", SIZES)
def test_free_text_after_a_reply_that_matched_none(snap_compare: Any, new_app: Any,
                                                    frozen: Any, size: tuple[int, int]) -> None:
    """A free-text practice call on "Charged twice": the rep typed "What's the weather like?",
    shown on the right as their reply 1, then the notice "None of your replies matches that",
    the coach's "+... empathy" charge for the mood rise, and the customer asking them to put it
    another way; the mood one step up. At the bottom the note "Matching by spelling only (the
    fallback)" and the empty input line, its placeholder naming ctrl+l for the numbered
    replies; the footer shows ^l Numbered replies."""
    async def run_before(pilot: Any) -> None:
        await open_scenario(pilot, "twice")
        await pilot.press("f", "p")  # typed replies on, a practice call
        await settle(pilot)
        await pilot.press(*"What's the weather like?", "enter")
        await settle(pilot)
    assert snap_compare(new_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_free_text_asks_to_confirm_the_two_closest(snap_compare: Any, new_app: Any,
                                                   frozen: Any, size: tuple[int, int]) -> None:
    """The rep typed "I'm sorry, two charges", in the uncertain band: above the input line
    (which keeps the text), "Did you mean one of these? Press 1 or 2 (or Enter on one), or type
    your reply again." and the two closest replies numbered 1 and 2, the first highlighted;
    nothing played yet (the conversation shows only the customer's opening)."""
    async def run_before(pilot: Any) -> None:
        await open_scenario(pilot, "twice")
        await pilot.press("f", "p")  # typed replies on, a practice call
        await settle(pilot)
        await pilot.press(*"I'm sorry, two charges", "enter")
        await settle(pilot)
    assert snap_compare(new_app(), terminal_size=size, run_before=run_before)
