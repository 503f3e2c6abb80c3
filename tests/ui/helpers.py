"""Driving the app by keys, as a rep would (shared by the pilot and snapshot tests)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from time import monotonic
from typing import Any

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

__all__ = ["open_scenario", "settle", "until", "write_wrapup"]


async def settle(pilot: Pilot[Any], within: float = 60.0) -> None:
    """Let every worker finish, the database thread answer, every message be handled and the
    screen be laid out and painted, until the app is found quiet twice in a row (`_busy`): an
    answer from the database thread (who is signed in, a page of statuses) or a message handled
    meanwhile may start a new worker, fill a table or open a screen, which must be done before
    a snapshot or an assertion (a loaded machine handles them late: a supervisor's home was
    snapshotted in CI with its tables' columns still at their headers' widths)."""
    store = getattr(pilot.app, "store", None)
    deadline = monotonic() + within
    quiet, doing = 0, ""
    while quiet < 2:
        if monotonic() > deadline:
            raise AssertionError(f"the app was still busy after {within:.0f} s: {doing}")
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # replaced by a newer one (exclusive), or its screen closed
            quiet = 0
            continue
        if store is not None and getattr(store, "_pool", None) is not None:
            await asyncio.to_thread(store.flush)  # off the app's loop: the thread may call it
        await pilot.pause()
        doing = _busy(pilot)
        quiet = 0 if doing else quiet + 1


def _busy(pilot: Pilot[Any]) -> str:
    """What is still to happen before the screen is what a user would see: a worker to run or
    running; a message or callback queued on the app, the screen or any widget on it; a
    refresh, layout or recompose asked for and not yet done; a table with rows not yet
    measured; "" when nothing is. (`pilot.pause` alone is not enough on a loaded machine: it
    waits until the process uses little CPU, which a starved process does at once, with a
    table's new size still on its way to the screen's layout.)"""
    from textual.widget import Widget
    from textual.widgets import DataTable
    from textual.worker import WorkerState

    app = pilot.app
    for w in app.workers:
        if w.state in (WorkerState.PENDING, WorkerState.RUNNING):
            return f"worker {w.name or w.group} {w.state.name.lower()}"
    screen = app.screen
    if (screen._layout_required or screen._repaint_required or screen._scroll_required
            or screen._recompose_required or screen._dirty_widgets or screen._callbacks):
        return f"{screen!r}: a layout, paint or callback to do"
    for node in (app, screen, *screen.walk_children()):
        if node.message_queue_size or node._next_callbacks:
            return f"{node!r}: messages or callbacks queued"
        if isinstance(node, Widget) and (
                node._layout_required or node._repaint_required or node._scroll_required
                or node._recompose_required or node._refresh_styles_required):
            return f"{node!r}: a refresh asked for"
        if isinstance(node, DataTable) and _unmeasured(node):
            return f"{node!r}: rows not measured"
    return ""


def _unmeasured(table: Any) -> bool:
    """A DataTable sizes its columns to new rows or cells only when its own queue is idle."""
    return bool(table._require_update_dimensions or table._updated_cells)


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
