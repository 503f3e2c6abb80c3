"""The trainer's workspace in the TUI: a playtest from any node with its debug panel, live reload
of the file (an invalid edit shows its errors, a fix resumes), the library view, and a playtest
that never counts for anyone."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ADMIN, LIBRARY, TRACKS, USER
from helpers import settle

from simulator import db
from simulator.paths import explore
from simulator.scenario import Library, Scenario, load_file, load_library
from simulator.tui import HotseatApp, make_app
from simulator.tui.screens import HomeScreen, PlaytestScreen, ScorecardScreen, TrainerScreen
from simulator.tui.screens import playtest as playtest_module
from simulator.tui.widgets import ConversationView
from simulator.tui.widgets.debug import DebugPanel
from simulator.tui.widgets.tree import ScenarioTree

TRAINER = "tina"
FIX_LINE = "Just get it to me, quickly."


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the fixture library that the tests may edit."""
    folder = tmp_path / "site"
    shutil.copytree(LIBRARY, folder)
    return folder


@pytest.fixture
def trainer(engine: Any) -> str:
    db.add_person(engine, db.SYSTEM, TRAINER, role="trainer")
    return TRAINER


def parcel(site: Path) -> Path:
    return site / "angry-late-parcel.yaml"


def loaded(path: Path) -> Scenario:
    scenario, problems = load_file(path)
    assert scenario is not None, problems
    return scenario


def customer_lines(screen: Any) -> list[str]:
    """The customer's lines on screen, in order (whichever way the conversation draws them)."""
    view = screen.query_one(ConversationView)
    if hasattr(view, "texts"):
        return [t.split("\n", 1)[1] for t in view.texts("customer")]
    return [str(w.render()).split("\n", 1)[1] for w in view.query(".customer")]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def make(engine: Any, apps: list[HotseatApp]) -> Any:
    def build(library: Library, user: str, **kwargs: Any) -> HotseatApp:
        app = make_app(library, engine, user, tracks=TRACKS, **kwargs)
        apps.append(app)
        return app
    return build


async def reload(pilot: Any) -> None:
    """Let the playtest look at its file now (the timer does the same twice a second)."""
    screen = pilot.app.screen
    screen.check_file()
    await settle(pilot)


# -- a playtest from a node ----------------------------------------------------------------------

async def test_a_playtest_from_a_node_shows_its_line_first_and_the_debug_state(
        make: Any, site: Path, trainer: str, engine: Any) -> None:
    lib = load_library([site])
    app = make(lib, trainer, scenario=lib.by_id("angry-late-parcel"), start_node="fix")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlaytestScreen)
        assert customer_lines(screen) == [FIX_LINE]
        state = screen.query_one(DebugPanel).state.plain
        for row in ("PLAYTEST · never counts", "node   fix", "from   fix, after --choose 1,1",
                    "turn   2 (0 in this playtest)", "steps  understand, identify_cause",
                    "mood   4/10 (walks out at 10)", "level  1"):
            assert row in state
        replies = screen.query_one("#replies")
        first = str(replies.get_option_at_index(0).prompt)
        assert first.startswith("1 I'll reship it by express")
        assert "compensate, check_satisfied · step propose → agreed" in first
        await pilot.press("1", "1")
        await settle(pilot)
        panel = screen.query_one(DebugPanel)
        assert "node   thanks (ended: resolved)" in panel.state.plain
        assert "tags   follow_up, check_satisfied (reply 4)" in panel.state.plain
        assert "t4 +5 empathy calmed" in panel.events.plain  # fired as the call ended
        assert "the way there: 2 events, +40" in panel.events.plain
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen)
        app.store.flush()
    (call,) = db.calls_of(engine, db.SYSTEM, [trainer])
    assert call.mode == "playtest" and call.outcome == "resolved"


