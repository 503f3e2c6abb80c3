"""The supervisor's home as data (issue 13, item 1): each trainee of the viewer's teams with
counts and means from SQL aggregates, certification status per track (an override counting),
filters, the due first; a trainee's trend. The number of queries does not grow with the number
of trainees. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine
from dbhelpers import ADMIN, played, staff

from scoring import DIMENSIONS
from scoring.certification import Requirement, Track
from simulator import db
from simulator.bundled import BUNDLED
from simulator.scenario import Scenario, load_file
from simulator.wrapup import WrapUpRecord

PASSING = ["own_it", "confirm", "cause", "ask", "resolve"]
FAILING = [1, 1, 1, 2, 1]
TRACK = Track(id="pay", title="Payments", requires=[Requirement(scenario="payment-double-charge")],
              pass_mark=70, valid_days=180, refresher_days=30)
TODAY = date(2026, 6, 20)


@pytest.fixture
def double_charge() -> Scenario:
    scenario, problems = load_file(BUNDLED / "payment-double-charge.yaml")
    assert scenario is not None, problems
    return scenario


def record(engine, who: str, scenario: Scenario, picks: list, mode: str, when: datetime) -> int:
    with time_machine.travel(when, tick=False):
        result = played(scenario, picks)
        call_id = db.start_call(engine, who, scenario, mode)
        db.finish_call(engine, call_id, result, result.score())
    return call_id


@pytest.fixture
def site(backend_url, double_charge):
    """ann (blue) passed the track's exam on 10 January (its refresher is due from 9 June),
    passed another on Tuesday 2 June, and failed a practice call on Monday 1 June, with a
    wrap-up; bob (blue) failed his exam on 1 June and sue overrode it to passed; rex (red)
    passed his exam on 1 June."""
    staff(backend_url, ann=("trainee", "blue"), bob=("trainee", "blue"),
          sue=("supervisor", "blue"), rex=("trainee", "red"), max=("supervisor", "red"))
    engine = db.make_engine(backend_url)
    record(engine, "ann", double_charge, PASSING, "exam", datetime(2026, 1, 10, 9, tzinfo=UTC))
    practice = record(engine, "ann", double_charge, FAILING, "practice",
                      datetime(2026, 6, 1, 9, tzinfo=UTC))
    record(engine, "ann", double_charge, PASSING, "exam", datetime(2026, 6, 2, 9, tzinfo=UTC))
    db.save_wrapup(engine, practice, WrapUpRecord("Charged twice", "Refund", True,
                                                  documentation=60))
    bobs = record(engine, "bob", double_charge, FAILING, "exam",
                  datetime(2026, 6, 1, 10, tzinfo=UTC))
    db.override(engine, db.sign_in(engine, "sue"), bobs, True, "A harmless slip")
    record(engine, "rex", double_charge, PASSING, "exam", datetime(2026, 6, 1, 11, tzinfo=UTC))
    yield engine
    engine.dispose()


def overview(engine, who: str, scenario: Scenario, **filters) -> list[db.TraineeOverview]:
    return db.team_overview(engine, db.sign_in(engine, who), tracks=[TRACK],
                            scenarios=[scenario], today=TODAY, **filters)


def test_each_trainee_at_a_glance_the_due_first(site, double_charge) -> None:
    rows = overview(site, "sue", double_charge)
    assert [r.trainee for r in rows] == ["ann", "bob"]  # ann is due; rex is another team's
    ann, bob = rows
    calls = [db.get_call(site, db.SYSTEM, i) for i in (1, 2, 3)]
    assert (ann.calls, ann.exam_calls, ann.exam_passes, ann.overridden, ann.incomplete) == (
        3, 2, 2, 0, 0)
    for d in DIMENSIONS:  # the mean over her three finished calls, rounded half up
        assert ann.dimensions[d] == int(sum(c.dimensions[d] for c in calls) / 3 + 0.5)
    assert ann.overall == int(sum(c.overall for c in calls) / 3 + 0.5)
    means = {d: sum(c.dimensions[d] for c in calls) / 3 for d in DIMENSIONS}
    assert ann.weakest == min(DIMENSIONS, key=lambda d: (means[d], DIMENSIONS.index(d)))
    assert ann.documentation == 60
    assert ann.last_call == datetime(2026, 6, 2, 9, tzinfo=UTC)
    (track,) = ann.tracks
    assert (track.status, track.refresher_due_on, track.valid_until) == (
        "refresher_due", date(2026, 6, 9), date(2026, 7, 9))
    assert ann.due and ann.next_date == date(2026, 7, 9)
    assert (bob.exam_calls, bob.exam_passes, bob.overridden) == (1, 1, 1)  # the override counts
    assert (bob.tracks[0].status, bob.due, bob.next_date) == ("certified", False,
                                                              date(2026, 10, 29))


FILTERS = [  # (name, who, filters, the trainees shown, their calls)
    ("the admin sees every trainee", ADMIN, {}, ["ann", "bob", "rex"], [3, 1, 1]),
    ("one team", ADMIN, {"team": "red"}, ["rex"], [1]),
    ("a trainee sees their own row", "bob", {}, ["bob"], [1]),
    ("from a date: the counts are the range's", "sue", {"since": date(2026, 6, 2)},
     ["ann", "bob"], [1, 0]),
    ("up to a date, both ends included", "sue", {"until": date(2026, 6, 1)}, ["ann", "bob"],
     [2, 1]),
    ("a persona nobody played", "sue", {"persona": "angry"}, ["ann", "bob"], [0, 0]),
    ("a status", ADMIN, {"status": "certified"}, ["bob", "rex"], [1, 1]),
    ("a status nobody has", ADMIN, {"status": "expired"}, [], []),
]


@pytest.mark.parametrize("who,filters,names,calls", [c[1:] for c in FILTERS],
                         ids=[c[0] for c in FILTERS])
def test_filters(site, double_charge, who, filters, names, calls) -> None:
    rows = overview(site, who, double_charge, **filters)
    assert [(r.trainee, r.calls) for r in rows] == list(zip(names, calls, strict=True))


def test_a_range_changes_the_means_not_the_certification(site, double_charge) -> None:
    (ann, bob) = overview(site, "sue", double_charge, persona="angry")
    assert (ann.overall, ann.weakest, ann.last_call, ann.documentation) == (None, None, None,
                                                                             None)
    assert ann.tracks[0].status == "refresher_due"
    with pytest.raises(ValueError, match="no track 'nope'"):
        overview(site, "sue", double_charge, track="nope")
    with pytest.raises(ValueError, match="unknown status 'done'"):
        overview(site, "sue", double_charge, status="done")


def test_the_queries_do_not_grow_with_the_trainees(site, double_charge) -> None:
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    def queries() -> int:
        statements.clear()
        sa.event.listen(site, "before_cursor_execute", count)
        try:
            overview(site, ADMIN, double_charge)
        finally:
            sa.event.remove(site, "before_cursor_execute", count)
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    before = queries()
    staff(site.url.render_as_string(hide_password=False),
          **{f"t{i}": ("trainee", "blue") for i in range(4)})
    for i in range(4):
        record(site, f"t{i}", double_charge, PASSING, "exam", datetime(2026, 6, 3, tzinfo=UTC))
    assert len(overview(site, ADMIN, double_charge)) == 7
    after = queries()
    # signing in (the person, their teams), the aggregates, the exams, the certificates
    assert before == after <= 5


def test_a_trainees_trend_per_call_and_per_week(site) -> None:
    sue = db.sign_in(site, "sue")
    points = db.trend(site, sue, "ann")
    assert [(p.call_id, p.start.date()) for p in points] == [
        (1, date(2026, 1, 10)), (2, date(2026, 6, 1)), (3, date(2026, 6, 2))]
    calls = {i: db.get_call(site, db.SYSTEM, i) for i in (1, 2, 3)}
    assert points[1].dimensions == {d: float(v) for d, v in calls[2].dimensions.items()}
    weeks = db.trend(site, sue, "ann", by="week")
    # 10 January 2026 is a Saturday: its week starts on Monday 5 January; 1 and 2 June fall in
    # the week of Monday 1 June, whose point is the mean of the two calls
    assert [(w.start.date(), w.calls) for w in weeks] == [(date(2026, 1, 5), 1),
                                                          (date(2026, 6, 1), 2)]
    assert weeks[1].overall == (calls[2].overall + calls[3].overall) / 2
    assert db.trend(site, db.sign_in(site, "max"), "ann") == []  # not his team
    assert db.trend(site, db.sign_in(site, "bob"), "ann") == []
    assert [p.call_id for p in db.trend(site, sue, "ann", since=date(2026, 6, 2))] == [3]
