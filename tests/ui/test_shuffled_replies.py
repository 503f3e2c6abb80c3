"""Replies are shown in a fresh order each call, so that "always press 1" teaches nothing; the
call still records the authored option the rep chose."""

from __future__ import annotations

from typing import Any

from helpers import open_scenario

from simulator.tui.screens import CallScreen


async def test_shuffled_replies_record_the_authored_option(new_app: Any) -> None:
    app = new_app(shuffle=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, "twice")
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.shuffle_seed is not None
        options = screen.call.options
        shown = [options[i].say for i in screen.order]
        assert sorted(shown) == sorted(o.say for o in options)
        await pilot.press("1")  # the first reply *shown*
        await pilot.pause()
        rep = next(line for line in screen.call.transcript if line.speaker == "trainee")
        assert rep.text == shown[0]
        first_shown = next(i for i, o in enumerate(options) if o.say == shown[0])
        assert rep.option == first_shown + 1  # stored as authored, whatever the display order
