"""Hostile text on the command line (issue 9): `validate`, `play`, `graph`, `report` and `replay`
show scenario text, names and wrap-ups literally, with no raw control character on standard
output or error, and the CSV report holds no cell a spreadsheet would run.

The scenario is tests/fixtures/hostile/hostile.yaml (markup that would run in the TUI, OSC, CSI,
C1 and bidi controls). The people are named as an attacker would name them. Names, teams and
display names with control characters are refused when a person is added today, so those are
written straight into the table, as a database kept by an older Hotseat may hold them.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from corepaths import FIXTURES, GOOD
from dbhelpers import ADMIN, run_as, staff

from simulator import db
from simulator.call import play
from simulator.cli import main
from simulator.cli.formats import DANGEROUS, csv_cell, neutralise, to_csv, to_table
from simulator.graphs import scenario_diagram
from simulator.scenario import load_bytes, load_file
from simulator.text import unsafe_characters
from simulator.wrapup import WrapUpRecord

HOSTILE = FIXTURES / "hostile" / "hostile.yaml"
PICKS = "sorry,1,1,1"
EQ_NAME = "=1+1"
AT_NAME = "@sum(1)|cmd"
WIDE_NAME = '＝hyperlink("http://evil.example","open me")'
"""Names the database takes: formula-like, but no control character (and lowercase: names are
kept case-folded)."""
CR_NAME = "\r=1+1"
CSI_NAME = "mallory\x1b[2K\rfake 100 passed"
"""Names refused when a person is added today; an older database may hold them."""
HOSTILE_WRAPUP = WrapUpRecord(
    complaint="=1+1 \x1b]0;pwned\x07 [@click=app.quit]4471[/]", solution="\r@SUM(1)",
    done_on_spot=False, promised_for="\ufeff+cmd|' /C calc'!A0", steps_now="\u200b-2+3",
    follow_up="｜cmd", compensation="\t=HYPERLINK()", prevention="fine\n=2+2",
    documentation=40)


TRAINEES = sa.table("trainees", sa.column("name"), sa.column("team"), sa.column("display_name"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def clean(*streams: str) -> None:
    """No raw control character anywhere (newlines between lines are fine)."""
    for text in streams:
        assert unsafe_characters(text) == [], unsafe_characters(text)


@pytest.fixture
def hostile_db(sqlite_url: str) -> str:
    """Three people with hostile names, each with a call on the hostile scenario; the first call
    has a hostile wrap-up; hostile team and display names. ADMIN (who sees everyone) reads it."""
    staff(sqlite_url, **{name: ("trainee", None) for name in (EQ_NAME, AT_NAME, WIDE_NAME)})
    scenario, _ = load_file(HOSTILE)
    assert scenario is not None
    result = play(scenario, ["sorry", 1, 1, 1])
    engine = db.make_engine(sqlite_url)
    for who in (EQ_NAME, AT_NAME, WIDE_NAME):
        db.finish_call(engine, db.start_call(engine, who, scenario, "scripted"), result,
                       result.score())
    with engine.begin() as conn:
        for who in (EQ_NAME, AT_NAME):
            conn.execute(sa.update(TRAINEES).where(TRAINEES.c.name == who).values(
                team="\u200b=SUM(1)\r", display_name="\ufeff@SUM(1)\x9b2J"))
        first = conn.execute(sa.select(sa.func.min(db.Call.id))).scalar_one()
    db.save_wrapup(engine, first, HOSTILE_WRAPUP)
    engine.dispose()
    return sqlite_url


# -- validate -----------------------------------------------------------------------------------

def test_validate_warns_about_each_control_character_and_shows_it(capsys) -> None:
    code, out, err = run(capsys, "validate", str(HOSTILE.parent))
    clean(out, err)
    shown = str(HOSTILE.relative_to(Path.cwd())) if HOSTILE.is_relative_to(Path.cwd()) \
        else str(HOSTILE)
    assert code == 0
    assert out.splitlines() == [f"{shown}:{line}" for line in [
        "5:8: warning: 'title' holds control characters \\x1b, \\x07: shown as text, never run; "
        "remove them",
        "8:10: warning: 'summary' holds control character \\x1b: shown as text, never run; "
        "remove it",
        "15:12: warning: 'walkout' holds control characters \\x1b, \\x07: shown as text, never "
        "run; remove them",
        "17:12: warning: 'allows' holds control character \\x9b: shown as text, never run; "
        "remove it",
        "18:13: warning: 'forbids' holds control character \\u202e: shown as text, never run; "
        "remove it",
        "21:10: warning: 'cause' holds control character \\x1b: shown as text, never run; "
        "remove it",
        "26:15: warning: 'customer' holds control characters \\x1b, \\x07, \\x9b, \\u202e: shown "
        "as text, never run; remove them",
        "29:14: warning: 'say' holds control character \\x1b: shown as text, never run; "
        "remove it",
        "34:19: warning: 'feedback' holds control characters \\x1b, \\x07: shown as text, never "
        "run; remove them",
        "36:14: warning: 'say' holds control character \\u202e: shown as text, never run; "
        "remove it",
        "41:15: warning: 'customer' holds control character \\x9b: shown as text, never run; "
        "remove it",
        "48:15: warning: 'customer' holds control characters \\x1b, \\r: shown as text, never "
        "run; remove them",
        "67:1: warning: checks visit 5 of 6 reachable nodes; no check visits 'gone'",
    ]] + ["1 file, 1 valid; 1 of 1 checks passed, visiting 5 of 6 nodes; 0 errors, 13 warnings"]


QUOTED = [  # (name, what replaces a line of the good example, the message, as shown)
    ("an unknown persona", ("persona: payment", 'persona: "\\e]0;pwned\\a"'),
     "unknown persona '\\x1b]0;pwned\\x07'"),
    ("an unknown next", ("next: confirm", 'next: "confirm\\e[2J"'), "'confirm\\x1b[2J'"),
    ("an id in a check", ("choose: [2, 1]", 'choose: [2, "\\x9b2J"]'), "\\x9b2J"),
]


@pytest.mark.parametrize("name, change, message", QUOTED, ids=[c[0] for c in QUOTED])
def test_a_value_quoted_by_a_diagnostic_is_shown_not_run(name: str, change: tuple[str, str],
                                                         message: str) -> None:
    text = GOOD.read_text(encoding="utf-8")
    assert change[0] in text
    _, problems = load_bytes(text.replace(change[0], change[1], 1).encode(), "x.yaml")
    lines = [str(p) for p in problems]
    assert any(message in line for line in lines), lines
    clean(*lines)


# -- play and graph -----------------------------------------------------------------------------

def test_play_text_shows_the_scenario_literally(capsys) -> None:
    code, out, err = run(capsys, "play", str(HOSTILE), "--choose", PICKS)
    assert code == 0
    clean(out, err)
    assert out.startswith("[@click=app.screenshot('trainees.db','.')]Refunds[/]: use [/] to "
                          "search \\x1b]0;pwned\\x07  (hostile-markup, payment, difficulty 1)\n")
    assert ("  Mallory [@click=app.quit]Q[/] [reverse red]x[/]: Charged TWICE for 4471 "
            "\\x1b]0;pwned\\x07 [reverse red]x[/] \\x9b2J \\u202eevil\n") in out
    assert "  You [1]: [@click=app.quit]Sorry[/], order 4471 was charged twice? \\x1b[2J\n" in out
    assert "      coach: [@click=app.quit]Good[/] \\x1b]52;c;SGVsbG8=\\x07\n" in out
    assert "Refund it. \\x1b[2K\\rfake 100 passed\n" in out


def test_play_json_escapes_every_control_and_round_trips(capsys) -> None:
    code, out, _ = run(capsys, "play", str(HOSTILE), "--choose", PICKS, "--json")
    assert code == 0
    clean(out)
    assert "\\u009b2J \\u202eevil" in out  # json.dumps alone writes these two raw
    scenario, _ = load_file(HOSTILE)
    assert scenario is not None
    said = json.loads(out)["transcript"]
    assert said[0]["text"] == scenario.nodes["opening"].customer  # the same value, decoded
    assert said[1]["text"].startswith("[@click=app.quit]Sorry[/]")


def test_play_json_is_byte_for_byte_json_dumps_for_a_normal_scenario(capsys) -> None:
    from simulator.output import to_dict

    scenario, _ = load_file(GOOD)
    assert scenario is not None
    result = play(scenario, [1, 1, 1, 1])
    code, out, _ = run(capsys, "play", str(GOOD), "--choose", "1,1,1,1", "--json")
    assert code == 0
    assert out == json.dumps(to_dict(result, result.score()), ensure_ascii=False, indent=2) + "\n"


MERMAID = re.compile(
    r'^(---|flowchart TD|title: "(?:[^"\\]|\\.)*"'
    r'|  n_\w+(\["[^"]*"\]|\(\["[^"]*"\]\)|\[/"[^"]*"/\]|\[\["[^"]*"\]\])'
    r'|  n_\w+ -\.?->\|"[^"|]*"\| n_\w+'
    r'|  start\(\(start\)\) --> n_\w+'
    r'|  style n_\w+ stroke-dasharray: 5 5)$')
"""Every line `graph` may write: the labels are quoted and hold no quote or `|` of their own."""


def test_graph_labels_are_text_that_cannot_break_out(capsys) -> None:
    code, out, err = run(capsys, "graph", str(HOSTILE))
    assert code == 0
    clean(out, err)
    assert all(MERMAID.match(line) for line in out.splitlines() if line), out
    assert '<br/>[@click=app.quit]OK[/]. Thanks."' in out
    assert "\\x1b]0;pwned\\x07" in out


def test_graph_quotes_what_mermaid_gives_a_meaning_to(example) -> None:
    evil = 'a" --> n_x\n|y| <img src=x> #quot; & `b` \x1b[2J'
    opening = example.nodes["opening"]
    nodes = {**example.nodes, "opening": opening.model_copy(update={"customer": evil})}
    out = scenario_diagram(example.model_copy(update={"title": evil, "nodes": nodes}))
    clean(out)
    assert all(MERMAID.match(line) for line in out.splitlines()), out
    assert ('<br/>a#quot; --#gt; n_x #124;y#124; #lt;img src=x#gt; #35;quot; #amp; #96;b#96; '
            '\\x1b[2J"]') in out
    assert 'title: "a\\" --> n_x |y| <img src=x> #quot; & `b` \\\\x1b[2J (payment-' in out


# -- report -------------------------------------------------------------------------------------

def first_visible(cell: str) -> str:
    """What a spreadsheet sees first: after spaces and invisible format characters, folded."""
    rest = "".join(c for c in cell if not (c.isspace() or unicodedata.category(c) == "Cf"))
    return unicodedata.normalize("NFKC", rest[:1])


def formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet could evaluate: starting with a formula character, not with `'`."""
    return [cell for row in rows for cell in row
            if first_visible(cell) and first_visible(cell) in DANGEROUS
            and not cell.startswith("'") and not re.fullmatch(r"-?\d+(\.\d+)?", cell)]


