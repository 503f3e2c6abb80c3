"""`hotseat replay CALL`: a stored call turn by turn, with the rules that fired."""

from __future__ import annotations

import json

import pytest
from corepaths import GOOD
from dbhelpers import run_as, staff

PLAY = ("play", str(GOOD), "--record", "--choose")


def test_replay_shows_each_turn_with_its_events(capsys, monkeypatch, backend_url) -> None:
    staff(backend_url, ann=("trainee", "blue"), sue=("supervisor", "blue"))
    run_as(capsys, monkeypatch, "ann", "--db", backend_url, *PLAY, "2,1")
    code, out, _ = run_as(capsys, monkeypatch, "sue", "--db", backend_url, "replay", "1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Call 1: ann, payment-double-charge (scripted)")
    assert "escalated at level 3; " in lines[1] and " failed" in lines[1]
    rep1 = lines.index("  rep [1]  All card charges are final, that's company policy.")
    assert "policy" in lines[rep1 + 1] and "(weaponise_policy)" in lines[rep1 + 1]
    assert "  customer  Unbelievable. Get me your manager." in lines


def test_replay_json_matches_what_was_stored(capsys, monkeypatch, backend_url) -> None:
    staff(backend_url, ann=("trainee", "blue"))
    run_as(capsys, monkeypatch, "ann", "--db", backend_url, *PLAY, "1,1,1,1")
    code, out, _ = run_as(capsys, monkeypatch, "ann", "--db", backend_url, "replay", "1",
                          "--json")
    data = json.loads(out)
    assert code == 0 and data["trainee"] == "ann"
    code, again, _ = run_as(capsys, monkeypatch, "ann", "--db", backend_url, "replay", "1",
                            "--format", "json")
    assert again == out
    assert data["events"] and all(e["turn"] >= 1 for e in data["events"])
    assert len(data["transcript"]) == 9


REFUSED = ("hotseat: error: no call 1 among the calls bob may see (a trainee sees their own "
           "calls)\n")
# (name, who replays ann's call 1, exit code, what stderr says)
VIEWERS = [
    ("the trainee who owns the call", "ann", 0, ""),
    ("another trainee is refused", "bob", 2, REFUSED),
    ("a supervisor of ann's team", "sue", 0, ""),
    ("a supervisor of another team is refused", "max", 2,
     "hotseat: error: no call 1 among the calls max may see (a supervisor sees the calls of "
     "their teams)\n"),
    ("a trainer is refused", "tim", 2,
     "hotseat: error: no call 1 among the calls tim may see (a trainer sees their own "
     "calls)\n"),
    ("someone unknown is refused", "stranger", 2,
     "hotseat: error: no call 1 among the calls stranger may see (a trainee sees their own "
     "calls)\n"),
    ("the admin", "ada", 0, ""),
]


@pytest.mark.parametrize("name, viewer, code, err", VIEWERS, ids=[v[0] for v in VIEWERS])
def test_who_may_replay_a_call(capsys, monkeypatch, backend_url, name, viewer, code,
                               err) -> None:
    staff(backend_url, ann=("trainee", "blue"), bob=("trainee", "blue"),
          sue=("supervisor", "blue"), max=("supervisor", "red"), tim=("trainer", "blue"))
    run_as(capsys, monkeypatch, "ann", "--db", backend_url, *PLAY, "1,1,1,1")
    got = run_as(capsys, monkeypatch, viewer, "--db", backend_url, "replay", "1")
    assert (got[0], got[2]) == (code, err)
    if code == 0:
        assert got[1].startswith("Call 1: ann, payment-double-charge (scripted)")
    else:
        assert got[1] == ""  # nothing of the call is shown


def test_replay_an_unknown_call(capsys, monkeypatch, backend_url) -> None:
    staff(backend_url)
    code, _, err = run_as(capsys, monkeypatch, "ada", "--db", backend_url, "replay", "42")
    assert code == 2 and err.strip() == ("hotseat: error: no call 42 among the calls ada may "
                                         "see (an admin sees every call)")
