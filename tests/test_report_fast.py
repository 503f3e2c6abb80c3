"""`hotseat report` on the fast path (simulator.db.raw, db/report_raw.py, cli/fastreport.py)
gives what the ordinary path gives, cell for cell and byte for byte, on varied data and on both
backends; whatever is out of the ordinary takes the ordinary path, with its messages."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from dbhelpers import ADMIN, run_as, staff
from test_report_sql import TODAY, TRACK, _counts, _site

from simulator import db
from simulator.cli import fastreport, formats, records
from simulator.db import raw, report_raw
from simulator.db.report import CALL_COLUMNS, CALL_TABLE_COLUMNS, build_report
from simulator.db.reportrows import Columns
from simulator.text import json_text
from simulator.wrapup import WrapUpRecord


def _stored_certificates(engine: sa.Engine, scenario: object) -> None:
    """Certificates as an exam call stores them, and one whose seal does not hold."""
    with time_machine.travel(datetime(2026, 2, 20, tzinfo=UTC), tick=False):
        for who in ("ann", "bob", "cy"):
            db.record_certificates(engine, who, [TRACK], [scenario])  # type: ignore[list-item]
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE certificates SET valid_until = '2027-01-01' WHERE id = "
                             "(SELECT max(id) FROM certificates)"))


@pytest.fixture
def site(backend_url: str) -> tuple[str, object]:
    engine, scenario = _site(backend_url)
    try:
        _stored_certificates(engine, scenario)
        db.set_person(engine, db.sign_in(engine, ADMIN), "ann", display_name="=Ann \u00e9 \u4e2d")
        # a wrap-up a terminal or a spreadsheet must not obey (bidi, ESC, C1, a formula)
        db.save_wrapup(engine, 1, WrapUpRecord("bidi \u202e \x1b[31m red", "=cmd|' /C calc'!A0",
                                               False, promised_for="\x9b1m \u2028"))
    finally:
        engine.dispose()
    engine = db.make_engine(backend_url)  # the calls left under way are recovered, once
    try:
        db.start_call(engine, "dee", scenario, "exam")  # type: ignore[arg-type]
    finally:  # under way in this very process: alive, left alone by both paths
        engine.dispose()
    return backend_url, scenario


@pytest.mark.parametrize("who", [ADMIN, "sue", "ann", "dee"])
def test_the_fast_sections_are_the_ordinary_ones(site: tuple[str, object], who: str) -> None:
    url, scenario = site
    engine = db.make_engine(url)
    try:
        before = _counts(engine)
        viewer = db.sign_in(engine, who)
        everyone = db.trainees(engine, db.sign_in(engine, ADMIN))
        with raw.connect(url) as reader:
            fast_viewer = reader.viewer(who)
            persons = report_raw.people(reader, fast_viewer)
            assert [p.name for p in persons] == [p.name for p in db.trainees(engine, viewer)]
            every = report_raw.people(raw.connect(url), reader.viewer(ADMIN))
            for sections in (["trainees", "certifications", "calls"], ["trainees"],
                             ["certifications"], ["calls"]):
                for last in (None, 3, 0):
                    # everyone asked for, as the viewer: the SQL keeps what they may see
                    ordinary = build_report(engine, viewer, everyone, [TRACK], [scenario],
                                            TODAY, last=last, sections=sections)
                    fast = report_raw.build_report(reader, fast_viewer, every, [TRACK],
                                                   [scenario], TODAY, last=last,
                                                   sections=sections)
                    assert fast == ordinary, (sections, last)
                    if "calls" in sections:  # the calls column by column, for CSV and tables
                        held = report_raw.build_report(reader, fast_viewer, every, [TRACK],
                                                       [scenario], TODAY, last=last,
                                                       sections=["calls"], columns=True).calls
                        assert held.rows() == ordinary.calls  # type: ignore[attr-defined]
                        for chunk in (2, 3, 2000):  # held rows written a chunk at a time
                            formats._CHUNK = chunk
                            assert formats.to_json({"date": "d", "calls": held, "x": []}) == \
                                json_text({"date": "d", "calls": ordinary.calls, "x": []})
                        for cols in (CALL_COLUMNS, CALL_TABLE_COLUMNS):
                            assert formats.to_csv(held, cols) == formats.to_csv(
                                ordinary.calls, cols)
                            assert formats.to_table(held, cols) == formats.to_table(
                                ordinary.calls, cols)
        assert _counts(engine) == before  # never a write
    finally:
        engine.dispose()
    if who == ADMIN:  # stored certificates read, the one whose seal broke left out
        engine = db.make_engine(url)
        try:
            certs = build_report(engine, viewer, everyone, [TRACK], [scenario],
                                 TODAY).certifications
        finally:
            engine.dispose()
        assert any(c["certified_on"] for c in certs)
        assert all(c["valid_until"] != "2027-01-01" for c in certs)


def test_a_trainee_reads_only_their_own_rows(site: tuple[str, object]) -> None:
    url, scenario = site
    with raw.connect(url) as reader:
        ann = reader.viewer("ann")
        everyone = report_raw.people(reader, reader.viewer(ADMIN))
        report = report_raw.build_report(reader, ann, everyone, [TRACK], [scenario], TODAY)
    assert {c["trainee"] for c in report.calls} == {"ann"}
    assert {t["trainee"]: t["calls"] for t in report.trainees}["bob"] == 0
    assert report.certifications and {c["trainee"] for c in report.certifications
                                      if c["certified_on"]} <= {"ann"}


def _ordinary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastreport, "fast_report", lambda args, strict=False: None)


def _both(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, who: str,
          *argv: str) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    fast = run_as(capsys, monkeypatch, who, *argv)
    with monkeypatch.context() as m:
        _ordinary(m)
        ordinary = run_as(capsys, monkeypatch, who, *argv)
    return fast, ordinary


def _args(url: str, *argv: str) -> argparse.Namespace:
    from simulator.cli import build_parser

    args = build_parser("report").parse_args(["--db", url, "report", *argv])
    args.scenarios = getattr(args, "scenarios", None)
    return args


@pytest.mark.parametrize("who,argv", [
    (ADMIN, ()), (ADMIN, ("--format", "csv")), (ADMIN, ("--json",)),
    (ADMIN, ("--trainee", "ANN ")), (ADMIN, ("--team", "red", "--format", "csv")),
    (ADMIN, ("--rows", "certifications", "--format", "csv")), (ADMIN, ("--last", "2", "--json")),
    (ADMIN, ("--as", "sue")), ("sue", ()), ("sue", ("--json",)), ("ann", ()),
    ("ann", ("--format", "csv")),
])
def test_the_command_prints_the_same_bytes(site: tuple[str, object], who: str,
                                           argv: tuple[str, ...],
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = site
    monkeypatch.setenv("HOTSEAT_USER", who)
    assert fastreport.fast_report(_args(url, *argv), strict=True) is not None  # taken
    fast, ordinary = _both(capsys, monkeypatch, who, "--db", url, "report", *argv)
    assert fast == ordinary
    assert fast[0] == 0 and fast[1]


@pytest.mark.parametrize("who,argv,message", [
    ("ann", ("--trainee", "bob"), "their report shows their own calls only"),
    ("ann", ("--as", "bob"), "only an admin or a supervisor"),
    (ADMIN, ("--trainee", "nobody"), "no trainee 'nobody'"),
    ("newcomer", (), "no trainee 'newcomer'"),
    (ADMIN, ("--as", "nobody"), "no person 'nobody'"),
    (ADMIN, ("--format", "xapi"), None),
    ("sue", ("--rows", "scenarios"), None),
    (ADMIN, ("--tracks", "/nowhere"), "no such folder of certification tracks"),
])
def test_the_unusual_takes_the_ordinary_path(site: tuple[str, object], who: str,
                                             argv: tuple[str, ...], message: str | None,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = site
    monkeypatch.setenv("HOTSEAT_USER", who)
    with pytest.raises(Exception):  # noqa: B017 - whatever it is, the fast path gives up
        fastreport.fast_report(_args(url, *argv), strict=True)
    fast, ordinary = _both(capsys, monkeypatch, who, "--db", url, "report", *argv)
    assert fast == ordinary
    if message is not None:
        assert fast[0] == 2 and message in fast[2]


def test_newcomers_refused_get_todays_message(site: tuple[str, object],
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = site
    engine = db.make_engine(url)
    try:
        db.set_setting(engine, db.sign_in(engine, ADMIN), db.NEWCOMERS, "refuse")
    finally:
        engine.dispose()
    fast, ordinary = _both(capsys, monkeypatch, "stranger", "--db", url, "report")
    assert fast == ordinary and fast[0] == 2 and "not known here" in fast[2]


def test_a_dead_call_is_recovered_by_the_ordinary_path(site: tuple[str, object],
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    url, scenario = site
    engine = db.make_engine(url)
    try:
        call_id = db.start_call(engine, "dee", scenario, "practice")  # type: ignore[arg-type]
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE calls SET pid = 999999999 WHERE id = :i"),
                         {"i": call_id})
    finally:
        engine.dispose()
    monkeypatch.setenv("HOTSEAT_USER", ADMIN)
    with pytest.raises(raw.Unusual, match="recover"):
        fastreport.fast_report(_args(url, "--json"), strict=True)
    code, out, _ = run_as(capsys, monkeypatch, ADMIN, "--db", url, "report", "--json",
                          "--trainee", "dee")
    assert code == 0
    (call,) = [c for c in json.loads(out)["calls"] if c["call"] == call_id]
    assert call["outcome"] == "incomplete"  # recovered first, as before
    # and now nothing is unusual: the fast path answers the same
    assert fastreport.fast_report(_args(url, "--json"), strict=True) is not None


def test_schema_behind_is_upgraded_by_the_ordinary_path(sqlite_url: str,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    staff(sqlite_url, ann=("trainee", "blue"))
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(db.engine.MIGRATIONS))
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0007")
    engine.dispose()
    with pytest.raises(raw.Unusual, match="schema"):
        raw.connect(sqlite_url)
    code, out, err = run_as(capsys, monkeypatch, ADMIN, "--db", sqlite_url, "report")
    assert code == 0 and "ann" in out
    engine = db.make_engine(sqlite_url)
    assert db.current_revision(engine) == db.HEAD
    engine.dispose()


def test_a_damaged_or_missing_file_gets_todays_message(tmp_path: Path, sqlite_url: str,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    staff(sqlite_url)
    for url in (f"sqlite:///{junk}", f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}"):
        fast, ordinary = _both(capsys, monkeypatch, ADMIN, "--db", url, "report")
        assert fast == ordinary and fast[0] == 3 and fast[2].startswith("hotseat: error:")
    assert not (tmp_path / "nowhere").exists()


def test_the_report_imports_no_orm(site: tuple[str, object], tmp_path: Path) -> None:
    """The whole `hotseat report --trainee` process: no SQLAlchemy, SQLModel, Alembic or
    scenario models (the start is most of its time, issue 12)."""
    import subprocess
    import sys

    url, _ = site
    if not url.startswith("sqlite"):
        pytest.skip("psycopg is the PostgreSQL driver; the rest is the same")
    code = ("import sys, runpy; sys.argv = ['hotseat', '--db', sys.argv[1], 'report', "
            "'--trainee', 'ann']\n"
            "try:\n    runpy.run_module('simulator', run_name='__main__')\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', "
            "'alembic', 'textual'}), 'simulator.scenario.model' in sys.modules, "
            "file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True,
                          env={**__import__("os").environ, "HOTSEAT_USER": ADMIN})
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[] False"
    assert "ann" in done.stdout


def test_xapi_home_is_the_xapi_modules() -> None:
    from simulator.xapi import DEFAULT_HOME

    assert records.XAPI_HOME == DEFAULT_HOME


def test_tracks_from_the_cache_are_the_loaded_ones(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from simulator.tracks import load_tracks

    def fields(tracks: list) -> list:
        return [(t.id, t.title, t.summary, t.seat, [(r.scenario, r.persona, r.label)
                                                   for r in t.requires],
                 t.pass_mark, t.valid_days, t.refresher_days) for t in tracks]

    loaded = load_tracks(None)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first: list[str] = []
    assert fastreport._tracks(first) == loaded.tracks  # built, then written
    again: list[str] = []
    monkeypatch.setattr("simulator.tracks.load_tracks", None)  # the cache alone now
    assert fields(fastreport._tracks(again)) == fields(loaded.tracks)
    assert first == again == [str(d) for d in loaded.diagnostics]


def _csv_written(column: list[object]) -> str:
    """The column as the csv module writes it in a report (one cell a row, all quoted)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(
        [v] for v in column)
    return out.getvalue()


