"""The bare baselines of the command-line benchmarks, each run as its own process like `hotseat`.

- `report`: one SQL aggregate per section of the report (the people with their call counts,
  means and last call; their certificates by track; every call with its wrap-up), then plain
  formatting: an aligned table, CSV (the calls section, as `hotseat report --format csv`), or
  JSON. `--trainee NAME` keeps one person.
- `validate`: `yaml.load(..., CSafeLoader)` of every scenario file under the folders.
- `rescore`: the floor of `hotseat rescore`: the same rows read in bulk (calls, lines, score
  events, scenario sources: one query each), then every call replayed and scored in memory by
  Hotseat's own core (`simulator.call.play`, the scorer) and compared with what is stored. Prints
  `FLOOR {json}` with the time of each part.

No Hotseat module is imported except by `rescore` (the core, never the database layer).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from typing import Any

DIMENSIONS = ("empathy", "resolution", "escalation", "policy")


def connect(url: str) -> Any:
    if url.startswith("sqlite"):
        import sqlite3

        return sqlite3.connect(url.split("///", 1)[1])
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))


def query(con: Any, sql: str, args: tuple[Any, ...] = ()) -> tuple[list[str], list[Any]]:
    if type(con).__module__.startswith("psycopg"):
        sql = sql.replace("?", "%s")
    cur = con.execute(sql, args)
    return [d[0] for d in cur.description], cur.fetchall()


def report(args: argparse.Namespace) -> None:
    con = connect(args.db)
    where, params = ("WHERE t.name = ?", (args.trainee,)) if args.trainee else ("", ())
    sections: dict[str, tuple[list[str], list[Any]]] = {}
    if args.format != "csv":
        sections["trainees"] = query(con, f"""
            SELECT t.name AS trainee, t.display_name, t.team, t.role, count(c.id) AS calls,
                   sum(CASE WHEN c.mode = 'exam' THEN 1 ELSE 0 END) AS exam_calls,
                   sum(CASE WHEN c.passed THEN 1 ELSE 0 END) AS passed,
                   round(avg(c.overall)) AS overall,
                   {", ".join(f"round(avg(c.{d})) AS {d}" for d in DIMENSIONS)},
                   max(c.started) AS last_call
            FROM trainees t LEFT JOIN calls c ON c.trainee_id = t.id {where}
            GROUP BY t.id, t.name, t.display_name, t.team, t.role ORDER BY t.name""", params)
        sections["certifications"] = query(con, f"""
            SELECT t.name AS trainee, t.team, k.track_id AS track, k.earned_on AS certified_on,
                   k.valid_until, k.refresher_due_on
            FROM certificates k JOIN trainees t ON t.id = k.trainee_id {where}
            ORDER BY t.name, k.track_id, k.earned_on""", params)
    sections["calls"] = query(con, f"""
        SELECT c.id AS call, t.name AS trainee, t.team, c.started, c.ended,
               c.scenario_id AS scenario, c.mode, c.outcome, c.level, c.overall, c.passed,
               {", ".join(f"c.{d}" for d in DIMENSIONS)}, substr(c.scenario_hash, 1, 12)
               AS scenario_hash, c.rubric_version AS rubric, w.complaint, w.solution,
               w.done_on_spot, w.promised_for, w.steps_now, w.follow_up, w.compensation,
               w.prevention, w.documentation
        FROM calls c JOIN trainees t ON t.id = c.trainee_id
        LEFT JOIN wrapups w ON w.call_id = c.id {where}
        ORDER BY t.name, c.started DESC, c.id DESC""", params)
    out = sys.stdout
    if args.format == "json":
        out.write(json.dumps({name: [dict(zip(cols, map(_plain, row), strict=True))
                                     for row in rows]
                              for name, (cols, rows) in sections.items()}, ensure_ascii=False))
        out.write("\n")
    elif args.format == "csv":
        cols, rows = sections["calls"]
        writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(cols)
        writer.writerows([["" if v is None else str(v) for v in row] for row in rows])
    else:
        for name, (cols, rows) in sections.items():
            cells = [["" if v is None else str(v) for v in row] for row in rows]
            widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(cols)]
            out.write(f"{name.capitalize()}\n")
            out.write("  " + "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))
                      + "\n")
            for r in cells:
                out.write("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))
                          .rstrip() + "\n")
            out.write("\n")


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, int | float | str) else str(value)


def validate(args: argparse.Namespace) -> None:
    import yaml

    files = sorted(os.path.join(root, name) for folder in args.paths
                   for root, _, names in os.walk(folder) for name in names
                   if name.endswith((".yaml", ".yml")))
    for path in files:
        with open(path, "rb") as f:
            yaml.load(f.read(), Loader=yaml.CSafeLoader)
    print(f"{len(files)} files parsed")


def rescore(args: argparse.Namespace) -> None:
    """Read in bulk, then replay and score in memory; print FLOOR {json}."""
    started = time.perf_counter()
    from simulator.call import PickError, play
    from simulator.scenario import load_bytes
    imported = time.perf_counter()

    con = connect(args.db)
    _, calls = query(con, f"""
        SELECT id, scenario_hash, outcome, level, overall, passed, {", ".join(DIMENSIONS)}
        FROM calls WHERE ended IS NOT NULL AND overall IS NOT NULL ORDER BY id""")
    _, sources = query(con, "SELECT hash, scenario_id, source FROM scenario_sources")
    picks: dict[int, list[int]] = {}
    for call_id, option in query(con, "SELECT call_id, option FROM turns WHERE speaker = "
                                      "'trainee' AND option IS NOT NULL "
                                      "ORDER BY call_id, idx")[1]:
        picks.setdefault(call_id, []).append(option)
    events: dict[int, list[tuple[Any, ...]]] = {}
    for call_id, *event in query(con, "SELECT call_id, turn, dimension, points, rule "
                                      "FROM score_events ORDER BY call_id, seq")[1]:
        events.setdefault(call_id, []).append(tuple(event))
    con.close()
    read = time.perf_counter()

    parsed = {digest: load_bytes(source.encode("utf-8"), f"{sid} (stored)")[0]
              for digest, sid, source in sources}
    loaded = time.perf_counter()

    differences = 0
    for cid, digest, outcome, level, overall, passed, *dims in calls:
        scenario = parsed.get(digest)
        if scenario is None:
            differences += 1
            continue
        try:
            result = play(scenario, list(picks.get(cid, [])))
        except PickError:
            differences += 1
            continue
        card = result.score()
        fresh = (str(result.outcome), None if level is None else int(result.level),
                 card.overall, card.passed, *(card.dimensions.get(d) for d in DIMENSIONS),
                 [(e.turn, e.dimension, e.points, e.rule) for e in card.events])
        stored = (outcome, level, overall, bool(passed), *dims, events.get(cid, []))
        differences += fresh != stored
    replayed = time.perf_counter()
    print(f"{len(calls)} calls rescored, {differences} differences")
    print("FLOOR " + json.dumps({
        "calls": len(calls), "differences": differences, "import_s": imported - started,
        "read_s": read - imported, "parse_s": loaded - read, "replay_s": replayed - loaded}))


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("report")
    p.add_argument("--db", required=True)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--trainee")
    p.set_defaults(func=report)
    p = sub.add_parser("validate")
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=validate)
    p = sub.add_parser("rescore")
    p.add_argument("--db", required=True)
    p.set_defaults(func=rescore)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
