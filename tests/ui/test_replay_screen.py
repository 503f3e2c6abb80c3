"""The call replay as a screen (issue 13, item 3): turn by turn with the step, mood and level
after each turn, the score events on the turn that caused them, the coach's feedback, the
wrap-up with its documentation mark, the review log and the best path beside the rep's replies;
untrusted text shown as text; a trainee opens their own calls from home, never anyone else's."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from conftest import USER
from helpers import settle
from reviewsite import OTHER, SUPERVISOR, make_site, viewer
from test_hostile import shown
from textual.widgets import DataTable, OptionList

from simulator import db
from simulator.tui.screens import CallsScreen, HomeScreen, ReplayScreen


def turns_text(app: Any) -> list[str]:
    """Each option of the turn list as plain text (the opening first)."""
    turns = app.screen.query_one("#replay-turns", OptionList)
    return [str(turns.get_option_at_index(i).prompt) for i in range(turns.option_count)]


def static_text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector).content)


async def open_replay(pilot: Any, call_id: int, **kwargs: Any) -> ReplayScreen:
    await settle(pilot)
    screen = ReplayScreen(call_id, **kwargs)
    pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


async def test_a_failed_call_turn_by_turn(new_app: Any, engine: Any, library: Any) -> None:
    site = make_site(engine, library)
    app = new_app(user=SUPERVISOR)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_replay(pilot, site.failed)
        head = static_text(app, "#replay-head")
        turns = turns_text(app)
        wrapup = static_text(app, "#replay-wrapup")
        review = static_text(app, "#replay-review")
    assert "Call 2 · alice · Charged twice for one order · exam · 2026-03-14 09:30 UTC" in head
    assert "Scorer: FAILED 66/100 · escalated at level 3" in head
    assert "empathy 15 · resolution 100 · escalation 100 · policy 50" in head
    assert "Stands as" not in head  # no override yet
    opening, first, second = turns
    assert opening.startswith("Opening  mood 7/10 · level 1")
    assert "Dana Whitfield: I've been charged TWICE" in opening
    # the policy deduction and the mood rise are on the turn that caused them, with reasons
    assert first.startswith("Turn 1  mood 9/10 · level 1")
    assert "Rep: All card charges are final, that's company policy." in first
    assert " -50 policy     Hid behind policy to refuse" in first
    assert "(weaponise_policy)" in first and "(mood_rise)" in first
    assert "Best path: ≠ I'm sorry, seeing a charge twice is alarming." in first
    assert "Dana Whitfield: Unbelievable. Get me your manager." in first
    # the hand-off takes the call to the supervisor: level 3 after turn 2; end rules on it
    assert second.startswith("Turn 2  mood 9/10 · level 3")
    assert "(never_acknowledged)" in second and "(ended_upset)" in second
    assert "-50" not in second
    assert wrapup == "No wrap-up record: an exam needs one."
    assert review.startswith("Scorer's result: failed (66/100) · stands as the scorer's")
    assert "No comments or overrides yet." in review


async def test_steps_best_path_coach_and_wrapup(new_app: Any, engine: Any,
                                                library: Any) -> None:
    site = make_site(engine, library)
    app = new_app(user=SUPERVISOR)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_replay(pilot, site.passed)
        head = static_text(app, "#replay-head")
        turns = turns_text(app)
        wrapup = static_text(app, "#replay-wrapup")
        note_shown = app.screen.query_one("#replay-note").display
    assert "Scorer: PASSED 99/100 · resolved at level 1" in head
    mark = db.get_wrapup(engine, viewer(engine, SUPERVISOR), site.passed)
    assert mark is not None and mark.documentation is not None
    assert f"documentation {mark.documentation}" in head
    assert len(turns) == 5
    assert turns[1].startswith("Turn 1  step: understanding the problem · mood 5/10 · level 1")
    assert "+20 empathy    Apologised sincerely  (apologise)" in turns[1]
    assert "Best path: = the same reply" in turns[1]
    assert turns[3].startswith("Turn 3  step: proposing a fix")
    assert turns[4].startswith("Turn 4  step: solving the problem")
    assert wrapup.startswith(f"Documentation mark: {mark.documentation}/100")
    assert "Nature of the complaint: Parcel 5521 a week late, tracking stuck" in wrapup
    assert "Done on the spot: yes" in wrapup and "Compensation given: $10 voucher" in wrapup
    assert not note_shown  # mood, step and level are known; there is a best path


async def test_the_coach_feedback_of_a_practice_call_is_under_its_turn(
        new_app: Any, engine: Any, library: Any) -> None:
    """A practice call taken in the TUI: the coach's note stored with the reply is replayed."""
    app = new_app()
    scenario = library.by_id("angry-late-parcel")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.take_call(scenario, "practice")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        app.pop_screen()  # leave the call (kept as incomplete)
        app.store.flush()
        (call,) = db.recent_calls(engine, viewer(engine, USER))
        await open_replay(pilot, call.id)
        turns = turns_text(app)
    feedback = scenario.nodes[scenario.start].options[0].feedback
    assert feedback
    assert f"Coach: {' '.join(feedback.split())[:30]}" in " ".join(turns[1].split())


