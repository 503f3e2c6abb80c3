"""The home under a briefing or a call (issue 12): `hotseat play FILE` opens the briefing over
it at once, and it reads its data only when shown; data that comes while another screen is on
top is kept, not laid out under it, and shown when the rep comes back."""

from __future__ import annotations

import io
from typing import Any

from conftest import USER, seed_calls
from helpers import settle
from rich.console import Console
from textual.widgets import Static

from simulator.tui.screens import BriefingScreen, CallScreen, HomeScreen
from simulator.tui.widgets.footer import SteadyFooter


def text_of(widget: Static) -> str:
    console = Console(width=120, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


async def test_a_covered_home_reads_when_shown(new_app: Any, library: Any,
                                               engine: Any) -> None:
    """`play FILE`: the briefing is on top before the home could read anything; it reads when
    the rep comes back to it (not on a thread beside the call's first replies)."""
    seed_calls(engine, library)
    app = new_app(scenario=library.by_id("angry-late-parcel"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        home = app.screen_stack[1]
        assert isinstance(home, HomeScreen)
        recent = home.query_one("#recent", Static)
        assert home._held is None and recent.loading  # nothing read, nothing laid out
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is home and not recent.loading
        shown = text_of(recent)
        assert shown.count("passed") == 2 and "failed" in shown
        assert "First-line rep" in text_of(home.query_one("#tracks", Static))
        assert home.sub_title == f"{USER} · trainee"


async def test_data_that_comes_under_the_briefing_is_shown_when_back(
        new_app: Any, library: Any, engine: Any, monkeypatch: Any) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        recent = home.query_one("#recent", Static)
        assert "No calls yet" in text_of(recent)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        seed_calls(engine, library)
        home.action_reload()  # the data comes while the briefing is on top
        await settle(pilot)
        assert home._held is not None  # kept,
        assert "No calls yet" in text_of(recent)  # not laid out under the briefing
        # shown when the home is, before (without) a fresh read
        monkeypatch.setattr(home, "action_reload", lambda: None)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home and home._held is None
        shown = text_of(recent)
        assert shown.count("passed") == 2 and "failed" in shown
        assert "First-line rep" in text_of(home.query_one("#tracks", Static))
        assert home.next is not None  # `n` has a call to open
        assert home.query_one(SteadyFooter)


async def test_back_from_a_call_the_home_shows_it(new_app: Any, library: Any,
                                                   frozen: Any) -> None:
    reset = library.by_id("confused-password-reset")
    app = new_app(scenario=reset)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        home = app.screen_stack[1]
        assert isinstance(home, HomeScreen)
        tracks = home.query_one("#tracks", Static)
        assert tracks.loading  # nothing laid out under the call
        await pilot.press("1", "1", "enter", "escape")
        await pilot.pause()
        app.store.flush()
        await pilot.press("h")
        await settle(pilot)
        assert app.screen is home and home._held is None
        assert "certified to 2026-09-10" in text_of(tracks)  # the exam just taken counts
        assert "passed" in text_of(home.query_one("#recent", Static))
