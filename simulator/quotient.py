"""The customer-service quotient (docs/domain.md, section 5): a team's self-assessment.

Every statement of seven areas is rated from 1 (never) to 5 (always); each area's average is
taken, and the seven averages are added: a total from 7 to 35, read by its band:

- 28 or more: service is one of the business's assets;
- 21 to 27: adequate, but needs improving across the board;
- 20 or less: poor service is probably costing customers.

An area's average need not be whole (three statements rated 4, 4 and 5 give 13/3), so the
total need not be either: the bands are read on the exact total, as "28 or more", "more than
20 and less than 28", "20 or less" (27.67 is adequate, 20.33 adequate, 20 losing customers).
The arithmetic is exact (fractions); totals are shown to two decimals.

Pure: no database, no UI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .errors import HotseatError

__all__ = ["AREAS", "ASSET", "BANDS", "LOSING", "LOWEST", "HIGHEST", "Area", "BadAnswers",
           "Result", "band", "parse_answers", "rate"]

LOWEST, HIGHEST = 1, 5
"""A statement's rating: 1 (never) to 5 (always)."""
ASSET = 28
"""A total of this or more: service is an asset."""
LOSING = 20
"""A total of this or less: poor service is probably costing customers."""
BANDS = {"asset": "service is one of the business's assets",
         "adequate": "service is adequate, but needs improving across the board",
         "losing customers": "poor service is probably costing you customers"}


class BadAnswers(HotseatError, ValueError):
    """Ratings that do not fit the quotient: exit 2, saying which area and statement."""


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    statements: tuple[str, ...]


AREAS: tuple[Area, ...] = (
    Area("culture", "Culture", (
        "We are committed to doing whatever it takes to create satisfied customers.",
        "We try to do things right the first time.",
        "The owner sets the example that service matters.",
        "Customers' needs come before internal needs.")),
    Area("products", "Products and sales material", (
        "We take a partnership approach when selling.",
        "Our advertising promises nothing we cannot deliver.",
        "We know which features and benefits customers care about most.",
        "New products are designed from customers' input.")),
    Area("feedback", "Responding to feedback", (
        "We examine complaints.",
        "We constantly ask for feedback.",
        "We regularly use customers' input to find ways of removing errors.")),
    Area("knowing", "Knowing customers", (
        "We have determined what customers expect.",
        "We interact with them often.",
        "Every employee knows what matters to customers.")),
    Area("contact", "Ease of contact", (
        "Doing business with us is easy.",
        "We aim to resolve every complaint.",
        "We encourage customers to complain.")),
    Area("staff", "Staff", (
        "I respect my employees.",
        "All of them understand our product or service.",
        "All of them have the tools and the skills to do their jobs well.",
        "All of them are encouraged to solve customers' problems.",
        "All of them see customer satisfaction as part of their job.")),
    Area("improvement", "Improvement", (
        "We constantly improve our processes and products.",
        "We learn from the strengths and weaknesses of other groups.",
        "Once we find a problem, we fix it quickly.")),
)
"""The seven areas and their statements, in the order of docs/domain.md, section 5."""


@dataclass(frozen=True)
class Result:
    answers: dict[str, tuple[int, ...]]
    """Each area's ratings, in the order of its statements."""
    averages: dict[str, Fraction]
    total: Fraction
    band: str
    """asset | adequate | losing customers"""


def band(total: Fraction | float) -> str:
    """The band of a total (see the module docstring for totals between two bands)."""
    if total >= ASSET:
        return "asset"
    return "adequate" if total > LOSING else "losing customers"


def _rating(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not LOWEST <= value <= HIGHEST:
        raise BadAnswers(f"{where}: {value!r} is not a rating (a whole number from {LOWEST} "
                         f"to {HIGHEST})")
    return value


def rate(answers: Mapping[str, Sequence[int]]) -> Result:
    """The quotient of these ratings: every area's, every statement rated once."""
    unknown = sorted(set(answers) - {a.id for a in AREAS})
    if unknown:
        raise BadAnswers(f"unknown area '{unknown[0]}' (the areas are "
                         f"{', '.join(a.id for a in AREAS)})")
    ratings: dict[str, tuple[int, ...]] = {}
    for area in AREAS:
        given = answers.get(area.id)
        if given is None:
            raise BadAnswers(f"{area.id}: no ratings ({len(area.statements)} statements)")
        if isinstance(given, str | bytes) or not isinstance(given, Sequence):
            raise BadAnswers(f"{area.id}: give a list of {len(area.statements)} ratings")
        if len(given) != len(area.statements):
            raise BadAnswers(f"{area.id}: {len(given)} ratings given for "
                             f"{len(area.statements)} statements")
        ratings[area.id] = tuple(_rating(v, f"{area.id}, statement {i}")
                                 for i, v in enumerate(given, 1))
    averages = {a: Fraction(sum(v), len(v)) for a, v in ratings.items()}
    total = sum(averages.values(), Fraction(0))
    return Result(ratings, averages, total, band(total))


def parse_answers(data: Any) -> Result:
    """Ratings read from a file (YAML or JSON): a mapping of each area's id to its list of
    ratings, e.g. `culture: [5, 4, 4, 3]`."""
    if not isinstance(data, Mapping):
        raise BadAnswers("the answers are a mapping of each area to its ratings, e.g. "
                         "culture: [5, 4, 4, 3]")
    return rate({str(k): v for k, v in data.items()})
