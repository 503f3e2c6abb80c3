"""`play --trainee`, `rescore`, `report` and `trainee`, as a supervisor meets them."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
import time_machine
from corepaths import FIXTURES, GOOD
from dbhelpers import ADMIN, played, run_as, staff

from simulator import db
from simulator.cli import main
from simulator.cli.formats import neutralise

GOOD_DIR = str(FIXTURES / "good")
TRACK = """\
id: payments
title: Payments
role: csr
requires:
  - scenario: payment-double-charge
pass_mark: 75
valid_days: 180
refresher_days: 30
"""


@pytest.fixture(autouse=True)
def ann_is_asking(monkeypatch) -> None:
    """ann runs these commands (the first to use each database: its admin), unless a test
    says otherwise with run_as."""
    monkeypatch.setenv("HOTSEAT_USER", "ann")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_play_records_the_call_as_the_trainee(capsys, backend_url) -> None:
    code, out, err = run(capsys, "--db", backend_url, "play", str(GOOD), "--choose", "1,1,1,1",
                         "--trainee", "ann", "--json")
    assert code == 0 and json.loads(out)["score"]["overall"] == 94  # stdout stays pure JSON
    assert "recorded call 1 for ann" in err
    engine = db.make_engine(backend_url)
    (call,) = db.recent_calls(engine, db.SYSTEM, "ann")
    assert (call.mode, call.outcome, call.overall) == ("scripted", "resolved", 94)
    assert len(db.call_transcript(engine, db.SYSTEM, call.id)) == len(json.loads(out)["transcript"])
    engine.dispose()


def test_rescore_reports_0_differences_on_recorded_calls(capsys, backend_url) -> None:
    for picks in ("1,1,1,1", "2,1", "1,1", "1"):
        assert run(capsys, "--db", backend_url, "play", str(GOOD), "--choose", picks,
                   "--trainee", "ann")[0] == 0
    code, out, _ = run(capsys, "--db", backend_url, "rescore", "--scenarios", GOOD_DIR)
    assert (code, out) == (0, "4 calls rescored, 0 differences\n")


def test_rescore_names_a_changed_scenario(capsys, sqlite_url, tmp_path) -> None:
    copy = tmp_path / "lib" / "local-double-charge.yaml"  # an id of its own: --scenarios adds
    copy.parent.mkdir()                                     # to the bundled library
    copy.write_text(GOOD.read_text(encoding="utf-8").replace(
        "id: payment-double-charge", "id: local-double-charge"), encoding="utf-8")
    run(capsys, "--db", sqlite_url, "play", str(copy), "--choose", "1,1,1,1", "--trainee", "ann")
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace("tags: [acknowledge, apologise]", "tags: [acknowledge]", 1),
                    encoding="utf-8")
    code, out, _ = run(capsys, "--db", sqlite_url, "rescore", "--scenarios", str(copy.parent))
    assert (code, out) == (0, "1 call rescored, 0 differences\n")  # on the file as played
    code, out, _ = run(capsys, "--db", sqlite_url, "rescore", "--against-library",
                       "--scenarios", str(copy.parent))
    assert code == 1
    first, summary = out.splitlines()
    assert first.startswith("call 1 (ann, local-double-charge, ")
    assert "empathy 90 -> 70" in first and "-apologise@1 (+20 empathy)" in first
    assert "the scenario changed since (hash " in first
    assert summary == "1 call rescored, 1 difference"


def test_rescore_names_a_changed_rubric(sqlite_url, scenario) -> None:
    from scoring.rubric import default_rubric

    engine = db.make_engine(sqlite_url)
    result = played(scenario, [1, 1, 1, 1])
    call_id = db.start_call(engine, "ann", scenario, "exam")
    db.finish_call(engine, call_id, result, result.score())
    rubric = default_rubric()
    newer = rubric.model_copy(update={"version": "2027.01-1",
                                      "points": {**rubric.points, "apologise": 10}})
    (same,), _ = db.rescore_calls(engine, lambda sid: scenario)
    (moved,), _ = db.rescore_calls(engine, lambda sid: scenario, rubric=newer)
    assert not same.differs
    assert "empathy 90 -> 80" in moved.changes
    assert moved.why == f"the rubric changed since ({rubric.version} -> 2027.01-1)"
    engine.dispose()


def test_a_call_on_a_deleted_file_replays_and_rescores(capsys, sqlite_url, tmp_path) -> None:
    temporary = tmp_path / "draft.yaml"
    temporary.write_text(GOOD.read_text(encoding="utf-8").replace(
        "id: payment-double-charge", "id: draft-double-charge"), encoding="utf-8")
    assert run(capsys, "--db", sqlite_url, "play", str(temporary), "--choose", "1,1,1,1",
               "--trainee", "ann")[0] == 0
    temporary.unlink()
    code, out, _ = run(capsys, "--db", sqlite_url, "rescore")
    assert (code, out) == (0, "1 call rescored, 0 differences\n")
    code, out, _ = run(capsys, "--db", sqlite_url, "--as", "ann", "replay", "1")
    assert code == 0 and "draft-double-charge" in out and "rep [1]" in out


def test_rescore_flags_calls_it_cannot_check(capsys, sqlite_url) -> None:
    from simulator.scenario import load_bytes

    scenario, _ = load_bytes(GOOD.read_bytes().replace(b"id: payment-double-charge",
                                                       b"id: gone-double-charge"), "gone.yaml")
    engine = db.make_engine(sqlite_url)
    result = played(scenario, [1, 1, 1, 1])
    db.finish_call(engine, db.start_call(engine, "ann", scenario), result, result.score())
    db.abandon_call(engine, db.start_call(engine, "ann", scenario))  # never scored: skipped
    with engine.begin() as conn:  # a call recorded before Hotseat kept the files it was played on
        conn.execute(db.ScenarioSource.__table__.delete())
    engine.dispose()
    code, out, _ = run(capsys, "--db", sqlite_url, "rescore", "--scenarios",
                       str(FIXTURES / "broken" / "empty.yaml"))
    assert code == 1
    assert "cannot rescore: scenario 'gone-double-charge' not found" in out
    assert out.splitlines()[-1] == ("1 call rescored, 1 difference; 1 unscored "
                                    "(interrupted or under way) skipped")


NEUTRALISE_CASES = [
    ("formula", "=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("plus", "+1+1", "'+1+1"),
    ("minus", "-2+3", "'-2+3"),
    ("at", "@SUM(A1)", "'@SUM(A1)"),
    ("tab", "\t=1", "'\t=1"),
    ("carriage return", "\r=1", "'\r=1"),
    ("leading space", "  =1+1", "'  =1+1"),
    ("plain text", "Ann O'Neil", "Ann O'Neil"),
    ("inside", "a=b", "a=b"),
]


@pytest.mark.parametrize("name, text, expected", NEUTRALISE_CASES,
                         ids=[c[0] for c in NEUTRALISE_CASES])
def test_neutralise(name, text, expected) -> None:
    assert neutralise(text) == expected


def test_csv_cells_cannot_inject_formulas(capsys, monkeypatch, sqlite_url, tmp_path) -> None:
    (tmp_path / "payments.yaml").write_text(TRACK, encoding="utf-8")
    evil = "=cmd|' /C calc'!A0"
    assert run(capsys, "--db", sqlite_url, "trainee", evil, "--team", "+team",
               "--display-name", "@SUM(1)")[0] == 0
    run_as(capsys, monkeypatch, evil, "--db", sqlite_url, "play", str(GOOD), "--choose", "1,1",
           "--record")
    monkeypatch.setenv("HOTSEAT_USER", "ann")
    evil = evil.casefold()  # names are kept case-folded
    for rows in ("trainees", "calls", "certifications"):
        code, out, _ = run(capsys, "--db", sqlite_url, "report", "--format", "csv",
                           "--rows", rows, "--scenarios", GOOD_DIR, "--tracks", str(tmp_path))
        assert code == 0
        table = list(csv.DictReader(io.StringIO(out)))
        assert table and table[0]["trainee"] == "'" + evil and table[0]["team"] == "'+team"
        for row in table:
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r"))
                           for cell in row.values()), row
    code, out, _ = run(capsys, "--db", sqlite_url, "report", "--format", "csv",
                       "--rows", "trainees")
    assert next(iter(csv.DictReader(io.StringIO(out))))["display_name"] == "'@SUM(1)"


def bundled(scenario_id: str):
    from simulator.bundled import BUNDLED
    from simulator.scenario import load_file

    scenario, problems = load_file(BUNDLED / f"{scenario_id}.yaml")
    assert scenario is not None, problems
    return scenario


def _exam(url: str, trainee: str, scenario, picks: list[int | str]) -> None:
    engine = db.make_engine(url)
    result = played(scenario, picks)
    db.finish_call(engine, db.start_call(engine, trainee, scenario, "exam"), result,
                   result.score())
    engine.dispose()


def _certifications(capsys, url: str, tracks) -> dict:
    code, out, err = run(capsys, "--db", url, "report", "--format", "json", "--rows",
                         "certifications", "--tracks", str(tracks), "--scenarios", GOOD_DIR)
    assert code == 0, err
    data = json.loads(out)  # the trainees' rows (the admin who reads it is a person too)
    data["certifications"] = [c for c in data["certifications"] if c["trainee"] != ADMIN]
    return data


def test_report_certification_status_and_dates(capsys, monkeypatch, sqlite_url,
                                               tmp_path) -> None:
    scenario = bundled("payment-double-charge")  # exams count on the library's own version
    staff(sqlite_url)  # the admin reads everyone's report
    monkeypatch.setenv("HOTSEAT_USER", ADMIN)
    (tmp_path / "tracks").mkdir()
    (tmp_path / "tracks" / "payments.yaml").write_text(TRACK, encoding="utf-8")
    with time_machine.travel(datetime(2026, 1, 20, 9, tzinfo=UTC), tick=False):
        _exam(sqlite_url, "ann", scenario, ["own_it", "confirm", "cause", "ask", "resolve"])
        _exam(sqlite_url, "bob", scenario, ["final", "honour"])  # fails
        report = _certifications(capsys, sqlite_url, tmp_path / "tracks")
    assert report["date"] == "2026-01-20"
    ann, bob = report["certifications"]
    assert (ann["trainee"], ann["status"], ann["certified_on"], ann["valid_until"],
            ann["refresher_due_on"], ann["days_left"]) == (
        "ann", "certified", "2026-01-20", "2026-07-19", "2026-06-19", 180)
    assert (bob["status"], bob["missing"]) == ("in_progress", ["scenario payment-double-charge"])

    with time_machine.travel(datetime(2026, 6, 20, 9, tzinfo=UTC), tick=False):
        ann = _certifications(capsys, sqlite_url, tmp_path / "tracks")["certifications"][0]
    assert (ann["status"], ann["days_left"], ann["refresher"][0]) == (
        "refresher_due", 29, "payment-double-charge")  # the required one first, then the library

    with time_machine.travel(datetime(2026, 8, 1, 9, tzinfo=UTC), tick=False):
        _exam(sqlite_url, "ann", scenario,
              ["own_it", "confirm", "cause", "ask", "resolve"])  # renewed after expiry
        ann = _certifications(capsys, sqlite_url, tmp_path / "tracks")["certifications"][0]
    assert (ann["status"], ann["certified_on"], ann["earlier"]) == (
        "certified", "2026-08-01", ["2026-01-20..2026-07-19"])
    engine = db.make_engine(sqlite_url)
    assert db.stored_certificates(engine, db.SYSTEM, "ann") == []  # a report never writes
    engine.dispose()
    with time_machine.travel(datetime(2026, 8, 1, 10, tzinfo=UTC), tick=False):
        code, out, err = run(capsys, "--db", sqlite_url, "certify", "--tracks",
                             str(tmp_path / "tracks"), "--scenarios", GOOD_DIR)
    assert code == 0, err
    assert "ann: payments earned on 2026-01-20" in out and "2 certificates stored" in err
    engine = db.make_engine(sqlite_url)
    assert [c.earned_on.isoformat() for c in db.stored_certificates(engine, db.SYSTEM, "ann")] == [
        "2026-01-20", "2026-08-01"]
    engine.dispose()
    with time_machine.travel(datetime(2026, 8, 1, 10, tzinfo=UTC), tick=False):
        assert _certifications(capsys, sqlite_url, tmp_path / "tracks")["certifications"][0] \
            == ann  # the same rows, stored or computed
        code, _, err = run(capsys, "--db", sqlite_url, "certify", "--tracks",
                           str(tmp_path / "tracks"), "--scenarios", GOOD_DIR)
    assert code == 0 and "0 certificates stored" in err  # stored once


def test_report_table_and_json_sections(capsys, sqlite_url) -> None:
    run(capsys, "--db", sqlite_url, "play", str(GOOD), "--choose", "1,1,1,1", "--trainee", "ann")
    code, out, _ = run(capsys, "--db", sqlite_url, "report", "--scenarios", GOOD_DIR)
    assert code == 0
    assert [line.split(" (")[0] for line in out.splitlines() if not line.startswith(" ")
            and line] == ["Trainees", "Certifications", "Calls"]
    code, out, _ = run(capsys, "--db", sqlite_url, "report", "--format", "json",
                       "--scenarios", GOOD_DIR)
    data = json.loads(out)
    assert list(data) == ["date", "trainees", "certifications", "calls"]
    assert data["trainees"][0]["resolution"] == 85 and data["calls"][0]["overall"] == 94


def test_report_filters_by_team_and_trainee(capsys, sqlite_url) -> None:
    run(capsys, "--db", sqlite_url, "trainee", "ann", "--team", "blue")
    run(capsys, "--db", sqlite_url, "trainee", "bob", "--team", "red")
    _, out, _ = run(capsys, "--db", sqlite_url, "report", "--team", "blue", "--format", "json",
                    "--rows", "trainees", "--scenarios", GOOD_DIR)
    assert [t["trainee"] for t in json.loads(out)["trainees"]] == ["ann"]
    code, _, err = run(capsys, "--db", sqlite_url, "report", "--trainee", "zed")
    assert code == 2 and "no trainee 'zed'" in err


def test_a_trainee_sees_only_their_own_report(capsys, monkeypatch, sqlite_url) -> None:
    staff(sqlite_url, ann=("trainee", "blue"), bob=("trainee", "blue"),
          sue=("supervisor", "blue"))
    run_as(capsys, monkeypatch, "bob", "--db", sqlite_url, "play", str(GOOD), "--choose", "1",
           "--record")
    code, _, err = run_as(capsys, monkeypatch, "ann", "--db", sqlite_url, "report",
                          "--trainee", "bob")
    assert code == 2 and "own calls only" in err
    code, out, _ = run_as(capsys, monkeypatch, "ann", "--db", sqlite_url, "report",
                          "--format", "json", "--scenarios", GOOD_DIR)
    assert code == 0 and {t["trainee"] for t in json.loads(out)["trainees"]} == {"ann"}
    code, out, _ = run_as(capsys, monkeypatch, "sue", "--db", sqlite_url, "report",
                          "--format", "json", "--scenarios", GOOD_DIR)
    assert {t["trainee"] for t in json.loads(out)["trainees"]} == {"ann", "bob", "sue"}
    code, _, err = run_as(capsys, monkeypatch, "ann", "--db", sqlite_url, "trainee", "ann",
                          "--role", "supervisor")
    assert code == 2 and "only an admin sets roles" in err


def test_bad_database_url_is_one_line(capsys) -> None:
    code, _, err = run(capsys, "--db", "nonsense", "report")
    assert code == 2 and err.startswith("hotseat: error: not a database URL")


def _call(url: str, scenario, picks: list[int], mode: str, documentation: int | None = None,
          *, quit_early: bool = False) -> int:
    """A call of ann's, with a saved wrap-up record marked `documentation` (None: no record)."""
    from simulator.wrapup import WrapUpRecord

    engine = db.make_engine(url)
    call_id = db.start_call(engine, "ann", scenario, mode)
    result = played(scenario, picks)
    if quit_early:
        db.abandon_call(engine, call_id)
    else:
        db.finish_call(engine, call_id, result, result.score())
    if documentation is not None:
        db.save_wrapup(engine, call_id, WrapUpRecord(
            complaint="charged twice, order 4471", solution="refund", done_on_spot=True,
            documentation=documentation))
    engine.dispose()
    return call_id


