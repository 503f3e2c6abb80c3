"""The customer's answer is always scrolled into view, however long the call (issue 12: at
120x40, in a long call, the conversation scrolled before the new line was laid out, so the
answer stayed below the fold)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from helpers import settle

from simulator.bundled import BUNDLED
from simulator.call import Call, play
from simulator.scenario import load_library
from simulator.tui.screens import CallScreen
from simulator.tui.widgets import ConversationView

SCENARIO = "payment-overcharge-gift-card"
"""A bundled call of eight turns: far taller than the conversation at 120x40."""
BARS = re.compile("[\u2500-\u259f]+")
"""Bars beside the lines and the scrollbar (box drawing and block characters): between the
words of a wrapped line on the screen."""


def longest_passing_check(scenario: Any) -> list[int]:
    checks = [list(c.choose) for c in scenario.checks
              if play(scenario, list(c.choose)).outcome == "resolved"]
    assert checks, f"{scenario.id} has no check that resolves the call"
    call, positions = Call(scenario), []
    for pick in max(checks, key=len):  # ids -> the 1-based positions the keys press
        positions.append(call.resolve_pick(pick) + 1)
        call.choose(pick)
    return positions


@pytest.mark.parametrize("mode", ["e", "p"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_every_answer_is_scrolled_into_view(new_app: Any, mode: str,
                                                  size: tuple[int, int]) -> None:
    library = load_library([BUNDLED])
    scenario = library.by_id(SCENARIO)
    assert scenario is not None
    picks = longest_passing_check(scenario)
    assert len(picks) >= 6
    app = new_app(library=library, tracks=[])
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.screen.post_message(app.screen.Start(scenario))  # its briefing, as Enter would
        await pilot.pause()
        await pilot.press(mode)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CallScreen)
        view = screen.query_one(ConversationView)
        for turn, pick in enumerate(picks, start=1):
            await pilot.press(str(pick))
            await settle(pilot)
            answer = screen.call.transcript[-1]
            assert answer.speaker == "customer"
            # the conversation is at its end, and that end is the customer's answer
            assert view.scroll_offset.y == view.max_scroll_y, (turn, view.scroll_offset.y,
                                                               view.max_scroll_y)
            shown = "\n".join(line.rstrip() for line in screen_lines(app, view))
            last_words = " ".join(answer.text.split()[-3:])
            words = [w for w in shown.split() if not BARS.fullmatch(w)]
            assert last_words in " ".join(words), (turn, last_words, shown[-300:])
        assert screen.call.ended and screen.call.outcome == "resolved"
        assert view.max_scroll_y > 0  # the call did not fit: it was scrolled


def screen_lines(app: Any, view: ConversationView) -> list[str]:
    """What the conversation's region of the screen shows, as text."""
    strips = app.screen._compositor.render_strips()
    region = view.region
    return ["".join(seg.text for seg in strips[y]).rstrip()[region.x:region.right]
            for y in range(region.y, region.bottom)]
