"""Calibration in the TUI (issue 13, item 5): a supervisor picks a call and scores it blind, per
dimension and pass or fail, before any automatic score of it is shown (or read); once kept,
theirs beside the scorer's; then the agreement report per dimension and per rule, with kappa,
and the calls of most disagreement, each one Enter away from its replay. A trainee reaches none
of it."""

from __future__ import annotations

from typing import Any

from conftest import ADMIN, USER
from helpers import settle
from reviewsite import SUPERVISOR, make_site, viewer
from test_hostile import shown
from textual.widgets import DataTable, RadioSet

from simulator import db
from simulator.db.calibrations import BlindCall
from simulator.tui.screens import (
    AgreementScreen,
    BlindScoreScreen,
    CalibrationScreen,
    ReplayScreen,
)


def rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_call_is_scored_blind_then_compared(new_app: Any, engine: Any,
                                                    library: Any) -> None:
    site = make_site(engine, library)
    app = new_app(user=SUPERVISOR)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_calibration()
        await settle(pilot)
        assert isinstance(app.screen, CalibrationScreen)
        listed = rows(app.screen.query_one("#blind-calls", DataTable))
        listing = shown(app)
        await pilot.press("enter")  # the newest: alice's failed exam
        await settle(pilot)
        blind = app.screen
        assert isinstance(blind, BlindScoreScreen) and blind.call_id == site.failed
        before = shown(app)
        # nothing of the scorer's has been read: only who, what, when and the lines
        assert blind.pair is None
        for d, value in (("empathy", "40"), ("resolution", "90"), ("escalation", "100"),
                         ("policy", "50")):
            await pilot.click(f"#score-{d}")
            await pilot.press(*value)
        blind.query_one("#verdict-pass").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        after = shown(app)
        await pilot.press("r")
        await settle(pilot)
        replayed = isinstance(app.screen, ReplayScreen) and app.screen.call_id == site.failed
    # the list: alice's two calls, no score, no result; bob's (team red) is not there
    assert [r[0] for r in listed] == [str(site.failed), str(site.passed)]
    assert listed[0][1:] == ["2026-03-14 09:30 UTC", "alice", "Charged twice for one order",
                             "exam"]
    for screen in (listing, before):
        for secret in ("66", "FAILED", "failed", "policy 50", "weaponise_policy", "Scorer",
                       "escalated", "-50"):
            assert secret not in screen, (secret, screen)
    assert "Scores hidden until you have given yours." in before
    assert "Rep [1]: All card charges are final, that's company policy." in before
    assert "Customer: Unbelievable. Get me your manager." in before
    # kept, then compared: yours, the scorer's, the difference; the rules that fired
    pair = blind.pair
    assert pair is not None and pair.scorer == {"empathy": 15, "resolution": 100,
                                                "escalation": 100, "policy": 50}
    flat = " ".join(after.split())
    assert "Kept. Your calibration of this call is sealed" in flat
    assert "Yours Scorer Diff" in flat and "empathy 40 15 +25" in flat
    assert "resolution 90 100 -10" in flat and "policy 50 50 +0" in flat
    assert "pass/fail pass fail disagree" in flat
    assert "Rules that fired: ended_upset, mood_rise," in flat
    assert "never_acknowledged, weaponise_policy" in flat
    assert "Your scores are kept: the scorer's are beside them." in after
    (kept,) = db.calibration_pairs(engine, viewer(engine, SUPERVISOR))
    assert kept.call_id == site.failed and kept.supervisor == {
        "empathy": 40, "resolution": 90, "escalation": 100, "policy": 50}
    assert kept.supervisor_passed is True
    assert replayed


def test_the_blind_header_holds_no_score() -> None:
    assert set(BlindCall.__dataclass_fields__) == {"call_id", "trainee", "scenario_id", "mode",
                                                   "started"}


async def test_missing_or_bad_scores_are_said_and_nothing_is_kept(
        new_app: Any, engine: Any, library: Any) -> None:
    site = make_site(engine, library)
    app = new_app(user=SUPERVISOR)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(BlindScoreScreen(site.passed))
        await settle(pilot)
        await pilot.press("1", "0", "1", "ctrl+s")  # empathy 101, nothing else
        await settle(pilot)
        error = str(app.screen.query_one("#blind-error").content)
        assert isinstance(app.screen, BlindScoreScreen) and app.screen.pair is None
        assert app.screen.query_one("#blind-verdict", RadioSet).pressed_button is None
    assert error == ("Not saved: empathy: 101 is not a score (a whole number from 0 to 100); "
                     "resolution: give a score from 0 to 100; escalation: give a score from 0 "
                     "to 100; policy: give a score from 0 to 100; say whether you would pass it "
                     "or fail it.")
    assert db.calibration_pairs(engine, viewer(engine, SUPERVISOR)) == []


