"""The validator gaps a trainer met (issue 14, item 6), one broken fixture each.

The fixtures directly under tests/fixtures/broken/ are read by tests/test_scenario_validation.py
(loading and checks); those under broken/validate/ need `hotseat validate` as a whole (path
coverage, the summary line), and are run here the same way: the first line of each says
`# expect: LINE:COL: error|warning: MESSAGE`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from corepaths import FIXTURES, GOOD, ROOT

from simulator.bundled import BUNDLED
from simulator.checks import run_checks
from simulator.cli import main
from simulator.scenario import load_bytes, load_file, load_library, yamlsafe

BROKEN = FIXTURES / "broken"
WHOLE = sorted((BROKEN / "validate").glob("*.yaml"))


def shown(path: Path) -> str:
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def expectation(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path} has no '# expect:' line"
    return first.removeprefix("# expect: ")


def validate(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, list[str]]:
    code = main(["validate", *map(str, paths)])
    return code, capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("path", WHOLE, ids=[p.stem for p in WHOLE])
def test_validate_reports_what_the_fixture_expects(
        capsys: pytest.CaptureFixture[str], path: Path) -> None:
    _, lines = validate(capsys, path)
    want = f"{shown(path)}:{expectation(path)}"
    assert any(line.startswith(want) for line in lines), (want, lines)


# -- a tab in the indentation -------------------------------------------------------------------

def test_a_tab_in_the_indentation_says_so_in_plain_words() -> None:
    path = BROKEN / "tab-indentation.yaml"
    scenario, problems = load_file(path)
    assert scenario is None
    assert [str(p) for p in problems] == [
        f"{shown(path)}:8:1: error: a tab is used for indentation at line 8: YAML indents with "
        "spaces"]


@pytest.mark.parametrize(("text", "message"), [
    ("id: x\ncustomer:\n\tname: Sam\n",
     "3:1: error: a tab is used for indentation at line 3: YAML indents with spaces"),
    ("id: x\ncustomer:\n  \tname: Sam\n",
     "3:3: error: a tab is used for indentation at line 3: YAML indents with spaces"),
    ("id: x\nsay: a\tb\n",  # PyYAML's own scanner refuses this; the C one reads it as text
     "2:7: error: a tab at line 2, column 7 cannot start a value: YAML indents and separates "
     "with spaces; put text that holds a tab in quotes"),
])
def test_pyyaml_s_own_scanner_s_tab_errors_are_plain_words_too(
        monkeypatch: pytest.MonkeyPatch, text: str, message: str) -> None:
    monkeypatch.setattr(yamlsafe, "Loader", yaml.SafeLoader)  # the scanner without libyaml
    _, problems = load_bytes(text.encode(), "t.yaml")
    assert [str(p) for p in problems] == [f"t.yaml:{message}"]


def test_a_syntax_error_without_a_tab_keeps_its_own_words() -> None:
    _, problems = load_bytes(b"id: x\ntitle: [a, b\n", "t.yaml")
    assert problems[0].message.startswith("YAML syntax: ") and "tab" not in problems[0].message


# -- a failed check says why --------------------------------------------------------------------

def test_a_failed_check_names_the_expectation_the_value_and_the_events_on_one_line() -> None:
    path = BROKEN / "failed-check-why.yaml"
    scenario, _ = load_file(path)
    assert scenario is not None
    results, problems = run_checks(scenario)
    assert [str(p) for p in problems] == [
        f"{shown(path)}:43:13: error: check 'textbook call' failed: passed is false, expected "
        "true; failures: Policy 50 is below its floor of 60; decided by: turn 1 "
        "weaponise_policy -50"]
    assert results[0].problems == ("passed is false, expected true",)


def test_a_failed_bound_names_the_events_of_its_dimension() -> None:
    text = GOOD.read_text(encoding="utf-8").replace(
        "expect: {outcome: escalated, level: 3, passed: false}",
        "expect: {outcome: escalated, level: 3, min: {empathy: 50}}")
    scenario, _ = load_bytes(text.encode(), "x.yaml")
    assert scenario is not None
    [problem] = run_checks(scenario)[1]
    assert problem.message == (
        "check 'hiding behind policy' failed: empathy 15, expected at least 50; decided by: "
        "turn 1 mood_rise -10, turn 2 never_acknowledged -15, turn 2 ended_upset -10")


def test_a_wrong_outcome_shows_the_path_that_decided_it() -> None:
    path = BROKEN / "validate" / "failed-check-not-valid.yaml"
    scenario, _ = load_file(path)
    assert scenario is not None
    [problem] = run_checks(scenario)[1]
    assert problem.message.endswith("; path: a > b (resolved at level 1)")


# -- the summary never counts a file with an error as valid -------------------------------------

def test_a_file_with_a_failed_check_is_not_counted_valid(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, lines = validate(capsys, BROKEN / "validate" / "failed-check-not-valid.yaml")
    assert code == 1
    assert lines[-1].startswith("1 file, 0 valid; 0 of 1 checks passed")
    assert lines[-1].endswith("1 error, 0 warnings")
    # beside a good file: one of two
    (tmp_path / "good.yaml").write_bytes(GOOD.read_bytes())
    (tmp_path / "bad.yaml").write_bytes(
        (BROKEN / "validate" / "failed-check-not-valid.yaml").read_bytes())
    code, lines = validate(capsys, tmp_path)
    assert code == 1 and lines[-1].startswith("2 files, 1 valid; 2 of 3 checks passed")


def test_a_translation_error_is_not_counted_valid_either(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8").replace(
        "locale: en ", "translates: payment-double-charge\nlocale: en ")
    (tmp_path / "self.yaml").write_text(text, encoding="utf-8")
    code, lines = validate(capsys, tmp_path)
    assert code == 1 and "a scenario cannot translate itself" in lines[0]
    assert lines[-1].startswith("1 file, 0 valid;")


# -- path coverage ------------------------------------------------------------------------------

def test_coverage_names_the_nodes_no_check_visits(capsys: pytest.CaptureFixture[str]) -> None:
    path = BROKEN / "validate" / "w-coverage.yaml"
    code, lines = validate(capsys, path)
    assert code == 0
    assert lines == [
        f"{shown(path)}:34:1: warning: checks visit 3 of 4 reachable nodes; no check visits "
        "'fuming'",
        "1 file, 1 valid; 1 of 1 checks passed, visiting 3 of 4 nodes; 0 errors, 1 warning"]


def test_a_scenario_without_checks_is_told_to_add_some(capsys: pytest.CaptureFixture[str]) -> None:
    path = BROKEN / "w-no-resolve-step.yaml"
    _, lines = validate(capsys, path)
    assert (f"{shown(path)}:2:5: warning: no checks: no check plays any of its 4 reachable "
            "nodes; add golden paths under 'checks'") in lines


def test_the_bundled_library_still_validates(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, lines = validate(capsys)
    files = len([p for p in BUNDLED.rglob("*.y*ml") if "tracks" not in p.parts])
    assert code == 0 and lines[-1].startswith(f"{files} files, {files} valid;")
    assert "; 0 errors, " in lines[-1]
    assert any("no check visits" in line for line in lines)  # warnings, not errors


# -- no `step: resolve` on any path to a resolved end -------------------------------------------

def test_a_case_the_trainee_must_settle_without_a_resolve_step_is_warned() -> None:
    _, problems = load_file(BROKEN / "w-no-resolve-step.yaml")
    assert [(p.line, p.severity) for p in problems if "step: resolve" in p.message] == [
        (31, "warning")]


def test_no_resolve_warning_where_the_case_needs_a_hand_off() -> None:
    # angry-broadband-drops needs an expert: its resolved ends are reached only by settling it
    # alone (which fails on its own), so no resolve step is owed there
    lib = load_library([BUNDLED])
    assert lib.by_id("angry-broadband-drops") is not None
    assert not [str(d) for d in lib.diagnostics if "step: resolve" in d.message]


def test_one_resolve_step_on_one_path_is_enough() -> None:
    text = (BROKEN / "w-no-resolve-step.yaml").read_text(encoding="utf-8").replace(
        "        tags: [check_satisfied]\n", "        tags: [check_satisfied]\n"
        "        step: resolve\n")
    _, problems = load_bytes(text.encode(), "x.yaml")
    assert not [p for p in problems if "step: resolve" in p.message]


# -- as many errors as possible in one run ------------------------------------------------------

def test_graph_errors_come_out_beside_the_errors_of_the_options() -> None:
    path = BROKEN / "many-errors.yaml"
    scenario, problems = load_file(path)
    assert scenario is None
    assert [str(p) for p in problems] == [f"{shown(path)}:{line}" for line in [
        "7:9: error: 'mood' must be a whole number from 0 to 10, not 'lots'",
        "8:8: error: start node 'opening' does not exist",
        "14:16: error: unknown tag 'acknowlege' (did you mean acknowledge?)",
        "15:15: error: option 1 of node 'a' goes to 'bb', which does not exist",
    ]]


def test_a_next_that_has_its_own_error_is_not_reported_twice() -> None:
    text = GOOD.read_text(encoding="utf-8").replace(
        "next: confirm", 'next: "confirm\\e"').replace("mood: 7 ", "mood: lots ")
    _, problems = load_bytes(text.encode(), "x.yaml")
    at_next = [p.message for p in problems if "confirm" in p.message]
    assert len(at_next) == 1 and "control character" in at_next[0]
