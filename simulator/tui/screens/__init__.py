"""The screens of the trainee's TUI. Each gets its data through __init__."""

from .briefing import BriefingScreen
from .calibration import AgreementScreen, BlindScoreScreen, CalibrationScreen
from .call import CallEnd, CallScreen
from .dialogs import ConfirmDialog, PolicyDialog, UnsavedDialog
from .home import HomeScreen
from .playtest import PlaytestScreen, TreeDialog, start_playtest
from .replay import CallsScreen, ReplayScreen
from .review import CommentDialog, OverrideDialog
from .scorecard import ScorecardScreen
from .trainer import TrainerScreen
from .wrapup import WrapUpScreen

__all__ = [
    "AgreementScreen", "BlindScoreScreen", "CalibrationScreen", "CallsScreen", "CommentDialog",
    "OverrideDialog", "ReplayScreen",
    "BriefingScreen", "CallEnd", "CallScreen", "ConfirmDialog", "HomeScreen", "PolicyDialog",
    "ScorecardScreen", "UnsavedDialog", "WrapUpScreen",
    "PlaytestScreen", "TrainerScreen", "TreeDialog", "start_playtest",
]
