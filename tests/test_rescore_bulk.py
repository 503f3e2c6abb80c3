"""rescore reads in bulk (issue 12): each call rescored on its own lines and score events,
whichever way a chunk of calls is read (a range of ids, or the list of them), and each path
replayed once yet every call compared with its own stored score."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from dbhelpers import played

from simulator import db
from simulator.db import rescore


def _call(engine, trainee: str, scenario, picks: list[int]) -> int:
    call_id = db.start_call(engine, trainee, scenario, "exam")
    result = played(scenario, picks)
    db.finish_call(engine, call_id, result, result.score())
    return call_id


def test_span_reads_a_range_when_the_ids_are_dense_else_the_list() -> None:
    assert rescore._span([3, 4, 6, 7], "?") == ("call_id BETWEEN ? AND ?", [3, 7], (3, 7))
    assert rescore._span([1, 5, 9, 11], "%s") == ("call_id IN (%s, %s, %s, %s)",
                                                    [1, 5, 9, 11], None)


@pytest.mark.parametrize("chunk", [3, 2000])
def test_each_call_is_rescored_on_its_own_lines(backend_url, scenario, monkeypatch,
                                                chunk) -> None:
    monkeypatch.setattr(rescore, "_CHUNK", chunk)
    engine = db.make_engine(backend_url)
    ann, bob = [1, 1, 1, 1], [2, 1]  # two paths that score differently
    ids: dict[int, str] = {}
    ids[_call(engine, "ann", scenario, ann)] = "ann"
    for _ in range(3):
        ids[_call(engine, "bob", scenario, bob)] = "bob"
    # a call under way, its lines stored, among the others: never read as another call's
    open_call = db.start_call(engine, "bob", scenario, "exam")
    for idx, line in enumerate(played(scenario, [1, 1]).transcript[:3]):
        db.record_line(engine, open_call, line, idx)
    for who in ("ann", "bob", "bob", "ann", "bob", "ann"):
        ids[_call(engine, who, scenario, ann if who == "ann" else bob)] = who
    tampered = [i for i, who in ids.items() if who == "ann"][1]
    with engine.begin() as conn:  # a score edited outside Hotseat: its seal no longer holds
        conn.execute(sa.text("UPDATE calls SET overall = overall - 1 WHERE id = :i"),
                     {"i": tampered})
    expected = {"ann": played(scenario, ann).score(), "bob": played(scenario, bob).score()}

    results, skipped = db.rescore_calls(engine, lambda sid: scenario)
    assert skipped == 1
    assert [r.call_id for r in results] == sorted(ids)
    for r in results:
        card = expected[ids[r.call_id]]
        assert (r.trainee, r.passed_after, r.failures_after) == (
            ids[r.call_id], card.passed, card.failures)
        if r.call_id == tampered:
            assert r.changes == (f"overall {card.overall - 1} -> {card.overall}",)
            assert r.why.startswith("the stored score does not match its seal")
        else:
            assert not r.differs, r

    # one trainee's calls, spread over the table: read by the list of their ids
    results, skipped = db.rescore_calls(engine, lambda sid: scenario, trainee="ann")
    assert skipped == 0
    assert [r.call_id for r in results] == [i for i, who in ids.items() if who == "ann"]
    assert [r.call_id for r in results if r.differs] == [tampered]
    engine.dispose()


def test_a_path_replayed_once_is_compared_with_each_calls_own_score(sqlite_url,
                                                                     scenario) -> None:
    from scoring.rubric import default_rubric

    engine = db.make_engine(sqlite_url)
    rubric = default_rubric()
    older = rubric.model_copy(update={"version": "2026.11-3",
                                      "points": {**rubric.points, "apologise": 10}})
    first = _call(engine, "ann", scenario, [1, 1, 1, 1])
    call_id = db.start_call(engine, "ann", scenario, "exam")  # same path, an older rubric
    result = played(scenario, [1, 1, 1, 1])
    db.finish_call(engine, call_id, result, result.score(older))
    last = _call(engine, "ann", scenario, [1, 1, 1, 1])
    calls = []
    real_play = rescore.play

    def counted(*args):
        calls.append(args)
        return real_play(*args)

    rescore.play, saved = counted, rescore.play
    try:
        results, _ = db.rescore_calls(engine, lambda sid: scenario)
    finally:
        rescore.play = saved
    assert len(calls) == 1  # one path, replayed once
    assert [r.differs for r in results] == [False, True, False]
    assert [r.call_id for r in results] == [first, call_id, last]
    assert "empathy 80 -> 90" in results[1].changes
    assert results[1].why == f"the rubric changed since (2026.11-3 -> {rubric.version})"
    engine.dispose()