def report(capsys, monkeypatch, url: str, *argv: str) -> str:
    """`hotseat report ARGV` as the admin: its standard output, after checking that neither
    stream holds a raw control character."""
    code, out, err = run_as(capsys, monkeypatch, ADMIN, "--db", url, "report", *argv)
    assert code == 0, err
    clean(out, err)
    return out


@pytest.mark.parametrize("section", ["calls", "trainees", "certifications"])
def test_report_csv_has_no_cell_a_spreadsheet_would_run(capsys, monkeypatch, hostile_db: str,
                                                        section: str) -> None:
    out = report(capsys, monkeypatch, hostile_db, "--format", "csv", "--rows", section,
                 "--scenarios", str(HOSTILE.parent))
    rows = list(csv.reader(io.StringIO(out)))
    assert out.count("\n") == len(rows)  # no cell split a row
    assert len({len(r) for r in rows}) == 1
    assert formula_cells(rows) == []
    assert all(line.startswith('"') and line.endswith('"') for line in out.splitlines())
    people = {r["trainee"] for r in csv.DictReader(io.StringIO(out))}
    assert {"'" + EQ_NAME, "'" + AT_NAME, "'" + WIDE_NAME} <= people


def test_report_csv_carries_the_wrap_up_neutralised(capsys, monkeypatch, hostile_db: str) -> None:
    calls = list(csv.DictReader(io.StringIO(report(capsys, monkeypatch, hostile_db,
                                                   "--format", "csv"))))
    (row,) = [r for r in calls if r["complaint"]]
    assert {k: row[k] for k in ("complaint", "solution", "done_on_spot", "promised_for",
                                "steps_now", "follow_up", "compensation", "prevention",
                                "documentation")} == {
        "complaint": "'=1+1 \\x1b]0;pwned\\x07 [@click=app.quit]4471[/]",
        "solution": "\\r@SUM(1)",
        "done_on_spot": "no",
        "promised_for": "'\ufeff+cmd|' /C calc'!A0",
        "steps_now": "'\u200b-2+3",
        "follow_up": "'｜cmd",
        "compensation": "' =HYPERLINK()",
        "prevention": "fine\\n=2+2",
        "documentation": "40",
    }
    assert all(r["complaint"] == "" for r in calls if r is not row)  # no wrap-up: empty


