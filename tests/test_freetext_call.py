"""`unmatched:` (issue 15, item 2): a node's reaction when the rep's typed words match none of
its replies, in the scenario format, the JSON Schema and the call engine."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml
from corepaths import ROOT

from simulator.call import Call, Typed
from simulator.scenario import load_file
from simulator.scenario.model import DEFAULT_UNMATCHED

SCENARIO = """\
id: unmatched-demo
title: Unmatched demo
persona: angry
customer: {name: Ana, mood: 5, breaking_point: 8, walkout: "I'm off."}
start: a
nodes:
  a:
    customer: "Well?"
    unmatched:
      customer: "That's not an answer. What are you going to do?"
      mood: 2
    options:
      - {say: "I'm sorry, let me fix it now.", next: b, step: resolve, mood: -1}
  b:
    customer: "Thanks."
    options:
      - {say: "Anything else?", next: c}
  c:
    customer: "No."
    end: resolved
"""


def load(tmp_path: Path, text: str = SCENARIO):  # type: ignore[no-untyped-def]
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    scenario, problems = load_file(path)
    return scenario, [str(p) for p in problems if p.is_error]


def typed(text: str) -> Typed:
    return Typed(text, "lexical", "none")


def test_an_authored_unmatched_is_said_and_moves_the_mood_and_the_call_stays(
        tmp_path: Path) -> None:
    scenario, errors = load(tmp_path)
    assert scenario is not None and not errors
    call = Call(scenario)
    line = call.unmatched(typed("nice weather today"))
    assert (line.speaker, line.text, line.option, line.turn) == (
        "trainee", "nice weather today", None, 1)
    assert line.typed == typed("nice weather today")
    assert call.transcript[-1].text == "That's not an answer. What are you going to do?"
    assert call.node == "a" and call.conversation.mood == 7 and not call.ended
    assert call.turns[-1].mood_before == 5 and call.turns[-1].mood_after == 7
    call.choose(1, Typed("so sorry, fixing it", "lexical", "match", 0.7))
    assert call.node == "b" and call.transcript[-2].typed is not None
    assert call.transcript[-2].text == "I'm sorry, let me fix it now."  # the option's line


def test_the_default_asks_to_rephrase_with_mood_plus_one(tmp_path: Path) -> None:
    scenario, _ = load(tmp_path)
    assert scenario is not None
    call = Call(scenario)
    call.choose(1)
    call.unmatched(typed("???"))
    assert call.transcript[-1].text == DEFAULT_UNMATCHED.customer
    assert DEFAULT_UNMATCHED.mood == 1 and call.conversation.mood == 5
    assert call.node == "b"


def test_unmatched_turns_can_push_the_customer_to_walk_out(tmp_path: Path) -> None:
    scenario, _ = load(tmp_path)
    assert scenario is not None
    call = Call(scenario)
    call.unmatched(typed("hm"))
    call.unmatched(typed("hm"))  # 5 -> 7 -> 9, past the breaking point of 8
    assert call.ended and call.walked_out and call.transcript[-1].text == "I'm off."
    result = call.result()
    assert result.outcome == "lost" and not result.score().passed


def test_unmatched_is_checked_like_every_key(tmp_path: Path) -> None:
    bad = SCENARIO.replace("      mood: 2\n", "      mood: 20\n      colour: red\n")
    scenario, errors = load(tmp_path, bad)
    assert scenario is None
    assert any(":11:13: error: 'mood' must be from -10 to 10" in e
               for e in errors), errors
    assert any("unknown key 'colour'" in e for e in errors), errors
    no_line = SCENARIO.replace(
        '      customer: "That\'s not an answer. What are you going to do?"\n', "")
    scenario, errors = load(tmp_path, no_line)
    assert scenario is None and any("customer" in e for e in errors), errors


def test_the_json_schema_knows_unmatched() -> None:
    schema = json.loads((ROOT / "scenarios" / "schema.json").read_text(encoding="utf-8"))
    document = yaml.safe_load(SCENARIO)
    jsonschema.validate(document, schema)
    document["nodes"]["a"]["unmatched"]["tone"] = "x"
    validator = jsonschema.Draft202012Validator(schema)
    assert any("tone" in e.message for e in validator.iter_errors(document))
