"""The supervisor's home, driven by keys and clicks: who is listed, the due list, sorting,
filters, the trainee's page and the role rules (supervisor_data.py says who is who)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import settle
from supervisor_data import SUPERVISOR, seed_site
from textual.widgets import DataTable, Input, Static

from simulator.tui.screens import HomeScreen
from simulator.tui.screens.quotient import QuotientScreen
from simulator.tui.screens.supervisor import OwnHomeScreen, SupervisorHome
from simulator.tui.screens.trainee import TraineeScreen


@pytest.fixture
def site(engine: Any, library: Any, frozen: Any, time_machine: Any) -> dict[str, list[int]]:
    return seed_site(engine, library, time_machine)


def names(screen: SupervisorHome) -> list[str]:
    table = screen.query_one("#team", DataTable)
    return [str(k.value) for k in table.rows]


def due_rows(screen: SupervisorHome) -> list[list[str]]:
    table = screen.query_one("#due", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def cell(screen: SupervisorHome, name: str, column: str) -> str:
    return str(screen.query_one("#team", DataTable).get_cell(name, column))


def summary(screen: SupervisorHome) -> str:
    """The line above the tables, its wrapping undone."""
    return " ".join(str(screen.query_one("#summary", Static).render()).split())


async def test_supervisor_sees_their_team_due_first(new_app: Any, site: Any) -> None:
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        assert names(screen) == ["bob", "ann"]  # bob is due: first; cat (green) is not sue's
        assert due_rows(screen) == [["bob", "blue", "First-line rep", "refresher due",
                                     "2026-04-02"]]
        assert cell(screen, "ann", "calls") == "3"
        assert cell(screen, "ann", "passes") == "2/2"
        assert cell(screen, "ann", "track:first-line") == "✔ refresher 2026-12-12"
        assert cell(screen, "bob", "track:first-line") == "! due, expires 2026-04-02"
        assert cell(screen, "bob", "track:hand-offs") == "· not started"
        assert cell(screen, "ann", "last") == "2026-03-01"
        assert "sue · supervisor · your teams" in app.screen.sub_title


async def test_admin_sees_everyone_and_filters_by_team(new_app: Any, site: Any) -> None:
    app = new_app(user="ada", role="admin")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        assert names(screen) == ["bob", "cat", "ann"]  # the due and expired first, by name
        assert [r[0] for r in due_rows(screen)] == ["cat", "bob"]  # the most overdue first
        screen.set_filters(team="green")
        await settle(pilot)
        assert names(screen) == ["cat"]
        screen.set_filters(team=None)
        await settle(pilot)
        assert names(screen) == ["bob", "cat", "ann"]


async def test_filters_status_track_persona_dates(new_app: Any, site: Any) -> None:
    app = new_app(user="ada", role="admin")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        screen.set_filters(status="expired")
        await settle(pilot)
        assert names(screen) == ["cat"]
        assert due_rows(screen) == [["cat", "green", "First-line rep", "expired", "2026-02-02"]]
        screen.set_filters(status="not_started", track="first-line")
        await settle(pilot)
        assert names(screen) == []  # everyone has started First-line
        screen.set_filters(track="hand-offs")
        await settle(pilot)
        assert names(screen) == ["ann", "bob", "cat"]
        columns = [str(k.value) for k in screen.query_one("#team", DataTable).columns]
        assert [c for c in columns if c.startswith("track:")] == ["track:hand-offs"]
        assert due_rows(screen) == []  # nobody is due on Hand-offs
        screen.set_filters(status=None, track=None, persona="angry")
        await settle(pilot)
        assert cell(screen, "ann", "calls") == "1"  # one call on the angry scenario
        screen.set_filters(persona=None)
        await settle(pilot)
        # the date range, typed as a supervisor would: only ann called in 2026
        since = screen.query_one("#f-since", Input)
        since.focus()
        await pilot.press(*"2026-01-01", "enter")
        await settle(pilot)
        assert cell(screen, "ann", "calls") == "3"
        assert cell(screen, "bob", "calls") == "0"
        assert cell(screen, "bob", "last") == "never"
        until = screen.query_one("#f-until", Input)
        until.focus()
        await pilot.press(*"2026-01-31", "enter")
        await settle(pilot)
        assert cell(screen, "ann", "calls") == "2"
        # the status is today's, whatever the range
        assert cell(screen, "bob", "track:first-line") == "! due, expires 2026-04-02"


async def test_a_bad_date_is_said_and_not_applied(new_app: Any, site: Any) -> None:
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        screen.query_one("#f-since", Input).focus()
        await pilot.press(*"2026-13-01", "enter")
        await settle(pilot)
        assert screen.filters.since is None
        assert cell(screen, "bob", "calls") == "2"
        assert any("YYYY-MM-DD" in str(n.message) for n in app._notifications)


async def test_sorting_by_keys_and_by_clicking_a_header(new_app: Any, site: Any) -> None:
    app = new_app(user="ada", role="admin")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        await pilot.press("s")  # the first column: the trainee's name
        assert screen.sort_key == "name"
        assert names(screen) == ["ann", "bob", "cat"]
        await pilot.press("r")
        assert names(screen) == ["cat", "bob", "ann"]
        await pilot.press("s")  # then the team
        assert screen.sort_key == "team"
        assert names(screen) == ["ann", "bob", "cat"]  # blue, blue, green
        # a click on the "Calls" header sorts by calls; a second click reverses
        table = screen.query_one("#team", DataTable)
        x = 1 + sum(c.get_render_width(table) for c in table.ordered_columns[:2])
        await pilot.click("#team", offset=(x + 1, 1))
        assert screen.sort_key == "calls" and not screen.reverse
        assert names(screen) == ["bob", "cat", "ann"]  # 2, 2, 3
        await pilot.click("#team", offset=(x + 1, 1))
        assert screen.reverse
        assert names(screen)[0] == "ann"
        # the track column: the most urgent first
        screen.sort_by("track:first-line")
        assert names(screen) == ["cat", "bob", "ann"]  # expired, refresher due, certified


async def test_enter_opens_the_trainee_and_escape_comes_back(new_app: Any, site: Any) -> None:
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # the second row: ann
        await settle(pilot)
        assert isinstance(app.screen, TraineeScreen)
        assert app.screen.trainee == "ann"
        await pilot.press("escape")
        assert isinstance(app.screen, SupervisorHome)


async def test_a_supervisor_can_still_take_calls(new_app: Any, site: Any) -> None:
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, OwnHomeScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, SupervisorHome)
        await pilot.press("q")
        assert isinstance(app.screen, QuotientScreen)


# -- roles ---------------------------------------------------------------------------------------
async def test_a_trainee_opens_on_their_own_home(new_app: Any, site: Any) -> None:
    app = new_app(user="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert type(app.screen) is HomeScreen
        await pilot.press("q", "c")  # the supervisor's keys do nothing here
        assert type(app.screen) is HomeScreen
        assert not [s for s in app.screen_stack
                    if isinstance(s, SupervisorHome | TraineeScreen | QuotientScreen)]


async def test_a_trainee_told_to_be_a_supervisor_still_sees_nothing(new_app: Any,
                                                                    site: Any) -> None:
    """The role given to the app only picks the first screen: the queries take the person
    signed in, so a trainee on the supervisor's home sees no one, and on a trainee's page
    sees no one else."""
    app = new_app(user="ann", role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        assert names(screen) == []
        assert "for supervisors and admins" in summary(screen)
        screen.open_trainee("bob")
        await settle(pilot)
        page = app.screen
        assert isinstance(page, TraineeScreen)
        assert page.page is not None and not page.page.found
        assert page.query_one("#calls", DataTable).row_count == 0
        assert "No trainee bob among the people you may see" in str(
            page.query_one("#who", Static).render())


async def test_a_supervisor_cannot_open_another_teams_trainee(new_app: Any, site: Any) -> None:
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        screen.open_trainee("cat")
        await settle(pilot)
        assert isinstance(app.screen, TraineeScreen)
        assert app.screen.page is not None and not app.screen.page.found
        assert app.screen.query_one("#calls", DataTable).row_count == 0


async def test_the_overview_reads_aggregates_once_not_every_call(
        new_app: Any, site: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows come from one aggregate query (team_overview, asked once on opening), the
    statuses from trainee_tracks; the per-call readers are never used."""
    import simulator.tui.screens.supervisor as home_module
    from simulator import db

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the overview must not load calls one person at a time")
    monkeypatch.setattr(db, "calls_of", refuse)
    monkeypatch.setattr(db, "recent_calls", refuse)
    asked: list[dict[str, Any]] = []
    real = home_module.team_overview

    def counting(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs)
        return real(*args, **kwargs)
    monkeypatch.setattr(home_module, "team_overview", counting)
    app = new_app(user="ada", role="admin")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        assert names(screen) == ["bob", "cat", "ann"]
        assert len(asked) == 1
        screen.set_filters(status="expired")  # in memory: no new query
        await settle(pilot)
        assert len(asked) == 1


