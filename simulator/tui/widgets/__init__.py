"""Reusable widgets of the trainee's TUI.

Each is imported from its module on first use (PEP 562): the home imports the library's table
alone, not the call's widgets and the scenario models behind them (issue 12)."""

from typing import TYPE_CHECKING

from scoring.lazy import lazy_names

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


__getattr__ = lazy_names(globals(), _HOME)
