"""What the login and the password dialog share: a form checked by the database on a worker,
one check at a time, its answer said in one plain line (widgets.safe.Saying)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.widgets import Button

from ..widgets.safe import Saying

__all__ = ["CheckedForm"]

if TYPE_CHECKING:
    from textual.screen import Screen

    _Screen = Screen[Any]
else:  # a mixin: each form keeps its own kind of screen (a ModalScreen's CSS comes first)
    _Screen = object


class CheckedForm(_Screen):
    """Mixed into a screen with a submit button (SUBMIT) and a line that says how it went
    (SAYING). While a check runs (`checking`), the button is disabled and the line says
    "Checking…"; a refusal gives both back, with why."""

    SUBMIT: ClassVar[str]
    """The submit button's selector."""
    SAYING: ClassVar[str]
    """The selector of the form's Saying."""

    def __init__(self) -> None:
        super().__init__()
        self.checking = False

    def start_checking(self) -> None:
        self.checking = True
        self.query_one(self.SUBMIT, Button).disabled = True
        self.say("Checking…", error=False)

    def stop_checking(self, message: str) -> None:
        """The check refused: the button is back, and the line says why."""
        self.checking = False
        self.query_one(self.SUBMIT, Button).disabled = False
        self.say(message)

    def say(self, message: str, *, error: bool = True) -> None:
        self.query_one(self.SAYING, Saying).say(message, error=error)

    @property
    def message(self) -> str:
        """What the form says now (for tests and the served page)."""
        return self.query_one(self.SAYING, Saying).said
