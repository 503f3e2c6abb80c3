"""The wrap-up's documentation mark (simulator/wrapup.py): named cases."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from simulator.scenario import Facts
from simulator.wrapup import FACT_PLACES, RECORD_FIELDS, documentation_mark, key_words


@dataclass
class Record:
    complaint: str = ""
    solution: str = ""
    done_on_spot: bool = False
    promised_for: str | None = None
    steps_now: str | None = None
    follow_up: str | None = None
    compensation: str | None = None
    prevention: str | None = None


FACTS = Facts(complaint="Charged twice for order 4471",
              cause="The card terminal retried a timed-out authorisation",
              solution="Refund the duplicate charge; it shows within 3-5 business days")
FULL = Record("Charged twice, order 4471", "Refund of the duplicate charge, 3-5 business days",
              True, None, "Refund sent to the card today", "Call on Monday", "none",
              "Terminal retried a timed-out authorisation")

# (name, text, locale, its key words: stems, in order, each once)
KEY_WORDS = [
    ("numbers, amounts, dates and ids are never facts",
     "Order BL-20417 for $129.99 on 3-5 May, ref CX-20931, at 14:30", "en", ["order"]),
    ("filler and short words dropped", "It was with the customer, thanks", "en", []),
    ("stemmed once each", "charges charged charging", "en", ["charg"]),
    ("British and American spelling are one word", "authorisation authorization authorized",
     "en", ["authoris"]),
    ("French words by their French stem", "Remboursement pour votre commande 4471 avec nous",
     "fr", ["rembours", "command"]),
    ("French accents do not matter", "débité debite", "fr", ["debit"]),
    ("Dutch words by their Dutch stem",
     "Terugbetaling voor uw bestelling 4471, niet door de bank", "nl",
     ["terugbetaal", "bestel", "bank"]),
    ("a regional locale is its language", "remboursements remboursé", "fr-BE", ["rembours"]),
    ("an unknown locale matches words as written", "charges charged", "de",
     ["charges", "charged"]),
]


@pytest.mark.parametrize(("text", "locale", "expected"), [c[1:] for c in KEY_WORDS],
                         ids=[c[0] for c in KEY_WORDS])
def test_key_words(text: str, locale: str, expected: list[str]) -> None:
    assert key_words(text, locale) == expected


MARKS = [
    ("a full record scores 100", FULL, FACTS, 100),
    ("an empty record scores 0", Record(), FACTS, 0),
    ("no facts: completeness alone", FULL, Facts(), 100),
    # 7 fields to write; 2 of them written
    ("no facts, two of seven filled", Record("x", "y"), Facts(), 29),
    # done on the spot: nothing to promise, 6 fields; 5 written
    ("facts, fields but wrong words", Record("rude staff", "apology", True, None, None, "monday",
                                             "none", "training"), FACTS, 25),
    ("a promised date stands in for on the spot", replace(FULL, done_on_spot=False,
                                                         promised_for="Friday"), FACTS, 100),
    ("every field the record has is scored: the steps taken now",
     replace(FULL, steps_now=None), FACTS, 95),
    ("every field the record has is scored: the compensation", replace(FULL, compensation=""),
     FACTS, 95),
    ("the numbers alone are not the complaint",
     replace(FULL, complaint="4471, $86.40, 3 June"), FACTS, 77),
]


@pytest.mark.parametrize("record,facts,expected", [c[1:] for c in MARKS],
                         ids=[c[0] for c in MARKS])
def test_documentation_mark(record: Record, facts: Facts, expected: int) -> None:
    assert documentation_mark(record, facts).mark == expected


def test_the_mark_says_what_is_missing() -> None:
    mark = documentation_mark(Record("Charged twice"), FACTS)
    complaint = next(m for m in mark.facts if m.name == "complaint")
    assert complaint.found == ("charged", "twice") and complaint.missing == ("order",)
    assert "the agreed solution" in mark.missing_fields
    assert "a follow-up" in mark.missing_fields
    assert "the steps taken now" in mark.missing_fields
    assert "the compensation given" in mark.missing_fields


def test_every_field_the_rep_writes_is_counted() -> None:
    empty = documentation_mark(Record(), Facts())
    written = [f for f in RECORD_FIELDS if not f.flag]
    assert len(empty.missing_fields) == len(written) and empty.mark == 0


CAUSE = "The terminal retried a timed-out authorisation"
# (name, the field the rep wrote the cause in, is it found there)
CAUSE_PLACES = [
    ("in the nature of the complaint", "complaint", True),
    ("in the suggestion to prevent it", "prevention", True),
    ("not in the follow-up", "follow_up", False),
    ("not in the agreed solution", "solution", False),
]


@pytest.mark.parametrize(("field", "found"), [c[1:] for c in CAUSE_PLACES],
                         ids=[c[0] for c in CAUSE_PLACES])
def test_the_cause_has_its_place(field: str, found: bool) -> None:
    assert (field in FACT_PLACES["cause"]) is found
    record = replace(Record(), **{field: CAUSE})
    cause = next(m for m in documentation_mark(record, FACTS).facts if m.name == "cause")
    assert (cause.score == 1.0) is found, cause


# (name, fact, what the rep wrote, locale, the fact's key words the record misses)
LANGUAGE = [
    ("English inflections", "Refund the duplicate charges", "refunded the duplicated charge",
     "en", ()),
    ("French inflections and accents", "Rembourser le prélèvement en double",
     "remboursement du prelevement", "fr", ("double",)),
    ("Dutch inflections", "De dubbele afschrijving terugbetalen", "terugbetaling dubbel",
     "nl", ("afschrijving",)),
    ("the same French record read as English misses more", "Rembourser le prélèvement en double",
     "remboursement du prelevement", "en", ("prélèvement", "double")),
]


@pytest.mark.parametrize(("fact", "written", "locale", "missing"), [c[1:] for c in LANGUAGE],
                         ids=[c[0] for c in LANGUAGE])
def test_words_match_by_their_stem_in_the_scenario_language(fact: str, written: str, locale: str,
                                                            missing: tuple[str, ...]) -> None:
    mark = documentation_mark(Record(solution=written), Facts(solution=fact), locale)
    assert mark.facts[0].missing == missing


def test_a_fact_made_only_of_numbers_asks_nothing() -> None:
    mark = documentation_mark(FULL, Facts(complaint="4471, $86.40", cause=FACTS.cause))
    assert [m.name for m in mark.facts] == ["cause"]