async def test_a_pick_in_the_tree_restarts_the_playtest_at_that_node(
        make: Any, site: Path, trainer: str) -> None:
    lib = load_library([site])
    app = make(lib, trainer, scenario=lib.by_id("angry-late-parcel"), start_node="fix")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        tree = app.screen.query_one(ScenarioTree)
        assert tree.current == "fix"
        assert tree.entries["fix"].label.plain.startswith("▶ ")
        tree.move_cursor(tree.entries["cause"])
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlaytestScreen)
        assert screen.opening.node == "cause" and screen.call.node == "cause"
        assert customer_lines(screen) == ["Yes. So what happened?"]


# -- live reload ---------------------------------------------------------------------------------

async def test_editing_the_file_during_a_playtest_reloads_it_at_the_same_node(
        make: Any, site: Path, trainer: str, engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(playtest_module, "POLL", 0.05)
    lib = load_library([site])
    app = make(lib, trainer, scenario=lib.by_id("angry-late-parcel"), start_node="cause")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")  # on to fix
        await settle(pilot)
        assert app.screen.call.node == "fix"
        screen = app.screen
        edit(parcel(site), FIX_LINE, "Just get it here. Fast.")
        for _ in range(100):  # the timer notices: no sleep, a condition
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            if screen.restarts:
                break
        await settle(pilot)
        assert isinstance(screen, PlaytestScreen)
        assert screen.call.node == "fix" and screen.opening.node == "fix"
        assert customer_lines(screen) == ["Just get it here. Fast."]
        assert "reloaded: restarted at 'fix'" in screen.query_one(DebugPanel).state.plain
        app.store.flush()
    calls = db.calls_of(engine, db.SYSTEM, [trainer])
    assert [(c.mode, c.outcome) for c in calls] == [("playtest", "incomplete"),
                                                     ("playtest", None)]


async def test_an_invalid_edit_shows_its_errors_and_a_later_fix_resumes(
        make: Any, site: Path, trainer: str) -> None:
    lib = load_library([site])
    app = make(lib, trainer, scenario=lib.by_id("angry-late-parcel"), start_node="fix")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        edit(parcel(site), "start: opening", "start: nowhere")
        edit(parcel(site), "    mood: -1\n", "    mood: soon\n")
        await reload(pilot)
        assert screen.has_class("-broken") and len(screen.problems) == 2
        shown = str(screen.query_one("#reload").render())
        assert shown.startswith("2 errors in the file: the playtest waits until it is valid")
        assert re.search(r"angry-late-parcel\.yaml:\d+:8: error: start node 'nowhere' does "
                         r"not exist", shown)
        assert re.search(r"angry-late-parcel\.yaml:\d+:\d+: error: .*mood", shown)
        assert not screen.query_one("#replies").display or \
            screen.query_one("#replies").region.height == 0
        await pilot.press("1")  # a pick waits for the fix
        await settle(pilot)
        assert screen.call.node == "fix" and screen.call.turn == 2
        edit(parcel(site), "start: nowhere", "start: opening")
        edit(parcel(site), "    mood: soon\n", "    mood: -1\n")
        edit(parcel(site), FIX_LINE, "Fine. Just get it to me.")
        await reload(pilot)
        screen = app.screen
        assert isinstance(screen, PlaytestScreen)
        assert not screen.has_class("-broken") and screen.problems == []
        assert screen.call.node == "fix"
        assert customer_lines(screen) == ["Fine. Just get it to me."]
        await pilot.press("1")
        await settle(pilot)
        assert screen.call.node == "agreed"


async def test_a_node_gone_from_the_file_is_said_and_the_playtest_starts_over(
        make: Any, site: Path, trainer: str) -> None:
    lib = load_library([site])
    app = make(lib, trainer, scenario=lib.by_id("angry-late-parcel"), start_node="fix")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = parcel(site).read_text(encoding="utf-8")
        parcel(site).write_text(text.replace("  fix:\n", "  mend:\n")
                                .replace("next: fix\n", "next: mend\n"), encoding="utf-8")
        await reload(pilot)
        screen = app.screen
        assert screen.opening.node == "opening" and screen.call.turn == 0
        note = screen.query_one(DebugPanel).state.plain
        assert "node 'fix' is gone" in note and "restarted at the start" in note


# -- the library view ----------------------------------------------------------------------------

async def test_the_library_view_shows_each_file_its_tree_and_its_numbers(
        make: Any, site: Path, trainer: str) -> None:
    (site / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    lib = load_library([site])
    app = make(lib, trainer)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, TrainerScreen)
        states = {s.name: (s.errors, s.checked) for s in view.states.values()}
        assert states["angry-late-parcel"] == (0, True)
        assert states["broken.yaml"][0] >= 1
        assert view.selected is not None
        # the first row is selected: its tree and the explorer's numbers
        selected = view.states[view.selected].scenario
        assert selected is not None
        tree = view.query_one(ScenarioTree)
        assert set(tree.entries) == set(selected.nodes)
        numbers = str(view.query_one("#numbers").render())
        assert numbers.startswith(f"Every path: {explore(selected).summary()}")
        bounds = explore(selected).bounds["overall"]
        assert f"overall    {bounds.min:>3} to {bounds.max:<3}" in numbers
        # the broken file's row shows its errors by file:line:col
        table = view.query_one("#files")
        table.move_cursor(row=table.get_row_index(str(site / "broken.yaml")))
        await settle(pilot)
        assert re.search(r"broken\.yaml:\d+:\d+: error:", str(view.query_one("#numbers").render()))


async def test_a_playtest_from_the_library_view_starts_at_the_tree_s_node_and_is_marked(
        make: Any, site: Path, trainer: str, engine: Any) -> None:
    lib = load_library([site])
    app = make(lib, trainer)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        view = app.screen
        table = view.query_one("#files")
        table.move_cursor(row=table.get_row_index(str(parcel(site))))
        await settle(pilot)
        tree = view.query_one(ScenarioTree)
        tree.move_cursor(tree.entries["fix"])
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PlaytestScreen)
        assert customer_lines(app.screen) == [FIX_LINE]
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("q", "y")  # leave it: back to the library view
        await settle(pilot)
        assert app.screen is view
        assert view.marked == ("angry-late-parcel", "agreed")
        assert tree.entries["agreed"].label.plain.startswith("▶ ")
        # an edit on disk is noticed by the view too
        edit(parcel(site), "start: opening", "start: nowhere")
        view.check_files()
        await settle(pilot)
        state = view.states[str(parcel(site))]
        assert state.errors == 1 and state.scenario is None
        assert "start node 'nowhere' does not exist" in str(view.query_one("#numbers").render())
        app.store.flush()
    (call,) = db.calls_of(engine, db.SYSTEM, [trainer])
    assert (call.mode, call.outcome) == ("playtest", "incomplete")


