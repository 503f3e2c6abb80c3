"""A scenario's tree to look at: from the start, each reply leading to the node it goes to.

Each entry below the start is one reply (its pick: the option's id, else its position; its
step, hand-off and mood change) and the node it leads to, with that node's kind of end and the
customer's line. A node met a second time is not drawn again ("↩ see above"), so a cycle stays
finite. Nodes no reply reaches are listed apart. The node a playtest is at is marked ▶.
Every entry's data is its node id, to playtest from it.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from simulator.graphs import edge_bits
from simulator.scenario import Option, Scenario
from simulator.text import printable

__all__ = ["END_MARKS", "ScenarioTree", "edge_label"]

END_MARKS = {"resolved": ("✔ resolved", "green"), "escalated": ("⇧ escalated", "yellow"),
             "lost": ("✘ lost", "red")}
BAD_TAGS = {"weaponise_policy", "lie"}


def _short(text: str, width: int = 44) -> str:
    text = printable(" ".join(text.split()), keep_newlines=False)
    return text[: width - 1] + "…" if len(text) > width else text


def edge_label(index: int, option: Option) -> str:
    """The pick and what it does: `sorry · understand · to expert · mood -2`."""
    return printable(" · ".join(edge_bits(index, option)), keep_newlines=False)


class ScenarioTree(Tree[str]):
    """The tree of one scenario; `show(scenario, current)` draws it (again)."""

    DEFAULT_CSS = "ScenarioTree { height: 1fr; }"

    def __init__(self, **kwargs: object) -> None:
        super().__init__("(no scenario)", **kwargs)  # type: ignore[arg-type]
        self.scenario: Scenario | None = None
        self.current: str | None = None
        self.entries: dict[str, TreeNode[str]] = {}
        """The first entry of each node id drawn."""

    def _node_text(self, s: Scenario, name: str, head: Text) -> Text:
        node = s.nodes[name]
        text = Text()
        if name == self.current:
            text.append("▶ ", "bold reverse")
        text.append_text(head)
        text.append(printable(name, keep_newlines=False), "bold")
        if node.end:
            mark, colour = END_MARKS[node.end]
            text.append(f" {mark}", f"bold {colour}")
        text.append(f"  {_short(node.customer)}", "dim")
        return text

    def show(self, scenario: Scenario, current: str | None = None) -> None:
        """Draw `scenario`, marking `current` (a playtest's node)."""
        self.scenario, self.current = scenario, current
        self.clear()
        self.entries = {}
        s = scenario
        self.root.set_label(Text.assemble((printable(s.id, keep_newlines=False), "bold"),
                                          f"  {_short(s.title, 60)}"))
        self.root.data = s.start
        first = self.root.add(self._node_text(s, s.start, Text("start ", "italic")),
                              data=s.start, expand=True)
        self.entries[s.start] = first
        todo: list[tuple[TreeNode[str], str]] = [(first, s.start)]
        while todo:  # breadth first: each node drawn where the shortest way meets it
            entry, name = todo.pop(0)
            for i, option in enumerate(s.nodes[name].options or []):
                head = Text.assemble((f"{edge_label(i, option)}", "cyan"), " → ")
                if set(option.tags) & BAD_TAGS:
                    head.stylize("red")
                if option.next in self.entries:
                    label = self._node_text(s, option.next, head)
                    label.append("  ↩ see above", "italic")
                    entry.add_leaf(label, data=option.next)
                    continue
                target = s.nodes[option.next]
                text = self._node_text(s, option.next, head)
                if target.end or not target.options:
                    child = entry.add_leaf(text, data=option.next)
                else:
                    child = entry.add(text, data=option.next, expand=True)
                    todo.append((child, option.next))
                self.entries[option.next] = child
        unreached = [n for n in s.nodes if n not in self.entries]
        if unreached:
            apart = self.root.add(Text("not reached from the start", "italic dim"),
                                  expand=True)
            for name in unreached:
                self.entries[name] = apart.add_leaf(self._node_text(s, name, Text()),
                                                    data=name)
        self.root.expand()
        self.cursor_line = 0
        if current in self.entries and not s.nodes[current].end:  # where to playtest next
            self.call_after_refresh(self.move_cursor, self.entries[current])
