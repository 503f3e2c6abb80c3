"""Driving the app by keys, as a rep would (shared by the pilot and snapshot tests)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

__all__ = ["open_scenario", "settle", "write_wrapup"]


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish and the screen repaint."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_scenario(pilot: Pilot[Any], words: str) -> None:
    """From home: search the library, pick the first match, land on its briefing."""
    await settle(pilot)
    await pilot.press("slash", *words, "enter", "enter")
    await pilot.pause()


async def write_wrapup(pilot: Pilot[Any], fields: list[str]) -> None:
    """Type the wrap-up's text fields in order (complaint, solution; after the on-the-spot box:
    promised for, follow-up, compensation, prevention), then save with Ctrl+S."""
    first, rest = fields[:2], fields[2:]
    for text in first:
        await pilot.press(*text, "enter")
    await pilot.press("tab")  # past "done on the spot"
    for text in rest:
        await pilot.press(*text, "enter") if text else await pilot.press("tab")
    await pilot.press("ctrl+s")
    await pilot.pause()
