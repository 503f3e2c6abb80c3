"""The report's sections built in SQL (issue 12) hold, row for row, what the per-call Python
rules give over each person's calls (`_trainee_row`, `_call_row`, `track_rows`): overrides,
playtests, scripted, abandoned and unfinished calls, wrap-ups with and without a mark, a call
after the report's day, more than 20 scored calls. And a report never writes. On SQLite and
PostgreSQL."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import time_machine
from dbhelpers import ADMIN, played, staff

from scoring.certification import Requirement, Track
from simulator import db
from simulator.bundled import BUNDLED
from simulator.db.report import _call_row, _trainee_row, build_report
from simulator.scenario import load_file
from simulator.standing import track_rows
from simulator.wrapup import WrapUpRecord

PASSING = ["own_it", "confirm", "cause", "ask", "resolve"]
FAILING = [1, 1, 1, 2, 1]
TRACK = Track(id="pay", title="Payments", requires=[Requirement(scenario="payment-double-charge")],
              pass_mark=70, valid_days=60, refresher_days=20)
START = datetime(2026, 1, 5, 9, tzinfo=UTC)
TODAY = date(2026, 4, 1)


def _site(url: str):
    scenario, problems = load_file(BUNDLED / "payment-double-charge.yaml")
    assert scenario is not None, problems
    staff(url, ann=("trainee", "blue"), bob=("trainee", "blue"), cy=("trainee", "red"),
          sue=("supervisor", "blue"), dee=("trainee", "red"))
    engine = db.make_engine(url)
    rng = random.Random(3)
    sue = db.sign_in(engine, "sue")
    for i in range(60):
        who = rng.choice(["ann", "ann", "bob", "cy"])
        mode = rng.choice(["exam", "exam", "practice", "scripted", "playtest"])
        picks = rng.choice([PASSING, FAILING, [1, 1], PASSING[:3]])
        # some calls share a start time (the order then goes by number); one is after TODAY
        when = START + timedelta(days=i // 2 if i < 59 else 200, hours=i % 2 * (i % 3))
        with time_machine.travel(when, tick=False):
            call_id = db.start_call(engine, who, scenario, mode)
            result = played(scenario, picks)
            if i % 11 == 5:
                continue  # left under way (interrupted, never scored)
            if i % 7 == 3:
                result_quit = played(scenario, picks[:2])
                db.abandon_call(engine, call_id, result_quit.score(), result=result_quit)
            else:
                db.finish_call(engine, call_id, result, result.score())
            if i % 3 == 0:
                db.save_wrapup(engine, call_id, WrapUpRecord(
                    f"Charged twice #{i}", "=refund" if i % 2 else "Refund", i % 2 == 0,
                    documentation=None if i % 4 == 0 else 40 + i))
            if who in ("ann", "bob") and i % 5 == 1 and i % 7 != 3 and \
                    result.outcome != "incomplete":
                card = result.score()  # overridden the other way round
                db.override(engine, sue, call_id, not card.passed, "checked the recording")
            if who == "ann" and i % 6 == 2:
                db.add_comment(engine, sue, call_id, "listen to turn 2", turn=None)
    with time_machine.travel(START + timedelta(days=40), tick=False):
        failed = played(scenario, FAILING)
        call_id = db.start_call(engine, "bob", scenario, "exam")
        db.finish_call(engine, call_id, failed, failed.score())
        assert not failed.score().passed
        db.override(engine, sue, call_id, True, "the policy slip was the script's")
    return engine, scenario


def test_the_sql_sections_are_the_per_call_rows(backend_url) -> None:
    engine, scenario = _site(backend_url)
    try:
        before = _counts(engine)
        viewer = db.sign_in(engine, ADMIN)
        people = db.trainees(engine, viewer)
        report = build_report(engine, viewer, people, [TRACK], [scenario], TODAY)
        assert _counts(engine) == before  # a report never writes
        library = {scenario.id: scenario}
        reviews = db.review_summaries(engine, viewer, people=[p.id for p in people])
        records = {}
        with engine.connect() as conn:
            for row in conn.execute(db.wrapups.select()):
                values = row._asdict()
                records[values.pop("call_id")] = tuple(values[f] for f in
                                                       db.report.WRAPUP_COLUMNS)
        trainees, certifications, calls = [], [], []
        for person in people:
            mine = [c for c in db.calls_of(engine, viewer, [person.name])
                    if c.started.date() <= TODAY]
            trainees.append(_trainee_row(person, mine, records))
            earned = db.stored_certificates(engine, viewer, person.name)
            certifications += [(person.name, r.track_id, r.status, r.certified_on,
                                tuple(r.missing), tuple(r.refresher))
                               for r in track_rows([TRACK], mine, earned, [scenario], TODAY)]
            calls += [_call_row(person, c, records.get(c.id), library, reviews.get(c.id))
                      for c in reversed(mine)]
        assert report.trainees == trainees
        assert any(t["calls"] > 20 for t in trainees) and any(t["passed"] for t in trainees)
        assert [(c["trainee"], c["track"], c["status"], c["certified_on"] and
                 date.fromisoformat(c["certified_on"]), tuple(c["missing"]),
                 tuple(c["refresher"])) for c in report.certifications] == certifications
        assert report.calls == calls
        assert any(c["refresher"] for c in report.certifications)  # some are due a refresher
        assert {c["wrapup"] for c in calls} == {"yes", "no", "missing"}
        assert {c["override"] for c in calls} == {None, "passed", "failed"}
        last = build_report(engine, viewer, people, [TRACK], [scenario], TODAY, last=3,
                            sections=["calls"])
        assert last.trainees == [] and last.certifications == []
        assert last.calls == [c for p in people
                              for c in [r for r in calls if r["trainee"] == p.name][:3]]
    finally:
        engine.dispose()


def test_who_is_asking_still_decides_what_the_sections_hold(backend_url) -> None:
    engine, scenario = _site(backend_url)
    try:
        everyone = db.trainees(engine, db.sign_in(engine, ADMIN))
        sue = db.sign_in(engine, "sue")  # blue's supervisor: ann and bob, never cy
        report = build_report(engine, sue, everyone, [TRACK], [scenario], TODAY)
        assert {c["trainee"] for c in report.calls} == {"ann", "bob"}
        shown = {t["trainee"]: t["calls"] for t in report.trainees}
        assert shown["cy"] == 0 and shown["ann"] > 0
        ann = db.sign_in(engine, "ann")
        report = build_report(engine, ann, everyone, [TRACK], [scenario], TODAY)
        assert {c["trainee"] for c in report.calls} == {"ann"}
    finally:
        engine.dispose()


def _counts(engine) -> tuple[int, ...]:
    with engine.connect() as conn:
        return tuple(conn.execute(db.tables.sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                     for t in ("calls", "certificates", "turns", "reviews", "wrapups"))
