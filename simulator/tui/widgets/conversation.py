"""The conversation as it unfolds: customer and rep told apart by side, label and colour."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from scoring import ScoreEvent
from simulator.text import printable

__all__ = ["ConversationView"]


class ConversationView(VerticalScroll):
    """Customer lines on the left, the rep's on the right, the coach's notes under a reply.

    Every line is Text made printable (simulator.text): shown literally, never as markup."""

    DEFAULT_CSS = """
    ConversationView { height: 1fr; padding: 0 1; }
    ConversationView > .line { height: auto; padding: 0 1; }
    ConversationView > .customer { border-left: thick $warning; margin: 1 8 0 0; }
    ConversationView > .rep { border-right: thick $primary; margin: 1 0 0 8; text-align: right; }
    ConversationView > .coach { border-left: outer $success; margin: 0 0 0 8;
                                color: $text-muted; }
    ConversationView > .notice { border: round $error; text-align: center; text-style: bold;
                                 margin-top: 1; }
    ConversationView > .notice.-ok { border: round $success; }
    """

    can_focus = False

    def __init__(self, customer_name: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.customer_name = printable(customer_name, keep_newlines=False)

    def _add(self, text: Text, *classes: str) -> Static:
        line = Static(text, classes=" ".join(("line", *classes)))
        self.mount(line)
        self.scroll_end(animate=False)
        return line

    def add_customer(self, text: str) -> Static:
        return self._add(Text.assemble((f"{self.customer_name}\n", "bold"), printable(text)),
                         "customer")

    def add_rep(self, text: str, turn: int) -> Static:
        return self._add(Text.assemble((f"You, reply {turn}\n", "bold"), printable(text)),
                         "rep")

    def add_coach(self, feedback: str | None, events: list[ScoreEvent]) -> Static | None:
        text = Text()
        if feedback:
            text.append("Coach: ", "bold")
            text.append(printable(feedback))
        for e in events:
            if text:
                text.append("\n")
            text.append(f"{e.points:+d} {e.dimension}", "bold")
            text.append(f"  {printable(e.reason)}")
        return self._add(text, "coach") if text else None

    def add_notice(self, text: str, ok: bool = False) -> Static:
        return self._add(Text(printable(text)), "notice", "-ok" if ok else "")
