"""The review log (issue 13, item 4): supervisors comment on a call or override its pass or fail,
with a reason; nothing is edited in place; the trainee reads the comments on their own calls;
certification and reports count the override, marked as such; `verify` checks the log's seals.
On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine
from dbhelpers import ADMIN, played, run_as, staff

from scoring.certification import Requirement, Track
from simulator import db
from simulator.bundled import BUNDLED
from simulator.scenario import Scenario, load_file
from simulator.standing import certifying, track_rows

PASSING = ["own_it", "confirm", "cause", "ask", "resolve"]
"""The bundled payment-double-charge, by the book: passed, 99."""
FAILING = [1, 1, 1, 2, 1]
"""Resolved but failed (policy below its floor), overall 85: above the track's pass mark."""
TRACK = Track(id="pay", title="Payments", requires=[Requirement(scenario="payment-double-charge")],
              pass_mark=70, valid_days=180, refresher_days=30)
DAY = datetime(2026, 5, 4, 9, tzinfo=UTC)


@pytest.fixture
def double_charge() -> Scenario:
    scenario, problems = load_file(BUNDLED / "payment-double-charge.yaml")
    assert scenario is not None, problems
    return scenario


def _exam(engine, who: str, scenario: Scenario, picks: list) -> int:
    result = played(scenario, picks)
    call_id = db.start_call(engine, who, scenario, "exam")
    db.finish_call(engine, call_id, result, result.score())
    return call_id


@pytest.fixture
def site(backend_url, double_charge):
    """Team blue: ann and bob (trainees), sue (their supervisor), sam (another supervisor of
    blue); team red: rex and max (its supervisor); tim, a trainer. Calls: 1 ann's passed exam,
    2 ann's failed exam, 3 rex's passed exam, 4 sue's own passed exam, 5 sam's passed exam,
    6 ann's exam left unfinished."""
    staff(backend_url, ann=("trainee", "blue"), bob=("trainee", "blue"),
          sue=("supervisor", "blue"), sam=("supervisor", "blue"), rex=("trainee", "red"),
          max=("supervisor", "red"), tim=("trainer", None))
    engine = db.make_engine(backend_url)
    with time_machine.travel(DAY, tick=False):
        for who, picks in (("ann", PASSING), ("ann", FAILING), ("rex", PASSING),
                           ("sue", PASSING), ("sam", PASSING)):
            _exam(engine, who, double_charge, picks)
        db.abandon_call(engine, db.start_call(engine, "ann", double_charge, "exam"))
    yield engine
    engine.dispose()


def me(engine, name: str) -> db.Viewer:
    return db.sign_in(engine, name)


WHO_MAY_REVIEW = [  # (name, who, call, allowed, words of the refusal)
    ("a supervisor, a trainee of their team", "sue", 1, True, ""),
    ("an admin, anyone's call", ADMIN, 3, True, ""),
    ("a supervisor, another team's trainee", "sue", 3, False, "no call 3 among the calls sue"),
    ("a supervisor, their own call", "sue", 4, False, "nobody reviews their own call"),
    ("a supervisor, another supervisor of their team", "sue", 5, False,
     "the calls of their teams' trainees only"),
    ("a trainee, their own call", "ann", 1, False, "only a supervisor"),
    ("a trainee, another's call", "bob", 1, False, "no call 1 among the calls bob"),
    ("a trainer", "tim", 1, False, "no call 1 among the calls tim"),
    ("someone unknown", "stranger", 1, False, "no call 1"),
]


@pytest.mark.parametrize("who,call,allowed,words", [c[1:] for c in WHO_MAY_REVIEW],
                         ids=[c[0] for c in WHO_MAY_REVIEW])