def test_report_table_and_json_show_text_literally(capsys, monkeypatch, hostile_db: str) -> None:
    out = report(capsys, monkeypatch, hostile_db, "--scenarios", str(HOSTILE.parent))
    assert "\u200b=SUM(1)\\r" in out and "\ufeff@SUM(1)\\x9b2J" in out  # team, display name
    calls = out.split("Calls (")[1].splitlines()[1:]
    assert len(calls) == 4  # the header and one line per call: no text broke a row
    assert "documentation" in calls[0] and "complaint" not in calls[0]  # text: CSV and JSON
    data = json.loads(report(capsys, monkeypatch, hostile_db, "--format", "json"))
    assert {t["team"] for t in data["trainees"] if t["trainee"] != ADMIN} == {
        "\u200b=SUM(1)\r", None}
    assert {c["complaint"] for c in data["calls"]} == {HOSTILE_WRAPUP.complaint, None}


# -- replay -------------------------------------------------------------------------------------

def test_replay_shows_the_call_and_the_wrap_up_literally(capsys, monkeypatch,
                                                         hostile_db: str) -> None:
    with db.make_engine(hostile_db).begin() as conn:  # as an older Hotseat may have kept them
        for old, new in ((EQ_NAME, CR_NAME), (AT_NAME, CSI_NAME)):
            conn.execute(sa.update(TRAINEES).where(TRAINEES.c.name == old).values(name=new))
    code, out, err = run_as(capsys, monkeypatch, ADMIN, "--db", hostile_db, "replay", "1")
    assert code == 0, err
    clean(out, err)
    assert out.startswith("Call 1: \\r=1+1, hostile-markup (scripted), ")
    assert "  rep [1]  [@click=app.quit]Sorry[/], order 4471 was charged twice? \\x1b[2J" in out
    assert "    nature of the complaint  =1+1 \\x1b]0;pwned\\x07 [@click=app.quit]4471[/]" in out
    assert "    to prevent it            fine\n                             =2+2" in out
    code, out, err = run_as(capsys, monkeypatch, ADMIN, "--db", hostile_db, "replay", "2",
                            "--json")
    assert code == 0, err
    clean(out)
    assert json.loads(out)["trainee"] == CSI_NAME