async def test_a_trainee_never_reaches_the_library_view(make: Any, site: Path) -> None:
    app = make(load_library([site]), USER)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.store.role == "trainee"
        assert app.screen.check_action("workspace", ()) is False
        await pilot.press("w")
        app.action_workspace()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not any(isinstance(s, TrainerScreen) for s in app.screen_stack)


# -- a playtest never counts ---------------------------------------------------------------------

async def test_a_playtest_never_counts_for_anyone(make: Any, site: Path, trainer: str,
                                                 engine: Any) -> None:
    """A trainer plays textbook exams on both scenarios of a track as playtests (from the
    library view, and `play FILE` of an edited copy through its briefing and "again"): none is
    counted, neither in the trainer's averages nor in certification, and none appears in the
    trainee's report."""
    lib = load_library([site])
    app = make(lib, trainer)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        for scenario_id in ("angry-late-parcel", "payment-double-charge"):
            table = app.screen.query_one("#files")
            table.move_cursor(row=table.get_row_index(str(site / f"{scenario_id}.yaml")))
            await settle(pilot)
            await pilot.press("p")
            await settle(pilot)
            assert isinstance(app.screen, PlaytestScreen), [n.message for n in app._notifications]
            await pilot.press("1", "1", "1", "1")
            await settle(pilot)
            assert app.screen.call.ended and app.screen.call.outcome == "resolved"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ScorecardScreen)
            await pilot.press("r")  # again: a playtest again
            await settle(pilot)
            assert isinstance(app.screen, PlaytestScreen)
            await pilot.press("1", "1", "1", "1", "enter")
            await settle(pilot)
            await pilot.press("h")
            await settle(pilot)
            assert isinstance(app.screen, TrainerScreen)
        app.store.flush()
    edited = parcel(site)
    edit(edited, FIX_LINE, "Just send it.")
    copy = loaded(edited)
    app = make(lib, trainer, scenario=copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")  # the briefing's exam button: still a playtest
        await settle(pilot)
        assert isinstance(app.screen, PlaytestScreen)
        await pilot.press("1", "1", "1", "1", "enter")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, PlaytestScreen)
        app.store.flush()
    calls = db.calls_of(engine, db.SYSTEM, [trainer])
    assert len(calls) == 6 and {c.mode for c in calls} == {"playtest"}
    assert sum(c.passed is True for c in calls) == 5
    people = db.trainees(engine, db.SYSTEM)
    report = db.build_report(engine, db.SYSTEM, people, TRACKS, lib.scenarios)
    rows = {r["trainee"]: r for r in report.trainees}
    assert rows[trainer]["overall"] is None and rows[trainer]["exam_calls"] == 0
    assert rows.get(USER, {"calls": 0})["calls"] == 0
    certs = {(c["trainee"], c["track"]): c["status"] for c in report.certifications}
    assert certs[(trainer, "first-line")] == "not_started"
    assert all(c["trainee"] != USER or c["status"] == "not_started"
               for c in report.certifications)
    assert not db.stored_certificates(engine, db.SYSTEM, trainer)
    assert ADMIN != trainer


