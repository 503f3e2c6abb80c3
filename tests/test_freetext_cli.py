"""`hotseat match` and `hotseat play FILE --say` (issue 15, item 6), with the fallback engine
so that they run without the extra."""

from __future__ import annotations

import io
import json

import pytest
from corepaths import GOOD

from simulator.bundled import BUNDLED
from simulator.cli import main
from simulator.freetext import ENGINE_ENV
from simulator.scenario import load_file

FILE = str(BUNDLED / "payment-double-charge.yaml")


@pytest.fixture(autouse=True)
def lexical(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_ENV, "lexical")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_match_json_one_object_per_text_in_the_contract_s_shape(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "match", FILE, "--node", "fix", "--json",
                         "refund to your card or credit on your account, which do you prefer?",
                         "what's the weather like?")
    assert code == 0
    assert "lexical fallback" in err and "hotseat[freetext]" in err  # it says so
    first, second = (json.loads(line) for line in out.splitlines())
    assert list(first) == ["text", "decision", "option", "candidates", "engine"]
    assert first["decision"] == "match" and first["option"] == 1
    assert first["candidates"][0] == {"option": 1, "id": "ask",
                                      "similarity": first["candidates"][0]["similarity"]}
    assert [c["option"] for c in first["candidates"]][0] == 1
    assert len(first["candidates"]) == 3 and first["engine"] == "lexical"
    assert second["decision"] == "none" and second["option"] is None


def test_match_reads_standard_input_when_no_text_is_given(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(
        "card payments are final, that's the policy\n\nour system never charges twice\n"))
    code, out, _ = run(capsys, "match", FILE, "--node", "opening", "--json")
    assert code == 0
    assert [json.loads(line)["option"] for line in out.splitlines()] == [3, 2]


def test_match_text_lines_say_the_decision(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "match", FILE, "--node", "fix", "nothing I can do, 10 days",
                       "hello\x1b[2J")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("match: option 3 (wait) at " + lines[0].rsplit(" ", 1)[1])
    assert "\x1b" not in out and "none (closest:" in lines[1]


@pytest.mark.parametrize(("argv", "message"), [
    (["--node", "nowhere", "x"], "no node 'nowhere'"),
    (["--node", "thanks", "x"], "node 'thanks' ends the call"),
    (["--node", "fix", ""], "TEXT 1 is empty"),
])
def test_match_refuses_bad_requests_with_exit_2(capsys: pytest.CaptureFixture[str],
                                                 argv: list[str], message: str) -> None:
    code, _, err = run(capsys, "match", FILE, *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_play_say_plays_matches_a_none_and_prints_the_matches(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "play", FILE, "--json",
                       "--say", "What's the weather like?",
                       "--say", "sorry, a double charge is alarming, let's look at it together, "
                                "order number?",
                       "--say", "order 4471, two charges of 86.40 on march 3rd, right?")
    assert code == 0
    data = json.loads(out)
    assert list(data)[-1] == "matches" and len(data["matches"]) == 3
    assert [m["decision"] for m in data["matches"]] == ["none", "match", "match"]
    trainee = [t for t in data["transcript"] if t["speaker"] == "trainee"]
    assert [t["option"] for t in trainee] == [None, 1, 1]
    assert trainee[0]["text"] == "What's the weather like?"  # the rep's words, matched nothing
    assert data["transcript"][2]["text"].startswith("Sorry, I'm not sure what you mean")
    scenario, _ = load_file(BUNDLED / "payment-double-charge.yaml")
    assert scenario is not None
    played = [scenario.nodes[n].options[0].mood for n in ("opening", "details")]  # type: ignore[index]
    assert data["mood"]["end"] == data["mood"]["start"] + 1 + sum(played)  # the none: +1
    assert data["outcome"] == "incomplete"


def test_play_say_prints_what_choose_prints_for_the_same_options(
        capsys: pytest.CaptureFixture[str]) -> None:
    _, said, _ = run(capsys, "play", str(GOOD), "--json", "--say",
                     "I'm sorry, seeing a charge twice is alarming. Let me look at it with you")
    _, chosen, _ = run(capsys, "play", str(GOOD), "--json", "--choose", "1")
    said_data = json.loads(said)
    said_data.pop("matches")
    assert said_data == json.loads(chosen)


def test_play_say_left_over_replies_and_both_ways_are_refused(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "play", str(GOOD), "--say", "all card charges are final, policy",
                       "--say", "get my supervisor in now, two minutes",
                       "--say", "one more")
    assert code == 2 and "the call ended after turn 2; 1 reply left over" in err
    code, _, err = run(capsys, "play", str(GOOD), "--say", "x", "--choose", "1")
    assert code == 2 and "either --choose or --say" in err
