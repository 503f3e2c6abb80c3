"""Free-text calls in trainees.db (issue 15, item 5): each typed reply is stored beside the
option it played, with the engine, the decision and the similarity; replay shows both;
rescoring replays the stored matches and never matches again. On SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from dbhelpers import run_as

from simulator import db
from simulator.bundled import BUNDLED
from simulator.freetext import ENGINE_ENV
from simulator.freetext.matcher import ScenarioMatcher

FILE = str(BUNDLED / "payment-double-charge.yaml")
SAID = ["What's the weather like?",
        "sorry, a double charge is alarming, lets look at it together, order number?",
        "order 4471, two charges of 86.40 on march 3rd, right? company policy, don't worry"]


@pytest.fixture(autouse=True)
def lexical(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_ENV, "lexical")


def _record(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            url: str) -> dict[str, object]:
    argv = ["--db", url, "play", FILE, "--record", "--json"]
    for text in SAID:
        argv += ["--say", text]
    code, out, err = run_as(capsys, monkeypatch, "ann", *argv)
    assert code == 0, err
    assert "recorded call 1" in err
    played: dict[str, object] = json.loads(out)
    return played


def test_a_typed_call_is_stored_with_what_was_typed_and_its_match(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        backend_url: str) -> None:
    _record(capsys, monkeypatch, backend_url)
    engine = db.make_engine(backend_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT turn, option, text, typed, match_engine, match_decision, similarity, "
            "typed_tags, typed_notes FROM turns WHERE speaker = 'trainee' ORDER BY idx")).all()
    engine.dispose()
    assert [r.typed for r in rows] == SAID
    assert [r.option for r in rows] == [None, 1, 1]
    assert rows[0].text == SAID[0] and rows[1].text.startswith("I'm sorry, seeing a charge")
    assert {r.match_engine for r in rows} == {"lexical"}
    assert [r.match_decision for r in rows] == ["none", "match", "match"]
    assert rows[0].similarity is None and 0 < rows[1].similarity < 1
    assert rows[2].typed_tags == "weaponise_policy"
    assert rows[1].typed_notes is None  # the option played apologises already: nothing to add
    assert rows[2].typed_notes is not None and "vague promise" in rows[2].typed_notes


def test_replay_shows_the_option_played_and_what_was_typed(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        backend_url: str) -> None:
    _record(capsys, monkeypatch, backend_url)
    code, out, _ = run_as(capsys, monkeypatch, "ann", "--db", backend_url, "replay", "1")
    assert code == 0
    assert "typed: \"What's the weather like?\" -> none of the replies (none, lexical)" in out
    assert "-> option 1 (own_it) (match, lexical 0." in out
    assert "your words: weaponise_policy (scored)" in out
    code, out, _ = run_as(capsys, monkeypatch, "ann", "--db", backend_url, "replay", "1",
                          "--json")
    trainee = [t for t in json.loads(out)["transcript"] if t["speaker"] == "trainee"]
    assert [t["typed"]["text"] for t in trainee] == SAID
    assert trainee[2]["typed"]["tags"] == ["weaponise_policy"]
    assert trainee[1]["option"] == 1 and trainee[1]["typed"]["decision"] == "match"


def test_rescoring_replays_the_stored_matches_without_matching_again(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        backend_url: str) -> None:
    _record(capsys, monkeypatch, backend_url)

    def never(*_: object) -> None:
        raise AssertionError("rescoring matched typed text again")

    monkeypatch.setattr(ScenarioMatcher, "match", never)
    monkeypatch.setattr(ScenarioMatcher, "__init__", never)
    code, out, err = run_as(capsys, monkeypatch, "ann", "--db", backend_url, "rescore",
                            "--json")
    assert code == 0, err
    report = json.loads(out)
    # the same score: the none turn's mood and the tag the words earned were replayed
    assert report["rescored"] == 1 and report["differences"] == 0, report


def test_migration_0008_adds_the_columns_and_takes_them_away(backend_url: str) -> None:
    from test_db_migrations import _migrate

    engine = db.make_engine(backend_url)  # at HEAD
    engine.dispose()
    _migrate(backend_url, "0007", "downgrade")
    inspect = sa.create_engine(backend_url)
    columns = {c["name"] for c in sa.inspect(inspect).get_columns("turns")}
    assert "typed" not in columns and "similarity" not in columns
    inspect.dispose()
    _migrate(backend_url, "0008")
    inspect = sa.create_engine(backend_url)
    found = sa.inspect(inspect)
    columns = {c["name"] for c in found.get_columns("turns")}
    assert {"typed", "match_engine", "match_decision", "similarity", "typed_tags",
            "typed_notes"} <= columns
    assert "ix_turns_typed" in {i["name"] for i in found.get_indexes("turns")}
    inspect.dispose()
