"""Loading and validating the bundled library, against bare YAML parsing of the same bytes.

Prints ratios (ours / baseline) measured in the same run, so a noisy machine affects both.
Run: .venv/bin/python bench/bench_library.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from simulator.call import Call
from simulator.checks import run_checks
from simulator.scenario import discover, load_file

ROOT = Path(__file__).resolve().parent.parent
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def best_of(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main() -> None:
    files = discover([ROOT / "scenarios"])
    blobs = [p.read_bytes() for p in files]

    def baseline() -> None:  # what any YAML tool must do at least: parse every file
        for raw in blobs:
            yaml.load(raw, Loader=LOADER)

    def ours() -> None:  # parse with positions, type-check, graph checks
        for path in files:
            load_file(path)

    scenarios = [s for s in (load_file(p)[0] for p in files) if s is not None]

    def checks() -> None:  # play and score every golden path
        for s in scenarios:
            run_checks(s)

    def bare_machine() -> None:  # baseline for one call's set-up: a plain object per call
        for _ in scenarios * 20:
            type("Call", (), {})()

    def call_setup() -> None:  # our call: two transitions machines per call
        for s in scenarios * 20:
            Call(s)

    base, _base_med = best_of(baseline)
    print(f"{len(files)} files, {sum(map(len, blobs)) // 1024} KiB")
    for name, fn, ref in (("load+validate", ours, base), ("play all checks", checks, base)):
        t, _med = best_of(fn)
        print(f"{name:<18} {t * 1000:8.1f} ms  = {t / ref:5.2f}x bare YAML parse "
              f"({ref * 1000:.1f} ms)")
    ref, _ = best_of(bare_machine)
    t, _ = best_of(call_setup)
    per_call = t / (len(scenarios) * 20)
    print(f"{'call set-up':<18} {per_call * 1e6:8.1f} us per call = {t / ref:5.0f}x a bare object "
          f"(two machines, auto_transitions=False)")


if __name__ == "__main__":
    main()
