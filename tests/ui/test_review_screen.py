"""Review from the replay (issue 13, item 4): a supervisor of the trainee's team comments on a
turn or the whole call and overrides pass or fail with a required reason; the override stands
beside the scorer's result with who and when; the log is only added to. A trainee, or a
supervisor of another team, can do none of it: not from the screen, and not past it (the
database refuses)."""

from __future__ import annotations

from typing import Any

from conftest import ADMIN, NOW, USER
from helpers import settle
from reviewsite import OTHER, SUPERVISOR, make_site, viewer
from test_hostile import shown
from test_replay_screen import open_replay, static_text, turns_text
from textual.widgets import Input, OptionList

from simulator import db
from simulator.tui.screens import CommentDialog, OverrideDialog, ReplayScreen
from simulator.tui.screens.review import TEXT_MAX


async def test_a_supervisor_comments_on_a_turn_and_on_the_whole_call(
        new_app: Any, engine: Any, library: Any, frozen: Any) -> None:
    site = make_site(engine, library)
    app = new_app(user=SUPERVISOR)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_replay(pilot, site.failed)
        await pilot.press("down", "c")  # turn 1
        await settle(pilot)
        assert isinstance(app.screen, CommentDialog) and app.screen.turn == 1
        assert "The rep said: All card charges are final" in shown(app)
        await pilot.press(*"Own the mistake before the policy", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, CommentDialog) and app.screen.turn is None
        await pilot.press(*"Calm hand-off", "ctrl+s")
        await settle(pilot)
        turns = turns_text(app)
        review = static_text(app, "#replay-review")
    log = db.reviews_of(engine, viewer(engine, SUPERVISOR), site.failed)
    assert [(e.kind, e.turn, e.text, e.made_by) for e in log] == [
        ("comment", 1, "Own the mistake before the policy", SUPERVISOR),
        ("comment", None, "Calm hand-off", SUPERVISOR)]
    assert "✎ Comment by sue, 2026-03-14 09:30 UTC\n  Own the mistake before the policy" \
        in turns[1]
    assert "Calm hand-off" not in turns[1] + turns[2]  # the whole call's is in the log
    assert "Comment on turn 1 by sue, 2026-03-14 09:30 UTC" in review
    assert "Comment on the whole call by sue, 2026-03-14 09:30 UTC\n  Calm hand-off" in review


async def test_an_empty_comment_and_the_opening_are_refused_nothing_written(
        new_app: Any, engine: Any, library: Any) -> None:
    site = make_site(engine, library)
    app = new_app(user=SUPERVISOR)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_replay(pilot, site.failed)
        await pilot.press("c")  # the opening is highlighted: the customer's, no rep turn
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("down", "c")
        await settle(pilot)
        await pilot.press("space", "space", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CommentDialog)
        error = str(app.screen.query_one("#review-error").content)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
    assert error == "Write the comment first: an empty comment is not kept."
    assert db.reviews_of(engine, viewer(engine, SUPERVISOR), site.failed) == []


async def test_an_override_needs_a_reason_and_stands_beside_the_scorers_result(
        new_app: Any, engine: Any, library: Any, frozen: Any) -> None:
    site = make_site(engine, library)
    app = new_app(user=SUPERVISOR)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_replay(pilot, site.failed)
        await pilot.press("o")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, OverrideDialog) and dialog.verdict is True
        heading = str(dialog.heading())
        await pilot.press("ctrl+s")  # no reason
        await settle(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one("#review-error").content)
        assert db.reviews_of(engine, viewer(engine, SUPERVISOR), site.failed) == []
        await pilot.press(*"The policy line was the site's script", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        head = static_text(app, "#replay-head")
        review = static_text(app, "#replay-review")
        # overriding back is a new entry, to the other verdict: nothing is edited
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OverrideDialog) and app.screen.verdict is False
        back = str(app.screen.heading())
        await pilot.press(*"On second thoughts: the scorer was right", "enter")
        await settle(pilot)
        head_after = static_text(app, "#replay-head")
        review_after = static_text(app, "#replay-review")
    assert "Override call 2 to PASSED" in heading and "The scorer's result: failed." in heading
    assert error == "A reason is required: say why the call should stand as passed."
    assert "Scorer: FAILED 66/100 · escalated at level 3   Stands as PASSED (override by sue, " \
        "2026-03-14 09:30 UTC)" in head
    assert review.startswith("Scorer's result: failed (66/100) · stands as passed (overridden)")
    assert "Override: passed by sue, 2026-03-14 09:30 UTC\n  because: The policy line was the " \
        "site's script" in review
    assert "Override call 2 to FAILED" in back and "It stands as passed by an override of sue" \
        in back
    assert "Stands as FAILED (override by sue" in head_after
    assert review_after.count("Override: ") == 2 and "stands as failed (overridden)" in \
        review_after
    log = db.reviews_of(engine, viewer(engine, SUPERVISOR), site.failed)
    assert [(e.kind, e.verdict) for e in log] == [("override", True), ("override", False)]
    verdict = db.verdict_of(engine, viewer(engine, USER), site.failed)
    assert verdict is not None and verdict.automatic is False and verdict.passed is False
    assert log[0].made_at == NOW