def test_report_shows_the_documentation_mark_and_a_missing_exam_record(capsys, sqlite_url,
                                                                       scenario) -> None:
    marked = _call(sqlite_url, scenario, [1, 1, 1, 1], "exam", 80)
    also = _call(sqlite_url, scenario, [1, 1, 1, 1], "exam", 61)
    missing = _call(sqlite_url, scenario, [2, 1], "exam")  # ended (escalated), no record
    quit_exam = _call(sqlite_url, scenario, [1], "exam", quit_early=True)  # never asked for one
    practice = _call(sqlite_url, scenario, [1, 1, 1, 1], "practice")  # none asked for either

    code, out, err = run(capsys, "--db", sqlite_url, "report", "--json", "--scenarios", GOOD_DIR)
    assert code == 0, err
    data = json.loads(out)
    (ann,) = [t for t in data["trainees"] if t["trainee"] == "ann"]
    assert (ann["documentation"], ann["exams_without_wrapup"]) == (71, 1)  # (80 + 61) / 2
    calls = {c["call"]: (c["wrapup"], c["documentation"]) for c in data["calls"]}
    assert calls == {marked: ("yes", 80), also: ("yes", 61), missing: ("missing", None),
                     quit_exam: ("no", None), practice: ("no", None)}

    code, out, _ = run(capsys, "--db", sqlite_url, "report", "--format", "csv",
                       "--scenarios", GOOD_DIR)
    rows = {int(r["call"]): r for r in csv.DictReader(io.StringIO(out))}
    assert (rows[missing]["wrapup"], rows[missing]["documentation"]) == ("missing", "")
    assert (rows[marked]["wrapup"], rows[marked]["documentation"]) == ("yes", "80")
    code, out, _ = run(capsys, "--db", sqlite_url, "report", "--format", "csv",
                       "--rows", "trainees", "--scenarios", GOOD_DIR)
    (ann_row,) = [r for r in csv.DictReader(io.StringIO(out)) if r["trainee"] == "ann"]
    assert (ann_row["documentation"], ann_row["exams_without_wrapup"]) == ("71", "1")

    code, out, _ = run(capsys, "--db", sqlite_url, "report", "--rows", "calls",
                       "--scenarios", GOOD_DIR)
    header, *lines = out.splitlines()[1:]
    assert header.split()[-2:] == ["wrapup", "documentation"]
    (line,) = [x for x in lines if x.split()[0] == str(missing)]
    assert line.split()[-1] == "missing"  # the documentation cell is empty
    (line,) = [x for x in lines if x.split()[0] == str(marked)]
    assert line.split()[-2:] == ["yes", "80"]


