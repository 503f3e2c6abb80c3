"""The TUI's line writer (db.calls.LineWriter): two statements a line when the line is the
next one, and exactly record_line's rules and errors otherwise. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from dbhelpers import played

from simulator import db
from simulator.db.calls import LineWriter, TranscriptConflict


def test_a_call_written_line_by_line_is_stored_exactly(engine, scenario) -> None:
    result = played(scenario, [1, 1, 1, 1])
    call_id = db.start_call(engine, "ann", scenario)
    lines = LineWriter(engine, call_id)
    for idx, line in enumerate(result.transcript):
        lines.write(line, idx)
        assert lines.next_idx == idx + 1
    assert db.call_transcript(engine, db.SYSTEM, call_id) == result.transcript
    db.finish_call(engine, call_id, result, result.score())
    (summary,) = db.recent_calls(engine, db.SYSTEM, "ann")
    assert summary.outcome == result.outcome and summary.overall == result.score().overall


def test_the_rules_of_record_line_hold_on_the_fast_path(engine, scenario) -> None:
    said = played(scenario, [1, 1, 1, 1]).transcript
    other = played(scenario, [2, 1]).transcript
    call_id = db.start_call(engine, "ann", scenario)
    lines = LineWriter(engine, call_id)
    lines.write(said[0], 0)
    db.record_line(engine, call_id, said[1], 1)  # written elsewhere: the writer's count is off
    with pytest.raises(TranscriptConflict, match="line 1 is stored with other words"):
        lines.write(other[1], 1)  # the next index it expects, and a primary key clash
    lines.write(said[1], 1)  # the same line again: harmless (a retry of a write that landed)
    with pytest.raises(TranscriptConflict, match="line 3 given when 2 are stored"):
        lines.write(said[3], 3)  # a gap
    lines.write(said[2], 2)
    assert db.call_transcript(engine, db.SYSTEM, call_id) == said[:3]
    db.abandon_call(engine, call_id, reason="left")
    with pytest.raises(ValueError, match="already ended"):
        lines.write(said[3], 3)  # the next index, but the call is over: nothing written
    assert db.call_transcript(engine, db.SYSTEM, call_id) == said[:3]


def test_a_call_that_is_not_there_is_an_error(engine, scenario) -> None:
    said = played(scenario, [1]).transcript
    lines = LineWriter(engine, 12345)
    with pytest.raises(ValueError, match="no call 12345"):
        lines.write(said[0], 0)
    lines.next_idx = 1  # as if line 0 had been written: the fast path finds no open call
    with pytest.raises(ValueError, match="no call 12345"):
        lines.write(said[1], 1)


def test_a_new_call_s_lines_all_take_the_short_path(engine, scenario, monkeypatch) -> None:
    """Told the call is new (next_idx=0), the writer never needs record_line's checks; the
    call's lines are stored exactly, and a wrong start still meets record_line's rules."""
    from simulator.db import calls

    said = played(scenario, [1, 1, 1, 1]).transcript
    call_id = db.start_call(engine, "ann", scenario)
    checked: list[int] = []
    real = calls.record_line
    monkeypatch.setattr(calls, "record_line",
                        lambda *a, **k: (checked.append(a[3]), real(*a, **k))[1])
    lines = LineWriter(engine, call_id, next_idx=0)
    for idx, line in enumerate(said):
        lines.write(line, idx)
    assert checked == [] and db.call_transcript(engine, db.SYSTEM, call_id) == said
    other = LineWriter(engine, db.start_call(engine, "ann", scenario), next_idx=0)
    with pytest.raises(TranscriptConflict, match="line 1 given when 0 are stored"):
        other.write(said[1], 1)  # not the next line: record_line's rules, and its message
    assert checked == [1]
