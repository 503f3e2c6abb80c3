"""`rescore`'s own work timed inside one process, for the growth line (issue 12).

`growth_rescore_calls` asks whether rescoring costs the same per call at 100,000 calls as at
1,000. Timing two whole `hotseat rescore` processes and subtracting a third (the fixed cost: the
interpreter, the imports, the library) stopped measuring anything once the rescore proper of
1,000 calls fell to about 60 ms, under the noise of the ~1 s processes subtracted. So this runs
what `hotseat rescore` runs (the library as the command loads it, the database opened by the
project's own code, `rescore_calls` as the system) and times `rescore_calls` alone, `--runs`
times in the same process, printing `TIMED {json}` with every run's seconds and the calls.

Run by bench/run.py as a fresh process of the installed interpreter, like the command.
"""

from __future__ import annotations

import argparse
import json
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from simulator import db
    from simulator.cli.common import library
    from simulator.db.people import SYSTEM

    lib = library()
    engine = db.make_engine(args.db)
    try:
        seconds: list[float] = []
        calls = 0
        for _ in range(args.runs):
            started = time.perf_counter()
            results, _skipped = db.rescore_calls(engine, lib.by_id, viewer=SYSTEM)
            seconds.append(time.perf_counter() - started)
            calls = len(results)
    finally:
        engine.dispose()
    print("TIMED " + json.dumps({"calls": calls, "seconds": seconds}))


if __name__ == "__main__":
    main()
