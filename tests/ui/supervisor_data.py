"""A small site for the supervisor's screens: sue supervises team blue (ann and bob); cat is in
team green, which sue does not see; ada (the admin) sees everyone.

Calls are dated by moving the frozen clock (the `frozen` fixture's time machine) and back:
- ann (blue): exams passed on the angry and payment scenarios on 2026-01-10 and 2026-01-11 (so
  "First-line rep" is certified from the second, to 2027-01-11, refresher 2026-12-12), then a
  failed practice call on 2026-03-01;
- bob (blue): exams passed on 2025-04-01 and 2025-04-02: "First-line rep" valid until
  2026-04-02, its refresher due since 2026-03-03 (refresher due on NOW, 2026-03-14);
- cat (green): exams passed on 2025-02-01 and 2025-02-02: expired on 2026-02-02.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from conftest import ADMIN, NOW

from simulator import db
from simulator.call import play
from simulator.scenario import Library

SUPERVISOR = "sue"
BLUE = ("ann", "bob")
GREEN = ("cat",)

PASS = [1, 1, 1, 1]
FAIL = [2, 1]

CALLS: list[tuple[str, str, list[int], str, datetime]] = [
    ("ann", "angry-late-parcel", PASS, "exam", datetime(2026, 1, 10, 9, tzinfo=UTC)),
    ("ann", "payment-double-charge", PASS, "exam", datetime(2026, 1, 11, 9, tzinfo=UTC)),
    ("ann", "payment-double-charge", FAIL, "practice", datetime(2026, 3, 1, 9, tzinfo=UTC)),
    ("bob", "angry-late-parcel", PASS, "exam", datetime(2025, 4, 1, 9, tzinfo=UTC)),
    ("bob", "payment-double-charge", PASS, "exam", datetime(2025, 4, 2, 9, tzinfo=UTC)),
    ("cat", "angry-late-parcel", PASS, "exam", datetime(2025, 2, 1, 9, tzinfo=UTC)),
    ("cat", "payment-double-charge", PASS, "exam", datetime(2025, 2, 2, 9, tzinfo=UTC)),
]


def seed_site(engine: Any, library: Library, time_machine: Any) -> dict[str, list[int]]:
    """The people and calls above; returns each person's call ids, oldest first."""
    admin = db.sign_in(engine, ADMIN)
    db.add_person(engine, admin, SUPERVISOR, role="supervisor", team="blue")
    for name in BLUE:
        db.add_person(engine, admin, name, team="blue")
    for name in GREEN:
        db.add_person(engine, admin, name, team="green")
    ids: dict[str, list[int]] = {}
    for who, scenario_id, picks, mode, when in CALLS:
        scenario = library.by_id(scenario_id)
        assert scenario is not None
        time_machine.move_to(when, tick=False)
        call_id = db.start_call(engine, who, scenario, mode=mode)
        result = play(scenario, picks)
        db.finish_call(engine, call_id, result, result.score())
        ids.setdefault(who, []).append(call_id)
    time_machine.move_to(NOW, tick=False)
    return ids
