"""Free-text exams in the TUI (issue 15): the briefing's "Type my replies" toggle beside practice
and exam; an exam with typed replies has no coaching, is stored with its typed words and their
matches, and counts for certification only when the matcher's engine is calibrated for it (the
multilingual model, thresholds.toml's `certifies`), never with the lexical fallback, which the
briefing, the call, the home screen and the report say. And a free-text playtest: typed words
kept, still a playtest that never counts."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from conftest import TRACKS, USER
from helpers import open_scenario, settle, write_wrapup
from rich.console import Console
from textual.widgets import Checkbox

from simulator import db
from simulator.call import play
from simulator.freetext import ENGINE_ENV
from simulator.freetext.engines import e5_available
from simulator.freetext.matcher import certifies
from simulator.scenario import Library, load_file
from simulator.standing import why_not_counted
from simulator.tui import HotseatApp, make_app
from simulator.tui.screens import (
    BriefingScreen,
    CallScreen,
    HomeScreen,
    PlaytestScreen,
    ScorecardScreen,
    WrapUpScreen,
)
from simulator.tui.widgets import ConversationView
from simulator.tui.widgets.freetext import FreeTextPanel

NOT_COUNTED = "a free-text exam matched by an engine not calibrated for certification"
WRAPUP = ["4471", "refund", "", "", "", "", "terminal"]


def seed_angry_exam(engine: Any, library: Library) -> None:
    """A passed exam on the parcel scenario: the payment one is the track's last requirement."""
    angry = library.by_id("angry-late-parcel")
    assert angry is not None
    call_id = db.start_call(engine, USER, angry, mode="exam")
    result = play(angry, [1, 1, 1, 1])
    db.finish_call(engine, call_id, result, result.score())


async def type_best_path(pilot: Any, screen: CallScreen) -> None:
    """Type words matching none of the replies once, then each node's first authored reply
    (the fixture's passing path) word for word; confirm the closest if the matcher asks."""
    panel = screen.query_one(FreeTextPanel)
    await pilot.press(*"What's the weather like on Mars?", "enter")
    await pilot.pause()
    assert screen.call.turn == 1 and not screen.call.ended  # none: the customer asks again
    while not screen.call.ended:
        turn = screen.call.turn
        await pilot.press(*screen.call.options[0].say, "enter")
        await pilot.pause()
        if panel.has_class("-confirming"):
            await pilot.press("1")
            await pilot.pause()
        assert screen.call.turn == turn + 1


async def free_text_exam(app: HotseatApp, pilot: Any) -> tuple[str, str]:
    """Home -> the payment briefing -> typed replies on, exam -> the call typed -> wrap-up ->
    scorecard. Returns the briefing's note on free-text exams and the call's subtitle."""
    await open_scenario(pilot, "twice")
    assert isinstance(app.screen, BriefingScreen)
    assert not app.screen.query_one("#typed-note").display
    await pilot.press("f")
    await pilot.pause()
    assert app.screen.query_one("#typed-note").display  # whether it would count, said
    note = str(app.screen.query_one("#typed-note").render())
    assert app.screen.query_one("#typed", Checkbox).value
    await pilot.press("e")
    await settle(pilot)  # the matcher is prepared off the screen's thread
    screen = app.screen
    assert isinstance(screen, CallScreen) and screen.freetext and screen.mode == "exam"
    subtitle = "\n".join([screen.sub_title, *(n.message for n in app._notifications)])
    panel_note = str(screen.query_one(FreeTextPanel).query_one("#freetext-note").render())
    await type_best_path(pilot, screen)
    view = screen.query_one(ConversationView)
    assert view.texts("coach") == []  # an exam: no coaching, not even on the typed words
    assert any("What's the weather like on Mars?" in t for t in view.texts("rep"))
    assert screen.call.outcome == "resolved"
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WrapUpScreen)
    await write_wrapup(pilot, WRAPUP)
    assert isinstance(app.screen, ScorecardScreen)
    app.store.flush()
    await settle(pilot)
    return note, f"{subtitle}\n{panel_note}"


def stored_typed_lines(engine: Any, call_id: int) -> list[Any]:
    lines = [x for x in db.call_transcript(engine, db.SYSTEM, call_id)
             if x.speaker == "trainee"]
    assert lines[0].typed is not None and lines[0].typed.decision == "none"
    assert lines[0].typed.text == "What's the weather like on Mars?" and lines[0].option is None
    assert all(x.typed is not None for x in lines) and [x.option for x in lines[1:]] == [1] * 4
    return lines


def report_counts(engine: Any, library: Library, call_id: int) -> str:
    people = db.trainees(engine, db.SYSTEM)
    report = db.build_report(engine, db.SYSTEM, people, TRACKS, library.scenarios)
    (row,) = [r for r in report.calls if r["call"] == call_id]
    return str(row["counts"])


