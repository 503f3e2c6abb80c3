"""The TUI reads as the person using it: their own calls only, whoever else is in trainees.db."""

from __future__ import annotations

from typing import Any

from conftest import USER, seed_calls
from helpers import settle

from simulator import db
from simulator.call import play


async def test_home_shows_only_the_reps_own_calls(new_app: Any, engine: Any,
                                                  library: Any) -> None:
    seed_calls(engine, library)  # USER's three calls
    other = library.by_id("confused-password-reset")
    for _ in range(3):  # someone else's, newer, on another scenario
        call_id = db.start_call(engine, "someone-else", other, mode="exam")
        result = play(other, [1, 1])
        db.finish_call(engine, call_id, result, result.score())
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#recent").content  # the rich Table home built
        scenarios = [str(cell) for cell in table.columns[1]._cells]  # type: ignore[union-attr]
    assert len(scenarios) == 3 and other.title not in scenarios
    mine = db.recent_calls(engine, db.sign_in(engine, USER), limit=100)
    assert len(mine) == 3 and {c.trainee for c in mine} == {USER}
    assert app.store.viewer is not None and app.store.viewer.role == "trainee"


async def test_home_says_why_an_exam_did_not_count(new_app: Any, engine: Any,
                                                   library: Any) -> None:
    """An exam on an edited copy of a library scenario: marked on the home and said why."""
    from simulator.scenario import load_bytes

    original = library.by_id("angry-late-parcel")
    copy, problems = load_bytes(original.source.replace("feedback: ", "feedback: (edited) ", 1)
                                .encode("utf-8"), "copy.yaml")
    assert copy is not None, problems
    call_id = db.start_call(engine, USER, copy, mode="exam")
    result = play(copy, [1, 1, 1, 1])
    db.finish_call(engine, call_id, result, result.score())
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        group = app.screen.query_one("#recent").content
        table, footnote = group.renderables  # type: ignore[union-attr]
        modes = [str(cell) for cell in table.columns[3]._cells]
    assert modes == ["exam, not counted (1)"]
    assert "(1) played on another version of the scenario" in str(footnote)