async def test_statuses_read_a_page_at_a_time(new_app: Any, site: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """With a page of one trainee, the statuses arrive in three pages: each fills its cells in
    place, and the last sorts the table (due first) and completes the due list."""
    import simulator.tui.screens.supervisor as home_module
    monkeypatch.setattr(home_module, "PAGE", 1)
    app = new_app(user="ada", role="admin")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        assert names(screen) == ["bob", "cat", "ann"]
        assert cell(screen, "cat", "track:first-line") == "✘ expired 2026-02-02"
        assert cell(screen, "ann", "track:first-line") == "✔ refresher 2026-12-12"
        assert [r[0] for r in due_rows(screen)] == ["cat", "bob"]
        assert "reading certification" not in str(screen.query_one("#summary", Static).render())


async def test_the_highlighted_trainee_stays_highlighted_when_sorting(new_app: Any,
                                                                     site: Any) -> None:
    app = new_app(user="ada", role="admin")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        table = screen.query_one("#team", DataTable)
        assert table.cursor_row == 0  # opens at the top: the first due
        await pilot.press("down")  # cat
        await pilot.press("s")  # by name: ann, bob, cat
        assert names(screen) == ["ann", "bob", "cat"]
        assert names(screen)[table.cursor_row] == "cat"


async def test_enter_on_the_due_list_opens_that_trainee(new_app: Any, site: Any) -> None:
    app = new_app(user="ada", role="admin")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        screen.query_one("#due", DataTable).focus()
        await pilot.press("down", "enter")  # cat (expired) first, then bob
        await settle(pilot)
        assert isinstance(app.screen, TraineeScreen)
        assert app.screen.trainee == "bob"


async def test_names_and_teams_are_shown_as_text_never_markup(new_app: Any, site: Any,
                                                               engine: Any) -> None:
    """A team and a display name written like markup show as written (a Select option, a
    cell), and never act (the app is still running after the team list is opened)."""
    from simulator import db
    admin = db.sign_in(engine, "ada")
    db.add_person(engine, admin, "eve", team="[@click=app.quit]red",
                  display_name="[b]Eve[/b] [/]")
    app = new_app(user="ada", role="admin")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        assert cell(screen, "eve", "name") == "eve ([b]Eve[/b] [/])"
        assert cell(screen, "eve", "team") == "[@click=app.quit]red"
        screen.action_filters()
        await pilot.press("enter")  # the team list opens, the odd name in it as text
        await pilot.pause()
        await pilot.press("escape")
        screen.set_filters(team="[@click=app.quit]red")
        await settle(pilot)
        assert names(screen) == ["eve"]
        assert app.is_running


async def test_k_opens_calibration_from_the_supervisors_home(new_app: Any, site: Any) -> None:
    from simulator.tui.screens.calibration import CalibrationScreen
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SupervisorHome)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, CalibrationScreen)