def _scored_under(url: str, scenario, picks: list[int], rubric, trainee: str = "ann") -> int:
    """A call stored as scored by an older rubric (a database from before an upgrade)."""
    engine = db.make_engine(url)
    call_id = db.start_call(engine, trainee, scenario, "exam")
    result = played(scenario, picks)
    db.finish_call(engine, call_id, result, result.score(rubric))
    engine.dispose()
    return call_id


def _older(**update):
    from scoring.rubric import default_rubric

    return default_rubric().model_copy(update={"version": "2026.11-3", **update})


def test_rescore_lists_the_calls_whose_pass_or_fail_changed_first(capsys, sqlite_url,
                                                                  scenario) -> None:
    from scoring import DIMENSIONS
    from scoring.rubric import default_rubric

    now = default_rubric().version
    lenient = _older(pass_mark=0, floors={d: 0 for d in DIMENSIONS})
    strict = _older(pass_mark=99)
    same = _scored_under(sqlite_url, scenario, [1, 1, 1, 1], default_rubric())
    now_fails = _scored_under(sqlite_url, scenario, [2, 1], lenient)  # passed at 0 floors
    now_passes = _scored_under(sqlite_url, scenario, [1, 1, 1, 1], strict)  # failed below 99
    other = _scored_under(sqlite_url, scenario, [1, 1, 1, 1],  # passes either way
                          _older(points={**default_rubric().points, "apologise": 10}))
    engine = db.make_engine(sqlite_url)
    stored = {c.id: (c.passed, c.overall) for c in db.recent_calls(engine, db.SYSTEM, "ann")}
    engine.dispose()
    assert stored[now_fails][0] and not stored[now_passes][0]

    code, out, _ = run(capsys, "--db", sqlite_url, "rescore", "--scenarios", GOOD_DIR)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "Pass/fail changed (2):"
    assert lines[1].startswith(f"call {now_fails} (ann, payment-double-charge, ")
    assert lines[1].endswith(f": passed -> failed under rubric {now} (was 2026.11-3); it fails "
                             "now: Empathy 15 is below its floor of 40; Policy 50 is below its "
                             "floor of 60; Overall 66 is below the pass mark of 70")
    assert lines[2].startswith(f"call {now_passes} (ann, ")
    assert lines[2].endswith(f": failed -> passed under rubric {now} (was 2026.11-3); it had "
                             "failed: Overall 94 is below the pass mark of 99")
    assert lines[3:5] == ["", "Every difference (3):"]
    assert [int(x.split()[1]) for x in lines[5:8]] == [now_fails, now_passes, other]
    assert "passed True -> False" in lines[5]
    assert lines[8] == "4 calls rescored, 3 differences, 2 pass/fail changes"
    assert same not in [int(x.split()[1]) for x in lines[1:8] if x.startswith("call ")]

    engine = db.make_engine(sqlite_url)  # nothing stored was changed
    assert {c.id: (c.passed, c.overall)
            for c in db.recent_calls(engine, db.SYSTEM, "ann")} == stored
    engine.dispose()

    for flag in (["--json"], ["--format", "json"]):
        code, out, _ = run(capsys, "--db", sqlite_url, "rescore", "--scenarios", GOOD_DIR, *flag)
        data = json.loads(out)
        assert code == 1
        assert {k: data[k] for k in ("rescored", "differences", "pass_fail_changes",
                                     "skipped")} == {
            "rescored": 4, "differences": 3, "pass_fail_changes": 2, "skipped": 0}
        calls = {c["call"]: c for c in data["calls"]}
        assert set(calls) == {now_fails, now_passes, other}
        flip = calls[now_fails]
        assert (flip["trainee"], flip["scenario"], flip["passed_before"], flip["passed_after"],
                flip["pass_changed"], flip["rubric_before"], flip["rubric_after"]) == (
            "ann", "payment-double-charge", True, False, True, "2026.11-3", now)
        assert "passed True -> False" in flip["changes"] and flip["problem"] is None
        assert flip["why"] == f"the rubric changed since (2026.11-3 -> {now})"
        assert not calls[other]["pass_changed"] and calls[other]["passed_after"] is True


def test_rescore_prints_a_name_as_text(capsys, monkeypatch, sqlite_url, scenario) -> None:
    from scoring import DIMENSIONS

    staff(sqlite_url)  # the admin rescores everyone's calls
    monkeypatch.setenv("HOTSEAT_USER", ADMIN)
    call_id = _scored_under(sqlite_url, scenario, [2, 1],
                            _older(pass_mark=0, floors={d: 0 for d in DIMENSIONS}), "eve")
    engine = db.make_engine(sqlite_url)  # a name stored before names were checked
    with engine.begin() as conn:
        conn.execute(db.Trainee.__table__.update().where(db.Trainee.__table__.c.name == "eve")
                     .values(name="eve\x1b[2J\rmallory"))
    engine.dispose()
    code, out, _ = run(capsys, "--db", sqlite_url, "rescore", "--scenarios", GOOD_DIR)
    assert code == 1 and "\x1b" not in out and "\r" not in out
    assert out.count(f"call {call_id} (eve\\x1b[2J\\rmallory, payment-double-charge, ") == 2
