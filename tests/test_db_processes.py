"""Several processes, and processes that die: nothing committed is ever lost."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from corepaths import GOOD, ROOT

from simulator import db

MID_CALL = textwrap.dedent("""
    import sys
    from pathlib import Path
    from simulator import db
    from simulator.call import Call
    from simulator.scenario import load_file

    scenario, _ = load_file(Path(sys.argv[2]))
    engine = db.make_engine(sys.argv[1])
    call = Call(scenario)
    call_id = db.start_call(engine, "kim", scenario, "exam")
    db.record_line(engine, call_id, call.transcript[0], 0)
    for pick in (1, 1):
        said = len(call.transcript)
        call.choose(pick)
        for idx in range(said, len(call.transcript)):
            db.record_line(engine, call_id, call.transcript[idx], idx)
    print(call_id, len(call.transcript), flush=True)
    sys.stdin.read()  # mid-call: waits for the trainee's next pick, until killed
""")

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from simulator import db
    from simulator.call import play
    from simulator.scenario import load_file

    url, path, who, count = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    scenario, _ = load_file(path)
    result = play(scenario, [1, 1, 1, 1])
    card = result.score()
    engine = db.make_engine(url)
    for _ in range(count):
        call_id = db.start_call(engine, who, scenario, "practice")
        db.record_line(engine, call_id, result.transcript[0], 0)
        db.record_line(engine, call_id, result.transcript[1], 1)
        db.finish_call(engine, call_id, result, card)  # the other lines, the score: one commit
    print("done", flush=True)
""")


def _python(code: str, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def test_sigkill_mid_call_keeps_every_committed_turn(backend_url) -> None:
    proc = _python(MID_CALL, backend_url, str(GOOD), stdin=subprocess.PIPE)
    ready = proc.stdout.readline()  # printed once the lines are committed
    proc.kill()  # SIGKILL: no cleanup runs
    _, err = proc.communicate()
    assert ready, err
    call_id, lines = map(int, ready.split())

    engine = db.make_engine(backend_url, recover=False)
    assert [c.outcome for c in db.recent_calls(engine, db.SYSTEM, "kim")] == [None]  # still open
    assert db.recover_interrupted(engine) == 1
    (summary,) = db.recent_calls(engine, db.SYSTEM, "kim")
    assert (summary.id, summary.outcome, summary.passed) == (call_id, "incomplete", False)
    transcript = db.call_transcript(engine, db.SYSTEM, call_id)
    assert len(transcript) == lines == 5
    assert [t.speaker for t in transcript] == ["customer", "trainee", "customer", "trainee",
                                               "customer"]
    engine.dispose()


def test_next_start_marks_the_dead_call_incomplete(sqlite_url) -> None:
    proc = _python(MID_CALL, sqlite_url, str(GOOD), stdin=subprocess.PIPE)
    ready = proc.stdout.readline()
    proc.kill()
    proc.communicate()
    assert ready
    engine = db.make_engine(sqlite_url)  # the next start of Hotseat
    assert [c.outcome for c in db.recent_calls(engine, db.SYSTEM, "kim")] == ["incomplete"]
    engine.dispose()


@pytest.mark.parametrize("writers, calls", [(4, 200)])
def test_processes_share_one_database(backend_url, writers, calls) -> None:
    procs = [_python(WRITER, backend_url, str(GOOD), f"rep{i}", str(calls))
             for i in range(writers)]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert "locked" not in err
        assert proc.returncode == 0 and out.strip() == "done", err

    engine = db.make_engine(backend_url)
    assert db.count_calls(engine) == writers * calls
    for i in range(writers):
        history = db.recent_calls(engine, db.SYSTEM, f"rep{i}", limit=calls + 1)
        assert len(history) == calls
        assert {c.outcome for c in history} == {"resolved"}
    transcript = db.call_transcript(engine, db.SYSTEM, history[0].id)
    assert len(transcript) == 9
    engine.dispose()
