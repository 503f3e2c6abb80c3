"""The wrap-up's documentation mark (simulator/wrapup.py): named cases."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from simulator.scenario import Facts
from simulator.wrapup import documentation_mark, key_words


@dataclass
class Record:
    complaint: str = ""
    solution: str = ""
    done_on_spot: bool = False
    promised_for: str | None = None
    follow_up: str | None = None
    compensation: str | None = None
    prevention: str | None = None


FACTS = Facts(complaint="Charged twice for order 4471",
              cause="The card terminal retried a timed-out authorisation",
              solution="Refund the duplicate charge; it shows within 3-5 business days")
FULL = Record("Charged twice, order 4471", "Refund of the duplicate charge, 3-5 business days",
              True, None, "Call on Monday", "none", "Terminal retried a timed-out authorisation")

KEY_WORDS = [
    ("numbers and ids kept", "Order BL-20417 for $129.99", ["order", "bl-20417", "129.99"]),
    ("filler and short words dropped", "It was with the customer", []),
    ("stemmed once each", "charges charged charging", ["charg"]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in KEY_WORDS],
                         ids=[c[0] for c in KEY_WORDS])
def test_key_words(text: str, expected: list[str]) -> None:
    assert key_words(text) == expected


MARKS = [
    ("a full record scores 100", FULL, FACTS, 100),
    ("an empty record scores 0", Record(), FACTS, 0),
    ("no facts: completeness alone", FULL, Facts(), 100),
    ("no facts, half filled", Record("x", "y"), Facts(), 40),
    ("facts, fields but wrong words", Record("rude staff", "apology", True, None, "monday",
                                             None, "training"), FACTS, 30),
    ("a promised date stands in for on the spot",
     Record("Charged twice, order 4471", "Refund of the duplicate charge, 3-5 business days",
            False, "Friday", "Call on Monday", None, "Terminal retried a timed-out "
            "authorisation"), FACTS, 100),
]


@pytest.mark.parametrize("record,facts,expected", [c[1:] for c in MARKS],
                         ids=[c[0] for c in MARKS])
def test_documentation_mark(record: Record, facts: Facts, expected: int) -> None:
    assert documentation_mark(record, facts).mark == expected


def test_the_mark_says_what_is_missing() -> None:
    mark = documentation_mark(Record("Charged twice"), FACTS)
    complaint = next(m for m in mark.facts if m.name == "complaint")
    assert complaint.found == ("charged", "twice") and "4471" in complaint.missing
    assert "the agreed solution" in mark.missing_fields
    assert "a follow-up" in mark.missing_fields


HYPHENS = [
    ("spaced for hyphenated", "The lane-4 terminal", "terminal at lane 4", ()),
    ("hyphenated for spaced", "Refund in 3 5 days", "refund, 3-5 days", ()),
    ("an id is one word", "Order BL-20417", "order BL 20417", ()),
]


@pytest.mark.parametrize("fact,written,missing", [c[1:] for c in HYPHENS],
                         ids=[c[0] for c in HYPHENS])
def test_hyphens(fact: str, written: str, missing: tuple[str, ...]) -> None:
    mark = documentation_mark(Record(complaint=written), Facts(complaint=fact))
    assert mark.facts[0].missing == missing


def test_french_and_dutch_filler_words_are_not_facts() -> None:
    from simulator.wrapup import key_words

    assert key_words("Remboursement pour votre commande 4471 avec nous") == [
        "remboursement", "commande", "4471"]
    assert key_words("Terugbetaling voor uw bestelling 4471, niet door de bank") == [
        "terugbetal", "bestell", "4471", "bank"]  # stems: matched stem to stem
