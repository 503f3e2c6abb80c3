"""Hostile text in the TUI (issue 9): markup and escape sequences from a scenario file, a name or
a wrap-up are shown literally, run nothing, and never reach the terminal raw.

The scenario is tests/fixtures/hostile/hostile.yaml: its title starts with
`[@click=app.screenshot('trainees.db','.')]`, which, parsed as markup, makes one click on the
library row overwrite trainees.db with an SVG; it holds `[@click=app.quit]`, a lone `[/]` (a
MarkupError at start) and OSC, CSI, C1 and bidi controls. Each screen is read back from
`export_screenshot()`: the literal text must be there, and no raw control character anywhere.
"""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from helpers import settle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Select
from textual.widgets._select import SelectOverlay

from simulator import db
from simulator.scenario import Library, Scenario, load_library
from simulator.text import printable, unsafe_characters
from simulator.tui import HotseatApp, make_app
from simulator.tui.screens import (
    BriefingScreen,
    CallScreen,
    HomeScreen,
    ScorecardScreen,
    WrapUpScreen,
)

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"
SQLITE = b"SQLite format 3\x00"
MARKUP_USER = "[@click=app.quit]mallory[/] [reverse red]x[/]"
"""A name the database accepts (no control character) that is all markup."""
CONTROL_USER = "mallory\x1b[2K\rfake 100 passed"
"""A name with a CSI and a CR: refused by the database, so shown here without one."""

_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
                   r'clip-path="url\(#[\w-]+-line-(\d+)\)">(.*?)</text>', re.S)