async def test_a_new_sites_admin_is_told_how_trainees_come(new_app: Any, engine: Any,
                                                           frozen: Any) -> None:
    """The first admin of a new trainees.db opens on an empty team: the line above the table
    says how people get there and that c takes a call, in full at 80 columns."""
    app = new_app(user="ada", role="admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        assert names(screen) == []
        said = summary(screen)
        assert said.startswith("No trainees yet. Add them with `hotseat people add NAME")
        assert "`hotseat people newcomers refuse`" in said
        assert said.endswith("Press c to take a call yourself.")
        assert screen.query_one("#summary", Static).size.height == 3  # wrapped, not cut


async def test_a_supervisor_with_an_empty_team_is_told_how_to_add_one(
        new_app: Any, engine: Any, frozen: Any) -> None:
    from simulator import db
    from simulator.db.people import SYSTEM
    db.people.add_person(engine, SYSTEM, "sue", role="supervisor", team="blue")
    app = new_app(user="sue", role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        assert names(screen) == []
        assert summary(screen) == (
            "No trainees in your teams yet: add them with `hotseat people add NAME --team "
            "TEAM` (a team of yours). Press c for your own calls.")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, OwnHomeScreen)


async def test_a_team_filtered_to_nobody_says_so(new_app: Any, site: Any, engine: Any) -> None:
    """sue also looks after team red, where nobody is yet: red filtered, the line says the
    filters match nobody (not that sue has no trainees)."""
    from simulator import db
    from simulator.db.people import SYSTEM
    db.people.set_person(engine, SYSTEM, SUPERVISOR, supervises=["red"])
    app = new_app(user=SUPERVISOR, role="supervisor")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupervisorHome)
        assert names(screen) == ["bob", "ann"]
        screen.set_filters(team="red")
        await settle(pilot)
        assert names(screen) == []
        assert summary(screen) == "No trainee matches these filters: press / to change them."
