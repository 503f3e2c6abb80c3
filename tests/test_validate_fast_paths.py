"""The fast paths of loading a library (issue 12) say exactly what the general ones say.

- yamlsafe: a file with no alias is a tree, checked in one walk (`_check_tree`); with no place
  a tag could begin, only its collections are looked at. Each must give the problems of
  `check_bounds` + `_check_nodes`, and leave a passed bound to them to name.
- Marks: positions are read from the node tree on demand (`build.locator`) instead of written
  down by the Builder value by value, and a loaded file keeps its top-level ones only. Every
  path must give the position the Builder would have written down.
- The control-character check of a file whose text is plain reads one-line fields only.
- The garbage collector is paused around a load and put back as it was.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import yaml
from corepaths import FIXTURES, GOOD, ROOT

from simulator.cli import main
from simulator.scenario import Scenario, load_bytes, load_library, yamlsafe
from simulator.scenario.build import Builder, locator
from simulator.scenario.diagnostics import Marks
from simulator.scenario.diagnostics import Path as KeyPath
from simulator.scenario.library import collector_paused
from simulator.scenario.local import plain_text

FILES = sorted([*(ROOT / "scenarios").glob("*.yaml"), *FIXTURES.rglob("*.yaml")])
"""The bundled library and every fixture, good and broken."""


def _general(root: yaml.Node, shown: str) -> list[yaml.Node] | list[object]:
    fatal = yamlsafe.check_bounds(root, shown)
    return fatal if fatal else sorted(yamlsafe._check_nodes(root, shown))


def _compose(text: str) -> yaml.Node:
    root = yaml.compose(text, Loader=yamlsafe._composer(yamlsafe.Loader))
    assert root is not None
    return root


TAGGED = [
    "id: !foo x\n", "- !!str 1\n- !bar [a]\n", "{a: !b c, d: [!e f]}\n", "? !x a\n: b\n",
    "a:\n  b: !!python/name:os.system x\n", "a: 1\n<<: {b: 2}\n", "a: {<<: {b: 1}}\n",
    "!top {a: 1}\n", "a: [1, 2]\nb: {c: 1, c: 2}\n", "a: 1\na: 2\n", "? [a]\n: b\n",
    "? {a: 1}\n: b\nc: [{d: 1, d: 2}]\n", "a: now!\nb: 'wow!'\n",
]


@pytest.mark.parametrize("text", TAGGED)
def test_the_tree_walk_finds_the_tags_and_keys_the_general_walks_find(text: str) -> None:
    root = _compose(text)
    found = yamlsafe._check_tree(root, "t.yaml", text)
    assert found is not None
    assert sorted(found) == _general(root, "t.yaml")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_tree_walk_agrees_with_the_general_walks_on_every_fixture(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=yamlsafe._composer(yamlsafe.Loader))
    except yaml.YAMLError:
        pytest.skip("not YAML: refused before any walk")
    if root is None:
        pytest.skip("empty: refused before any walk")
    if "*" in text:
        pytest.skip("aliases: the general walks only")
    found = yamlsafe._check_tree(root, "t.yaml", text)
    assert found is not None
    assert sorted(found) == _general(root, "t.yaml")


def test_a_tree_nested_too_deep_is_named_by_the_general_walk() -> None:
    text = "a: " + "[" * 70 + "]" * 70 + "\n"
    root = _compose(text)
    assert yamlsafe._check_tree(root, "t.yaml", text) is None
    _, problems = load_bytes(text.encode(), "t.yaml")
    assert [str(p) for p in problems] == [str(p) for p in yamlsafe.check_bounds(root, "t.yaml")]
    assert "nested deeper than" in problems[0].message


def test_a_tree_of_too_many_values_is_named_by_the_general_walk() -> None:
    text = "a:\n" + "".join(f"  - [{i}, {i}]\n" for i in range(34_000))
    root = _compose(text)
    assert yamlsafe._check_tree(root, "t.yaml", text) is None
    _, problems = load_bytes(text.encode(), "t.yaml")
    assert len(problems) == 1 and "too large" in problems[0].message
    assert [str(p) for p in problems] == [str(p) for p in yamlsafe.check_bounds(root, "t.yaml")]


# -- positions ----------------------------------------------------------------------------------

def _written_down(text: str) -> Marks | None:
    """The marks a recording Builder writes down for a file (the reference)."""
    root, _ = yamlsafe.compose_text(text, "t.yaml")
    if root is None:
        return None
    marks = Marks("t.yaml")
    marks.add((), (root.start_mark.line + 1, root.start_mark.column + 1))
    Builder(marks).model(root, Scenario, ())
    return marks


def _probes(marks: Marks) -> list[KeyPath]:
    paths = list(marks._values)
    return paths + [p + ("zz",) for p in paths] + [p + (99,) for p in paths] + [("zz", 1)]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_locator_finds_every_position_the_builder_writes_down(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    reference = _written_down(text)
    if reference is None:
        pytest.skip("does not compose")
    root, _ = yamlsafe.compose_text(text, "t.yaml")
    assert root is not None
    marks = Marks("t.yaml")
    marks.locate_with(locator(root, Scenario))
    for probe in _probes(reference):
        for key in (False, True):
            assert marks.at(probe, key=key) == reference.at(probe, key=key), (probe, key)


def test_a_loaded_file_keeps_its_top_level_positions_and_finds_the_others_again() -> None:
    text = GOOD.read_text(encoding="utf-8")
    reference = _written_down(text)
    assert reference is not None
    scenario, _ = load_bytes(text.encode(), "t.yaml")
    assert scenario is not None
    marks = scenario.marks
    assert marks._locate is None and all(len(p) <= 1 for p in marks._values)  # compacted
    for probe in [p for p in _probes(reference) if len(p) <= 1]:
        assert marks.at(probe, key=True) == reference.at(probe, key=True)
    assert marks._refill is not None  # no deeper position asked for yet
    for probe in _probes(reference):
        for key in (False, True):
            assert marks.at(probe, key=key) == reference.at(probe, key=key), (probe, key)


# -- control characters in a plain file ------------------------------------------------------

def test_plain_text_has_no_control_tab_or_backslash() -> None:
    assert plain_text("a: b\nc: 'd'\n")
    assert not plain_text("a: b\tc\n")
    assert not plain_text('a: "\\e[2J"\n')
    assert not plain_text("a: b\x1bc\n")
    assert not plain_text("a: b\u202ec\n")


def test_a_newline_in_a_one_line_field_of_a_plain_file_is_still_refused() -> None:
    text = GOOD.read_text(encoding="utf-8").replace(
        "title: Charged twice for one order", "title: |\n  Charged twice\n  for one order", 1)
    assert plain_text(text)
    _, problems = load_bytes(text.encode(), "t.yaml")
    assert any("'title' holds control character \\n" in p.message for p in problems), problems


def test_an_escape_in_a_quoted_text_is_still_found() -> None:
    text = GOOD.read_text(encoding="utf-8").replace(
        "summary: A customer sees", 'summary: "\\e[2J A customer sees', 1).replace(
        "suspects fraud.", 'suspects fraud."', 1)
    assert not plain_text(text)
    scenario, problems = load_bytes(text.encode(), "t.yaml")
    assert scenario is not None
    assert [p.message for p in problems if "summary" in p.message] == [
        "'summary' holds control character \\x1b: shown as text, never run; remove it"]


# -- the garbage collector -------------------------------------------------------------------

def test_the_collector_is_put_back_as_it_was() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off: it stays off
    finally:
        gc.enable()
    load_library([GOOD])
    assert gc.isenabled()


def test_validate_leaves_nothing_frozen(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(GOOD)]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    capsys.readouterr()
