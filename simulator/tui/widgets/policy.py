"""The trainee's policy card: what they may and must not do on this call."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from simulator.scenario import Policy
from simulator.text import printable

__all__ = ["PolicyCard", "policy_text"]


def policy_text(policy: Policy) -> Text:
    text = Text()
    if policy.allows:
        text.append("You may\n", "bold")
        for item in policy.allows:
            text.append(f" + {printable(item)}\n")
    if policy.forbids:
        text.append("You must not\n", "bold")
        for item in policy.forbids:
            text.append(f" - {printable(item)}\n")
    if not policy.allows and not policy.forbids:
        text.append("No policy card for this call: use your judgement.", "italic")
    text.rstrip()
    return text


class PolicyCard(Static):
    """The policy card, bordered and titled."""

    DEFAULT_CSS = """
    PolicyCard { border: round $primary; padding: 0 1; height: auto; }
    """

    def __init__(self, policy: Policy, **kwargs: object) -> None:
        super().__init__(policy_text(policy), **kwargs)  # type: ignore[arg-type]
        self.border_title = "Policy card"
