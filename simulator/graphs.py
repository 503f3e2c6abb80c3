"""Pictures for trainers: a scenario's tree as a Mermaid flowchart or a Graphviz DOT graph.

Both draw the same nodes under the same keys (`node_keys`: `n_` and the node id in ASCII letters,
digits and `_`, made unique), end nodes shaped and coloured by how they end, and every edge
labelled with the pick (the option's id, else its position), its step, its hand-off and its mood
change. Replies that weaponise policy or lie are drawn dotted; nodes no path reaches, dashed.

Scenario text is untrusted and is quoted so that it cannot break out of either language: every
label is one line of text with every control character shown as a visible escape
(simulator.text.printable).
- Mermaid: in double quotes, with the characters Mermaid or its HTML labels give a meaning to
  written as Mermaid entity codes (`#quot;`, `#35;`...). The title goes into the front matter as
  a quoted YAML string.
- DOT: in double quotes, with `"` written `\\"`, and `&` and `\\` as the HTML entities Graphviz
  reads in labels (`&amp;`, `&#92;`), so that no backslash of the scenario's reaches the file
  (a label ending in one would swallow its closing quote). The only escape Graphviz interprets
  is the `\\n` this module puts between a node's name and its line.
"""

from __future__ import annotations

import json

from .scenario import Option, Scenario
from .scenario.graph import reachable_levels
from .text import printable

__all__ = ["dot_label", "node_keys", "scenario_diagram", "scenario_dot"]

END_SHAPES = {"resolved": "([{}])", "escalated": "[/{}/]", "lost": "[[{}]]"}
DOT_ENDS = {
    "resolved": ('shape=doubleoctagon, fillcolor="#c8e6c9"', "filled"),
    "escalated": ('shape=parallelogram, fillcolor="#fff3c4"', "filled"),
    "lost": ('shape=octagon, fillcolor="#ffcdd2", color="#b71c1c"', "filled,bold"),
}
"""End nodes in DOT: resolved green, escalated amber, lost red, each its own shape."""
BAD_TAGS = {"weaponise_policy", "lie"}


ENTITIES = {"#": "#35;", '"': "#quot;", "&": "#amp;", "<": "#lt;", ">": "#gt;", "|": "#124;",
            "`": "#96;"}
"""Written as Mermaid entity codes in a label: `#` first (Mermaid reads `#name;` as an entity),
the quote that ends a label, `|` that ends an edge label, and what HTML labels would parse."""
_ESCAPE = str.maketrans(ENTITIES)
_DOT_ESCAPE = str.maketrans({"&": "&amp;", "\\": "&#92;", '"': '\\"'})


def _one_line(text: str, width: int = 48) -> str:
    text = printable(" ".join(text.split()), keep_newlines=False)
    return text[: width - 1] + "…" if len(text) > width else text


def _label(text: str, width: int = 48) -> str:
    """Text for inside a double-quoted Mermaid label: one line, at most `width` characters."""
    return _one_line(text, width).translate(_ESCAPE)


def dot_label(text: str, width: int = 48) -> str:
    """Text for inside a double-quoted DOT string: one line, at most `width` characters."""
    return _one_line(text, width).translate(_DOT_ESCAPE)


def node_keys(s: Scenario) -> dict[str, str]:
    """Each node id's key in both pictures: `n_` and the id in ASCII letters, digits and `_`;
    an id that would take a key already given gets `_2`, `_3`... (`a-b` and `a_b` stay two)."""
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for name in s.nodes:
        key = "n_" + "".join(c if c.isascii() and c.isalnum() else "_" for c in name)
        if key in taken:
            n = 2
            while f"{key}_{n}" in taken:
                n += 1
            key = f"{key}_{n}"
        keys[name] = key
        taken.add(key)
    return keys


def edge_bits(i: int, option: Option) -> list[str]:
    """What a pick does, in words: its id (or position), step, escalation, mood change."""
    bits = [option.id or str(i + 1)]
    if option.step:
        bits.append(option.step)
    if option.escalate:
        bits.append(f"to {option.escalate}")
    if option.mood:
        bits.append(f"mood {option.mood:+d}")
    return bits


def _edge_bits(i: int, option: Option) -> str:
    return ", ".join(edge_bits(i, option))


def scenario_diagram(s: Scenario) -> str:
    """flowchart TD: nodes with the customer's line, edges labelled with pick, step, escalation."""
    reached = reachable_levels(s)
    key = node_keys(s)
    title = json.dumps(f"{_one_line(s.title, 64)} ({s.id})", ensure_ascii=False)
    out = ["---", f"title: {title}", "---", "flowchart TD"]  # a JSON string is YAML
    for name, node in s.nodes.items():
        label = f'"<b>{_label(name)}</b><br/>{_label(node.customer)}"'
        if node.end:
            label = f'"<b>{_label(name)}</b>: {node.end}<br/>{_label(node.customer)}"'
            out.append(f"  {key[name]}{END_SHAPES[node.end].format(label)}")
        else:
            out.append(f"  {key[name]}[{label}]")
    for name, node in s.nodes.items():
        for i, option in enumerate(node.options or []):
            arrow = "-.->" if set(option.tags) & BAD_TAGS else "-->"
            out.append(f'  {key[name]} {arrow}|"{_label(_edge_bits(i, option))}"| '
                       f"{key[option.next]}")
    out.append(f"  start((start)) --> {key[s.start]}")
    for name in s.nodes:
        if not reached.get(name):
            out.append(f"  style {key[name]} stroke-dasharray: 5 5")
    return "\n".join(out) + "\n"


def scenario_dot(s: Scenario) -> str:
    """digraph: the same nodes, keys and edge labels as the Mermaid flowchart, for Graphviz."""
    reached = reachable_levels(s)
    key = node_keys(s)
    title = dot_label(f"{_one_line(s.title, 64)} ({s.id})", 200)
    out = [
        f'digraph "{dot_label(s.id, 80)}" {{',
        f'  graph [label="{title}", labelloc=t, fontname="Helvetica"];',
        '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
        '  start [shape=circle, label="start"];',
    ]
    for name, node in s.nodes.items():
        head = dot_label(name) + (f": {node.end}" if node.end else "")
        attrs = [f'label="{head}\\n{dot_label(node.customer)}"']
        style = "rounded"
        if node.end:
            shape, style = DOT_ENDS[node.end]
            attrs.append(shape)
        if not reached.get(name):
            style += ",dashed"
        if style != "rounded":  # the default of every node
            attrs.append(f'style="{style}"')
        out.append(f"  {key[name]} [{', '.join(attrs)}];")
    out.append(f"  start -> {key[s.start]};")
    for name, node in s.nodes.items():
        for i, option in enumerate(node.options or []):
            attrs = [f'label="{dot_label(_edge_bits(i, option))}"']
            if set(option.tags) & BAD_TAGS:
                attrs.append('style=dotted, color="#b71c1c"')
            out.append(f"  {key[name]} -> {key[option.next]} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"
