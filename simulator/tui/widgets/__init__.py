"""Reusable widgets of the trainee's TUI."""

from .conversation import ConversationView
from .library import LibraryBrowser
from .meters import LevelLadder, MoodMeter, StepTracker
from .policy import PolicyCard, policy_text
from .replies import ReplyList

__all__ = [
    "ConversationView", "LevelLadder", "LibraryBrowser", "MoodMeter", "PolicyCard",
    "ReplyList", "StepTracker", "policy_text",
]