def test_who_may_comment_and_override(site, who, call, allowed, words) -> None:
    viewer = me(site, who)
    attempts = [lambda: db.add_comment(site, viewer, call, "Listen to turn 2"),
                lambda: db.override(site, viewer, call, False, "Read back the amount")]
    for attempt in attempts:
        if allowed:
            entry = attempt()
            assert entry.made_by == viewer.name and entry.call_id == call
        else:
            with pytest.raises(db.Refused, match=words):
                attempt()
    assert len(db.reviews_of(site, db.SYSTEM, call)) == (2 if allowed else 0)


def test_an_override_never_edits_the_call_and_the_latest_stands(site) -> None:
    sue, sam = me(site, "sue"), me(site, "sam")
    before = db.get_call(site, db.SYSTEM, 2)
    assert (before.passed, before.override, before.verdict) == (False, None, False)
    db.override(site, sue, 2, True, "The policy slip was the customer's own suggestion")
    after = db.get_call(site, db.SYSTEM, 2)
    assert (after.passed, after.override, after.verdict) == (False, True, True)
    assert (after.overall, after.dimensions) == (before.overall, before.dimensions)
    db.override(site, sam, 2, False, "On reflection, the policy card was clear")
    assert db.get_call(site, db.SYSTEM, 2).verdict is False
    verdict = db.verdict_of(site, sue, 2)
    assert (verdict.automatic, verdict.passed, verdict.override.made_by) == (False, False, "sam")
    assert [e.verdict for e in db.reviews_of(site, sue, 2)] == [True, False]  # both kept
    findings, _ = db.verify(site)
    assert findings == []  # the call's own seal still holds: it was not touched


BAD = [  # (name, call, verdict, reason, error words)
    ("no reason", 2, True, "  ", "the reason for an override must not be empty"),
    ("the verdict it has already", 1, True, "fine", "already stands as passed (the scorer's"),
    ("a call left unfinished", 6, True, "crashed", "not finished (incomplete)"),
    ("a reason too long", 2, True, "x" * 4001, "at most 4000"),
]


@pytest.mark.parametrize("call,verdict,reason,words", [c[1:] for c in BAD],
                         ids=[c[0] for c in BAD])
def test_an_override_that_cannot_be_kept_writes_nothing(site, call, verdict, reason,
                                                        words) -> None:
    with pytest.raises(db.BadReview, match=re.escape(words)):
        db.override(site, me(site, "sue"), call, verdict, reason)
    assert db.reviews_of(site, db.SYSTEM, call) == []


def test_a_comment_is_on_a_turn_the_rep_took_or_the_whole_call(site) -> None:
    sue = me(site, "sue")
    on_turn = db.add_comment(site, sue, 1, "Good apology", turn=1)
    whole = db.add_comment(site, sue, 1, "  A model call  ")
    assert (on_turn.turn, whole.turn, whole.text) == (1, None, "A model call")
    with pytest.raises(db.BadReview, match=r"call 1 has no turn 9 \(its rep's turns are 1 to 5"):
        db.add_comment(site, sue, 1, "?", turn=9)
    with pytest.raises(db.BadReview, match="a comment must not be empty"):
        db.add_comment(site, sue, 1, "\n\t ")


def test_the_trainee_reads_the_comments_on_their_own_calls_only(site) -> None:
    sue = me(site, "sue")
    db.add_comment(site, sue, 1, "Confirm the order number", turn=2)
    db.override(site, sue, 2, True, "Judged fair")
    ann, bob = me(site, "ann"), me(site, "bob")
    assert [(e.kind, e.made_by) for e in db.reviews_of(site, ann, 1)] == [("comment", "sue")]
    assert db.get_call(site, ann, 2).override is True
    assert db.reviews_of(site, bob, 1) == [] and db.verdict_of(site, bob, 2) is None
    assert db.review_summaries(site, bob, [1, 2]) == {}
    assert db.reviews_of(site, me(site, "max"), 1) == []  # another team's supervisor