def test_plain_columns_are_formatted_as_cell_by_cell() -> None:
    values = ["", " ", "plain", " =1", "  -x", "-3", "@a", "+", "'q", "a|b", None, "~", "!"]
    plain = formats._plain_column(values, formats.csv_cell)
    assert plain is not None
    assert _csv_written(plain) == _csv_written([formats.csv_cell(v) for v in values])
    assert formats._plain_column(values, formats._cell) == [formats._cell(v) for v in values]
    for column in ([0, -3, 10**20, 7], ["a", None, "b"], [None, None]):
        # written by the csv module as they are: the same text as each cell's
        plain = formats._plain_column(column, formats.csv_cell)  # type: ignore[arg-type]
        assert plain is not None
        assert _csv_written(plain) == _csv_written([formats.csv_cell(v) for v in column])
    for other in (["\u00e9"], ["a\tb"], [True], [1.5], [1, "1"], [["x"]]):
        assert formats._plain_column(other, formats.csv_cell) is None


@pytest.mark.parametrize("odd", [["x", "=y"], [], {"k": 1}, {}, (1, 2), date(2026, 1, 1)])
def test_held_calls_with_an_odd_value_are_json_text(odd: object,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A column holding a list, a dict or a value of no JSON type, in one chunk of several:
    the same text as the rows' (or the same error), the plain chunks around it still fast."""
    monkeypatch.setattr(formats, "_CHUNK", 2)
    rows = [{"n": i, "t": f"caf\u00e9 {i}\u202e" if i == 2 else "plain", "v": None,
             "b": i % 2 == 0, "f": 0.5} for i in range(7)]
    rows[4]["v"] = odd
    held = Columns({k: [r[k] for r in rows] for k in rows[0]}, len(rows))
    if isinstance(odd, date):
        with pytest.raises(TypeError):
            json_text({"calls": rows})
        with pytest.raises(TypeError):
            formats.to_json({"calls": held})
        return
    assert formats.to_json({"date": "d", "calls": held}) == json_text({"date": "d",
                                                                        "calls": rows})


def test_json_rows_with_lists_are_json_text() -> None:
    rows = [{"missing": ["scenario x", "=1", "\u202e", "caf\u00e9"], "days": 3, "n": None,
             "earlier": [], "overridden": [1, 2], "f": 1.5, "b": True},
            {"missing": [], "days": -1, "n": "t\x1b", "earlier": ["2026-01-01..2026-02-01"],
             "overridden": [], "f": float("nan"), "b": False}]
    report = {"date": date(2026, 1, 1).isoformat(), "certifications": rows,
              "trainees": [{"a": 1}], "calls": []}
    assert formats.to_json(report) == json_text(report)


def test_a_fast_report_of_today_counts_calls_started_today(sqlite_url: str) -> None:
    """The end of the day bound is the same text SQLite holds (SQLAlchemy's format)."""
    staff(sqlite_url, ann=("trainee", "blue"))
    engine = db.make_engine(sqlite_url)
    try:
        from simulator.bundled import BUNDLED
        from simulator.scenario import load_file

        scenario, _ = load_file(BUNDLED / "payment-double-charge.yaml")
        assert scenario is not None
        for when in (datetime(2026, 3, 1, 23, 59, 59, tzinfo=UTC),
                     datetime(2026, 3, 2, 0, 0, 0, tzinfo=UTC)):
            with time_machine.travel(when, tick=False):
                db.start_call(engine, "ann", scenario, "practice")
        viewer = db.sign_in(engine, ADMIN)
        people = db.trainees(engine, viewer)
        day = date(2026, 3, 1)
        ordinary = build_report(engine, viewer, people, [TRACK], [scenario], day)
    finally:
        engine.dispose()
    with raw.connect(sqlite_url, check=False) as reader:
        fast = report_raw.build_report(reader, reader.viewer(ADMIN),
                                       report_raw.people(reader, reader.viewer(ADMIN)),
                                       [TRACK], [scenario], day)
    assert fast == ordinary and len(fast.calls) == 1
    assert timedelta(0) < timedelta(days=1)


def test_a_summary_built_without_init_is_the_dataclass_one() -> None:
    """report_raw._summary (no frozen __init__) makes the CallSummary __init__ makes: every
    field named, equal, the same repr and verdict; the SQL rows' comparison above covers the
    values themselves."""
    from dataclasses import fields

    from simulator.db.records import CallSummary

    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    values = {"id": 7, "scenario_id": "refund", "mode": "exam", "started": when,
              "outcome": "resolved", "overall": 81, "passed": False,
              "dimensions": {"empathy": 3}, "trainee": "ana", "persona": "angry",
              "seat": "csr", "level": 2, "ended": when + timedelta(minutes=4),
              "scenario_hash": "abc", "rubric_version": "r1", "override": True}
    assert set(values) == {f.name for f in fields(CallSummary)}
    made = report_raw._summary(values)
    usual = CallSummary(**values)  # type: ignore[arg-type]
    assert type(made) is CallSummary
    assert made == usual and repr(made) == repr(usual) and made.verdict is True
    with pytest.raises(AttributeError):
        made.mode = "practice"  # type: ignore[misc]


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "latin-1"])
def test_write_json_writes_the_same_text_to_any_stream(encoding: str) -> None:
    """Bytes straight to the buffer of a UTF-8 stream, after what was written as text; text
    to any other (here Latin-1, which holds every character of the rows)."""
    rows = [{"n": i, "t": f"caf\u00e9 {i}\u202e\x85", "v": None} for i in range(5)]
    report = {"date": "d", "calls": Columns({k: [r[k] for r in rows] for k in rows[0]}, 5),
              "x": [{"a": "\u00e9"}]}
    raw_out = io.BytesIO()
    out = io.TextIOWrapper(raw_out, encoding=encoding, newline="")
    out.write("before\n")
    formats.write_json(out, report)
    out.write("after\n")
    out.flush()
    expected = "before\n" + json_text({"date": "d", "calls": rows, "x": [{"a": "\u00e9"}]}) \
        + "\nafter\n"
    assert raw_out.getvalue().decode(encoding) == expected
    text = io.StringIO()  # no buffer: text
    formats.write_json(text, report)
    assert text.getvalue() == expected[len("before\n"):-len("after\n")]
