"""Loading and validating scenario files: one real broken fixture per kind of problem."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from corepaths import FIXTURES, GOOD

from simulator.scenario import load_bytes, load_file, load_library
from simulator.scenario.yamlsafe import MAX_BYTES

BROKEN = sorted((FIXTURES / "broken").glob("*.yaml"))


def expectation(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0] if path.stat().st_size else ""
    assert first.startswith("# expect: "), f"{path} has no '# expect:' line"
    return first.removeprefix("# expect: ")


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_fixture_reports_path_line_and_message(path: Path) -> None:
    """Each fixture names, in its first line, the diagnostic it must produce."""
    scenario, problems = load_file(path)
    lines = [str(p) for p in problems]
    if "error:" in expectation(path) and "check '" not in expectation(path):
        assert scenario is None
    if "check '" in expectation(path):  # failed checks are found by validate, not by loading
        from simulator.checks import run_checks

        assert scenario is not None
        lines += [str(p) for p in run_checks(scenario)[1]]
    shown = str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)
    want = f"{shown}:{expectation(path)}"
    assert any(line.startswith(want) for line in lines), (want, lines)


def test_warnings_do_not_stop_a_scenario_loading() -> None:
    scenario, problems = load_file(FIXTURES / "broken" / "w-unreachable.yaml")
    assert scenario is not None
    assert problems and {p.severity for p in problems} == {"warning"}


def test_every_problem_in_a_file_is_reported_not_just_the_first() -> None:
    text = GOOD.read_text().replace("persona: payment", "persona: grumpy").replace(
        "mood: -2", "mood: lots").replace("tags: [ask_idea]", "tags: [ask_ideas]")
    _, problems = load_bytes(text.encode(), "x.yaml")
    messages = [p.message for p in problems]
    assert any("unknown persona 'grumpy'" in m for m in messages)
    assert any("'mood' must be a whole number" in m for m in messages)
    assert any("unknown tag 'ask_ideas'" in m for m in messages)


def test_duplicate_ids_across_the_library_name_both_files() -> None:
    lib = load_library([FIXTURES / "broken" / "dup-ids"])
    assert len(lib.scenarios) == 1
    [error] = lib.errors
    assert "duplicate scenario id 'same-call'" in error.message
    assert error.path.endswith("two.yaml") and "one.yaml:2:5" in error.message


@pytest.mark.parametrize("written", ["no", "on", "off", "yes", "0123", "12:30", "~", "null",
                                     "1e3", "0x1F", "true"])
def test_text_fields_keep_what_the_trainer_wrote(written: str) -> None:
    text = GOOD.read_text().replace('say: "All card charges are final, that\'s company policy."',
                                    f"say: {written}")
    text = text.replace("summary: A customer sees two identical card charges and suspects fraud.",
                        f"summary: {written}")
    scenario, problems = load_bytes(text.encode(), "x.yaml")
    assert scenario is not None, problems
    assert scenario.nodes["opening"].options[1].say == written
    assert scenario.summary == written


def test_say_no_stays_no() -> None:
    text = GOOD.read_text().replace('customer: "Fine. I\'ll wait."', "customer: no")
    scenario, _ = load_bytes(text.encode(), "x.yaml")
    assert scenario is not None and scenario.nodes["handed_over"].customer == "no"


@pytest.mark.parametrize(("written", "value"), [("7", 7), ("+3", 3), ("0", 0)])
def test_integers_by_yaml_1_2(written: str, value: int) -> None:
    text = GOOD.read_text().replace("  mood: 7 ", f"  mood: {written} ")
    scenario, problems = load_bytes(text.encode(), "x.yaml")
    assert scenario is not None, problems
    assert scenario.customer.mood == value


@pytest.mark.parametrize("written", ["yes", "010", '"3"', "7.0", "seven", "0x7"])
def test_anything_else_in_an_integer_field_is_an_error(written: str) -> None:
    text = GOOD.read_text().replace("  mood: 7 ", f"  mood: {written} ")
    scenario, problems = load_bytes(text.encode(), "x.yaml")
    assert scenario is None
    assert any("'mood' must be a whole number" in p.message and p.line == 13 for p in problems)


def test_x_keys_are_ignored_everywhere() -> None:
    text = GOOD.read_text().replace("nodes:   ", "x-notes: draft 2\nnodes:   ", 1).replace(
        "        next: confirm", "        next: confirm\n        x-reviewed: yes")
    scenario, problems = load_bytes(text.encode(), "x.yaml")
    assert scenario is not None, problems


def test_alias_bomb_is_refused_in_well_under_a_second() -> None:
    bomb = (FIXTURES / "broken" / "alias-bomb.yaml").read_bytes()
    started = time.perf_counter()
    scenario, problems = load_bytes(bomb, "bomb.yaml")
    elapsed = time.perf_counter() - started
    assert scenario is None
    assert "too large once aliases are expanded" in problems[0].message
    assert elapsed < 0.5, f"took {elapsed:.3f}s"


def test_a_file_over_one_mebibyte_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    scenario, problems = load_file(big)
    assert scenario is None
    assert problems[0].line == 1 and "over the limit" in problems[0].message


def test_not_utf8_is_positioned(tmp_path: Path) -> None:
    scenario, problems = load_bytes(b"id: x\ntitle: caf\xe9\n", "latin1.yaml")
    assert scenario is None
    assert (problems[0].line, problems[0].column) == (2, 11)
    assert "UTF-8" in problems[0].message


def test_content_hash_is_the_sha256_of_the_bytes(example) -> None:
    import hashlib

    assert example.content_hash == hashlib.sha256(GOOD.read_bytes()).hexdigest()


def test_nested_too_deep_is_an_error_not_a_crash() -> None:
    text = "id: x\nx-deep: " + "[" * 5000 + "]" * 5000 + "\n"
    scenario, problems = load_bytes(text.encode(), "deep.yaml")
    assert scenario is None and problems and problems[0].is_error
