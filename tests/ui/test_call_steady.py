"""The call screen does its work once, not on every reply (issue 12): the footer is built again
only when its keys change, the reply list's height is measured once per width, the full
collections of the garbage collector wait for a pause between replies, a reply is drawn in one
frame, and what changes under the call is not drawn again."""

from __future__ import annotations

import gc
from typing import Any

from helpers import open_scenario, settle
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from simulator.tui.screens import CallScreen, HomeScreen
from simulator.tui.widgets.conversation import ConversationView
from simulator.tui.widgets.footer import SteadyFooter
from simulator.tui.widgets.replies import ReplyList


def footer_keys(screen: Any) -> list[str]:
    return [str(key.description) for key in screen.query("FooterKey")]


async def test_the_footer_is_built_again_only_when_its_keys_change(new_app: Any) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, "parcel")
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CallScreen)
        footer = screen.query_one(SteadyFooter)
        shown = list(screen.query("FooterKey"))
        assert "Reply" in footer_keys(screen) and "Wrap-up" not in footer_keys(screen)
        for _ in range(5):  # what a focus change or a screen shown asks: nothing changed
            screen.refresh_bindings()
        await settle(pilot)
        assert list(screen.query("FooterKey")) == shown  # the same widgets: not rebuilt
        await pilot.press("1")  # a reply: the keys are the same
        await settle(pilot)
        assert list(screen.query("FooterKey")) == shown
        await pilot.press("1", "1", "1")
        await settle(pilot)
        assert screen.call.ended
        # the end changes the keys (Enter writes the wrap-up, no more replies): rebuilt
        assert "Wrap-up" in footer_keys(screen) and "Reply" not in footer_keys(screen)
        assert footer.is_attached


async def test_the_reply_list_is_measured_once_per_width(new_app: Any,
                                                         monkeypatch: Any) -> None:
    measured: list[int] = []
    count = ReplyList._count_lines

    def counting(self: ReplyList, replies: Any, width: int) -> int:
        measured.append(width)
        return count(self, replies, width)

    monkeypatch.setattr(ReplyList, "_count_lines", counting)
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, "parcel")
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CallScreen)
        replies = screen.query_one(ReplyList)
        height = replies.size.height
        assert measured, "the height was never fitted to the call's replies"
        before = len(measured)
        await pilot.press("1", "1")
        await settle(pilot)
        assert len(measured) == before  # replies shown, nothing measured again
        assert replies.size.height == height  # and the list did not change its height
        await pilot.resize_terminal(100, 40)
        await settle(pilot)
        assert len(measured) > before  # another width: measured again
        assert len(set(measured[before:])) == 1


async def test_full_collections_wait_for_a_pause_and_the_thresholds_come_back(
        new_app: Any) -> None:
    before = gc.get_threshold()
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, "parcel")
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CallScreen)
        young, middle, oldest = gc.get_threshold()
        assert (young, middle) == before[:2] and oldest > 10_000  # no full collection by count
        await pilot.press("1")
        await settle(pilot)
        gc.collect(1)  # a collection of the middle generation: a full one is now due
        assert gc.get_count()[2] > 0
        screen._last_reply -= 5  # as if the rep had been reading for a while
        screen._collect_when_idle()
        assert gc.get_count()[2] == 0  # the full collection was made, between replies
        await pilot.press("1", "1", "1", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, CallScreen)
        assert gc.get_threshold() == before  # the call screen is gone: as it was


async def test_a_reply_is_drawn_before_play_returns(new_app: Any) -> None:
    """A reply's frame is drawn in the reply itself: no widget of the call still waits for its
    own idle to ask for its repaint or its scroll, and the frame does not wait for the screen's
    frame timer (which keeps to a 1/60 s grid: a key right after a frame waited up to 16 ms)."""
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, "parcel")
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CallScreen)
        drawn: list[object] = []
        display = app._display

        def spy(target: object, *args: Any, **kwargs: Any) -> Any:
            drawn.append(target)
            return display(target, *args, **kwargs)  # type: ignore[arg-type]

        app._display = spy  # type: ignore[method-assign]
        lines = len(screen.query_one(ConversationView).entries)
        screen.play(1)  # no await: nothing else has run since
        assert len(screen.query_one(ConversationView).entries) > lines
        assert drawn == [screen]  # one frame, drawn now
        waiting = [w for w in screen.walk_children(Widget)
                   if w._repaint_required or w._scroll_required]
        assert waiting == []
        assert not screen._dirty_widgets and not screen._scroll_required  # all in that frame
        await settle(pilot)
        shown = screen.query_one(ConversationView).texts("customer")[-1]
        assert shown.endswith(screen.call.transcript[-1].text)


async def test_a_change_under_the_call_does_not_repaint_it(new_app: Any) -> None:
    """The home under the call filling in its data is not drawn again on the call's screen."""
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, "parcel")
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CallScreen)
        home = app.screen_stack[-2]
        assert isinstance(home, HomeScreen) and home in app._background_screens
        frames: list[int] = []
        draw = screen._compositor_refresh

        def counted() -> None:
            frames.append(1)
            draw()

        screen._compositor_refresh = counted  # type: ignore[method-assign]
        home.query_one("#tracks", Static).update(Text("Something new on the home"))
        await settle(pilot)
        assert frames == []  # nothing of the call was drawn again
        await pilot.press("1")  # the call's own changes are
        await settle(pilot)
        assert frames
