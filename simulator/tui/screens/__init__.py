"""The screens of the trainee's TUI. Each gets its data through __init__."""

from .briefing import BriefingScreen
from .call import CallEnd, CallScreen
from .dialogs import ConfirmDialog, PolicyDialog, UnsavedDialog
from .home import HomeScreen
from .scorecard import ScorecardScreen
from .wrapup import WrapUpScreen

__all__ = [
    "BriefingScreen", "CallEnd", "CallScreen", "ConfirmDialog", "HomeScreen", "PolicyDialog",
    "ScorecardScreen", "UnsavedDialog", "WrapUpScreen",
]
