"""Driving the app by keys, as a rep would (shared by the pilot and snapshot tests)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from time import monotonic
from typing import Any

from textual.pilot import Pilot

__all__ = ["open_scenario", "settle", "until", "write_wrapup"]


async def settle(pilot: Pilot[Any], within: float = 60.0) -> None:
    """Let every worker finish, the database thread answer, the screen repaint and every table
    measure its rows, until the app is found quiet twice in a row: an answer from the database
    thread (who is signed in, a page of statuses) or a message handled meanwhile may start a new
    worker, fill a table or open a screen, which must be done before a snapshot or an
    assertion (a loaded machine handles them late: a supervisor's home snapshotted with its
    tables' columns still at their headers' widths, in CI)."""
    store = getattr(pilot.app, "store", None)
    deadline = monotonic() + within
    quiet = 0
    while quiet < 2:
        if monotonic() > deadline:
            raise AssertionError(f"the app was still busy after {within:.0f} s")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        if store is not None and getattr(store, "_pool", None) is not None:
            await asyncio.to_thread(store.flush)  # off the app's loop: the thread may call it
        await pilot.pause()
        quiet = 0 if _busy(pilot) else quiet + 1
    await tables_measured(pilot)


def _busy(pilot: Pilot[Any]) -> bool:
    """A worker still to run or running, or a table with rows not yet measured."""
    from textual.widgets import DataTable
    from textual.worker import WorkerState

    return any(w.state in (WorkerState.PENDING, WorkerState.RUNNING)
               for w in pilot.app.workers) or any(
        t._require_update_dimensions or t._updated_cells
        for t in pilot.app.screen.query(DataTable))


async def tables_measured(pilot: Pilot[Any]) -> None:
    """Wait until every table on the screen has measured the rows given to it: a DataTable
    sizes its columns to new rows only when its own queue is idle, which a loaded machine can
    put after the snapshot (a trainee page's calls cut to their headers' widths, once in CI)."""
    from textual.widgets import DataTable

    await until(pilot, lambda: not any(t._require_update_dimensions or t._updated_cells
                                       for t in pilot.app.screen.query(DataTable)),
                "every table on the screen measured its rows")
    await pilot.pause()


async def until(pilot: Pilot[Any], ready: Callable[[], bool], what: str,
                within: float = 30.0) -> None:
    """Pause until `ready()` holds: a screen's data shown, whatever the machine's load (a
    condition, never a fixed sleep). Fails the test, saying `what`, if it does not hold within
    `within` seconds."""
    deadline = monotonic() + within
    while not ready():
        if monotonic() > deadline:
            raise AssertionError(f"not so after {within:.0f} s: {what}")
        await pilot.pause()


ROWS = {"parcel": 0, "twice": 1, "reset": 2}
"""The fixture library's rows on the home screen (easiest first)."""


async def open_scenario(pilot: Pilot[Any], name: str) -> None:
    """From home: move down the library to the scenario, Enter: land on its briefing."""
    await settle(pilot)
    await pilot.press(*["down"] * ROWS[name], "enter")
    await pilot.pause()


async def write_wrapup(pilot: Pilot[Any], fields: list[str]) -> None:
    """Type the wrap-up's text fields in order (complaint, solution; after the on-the-spot box:
    promised for, steps taken now, follow-up, compensation, prevention), then save with Ctrl+S."""
    first, rest = fields[:2], fields[2:]
    for text in first:
        await pilot.press(*text, "enter")
    await pilot.press("tab")  # past "done on the spot"
    for text in rest:
        await pilot.press(*text, "enter") if text else await pilot.press("tab")
    await pilot.press("ctrl+s")
    await pilot.pause()
