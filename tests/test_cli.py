"""The commands as a trainer meets them: output, exit codes, determinism."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from corepaths import FIXTURES, GOOD, ROOT

from simulator.bundled import BUNDLED
from simulator.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_good_folder(capsys) -> None:
    code, out, _ = run(capsys, "validate", str(FIXTURES / "good"))
    assert code == 0
    assert out.strip().endswith("2 of 2 checks passed, visiting 7 of 7 nodes; 0 errors, 0 warnings")


def test_validate_reports_file_line_col_and_exits_1(capsys) -> None:
    code, out, _ = run(capsys, "validate", str(FIXTURES / "broken" / "unknown-tag.yaml"))
    assert code == 1
    assert "unknown-tag.yaml:14:29: error: unknown tag 'acknowlege'" in out
    assert out.strip().splitlines()[-1].endswith("1 error, 0 warnings")


def test_validate_warnings_alone_exit_0(capsys) -> None:
    code, out, _ = run(capsys, "validate", str(FIXTURES / "broken" / "w-unreachable.yaml"))
    assert code == 0 and ": warning: node 'c' is never reached" in out


def test_validate_a_missing_path_is_a_usage_error(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "nope"))
    assert code == 2 and "no such file or folder" in err and "Traceback" not in err


def test_validate_defaults_to_the_bundled_library(capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    _code, out, _ = run(capsys, "validate")
    files = len([p for p in BUNDLED.rglob("*.y*ml") if "tracks" not in p.parts])
    assert out.strip().splitlines()[-1].startswith(f"{files} file")


def test_play_json_is_the_contract_object(capsys) -> None:
    code, out, _ = run(capsys, "play", str(GOOD), "--choose", "1,1,1,1", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["scenario", "outcome", "level", "steps", "mood", "transcript", "score"]
    assert list(data["score"])[:4] == ["overall", "passed", "dimensions", "events"]
    assert data["scenario"] == "payment-double-charge" and data["outcome"] == "resolved"
    assert data["mood"] == {"start": 7, "end": 5}
    assert data["score"]["overall"] == 94 and data["score"]["passed"] is True
    assert data["transcript"][1] == {
        "speaker": "trainee", "node": "opening", "option": 1,
        "text": "I'm sorry, seeing a charge twice is alarming. "
                "Let me look at it with you right now."}
    assert [list(e)[:4] for e in data["score"]["events"]] == [
        ["turn", "dimension", "points", "reason"]] * 3


def test_play_json_is_utf8_and_byte_identical_across_runs(tmp_path) -> None:
    text = GOOD.read_text().replace("Dana Whitfield", "Zoë Müller").replace(
        '"Yes, order 4471.', '"Oui, commande 4471 — à régler.')
    path = tmp_path / "utf8.yaml"
    path.write_text(text, encoding="utf-8")
    cmd = [sys.executable, "-m", "simulator", "play", str(path), "--choose", "1,1,1,1", "--json"]
    first = subprocess.run(cmd, capture_output=True, check=True).stdout
    second = subprocess.run(cmd, capture_output=True, check=True).stdout
    assert first == second
    assert "à régler".encode() in first and b"\\u" not in first


def test_play_bad_picks_exit_2_and_say_where(capsys) -> None:
    code, _, err = run(capsys, "play", str(GOOD), "--choose", "1,1,1,1,1")
    assert code == 2 and "the call ended after turn 4; 1 pick left over" in err
    code, _, err = run(capsys, "play", str(GOOD), "--choose", "1,7")
    assert code == 2 and "node 'confirm' has no option 7" in err


def test_play_invalid_file_exits_1(capsys) -> None:
    code, _, err = run(capsys, "play", str(FIXTURES / "broken" / "unknown-step.yaml"),
                       "--choose", "1")
    assert code == 1 and "unknown step 'understanding'" in err


def test_play_with_failing_checks_plays_and_warns(capsys) -> None:
    code, out, err = run(capsys, "play", str(FIXTURES / "broken" / "failed-check.yaml"),
                         "--choose", "1")
    assert code == 0
    assert ": warning: check 'textbook' failed" in err
    assert "Score:" in out


def test_play_text_shows_transcript_coach_and_card(capsys) -> None:
    code, out, _ = run(capsys, "play", str(GOOD), "--choose", "2,1")
    assert code == 0
    assert "Dana Whitfield: Unbelievable. Get me your manager." in out
    assert "FAILED" in out and "Policy 50 is below its floor of 60" in out
    assert "turn  1  policy      -50" in out


def test_graph_of_a_scenario_and_of_the_machine(capsys) -> None:
    code, out, _ = run(capsys, "graph", str(GOOD))
    assert code == 0 and out.startswith("---") and "flowchart TD" in out
    assert 'n_opening -->|"1, understand, mood -2"| n_confirm' in out
    assert 'n_opening -.->|"2, mood +2"| n_furious' in out
    code, out, _ = run(capsys, "graph", "--machine", "ladder")
    assert code == 0 and "stateDiagram-v2" in out


def test_python_dash_m_simulator_is_hotseat() -> None:
    done = subprocess.run([sys.executable, "-m", "simulator", "validate", str(GOOD)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "1 valid" in done.stdout


@pytest.mark.parametrize("argv", [["play"], ["frobnicate"], ["validate", "--bogus"]])
def test_usage_errors_never_show_a_traceback(argv, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["graph"], ["play", "missing.yaml", "--choose", "1"]])
def test_user_errors_exit_2_with_one_line(argv, capsys) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith("hotseat: error: ") and "Traceback" not in err


def test_validate_checks_certification_tracks_beside_the_scenarios(capsys, tmp_path) -> None:
    (tmp_path / "tracks").mkdir()
    (tmp_path / "call.yaml").write_bytes(GOOD.read_bytes())
    (tmp_path / "tracks" / "t.yaml").write_text(
        "id: t\ntitle: T\nrole: csr\nrequires:\n  - scenario: nope\npass_mark: 75\n"
        "valid_days: 180\nrefresher_days: 30\n")
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert "t.yaml:5:15: error: no scenario 'nope' in the library" in out


def test_validate_with_no_path_checks_the_site_libraries_too(capsys, monkeypatch, tmp_path) -> None:
    """`hotseat validate` checks what the TUI and the other commands load: the bundled library,
    $HOTSEAT_SCENARIOS and `--scenarios DIR`, so a site's broken file is found and counted."""
    monkeypatch.chdir(ROOT)
    bundled = len([p for p in BUNDLED.rglob("*.y*ml") if "tracks" not in p.parts])
    site, extra = tmp_path / "site", tmp_path / "extra"
    site.mkdir()
    extra.mkdir()
    (site / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (extra / "also-broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("HOTSEAT_SCENARIOS", str(site))
    code, out, err = run(capsys, "--scenarios", str(extra), "validate")
    assert code == 1
    assert "broken.yaml:" in out + err and "also-broken.yaml:" in out + err
    assert out.strip().splitlines()[-1].startswith(f"{bundled + 2} file")
