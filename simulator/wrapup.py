"""The wrap-up: the complaint record a rep writes after a call, and its documentation mark.

The service rules (docs/domain.md, section 3, the complaint record) list what the record holds.
`WrapUpRecord` declares its fields once, with the label and hint a rep reads: the wrap-up screen,
the table in trainees.db, `replay` and the mark are all built from it. The mark compares the
record with the scenario's `facts` (complaint, cause, solution) and says how complete it is.
Pure: no UI, no database.

The mark, 0..100, is explainable to a rep:
- **coverage** (70 points when the scenario has facts): for each fact, the share of its key words
  the record mentions, where mentioning half of them counts as complete. A key word is a word of
  4+ letters that is not filler ("about", "customer", "merci", "graag"...); numbers, amounts,
  dates and order ids never count as facts (the letters of an id are too short to). Words match
  by their stem in the scenario's language (`locale`: English, French or Dutch, with the Snowball
  stemmers), whatever their accents or their British or American spelling: "charged" mentions
  "charges", "remboursé" mentions "remboursement". Each fact has its place in the record
  (FACT_PLACES): the complaint in the nature of the complaint; the cause there too (what went
  wrong) or in the prevention suggestion (what caused it is what to prevent); the solution in the
  agreed solution, the steps taken now or the compensation.
- **completeness** (30 points, or all 100 with no facts): every field the record has, each
  written: the nature of the complaint, the agreed solution, a promised date unless it was done
  on the spot, the steps taken now, a follow-up, the compensation given ("none" is an answer),
  a prevention suggestion.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

__all__ = ["FACT_PLACES", "LANGUAGES", "RECORD_FIELDS", "DocumentationMark", "FactMatch",
           "RecordField", "WrapUpRecord", "documentation_mark", "key_words"]


def _field(label: str, hint: str = "", missing: str = "", *, required: bool = False) -> Any:
    """A record field: its label, the hint shown in the empty box, and how the mark names it
    when it is left empty (no `missing`: an empty field costs nothing)."""
    meta = {"label": label, "hint": hint, "missing": missing}
    return field(metadata=meta) if required else field(default=None, metadata=meta)


@dataclass(frozen=True)
class WrapUpRecord:
    """The complaint record (docs/domain.md, section 3), as the rep fills it after the call.

    The customer, the employee and the dates are the call's own; these are the rest.
    """

    complaint: str = _field("Nature of the complaint", "what went wrong, with order numbers",
                            "the nature of the complaint", required=True)
    solution: str = _field("Agreed solution", "what you and the customer agreed",
                           "the agreed solution", required=True)
    done_on_spot: bool = _field("Done on the spot", "carried out during the call",
                                required=True)
    promised_for: str | None = _field(
        "If not, promised for", "date and time the fix is promised for",
        "when the solution is promised for")
    """When the solution was promised, if not carried out on the spot."""
    steps_now: str | None = _field("Steps taken now", "what is being done now, and by whom")
    follow_up: str | None = _field(
        "Follow-up", "date and time you check the customer is satisfied", "a follow-up")
    """The date of the follow-up that checks the customer is satisfied."""
    compensation: str | None = _field(
        "Compensation given", "voucher, credit, refund of fees... or none")
    prevention: str | None = _field(
        "To prevent it", "a suggestion so it does not happen again", "a suggestion to prevent it")
    documentation: int | None = _field("Documentation mark")
    """0..100: how well the record matches the scenario's facts (documentation_mark)."""


@dataclass(frozen=True)
class RecordField:
    """One field of the record as a rep meets it."""

    name: str
    label: str
    hint: str
    missing: str
    flag: bool
    """A yes/no field (a checkbox), not text."""


RECORD_FIELDS: tuple[RecordField, ...] = tuple(
    RecordField(f.name, f.metadata["label"], f.metadata["hint"], f.metadata["missing"],
                f.name == "done_on_spot")
    for f in fields(WrapUpRecord) if f.name != "documentation")
"""The fields the rep writes, in the order of the form."""

FILLER = frozenset([
    "about", "after", "again", "also", "been", "before", "being", "both", "could", "does", "doing",
    "done", "from", "have", "having", "here", "into", "just", "like", "made", "make", "more",
    "most", "much", "need", "only", "other", "over", "same", "some", "such", "than", "that",
    "their", "them", "then", "there", "these", "they", "this", "those", "through", "very", "want",
    "were", "what", "when", "where", "which", "while", "will", "with", "would", "your", "yours",
    "customer", "customers", "please", "thanks", "thank", "sorry", "really",
])

