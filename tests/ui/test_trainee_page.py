"""A trainee's page as their supervisor opens it: the trend chart (and its table without colour
or room), the weakest dimension and the refresher, certification and the calls."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import settle
from supervisor_data import SUPERVISOR, seed_site
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from scoring import DIMENSIONS
from simulator.tui.screens.supervisor import SupervisorHome
from simulator.tui.screens.trainee import TraineeScreen
from simulator.tui.widgets.chart import TrendChart


@pytest.fixture
def site(engine: Any, library: Any, frozen: Any, time_machine: Any) -> dict[str, list[int]]:
    return seed_site(engine, library, time_machine)


async def open_page(pilot: Any, name: str) -> TraineeScreen:
    await settle(pilot)
    home = pilot.app.screen
    assert isinstance(home, SupervisorHome)
    home.open_trainee(name)
    await settle(pilot)
    page = pilot.app.screen
    assert isinstance(page, TraineeScreen)
    return page


def table_text(table: DataTable[Any]) -> tuple[list[str], list[list[str]]]:
    """A DataTable's column titles and rows, as text."""
    titles = [c.label.plain for c in table.ordered_columns]
    return titles, [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def shown(widget: Static) -> str:
    """What the widget shows on screen, as text."""
    lines = widget.render_lines(widget.region.reset_offset)
    return "\n".join(strip.text for strip in lines)


async def test_the_page_of_a_trainee(new_app: Any, site: Any) -> None:
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        page = await open_page(pilot, "ann")
        assert page.page is not None and page.page.found
        assert len(page.page.points) == 3  # three scored calls, a point each
        chart = page.query_one(TrendChart)
        assert not chart.plain
        assert page.query_one(PlotextPlot).display
        assert not page.query_one("#trend-numbers").display
        who = shown(page.query_one("#who", Static))
        weakest = page.page.weakest
        assert weakest is not None and f"Weakest: {weakest}" in who
        assert "Next for certification: The reset link" in who  # Hand-offs not started
        certs = shown(page.query_one("#certification", Static))
        assert "First-line rep" in certs and "valid until 2027-01-11" in certs
        assert "earned 2026-01-11, valid to 2027-01-11" in certs
        calls = page.query_one("#calls", DataTable)
        assert [str(k.value) for k in calls.rows] == [str(i) for i in reversed(site["ann"])]


async def test_a_due_trainee_gets_a_refresher_proposed(new_app: Any, site: Any) -> None:
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        page = await open_page(pilot, "bob")
        who = shown(page.query_one("#who", Static))
        assert "Refresher proposed:" in who and "(First-line rep, refresher due)" in who
        certs = shown(page.query_one("#certification", Static))
        assert "refresher due, valid until 2026-04-02" in certs
        assert "refresher proposed:" in certs


async def test_no_color_shows_the_numbers(new_app: Any, site: Any,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        page = await open_page(pilot, "ann")
        chart = page.query_one(TrendChart)
        assert chart.plain
        assert not page.query_one(PlotextPlot).display
        assert page.query_one("#trend-numbers").display
        titles, rows = table_text(page.query_one("#trend-numbers", DataTable))
        assert titles == ["Date", "Empathy", "Resolution", "Escalation", "Policy", "Overall"]
        assert page.page is not None
        assert rows == [[f"{p.start:%Y-%m-%d}", *(f"{p.dimensions[d]:.0f}" for d in DIMENSIONS),
                         f"{p.overall:.0f}"] for p in page.page.points]
        assert rows[-1] == ["2026-03-01", "15", "100", "100", "50", "66"]  # the failed practice


async def test_a_narrow_terminal_shows_the_numbers_and_back(new_app: Any, site: Any) -> None:
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(79, 30)) as pilot:
        page = await open_page(pilot, "ann")
        assert page.query_one(TrendChart).plain
        assert page.query_one("#trend-numbers").display
        _, rows = table_text(page.query_one("#trend-numbers", DataTable))
        assert [r[0] for r in rows] == ["2026-01-10", "2026-01-11", "2026-03-01"]
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert not page.query_one(TrendChart).plain
        assert page.query_one(PlotextPlot).display


async def test_enter_on_a_call_asks_the_app_for_its_replay(new_app: Any, site: Any) -> None:
    app = new_app(user=SUPERVISOR, role="supervisor")
    opened: list[int] = []
    app.open_call = opened.append  # the hook the replay screen plugs into
    async with app.run_test(size=(120, 40)) as pilot:
        page = await open_page(pilot, "ann")
        assert app.focused is page.query_one("#calls", DataTable)  # ready for Enter
        await pilot.press("enter")
        await pilot.pause()
        assert opened == [site["ann"][-1]]  # the newest call, first in the list
