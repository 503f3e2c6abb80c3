"""scenarios/schema.json: the JSON Schema editors use to autocomplete and check scenario files.

Generated from the models, so it cannot drift from what the loader accepts (a test compares).
"""

from __future__ import annotations

import json
from typing import Any

from .model import Scenario

__all__ = ["scenario_schema", "schema_json"]

X_KEYS = {"^x-": {"description": "Your own notes or anchors: ignored by Hotseat."}}


def _tighten(node: Any) -> Any:
    """Objects refuse unknown keys but x- ones; an empty value is never allowed (the loader
    refuses `key:` with nothing after it), so `null` leaves every anyOf."""
    if isinstance(node, list):
        return [_tighten(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _tighten(v) for k, v in node.items() if not (k == "default" and v is None)}
    if "anyOf" in node:
        kept = [v for v in node["anyOf"] if v != {"type": "null"}]
        if len(kept) == 1:
            node.pop("anyOf")
            node = {**kept[0], **node}
        else:
            node["anyOf"] = kept
    if node.get("type") == "object" and "properties" in node:
        node["additionalProperties"] = False
        node["patternProperties"] = X_KEYS
        for prop in node["properties"].values():
            prop.pop("title", None)
    return node


def scenario_schema() -> dict[str, Any]:
    schema = _tighten(Scenario.model_json_schema(mode="validation"))
    nodes = schema["properties"]["nodes"]
    nodes["propertyNames"] = {"minLength": 1}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://hotseat.invalid/schema/scenario-v1.json",
        "title": "Hotseat scenario (format version 1)",
        "description": "One customer-service role-play call. See docs/writing-scenarios.md.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def schema_json() -> str:
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
