"""Who may see and do what, through every command that reads calls or people, on SQLite and
PostgreSQL: a trainee sees their own; an unknown name no more than a trainee; --as is for admins
and supervisors; only an admin changes roles; a supervisor sees their teams."""

from __future__ import annotations

import json

import pytest
from corepaths import GOOD
from dbhelpers import ADMIN, run_as, staff

from simulator import db
from simulator.wrapup import WrapUpRecord

PLAY = ("play", str(GOOD), "--record", "--choose")


@pytest.fixture
def site(capsys, monkeypatch, backend_url) -> str:
    """Team blue: ann and bob (trainees), sue (their supervisor); team red: rex (trainee) and
    max (its supervisor); tim, a trainer. ann, bob and rex each recorded a call (1, 2, 3), ann's
    with a wrap-up."""
    staff(backend_url, ann=("trainee", "blue"), bob=("trainee", "blue"),
          sue=("supervisor", "blue"), rex=("trainee", "red"), max=("supervisor", "red"),
          tim=("trainer", None))
    for who in ("ann", "bob", "rex"):
        code, _, err = run_as(capsys, monkeypatch, who, "--db", backend_url, *PLAY, "1,1,1,1")
        assert code == 0, err
    engine = db.make_engine(backend_url)
    db.save_wrapup(engine, 1, WrapUpRecord("Charged twice for 4471", "Refund", True))
    engine.dispose()
    return backend_url


def report_names(capsys, monkeypatch, url: str, who: str, *extra: str) -> set[str]:
    code, out, err = run_as(capsys, monkeypatch, who, "--db", url, "report", "--format", "json",
                            *extra)
    assert code == 0, err
    data = json.loads(out)
    return {t["trainee"] for t in data["trainees"]} | {c["trainee"] for c in data["calls"]}


SEES = [  # (name, who, the people whose rows their report shows)
    ("a trainee sees their own", "ann", {"ann"}),
    ("someone unknown sees no one", "stranger", set()),
    ("a trainer sees their own row only", "tim", {"tim"}),
    ("a supervisor sees their teams", "sue", {"ann", "bob", "sue"}),
    ("another supervisor sees theirs", "max", {"rex", "max"}),
    ("the admin sees everyone", ADMIN, {"ann", "bob", "rex", "sue", "max", "tim", ADMIN}),
]


@pytest.mark.parametrize("who,expected", [c[1:] for c in SEES], ids=[c[0] for c in SEES])
def test_report_shows_what_the_role_allows(capsys, monkeypatch, site, who, expected) -> None:
    if who == "stranger":
        code, _, err = run_as(capsys, monkeypatch, who, "--db", site, "report")
        assert code == 2 and "no trainee 'stranger'" in err
        return
    assert report_names(capsys, monkeypatch, site, who) == expected


def test_a_trainee_cannot_read_anothers_calls_wrapups_or_scores(capsys, monkeypatch,
                                                                site) -> None:
    engine = db.make_engine(site)
    bob = db.sign_in(engine, "bob")
    assert db.get_call(engine, bob, 1) is None
    assert db.call_transcript(engine, bob, 1) == []
    assert db.call_events(engine, bob, 1) == []
    assert db.get_wrapup(engine, bob, 1) is None
    assert db.calls_of(engine, bob, ["ann"]) == []
    assert [c.trainee for c in db.calls_of(engine, bob)] == ["bob"]
    ann = db.sign_in(engine, "ann")
    assert db.get_wrapup(engine, ann, 1) is not None and db.call_events(engine, ann, 1)
    engine.dispose()
    code, out, err = run_as(capsys, monkeypatch, "bob", "--db", site, "report", "--trainee",
                            "ann")
    assert code == 2 and out == "" and "own calls only" in err
    for command in (("replay", "1"), ("replay", "1", "--json")):
        code, out, _ = run_as(capsys, monkeypatch, "bob", "--db", site, *command)
        assert (code, out) == (2, "")


def test_rescore_goes_over_what_the_viewer_may_see(capsys, monkeypatch, site) -> None:
    expected = {"ann": 1, "sue": 2, "max": 1, ADMIN: 3, "stranger": 0}
    for who, count in expected.items():
        code, out, err = run_as(capsys, monkeypatch, who, "--db", site, "rescore")
        assert code == 0, err
        assert out.splitlines()[-1].startswith(f"{count} call"), (who, out)