# the library also speaks French and Dutch (locale fr, nl): their filler words carry no fact either
FILLER = FILLER | frozenset([
    "avec", "dans", "pour", "vous", "votre", "vos", "nous", "notre", "nos", "leur", "leurs",
    "cette", "sont", "mais", "plus", "être", "avoir", "aussi", "très", "tout", "tous", "fait",
    "comme", "elle", "elles", "sans", "sous", "chez", "merci", "bien", "alors", "donc",
    "voor", "niet", "maar", "heeft", "hebben", "wordt", "worden", "zijn", "naar", "deze",
    "onze", "door", "over", "meer", "wilt", "graag", "bedankt", "omdat", "want", "toch", "alleen",
])

LANGUAGES = {"en": "english", "fr": "french", "nl": "dutch"}
"""The locales whose words match by their stem (Snowball); any other matches words as written."""

FACT_PLACES: dict[str, tuple[str, ...]] = {
    "complaint": ("complaint",),
    "cause": ("complaint", "prevention"),
    "solution": ("solution", "steps_now", "compensation"),
}
"""Where in the record each fact is looked for."""

MIN_LETTERS = 4
LETTERS = re.compile(r"[^\W\d_]+")
"""A run of letters in any script: digits, and so numbers, amounts and ids, are never words."""
AMERICAN = re.compile(r"(?<=[a-z]{3})iz(?=(?:e|es|ed|ing|ation|ations|er|ers)$)")


def _fold(word: str) -> str:
    """Without accents: a record typed without them still mentions the fact."""
    return "".join(c for c in unicodedata.normalize("NFKD", word)
                   if not unicodedata.combining(c))


@lru_cache(maxsize=8)
def _stemmer(locale: str) -> Callable[[str], str]:
    """The stem of a lowercase word in the locale's language (`en-GB` is English)."""
    language = LANGUAGES.get(locale.lower().replace("_", "-").split("-")[0])
    if language is None:
        return _fold
    import snowballstemmer  # here: its 30 languages are not loaded with the TUI (issue 12)

    stemmer = snowballstemmer.stemmer(language)
    if language == "english":  # authorize, authorise: one word
        return lambda word: _fold(stemmer.stemWord(AMERICAN.sub("is", word)))
    return lambda word: _fold(stemmer.stemWord(word))


@lru_cache(maxsize=8)
def _filler(locale: str) -> frozenset[str]:
    stem = _stemmer(locale)
    return frozenset(FILLER) | frozenset(stem(w) for w in FILLER)


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


def _key_words(text: str | None, locale: str) -> dict[str, str]:
    """stem -> the word as written, for the words of a text that carry its meaning, in order."""
    stem, filler = _stemmer(locale), _filler(locale)
    out: dict[str, str] = {}
    for word in LETTERS.findall((text or "").lower()):
        if len(word) < MIN_LETTERS or word in filler:
            continue
        key = stem(word)
        if key not in filler:
            out.setdefault(key, word)
    return out


def key_words(text: str | None, locale: str = "en") -> list[str]:
    """The words of a text that carry its meaning, stemmed, in order, each once."""
    return list(_key_words(text, locale))


def _text(record: Any, *fields: str) -> str:
    return " ".join(str(getattr(record, f, None) or "") for f in fields)


def _match(name: str, fact: str, written: str, locale: str) -> FactMatch:
    wanted = _key_words(fact, locale)
    stem = _stemmer(locale)
    have = {stem(word) for word in LETTERS.findall(written.lower())}
    found = tuple(word for key, word in wanted.items() if key in have)
    missing = tuple(word for key, word in wanted.items() if key not in have)
    need = max(1, math.ceil(len(wanted) / 2))
    return FactMatch(name, min(1.0, len(found) / need), found, missing)


def _missing_name(f: RecordField) -> str:
    return f.missing or f"the {f.label.lower()}"


def documentation_mark(record: WrapUpRecord, facts: Any, locale: str = "en") -> DocumentationMark:
    """Mark a wrap-up record against a scenario's facts, in the scenario's language."""
    counted = [f for f in RECORD_FIELDS if not f.flag]  # every field the rep writes
    missing_fields = [
        _missing_name(f) for f in counted
        if not _text(record, f.name).strip()
        and not (f.name == "promised_for" and record.done_on_spot)]  # done: nothing to promise
    counted_now = [f for f in counted
                   if not (f.name == "promised_for" and record.done_on_spot)]
    complete = 1 - len(missing_fields) / len(counted_now)

    matches = tuple(
        _match(name, getattr(facts, name), _text(record, *FACT_PLACES[name]), locale)
        for name in FACT_PLACES
        if facts is not None and getattr(facts, name, None)
        and key_words(getattr(facts, name), locale))
    if not matches:
        return DocumentationMark(round(100 * complete), (), tuple(missing_fields))
    coverage = sum(m.score for m in matches) / len(matches)
    return DocumentationMark(round(70 * coverage + 30 * complete), matches, tuple(missing_fields))
