"""The call: the conversation, the customer's mood, the four steps, the level, the replies."""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass
from typing import ClassVar, Self

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, OptionList, Static

from scoring import Scorecard
from scoring.rubric import default_rubric
from simulator.call import Call, CallResult, Line, reply_order
from simulator.freetext.play import play_match
from simulator.review import turn_events
from simulator.scenario import Scenario

from ..store import CallLog
from ..widgets import ConversationView, LevelLadder, MoodMeter, PolicyCard, ReplyList, StepTracker
from ..widgets.footer import SteadyFooter
from ..widgets.freetext import FreeTextPanel, typed_notice
from ..widgets.safe import plain_str
from .dialogs import ConfirmDialog, PolicyDialog

__all__ = ["CallEnd", "CallScreen"]

ENDINGS = {
    "resolved": "Call resolved at level {level}.",
    "escalated": "Call handed over: it ends at level {level}.",
    "lost": "{name} walked out. Level 4: this customer is lost.",
}

IDLE_GC = 1.0
"""Seconds without a reply after which the collector runs (never in the middle of a reply)."""


@dataclass
class CallEnd:
    """What the call screen hands back when a call ends (not when the rep quits)."""

    scenario: Scenario
    mode: str
    result: CallResult
    card: Scorecard
    log: CallLog