# -- the CSV and table writers ------------------------------------------------------------------

NEUTRALISE = [  # (name, cell text, as written)
    ("formula", "=1+1", "'=1+1"),
    ("after spaces", "   @SUM(1)", "'   @SUM(1)"),
    ("after a BOM", "\ufeff=1+1", "'\ufeff=1+1"),
    ("after a zero-width space", "\u200b+1", "'\u200b+1"),
    ("after a word joiner and NBSP", "\u2060\xa0-1", "'\u2060\xa0-1"),
    ("full-width equals", "＝1+1", "'＝1+1"),
    ("full-width plus, minus, at", "＋1", "'＋1"),
    ("full-width at", "＠SUM(1)", "'＠SUM(1)"),
    ("pipe (DDE)", "|cmd", "'|cmd"),
    ("semicolon", ";=1+1", "';=1+1"),
    ("tab", "\t=1", "'\t=1"),
    ("carriage return", "\r=1", "'\r=1"),
    ("text that looks like a negative number", "-3", "'-3"),
    ("plain", "Ann O'Neil", "Ann O'Neil"),
    ("inside", "a=b", "a=b"),
    ("accents", "Élodie", "Élodie"),
]


@pytest.mark.parametrize("name, text, written", NEUTRALISE, ids=[c[0] for c in NEUTRALISE])
def test_neutralise(name: str, text: str, written: str) -> None:
    assert neutralise(text) == written


CELLS: list[tuple[str, Any, str]] = [  # (name, value in a report row, CSV cell)
    ("a negative number stays a number", -3, "-3"),
    ("a float", 2.5, "2.5"),
    ("a boolean", True, "yes"),
    ("nothing", None, ""),
    ("a CR cannot split the row", "\r=1+1", "\\r=1+1"),
    ("a newline neither", "a\n=1", "a\\n=1"),
    ("a tab is a space, then neutralised", "\t=1", "' =1"),
    ("an escape sequence is shown", "\x1b]0;x\x07", "\\x1b]0;x\\x07"),
    ("a list", ["=a", "b"], "'=a; b"),
]


@pytest.mark.parametrize("name, value, cell", CELLS, ids=[c[0] for c in CELLS])
def test_csv_cell(name: str, value: Any, cell: str) -> None:
    assert csv_cell(value) == cell


def test_every_csv_cell_is_quoted_and_every_table_cell_one_line() -> None:
    rows = [{"a": "x\ny", "b": -1}, {"a": "\x1b[2Kz", "b": None}]
    assert to_csv(rows, ("a", "b")) == '"a","b"\n"x\\ny","-1"\n"\\x1b[2Kz",""\n'
    assert to_table(rows, ("a", "b")).splitlines() == [
        "  a         b", "  x\\ny      -1", "  \\x1b[2Kz"]
