"""The screens of the trainee's TUI. Each gets its data through __init__."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .briefing import BriefingScreen
from .call import CallEnd, CallScreen
from .dialogs import ConfirmDialog, PolicyDialog, UnsavedDialog
from .home import HomeScreen
from .scorecard import ScorecardScreen
from .wrapup import WrapUpScreen

if TYPE_CHECKING:
    from .calibration import AgreementScreen, BlindScoreScreen, CalibrationScreen
    from .playtest import PlaytestScreen, TreeDialog, start_playtest
    from .replay import CallsScreen, ReplayScreen
    from .review import CommentDialog, OverrideDialog
    from .trainer import TrainerScreen

LATER = {
    "AgreementScreen": "calibration", "BlindScoreScreen": "calibration",
    "CalibrationScreen": "calibration", "PlaytestScreen": "playtest", "TreeDialog": "playtest",
    "start_playtest": "playtest", "CallsScreen": "replay", "ReplayScreen": "replay",
    "CommentDialog": "review", "OverrideDialog": "review", "TrainerScreen": "trainer",
}
"""Screens imported at first use, not before the home's first paint (they import the database
layer or big libraries: issue 12). Add a screen that the home does not show here."""


def __getattr__(name: str) -> Any:
    if name in LATER:
        return getattr(import_module(f".{LATER[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "AgreementScreen", "BlindScoreScreen", "CalibrationScreen", "CallsScreen", "CommentDialog",
    "OverrideDialog", "ReplayScreen",
    "BriefingScreen", "CallEnd", "CallScreen", "ConfirmDialog", "HomeScreen", "PolicyDialog",
    "ScorecardScreen", "UnsavedDialog", "WrapUpScreen",
    "PlaytestScreen", "TrainerScreen", "TreeDialog", "start_playtest",
]