async def test_an_admin_reviews_anyones_call(new_app: Any, engine: Any, library: Any) -> None:
    site = make_site(engine, library)
    app = new_app(user=ADMIN)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_replay(pilot, site.other)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press(*"Textbook", "enter")
        await settle(pilot)
    (entry,) = db.reviews_of(engine, viewer(engine, ADMIN), site.other)
    assert entry.made_by == ADMIN and entry.text == "Textbook"


async def test_a_trainee_cannot_comment_or_override_their_own_call(
        new_app: Any, engine: Any, library: Any) -> None:
    site = make_site(engine, library)
    app = new_app()  # alice, a trainee
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_replay(pilot, site.failed)
        assert screen.loaded is not None and not screen.loaded.may_review
        footer = shown(app).splitlines()[-1]
        await pilot.press("down", "c", "w", "o")
        await settle(pilot)
        assert app.screen is screen  # no dialog opened
        assert app.screen.query_one("#replay-turns", OptionList).option_count == 3
        # past the screen, straight to the dialog: the database refuses, nothing is written
        app.push_screen(CommentDialog(app.store, site.failed, 1))
        await settle(pilot)
        await pilot.press(*"I was right", "enter")
        await settle(pilot)
        comment_error = str(app.screen.query_one("#review-error").content)
        await pilot.press("escape")
        app.push_screen(OverrideDialog(app.store, site.failed, automatic=False))
        await settle(pilot)
        await pilot.press(*"Please", "enter")
        await settle(pilot)
        override_error = str(app.screen.query_one("#review-error").content)
    assert "Comment" not in footer and "Override" not in footer
    assert comment_error == override_error == (
        "alice is a trainee: only a supervisor (for their teams' trainees) or an admin reviews "
        "calls")
    assert db.reviews_of(engine, viewer(engine, ADMIN), site.failed) == []


async def test_a_supervisor_of_another_team_can_neither_open_nor_review(
        new_app: Any, engine: Any, library: Any) -> None:
    site = make_site(engine, library)
    app = new_app(user=SUPERVISOR)  # team blue; bob is in red
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_replay(pilot, site.other)
        assert screen.loaded is not None and screen.loaded.call is None
        await pilot.press("w", "o")
        await settle(pilot)
        assert app.screen is screen
        app.push_screen(CommentDialog(app.store, site.other))
        await settle(pilot)
        await pilot.press(*"Sneaky", "enter")
        await settle(pilot)
        error = str(app.screen.query_one("#review-error").content)
    assert error == f"no call {site.other} among the calls {SUPERVISOR} may see"
    assert db.reviews_of(engine, viewer(engine, ADMIN), site.other) == []
    assert OTHER != SUPERVISOR


async def test_the_dialog_keeps_at_most_the_longest_comment(new_app: Any, engine: Any,
                                                            library: Any) -> None:
    from simulator.db.reviews import TEXT_MAX as DB_MAX

    assert TEXT_MAX == DB_MAX
    site = make_site(engine, library)
    app = new_app(user=SUPERVISOR)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_replay(pilot, site.failed)
        await pilot.press("w")
        await settle(pilot)
        box = app.screen.query_one("#review-text", Input)
        assert box.max_length == TEXT_MAX


async def test_an_unfinished_call_has_no_result_to_override(new_app: Any, engine: Any,
                                                            library: Any) -> None:
    make_site(engine, library)
    call_id = db.start_call(engine, USER, library.by_id("angry-late-parcel"), mode="exam")
    db.abandon_call(engine, call_id)
    app = new_app(user=SUPERVISOR)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_replay(pilot, call_id)
        head = static_text(app, "#replay-head")
        review = static_text(app, "#replay-review")
        await pilot.press("o")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("w")  # a comment still may be written
        await settle(pilot)
        assert isinstance(app.screen, CommentDialog)
    assert "incomplete: not scored." in head
    assert review.startswith("No result to override: the call is not finished.")
    assert db.reviews_of(engine, viewer(engine, SUPERVISOR), call_id) == []