async def test_a_reviewed_or_calibrated_call_is_not_scored_blind(
        new_app: Any, engine: Any, library: Any) -> None:
    """Once a supervisor has commented on a call they have seen its scores: it leaves their
    list, and opening it anyway shows nothing of it."""
    site = make_site(engine, library)
    sue = viewer(engine, SUPERVISOR)
    db.add_comment(engine, sue, site.failed, "seen")
    db.calibrate(engine, sue, site.passed, {"empathy": 90, "resolution": 100,
                                            "escalation": 100, "policy": 100}, True)
    app = new_app(user=SUPERVISOR)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(CalibrationScreen())
        await settle(pilot)
        listed = rows(app.screen.query_one("#blind-calls", DataTable))
        hint = str(app.screen.query_one("#calibration-hint").content)
        app.push_screen(BlindScoreScreen(site.failed))
        await settle(pilot)
        head = str(app.screen.query_one("#blind-head").content)
        lines = str(app.screen.query_one("#blind-lines").content)
        form = app.screen.query_one("#blind-form").display
    assert listed == [] and hint.startswith("No call to score blind: you have scored or "
                                            "reviewed every finished call of your teams.")
    assert head == ("sue has reviewed call 2 already (a comment or an override), so has seen "
                    "its scores: a calibration must be blind")
    assert lines == "Nothing of this call is shown here." and not form


async def test_the_agreement_report_and_the_calls_of_most_disagreement(
        new_app: Any, engine: Any, library: Any) -> None:
    """Two blind scores, worked out by hand: on call 1 (scorer 95/100/100/100, passed) sue
    gives 80/100/100/90 and passes; on call 2 (scorer 15/100/100/50, failed) 40/90/100/50 and
    passes. Empathy: -15 and +25, mean +5.0, mean absolute 20.0; policy: -10 and 0, mean -5.0;
    resolution 0 and -10: mean -5.0, absolute 5.0. Pass or fail: they agree on 1 of 2 (0.50);
    by chance sue passes 2/2, the scorer 1/2: p_e = 1 x 0.5 + 0 x 0.5 = 0.50, so kappa =
    (0.50 - 0.50) / (1 - 0.50) = 0.00. Most disagreement: call 2 (25 + 10 = 35, pass/fail
    differs), then call 1 (15 + 10 = 25)."""
    site = make_site(engine, library)
    sue = viewer(engine, SUPERVISOR)
    db.calibrate(engine, sue, site.passed, {"empathy": 80, "resolution": 100,
                                            "escalation": 100, "policy": 90}, True)
    db.calibrate(engine, sue, site.failed, {"empathy": 40, "resolution": 90,
                                            "escalation": 100, "policy": 50}, True)
    app = new_app(user=SUPERVISOR)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        app.push_screen(CalibrationScreen())
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AgreementScreen)
        screen = shown(app)
        worst = rows(app.screen.query_one("#worst", DataTable))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen) and app.screen.call_id == site.failed
    flat = [" ".join(line.split()) for line in screen.splitlines()]
    assert "empathy 2 +5.0 20.0" in flat
    assert "resolution 2 -5.0 5.0" in flat
    assert "escalation 2 +0.0 0.0" in flat
    assert "policy 2 -5.0 5.0" in flat
    assert ("Pass or fail: 2 calls, agreement 0.50 (1 of 2), expected by chance 0.50, kappa "
            "0.00 (no better than chance).") in " ".join(screen.split())
    assert "weaponise_policy policy 1 +0.0" in flat  # fired on call 2 only, where policy agreed
    assert worst == [[str(site.failed), USER, SUPERVISOR, "35", "+25", "-10", "+0", "+0",
                      "disagree"],
                     [str(site.passed), USER, SUPERVISOR, "25", "-15", "+0", "+0", "-10",
                      "agree"]]


async def test_kappa_undefined_is_said(new_app: Any, engine: Any, library: Any) -> None:
    site = make_site(engine, library)
    db.calibrate(engine, viewer(engine, ADMIN), site.passed,
                 {"empathy": 95, "resolution": 100, "escalation": 100, "policy": 100}, True)
    app = new_app(user=ADMIN)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(AgreementScreen())
        await settle(pilot)
        text = " ".join(str(app.screen.query_one("#agree-passfail").content).split())
        worst_shown = app.screen.query_one("#worst").display
    assert "kappa undefined: both sides passed every call, or both failed every call" in text
    assert not worst_shown  # they agree on everything: no call to discuss


async def test_a_trainee_reaches_no_calibration(new_app: Any, engine: Any,
                                                library: Any) -> None:
    site = make_site(engine, library)
    app = new_app()  # alice
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        app.push_screen(CalibrationScreen())
        await settle(pilot)
        hub = str(app.screen.query_one("#calibration-hint").content)
        table_shown = app.screen.query_one("#blind-calls").display
        footer = shown(app).splitlines()[-1]
        await pilot.press("a", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CalibrationScreen)
        app.push_screen(BlindScoreScreen(site.passed))
        await settle(pilot)
        blind = str(app.screen.query_one("#blind-head").content)
        lines = str(app.screen.query_one("#blind-lines").content)
        app.push_screen(AgreementScreen())
        await settle(pilot)
        report = str(app.screen.query_one("#agree-dims").content)
    assert "Your calls" in commands and "Calibration" not in commands
    assert hub == ("alice is a trainee: only a supervisor (for their teams' trainees) or an "
                   "admin calibrates calls")
    assert not table_shown and "Score blind" not in footer and "Agreement" not in footer
    assert blind == ("alice is a trainee: only a supervisor (for their teams' trainees) or an "
                     "admin calibrates calls")
    assert lines == "Nothing of this call is shown here."
    assert report == ("alice is a trainee: calibration is read by supervisors (for their "
                      "teams) and admins")
    assert db.calibration_pairs(engine, viewer(engine, ADMIN)) == []
