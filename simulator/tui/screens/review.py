"""A supervisor's review of a call: a comment (on one turn or the whole call) and an override of
its pass or fail, each written to the call's append-only review log (simulator.db.reviews).

Each dialog writes its entry itself, on the database thread, and dismisses with it; a refusal or
a bad entry (empty, too long, nothing to override) is shown in the dialog, and nothing is
written. The database checks who may review the call, whatever the screen offered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from ..store import Store
from ..widgets.safe import PlainInput, line, plain

if TYPE_CHECKING:
    from simulator.db import ReviewEntry

__all__ = ["TEXT_MAX", "CommentDialog", "OverrideDialog", "failure_text"]

TEXT_MAX = 4000
"""The longest comment or reason (simulator.db.reviews.TEXT_MAX, kept here so that this module
loads without the database layer)."""


def failure_text(exc: BaseException, what: str) -> str:
    """A failed read or write in one plain sentence: a refusal or a bad entry says itself."""
    from simulator.errors import HotseatError
    if isinstance(exc, HotseatError):
        return str(exc)
    from simulator.db.health import why
    return f"{what}: {why(exc)}"


class _ReviewDialog(ModalScreen["ReviewEntry | None"]):
    """A one-line text to write into the review log; ctrl+s or Enter saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    SAVE = "Save"
    EMPTY = "Write something first."
    PLACEHOLDER = ""

    def __init__(self, store: Store, call_id: int) -> None:
        super().__init__()
        self.store, self.call_id = store, call_id

    def heading(self) -> Text:
        raise NotImplementedError

    def write(self, engine: Any, viewer: Any, text: str) -> ReviewEntry:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog review-dialog"):
            yield Static(self.heading(), classes="question")
            yield PlainInput(placeholder=self.PLACEHOLDER, max_length=TEXT_MAX,
                             id="review-text")
            yield Static("", id="review-error")
            yield Static(Text("Kept as written, with your name and the time: the review log is "
                              "never edited, only added to.", "dim"), classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(line(f"{self.SAVE}  ctrl+s"), id="save", variant="primary")
                yield Button(Text("Cancel  esc"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#review-error").display = False
        self.query_one("#review-text", Input).focus()

    def failed(self, message: str) -> None:
        error = self.query_one("#review-error", Static)
        error.update(plain(message, "bold"))
        error.display = True
        for button in self.query(Button):
            button.disabled = False

    @on(Input.Submitted, "#review-text")
    def submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save() if event.button.id == "save" else self.action_cancel()

    def action_save(self) -> None:
        text = self.query_one("#review-text", Input).value
        if not text.strip():
            self.failed(self.EMPTY)
            return
        for button in self.query(Button):
            button.disabled = True
        self.save(text)

    @work(thread=True, exclusive=True, group="review-write")
    def save(self, text: str) -> None:
        try:
            entry = self.store.ask(lambda engine, viewer: self.write(engine, viewer, text))
        except Exception as exc:  # a refusal, a bad entry, a failed write: said in the dialog
            self.app.call_from_thread(self.failed, failure_text(exc, "Not saved"))
            return
        self.app.call_from_thread(self.dismiss, entry)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CommentDialog(_ReviewDialog):
    """A comment on one of the rep's turns (`turn`) or on the whole call (turn None)."""

    SAVE = "Save comment"
    EMPTY = "Write the comment first: an empty comment is not kept."
    PLACEHOLDER = "Your comment: the trainee reads it with the call"

    def __init__(self, store: Store, call_id: int, turn: int | None = None,
                 said: str | None = None) -> None:
        """`said`: the rep's line on that turn, quoted above the box."""
        super().__init__(store, call_id)
        self.turn, self.said = turn, said

    def heading(self) -> Text:
        where = f"turn {self.turn}" if self.turn is not None else "the whole call"
        text = Text(f"Comment on {where} of call {self.call_id}", "bold")
        if self.said:
            text.append("\nThe rep said: ", "dim")
            text.append_text(line(self.said[:200], "italic"))
        return text

    def write(self, engine: Any, viewer: Any, text: str) -> ReviewEntry:
        from simulator.db.reviews import add_comment
        return add_comment(engine, viewer, self.call_id, text, turn=self.turn)


class OverrideDialog(_ReviewDialog):
    """Override the call's pass or fail to the other verdict, with a reason (required). The
    scorer's result stays beside it; the latest override stands."""

    EMPTY = "A reason is required: say why the call should stand as {verdict}."
    PLACEHOLDER = "Why (required): the trainee and the reports read it"

    def __init__(self, store: Store, call_id: int, automatic: bool,
                 standing: ReviewEntry | None = None) -> None:
        """`automatic`: the scorer's pass (True) or fail; `standing`: the override that
        stands, if any. The dialog overrides to the other verdict than the one standing."""
        super().__init__(store, call_id)
        self.automatic, self.standing = automatic, standing
        now = bool(standing.verdict) if standing is not None else automatic
        self.verdict = not now
        self.SAVE = f"Override to {self.word(self.verdict)}"
        self.EMPTY = self.EMPTY.format(verdict=self.word(self.verdict))

    @staticmethod
    def word(passed: bool) -> str:
        return "passed" if passed else "failed"

    def heading(self) -> Text:
        text = Text(f"Override call {self.call_id} to {self.word(self.verdict).upper()}",
                    "bold")
        text.append(f"\nThe scorer's result: {self.word(self.automatic)}.")
        if self.standing is not None:
            text.append(f" It stands as {self.word(bool(self.standing.verdict))} by an "
                        "override of ")
            text.append_text(line(self.standing.made_by))
            text.append(f", {self.standing.made_at:%Y-%m-%d %H:%M} UTC.")
        text.append("\nThe scorer's result is kept beside yours; the latest override stands.",
                    "dim")
        return text

    def write(self, engine: Any, viewer: Any, text: str) -> ReviewEntry:
        from simulator.db.certificates import certify_overridden
        from simulator.db.reviews import override
        entry = override(engine, viewer, self.call_id, self.verdict, text)
        try:  # an exam now passed may complete a track: stored as after an exam call
            earned = certify_overridden(engine, self.call_id, self.store.certification_tracks(),
                                        self.store.scenarios)
        except Exception as exc:  # the override is kept; `hotseat certify` stores it later
            self.app.call_from_thread(self.app.notify, failure_text(
                exc, "The override is kept; its certificate was not stored (hotseat certify)"),
                severity="warning", markup=False)
            return entry
        for cert in earned:
            self.app.call_from_thread(
                self.app.notify, f"Certificate stored: {cert.track_id}, valid until "
                f"{cert.valid_until:%Y-%m-%d}", markup=False)
        return entry
