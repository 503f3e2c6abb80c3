"""SVG snapshots of the trainer's workspace at 80x24 and 120x40: the library view and a playtest's
debug panel. Deterministic as tests/ui/test_snapshots.py: a frozen clock, the fixture library
(not edited), a tmp database. Update with `pytest tests/ui --snapshot-update` after checking the
new images by eye."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import ADMIN
from helpers import settle, until

from simulator.tui.screens.trainer import TrainerScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_library_view(snap_compare: Any, new_app: Any, frozen: Any,
                      size: tuple[int, int]) -> None:
    """The admin's library view: "trainer's library view" in the header; the Library table
    (full height) with the three fixture files, each "✔ valid" before its id, the first row
    (angry-late-parcel) selected; its Tree from "start opening", each reply labelled by pick,
    step and mood change, the end marked "✔ resolved", opening_again's way back to cause
    "↩ see above"; under it "Paths and problems": "Every path: 2 paths", the overall (55 to
    99, low 2,1, high 1,1,1,1) and each dimension's lowest and highest with their picks, then
    (scrolled below at 80x24) the steps and ends reached, the no-bad-path line and "no errors,
    no warnings". Footer: p Playtest from node, esc Home."""
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("w")
        await until(pilot, lambda: library_view_ready(pilot.app.screen),
                    "every file checked and the selected one explored")
        await settle(pilot)
    assert snap_compare(new_app(user=ADMIN), terminal_size=size, run_before=run_before)


def library_view_ready(screen: Any) -> bool:
    """The library view with every file validated (in its worker thread, a file at a time)
    and the selected file's paths explored (in another): what the snapshot shows."""
    if not isinstance(screen, TrainerScreen) or not all(
            s.checked for s in screen.states.values()):
        return False
    state = screen.current_state()
    return state is not None and state.scenario is not None and \
        state.scenario.content_hash in screen.explored


@pytest.mark.parametrize("size", SIZES)
def test_playtest_debug_panel(snap_compare: Any, new_app: Any, library: Any, frozen: Any,
                              size: tuple[int, int]) -> None:
    """A playtest of "The parcel that never came" from node fix after one reply: the header says
    "playtest from node fix"; the conversation starts at Sam's "Just get it to me, quickly.",
    then "You, reply 3" (no coach's note: it has none), then "Tomorrow. Fine, thank you."; the
    debug panel on the right (no side panel): "PLAYTEST · never counts", node agreed, from fix after
    --choose 1,1, turn 3 (1 in this playtest), the three steps taken, mood 4/10, level 1, the
    last reply's tags (compensate, check_satisfied), "score 93 so far", then "Score events,
    newest first": none yet, and the way there's 2 events (+40), scrolled below at 80x24. The
    one reply below is numbered 1, with "follow_up, check_satisfied · step resolve → thanks"
    in dim under it."""
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
    app = new_app(scenario=library.by_id("angry-late-parcel"), start_node="fix")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
