"""Whole calls driven by keys, as a rep takes them; what the database keeps is checked."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from conftest import USER
from helpers import open_scenario, settle, write_wrapup

from scoring.certification import Certificate
from simulator import db
from simulator.call import play
from simulator.tui.screens import (
    BriefingScreen,
    CallScreen,
    ConfirmDialog,
    HomeScreen,
    ScorecardScreen,
    WrapUpScreen,
)
from simulator.tui.widgets import ConversationView

# (name, search words, mode key, reply keys, wrap-up fields, expected outcome, level, passed)
PERSONAS = [
    ("angry", "parcel", "p", "1111",
     ["5521", "reship", "", "express reship booked", "fri", "", "labels"],
     "resolved", 1, True),
    ("confused", "reset", "e", "11",
     ["e-mail", "link", "today", "", "", "", ""],
     "escalated", 2, True),
    ("payment", "twice", "p", "1111",
     ["4471", "refund", "", "", "", "", "terminal"],
     "resolved", 1, True),
]


@pytest.mark.parametrize(
    "words,mode_key,replies,fields,outcome,level,passed",
    [p[1:] for p in PERSONAS], ids=[p[0] for p in PERSONAS])
async def test_whole_call_per_persona(new_app: Any, engine: Any, words: str, mode_key: str,
                                      replies: str, fields: list[str], outcome: str,
                                      level: int, passed: bool) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, words)
        assert isinstance(app.screen, BriefingScreen)
        scenario = app.screen.scenario
        await pilot.press(mode_key)
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        await pilot.press(*replies)
        await pilot.pause()
        call = app.screen.call
        assert call.ended and call.outcome == outcome
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
        await write_wrapup(pilot, fields)
        assert isinstance(app.screen, ScorecardScreen)
        card = app.screen.card
        doc = app.screen.documentation
        assert doc is not None and doc.mark > 0
        app.store.flush()

    expected = play(scenario, [int(k) for k in replies])
    (stored,) = db.recent_calls(engine, db.SYSTEM, USER)
    mode = "practice" if mode_key == "p" else "exam"
    assert (stored.scenario_id, stored.mode, stored.outcome) == (scenario.id, mode, outcome)
    assert (stored.level, stored.passed, stored.overall) == (level, passed, card.overall)
    assert stored.overall == expected.score().overall
    lines = db.call_transcript(engine, db.SYSTEM, stored.id)
    assert [(x.speaker, x.text) for x in lines] == [
        (x.speaker, x.text) for x in expected.transcript]
    events = db.call_events(engine, db.SYSTEM, stored.id)
    assert [(e.turn, e.rule) for e in events] == [(e.turn, e.rule) for e in card.events]
    wrap = db.get_wrapup(engine, db.SYSTEM, stored.id)
    assert wrap is not None
    assert wrap.complaint == fields[0] and wrap.solution == fields[1]
    assert (wrap.promised_for, wrap.steps_now, wrap.follow_up) == tuple(
        f or None for f in fields[2:5])
    assert wrap.prevention == (fields[6] or None)
    assert wrap.documentation == doc.mark
    assert wrap.done_on_spot is False


async def test_every_line_is_stored_as_it_happens(new_app: Any, engine: Any) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot, "parcel")
        await pilot.press("p", "1")
        await pilot.pause()
        app.store.flush()
        (open_call,) = db.recent_calls(engine, db.SYSTEM, USER)
        assert open_call.outcome is None  # still under way
        lines = db.call_transcript(engine, db.SYSTEM, open_call.id)
        assert [x.speaker for x in lines] == ["customer", "trainee", "customer"]
        await pilot.press("q", "y")
        await pilot.pause()


async def test_walkout_ends_visibly_at_level_4(new_app: Any, engine: Any) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot, "parcel")
        await pilot.press("e", "2", "1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallScreen)
        assert screen.call.outcome == "lost" and screen.call.conversation.level == 4
        walkout = screen.scenario.customer.walkout
        texts = screen.query_one(ConversationView).texts()
        assert any(walkout in t for t in texts)
        assert any("walked out" in t and "Level 4" in t for t in texts)
        assert screen.query_one("#ended").display
        assert "4: Customer gone" in str(screen.query_one("#level").render())
        assert not screen.query_one("#replies").display
        await pilot.press("enter", "escape")  # wrap-up skipped
        await pilot.pause()
        assert isinstance(app.screen, ScorecardScreen)
        assert not app.screen.card.passed and app.screen.documentation is None
        app.store.flush()
    (stored,) = db.recent_calls(engine, db.SYSTEM, USER)
    assert (stored.outcome, stored.level, stored.passed) == ("lost", 4, False)
    assert db.call_transcript(engine, db.SYSTEM, stored.id)[-1].text == walkout
    assert db.get_wrapup(engine, db.SYSTEM, stored.id) is None


async def test_quit_midway_asks_and_keeps_the_call_incomplete(new_app: Any,
                                                              engine: Any) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot, "twice")
        await pilot.press("p", "1")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # stay
        await pilot.pause()
        assert isinstance(app.screen, CallScreen) and not app.screen.call.ended
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.store.flush()
    (stored,) = db.recent_calls(engine, db.SYSTEM, USER)
    assert (stored.outcome, stored.passed) == ("incomplete", False)
    assert len(db.call_transcript(engine, db.SYSTEM, stored.id)) == 3
    assert db.get_wrapup(engine, db.SYSTEM, stored.id) is None


async def test_ctrl_q_during_a_call_asks_first(new_app: Any, engine: Any) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot, "twice")
        await pilot.press("p", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.store.flush()
    assert db.recent_calls(engine, db.SYSTEM, USER)[0].outcome == "incomplete"


async def test_arrows_and_enter_choose_a_reply(new_app: Any) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot, "parcel")
        await pilot.press("p", "down", "enter")
        await pilot.pause()
        assert app.screen.call.transcript[1].option == 2


async def test_practice_coaches_after_each_reply_and_exam_does_not(new_app: Any) -> None:
    for key, coached in (("p", True), ("e", False)):
        app = new_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await open_scenario(pilot, "parcel")
            await pilot.press(key, "1")
            await pilot.pause()
            notes = app.screen.query_one(ConversationView).texts("coach")
            assert bool(notes) is coached
            if coached:
                assert "Names the feeling and confirms the facts." in notes[0]
                assert "+20 empathy" in notes[0]


async def test_try_again_opens_the_same_briefing(new_app: Any) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot, "reset")
        await pilot.press("p", "1", "1", "enter", "escape", "r")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert app.screen.scenario.id == "confused-password-reset"


async def test_an_exam_call_that_completes_a_track_certifies(new_app: Any, engine: Any,
                                                             frozen: Any) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_scenario(pilot, "reset")
        await pilot.press("e", "1", "1", "enter", "escape")
        await pilot.pause()
        app.store.flush()
        await pilot.pause()
        assert [n.message for n in app._notifications
                if n.message.startswith("Certified")] == [
            "Certified: Hand-offs, valid until 2026-09-10"]  # 180 days
        await pilot.press("h")
        await settle(pilot)
        tracks = str(app.screen.query_one("#tracks").render())
        assert "certified to 2026-09-10" in tracks
    (call,) = db.recent_calls(engine, db.SYSTEM, USER)
    assert (call.mode, call.scenario_id, call.passed) == ("exam", "confused-password-reset", True)
    # stored once, by the exam call that completed the track, on the frozen day
    assert db.stored_certificates(engine, db.SYSTEM, USER) == [
        Certificate("hand-offs", frozen.date(), date(2026, 9, 10), date(2026, 8, 11), call.id)]
