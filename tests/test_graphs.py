"""`hotseat graph`: the DOT output parses with a DOT parser (pydot) and names every node; the
Mermaid output names the same node set; untrusted text cannot break out of either."""

from __future__ import annotations

import re
from pathlib import Path

import pydot
import pytest
from corepaths import FIXTURES, GOOD

from simulator.bundled import BUNDLED
from simulator.cli import main
from simulator.graphs import node_keys, scenario_diagram, scenario_dot
from simulator.scenario import Node, Scenario, load_file, load_library

pytestmark = pytest.mark.filterwarnings(  # pydot 4 on pyparsing 3.3 (its own business)
    "ignore::DeprecationWarning:pydot.dot_parser")

DEFAULTS = {"graph", "node", "edge"}
"""pydot lists the default-attribute statements among the nodes."""
MERMAID_NODE = re.compile(r"^  (n_\w+)(?:\[|\()")
MERMAID_EDGE = re.compile(r'^  (n_\w+) -\.?->\|"[^"|]*"\| (n_\w+)$')
MERMAID_START = re.compile(r"^  start\(\(start\)\) --> (n_\w+)$")


def loaded(path: Path) -> Scenario:
    scenario, problems = load_file(path)
    assert scenario is not None, [str(p) for p in problems]
    return scenario


SCENARIOS = [*load_library([BUNDLED]).scenarios, loaded(GOOD),
             loaded(FIXTURES / "hostile" / "hostile.yaml"),
             loaded(FIXTURES / "paths" / "small.yaml"), loaded(FIXTURES / "paths" / "loop.yaml")]


def parse_dot(text: str) -> pydot.Dot:
    graphs = pydot.graph_from_dot_data(text)
    assert graphs is not None and len(graphs) == 1, text
    return graphs[0]


def dot_nodes(graph: pydot.Dot) -> dict[str, dict[str, str]]:
    return {n.get_name(): n.get_attributes() for n in graph.get_nodes()
            if n.get_name() not in DEFAULTS}


def mermaid_graph(text: str) -> tuple[set[str], list[tuple[str, str]], str]:
    """The node keys a Mermaid flowchart defines, its edges, and where start points."""
    lines = text.splitlines()
    nodes = {m.group(1) for line in lines if (m := MERMAID_NODE.match(line))}
    edges = [(m.group(1), m.group(2)) for line in lines if (m := MERMAID_EDGE.match(line))]
    [start] = [m.group(1) for line in lines if (m := MERMAID_START.match(line))]
    return nodes, edges, start


def options(s: Scenario) -> list[tuple[str, str]]:
    return [(name, o.next) for name, node in s.nodes.items() for o in node.options or []]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_dot_parses_names_every_node_and_mermaid_has_the_same(scenario: Scenario) -> None:
    graph = parse_dot(scenario_dot(scenario))
    key = node_keys(scenario)
    nodes = dot_nodes(graph)
    assert set(nodes) == {"start", *key.values()}
    assert len(set(key.values())) == len(scenario.nodes)  # one key per node id
    for name, k in key.items():
        label = nodes[k]["label"]
        assert label.startswith('"') and label.endswith('"')
        if len(name) < 40 and "\\" not in name and '"' not in name:
            assert label[1:].startswith(name), (name, label)
    want = [(key[a], key[b]) for a, b in options(scenario)]
    edges = [(e.get_source(), e.get_destination()) for e in graph.get_edges()]
    assert sorted(edges) == sorted([("start", key[scenario.start]), *want])
    # the Mermaid flowchart: the same node keys, start and edges (in authored order)
    m_nodes, m_edges, m_start = mermaid_graph(scenario_diagram(scenario))
    assert m_nodes == set(nodes) - {"start"}
    assert m_start == key[scenario.start]
    assert m_edges == want


