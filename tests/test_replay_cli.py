"""`hotseat replay CALL`: a stored call turn by turn, with the rules that fired."""

from __future__ import annotations

import json

import pytest
from corepaths import GOOD

from simulator import db
from simulator.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def people(url: str, **roles: str) -> None:
    """Put these people in the database with these roles (created if new)."""
    engine = db.make_engine(url)
    for name, role in roles.items():
        db.get_or_create_trainee(engine, name)
        db.set_role(engine, name, role)
    engine.dispose()


def test_replay_shows_each_turn_with_its_events(capsys, backend_url) -> None:
    run(capsys, "--db", backend_url, "play", str(GOOD), "--choose", "2,1", "--trainee", "ann")
    people(backend_url, sue="supervisor")
    code, out, _ = run(capsys, "--db", backend_url, "--as", "sue", "replay", "1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Call 1: ann, payment-double-charge (scripted)")
    assert "escalated at level 3; 74 failed" in lines[1]
    rep1 = lines.index("  rep [1]  All card charges are final, that's company policy.")
    assert "-50 policy" in lines[rep1 + 1] and "(weaponise_policy)" in lines[rep1 + 1]
    assert "  customer  Unbelievable. Get me your manager." in lines


def test_replay_json_matches_what_was_stored(capsys, backend_url) -> None:
    run(capsys, "--db", backend_url, "play", str(GOOD), "--choose", "1,1,1,1", "--trainee", "ann")
    code, out, _ = run(capsys, "--db", backend_url, "--as", "ann", "replay", "1", "--json")
    data = json.loads(out)
    assert code == 0 and data["overall"] == 96 and data["trainee"] == "ann"
    assert [e["rule"] for e in data["events"]] == ["acknowledge", "apologise", "no_confirm"]
    assert len(data["transcript"]) == 9


REFUSED = "hotseat: error: bob is a trainee: a trainee may replay their own calls only\n"
# (name, who replays ann's call 1, exit code, what stderr says)
VIEWERS = [
    ("the trainee who owns the call", "ann", 0, ""),
    ("another trainee is refused", "bob", 2, REFUSED),
    ("a supervisor", "sue", 0, ""),
]


@pytest.mark.parametrize("name, viewer, code, err", VIEWERS, ids=[v[0] for v in VIEWERS])
def test_a_trainee_replays_their_own_calls_only(capsys, backend_url, name, viewer, code,
                                                err) -> None:
    run(capsys, "--db", backend_url, "play", str(GOOD), "--choose", "1,1,1,1", "--trainee", "ann")
    people(backend_url, ann="trainee", bob="trainee", sue="supervisor")
    got = run(capsys, "--db", backend_url, "--as", viewer, "replay", "1")
    assert (got[0], got[2]) == (code, err)
    if code == 0:
        assert got[1].startswith("Call 1: ann, payment-double-charge (scripted)")
    else:
        assert got[1] == ""  # nothing of the call is shown


@pytest.mark.xfail(strict=True, reason="issue 10: unknown names get full access")
def test_an_unknown_name_cannot_replay_anyones_call(capsys, sqlite_url) -> None:
    run(capsys, "--db", sqlite_url, "play", str(GOOD), "--choose", "1,1,1,1", "--trainee", "ann")
    code, out, _ = run(capsys, "--db", sqlite_url, "--as", "stranger", "replay", "1")
    assert code != 0 and out == ""


def test_replay_an_unknown_call(capsys, backend_url) -> None:
    code, _, err = run(capsys, "--db", backend_url, "replay", "42")
    assert code == 2 and err.strip() == "hotseat: error: no call 42 in the database"
