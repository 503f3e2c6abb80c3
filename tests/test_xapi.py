"""`report --format xapi` (issue 13, item 6): one xAPI statement per call, checked field by field
on calls that passed, failed (one of them by a supervisor's override), were practice, or were
left unfinished; the person is an opaque account, stable, never their name."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from dbhelpers import ADMIN, played, run_as, staff

from simulator import db
from simulator.xapi import ACTIVITY_TYPE, DEFAULT_HOME, duration

ADL = "http://adlnet.gov/expapi/verbs/"
ISO_DURATION = re.compile(r"^P(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def site(backend_url, scenario):
    """ann's calls: 1 a passed exam (2 min 5 s), 2 a failed exam, 3 a passed exam a supervisor
    overrode to failed, 4 a practice call, 5 an exam left unfinished, 6 an exam under way.
    bob (team red): 7 a passed exam."""
    staff(backend_url, ann=("trainee", "blue"), sue=("supervisor", "blue"),
          bob=("trainee", "red"))
    engine = db.make_engine(backend_url)
    with time_machine.travel(START, tick=False) as clock:
        for who, picks, mode in (("ann", [1, 1, 1, 1], "exam"), ("ann", [2, 1], "exam"),
                                 ("ann", [1, 1, 1, 1], "exam"),
                                 ("ann", [1, 1, 1, 1], "practice")):
            result = played(scenario, picks)
            call_id = db.start_call(engine, who, scenario, mode)
            clock.shift(timedelta(minutes=2, seconds=5))
            db.finish_call(engine, call_id, result, result.score())
        part = played(scenario, [1])
        db.abandon_call(engine, db.start_call(engine, "ann", scenario, "exam"), part.score(),
                        result=part)
        db.start_call(engine, "ann", scenario, "exam")
        result = played(scenario, [1, 1, 1, 1])
        db.finish_call(engine, db.start_call(engine, "bob", scenario, "exam"), result,
                       result.score())
    db.override(engine, db.sign_in(engine, "sue"), 3, False, "Read back the amount")
    yield engine
    engine.dispose()


def statements(capsys, monkeypatch, url: str, who: str, *extra: str) -> list[dict]:
    """The statements `who` exports, the same day (call 6 is still under way then, not taken
    for a crashed call)."""
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        code, out, err = run_as(capsys, monkeypatch, who, "--db", url, "report", "--format",
                                "xapi", *extra)
    assert code == 0, err
    made = json.loads(out)
    assert out.splitlines() == (["["] + [json.dumps(s, ensure_ascii=False) + "," for s in made[:-1]]
                                + [json.dumps(s, ensure_ascii=False) for s in made[-1:]]
                                + ["]"] if made else ["[]"])  # a JSON array, a statement a line
    return made


def check_structure(s: dict, home: str) -> None:
    """What the xAPI 1.0.3 specification requires of a statement, and what Hotseat adds."""
    assert set(s) >= {"id", "actor", "verb", "object", "result", "context", "timestamp"}
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                        s["id"])
    actor = s["actor"]
    assert actor["objectType"] == "Agent" and set(actor) == {"objectType", "account"}
    assert actor["account"]["homePage"] == home
    assert re.fullmatch(r"[0-9a-f]{32}", actor["account"]["name"])
    assert s["verb"]["id"] in {ADL + v for v in ("passed", "failed", "completed", "attempted")}
    assert s["verb"]["display"] == {"en-US": s["verb"]["id"].rsplit("/", 1)[1]}
    activity = s["object"]
    assert activity["objectType"] == "Activity"
    assert activity["id"].startswith(home + "/scenarios/")
    assert activity["definition"]["type"] == ACTIVITY_TYPE
    assert all(isinstance(v, str) and v for v in activity["definition"]["name"].values())
    result = s["result"]
    assert isinstance(result["success"], bool) and isinstance(result["completion"], bool)
    assert ISO_DURATION.match(result["duration"]), result["duration"]
    if "score" in result:
        score = result["score"]
        assert set(score) == {"scaled", "raw", "min", "max"}
        assert 0 <= score["scaled"] <= 1
        assert score["min"] <= score["raw"] <= score["max"]
        assert score["scaled"] == pytest.approx(score["raw"] / score["max"])
    for iri in [*result.get("extensions", {}), *s["context"]["extensions"]]:
        assert iri.startswith(home + "/xapi/")
    assert TIMESTAMP.match(s["timestamp"])


def test_every_statement_has_the_structure_xapi_requires(capsys, monkeypatch, site,
                                                         backend_url) -> None:
    made = statements(capsys, monkeypatch, backend_url, "sue")
    for s in made:
        check_structure(s, DEFAULT_HOME)
    by_call = {s["context"]["extensions"][f"{DEFAULT_HOME}/xapi/call"]: s for s in made}
    assert sorted(by_call) == [1, 2, 3, 4, 5]  # 6 is under way: no statement yet; 7 is red's
    verbs = {c: s["verb"]["id"].rsplit("/", 1)[1] for c, s in by_call.items()}
    assert verbs == {1: "passed", 2: "failed", 3: "failed", 4: "completed", 5: "attempted"}
    passed, failed, overridden, practice, unfinished = (by_call[i] for i in range(1, 6))
    assert passed["result"]["score"] == {"scaled": 0.94, "raw": 94, "min": 0, "max": 100}
    assert (passed["result"]["success"], passed["result"]["completion"]) == (True, True)
    assert passed["result"]["duration"] == "PT2M5S"
    assert passed["timestamp"] == "2026-05-04T09:00:00Z"
    assert passed["result"]["extensions"] == {f"{DEFAULT_HOME}/xapi/dimensions/{d}": v for d, v
                                              in db.get_call(site, db.SYSTEM, 1).dimensions.items()}
    assert passed["context"]["extensions"][f"{DEFAULT_HOME}/xapi/rubric-version"] == \
        db.get_call(site, db.SYSTEM, 1).rubric_version
    assert failed["result"]["success"] is False
    ext = overridden["context"]["extensions"]
    assert (overridden["result"]["success"], ext[f"{DEFAULT_HOME}/xapi/override"],
            ext[f"{DEFAULT_HOME}/xapi/scorer-passed"]) == (False, "failed", True)
    assert (unfinished["result"]["completion"], unfinished["result"]["success"]) == (False, False)
    assert practice["object"] == passed["object"]
    assert passed["object"]["definition"]["name"] == {"en": "Charged twice for one order"}
    assert len({s["id"] for s in made}) == len(made)


def test_the_actor_is_opaque_stable_and_the_home_page_configurable(
        capsys, monkeypatch, site, backend_url) -> None:
    home = "https://lms.example.com/hotseat"
    first = statements(capsys, monkeypatch, backend_url, "sue", "--xapi-home", home + "/")
    again = statements(capsys, monkeypatch, backend_url, ADMIN, "--xapi-home", home)
    for s in first:
        check_structure(s, home)
    assert "ann" not in json.dumps(first)
    accounts = {s["actor"]["account"]["name"] for s in again}
    assert len(accounts) == 2  # ann and bob, one name each
    ann = {s["actor"]["account"]["name"] for s in first}
    assert len(ann) == 1 and ann < accounts  # the same name for ann, whoever exports
    assert [s["id"] for s in first] == [s["id"] for s in again if s["actor"]["account"]["name"]
                                        in ann]  # the same statement ids: an LRS keeps one
    mine = statements(capsys, monkeypatch, backend_url, "ann", "--last", "1")
    assert len(mine) == 0  # ann's last call is under way
    assert len(statements(capsys, monkeypatch, backend_url, "ann", "--last", "2")) == 1


@pytest.mark.parametrize("home", ["ftp://x.org", "hotseat.invalid", "https://x.org/a b",
                                  "https://x.org/?q=1", ""])
def test_a_home_page_that_is_no_web_address_is_refused(capsys, monkeypatch, sqlite_url,
                                                        home) -> None:
    staff(sqlite_url, ann=("trainee", "blue"))
    code, out, err = run_as(capsys, monkeypatch, ADMIN, "--db", sqlite_url, "report",
                            "--format", "xapi", "--xapi-home", home)
    assert (code, out) == (2, "") and "is not a web address" in err


DURATIONS = [(0, "PT0S"), (59, "PT59S"), (60, "PT1M"), (3600, "PT1H"), (3725, "PT1H2M5S"),
             (-5, "PT0S")]


@pytest.mark.parametrize("seconds,expected", DURATIONS)
def test_durations_in_iso_8601(seconds, expected) -> None:
    assert duration(START, START + timedelta(seconds=seconds)) == expected
    assert ISO_DURATION.match(expected)
