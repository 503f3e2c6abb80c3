"""Free-text mode in the TUI (issue 15): a whole call typed, with a reply that matches none of
the options, an uncertain one confirmed from the two closest, and a reply picked from the
numbered list a key away; the stored transcript keeps the typed text and the match. The
fallback engine, so that it runs without the extra."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import USER
from helpers import open_scenario, settle, write_wrapup
from textual.widgets import Input, OptionList

from simulator import db
from simulator.freetext import ENGINE_ENV
from simulator.scenario.model import DEFAULT_UNMATCHED
from simulator.tui.screens import BriefingScreen, CallScreen, ScorecardScreen, WrapUpScreen
from simulator.tui.widgets import ConversationView, ReplyList
from simulator.tui.widgets.freetext import FreeTextPanel


@pytest.fixture(autouse=True)
def lexical(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_ENV, "lexical")


async def type_reply(pilot: Any, text: str) -> None:
    await pilot.press(*text, "enter")
    await pilot.pause()


async def test_a_whole_free_text_call(new_app: Any, engine: Any) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, "twice")
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("f", "p")  # typed replies on, a practice call
        await settle(pilot)  # the matcher is prepared off the screen's thread
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.freetext
        panel = screen.query_one(FreeTextPanel)
        assert isinstance(app.focused, Input) and not screen.query_one(ReplyList).display
        assert "fallback" in str(panel.query_one("#freetext-note").render())
        view = screen.query_one(ConversationView)
        mood = screen.call.conversation.mood

        # 1. words that match none of the replies: the customer asks to rephrase, mood +1
        await type_reply(pilot, "What's the weather like?")
        assert screen.call.node == "opening" and screen.call.turn == 1
        assert screen.call.conversation.mood == mood + 1
        assert view.texts("customer")[-1].endswith(DEFAULT_UNMATCHED.customer)
        assert any("What's the weather like?" in t for t in view.texts("rep"))

        # 2. the uncertain band: the two closest are shown; 1 confirms the first
        await type_reply(pilot, "I'm sorry, two charges")
        assert panel.has_class("-confirming") and screen.call.turn == 1
        choices = panel.query_one("#freetext-confirm", OptionList)
        assert choices.option_count == 2 and app.focused is choices
        assert "seeing a charge twice" in str(choices.get_option_at_index(0).prompt)
        await pilot.press("1")
        await pilot.pause()
        assert screen.call.node == "confirm" and not panel.has_class("-confirming")
        assert isinstance(app.focused, Input) and app.focused.value == ""

        # 3. a clear match
        await type_reply(pilot, "I can see the terminal retried the payment, the second "
                                "charge is our error")
        assert screen.call.node == "fix"

        # 4. the numbered replies, one key away
        await pilot.press("ctrl+l")
        await pilot.pause()
        replies = screen.query_one(ReplyList)
        assert replies.display and app.focused is replies
        await pilot.press("1")
        await pilot.pause()
        assert screen.call.node == "choice" and not replies.display

        # 5. the last reply, typed with a typo
        await type_reply(pilot, "Done. You'll see it in 3-5 busines days. Does that settle it?")
        assert screen.call.ended and screen.call.outcome == "resolved"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
        await write_wrapup(pilot, ["4471", "refund", "", "", "", "", "terminal"])
        assert isinstance(app.screen, ScorecardScreen)
        said = app.screen.paths()  # the path beside the best: the words and the reply heard
        cells = [str(c) for c in said.columns[1].cells]  # type: ignore[union-attr]
        assert cells[0] == "You typed \"What's the weather like?\": it matched none of the replies."
        assert cells[1].startswith("You typed \"I'm sorry, two charges\", heard as: I'm sorry,")
        assert not cells[3].startswith("You typed")  # picked from the numbered list
        app.store.flush()

    (stored,) = db.recent_calls(engine, db.SYSTEM, USER)
    assert stored.mode == "practice" and stored.outcome == "resolved"
    lines = [x for x in db.call_transcript(engine, db.SYSTEM, stored.id)
             if x.speaker == "trainee"]
    assert [x.option for x in lines] == [None, 1, 1, 1, 1]
    typed = [x.typed for x in lines]
    assert typed[3] is None  # picked from the numbered list
    assert [t.text for t in typed if t] == [
        "What's the weather like?", "I'm sorry, two charges",
        "I can see the terminal retried the payment, the second charge is our error",
        "Done. You'll see it in 3-5 busines days. Does that settle it?"]
    assert [t.decision for t in typed if t] == ["none", "confirm", "match", "match"]
    assert all(t.engine == "lexical" for t in typed if t)
    assert typed[0] is not None and typed[0].similarity is None
    assert typed[1] is not None and typed[1].similarity is not None
    assert lines[1].text.startswith("I'm sorry, seeing a charge twice")  # the option played


async def test_typing_again_withdraws_the_question(new_app: Any) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot, "twice")
        await pilot.press("f", "p")  # typed replies on, a practice call
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CallScreen)
        panel = screen.query_one(FreeTextPanel)
        await type_reply(pilot, "I'm sorry, two charges")
        assert panel.has_class("-confirming")
        await pilot.press("tab")  # back to the input line
        await pilot.press("backspace")
        await pilot.pause()
        assert not panel.has_class("-confirming") and screen.call.turn == 0
        await pilot.press("2")  # a digit is text now, not a pick
        await pilot.pause()
        assert screen.call.turn == 0 and panel.query_one(Input).value.endswith("2")
