"""scenarios/schema.json is generated from the models and must be kept fresh."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from corepaths import GOOD, ROOT

from simulator.scenario.schema import schema_json

SCHEMA = ROOT / "scenarios" / "schema.json"


def test_schema_json_is_up_to_date() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == schema_json(), (
        "scenarios/schema.json is stale: run `hotseat schema --write`")


def test_the_example_validates_against_the_schema() -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(yaml.safe_load(GOOD.read_text()), schema)


@pytest.mark.parametrize(("change", "old", "new"), [
    ("unknown key", "persona: payment", "persona: payment\nmood_type: x"),
    ("unknown tag", "tags: [ask_idea]", "tags: [ask_ideas]"),
    ("unknown persona", "persona: payment", "persona: grumpy"),
])
def test_the_schema_refuses_what_the_loader_refuses(change, old, new) -> None:
    schema = json.loads(SCHEMA.read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(GOOD.read_text().replace(old, new)), schema)


def test_x_keys_are_allowed_by_the_schema() -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(yaml.safe_load(GOOD.read_text().replace(
        "persona: payment", "persona: payment\nx-author: Ana")), schema)
