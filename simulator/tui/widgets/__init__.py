"""Reusable widgets of the trainee's TUI.

Each is imported from its module on first use (PEP 562): the home imports the library's table
alone, not the call's widgets and the scenario models behind them (issue 12)."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .conversation import ConversationView
    from .library import LibraryBrowser
    from .meters import LevelLadder, MoodMeter, StepTracker
    from .policy import PolicyCard, policy_text
    from .replies import ReplyList

__all__ = [
    "ConversationView", "LevelLadder", "LibraryBrowser", "MoodMeter", "PolicyCard",
    "ReplyList", "StepTracker", "policy_text",
]

_HOME = {"ConversationView": "conversation", "LibraryBrowser": "library",
         "LevelLadder": "meters", "MoodMeter": "meters", "StepTracker": "meters",
         "PolicyCard": "policy", "policy_text": "policy", "ReplyList": "replies"}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
