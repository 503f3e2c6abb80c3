"""Hotseat's scorer: pure functions from a call's facts and a rubric to a scorecard.

Imports nothing of `simulator`, no UI and no database.
"""

from .model import CallFacts, Scorecard, ScoreEvent, TurnFacts
from .rubric import Rubric, RubricError, default_rubric, load_rubric
from .scorer import score
from .vocabulary import DIMENSIONS, STEPS

__all__ = [
    "DIMENSIONS", "STEPS", "CallFacts", "Rubric", "RubricError", "ScoreEvent", "Scorecard",
    "TurnFacts", "default_rubric", "load_rubric", "score",
]
