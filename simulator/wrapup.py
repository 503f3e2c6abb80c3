"""The wrap-up: the complaint record a rep writes after a call, and its documentation mark.

The service rules (docs/domain.md, section 3, the complaint record) list what the record holds.
`WrapUpRecord` declares its fields once, with the label and hint a rep reads: the wrap-up screen,
the table in trainees.db, `replay` and the mark are all built from it. The mark compares the
record with the scenario's `facts` (complaint, cause, solution) and says how complete it is.
Pure: no UI, no database.

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
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = ["RECORD_FIELDS", "DocumentationMark", "FactMatch", "RecordField", "WrapUpRecord",
           "documentation_mark", "key_words"]


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


def documentation_mark(record: WrapUpRecord, facts: Any) -> DocumentationMark:
    """Mark a wrap-up record against a scenario's facts."""
    counted = [f for f in RECORD_FIELDS if f.missing]
    missing_fields = [
        f.missing for f in counted
        if not _text(record, f.name).strip()
        and not (f.name == "promised_for" and record.done_on_spot)]  # done: nothing to promise
    complete = 1 - len(missing_fields) / len(counted)

    text_fields = tuple(f.name for f in RECORD_FIELDS if not f.flag)
    where = {"complaint": ("complaint",), "cause": text_fields,
             "solution": ("solution", "compensation")}
    matches = tuple(
        _match(name, getattr(facts, name), _text(record, *where[name]))
        for name in ("complaint", "cause", "solution")
        if facts is not None and getattr(facts, name, None) and key_words(getattr(facts, name)))
    if not matches:
        return DocumentationMark(round(100 * complete), (), tuple(missing_fields))
    coverage = sum(m.score for m in matches) / len(matches)
    return DocumentationMark(round(70 * coverage + 30 * complete), matches, tuple(missing_fields))
