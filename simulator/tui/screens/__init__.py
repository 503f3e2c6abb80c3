"""The screens of the trainee's TUI. Each gets its data through __init__.

Only the home is imported with the package: every other screen is imported from its module on
first use (PEP 562), since the call's screens import the scenario models, the state machine and
the scorer, and the staff's the database layer, none of which the home's first paint needs
(issue 12). Add a new screen to LATER.
"""

from typing import TYPE_CHECKING

from scoring.lazy import lazy_names

from .home import HomeScreen

if TYPE_CHECKING:
    from .briefing import BriefingScreen
    from .calibration import AgreementScreen, BlindScoreScreen, CalibrationScreen
    from .call import CallEnd, CallScreen
    from .dialogs import ConfirmDialog, PolicyDialog, UnsavedDialog
    from .playtest import PlaytestScreen, TreeDialog, start_playtest
    from .replay import CallsScreen, ReplayScreen
    from .review import CommentDialog, OverrideDialog
    from .scorecard import ScorecardScreen
    from .trainer import TrainerScreen
    from .wrapup import WrapUpScreen

LATER = {
    "BriefingScreen": "briefing", "CallEnd": "call", "CallScreen": "call",
    "ConfirmDialog": "dialogs", "PolicyDialog": "dialogs", "UnsavedDialog": "dialogs",
    "ScorecardScreen": "scorecard", "WrapUpScreen": "wrapup",
    "AgreementScreen": "calibration", "BlindScoreScreen": "calibration",
    "CalibrationScreen": "calibration", "PlaytestScreen": "playtest", "TreeDialog": "playtest",
    "start_playtest": "playtest", "CallsScreen": "replay", "ReplayScreen": "replay",
    "CommentDialog": "review", "OverrideDialog": "review", "TrainerScreen": "trainer",
}
"""Screens imported at first use, not before the home's first paint (they import the scenario
models, the call engine, the database layer or big libraries: issue 12)."""


__getattr__ = lazy_names(globals(), LATER)


__all__ = [
    "AgreementScreen", "BlindScoreScreen", "CalibrationScreen", "CallsScreen", "CommentDialog",
    "OverrideDialog", "ReplayScreen",
    "BriefingScreen", "CallEnd", "CallScreen", "ConfirmDialog", "HomeScreen", "PolicyDialog",
    "ScorecardScreen", "UnsavedDialog", "WrapUpScreen",
    "PlaytestScreen", "TrainerScreen", "TreeDialog", "start_playtest",
]
