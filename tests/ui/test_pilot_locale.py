"""A wrap-up is marked in the scenario's language, through the app's own path (keys to card)."""

from __future__ import annotations

from typing import Any

from corepaths import ROOT
from helpers import settle, write_wrapup

from simulator.scenario import load_library
from simulator.tui.screens import BriefingScreen, CallScreen, ScorecardScreen, WrapUpScreen
from simulator.wrapup import WrapUpRecord, documentation_mark

FRENCH = ROOT / "scenarios" / "payment-double-charge-fr.yaml"
# typed without accents, as on a keyboard without them: the French stems still meet the facts'
# words "référence" and "commercial" ("reference", "commerciaux"); the English ones do not
COMPLAINT, SOLUTION = "deux debits commande 4471", "rembourser carte reference geste commerciaux"
PREVENTION = "verifier le terminal"


async def test_a_french_record_is_marked_with_french_stems(new_app: Any) -> None:
    french = load_library([FRENCH])
    assert not french.errors and french.scenarios[0].locale == "fr"
    scenario = french.scenarios[0]
    app = new_app(library=[scenario])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the only scenario of the home screen
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen) and app.screen.scenario is scenario
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        await pilot.press(*"11111")  # the best path
        await pilot.pause()
        assert app.screen.call.ended
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
        await write_wrapup(pilot, [COMPLAINT, SOLUTION, "", "", "", "", PREVENTION])
        assert isinstance(app.screen, ScorecardScreen)
        shown = app.screen.documentation
        app.store.flush()

    record = WrapUpRecord(complaint=COMPLAINT, solution=SOLUTION, done_on_spot=False,
                          prevention=PREVENTION)
    french_mark = documentation_mark(record, scenario.facts, locale="fr")
    english_mark = documentation_mark(record, scenario.facts, locale="en")
    assert shown == french_mark
    solution = {m.name: m for m in shown.facts}["solution"]
    assert {"référence", "commercial"} <= set(solution.found)
    assert english_mark.mark < french_mark.mark  # so the test tells the two languages apart
