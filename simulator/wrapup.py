"""The wrap-up's documentation mark: how well a rep's complaint record matches the case.

domain.md, section 3 lists what a complaint record holds. After a call the rep writes one; this
module compares it with the scenario's `facts` (complaint, cause, solution) and says how complete
it is. Pure functions: no UI, no database. The record is read by attribute, so any object with
the wrap-up's fields works (the database's `WrapUpRecord`, a dataclass in a test).

The mark, 0..100, is explainable to a rep:
- **coverage** (70 points when the scenario has facts): for each fact, the share of its key words
  (numbers, order ids and words of 4+ letters that are not filler) the record mentions, where
  mentioning half of them counts as complete. The complaint is looked for in the record's
  complaint; the solution in the solution and compensation; the cause anywhere in the record.
- **completeness** (30 points, or all 100 with no facts): the nature of the complaint, the agreed
  solution, "done on the spot" or a promised date, a follow-up, a prevention suggestion.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["DocumentationMark", "FactMatch", "documentation_mark", "key_words"]

FILLER = frozenset(["about", "after", "again", "also", "been", "before", "being", "both", "could", "does", "doing", "done", "from", "have", "having", "here", "into", "just", "like", "made", "make", "more", "most", "much", "need", "only", "other", "over", "same", "some", "such", "than", "that", "their", "them", "then", "there", "these", "they", "this", "those", "through", "very", "want", "were", "what", "when", "where", "which", "while", "will", "with", "would", "your", "yours", "customer", "customers", "please", "thanks", "thank", "sorry", "really"])

# the library also speaks French and Dutch (locale fr, nl): their filler words carry no fact either
FILLER = FILLER | frozenset([
    "avec", "dans", "pour", "vous", "votre", "vos", "nous", "notre", "nos", "leur", "leurs",
    "cette", "sont", "mais", "plus", "être", "avoir", "aussi", "très", "tout", "tous", "fait",
    "comme", "elle", "elles", "sans", "sous", "chez", "merci", "bien", "alors", "donc",
    "voor", "niet", "maar", "heeft", "hebben", "wordt", "worden", "zijn", "naar", "deze",
    "onze", "door", "over", "meer", "wilt", "graag", "bedankt", "omdat", "want", "toch", "alleen",
])

WORD = re.compile(r"[a-z0-9][a-z0-9$.\-/]*[a-z0-9]|[0-9]")


@dataclass(frozen=True)
class FactMatch:
    name: str  # complaint | cause | solution
    score: float  # 0..1
    found: tuple[str, ...]
    """The fact's key words the record mentions, as the fact writes them."""
    missing: tuple[str, ...]


@dataclass(frozen=True)
class DocumentationMark:
    mark: int
    facts: tuple[FactMatch, ...]
    missing_fields: tuple[str, ...]
    """Fields of the record left empty, in plain words."""


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _key_words(text: str | None) -> dict[str, str]:
    """stem -> the word as written, for the words of a text that carry its meaning, in order."""
    out: dict[str, str] = {}
    for raw in WORD.findall((text or "").lower()):
        word = raw.strip(".-/")
        has_digit = any(c.isdigit() for c in word)
        if not has_digit and (len(word) < 4 or word in FILLER):
            continue
        out.setdefault(word if has_digit else _stem(word), word)
    return out


def key_words(text: str | None) -> list[str]:
    """The words of a text that carry its meaning, stemmed, in order, each once."""
    return list(_key_words(text))


def _text(record: Any, *fields: str) -> str:
    return " ".join(str(getattr(record, f, None) or "") for f in fields)


def _mentions(stem: str, have: set[str]) -> bool:
    """`lane-4` is mentioned by "lane 4" too, and "lane 4" by `lane-4`."""
    return stem in have or ("-" in stem and all(p in have for p in stem.split("-") if p))


def _match(name: str, fact: str, written: str) -> FactMatch:
    wanted = _key_words(fact)
    have = set(_key_words(written))
    words = {w.strip(".-/") for w in WORD.findall(written.lower())}
    have |= {p for w in words for p in (w, _stem(w), *w.split("-")) if p}
    found = tuple(word for stem, word in wanted.items() if _mentions(stem, have))
    missing = tuple(word for stem, word in wanted.items() if not _mentions(stem, have))
    need = max(1, math.ceil(len(wanted) / 2))
    return FactMatch(name, min(1.0, len(found) / need), found, missing)


ALL_FIELDS = ("complaint", "solution", "promised_for", "steps_now", "follow_up", "compensation",
              "prevention")


def documentation_mark(record: Any, facts: Any) -> DocumentationMark:
    """Mark a wrap-up record (any object with the wrap-up fields) against a scenario's facts."""
    missing_fields = []
    if not _text(record, "complaint").strip():
        missing_fields.append("the nature of the complaint")
    if not _text(record, "solution").strip():
        missing_fields.append("the agreed solution")
    if not getattr(record, "done_on_spot", False) and not _text(record, "promised_for").strip():
        missing_fields.append("when the solution is promised for")
    if not _text(record, "follow_up").strip():
        missing_fields.append("a follow-up")
    if not _text(record, "prevention").strip():
        missing_fields.append("a suggestion to prevent it")
    complete = 1 - len(missing_fields) / 5

    where = {"complaint": ("complaint",), "cause": ALL_FIELDS,
             "solution": ("solution", "compensation")}
    matches = tuple(
        _match(name, getattr(facts, name), _text(record, *where[name]))
        for name in ("complaint", "cause", "solution")
        if facts is not None and getattr(facts, name, None) and key_words(getattr(facts, name)))
    if not matches:
        return DocumentationMark(round(100 * complete), (), tuple(missing_fields))
    coverage = sum(m.score for m in matches) / len(matches)
    return DocumentationMark(round(70 * coverage + 30 * complete), matches, tuple(missing_fields))