def test_certification_counts_an_override_marked_as_such(site, double_charge) -> None:
    """A failed exam overridden to passed certifies; a passed one overridden to failed does
    not, even when its certificate was stored before the override."""
    sue = me(site, "sue")
    library = [double_charge]
    bob_failed = _exam_on(site, "bob", double_charge, FAILING)
    (row,) = track_rows([TRACK], db.calls_of(site, db.SYSTEM, ["bob"]), [], library, DAY.date())
    assert row.status == "in_progress"  # a failed exam is a start
    db.override(site, sue, bob_failed, True, "The policy slip was harmless")
    calls = db.calls_of(site, db.SYSTEM, ["bob"])
    (seen,) = [c for c in certifying(calls, {double_charge.id: double_charge})
               if c.id == bob_failed]
    assert (seen.passed, seen.overridden) == (True, True)
    (row,) = track_rows([TRACK], calls, [], library, DAY.date())
    assert (row.status, row.certified_on) == ("certified", DAY.date())

    # rex passed; his certificate is stored; then his pass is overridden to failed
    with time_machine.travel(DAY, tick=False):
        assert db.record_certificates(site, "rex", [TRACK], library)
    earned = db.stored_certificates(site, db.SYSTEM, "rex")
    assert len(earned) == 1
    db.override(site, db.sign_in(site, ADMIN), 3, False, "A lucky pass: the refund was wrong")
    calls = db.calls_of(site, db.SYSTEM, ["rex"])
    (row,) = track_rows([TRACK], calls, earned, library, DAY.date())
    assert row.status == "in_progress"


def _exam_on(engine, who: str, scenario: Scenario, picks: list) -> int:
    with time_machine.travel(DAY, tick=False):
        return _exam(engine, who, scenario, picks)


def test_the_report_shows_overrides_and_comment_counts(capsys, monkeypatch, site,
                                                       backend_url) -> None:
    sue = me(site, "sue")
    db.override(site, sue, 2, True, "The policy slip was harmless")
    db.add_comment(site, sue, 2, "Mind the policy card", turn=4)
    db.add_comment(site, sue, 2, "Otherwise well handled")
    with time_machine.travel(DAY, tick=False):
        code, out, err = run_as(capsys, monkeypatch, "sue", "--db", backend_url, "report",
                                "--trainee", "ann", "--format", "json", "--tracks",
                                str(BUNDLED / "tracks"))
    assert code == 0, err
    calls = {c["call"]: c for c in json.loads(out)["calls"]}
    assert {k: calls[2][k] for k in ("passed", "override", "override_by", "override_on",
                                     "override_reason", "comments")} == {
        "passed": False, "override": "passed", "override_by": "sue",
        "override_on": date.today().isoformat(), "override_reason":
            "The policy slip was harmless", "comments": 2}
    assert (calls[1]["override"], calls[1]["comments"]) == (None, 0)
    (ann,) = json.loads(out)["trainees"]
    assert ann["passed"] == 2  # the scorer's pass and the override's
    code, out, err = run_as(capsys, monkeypatch, "sue", "--db", backend_url, "report",
                            "--trainee", "ann", "--format", "csv")
    header, *rows = out.splitlines()
    assert '"override","override_by","override_on","override_reason","comments"' in header
    assert '"passed","sue",' in rows[1]  # newest first: call 6, then 2


def test_the_report_marks_a_certificate_resting_on_an_override(capsys, monkeypatch, site,
                                                               backend_url, tmp_path,
                                                               double_charge) -> None:
    tracks = tmp_path / "tracks"
    tracks.mkdir()
    (tracks / "pay.yaml").write_text(
        "id: pay\ntitle: Payments\nrole: csr\nrequires:\n  - scenario: payment-double-charge\n"
        "pass_mark: 70\nvalid_days: 180\nrefresher_days: 30\n")
    bob_failed = _exam_on(site, "bob", double_charge, FAILING)
    db.override(site, me(site, "sue"), bob_failed, True, "Harmless slip")
    with time_machine.travel(DAY, tick=False):
        code, out, err = run_as(capsys, monkeypatch, "sue", "--db", backend_url, "report",
                                "--trainee", "bob", "--format", "json", "--tracks", str(tracks))
    assert code == 0, err
    (cert,) = json.loads(out)["certifications"]
    assert (cert["status"], cert["overridden"]) == ("certified", [bob_failed])