def screen_lines(svg: str) -> list[str]:
    """The exported screen as lines of plain text (each span placed at its column)."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for x, line, content in _TEXT.findall(svg):
        rows.setdefault(int(line), []).append(
            (round(float(x) / 12.2), html.unescape(content).replace("\xa0", " ")))
    out = []
    for n in range(max(rows, default=-1) + 1):
        text = ""
        for column, span in sorted(rows.get(n, [])):
            text = text.ljust(column) + span
        out.append(text.rstrip("\n"))  # each line's last span ends it with a newline
    return out


def shown(app: HotseatApp) -> str:
    """The screen as text, after checking that no raw control character is in it at all."""
    svg = app.export_screenshot()
    raw = unsafe_characters(svg)
    assert raw == [], f"raw control characters on screen: {raw}"
    return "\n".join(screen_lines(svg))


def shown_in(app: HotseatApp, widget: Widget) -> str:
    """The part of the screen a widget covers, as text."""
    r = widget.region
    return "\n".join(text[r.x:r.right] for text in shown(app).splitlines()[r.y:r.bottom])


def hostile_library() -> Library:
    lib = load_library([HOSTILE])
    assert lib.scenarios and not lib.errors, lib.errors
    return lib


async def click_text(pilot: Pilot[Any], app: HotseatApp, literal: str, within: str) -> None:
    """Click the first character of `literal` where the widget `within` shows it (unparsed, the
    markup's own text would start there: the click lands on the would-be action)."""
    region = app.screen.query_one(within).region
    for y, text in enumerate(screen_lines(app.export_screenshot())):
        x = text.find(literal, region.x)
        if y in range(region.y, region.bottom) and 0 <= x < region.right:
            await pilot.click(offset=(x, y))
            await pilot.pause()
            return
    raise AssertionError(f"{literal!r} is not on screen in {within}")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path, where trainees.db is: `app.screenshot('trainees.db', '.')` would
    overwrite exactly that file."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def test_hostile_scenario_and_name_are_text_from_home_to_scorecard(
        in_tmp: Path, apps: list[HotseatApp]) -> None:
    engine = db.make_engine(f"sqlite:///{in_tmp / 'trainees.db'}")
    app = make_app(hostile_library(), engine, MARKUP_USER, tracks=[])
    apps.append(app)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        table = shown_in(app, app.screen.query_one("#scenarios"))
        assert "[@click=app.screenshot('trainees.db','.')]Refunds[/]: use [/] to" in table
        assert "[reverse red]x[/]" in table  # the language
        assert f"— {MARKUP_USER} · " in shown(app)  # the header: the name, then the role
        language = app.screen.query_one("#locale", Select)
        language.expanded = True
        await pilot.pause()
        assert "[reverse red]x[/]" in shown_in(app, language.query_one(SelectOverlay))
        language.expanded = False
        await pilot.pause()
        # one click on the title in the library: the row is chosen, nothing else happens
        await click_text(pilot, app, "[@click=app.screenshot(", "#scenarios")
        await settle(pilot)
        assert app.is_running and (in_tmp / "trainees.db").read_bytes()[:16] == SQLITE
        assert not list(in_tmp.glob("*.svg"))
        assert isinstance(app.screen, BriefingScreen)
        screen = shown(app)
        assert "Refunds[/]: use [/] to search \\x1b]0;pwned\\x07" in screen
        assert "Mallory [@click=app.quit]Q[/] [reverse red]x[/]" in screen
        assert "+ [@click=app.quit]Refund[/] the second charge \\x9b2J" in screen
        assert "- Use [/] to search \\u202etxt.exe" in screen

        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        screen = shown(app)
        assert ("Charged TWICE for 4471 \\x1b]0;pwned\\x07 [reverse red]x[/] \\x9b2J "
                "\\u202eevil") in screen
        assert "1  [@click=app.quit]Sorry[/], order 4471 was charged twice? \\x1b[2J" in screen
        assert "2  Use [/] to search. All charges are final. \\u202e" in screen
        await pilot.press("1")
        await settle(pilot)
        assert "[@click=app.quit]Good[/] \\x1b]52;c;SGVsbG8=\\x07" in shown(app)  # the coach
        await click_text(pilot, app, "[@click=app.quit]Sorry[/]", "#conversation")  # a reply
        await pilot.press("1", "1", "1")
        await settle(pilot)
        assert app.screen.call.ended
        assert "Refund it. \\x1b[2K\\rfake 100 passed" in shown(app)
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, WrapUpScreen)
        assert f"customer Mallory [@click=app.quit]Q[/] [reverse red]x[/] · taken by " \
               f"{MARKUP_USER}" in shown(app)
        await pilot.press(*"[@click=app.quit]4471[/] twice ")
        complaint = app.screen.query_one("#complaint", Input)
        complaint.post_message(events.Paste("\x1b]0;pwned\x07\x9b2J\u202e"))  # a paste
        await settle(pilot)
        typed = "[@click=app.quit]4471[/] twice \\x1b]0;pwned\\x07\\x9b2J\\u202e"
        assert complaint.value == typed
        assert typed in shown(app)
        await pilot.press("enter", *"refund one charge", "ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, ScorecardScreen)
        screen = shown(app)
        assert "[@click=app.quit]Sorry[/], order 4471 was charged twice?" in screen
        assert "[@click=app.quit]Sorry[/]" in screen  # the path beside the best one
        await click_text(pilot, app, "[@click=app.quit]Sorry[/]", "#paths")
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "[@click=app.screenshot('trainees.db','.')]Refunds" in shown(app)  # recent calls
        assert app.is_running
        app.store.flush()
    assert (in_tmp / "trainees.db").read_bytes()[:16] == SQLITE
    with engine.connect() as conn:  # the record is stored as the rep saw it
        assert conn.execute(sa.select(db.wrapups.c.complaint)).scalars().all() == [typed]
    engine.dispose()


async def test_a_name_with_escape_sequences_is_shown_as_text(in_tmp: Path,
                                                            apps: list[HotseatApp]) -> None:
    lib = hostile_library()
    app = make_app(lib, None, CONTROL_USER, scenario=lib.scenarios[0], tracks=[])
    apps.append(app)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("p", "1", "1", "1", "1", "enter")
        await settle(pilot)
        assert isinstance(app.screen, WrapUpScreen)
        assert "taken by mallory\\x1b[2K\\rfake 100 passed" in shown(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "— mallory\\x1b[2K\\rfake 100 passed · " in shown(app)
        assert app.is_running


# -- any text at all: hypothesis ---------------------------------------------------------------

PIECES = ["[", "]", "[/]", "[b]", "[@click=app.quit]", "[@click=app.screenshot('x','.')]",
          "[reverse red]", "\\", "\x1b", "\x1b]0;t\x07", "\x9b", "\x07", "\r", "\n", "\t",
          "\u202e", "\u2066", "\x00", "\x7f", "\u200b", "\ufeff", "😀", "é", "\u0301", "配"]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES),
                          st.text(st.characters(exclude_categories=["Cs"]), max_size=8)),
                max_size=10).map("".join)


def rewritten(scenario: Scenario, title: str, line: str, reply: str) -> Scenario:
    """`scenario` with the title, the first customer line and the first reply replaced."""
    first = scenario.nodes[scenario.start]
    options = list(first.options or [])
    options[0] = options[0].model_copy(update={"say": reply})
    node = first.model_copy(update={"customer": line, "options": options})
    customer = scenario.customer.model_copy(update={"name": title or "x"})
    return scenario.model_copy(update={"title": title, "customer": customer,
                                       "nodes": {**scenario.nodes, scenario.start: node}})


async def _render(scenario: Scenario, user: str) -> None:
    app = make_app([scenario], None, user or "x", scenario=scenario, tracks=[])
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, BriefingScreen)
            shown(app)
            await pilot.press("p")
            await settle(pilot)
            assert isinstance(app.screen, CallScreen) and app.is_running
            shown(app)
    finally:
        app.store.close()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, line=TEXT, reply=TEXT)
def test_any_text_renders_literally_and_never_reaches_the_terminal_raw(
        title: str, line: str, reply: str) -> None:
    scenario = rewritten(hostile_library().scenarios[0], title, line, reply)
    asyncio.run(_render(scenario, printable(title, keep_newlines=False)))
