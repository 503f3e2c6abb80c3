"""A small site for the replay, review and calibration screens' tests.

Team blue: alice (USER, a trainee) and sue (their supervisor); team red: bob (a trainee). Calls,
all at conftest.NOW: 1 alice's passed exam on the late parcel, with a wrap-up record; 2 alice's
failed exam on the double charge (hiding behind policy, escalated); 3 bob's passed exam on the
double charge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import time_machine
from conftest import ADMIN, NOW, USER

from simulator import db
from simulator.call import play
from simulator.scenario import Library
from simulator.wrapup import WrapUpRecord, documentation_mark

SUPERVISOR = "sue"
OTHER = "bob"


@dataclass(frozen=True)
class Site:
    passed: int
    """alice's passed exam (with a wrap-up)."""
    failed: int
    """alice's failed exam."""
    other: int
    """bob's passed exam (team red)."""


def make_site(engine: Any, library: Library) -> Site:
    admin = db.sign_in(engine, ADMIN)
    db.add_person(engine, admin, USER, team="blue")
    db.add_person(engine, admin, SUPERVISOR, role="supervisor", team="blue")
    db.add_person(engine, admin, OTHER, team="red")
    angry = library.by_id("angry-late-parcel")
    payment = library.by_id("payment-double-charge")
    assert angry and payment
    ids = []
    with time_machine.travel(NOW, tick=False):
        for who, scenario, picks in ((USER, angry, [1, 1, 1, 1]), (USER, payment, [2, 1]),
                                     (OTHER, payment, [1, 1, 1, 1])):
            call_id = db.start_call(engine, who, scenario, mode="exam")
            result = play(scenario, picks)
            db.finish_call(engine, call_id, result, result.score())
            ids.append(call_id)
        record = WrapUpRecord(complaint="Parcel 5521 a week late, tracking stuck",
                              solution="Reshipped by express", done_on_spot=True,
                              steps_now="Reship booked", follow_up="Thursday",
                              compensation="$10 voucher", prevention="Check the label")
        mark = documentation_mark(record, angry.facts, locale=angry.locale)
        db.save_wrapup(engine, ids[0], WrapUpRecord(**{**record.__dict__,
                                                       "documentation": mark.mark}))
    return Site(*ids)


def viewer(engine: Any, name: str) -> db.Viewer:
    return db.sign_in(engine, name)
