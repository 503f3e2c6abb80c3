"""SVG snapshots of the supervisor's screens at 80x24 and 120x40 (as tests/ui/test_snapshots.py).

Deterministic: the frozen clock (conftest.NOW), the site of supervisor_data.py (sue supervises
ann and bob of team blue), the fixture library and tracks. Update with
`pytest tests/ui/test_snapshots_supervisor.py --snapshot-update` after checking the images by eye.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from conftest import NOW
from helpers import settle, until
from supervisor_data import SUPERVISOR, seed_site

from simulator import db
from simulator.quotient import AREAS, rate
from simulator.tui.screens.supervisor import SupervisorHome

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def site(engine: Any, library: Any, frozen: Any, time_machine: Any) -> dict[str, list[int]]:
    return seed_site(engine, library, time_machine)


@pytest.mark.parametrize("size", SIZES)
def test_supervisor_home(snap_compare: Any, new_app: Any, site: Any,
                         size: tuple[int, int]) -> None:
    """"sue · supervisor · your teams" in the header; the filters (All teams, All tracks, Any
    status, Any persona, from and to dates) on one line; "2 of 2 trainees · sorted by due
    first, then name"; the "Due or overdue (1)" box: bob, blue, First-line rep, refresher due,
    2026-04-02; the Trainees table: bob first (calls 2, exams passed 2/2, last call 2025-04-02,
    "! due, expires 2026-04-02", Hand-offs "· not started"), then ann (3 calls, 2/2, last call
    2026-03-01, "✔ refresher 2026-12-12"); at 80 columns the track columns are off to the right.
    Footer: s Sort, r Reverse, / Filter, c My calls, q Quotient."""
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
    assert snap_compare(new_app(user=SUPERVISOR, role="supervisor"), terminal_size=size,
                        run_before=run_before)


def columns_fit(table: Any) -> bool:
    """Is every column of `table` as wide as its widest cell (measured by the table)?"""
    from rich.text import Text

    for index, column in enumerate(table.ordered_columns):
        widest = max((Text(str(c)).cell_len if not isinstance(c, Text) else c.cell_len
                      for c in (table.get_row_at(r)[index] for r in range(table.row_count))),
                     default=0)
        if column.auto_width and column.content_width < widest:
            return False
    return True


UNMEASURED = ("Textual left the calls table's columns at their headers' widths, its rows never "
              "measured (seen once in CI at 7d1e79c, with every table idle): a race in "
              "DataTable, not in this page")


async def open_ann(pilot: Any) -> bool:
    """From the supervisor's home, ann's page, once its data is shown (filled from the
    database thread: a snapshot taken before would catch its rows unmeasured). False when the
    calls table's columns still do not fit its rows after waiting (UNMEASURED)."""
    from textual.widgets import DataTable

    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SupervisorHome)
    screen.open_trainee("ann")
    await until(pilot, lambda: getattr(pilot.app.screen, "page", None) is not None,
                "ann's page filled")
    await settle(pilot)
    table = pilot.app.screen.query_one("#calls", DataTable)
    try:
        await until(pilot, lambda: columns_fit(table), "the calls table sized to its rows",
                    within=10)
    except AssertionError:
        return False
    return True


def compare_ann(snap_compare: Any, app: Any, size: tuple[int, int]) -> None:
    """ann's page against its snapshot; the one race of Textual's seen here is an xfail,
    saying so, and only when the snapshot differs with it (any other difference fails)."""
    fit: list[bool] = []

    async def run_before(pilot: Any) -> None:
        fit.append(await open_ann(pilot))
    same = snap_compare(app, terminal_size=size, run_before=run_before)
    if not same and fit == [False]:
        pytest.xfail(UNMEASURED)
    assert same


@pytest.mark.parametrize("size", SIZES)
def test_trainee_page(snap_compare: Any, new_app: Any, site: Any,
                      size: tuple[int, int]) -> None:
    """ann's page: "ann — team blue · 3 calls"; "Weakest: ..." with its mean over 3 scored
    calls and "Next for certification: The reset link that goes nowhere (Hand-offs)"; the Trend
    box, a point per call: four coloured lines (empathy, resolution, escalation, policy) on a 0-100
    scale with the dates under it; Certification: First-line rep certified, valid until
    2027-01-11, refresher 2026-12-12, earned 2026-01-11; Hand-offs not started (0/1 passed);
    the Calls table, newest first (2026-03-01 practice failed, then the two passed exams)."""
    compare_ann(snap_compare, new_app(user=SUPERVISOR, role="supervisor"), size)


def test_trainee_page_no_color(snap_compare: Any, new_app: Any, site: Any,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """120x40, NO_COLOR: the same page in black and white, the Trend box a table instead of a
    chart: Date, Empathy, Resolution, Escalation, Policy, Overall, a row per call (2026-01-10,
    2026-01-11, 2026-03-01)."""
    monkeypatch.setenv("NO_COLOR", "1")
    compare_ann(snap_compare, new_app(user=SUPERVISOR, role="supervisor"), (120, 40))


@pytest.mark.parametrize("size", SIZES)
def test_quotient(snap_compare: Any, new_app: Any, site: Any, engine: Any, time_machine: Any,
                  size: tuple[int, int]) -> None:
    """The quotient for team blue with Culture rated 5 4 4 3 ("Culture · average 4", the
    chosen number of each statement in brackets) and the focus on the first Products statement;
    "Total: 21 statement(s) still to rate." with the bands under it; "Earlier quotients": two,
    2026-01-05 (every statement rated 3: a bar half full on the 7-35 scale, 21, adequate, by
    sue) and 2026-02-09 (every one 4: three quarters full, 28, "(+7) asset, by sue"). Footer:
    1 Rate 1-5, ^s Save, esc Back."""
    sue = db.sign_in(engine, SUPERVISOR)
    for when, every in ((datetime(2026, 1, 5, 10, tzinfo=UTC), 3),
                        (datetime(2026, 2, 9, 10, tzinfo=UTC), 4)):
        time_machine.move_to(when, tick=False)
        db.record_quotient(engine, sue, "blue",
                           rate({a.id: [every] * len(a.statements) for a in AREAS}))
    time_machine.move_to(NOW, tick=False)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("5", "4", "4", "3")
        await pilot.pause()
    assert snap_compare(new_app(user=SUPERVISOR, role="supervisor"), terminal_size=size,
                        run_before=run_before)
