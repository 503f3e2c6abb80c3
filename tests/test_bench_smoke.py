"""bench/run.py runs and reports (issue 12): not a benchmark, a proof that the harness works.

The benchmarks themselves stay out of the test suite (they take an hour at full size); this runs
`bench/run.py --quick` on two cheap benchmarks, one on the generated library and one on the
generated database, in a cache folder of its own, and checks that each prints its line in the
agreed form. Whether a target is met is the benchmarks' business, not the suite's: a FAIL line is
accepted, a benchmark that cannot run (`hotseat=error`) is not.
"""

from __future__ import annotations

import re
import subprocess
import sys

from corepaths import ROOT

LINE = re.compile(r"^(?P<name>[a-z_]+(?:\[[a-z]+\])?): hotseat=(?P<hotseat>\S+) "
                  r"baseline=(?P<baseline>\S+) ratio=(?P<ratio>\S+) target<=(?P<target>\S+) "
                  r"(?P<verdict>ok|FAIL)(?:  # .*)?$")
NUMBER = r"[0-9.]+(?:e[-+]?[0-9]+)?(?:s|ms|MB)?"


def test_quick_run_prints_a_line_per_benchmark(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--runs", "1",
         "--only", "validate,report_trainee", "--keep", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr[-3000:]  # 1: some target is not met
    out = done.stdout.splitlines()
    lines = {m["name"]: m for m in map(LINE.match, out) if m}
    assert set(lines) == {"validate", "report_trainee[sqlite]"}, done.stdout + done.stderr[-3000:]
    for name, m in lines.items():
        assert re.fullmatch(NUMBER, m["hotseat"]), f"{name} did not run: {m.string}"
        assert re.fullmatch(NUMBER, m["baseline"]) and re.fullmatch(r"[0-9.]+", m["ratio"])
        ratio = float(m["hotseat"].rstrip("smMB")) / float(m["baseline"].rstrip("smMB"))
        assert abs(ratio - float(m["ratio"])) <= 0.01 * ratio + 0.01, m.string
        assert (m["verdict"] == "ok") == (float(m["ratio"]) <= float(m["target"])), m.string
    assert any(x.startswith("# bytecode: PYTHONDONTWRITEBYTECODE was") for x in out)
    assert any(x.startswith("# machine: ") for x in out)
    assert done.returncode == (1 if any(m["verdict"] == "FAIL" for m in lines.values()) else 0)
