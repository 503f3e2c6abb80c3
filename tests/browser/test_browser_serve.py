"""`hotseat serve` end to end in headless Chromium: the page, the login, a call by keys, the
scorecard, the database; a wrong password; what a trainee may see; five tabs at once; changing
one's own password."""

from __future__ import annotations

import re
import time
import urllib.request
from typing import Any

import pytest
import sqlalchemy as sa
from browserlib import ADMIN, SECRET, Site, Tab, hotseat, tab_processes

pytestmark = pytest.mark.browser


def calls_of(site: Site) -> list[tuple[str, str | None, str]]:
    """Every stored call: (who, outcome, mode)."""
    engine = sa.create_engine(site.db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT t.name, c.outcome, c.mode FROM calls c JOIN trainees t "
                "ON t.id = c.trainee_id ORDER BY c.id")).all()
    finally:
        engine.dispose()
    return [tuple(r) for r in rows]


def test_the_page_links_nothing_outside_the_server(site: Site) -> None:
    with urllib.request.urlopen(site.url, timeout=10) as answer:
        page = answer.read().decode("utf-8")
    assert "textual.js" in page and "xterm.css" in page
    assert not re.findall(r"(?:src|href)=\"(?:https?:)?//", page)
    assert "googleapis" not in page and "http://" not in page and "https://" not in page


def test_log_in_take_a_call_see_the_scorecard_find_it_stored(site: Site, tabs: Any) -> None:
    tab: Tab = tabs()
    tab.log_in("ann")
    home = tab.wait_for(r"ann · trainee")
    assert "Log in to Hotseat" not in home
    card = tab.take_a_call()
    assert "scorecard" in card and re.search(r"empathy", card, re.I)
    stored = calls_of(site)
    assert len(stored) == 1 and stored[0][0] == "ann" and stored[0][2] == "practice"
    assert stored[0][1] in ("resolved", "escalated", "lost")  # ended: an outcome is kept
    assert ADMIN not in {who for who, _, _ in stored}  # never the server's $HOTSEAT_USER


def test_a_wrong_password_is_refused(site: Site, tabs: Any) -> None:
    tab: Tab = tabs()
    tab.log_in("ann", "not the password")
    screen = tab.wait_for(r"Wrong name or password\.")
    assert "Log in to Hotseat" in screen and "trainee" not in screen
    other: Tab = tabs()
    other.log_in("nobody-here", SECRET)  # an unknown name: the very same answer
    other.wait_for(r"Wrong name or password\.")
    assert calls_of(site) == []


def test_a_trainee_in_the_browser_cannot_open_anothers_calls(site: Site, tabs: Any) -> None:
    for _ in range(2):  # bob's calls, recorded in a terminal
        hotseat(site.db_url, "bob", "play", _scenario(site), "--choose", "1,1,1,1",
                "--record")
    assert [who for who, _, _ in calls_of(site)] == ["bob", "bob"]
    tab: Tab = tabs()
    tab.log_in("ann")
    home = tab.wait_for(r"No calls yet")
    assert "ann · trainee" in home
    tab.keys("v")  # her calls, to replay: none
    screen = tab.wait_change(home, timeout=15)
    assert "bob" not in screen


def _scenario(site: Site) -> str:
    from simulator.bundled import BUNDLED

    return str(BUNDLED / "payment-double-charge.yaml")


def test_five_tabs_at_once_each_take_a_call(site: Site, tabs: Any) -> None:
    people = ["t1", "t2", "t3", "t4", "t5"]
    opened = [tabs() for _ in people]  # five pages loading, five processes starting at once
    for tab, name in zip(opened, people, strict=True):
        tab.log_in(name)
    for tab, name in zip(opened, people, strict=True):
        tab.wait_for(f"{name} · trainee")
    for tab in opened:
        assert "scorecard" in tab.take_a_call()
    stored = calls_of(site)
    assert sorted(who for who, _, _ in stored) == people
    assert all(outcome in ("resolved", "escalated", "lost") for _, outcome, _ in stored)


def test_a_rep_changes_their_password_in_the_browser(site: Site, tabs: Any) -> None:
    """Logged in, the command palette's "Change your password": the current one, the new one
    twice; the next login takes the new one and refuses the old."""
    tab: Tab = tabs()
    tab.log_in("ann")
    tab.wait_for(r"ann · trainee")
    tab.keys("Control+p")
    tab.wait_for(r"🔎|Search for commands")
    tab.type("change your password")
    tab.wait_for(r"The one you log in with")
    tab.keys("Enter")
    tab.wait_for(r"Change the password of ann")
    new = "ann's own new secret"
    for typed in (SECRET, new, new):
        tab.type(typed)
        tab.keys("Enter")
    tab.wait_for(r"Your password is changed")
    old: Tab = tabs()
    old.log_in("ann")
    old.wait_for(r"Wrong name or password\.")
    again: Tab = tabs()
    again.log_in("ann", new)
    again.wait_for(r"ann · trainee")


def test_closing_the_tab_ends_its_session(site: Site, tabs: Any) -> None:
    tab: Tab = tabs()
    tab.log_in("ann")
    tab.wait_for(r"ann · trainee")
    assert len(tab_processes(site)) == 1
    tab.context.close()  # the tab is closed: its WebSocket too
    deadline = time.monotonic() + 30
    while tab_processes(site) and time.monotonic() < deadline:
        time.sleep(0.1)  # another process quitting: nothing to wait on but its absence
    assert tab_processes(site) == []


SIGN_ON = ["--behind-proxy", "--user-header", "X-Forwarded-User"]


@pytest.mark.parametrize("site", [SIGN_ON], indirect=True)
def test_behind_a_sign_on_proxy_the_named_person_takes_a_call(site: Site, tabs: Any) -> None:
    """Through a sign-on proxy naming ann (tests/browser/signon_proxy.py): her home without a
    login; her call is stored as hers. A tab that comes to the server itself, not through the
    proxy, is told to come through the sign-on, and no Hotseat is started for it."""
    from browserlib import _free_port
    from signon_proxy import sign_on_proxy

    with sign_on_proxy(site.url, "ann", _free_port()) as proxied:
        tab = tabs(url=proxied)
        home = tab.wait_for(r"ann · trainee")
        assert "Log in to Hotseat" not in home
        card = tab.take_a_call()
        assert "scorecard" in card
        assert [(who, mode) for who, _, mode in calls_of(site)] == [("ann", "practice")]
    stranger = tabs()  # to the server itself, not through the proxy: nobody named
    said = stranger.wait_for(r"address your trainer gave you")
    assert "Log in to Hotseat" not in said
