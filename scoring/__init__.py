"""Hotseat's scorer: pure functions from a call's facts and a rubric to a scorecard.

Imports nothing of `simulator`, no UI and no database. The names below are imported from their
modules on first use (PEP 562), so `scoring.vocabulary` alone costs no pydantic or YAML.
"""

from typing import TYPE_CHECKING

from .lazy import lazy_names

if TYPE_CHECKING:
    from .model import CallFacts, Scorecard, ScoreEvent, TurnFacts
    from .rubric import Rubric, RubricError, default_rubric, load_rubric
    from .scorer import score
    from .vocabulary import DIMENSIONS, STEPS

__all__ = [
    "DIMENSIONS", "STEPS", "CallFacts", "Rubric", "RubricError", "ScoreEvent", "Scorecard",
    "TurnFacts", "default_rubric", "load_rubric", "score",
]

_HOME = {"CallFacts": "model", "Scorecard": "model", "ScoreEvent": "model", "TurnFacts": "model",
         "Rubric": "rubric", "RubricError": "rubric", "default_rubric": "rubric",
         "load_rubric": "rubric", "score": "scorer", "DIMENSIONS": "vocabulary",
         "STEPS": "vocabulary"}


__getattr__ = lazy_names(globals(), _HOME)