async def test_a_free_text_exam_with_the_fallback_is_kept_and_never_counts(
        new_app: Any, engine: Any, library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_ENV, "lexical")
    assert not certifies("lexical")
    seed_angry_exam(engine, library)
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        note, shown = await free_text_exam(app, pilot)
        assert "A free-text exam here does not count for certification" in note
        assert "install hotseat[freetext]" in note  # text, never markup
        assert "free text, not counted" in shown
        assert "This exam does not count for certification" in shown
        assert "This free-text exam is kept but does not count for certification" in shown

    stored = next(c for c in db.recent_calls(engine, db.SYSTEM, USER)
                  if c.scenario_id == "payment-double-charge")
    assert stored.mode == "uncalibrated-exam" and stored.passed is True
    lines = stored_typed_lines(engine, stored.id)
    assert {x.typed.engine for x in lines} == {"lexical"}
    why = why_not_counted(stored, {s.id: s for s in library.scenarios})
    assert why is not None and why.startswith(NOT_COUNTED)
    assert report_counts(engine, library, stored.id).startswith(NOT_COUNTED)
    # a passed exam on payment would have certified the track: this one did not
    assert db.stored_certificates(engine, db.SYSTEM, USER) == []

    app = new_app()  # the home screen's history says it too
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#recent").content)
        text = console.export_text()
        assert "exam, not counted (1)" in text and NOT_COUNTED in text


@pytest.mark.skipif(not e5_available(), reason="needs the extra hotseat[freetext]")
async def test_a_free_text_exam_with_the_calibrated_model_counts(
        new_app: Any, engine: Any, library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_ENV, "e5")
    assert certifies("e5")
    seed_angry_exam(engine, library)
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        note, shown = await free_text_exam(app, pilot)
        assert "A free-text exam counts like any exam" in note
        assert "not counted" not in shown and "does not count" not in shown

    stored = next(c for c in db.recent_calls(engine, db.SYSTEM, USER)
                  if c.scenario_id == "payment-double-charge")
    assert stored.mode == "exam" and stored.passed is True
    lines = stored_typed_lines(engine, stored.id)
    assert {x.typed.engine for x in lines} == {"e5"}
    assert all(x.typed.similarity is not None for x in lines[1:])
    assert why_not_counted(stored, {s.id: s for s in library.scenarios}) is None
    assert report_counts(engine, library, stored.id) == "yes"
    (cert,) = db.stored_certificates(engine, db.SYSTEM, USER)  # the track's last requirement
    assert stored.id in (*cert.rests_on, cert.call_id)


async def test_the_toggle_leaves_practice_and_exam_as_they_were(new_app: Any,
                                                               engine: Any) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot, "twice")
        await pilot.press("f", "f")  # on, then off again
        await pilot.pause()
        assert not app.screen.query_one("#typed", Checkbox).value
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert app.screen.mode == "exam" and not app.screen.freetext
        assert not app.screen.query(FreeTextPanel)


async def test_a_free_text_playtest_keeps_the_typed_words_and_never_counts(
        tmp_path: Path, engine: Any, library: Library, apps: list[HotseatApp],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Typed replies chosen on a file that is not the library's version: a playtest with the
    input line, its typed words stored with their matches, never counted."""
    monkeypatch.setenv(ENGINE_ENV, "lexical")
    payment = library.by_id("payment-double-charge")
    assert payment is not None and payment.file
    copy_path = tmp_path / "payment-copy.yaml"
    copy_path.write_text(Path(payment.file).read_text(encoding="utf-8")
                         .replace("title:", "title: Copy of", 1), encoding="utf-8")
    copy, problems = load_file(copy_path)
    assert copy is not None, problems
    seed_angry_exam(engine, library)
    app = make_app(library, engine, USER, tracks=TRACKS, scenario=copy)
    apps.append(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("f", "e")  # typed replies, exam: still a playtest
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlaytestScreen) and screen.freetext
        await type_best_path(pilot, screen)
        assert screen.call.outcome == "resolved"
        app.store.flush()

    (stored,) = [c for c in db.calls_of(engine, db.SYSTEM, [USER]) if c.mode != "exam"]
    assert stored.mode == "playtest" and stored.passed is True
    lines = stored_typed_lines(engine, stored.id)
    assert {x.typed.engine for x in lines} == {"lexical"}
    assert why_not_counted(stored, {s.id: s for s in library.scenarios}) == (
        "a playtest (a trainer trying a scenario): it never counts")
    assert db.stored_certificates(engine, db.SYSTEM, USER) == []