def test_review_and_replay_on_the_command_line(capsys, monkeypatch, site, backend_url) -> None:
    def run(who: str, *argv: str) -> tuple[int, str, str]:
        return run_as(capsys, monkeypatch, who, "--db", backend_url, *argv)

    code, out, err = run("sue", "review", "2", "--comment", "Read the policy card", "--turn",
                         "4")
    assert code == 0, err
    code, out, err = run("sue", "review", "2", "--override", "pass", "--reason",
                         "Harmless\x1b[2J slip")
    assert code == 0, err
    assert "it stands as passed (overridden)" in out and "\x1b" not in out
    assert "Harmless\\x1b[2J slip" in out  # shown as text, never obeyed
    code, _, err = run("sue", "review", "2", "--override", "fail")
    assert code == 2 and "needs --reason" in err
    code, _, err = run("ann", "review", "2", "--comment", "Thanks")
    assert code == 2 and "only a supervisor" in err
    code, out, err = run("ann", "replay", "2")
    assert code == 0, err
    assert "overridden: it stands as passed (by sue" in out
    turn4 = out.index("rep [4]")
    assert out.index("Read the policy card") > turn4
    assert out.index("Review\n") > out.index("Read the policy card")
    code, out, err = run("ann", "replay", "2", "--json")
    data = json.loads(out)
    assert (data["passed"], data["override"]) == (False, "passed")
    assert [(r["kind"], r["turn"], r["by"]) for r in data["reviews"]] == [
        ("comment", 4, "sue"), ("override", None, "sue")]
    code, out, err = run("bob", "review", "2")
    assert (code, out) == (2, "") and "no call 2 among the calls bob may see" in err


def test_verify_finds_a_review_changed_added_or_removed_outside_hotseat(site) -> None:
    sue = me(site, "sue")
    for text in ("one", "two", "three"):
        db.add_comment(site, sue, 1, text)
    db.override(site, sue, 2, True, "Harmless slip")
    assert db.verify(site)[0] == []
    with site.begin() as conn:
        conn.execute(sa.text("UPDATE reviews SET text = 'edited' WHERE text = 'one'"))
        conn.execute(sa.text("DELETE FROM reviews WHERE text = 'two'"))
        conn.execute(sa.text("UPDATE reviews SET verdict = :f WHERE kind = 'override'"),
                     {"f": False})
    findings, checked = db.verify(site)
    flagged = {(f.kind, f.id) for f in findings}
    assert flagged == {("review", 1), ("review", 3), ("review", 4)}
    assert "or an entry before it was removed" in str(findings[0])


def test_an_override_to_passed_stores_the_certificate_it_completes(site, double_charge) -> None:
    """The review screen and `hotseat review --override` store what an override earns, as an
    exam call does: a failed exam overridden to passed completes the track and its certificate
    is stored once (a second override changes nothing stored)."""
    bob_failed = _exam_on(site, "bob", double_charge, FAILING)
    with time_machine.travel(DAY, tick=False):
        assert db.certify_overridden(site, bob_failed, [TRACK], [double_charge]) == []
    assert db.stored_certificates(site, db.SYSTEM, "bob") == []
    db.override(site, me(site, "sue"), bob_failed, True, "The policy slip was harmless")
    with time_machine.travel(DAY, tick=False):
        (cert,) = db.certify_overridden(site, bob_failed, [TRACK], [double_charge])
        assert db.certify_overridden(site, bob_failed, [TRACK], [double_charge]) == []
    assert (cert.track_id, cert.earned_on) == ("pay", DAY.date())
    (stored,) = db.stored_certificates(site, db.SYSTEM, "bob")
    assert stored.track_id == "pay"
    assert db.certify_overridden(site, 10_000, [TRACK], [double_charge]) == []  # no such call