class CallScreen(Screen[CallEnd | None]):
    """Dismisses with a CallEnd once the call has ended and the rep moves on, None on quit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(str(n), f"pick({n})", "Reply", show=n == 1, key_display="1-9")
          for n in range(1, 10)],
        Binding("p", "policy", "Policy card"),
        Binding("q,escape", "hang_up", "Quit call"),
        Binding("enter", "wrap_up", "Wrap-up", priority=True),
    ]

    def __init__(self, scenario: Scenario, mode: str, log: CallLog,
                 shuffle_seed: int | None = None, freetext: bool = False) -> None:
        super().__init__()
        self.scenario, self.mode, self.record = scenario, mode, log
        self.freetext = freetext
        """Free-text mode: the rep types (widgets/freetext.py), the numbered replies a key away."""
        self.call = Call(scenario)
        self.shuffle_seed = shuffle_seed
        self.order: list[int] = []
        """Display position (0-based) -> authored position (0-based) at the current node."""
        self.end: CallEnd | None = None
        self._leaving = False
        """Dismissed already: a second Enter (or a late pick) must do nothing."""
        self._leave_on_resume = False
        self._gc_threshold = gc.get_threshold()
        self._last_reply = time.monotonic()

    def compose(self) -> ComposeResult:
        s = self.scenario
        yield Header()
        with Horizontal(id="call-body"):
            yield ConversationView(s.customer.name, id="conversation")
            with VerticalScroll(id="side"):
                yield MoodMeter(s.customer.mood, s.customer.breaking_point, id="mood")
                yield StepTracker(id="steps")
                yield LevelLadder(id="level")
                yield PolicyCard(s.policy, id="policy")
        yield Static(id="ended")
        yield ReplyList(id="replies")
        if self.freetext:
            yield FreeTextPanel(s, id="freetext",
                                uncounted=self.record.mode == "uncalibrated-exam")
        yield SteadyFooter()

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        """Regions alone are what Textual asks of the top screen when a screen under it
        changed (the home filling in its data as a call starts): its own widgets refresh
        themselves. The call covers the whole terminal (an opaque background), so there is
        nothing there to draw again, and the repaint (a frame, then the next reply's frame
        a frame period later) fell in the first replies of a call (issue 12)."""
        if regions and not (layout or recompose) and self.styles.background.a == 1:
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def on_unmount(self) -> None:
        gc.set_threshold(*self._gc_threshold)
        gc.unfreeze()

    def on_mount(self) -> None:
        # Everything alive when the call opens (Textual, the library, the screens) moves out of
        # the collector's reach until the call screen goes: otherwise a full collection walks
        # all of it in the middle of some reply (a 100 ms pause, bench/RESULTS.md). Collected
        # first, and handed back on unmount, so nothing is kept that would have been freed.
        # The full collections are then made while the rep reads, not in a reply: the
        # threshold of the oldest generation is out of reach during the call, and a second of
        # quiet after a reply collects what the call left and freezes what survives.
        gc.collect()
        gc.freeze()
        young, middle, _ = self._gc_threshold
        gc.set_threshold(young, middle, 1_000_000)
        self.set_interval(IDLE_GC, self._collect_when_idle)
        self.sub_title = f"{plain_str(self.scenario.title)} · {self.mode}"
        if self.freetext:
            self.sub_title += (" · free text, not counted" if self.record.mode ==
                               "uncalibrated-exam" else " · free text")
        if self.record.unsaved:  # a read-only database: kept on screen only
            self.sub_title += " · not saved"
        self.query_one(LevelLadder).level = self.call.conversation.level
        default_rubric()  # read now, not by the first reply's coaching or the call's score
        # the reply list as tall as the call's longest set of replies, from the start
        self.query_one(ReplyList).expect(
            [node.options for node in self.scenario.nodes.values() if node.options])
        for idx, line in enumerate(self.call.transcript):
            self._show(idx, line)
        self._refresh_state()

    def _collect_when_idle(self) -> None:
        if gc.get_count()[2] and time.monotonic() - self._last_reply >= IDLE_GC:
            gc.collect()
            gc.freeze()

    # -- playing ------------------------------------------------------------------------------
    def action_pick(self, n: int) -> None:
        if self.call.ended:
            return
        if self.freetext and self.query_one(FreeTextPanel).pick(n):
            return  # the two closest of a typed reply, confirmed by number
        if n > len(self.call.options):
            self.notify(f"There is no reply {n}: pick 1 to {len(self.call.options)}.",
                        severity="warning", timeout=2)
            return
        self.play(n)

    @on(OptionList.OptionSelected, "#replies")
    def selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a reply. Keys come faster than the screen answers them: a selection that
        arrives after the call ended, or from a list of replies since replaced by the next
        turn's, is one the rep never saw as such, and is ignored."""
        event.stop()
        replies = event.option_list
        if (self.call.ended or event.option_index >= replies.option_count
                or replies.get_option_at_index(event.option_index) is not event.option):
            return
        self.play(event.option_index + 1)

    def play(self, n: int) -> None:
        """Play the reply shown as number `n` (1-based): store and show every new line.
        Nothing happens once the call has ended (a late key of a fast typist)."""
        if self.call.ended or not 1 <= n <= len(self.order):
            return
        self._last_reply = time.monotonic()
        before = len(self.call.transcript)
        self.call.choose(self.order[n - 1] + 1)  # the authored position is what is stored
        with self.app.batch_update():  # one frame for the turn: lines, gauges and replies
            for idx in range(before, len(self.call.transcript)):
                self._show(idx, self.call.transcript[idx])
            self._refresh_state()
        self._updates_now()

    @on(FreeTextPanel.Reply)
    def typed(self, event: FreeTextPanel.Reply) -> None:
        """A typed reply, matched (or confirmed, or matching none): played and shown."""
        event.stop()
        if self.call.ended:
            return
        self._last_reply = time.monotonic()
        before = len(self.call.transcript)
        play_match(self.call, event.match, event.option)
        with self.app.batch_update():
            for idx in range(before, len(self.call.transcript)):
                self._show(idx, self.call.transcript[idx])
            self._refresh_state()
        self._updates_now()

    def _updates_now(self) -> None:
        """Draw the turn now. Each widget otherwise asks for its repaint (or its scroll) with a
        message from its own loop when it is next idle, and the screen draws on its frame
        timer, which keeps to a grid of 1/60 s from when it started: a key that comes within
        a frame period of the last frame (the rep, or the bench, answering at once) waited
        for the next point of that grid, up to 16 ms (issue 12: the second reply). What the
        screen does with those messages (Screen._on_update, _on_update_scroll) is done here,
        then what its timer does (Screen._on_timer_update): the widgets' idle then finds
        nothing left, nothing is drawn twice. A widget that needs a new layout goes the
        usual way (its message, then the timer)."""
        for widget in self.walk_children(Widget):
            if widget._repaint_required and widget.display:
                widget._repaint_required = False
                self._dirty_widgets.add(widget)
            if widget._scroll_required and not widget._layout_required:
                widget._scroll_required = False  # what its UpdateScroll message would ask
                self._scroll_required = True  # (no keylines here, which would repaint too)
            if widget._layout_required or widget._scroll_required:
                widget._check_refresh()
        if self.is_current and not self.app._batch_count:
            self._on_timer_update()
        else:
            self.check_idle()

    def _show(self, idx: int, line: Line) -> None:
        self.record.line(line, idx)
        view = self.query_one(ConversationView)
        if line.speaker == "trainee" and line.typed is not None:  # free text: their words
            view.add_rep(line.typed.text, line.turn)
            view.add_notice(typed_notice(line) or "")
            if self.mode == "practice":
                view.add_coach(line.feedback, turn_events(self.call, line.turn))
                for note in line.typed.notes:
                    view.add_coach(note, [])
        elif line.speaker == "trainee":
            view.add_rep(line.text, line.turn)
            if self.mode == "practice":
                view.add_coach(line.feedback, turn_events(self.call, line.turn))
        else:
            view.add_customer(line.text)

    def _refresh_state(self) -> None:
        conv = self.call.conversation
        self.query_one(MoodMeter).mood = conv.mood
        skipped = {s for t in self.call.turns for s in t.skipped} - set(conv.steps)
        tracker = self.query_one(StepTracker)
        tracker.done, tracker.skipped = tuple(conv.steps), tuple(sorted(skipped))
        self.query_one(LevelLadder).level = conv.level
        replies = self.query_one(ReplyList)
        if self.call.ended:
            self._ended()
        else:
            options = self.call.options
            self.order = reply_order(len(options), self.shuffle_seed, self.call.node,
                                     self.call.turn)
            replies.show([options[i] for i in self.order])
            replies.focus()
            if self.freetext:  # the input line instead; the numbered replies a key away
                self.query_one(FreeTextPanel).new_turn(self.call.node, replies)

    def _ended(self) -> None:
        result = self.call.result()
        card = result.score()
        self.record.finish(result, card)
        self.end = CallEnd(self.scenario, self.mode, result, card, self.record)
        self.query_one(ReplyList).display = False
        if self.freetext:
            self.query_one(FreeTextPanel).display = False
        text = ENDINGS[result.outcome].format(level=result.level,
                                              name=plain_str(self.scenario.customer.name))
        self.query_one(ConversationView).add_notice(text, ok=result.outcome != "lost")
        banner = self.query_one("#ended", Static)
        banner.update(Text.assemble((text, "bold"), "  Press Enter to write the wrap-up."))
        banner.set_class(result.outcome == "lost", "-lost")
        banner.display = True
        # the footer's keys (Enter: the wrap-up) a frame later: the end is on screen first,
        # not after the footer is composed again
        self.call_after_refresh(self.refresh_bindings)

    # -- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "wrap_up":
            return self.call.ended
        if action in ("pick", "hang_up"):
            return not self.call.ended
        return True

    def action_wrap_up(self) -> None:
        if self.end is not None and not self._leaving and self.is_active:
            self._leaving = True
            self.dismiss(self.end)

    def leave_unsaved(self) -> None:
        """The database failed and the rep ended the call (the store keeps what was saved as
        incomplete): back home, unless the call had ended anyway (then on to the wrap-up)."""
        if self._leaving:
            return
        if not self.is_active:  # a dialog (the policy card...) is above: leave when it closes
            self._leave_on_resume = True
            return
        if self.call.ended:
            self.action_wrap_up()
            return
        self.call.quit()
        self._leaving = True
        self.dismiss(None)

    def on_screen_resume(self) -> None:
        if self._leave_on_resume:
            self._leave_on_resume = False
            self.leave_unsaved()

    def action_policy(self) -> None:
        self.app.push_screen(PolicyDialog(self.scenario.policy))

    def action_hang_up(self) -> None:
        if self.call.ended:
            return

        def answered(leave: bool | None) -> None:
            if leave and not self.call.ended and not self._leaving:  # not ended meanwhile
                self._leaving = True
                self.call.quit()
                self.record.abandon(self.call.result().score())
                self.dismiss(None)
        self.app.push_screen(ConfirmDialog(
            "Leave this call now? It is kept in your record as incomplete.",
            yes="Leave the call", no="Stay"), answered)
