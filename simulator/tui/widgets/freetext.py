"""Free-text mode (issue 15): an input line where the rep types their own reply, matched to the
turn's replies; when the matcher is unsure, the two closest to confirm (1 or 2), or type again;
the numbered replies one key away (ctrl+l)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from simulator.call import Line
from simulator.freetext import Decision, Match, ScenarioMatcher
from simulator.freetext.engines import EngineError
from simulator.freetext.matcher import TEXT_MAX, matcher_for
from simulator.scenario import Scenario
from simulator.text import printable

__all__ = ["FreeTextPanel", "said_cell", "typed_notice"]


def typed_notice(line: Line) -> str | None:
    """What the conversation says under a typed reply: the reply it was heard as, or that it
    matched none (None for a reply picked from the list)."""
    if line.typed is None:
        return None
    if line.option is None:
        return "None of your replies matches that: the customer reacts to it."
    return f"Heard as reply: {line.text}"


def said_cell(line: Line | None, shown: str) -> str:
    """The scorecard's "You said" for a turn: a typed reply shows the words and the reply they
    were heard as (or that they matched none); a picked one its line (`shown`)."""
    if line is None or line.typed is None:
        return shown
    words = f"You typed \"{line.typed.text}\""
    if line.option is None:
        return f"{words}: it matched none of the replies."
    return f"{words}, heard as: {line.text}"


class FreeTextPanel(Vertical):
    """The rep types; Enter matches. Posts `Reply` with the match and, on a confirm, the
    authored option the rep confirmed."""

    DEFAULT_CSS = """
    FreeTextPanel { height: auto; border-top: hkey $primary; }
    FreeTextPanel > #freetext-note { color: $text-muted; padding: 0 1; height: auto; }
    FreeTextPanel > #freetext-ask { padding: 0 1; height: auto; display: none; }
    FreeTextPanel > #freetext-confirm { height: auto; max-height: 8; display: none; }
    FreeTextPanel.-confirming > #freetext-ask { display: block; }
    FreeTextPanel.-confirming > #freetext-confirm { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+l", "numbered", "Numbered replies"),
    ]

    class Reply(Message):
        """A typed reply to play: `option` is the authored position the rep confirmed (None:
        as the match decided)."""

        def __init__(self, match: Match, option: int | None = None) -> None:
            super().__init__()
            self.match, self.option = match, option

    def __init__(self, scenario: Scenario, uncounted: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.scenario = scenario
        self.uncounted = uncounted
        """An exam kept as uncalibrated-exam: the note says it does not count, and why."""
        self.matcher: ScenarioMatcher | None = None
        self.node = scenario.start
        self.pending: Match | None = None
        """The match the rep is asked to confirm (the uncertain band)."""
        self.replies: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Static("Preparing the matcher...", id="freetext-note")
        yield Static(id="freetext-ask")
        yield OptionList(id="freetext-confirm")
        yield Input(placeholder="Type your reply and press Enter  (ctrl+l: numbered replies)",
                    max_length=TEXT_MAX, id="freetext-input")

    def on_mount(self) -> None:
        self._prepare()

    @work(thread=True, exit_on_error=False)
    def _prepare(self) -> None:
        """The option vectors are computed once per scenario (off the screen's thread)."""
        try:
            matcher = matcher_for(self.scenario)
        except EngineError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._ready, matcher)

    def _ready(self, matcher: ScenarioMatcher) -> None:
        self.matcher = matcher
        note = ("Free text. Matching by spelling only (the fallback): install "
                "hotseat[freetext] for the multilingual model." if matcher.fallback else
                "Free text: type your reply in your own words.")
        if self.uncounted:
            note += (" This exam does not count for certification: the matcher is not "
                     "calibrated for it.")
        self.query_one("#freetext-note", Static).update(Text(note))
        if self.replies is None or not self.replies.display:
            self.query_one(Input).focus()

    def _failed(self, message: str) -> None:
        self.query_one("#freetext-note", Static).update(
            Text(f"Free text is not available: {printable(message)}. Use the numbered "
                 "replies (ctrl+l).", "bold"))
        self.action_numbered()

    # -- the call screen's side ---------------------------------------------------------------
    def new_turn(self, node: str, replies: Widget) -> None:
        """A new trainee turn at `node`: the input line, empty and focused; the numbered
        replies hidden again."""
        self.node, self.replies = node, replies
        self._stop_confirming()
        field = self.query_one(Input)
        field.value = ""
        replies.display = False
        field.focus()

    def pick(self, n: int) -> bool:
        """A number key: while confirming, 1 or 2 confirms that candidate (True: handled)."""
        if self.pending is None:
            return False
        closest = self.pending.closest
        if 1 <= n <= len(closest):
            self._confirm(closest[n - 1].option)
        return True

    # -- typing -------------------------------------------------------------------------------
    @on(Input.Submitted, "#freetext-input")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value
        if not text.strip():
            return
        if self.matcher is None:
            self.notify("The matcher is still being prepared: press Enter again in a moment.",
                        severity="warning", timeout=3, markup=False)
            return
        try:
            match = self.matcher.match(self.node, text)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", timeout=3, markup=False)
            return
        if match.decision == Decision.CONFIRM:
            self._ask(match)
        else:
            self.post_message(self.Reply(match))

    @on(Input.Changed, "#freetext-input")
    def retyping(self, event: Input.Changed) -> None:
        if self.pending is not None and event.value != self.pending.text:
            self._stop_confirming()  # typing again: the question is withdrawn

    def _ask(self, match: Match) -> None:
        self.pending = match
        options = self.scenario.nodes[self.node].options or []
        self.query_one("#freetext-ask", Static).update(Text.assemble(
            ("Did you mean one of these? ", "bold"),
            "Press 1 or 2 (or Enter on one), or type your reply again."))
        choices = self.query_one("#freetext-confirm", OptionList)
        choices.clear_options()
        choices.add_options([
            Option(Text.assemble((f"{n}  ", "bold"), printable(options[c.option - 1].say)),
                   id=f"confirm-{c.option}")
            for n, c in enumerate(match.closest, start=1)])
        choices.highlighted = 0
        self.add_class("-confirming")
        choices.focus()

    @on(OptionList.OptionSelected, "#freetext-confirm")
    def confirmed(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.pending is not None and event.option_index < len(self.pending.closest):
            self._confirm(self.pending.closest[event.option_index].option)

    def _confirm(self, option: int) -> None:
        match = self.pending
        self._stop_confirming()
        if match is not None:
            self.post_message(self.Reply(match, option))

    def _stop_confirming(self) -> None:
        self.pending = None
        self.remove_class("-confirming")

    def action_numbered(self) -> None:
        """The numbered replies, one key away: shown and focused (Tab comes back here)."""
        if self.replies is not None:
            self._stop_confirming()
            self.replies.display = True
            self.replies.focus()