async def test_mood_step_and_level_come_from_the_stored_file(new_app: Any, engine: Any,
                                                             library: Any) -> None:
    """Without the scenario in the app, the file the call was played on (kept in the
    database) is replayed; without that either, the turns are shown and the screen says
    why mood, step and level are not."""
    site = make_site(engine, library)
    app = new_app(user=SUPERVISOR)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_replay(pilot, site.passed, store=app.store, scenarios=[])
        from_db = turns_text(app)
        with engine.begin() as conn:
            conn.execute(sa.delete(db.ScenarioSource.__table__))
        app.pop_screen()
        await open_replay(pilot, site.passed, store=app.store, scenarios=[])
        without = turns_text(app)
        note_shown = app.screen.query_one("#replay-note").display
        note_text = static_text(app, "#replay-note")
        head = static_text(app, "#replay-head")
    assert from_db[1].startswith("Turn 1  step: understanding the problem · mood 5/10")
    assert without[1].startswith("Turn 1\nRep: I'm sorry, a week is far too long.")
    assert "+20 empathy" in without[1]  # the stored events are there all the same
    assert note_shown and "Mood, step and level are not shown: the scenario file this call " \
        "was played on is not available." in note_text
    assert "angry-late-parcel" in head  # its id stands for its title


async def test_hostile_text_in_a_wrapup_and_a_comment_is_shown_as_text(
        new_app: Any, engine: Any, library: Any) -> None:
    site = make_site(engine, library)
    hostile = "[@click=app.quit]quit[/] [reverse red]x[/] \x1b[2Jcleared\x07"
    db.add_comment(engine, viewer(engine, SUPERVISOR), site.passed, hostile, turn=1)
    db.add_comment(engine, viewer(engine, SUPERVISOR), site.passed, "[/]" + hostile)
    record = db.get_wrapup(engine, viewer(engine, SUPERVISOR), site.passed)
    assert record is not None
    db.save_wrapup(engine, site.passed, record.__class__(
        **{**record.__dict__, "complaint": hostile, "prevention": "[b]not bold[/b]"}))
    app = new_app(user=SUPERVISOR)
    async with app.run_test(size=(160, 60)) as pilot:
        await open_replay(pilot, site.passed)
        screen = shown(app)  # also: no raw control character anywhere on screen
        turns = turns_text(app)
        wrapup = static_text(app, "#replay-wrapup")
        assert app.is_running
    literal = "[@click=app.quit]quit[/] [reverse red]x[/] \\x1b[2Jcleared\\x07"
    assert literal in turns[1]
    assert f"Nature of the complaint: {literal}" in wrapup
    assert "To prevent it: [b]not bold[/b]" in screen
    assert "[/][@click=app.quit]quit[/]" in screen


async def test_a_trainee_replays_their_own_call_from_home_and_reads_the_comments(
        new_app: Any, engine: Any, library: Any) -> None:
    site = make_site(engine, library)
    sue = viewer(engine, SUPERVISOR)
    db.add_comment(engine, sue, site.failed, "Own the double charge before the policy", turn=1)
    db.add_comment(engine, sue, site.failed, "Good hand-off; now the apology")
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, CallsScreen)
        table = app.screen.query_one("#calls", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        await pilot.press("enter")  # the newest: the failed exam
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen) and app.screen.call_id == site.failed
        turns = turns_text(app)
        review = static_text(app, "#replay-review")
        footer = shown(app).splitlines()[-1]
    # alice's two calls only (not bob's), newest first, with the comments counted
    assert [r[0] for r in rows] == [str(site.failed), str(site.passed)]
    assert rows[0][1:4] == [" 66 failed", "2", "Charged twice for one order"]
    assert rows[1][1:3] == [" 99 passed", ""]
    assert "✎ Comment by sue, " in turns[1]
    assert "Own the double charge before the policy" in turns[1]
    assert "Comment on the whole call by sue" in review
    assert "Good hand-off; now the apology" in review
    # a trainee reads; the review keys are not offered
    assert "Comment" not in footer and "Override" not in footer


async def test_nobody_replays_a_call_that_is_not_theirs_to_see(new_app: Any, engine: Any,
                                                               library: Any) -> None:
    """A trainee opening another trainee's call, or a supervisor another team's, is answered
    as for a call that does not exist: nothing of it is read or shown."""
    site = make_site(engine, library)
    for who, call_id in ((OTHER, site.passed), (USER, site.other), (SUPERVISOR, site.other)):
        app = new_app(user=who)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_replay(pilot, call_id)
            head = static_text(app, "#replay-head")
            assert screen.loaded is not None and screen.loaded.call is None
            assert screen.loaded.lines == [] and screen.loaded.reviews == []
            assert turns_text(app) == []
        assert head == f"No call {call_id} among the calls {who} may see."


async def test_a_typed_reply_is_shown_with_what_it_played(new_app: Any, engine: Any,
                                                          library: Any) -> None:
    """Free-text mode: the rep's own words under the reply they played, how they were matched,
    and the coach's notes on them; words that matched no reply say so."""
    from simulator.call import Typed, TypedPick, play

    scenario = library.by_id("angry-late-parcel")
    typed = TypedPick(1, Typed("so sorry, a week is [b]far[/b] too long", "lexical", "match",
                               0.712, ("apologise",), ("You named the delay: good.",)))
    result = play(scenario, [typed])
    call_id = db.start_call(engine, USER, scenario, mode="practice")
    db.finish_call(engine, call_id, result, result.score())
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_replay(pilot, call_id)
        turns = turns_text(app)
    assert "Rep: I'm sorry, a week is far too long." in turns[1]
    assert ("Typed: so sorry, a week is [b]far[/b] too long  → reply 1 (match, lexical 0.71)"
            in turns[1])
    assert "Your words: apologise (scored)" in turns[1]
    assert "Coach: You named the delay: good." in turns[1]