async def test_an_admin_reaches_the_library_view_from_the_team_overview(
        make: Any, site: Path, engine: Any) -> None:
    db.add_person(engine, db.SYSTEM, "sue", role="supervisor")
    for user, role, reaches in ((ADMIN, "admin", True), ("sue", "supervisor", False)):
        app = make(load_library([site]), user, role=role)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            home = app.screen
            assert type(home).__name__ == "SupervisorHome"
            assert ("w" in home.active_bindings) is reaches  # shown to an admin only
            await pilot.press("w")
            await settle(pilot)
            assert isinstance(app.screen, TrainerScreen) is reaches


async def test_the_tree_marks_ends_revisits_and_the_nodes_no_reply_reaches() -> None:
    from textual.app import App

    from simulator.tui.store import Store

    detour = Path(__file__).resolve().parent.parent / "fixtures" / "playtest" / "detour.yaml"
    store = Store(None, TRAINER)

    class One(App[None]):
        def on_mount(self) -> None:
            self.push_screen(TrainerScreen([detour], store))

    app = One()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(ScenarioTree)
        labels = {name: entry.label.plain for name, entry in tree.entries.items()}
        assert labels["a"].startswith("start a")
        assert labels["fix"].startswith("shrug · mood +4 → fix  Just get it to me.")
        assert labels["thanks"].startswith("propose · propose → thanks ✔ resolved")
        assert str(tree.entries["orphan"].parent.label) == "not reached from the start"
        again = [n.label.plain for n in tree.entries["b"].children]
        assert again == ["cause · identify_cause → fix  Just get it to me.  ↩ see above"]
        numbers = str(app.screen.query_one("#numbers").render())
        assert "node 'orphan' is never reached from start" in numbers
        # a playtest from a node no reply reaches is refused in words, not started
        tree.move_cursor(tree.entries["orphan"])
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, TrainerScreen)
        assert any("cannot be reached" in n.message for n in app._notifications)
    store.close()


async def test_a_file_deleted_during_a_playtest_says_so_and_waits(
        make: Any, site: Path, trainer: str) -> None:
    lib = load_library([site])
    app = make(lib, trainer, scenario=lib.by_id("angry-late-parcel"), start_node="fix")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = parcel(site).read_text(encoding="utf-8")
        parcel(site).unlink()
        await reload(pilot)
        screen = app.screen
        assert screen.has_class("-broken")
        assert "the file is gone (moved or deleted): put it back" in str(
            screen.query_one("#reload").render())
        parcel(site).write_text(text, encoding="utf-8")
        await reload(pilot)
        assert not screen.has_class("-broken") and screen.call.node == "fix"
