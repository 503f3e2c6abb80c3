"""The customer-service quotient (issue 13, item 7; docs/domain.md, section 5): the arithmetic and
the bands at their edges; a supervisor rates their team's, kept with its date and sealed; the
team sees its trend. The database cases run on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from fractions import Fraction

import pytest
import sqlalchemy as sa
import time_machine
from dbhelpers import ADMIN, run_as, staff

from simulator import db
from simulator.quotient import AREAS, BadAnswers, band, parse_answers, rate

SIZES = {a.id: len(a.statements) for a in AREAS}


def every(rating: int, **areas: list[int]) -> dict[str, list[int]]:
    """Every statement rated `rating`, but the areas given."""
    return {a: areas.get(a, [rating] * n) for a, n in SIZES.items()}


def test_the_seven_areas_of_the_source() -> None:
    assert [(a.title, len(a.statements)) for a in AREAS] == [
        ("Culture", 4), ("Products and sales material", 4), ("Responding to feedback", 3),
        ("Knowing customers", 3), ("Ease of contact", 3), ("Staff", 5), ("Improvement", 3)]


TOTALS = [  # (name, ratings, total, band)
    ("every statement 1: the lowest total", every(1), 7, "losing customers"),
    ("every statement 5: the highest", every(5), 35, "asset"),
    ("every statement 4: 7 x 4 = 28, an asset at its edge", every(4), 28, "asset"),
    ("every statement 3: 7 x 3 = 21, adequate at its edge", every(3), 21, "adequate"),
    # six areas at 3 (18) and culture at 2: 18 + 2 = 20, the top of "losing customers"
    ("20: losing customers at its edge", every(3, culture=[2, 2, 2, 2]), 20,
     "losing customers"),
    # six areas at 3 (18) and feedback (2+3+2)/3 = 7/3: 18 + 7/3 = 61/3 = 20.33, above 20
    ("20.33 is above 20: adequate", every(3, feedback=[2, 3, 2]), Fraction(61, 3), "adequate"),
    # culture (5+4+4+3)/4 = 4; products 4; feedback 3; knowing (4+4+5)/3 = 13/3;
    # contact (5+5+4)/3 = 14/3; staff 4; improvement (3+4+4)/3 = 11/3:
    # 4 + 4 + 3 + 4 = 15, 13/3 + 14/3 + 11/3 = 38/3: 15 + 38/3 = 83/3 = 27.67, below 28
    ("27.67 is below 28: adequate",
     {"culture": [5, 4, 4, 3], "products": [4, 4, 4, 4], "feedback": [3, 3, 3],
      "knowing": [4, 4, 5], "contact": [5, 5, 4], "staff": [4, 4, 4, 4, 4],
      "improvement": [3, 4, 4]}, Fraction(83, 3), "adequate"),
    # every area 4 but staff (4+4+4+4+3)/5 = 19/5: 24 + 19/5 = 139/5 = 27.8, below 28
    ("27.8: adequate", every(4, staff=[4, 4, 4, 4, 3]), Fraction(139, 5), "adequate"),
]


@pytest.mark.parametrize("ratings,total,expected", [c[1:] for c in TOTALS],
                         ids=[c[0] for c in TOTALS])
def test_totals_and_bands(ratings, total, expected) -> None:
    result = rate(ratings)
    assert (result.total, result.band) == (total, expected)
    assert sum(result.averages.values()) == result.total


def test_each_areas_average() -> None:
    result = rate(TOTALS[6][1])
    assert result.averages == {"culture": 4, "products": 4, "feedback": 3,
                               "knowing": Fraction(13, 3), "contact": Fraction(14, 3),
                               "staff": 4, "improvement": Fraction(11, 3)}


@pytest.mark.parametrize("total,expected", [(Fraction(28), "asset"),
                                            (Fraction(2799, 100), "adequate"),
                                            (Fraction(21), "adequate"),
                                            (Fraction(2001, 100), "adequate"),
                                            (Fraction(20), "losing customers")])
def test_the_bands_at_their_edges(total, expected) -> None:
    assert band(total) == expected


BAD = [  # (name, answers, words)
    ("a rating of 0", every(3, culture=[0, 3, 3, 3]), "culture, statement 1: 0 is not a rating"),
    ("a rating of 6", every(3, staff=[3, 3, 3, 3, 6]), "staff, statement 5: 6 is not a rating"),
    ("a half", every(3, contact=[3, 3.5, 3]), "contact, statement 2: 3.5 is not a rating"),
    ("text", every(3, contact=[3, "4", 3]), "contact, statement 2: '4' is not a rating"),
    ("true", every(3, contact=[True, 3, 3]), "contact, statement 1: True is not a rating"),
    ("a statement missing", every(3, culture=[3, 3, 3]), "culture: 3 ratings given for 4"),
    ("an area missing", {k: v for k, v in every(3).items() if k != "staff"},
     "staff: no ratings (5 statements)"),
    ("an unknown area", {**every(3), "pricing": [3]}, "unknown area 'pricing'"),
    ("a number for a list", every(3, culture=4), "culture: give a list of 4 ratings"),
]


@pytest.mark.parametrize("answers,words", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_ratings_that_do_not_fit_are_refused(answers, words) -> None:
    with pytest.raises(BadAnswers, match=re.escape(words)):
        parse_answers(answers)


# -- kept with its date -------------------------------------------------------------------------

@pytest.fixture
def site(backend_url):
    staff(backend_url, ann=("trainee", "blue"), sue=("supervisor", "blue"),
          max=("supervisor", "red"), rex=("trainee", "red"))
    engine = db.make_engine(backend_url)
    yield engine
    engine.dispose()


def test_a_supervisor_rates_their_team_and_the_team_sees_its_trend(site) -> None:
    sue = db.sign_in(site, "sue")
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=UTC), tick=False):
        db.record_quotient(site, sue, "blue", rate(every(3)))
    with time_machine.travel(datetime(2026, 6, 1, 9, tzinfo=UTC), tick=False):
        db.record_quotient(site, sue, "blue", rate(every(4, staff=[4, 4, 4, 4, 3])))
    for who in ("sue", "ann", ADMIN):
        history = db.quotient_history(site, db.sign_in(site, who), "blue")
        assert [(e.made_at.date().isoformat(), e.total, e.band, e.made_by)
                for e in history] == [("2026-03-01", 21, "adequate", "sue"),
                                      ("2026-06-01", Fraction(139, 5), "adequate", "sue")]
    for who in ("max", "rex"):
        with pytest.raises(db.Refused, match="its quotient is not theirs to see"):
            db.quotient_history(site, db.sign_in(site, who), "blue")
    assert db.verify(site)[0] == []


@pytest.mark.parametrize("who,team", [("max", "blue"), ("ann", "blue"), ("sue", "red")])
def test_only_a_teams_supervisors_or_an_admin_rate_it(site, who, team) -> None:
    with pytest.raises(db.Refused, match="is rated by its supervisors"):
        db.record_quotient(site, db.sign_in(site, who), team, rate(every(3)))
    assert db.quotient_history(site, db.sign_in(site, ADMIN), team) == []


def test_verify_finds_a_quotient_changed_outside_hotseat(site) -> None:
    db.record_quotient(site, db.sign_in(site, "sue"), "blue", rate(every(2)))
    with site.begin() as conn:
        conn.execute(sa.text("UPDATE quotients SET total = 30, answers = :a"),
                     {"a": json.dumps(every(5))})
    (finding,) = db.verify(site)[0]
    assert (finding.kind, finding.id) == ("quotient", 1)


def test_the_quotient_on_the_command_line(capsys, monkeypatch, site, backend_url,
                                          tmp_path) -> None:
    def run(who: str, *argv: str) -> tuple[int, str, str]:
        return run_as(capsys, monkeypatch, who, "--db", backend_url, *argv)

    answers = tmp_path / "blue.yaml"
    answers.write_text("\n".join(f"{a}: {v}" for a, v in TOTALS[6][1].items()) + "\n")
    code, out, err = run("sue", "quotient", "--answers", str(answers))  # sue's only team
    assert code == 0, err
    assert "total 27.67 of 35: adequate" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("4\n" * 25))
    code, out, err = run("sue", "quotient", "--team", "blue")
    assert code == 0, err
    assert "total 28.00 of 35: asset" in out and "We examine complaints." in err
    code, out, err = run("ann", "quotient", "--team", "blue", "--history", "--format", "json")
    assert code == 0, err
    assert [(q["total"], q["band"], q["averages"]["knowing"])
            for q in json.loads(out)["quotients"]] == [(27.67, "adequate", 4.33),
                                                       (28.0, "asset", 4.0)]
    code, out, err = run("ann", "quotient", "--team", "blue", "--history")
    assert "+0.33" in out
    code, out, err = run("ann", "quotient", "--team", "blue", "--answers", str(answers))
    assert code == 2 and "rated by its supervisors" in err
    answers.write_text("culture: [5, 4, 4\n")
    code, out, err = run("sue", "quotient", "--answers", str(answers))
    assert code == 2 and f"{answers}:" in err and "not valid YAML" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("4\n4\n9\n"))
    code, out, err = run("sue", "quotient", "--team", "blue")
    assert code == 2 and "culture, statement 3: '9' is not a rating" in err
    assert len(db.quotient_history(site, db.SYSTEM, "blue")) == 2  # nothing kept
