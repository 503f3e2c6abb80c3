"""A call whose rep skips the wrap-up: the scorecard says so, and an exam says it needs one."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import open_scenario

from simulator.tui.screens import ScorecardScreen, WrapUpScreen

# (name, mode key, what the documentation line says, what it must not say)
CASES = [
    ("exam", "e", "no wrap-up record: an exam needs one", "written"),
    ("practice", "p", "no wrap-up record written", "exam"),
]


@pytest.mark.parametrize("mode_key,says,never", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
async def test_the_scorecard_says_the_record_is_missing(new_app: Any, mode_key: str, says: str,
                                                        never: str) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, "parcel")
        await pilot.press(mode_key, "2", "1")  # blamed and argued: Sam walks out
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
        await pilot.press("escape")  # no record
        await pilot.pause()
        assert isinstance(app.screen, ScorecardScreen) and app.screen.documentation is None
        line = next(x for x in str(app.screen.query_one("#dimensions").render()).splitlines()
                    if x.startswith("documentation"))
        assert says in line and never not in line
