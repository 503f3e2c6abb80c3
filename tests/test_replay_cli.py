"""`hotseat replay CALL`: a stored call turn by turn, with the rules that fired."""

from __future__ import annotations

import json

from corepaths import GOOD
from db_fixtures import *

from simulator import db
from simulator.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_replay_shows_each_turn_with_its_events(capsys, backend_url) -> None:
    run(capsys, "--db", backend_url, "play", str(GOOD), "--choose", "2,1", "--trainee", "ann")
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


def test_a_trainee_replays_their_own_calls_only(capsys, backend_url) -> None:
    run(capsys, "--db", backend_url, "play", str(GOOD), "--choose", "1,1,1,1", "--trainee", "ann")
    engine = db.make_engine(backend_url)
    db.get_or_create_trainee(engine, "bob")
    engine.dispose()
    code, _, err = run(capsys, "--db", backend_url, "--as", "bob", "replay", "1")
    assert code == 2 and "may replay their own calls only" in err


def test_replay_an_unknown_call(capsys, backend_url) -> None:
    code, _, err = run(capsys, "--db", backend_url, "replay", "42")
    assert code == 2 and err.strip() == "hotseat: error: no call 42 in the database"
