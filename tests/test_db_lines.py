"""A call's lines are numbered by the call, never by the database, and never half-land.

Issue 9: a line whose write failed, followed by lines that were written, used to leave a stored
transcript that had lost one line and held another twice, and the call was still stored as
finished and scored. Each line now carries its index in the call's transcript; the database
stores lines in order and refuses a gap or a different line at a stored index; finishing (or
abandoning with the result) makes the stored lines the call's exactly, or refuses and leaves the
call open. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from dbhelpers import played
from sqlmodel import Session

from simulator import db
from simulator.call import Line
from simulator.db.calls import TranscriptConflict
from simulator.db.tables import Call, Turn


def lines_of(engine, call_id: int) -> list[Line]:
    return db.call_transcript(engine, db.SYSTEM, call_id)


def same_line_by_line(stored: list[Line], said: list[Line]) -> None:
    for idx, (got, want) in enumerate(zip(stored, said, strict=False)):
        assert got == want, f"line {idx}"
    assert len(stored) == len(said)


def put_rows(engine, call_id: int, rows: dict[int, Line]) -> None:
    """Store rows at the given indexes straight in the table (as an older Hotseat could have)."""
    with db.writing(engine) as session:
        for idx, line in rows.items():
            session.add(Turn(call_id=call_id, idx=idx, speaker=line.speaker, node=line.node,
                             text=line.text, turn=line.turn, option=line.option,
                             option_id=line.option_id, feedback=line.feedback))


def test_lines_keep_the_index_the_call_gives_them(engine, scenario) -> None:
    result = played(scenario, [1, 1, 1, 1])
    call_id = db.start_call(engine, "ann", scenario)
    for idx, line in enumerate(result.transcript[:4]):
        db.record_line(engine, call_id, line, idx)
    same_line_by_line(lines_of(engine, call_id), result.transcript[:4])
    db.finish_call(engine, call_id, result, result.score())
    same_line_by_line(lines_of(engine, call_id), result.transcript)


def test_a_line_written_twice_is_stored_once(engine, scenario) -> None:
    """A retry of a write that did land (the commit reached the disk, its answer did not)."""
    result = played(scenario, [1, 1, 1, 1])
    call_id = db.start_call(engine, "ann", scenario)
    for idx in (0, 1, 1, 0, 2):
        db.record_line(engine, call_id, result.transcript[idx], idx)
    same_line_by_line(lines_of(engine, call_id), result.transcript[:3])


def test_the_failed_write_of_the_issue_cannot_shift_the_transcript(engine, scenario) -> None:
    """Line 1's write fails, line 2's is tried: refused (a gap), nothing shifts; finishing
    stores the whole call, each line at its own index."""
    result = played(scenario, [1, 1, 1, 1])
    said = result.transcript
    call_id = db.start_call(engine, "ann", scenario)
    db.record_line(engine, call_id, said[0], 0)
    with pytest.raises(TranscriptConflict, match="line 2 given when 1 are stored"):
        db.record_line(engine, call_id, said[2], 2)
    same_line_by_line(lines_of(engine, call_id), said[:1])
    db.finish_call(engine, call_id, result, result.score())
    same_line_by_line(lines_of(engine, call_id), said)
    (summary,) = db.recent_calls(engine, db.SYSTEM, "ann")
    assert summary.outcome == result.outcome


# (name, picks said, what is stored before the end: index -> index into `other` or `said`)
REFUSED = [
    ("another line at a stored index", {0: ("said", 0), 1: ("other", 1)}),
    ("more lines stored than said", {i: ("said", i) for i in range(9)} | {9: ("other", 3)}),
]


@pytest.mark.parametrize("end", ["finish", "abandon"])
@pytest.mark.parametrize("name,rows", REFUSED, ids=[c[0] for c in REFUSED])
def test_an_end_that_differs_from_what_is_stored_is_refused(engine, scenario, name, rows,
                                                             end) -> None:
    """The call is left open and unchanged: never ended with a transcript unlike the call's."""
    result = played(scenario, [1, 1, 1, 1])
    other = played(scenario, [2, 1]).transcript
    assert other[1] != result.transcript[1]
    source = {"said": result.transcript, "other": other}
    stored = {idx: source[which][i] for idx, (which, i) in rows.items()}
    call_id = db.start_call(engine, "ann", scenario)
    put_rows(engine, call_id, stored)
    with pytest.raises(TranscriptConflict, match="differs from what was said"):
        if end == "finish":
            db.finish_call(engine, call_id, result, result.score())
        else:
            db.abandon_call(engine, call_id, result.score(), result=result)
    (summary,) = db.recent_calls(engine, db.SYSTEM, "ann")
    assert (summary.outcome, summary.ended, summary.overall) == (None, None, None)
    assert db.call_events(engine, db.SYSTEM, call_id) == []
    same_line_by_line(lines_of(engine, call_id), [stored[i] for i in sorted(stored)])


def test_finishing_fills_a_gap_in_order(engine, scenario) -> None:
    """Lines 0 and 2 stored (an older Hotseat), 1 missing: the end stores 1 and the rest."""
    result = played(scenario, [1, 1, 1, 1])
    said = result.transcript
    call_id = db.start_call(engine, "ann", scenario)
    put_rows(engine, call_id, {0: said[0], 2: said[2]})
    db.finish_call(engine, call_id, result, result.score())
    same_line_by_line(lines_of(engine, call_id), said)


def test_a_different_line_at_a_stored_index_is_an_error(engine, scenario) -> None:
    said = played(scenario, [1, 1, 1, 1]).transcript
    other = played(scenario, [2, 1]).transcript
    call_id = db.start_call(engine, "ann", scenario)
    db.record_line(engine, call_id, said[0], 0)
    db.record_line(engine, call_id, said[1], 1)
    with pytest.raises(TranscriptConflict, match="line 1 is stored with other words"):
        db.record_line(engine, call_id, other[1], 1)
    with pytest.raises(ValueError, match="0 or more"):
        db.record_line(engine, call_id, said[2], -1)
    same_line_by_line(lines_of(engine, call_id), said[:2])


def test_ending_as_incomplete_keeps_the_prefix_and_says_why(engine, scenario) -> None:
    said = played(scenario, [1, 1, 1, 1]).transcript
    call_id = db.start_call(engine, "ann", scenario)
    for idx in range(3):
        db.record_line(engine, call_id, said[idx], idx)
    db.abandon_call(engine, call_id, reason="The database failed mid-call")
    (summary,) = db.recent_calls(engine, db.SYSTEM, "ann")
    assert (summary.outcome, summary.passed) == ("incomplete", False)
    with Session(engine) as session:
        call = session.get(Call, call_id)
        assert call is not None and call.failures == "The database failed mid-call"
    same_line_by_line(lines_of(engine, call_id), said[:3])
