"""The cost of a call's life outside the scorer: storing each line, and one reply in the TUI.

Each is printed as a ratio against a bare baseline measured in the same run:
- storing a transcript line (one committed transaction through SQLModel, WAL, BEGIN IMMEDIATE)
  against a bare `sqlite3` INSERT + COMMIT on a WAL file;
- a reply on the call screen (engine, gauges, reply list; the line is written by the store's
  background thread, not on the UI path) against the bare `Call.choose` of the core.
Run: .venv/bin/python bench/bench_calls.py
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from pathlib import Path

from simulator import db
from simulator.call import Call, Line
from simulator.cli import BUNDLED
from simulator.scenario import load_file

N = 300
SCENARIO = load_file(BUNDLED / "payment-double-charge.yaml")[0]


def bare_sqlite(folder: Path) -> float:
    con = sqlite3.connect(folder / "bare.db", isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE t (call INTEGER, idx INTEGER, speaker TEXT, node TEXT, text TEXT)")
    started = time.perf_counter()
    for i in range(N):
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO t VALUES (1, ?, 'customer', 'opening', 'Hello there')", (i,))
        con.execute("COMMIT")
    return (time.perf_counter() - started) / N


def ours_record_line(folder: Path) -> float:
    engine = db.make_engine(f"sqlite:///{folder / 'ours.db'}")
    call_id = db.start_call(engine, "bench", SCENARIO, "practice")
    line = Line("customer", "opening", "Hello there")
    started = time.perf_counter()
    for idx in range(N):
        db.record_line(engine, call_id, line, idx)
    return (time.perf_counter() - started) / N


def bare_choose() -> float:
    started = time.perf_counter()
    for _ in range(N):
        call = Call(SCENARIO)
        while not call.ended:
            call.choose(1)
    return (time.perf_counter() - started) / (N * 4)


async def tui_reply() -> float:
    from simulator.tui import make_app
    from simulator.tui.screens import CallScreen

    app = make_app([SCENARIO], None, "bench")
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(15):
            app.take_call(SCENARIO, "practice")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CallScreen)
            while not screen.call.ended:
                started = time.perf_counter()
                screen.play(1)
                times.append(time.perf_counter() - started)
                await pilot.pause()
            app.pop_screen()
            await pilot.pause()
    times.sort()
    return times[len(times) // 2]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base, ours = bare_sqlite(folder), ours_record_line(folder)
    print(f"store a line   {ours * 1e3:7.2f} ms = {ours / base:5.1f}x bare sqlite3 "
          f"INSERT+COMMIT ({base * 1e3:.2f} ms)")
    base = bare_choose()
    reply = asyncio.run(tui_reply())
    print(f"TUI reply      {reply * 1e3:7.2f} ms (median) = {reply / base:5.0f}x the bare engine "
          f"({base * 1e6:.0f} us); a frame at 60 Hz is 16.7 ms")


if __name__ == "__main__":
    main()
