"""Playtests from any node (simulator/playtest.py, `hotseat play FILE --from NODE`): the call so far
is the shortest way there, the node's customer line comes first, the score is the whole call's,
and a playtest is stored as one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from corepaths import FIXTURES

from simulator import db
from simulator.call import play
from simulator.cli import main
from simulator.playtest import PlaytestError, call_from, fired, play_from, shown, way_to
from simulator.scenario import Scenario, load_file

DETOUR = FIXTURES / "playtest" / "detour.yaml"
PARCEL = Path(__file__).resolve().parent / "ui" / "fixtures" / "library" / "angry-late-parcel.yaml"


def loaded(path: Path) -> Scenario:
    scenario, problems = load_file(path)
    assert scenario is not None, [str(p) for p in problems]
    return scenario


def test_the_way_there_is_the_fewest_picks_in_authored_order() -> None:
    s = loaded(PARCEL)
    assert way_to(s, "opening") == []
    assert way_to(s, "cause") == [1]
    assert way_to(s, "fix") == [1, 1]
    assert way_to(s, "opening_again") == [2]


def test_the_way_there_never_takes_a_pick_the_customer_walks_out_on() -> None:
    s = loaded(DETOUR)  # `shrug` leads straight to fix, but mood 5 + 4 reaches 9
    assert way_to(s, "fix") == ["sorry", "cause"]
    call, opening = call_from(s, "fix")
    assert not call.ended and call.node == "fix"
    assert (opening.mood, opening.level, opening.steps) == (4, 1, ("understand", "identify_cause"))
    assert call.transcript[opening.first_line].text == "Just get it to me."


def test_a_call_from_the_start_is_a_fresh_call() -> None:
    s = loaded(PARCEL)
    call, opening = call_from(s)
    assert opening.at_start and opening.first_line == 0 and call.turn == 0
    assert opening.describe() == "Playtest from the start ('opening'): a fresh call."


@pytest.mark.parametrize(("node", "message"), [
    ("nowhere", "scenario 'playtest-detour' has no node 'nowhere' (its nodes: a, b, fix, orphan, "
                "thanks)"),
    ("thanks", "node 'thanks' is an end (resolved): the call would be over before the first "
               "reply; start at a node with replies"),
    ("orphan", "node 'orphan' cannot be reached from the start ('a') without the call ending: "
               "link it from a reply first"),
])
def test_a_node_the_call_cannot_start_at_is_refused_in_plain_words(node: str, message: str) -> None:
    with pytest.raises(PlaytestError) as err:
        call_from(loaded(DETOUR), node)
    assert str(err.value) == message


def test_the_score_is_the_whole_call_s_and_the_transcript_starts_at_the_node() -> None:
    s = loaded(PARCEL)
    result, opening = play_from(s, "fix", [1, 1])
    whole = play(s, [1, 1, 1, 1])
    assert result.score() == whole.score()
    assert [line.text for line in result.transcript] == [line.text for line in whole.transcript]
    cut = shown(result, opening)
    assert cut.transcript[0].speaker == "customer" and cut.transcript[0].node == "fix"
    assert cut.facts == whole.facts


def test_events_fire_as_the_playtest_goes() -> None:
    s = loaded(PARCEL)
    call, opening = call_from(s, "cause")
    card, before, since = fired(call, opening)
    assert [e.rule for e in before] == ["acknowledge", "apologise"]  # the way there's turn 1
    assert since == []
    while not call.ended:
        call.choose(1)
    card, before, since = fired(call, opening)
    assert since and all(e.turn > 1 or e.rule == "calmed" for e in since)
    assert "calmed" in [e.rule for e in since]  # a whole-call rule: fired once the call ended
    assert [*before, *since] == list(card.events)


# -- the command line ----------------------------------------------------------------------------

def test_play_from_a_node_prints_that_node_s_line_first(capsys: Any) -> None:
    assert main(["play", str(DETOUR), "--from", "fix", "--choose", "propose"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("Playtest from node 'fix': the call so far is the shortest way there "
                      "(--choose sorry,cause), leaving mood 4, level 1, steps understand, "
                      "identify_cause.")
    assert out[3] == "  Sam Okafor: Just get it to me."
    assert "My order never came." not in "\n".join(out)


def test_play_from_a_node_as_json_says_where_it_started(capsys: Any) -> None:
    assert main(["play", str(DETOUR), "--from", "fix", "--choose", "propose", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["from"] == {"node": "fix", "lead_in": ["sorry", "cause"], "mood": 4,
                            "level": 1, "steps": ["understand", "identify_cause"]}
    assert data["transcript"][0] == {"speaker": "customer", "node": "fix",
                                     "text": "Just get it to me."}
    assert data["outcome"] == "resolved"


def test_play_from_a_node_that_is_not_there_exits_2(capsys: Any) -> None:
    assert main(["play", str(DETOUR), "--from", "nowhere", "--choose", "1"]) == 2
    assert "has no node 'nowhere'" in capsys.readouterr().err


def test_too_many_picks_from_a_node_are_counted_from_it(capsys: Any) -> None:
    assert main(["play", str(DETOUR), "--from", "fix", "--choose", "1,1"]) == 2
    assert ("the call ended after turn 1 from 'fix'; 1 pick left over"
            in capsys.readouterr().err)


def test_a_recorded_call_from_a_node_is_a_playtest(tmp_path: Path, capsys: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTSEAT_USER", "tina")
    url = "sqlite:///" + str(tmp_path / "t.db")
    assert main(["--db", url, "play", str(DETOUR), "--from", "fix", "--choose", "propose",
                 "--record"]) == 0
    engine = db.make_engine(url)
    try:
        (call,) = db.calls_of(engine, db.SYSTEM, ["tina"])
        assert call.mode == "playtest" and call.outcome == "resolved"
    finally:
        engine.dispose()


def test_play_from_opens_the_tui_at_the_node(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    from simulator.tui import HotseatApp

    seen: list[HotseatApp] = []
    monkeypatch.setattr(HotseatApp, "run", lambda self, *a, **k: seen.append(self))
    monkeypatch.setenv("HOTSEAT_USER", "tina")
    url = "sqlite:///" + str(tmp_path / "t.db")
    assert main(["--db", url, "play", str(DETOUR), "--from", "fix"]) == 0
    (app,) = seen
    assert app.start is not None and app.start.id == "playtest-detour"
    assert app.start_node == "fix"
