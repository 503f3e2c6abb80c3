"""Pictures for trainers: a scenario's tree as a Mermaid flowchart.

Scenario text is quoted so that it cannot break out of Mermaid: every label is one line, in
double quotes, with the characters Mermaid or its HTML labels give a meaning to written as
Mermaid entity codes (`#quot;`, `#35;`...), and every control character shown as a visible escape
(simulator.text.printable). The title goes into the front matter as a quoted YAML string.
"""

from __future__ import annotations

import json

from .scenario import Scenario
from .scenario.graph import reachable_levels
from .text import printable

__all__ = ["scenario_diagram"]

END_SHAPES = {"resolved": "([{}])", "escalated": "[/{}/]", "lost": "[[{}]]"}


ENTITIES = {"#": "#35;", '"': "#quot;", "&": "#amp;", "<": "#lt;", ">": "#gt;", "|": "#124;",
            "`": "#96;"}
"""Written as Mermaid entity codes in a label: `#` first (Mermaid reads `#name;` as an entity),
the quote that ends a label, `|` that ends an edge label, and what HTML labels would parse."""
_ESCAPE = str.maketrans(ENTITIES)


def _one_line(text: str, width: int = 48) -> str:
    text = printable(" ".join(text.split()), keep_newlines=False)
    return text[: width - 1] + "…" if len(text) > width else text


def _label(text: str, width: int = 48) -> str:
    """Text for inside a double-quoted Mermaid label: one line, at most `width` characters."""
    return _one_line(text, width).translate(_ESCAPE)


def _node_key(name: str) -> str:
    return "n_" + "".join(c if c.isalnum() else "_" for c in name)


def scenario_diagram(s: Scenario) -> str:
    """flowchart TD: nodes with the customer's line, edges labelled with pick, step, escalation."""
    reached = reachable_levels(s)
    title = json.dumps(f"{_one_line(s.title, 64)} ({s.id})", ensure_ascii=False)
    out = ["---", f"title: {title}", "---", "flowchart TD"]  # a JSON string is YAML
    for name, node in s.nodes.items():
        label = f'"<b>{_label(name)}</b><br/>{_label(node.customer)}"'
        if node.end:
            label = f'"<b>{_label(name)}</b>: {node.end}<br/>{_label(node.customer)}"'
            out.append(f"  {_node_key(name)}{END_SHAPES[node.end].format(label)}")
        else:
            out.append(f"  {_node_key(name)}[{label}]")
    for name, node in s.nodes.items():
        for i, option in enumerate(node.options or []):
            bits = [str(i + 1)]
            if option.step:
                bits.append(option.step)
            if option.escalate:
                bits.append(f"to {option.escalate}")
            if option.mood:
                bits.append(f"mood {option.mood:+d}")
            arrow = "-.->" if set(option.tags) & {"weaponise_policy", "lie"} else "-->"
            out.append(f'  {_node_key(name)} {arrow}|"{_label(", ".join(bits))}"| '
                       f"{_node_key(option.next)}")
    out.append(f"  start((start)) --> {_node_key(s.start)}")
    for name in s.nodes:
        if not reached.get(name):
            out.append(f"  style {_node_key(name)} stroke-dasharray: 5 5")
    return "\n".join(out) + "\n"