@pytest.mark.parametrize("who", ["ann", "tim", "stranger"])
def test_as_is_refused_to_anyone_but_admins_and_supervisors(capsys, monkeypatch, site,
                                                            who) -> None:
    code, out, err = run_as(capsys, monkeypatch, who, "--db", site, "--as", "bob", "report")
    assert code == 2 and out == ""
    assert "only an admin or a supervisor may use Hotseat as someone else" in err
    code, _, err = run_as(capsys, monkeypatch, who, "--db", site, "replay", "2", "--as", "bob")
    assert code == 2 and "as someone else" in err  # --as after the command, the same


AS = [  # (name, who, --as, allowed)
    ("the admin as anyone", ADMIN, "rex", True),
    ("a supervisor as a trainee of their team", "sue", "bob", True),
    ("a supervisor as a trainee of another team", "sue", "rex", False),
    ("a supervisor as another supervisor", "sue", "max", False),
]


@pytest.mark.parametrize("who,as_name,allowed", [c[1:] for c in AS], ids=[c[0] for c in AS])
def test_as_for_admins_and_supervisors(capsys, monkeypatch, site, who, as_name,
                                       allowed) -> None:
    code, out, err = run_as(capsys, monkeypatch, who, "--db", site, "report", "--as", as_name,
                            "--format", "json")
    if allowed:
        assert code == 0, err
        assert {t["trainee"] for t in json.loads(out)["trainees"]} == {as_name}
    else:
        assert code == 2 and out == "" and "--as works for the trainees of their teams" in err


ROLES = [  # (name, who, argv, allowed, words of the refusal)
    ("the admin makes a supervisor", ADMIN, ["people", "set", "bob", "--role", "supervisor"],
     True, ""),
    ("a supervisor may not set roles", "sue", ["people", "set", "bob", "--role", "trainer"],
     False, "only an admin sets roles"),
    ("a trainee may not set roles", "ann", ["trainee", "ann", "--role", "supervisor"], False,
     "only an admin sets roles"),
    ("someone unknown may not set roles", "stranger", ["people", "set", "ann", "--role",
                                                        "admin"], False,
     "only an admin sets roles"),
    ("a supervisor moves a trainee within their teams", "sue",
     ["people", "set", "ann", "--display-name", "Ann O."], True, ""),
    ("a supervisor may not touch another team", "sue", ["people", "set", "rex", "--team",
                                                        "blue"], False,
     "may manage their teams' trainees"),
    ("a supervisor adds a trainee to their team", "sue", ["people", "add", "newbie", "--team",
                                                          "blue"], True, ""),
    ("a trainee may not add anyone", "ann", ["people", "add", "pal", "--team", "blue"], False,
     "may manage no one"),
    ("the only admin stays admin", ADMIN, ["people", "set", ADMIN, "--role", "trainee"], False,
     "the only admin"),
]


@pytest.mark.parametrize("who,argv,allowed,words", [c[1:] for c in ROLES],
                         ids=[c[0] for c in ROLES])
def test_only_an_admin_sets_roles(capsys, monkeypatch, site, who, argv, allowed,
                                  words) -> None:
    code, out, err = run_as(capsys, monkeypatch, who, "--db", site, *argv)
    if allowed:
        assert code == 0, err
    else:
        assert code == 2 and words in err and out == "", err


def test_people_list_shows_what_the_role_allows(capsys, monkeypatch, site) -> None:
    seen = {}
    for who in ("ann", "sue", ADMIN):
        code, out, err = run_as(capsys, monkeypatch, who, "--db", site, "people", "list",
                                "--json")
        assert code == 0, err
        seen[who] = {p["name"] for p in json.loads(out)["people"]}
    assert seen == {"ann": {"ann"}, "sue": {"ann", "bob", "sue"},
                    ADMIN: {"ann", "bob", "sue", "rex", "max", "tim", ADMIN}}


def test_newcomers_may_be_refused(capsys, monkeypatch, site) -> None:
    code, _, err = run_as(capsys, monkeypatch, "ann", "--db", site, "people", "newcomers",
                          "refuse")
    assert code == 2 and "only an admin" in err
    assert run_as(capsys, monkeypatch, ADMIN, "--db", site, "people", "newcomers",
                  "refuse")[0] == 0
    code, _, err = run_as(capsys, monkeypatch, "walkin", "--db", site, *PLAY, "1")
    assert code == 2 and "does not let newcomers start" in err
    assert run_as(capsys, monkeypatch, "Ann ", "--db", site, *PLAY, "1")[0] == 0  # names fold


def test_names_are_one_person_whatever_their_case(capsys, monkeypatch, site) -> None:
    code, _, err = run_as(capsys, monkeypatch, ADMIN, "--db", site, "people", "add", "ANN")
    assert code == 2 and "ann is already here" in err