def test_ends_are_shaped_and_edges_labelled_with_the_option_id() -> None:
    s = loaded(FIXTURES / "paths" / "small.yaml")
    graph = parse_dot(scenario_dot(s))
    nodes = dot_nodes(graph)
    assert nodes["n_thanks"]["shape"] == "doubleoctagon"
    assert nodes["n_hangup"]["shape"] == "octagon"
    assert "shape" not in nodes["n_a"]
    labels = {(e.get_source(), e.get_destination(), e.get_label()) for e in graph.get_edges()}
    assert ("n_a", "n_b", '"sorry, understand, mood -1"') in labels
    assert ("n_b", "n_hangup", '"2"') in labels  # no id: its position
    [policy] = [e for e in graph.get_edges() if e.get_label() == '"policy, understand, mood +2"']
    assert policy.get_style() == "dotted"
    mermaid = scenario_diagram(s)
    assert '  n_a -->|"sorry, understand, mood -1"| n_b' in mermaid
    assert '  n_a -.->|"policy, understand, mood +2"| n_b' in mermaid


def test_node_ids_that_would_share_a_key_stay_apart() -> None:
    s = loaded(GOOD)
    names = ["a-b", "a_b", "a b", "é"]
    nodes = dict(s.nodes)
    for name in names:
        nodes[name] = Node(customer="Hello.", end="resolved")
    s = s.model_copy(update={"nodes": nodes})
    key = node_keys(s)
    assert [key[n] for n in names] == ["n_a_b", "n_a_b_2", "n_a_b_3", "n__"]
    assert set(dot_nodes(parse_dot(scenario_dot(s)))) - {"start"} == set(key.values())
    assert mermaid_graph(scenario_diagram(s))[0] == set(key.values())


EVIL = 'x"]; injected [label="pwned"]; n_a -> n_b [x="\\\\ \\n end \\'
"""Text that would close a DOT string, add a node and an edge, and end on a backslash."""


@pytest.mark.parametrize("where", ["customer", "title", "node id"])
def test_untrusted_text_cannot_break_out_of_dot(where: str) -> None:
    s = loaded(GOOD)
    opening = s.nodes["opening"]
    if where == "customer":
        nodes = {**s.nodes, "opening": opening.model_copy(
            update={"customer": EVIL + "\x1b[2J\u202e\nnext line"})}
        s = s.model_copy(update={"nodes": nodes})
    elif where == "title":
        s = s.model_copy(update={"title": EVIL})
    else:
        nodes = {(EVIL if n == "thanks" else n): v for n, v in s.nodes.items()}
        choice = nodes["choice"]
        option = (choice.options or [])[0].model_copy(update={"next": EVIL})
        nodes["choice"] = choice.model_copy(update={"options": [option]})
        s = s.model_copy(update={"nodes": nodes})
    text = scenario_dot(s)
    assert "\x1b" not in text and "\u202e" not in text
    graph = parse_dot(text)
    assert set(dot_nodes(graph)) == {"start", *node_keys(s).values()}  # no "injected"
    assert len(graph.get_edges()) == 1 + len(options(s))
    # the only backslashes left: the line break between a node's name and its line, and \"
    assert not re.search(r'\\[^n"]', text.replace("\\n", "")), text


def test_the_quote_and_the_backslash_read_back_as_written() -> None:
    s = loaded(GOOD)
    nodes = {**s.nodes, "opening": s.nodes["opening"].model_copy(
        update={"customer": 'say "hi" \\ & bye\\'})}
    graph = parse_dot(scenario_dot(s.model_copy(update={"nodes": nodes})))
    label = dot_nodes(graph)["n_opening"]["label"]
    assert label == '"opening\\nsay \\"hi\\" &#92; &amp; bye&#92;"'


# -- the command --------------------------------------------------------------------------------

def test_graph_format_dot_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(GOOD), "--format", "dot"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('digraph "payment-double-charge" {')
    assert set(dot_nodes(parse_dot(out))) == {"start", *node_keys(loaded(GOOD)).values()}
    assert main(["graph", str(GOOD)]) == 0  # Mermaid is still the default
    assert capsys.readouterr().out.startswith("---\ntitle:")


def test_the_state_machine_is_drawn_in_mermaid_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "--machine", "ladder", "--format", "dot"]) == 2
    assert "--machine draws Mermaid only" in capsys.readouterr().err
