"""Pictures for trainers: a scenario's tree as a Mermaid flowchart."""

from __future__ import annotations

from .scenario import Scenario
from .scenario.graph import reachable_levels

__all__ = ["scenario_diagram"]

END_SHAPES = {"resolved": "([{}])", "escalated": "[/{}/]", "lost": "[[{}]]"}


def _label(text: str, width: int = 48) -> str:
    text = " ".join(text.split())
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.replace('"', "#quot;")


def _node_key(name: str) -> str:
    return "n_" + "".join(c if c.isalnum() else "_" for c in name)


def scenario_diagram(s: Scenario) -> str:
    """flowchart TD: nodes with the customer's line, edges labelled with pick, step, escalation."""
    reached = reachable_levels(s)
    out = ["---", f"title: {_label(s.title)} ({s.id})", "---", "flowchart TD"]
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
