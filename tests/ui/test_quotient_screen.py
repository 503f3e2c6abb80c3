"""The customer-service quotient form: rated by keys, summed as it goes, kept with its date
through simulator.db.quotients, and shown in the team's trend."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import settle
from supervisor_data import SUPERVISOR, seed_site
from textual.widgets import Static

from simulator import db
from simulator.quotient import AREAS
from simulator.tui.screens.quotient import QuotientScreen, Rating
from simulator.tui.screens.supervisor import SupervisorHome

ANSWERS = {"culture": [5, 4, 4, 3], "products": [4, 4, 4, 4], "feedback": [3, 3, 3],
           "knowing": [4, 4, 5], "contact": [5, 5, 4], "staff": [4, 4, 4, 4, 4],
           "improvement": [3, 4, 4]}
"""docs/reviewing-a-team.md's example: 4 + 4 + 3 + 13/3 + 14/3 + 4 + 11/3 = 27.67, adequate."""


@pytest.fixture
def site(engine: Any, library: Any, frozen: Any, time_machine: Any) -> dict[str, list[int]]:
    return seed_site(engine, library, time_machine)


def shown(widget: Static) -> str:
    lines = widget.render_lines(widget.region.reset_offset)
    return "\n".join(strip.text for strip in lines)


async def open_form(pilot: Any) -> QuotientScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, SupervisorHome)
    await pilot.press("q")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, QuotientScreen)
    return screen


async def rate_all(pilot: Any, answers: dict[str, list[int]]) -> None:
    """Type every rating in order: each digit rates the focused statement and moves on."""
    for area in AREAS:
        await pilot.press(*(str(v) for v in answers[area.id]))
    await pilot.pause()


async def test_rated_by_keys_saved_and_shown_in_the_trend(new_app: Any, site: Any,
                                                          engine: Any) -> None:
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(pilot)
        assert screen.team == "blue"
        assert "No quotient kept for this team yet" in shown(screen.query_one("#q-history"))
        await rate_all(pilot, ANSWERS)
        assert "average 4" in shown(screen.query_one("#q-area-culture"))
        assert "average 4.33" in shown(screen.query_one("#q-area-knowing"))
        total = shown(screen.query_one("#q-total", Static))
        assert "Total 27.67 of 35: adequate" in total
        await pilot.press("ctrl+s")
        await settle(pilot)
        history = db.quotient_history(engine, db.sign_in(engine, SUPERVISOR), "blue")
        assert len(history) == 1
        entry = history[0]
        assert entry.made_by == SUPERVISOR and entry.band == "adequate"
        assert round(float(entry.total), 2) == 27.67
        assert entry.result.answers["culture"] == (5, 4, 4, 3)
        assert f"{entry.made_at:%Y-%m-%d}" == "2026-03-14"  # today's date, kept with it
        trend = shown(screen.query_one("#q-history", Static))
        assert "2026-03-14" in trend and "27.67" in trend and "adequate, by sue" in trend
        # a second one, better: the trend shows both, with the change
        for rating in screen.query(Rating):
            rating.set_value(5)
        await pilot.pause()
        assert "Total 35 of 35: asset" in shown(screen.query_one("#q-total", Static))
        await pilot.press("ctrl+s")
        await settle(pilot)
        trend = shown(screen.query_one("#q-history", Static))
        assert "27.67" in trend and "(+7.33) asset, by sue" in trend
        assert len(db.quotient_history(engine, db.sign_in(engine, SUPERVISOR), "blue")) == 2


async def test_an_unrated_statement_is_named_and_nothing_saved(new_app: Any, site: Any,
                                                               engine: Any) -> None:
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(pilot)
        await pilot.press("5", "4", "4")  # three of culture's four statements
        assert "3/4 rated" in shown(screen.query_one("#q-area-culture"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert db.quotient_history(engine, db.sign_in(engine, SUPERVISOR), "blue") == []
        assert any("22 statement(s) not rated yet: first, Culture, statement 4" in
                   str(n.message) for n in app._notifications)
        focused = app.focused
        assert isinstance(focused, Rating) and (focused.area, focused.index) == ("culture", 3)


async def test_clicking_a_number_rates(new_app: Any, site: Any) -> None:
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(pilot)
        rating = screen.query_one("#q-products-0", Rating)
        await pilot.click(rating, offset=(7, 0))  # " 1  2 [3]...": the third number
        assert rating.value == 3
        assert "[3]" in str(rating.render())


async def test_a_trainee_cannot_save_a_quotient(new_app: Any, site: Any, engine: Any) -> None:
    """Even on the form (which a trainee has no key to reach), saving is refused by the
    database layer: ann is not a supervisor of blue."""
    app = new_app(user="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        assert not isinstance(app.screen, QuotientScreen)
        await app.push_screen(QuotientScreen(app.store, ["blue"]))
        await settle(pilot)
        await rate_all(pilot, ANSWERS)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert db.quotient_history(engine, db.sign_in(engine, SUPERVISOR), "blue") == []
        assert any("Not saved" in str(n.message) and "supervisors" in str(n.message)
                   for n in app._notifications)


async def test_no_team_to_rate_says_so(new_app: Any, engine: Any, frozen: Any) -> None:
    """An admin of a site with no team yet: the form says there is nothing to rate, and Ctrl+S
    keeps nothing."""
    app = new_app(user="ada", role="admin")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuotientScreen) and screen.team is None
        assert "No team to rate" in shown(screen.query_one("#q-total", Static))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.saved is None
