"""Hotseat at a real site's size, against bare baselines measured in the same run (issue 12).

    python bench/run.py [--quick] [--db URL] [--only NAME,...] [--keep DIR] [--rev REV]

Prints one line per benchmark on standard output,

    NAME: hotseat=X baseline=Y ratio=R target<=T ok|FAIL

each figure the median of several runs, the baseline run alternately with Hotseat; lines of
details start with `#`; progress goes to standard error. Exits 1 when any benchmark fails (or
cannot run). bench/README.md says what each benchmark measures; the data (a generated
trainees.db of 1,000 trainees and 100,000 calls, a generated scenario library) is built once and
kept in the cache folder (bench/.cache, or --keep DIR).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
HOTSEAT = VENV / "bin" / "hotseat"

if __name__ == "__main__" and PYTHON.exists() and Path(sys.prefix).resolve() != VENV.resolve():
    os.execv(str(PYTHON), [str(PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])

import argparse  # noqa: E402 - after the switch to the project's virtual environment
import fcntl  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tarfile  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import asdict, dataclass, field  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(HERE))
import gen_db  # noqa: E402
import gen_library  # noqa: E402
from ptyrun import Session, styled  # noqa: E402

BANNER = "Press Enter to write the wrap-up"
"""What the call screen shows once the call has ended (Hotseat, and the bare call app)."""
SETTLE = 1.5
"""Seconds without output after which a reply's answer that has not come on screen is taken as
never coming (scrolled out of view): the reply is timed to the last frame drawn instead."""
UNSEEN: list[str] = []
"""The replies whose answer never came on screen, for the notes."""
FIRST_PAINT = "Scenario library"
"""The border title of the home's library: in the home's first frame, before any data."""


@dataclass(frozen=True)
class Sizes:
    name: str
    trainees: int
    calls: int
    heavy: int
    small_trainees: int
    small_calls: int
    files: int
    nodes: int
    growth: tuple[tuple[int, int], tuple[int, int]]
    """(files, nodes) of the two libraries of the per-node growth check: small files, big."""
    runs: dict[str, int] = field(default_factory=dict)


FULL = Sizes("full", 1000, 100_000, 1000, 10, 1000, 1000, 50, ((1000, 10), (10, 1000)), {
    "tui_home": 7, "growth_startup": 9, "tui_reply": 5, "report": 5, "report_trainee": 7,
    "rescore": 3, "growth_rescore": 3, "validate": 3, "growth_validate": 3})
QUICK = Sizes("quick", 50, 2000, 1000, 5, 200, 100, 50, ((100, 10), (1, 1000)), {
    "tui_home": 2, "growth_startup": 1, "tui_reply": 1, "report": 2, "report_trainee": 2,
    "rescore": 1, "growth_rescore": 1, "validate": 2, "growth_validate": 1})


# -- what a benchmark prints ----------------------------------------------------------------------

@dataclass
class Result:
    name: str
    hotseat: float | None
    baseline: float | None
    target: float
    unit: str = "s"
    absolute: bool = False
    """The target is a value of `hotseat` itself (no baseline), not a ratio."""
    error: str | None = None
    note: str = ""
    """Said after the line: what was compared."""

    @property
    def ratio(self) -> float | None:
        if self.absolute or self.hotseat is None or not self.baseline:
            return None
        return self.hotseat / self.baseline

    @property
    def ok(self) -> bool:
        if self.error is not None or self.hotseat is None:
            return False
        if self.absolute:
            return self.hotseat <= self.target
        return self.ratio is not None and self.ratio <= self.target

    def line(self) -> str:
        def fmt(v: float | None) -> str:
            if v is None:
                return "none"
            return f"{v:.0f}{self.unit}" if self.unit == "MB" else f"{v:.3g}{self.unit}"

        ratio = "none" if self.ratio is None else f"{self.ratio:.2f}"
        target = fmt(self.target) if self.absolute else f"{self.target:g}"
        hot = "error" if self.error is not None else fmt(self.hotseat)
        out = (f"{self.name}: hotseat={hot} baseline={fmt(self.baseline)} ratio={ratio} "
               f"target<={target} {'ok' if self.ok else 'FAIL'}")
        return out + (f"  # {self.error}" if self.error else f"  # {self.note}" if self.note
                      else "")


class BenchError(RuntimeError):
    """A benchmark that could not run: printed as a FAIL line with the reason."""


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


# -- the run's context --------------------------------------------------------------------------

@dataclass
class Backend:
    name: str  # sqlite | postgresql
    big: str
    small: str
    bare: str
    """Where the bare call app writes its lines (its own database)."""


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.sizes = QUICK if args.quick else FULL
        if args.runs:
            self.sizes = Sizes(**{**asdict(self.sizes), "runs": {
                k: args.runs for k in self.sizes.runs}})
        self.top = Path(args.keep).resolve() if args.keep else HERE / ".cache"
        self.cache = self.top / self.sizes.name
        self.cache.mkdir(parents=True, exist_ok=True)
        self.tree = self._tree(args.rev) if args.rev else ROOT
        self.pg_server = args.db
        self.details: list[str] = []
        self.warmed: set[str] = set()
        self.samples: dict[str, list[Any]] = {}
        """Runs one benchmark measured that another reuses (the 100k rescore's)."""
        self.env = self._env()
        self.scenarios_dir = self.tree / "scenarios"

    # the code measured: the working tree, or a commit exported from git -----------------------
    def _tree(self, rev: str) -> Path:
        sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", rev + "^{commit}"],
                             capture_output=True, text=True, check=True).stdout.strip()
        tree = self.top / f"tree-{sha[:12]}"
        if not (tree / ".complete").exists():
            shutil.rmtree(tree, ignore_errors=True)
            tree.mkdir(parents=True)
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", sha], check=True,
                                     capture_output=True).stdout
            import io

            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(tree, filter="data")
            # the installed package finds the bundled library as simulator.library
            (tree / "simulator" / "library").symlink_to("../scenarios")
            (tree / ".complete").write_text(sha + "\n")
        for old in sorted(self.top.glob("tree-*"), key=lambda p: p.stat().st_mtime)[:-3]:
            if old != tree:  # the three latest exports are kept
                shutil.rmtree(old, ignore_errors=True)
        tree.touch()
        log(f"measuring commit {sha[:12]} exported to {tree}")
        sys.path.insert(0, str(tree))
        return tree

    def _env(self) -> dict[str, str]:
        drop = ("PYTHONDONTWRITEBYTECODE", "HOTSEAT_DB", "HOTSEAT_USER", "HOTSEAT_DEBUG",
                "NO_COLOR", "TEXTUAL", "PYTHONPATH", "COLUMNS", "LINES")
        env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
        env.update(TERM="xterm-256color", COLORTERM="truecolor",
                   HOTSEAT_SEAL_KEY=str(self.cache / "seal.key"))
        if "UTF-8" not in (env.get("LC_ALL") or env.get("LANG") or "").upper():
            env["LANG"] = "C.UTF-8"
        if self.tree != ROOT:
            env["PYTHONPATH"] = str(self.tree)
        os.environ["HOTSEAT_SEAL_KEY"] = env["HOTSEAT_SEAL_KEY"]  # the build seals with it too
        return env

    def user_env(self, user: str) -> dict[str, str]:
        return {**self.env, "HOTSEAT_USER": user}

    # running commands ---------------------------------------------------------------------------
    def run(self, argv: Sequence[str], user: str = gen_db.ADMIN, ok: Sequence[int] = (0,),
            capture: bool = False) -> tuple[float, str]:
        """Run a command to its end; its wall time (and its output when `capture`)."""
        started = time.perf_counter()
        proc = subprocess.run(list(argv), env=self.user_env(user), cwd=self.cache,
                              stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - started
        if proc.returncode not in ok:
            last = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
            raise BenchError(f"`{' '.join(map(str, argv[1:]))[:120]}` exited "
                             f"{proc.returncode}: {last[:300]}")
        return elapsed, proc.stdout if capture else ""

    def alternate(self, runs: int, baseline: Callable[[], Any], ours: Callable[[], Any]
                  ) -> tuple[list[Any], list[Any]]:
        """`runs` results of each, the baseline and Hotseat taking turns to go first."""
        base, hot = [], []
        for i in range(runs):
            if i % 2 == 0:
                base.append(baseline())
                hot.append(ours())
            else:
                hot.append(ours())
                base.append(baseline())
        return base, hot

    def warm(self, key: str, fn: Callable[[], Any]) -> None:
        """A warm-up run, once per run of the benchmarks: bytecode written, files cached."""
        if key not in self.warmed:
            self.warmed.add(key)
            fn()

    def note(self, text: str) -> None:
        self.details.append(f"# {text}")
        log(text)


# -- the data -------------------------------------------------------------------------------------

def _marker(path: Path, fingerprint: dict[str, Any]) -> bool:
    try:
        return bool(json.loads(path.read_text())["fingerprint"] == fingerprint)
    except (OSError, ValueError, KeyError):
        return False


def _done(path: Path, fingerprint: dict[str, Any], info: dict[str, Any]) -> None:
    path.write_text(json.dumps({"fingerprint": fingerprint, "info": info,
                                "built": datetime.now(UTC).isoformat()}, indent=1) + "\n")


def libraries(bench: Bench) -> dict[str, Path]:
    """The generated libraries: the main one, the two of the growth check, and a tiny one."""
    s = bench.sizes
    wanted = {"main": (s.files, s.nodes), "small-files": s.growth[0], "big-files": s.growth[1],
              "tiny": (1, 10)}
    out = {}
    for name, (files, nodes) in wanted.items():
        folder = bench.cache / "library" / f"{name}-{files}x{nodes}"
        mark = folder.with_suffix(".json")
        fingerprint = {"files": files, "nodes": nodes, "generator": _source_hash("gen_library")}
        if not _marker(mark, fingerprint):
            log(f"generating the library {folder.name}")
            shutil.rmtree(folder, ignore_errors=True)
            size = gen_library.write_library(folder, files, nodes)
            _done(mark, fingerprint, {"bytes": size})
        out[name] = folder
    return out


def _source_hash(module: str) -> str:
    return hashlib.sha256((HERE / f"{module}.py").read_bytes()).hexdigest()[:16]


def databases(bench: Bench, small: bool) -> list[Backend]:
    """The databases of each backend: the big one, and the small one of the growth checks
    (when `small`; otherwise its URL names the big one)."""
    s = bench.sizes
    shapes = {"big": gen_db.Shape("big", s.trainees, s.calls, heavy=s.heavy)}
    if small:
        shapes["small"] = gen_db.Shape("small", s.small_trainees, s.small_calls, caller=0)
    folder = bench.cache / "sqlite"
    folder.mkdir(exist_ok=True)
    urls: dict[str, dict[str, str]] = {"sqlite": {}, "postgresql": {}}
    for name, shape in shapes.items():
        path = folder / f"{name}.db"
        fingerprint = {"gen": gen_db.GEN_VERSION, "shape": asdict(shape)}
        mark = folder / f"{name}.json"
        if not (_marker(mark, fingerprint) and path.exists()):
            log(f"building the SQLite database {path} ({shape.calls} calls)")
            for p in folder.glob(f"{name}.db*"):
                p.unlink()
            _done(mark, fingerprint, gen_db.build(f"sqlite:///{path}", shape))
        urls["sqlite"][name] = f"sqlite:///{path}"
    urls["sqlite"].setdefault("small", urls["sqlite"]["big"])
    backends = [Backend("sqlite", urls["sqlite"]["big"], urls["sqlite"]["small"],
                        f"sqlite:///{folder / 'bare.db'}")]
    if bench.pg_server:
        server = hashlib.sha256(bench.pg_server.encode()).hexdigest()[:8]
        for name, shape in shapes.items():
            database = f"hotseat_bench_{s.name}_{name}"
            fingerprint = {"gen": gen_db.GEN_VERSION, "shape": asdict(shape)}
            mark = bench.cache / f"pg-{server}-{name}.json"
            url = gen_db.pg_database_url(bench.pg_server, database)
            if not (_marker(mark, fingerprint) and _pg_has_calls(url)):
                log(f"building the PostgreSQL database {database} ({shape.calls} calls)")
                url = gen_db.prepare_pg_database(bench.pg_server, database)
                _done(mark, fingerprint, gen_db.build(url, shape))
            urls["postgresql"][name] = url
        urls["postgresql"].setdefault("small", urls["postgresql"]["big"])
        bare = f"hotseat_bench_{s.name}_bare"
        if not _pg_exists(bench.pg_server, bare):
            gen_db.prepare_pg_database(bench.pg_server, bare)
        backends.append(Backend("postgresql", urls["postgresql"]["big"],
                                urls["postgresql"]["small"],
                                gen_db.pg_database_url(bench.pg_server, bare)))
    # the schema at this code's version (a site upgrades once), interrupted calls recovered
    from simulator import db

    for b in backends:
        for url in {b.big, b.small}:
            db.make_engine(url).dispose()
            gen_db.complete_schema(url)  # a cache stamped at the head by the empty 0006-0008
    return backends


def _pg_has_calls(url: str) -> bool:
    try:
        return gen_db.max_call_id(url) > 0
    except Exception:  # noqa: BLE001 - no such database, or not built: build it
        return False


def _pg_exists(server: str, database: str) -> bool:
    import psycopg

    with psycopg.connect(gen_db._libpq(server), autocommit=True) as con:
        return con.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                           (database,)).fetchone() is not None


def describe(bench: Bench, backends: list[Backend], libs: dict[str, Path]) -> None:
    con = sqlite3.connect(backends[0].big.split("///", 1)[1])
    calls, lines = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("calls", "turns"))
    people = con.execute("SELECT count(*) FROM trainees WHERE role = 'trainee'").fetchone()[0]
    certs = con.execute("SELECT count(*) FROM certificates").fetchone()[0]
    con.close()
    size = Path(backends[0].big.split("///", 1)[1]).stat().st_size / 1e6
    main = libs["main"]
    files = sorted(main.glob("*.yaml"))
    print(f"# data: {people} trainees, {calls} calls, {lines} lines, {certs} certificates "
          f"(trainees.db {size:.0f} MB); library: {len(files)} files of {bench.sizes.nodes} "
          f"nodes ({sum(f.stat().st_size for f in files) / 1e6:.0f} MB)", flush=True)


# -- the library's data for the bare apps and the reply path ---------------------------------------

@dataclass
class CallPath:
    file: Path
    scenario_id: str
    picks: list[int]
    """0-based authored positions, one per trainee turn."""
    says: list[list[str]]
    """The replies offered at each turn, in authored order."""
    customer: list[str]
    """The customer's line after each turn; customer[0] is the opening."""
    rep: list[str]


def app_data(bench: Bench) -> tuple[Path, CallPath]:
    """The JSON the bare apps read (the library's rows, tracks, the call's lines), and the path
    the reply benchmarks follow: the longest passing textbook call (a check) of an English csr
    scenario, at most 8 turns."""
    from simulator.call import Call, play
    from simulator.scenario import load_library
    from simulator.tracks import load_tracks

    lib = load_library([bench.scenarios_dir])
    best: tuple[int, str, Any, list[int]] | None = None
    for s in lib.scenarios:
        if s.locale != "en" or s.seat != "csr":
            continue
        for check in s.checks or []:
            result = play(s, list(check.choose))
            turns = len(check.choose)
            if result.outcome != "resolved" or not result.score().passed or not 5 <= turns <= 8:
                continue
            call, picks = Call(s), []
            for pick in check.choose:
                picks.append(call.resolve_pick(pick))
                call.choose(pick)
            if best is None or (turns, s.id) > (best[0], best[1]):
                best = (turns, s.id, s, picks)
    if best is None:
        raise BenchError("no English csr scenario has a passing check to play in the TUI")
    _, _, scenario, picks = best
    path = call_path(scenario, scenario_dir_file(bench, scenario), picks)
    ordered = sorted(lib.scenarios, key=lambda s: (s.difficulty, s.title))
    tracks = load_tracks().tracks
    data = {
        "scenarios": [[s.title, s.persona, s.problem or "", "★" * s.difficulty, s.locale]
                      for s in ordered],
        "choices": sorted({str(s.persona) for s in ordered}),
        "titles": [[s.id, s.title] for s in ordered],
        "tracks": [[t.id, t.title] for t in tracks],
        "opening": path.customer[0],
        "turns": [[r, c] for r, c in zip(path.rep, path.customer[1:], strict=True)],
        "banner": BANNER + ".",
    }
    out = bench.cache / "apps.json"
    out.write_text(json.dumps(data, ensure_ascii=False))
    return out, path


def call_path(scenario: Any, file: Path, picks: list[int]) -> CallPath:
    """What a call following `picks` (0-based) says and offers, turn by turn."""
    from simulator.call import Call

    call = Call(scenario)
    says = []
    for p in picks:
        says.append([o.say for o in call.options])
        call.choose(p + 1)
    lines = call.transcript
    return CallPath(file, scenario.id, picks, says,
                    [ln.text for ln in lines if ln.speaker == "customer"],
                    [ln.text for ln in lines if ln.speaker == "trainee"])


LONG_CALL = 12
"""Turns of the long call of the reply growth check."""


def long_call(bench: Bench) -> CallPath:
    """A generated call of LONG_CALL turns that all look alike (each node: the customer's
    numbered line, four replies with feedback), the first reply picked every turn: whether a
    reply gets slower as the call goes on, whatever a turn says."""
    from simulator.scenario import load_file

    folder = bench.cache / "long-call"  # a library of its own, given with --scenarios: the
    folder.mkdir(exist_ok=True)         # call is an ordinary call, not a playtest of a file
    file = folder / f"long-call-{LONG_CALL}.yaml"
    file.write_text(gen_library.file_text(0, LONG_CALL + 3, depth=LONG_CALL, labelled=True),
                    encoding="utf-8")
    scenario, problems = load_file(file)
    if scenario is None:
        raise BenchError(f"the long call does not load: {[str(p) for p in problems][:3]}")
    return call_path(scenario, file, [0] * LONG_CALL)


def scenario_dir_file(bench: Bench, scenario: Any) -> Path:
    from simulator.scenario import discover

    for f in discover([bench.scenarios_dir]):
        if f.read_bytes() and hashlib.sha256(f.read_bytes()).hexdigest() == scenario.content_hash:
            return f
    raise BenchError(f"no file of {scenario.id} in {bench.scenarios_dir}")


# -- the TUI ---------------------------------------------------------------------------------------

class Poller:
    """A second connection that watches what the app commits."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite"):
            self.con: Any = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
            self.pg = False
        else:
            import psycopg

            self.con = psycopg.connect(gen_db._libpq(url), autocommit=True)
            self.pg = True

    def one(self, sql: str, *args: Any) -> Any:
        if self.pg:
            sql = sql.replace("?", "%s")
        row = self.con.execute(sql, args).fetchone()
        return None if row is None else row[0]

    def close(self) -> None:
        self.con.close()


def home_markers(bench: Bench, data_file: Path) -> list[re.Pattern[bytes]]:
    """What the home shows once its data is in: the next call, the recent calls' table, the
    first certification track."""
    data = json.loads(data_file.read_text())
    return [styled("Next call (n)"), styled("Result"), styled(data["tracks"][0][1])]


def home_run(bench: Bench, argv: Sequence[str], user: str, markers: list[re.Pattern[bytes]]
             ) -> tuple[float, float, float]:
    """(first paint, home data shown, peak RSS in MB) of one start of a TUI."""
    s = Session(argv, bench.user_env(user), cwd=str(bench.cache))
    try:
        (first,) = s.wait([styled(FIRST_PAINT)], timeout=60)
        shown = max(s.wait(markers, timeout=120))
        rss = s.peak_rss_mb()  # at home, its data shown
        s.finish()
    except BaseException:
        s.kill()
        raise
    if not os.WIFEXITED(s.status or 0) or os.WEXITSTATUS(s.status or 0) != 0:
        raise BenchError(f"{argv[0]} ended with status {s.status} after quitting")
    return first, shown, rss


def bench_tui_home(bench: Bench, b: Backend, data_file: Path) -> list[Result]:
    """First paint and peak RSS against the bare app alone (no database); home data shown
    against the bare app that also reads the same rows through sqlite3 (or psycopg)."""
    runs = bench.sizes.runs["tui_home"]
    markers = home_markers(bench, data_file)
    ours = [str(HOTSEAT), "--db", b.big]
    bare = [str(PYTHON), str(HERE / "bare_tui.py"), "home", "--data", str(data_file),
            "--user", gen_db.TYPICAL]
    bare_db = [*bare, "--db", b.big]

    def both() -> tuple[tuple[float, float, float], tuple[float, float, float]]:
        return (home_run(bench, bare, gen_db.TYPICAL, [styled(FIRST_PAINT)]),
                home_run(bench, bare_db, gen_db.TYPICAL, markers))

    # warm-ups: bytecode written, the database's pages in the page cache
    bench.warm(f"tui {b.big}", lambda: home_run(bench, ours, gen_db.TYPICAL, markers))
    bench.warm(f"bare home {b.big}", both)
    base, hot = bench.alternate(runs, both,
                                lambda: home_run(bench, ours, gen_db.TYPICAL, markers))
    tag = f"[{b.name}]"
    bench.note(f"tui_home{tag}: first paint, data shown, peak RSS (s, s, MB) per run: hotseat "
               f"{_runs(hot)}; bare app {_runs([x[0] for x in base])}; bare app with the "
               f"data {_runs([x[1] for x in base])}")
    return [
        Result(f"tui_first_paint{tag}", median([h[0] for h in hot]),
               median([x[0][0] for x in base]), 1.3),
        Result(f"tui_home_data{tag}", median([h[1] for h in hot]),
               median([x[1][1] for x in base]), 1.5),
        Result(f"tui_peak_rss{tag}", median([h[2] for h in hot]),
               median([x[0][2] for x in base]), 1.5, unit="MB"),
    ]


def _runs(values: Sequence[Sequence[float]]) -> str:
    return " | ".join(", ".join(f"{v:.3g}" for v in run) for run in values)


def bench_growth_startup(bench: Bench, b: Backend, data_file: Path) -> list[Result]:
    runs = bench.sizes.runs["growth_startup"]
    markers = home_markers(bench, data_file)

    def start(url: str, user: str) -> Callable[[], tuple[float, float, float]]:
        return lambda: home_run(bench, [str(HOTSEAT), "--db", url], user, markers)

    bench.warm(f"tui {b.small}", start(b.small, gen_db.TYPICAL))
    bench.warm(f"tui {b.big}", start(b.big, gen_db.TYPICAL))
    small, big = bench.alternate(runs, start(b.small, gen_db.TYPICAL),
                                 start(b.big, gen_db.TYPICAL))
    typical, heavy = bench.alternate(runs, start(b.big, gen_db.TYPICAL),
                                     start(b.big, gen_db.HEAVY))
    tag = f"[{b.name}]"
    s = bench.sizes
    bench.note(f"growth_startup{tag}: home data shown (s) with {s.small_calls} calls in all "
               f"{_runs(small)}; with {s.calls} {_runs(big)}; the data step alone (data shown "
               f"minus first paint), median: {median([x[1] - x[0] for x in small]):.3f} s -> "
               f"{median([x[1] - x[0] for x in big]):.3f} s")
    bench.note(f"growth_startup{tag}: home data shown (s) for a rep of 100 calls "
               f"{_runs(typical)}; of {s.heavy} calls {_runs(heavy)}; the data step alone, "
               f"median: {median([x[1] - x[0] for x in typical]):.3f} s -> "
               f"{median([x[1] - x[0] for x in heavy]):.3f} s")
    return [
        Result(f"growth_startup_db{tag}", median([x[1] for x in big]),
               median([x[1] for x in small]), 1.1),
        Result(f"growth_startup_own{tag}", median([x[1] for x in heavy]),
               median([x[1] for x in typical]), 1.1),
    ]


def _number(s: Session, say: str, since: int) -> int:
    """The number the reply list shows before this reply (the order is shuffled per call)."""
    words = say.split()
    pattern = re.compile(rb"([1-9]) +" + rb"(?:\x1b\[[0-9;:?<>=]*[ -/]*[@-~])*"
                         + styled(" ".join(words[:5])).pattern)
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        found = list(pattern.finditer(s.buffer, since))
        if found:
            return int(found[-1].group(1))
        if not s.pump(0.05):
            break
    raise BenchError(f"the reply list never showed {say[:40]!r}: cannot pick it")


def _prefix(text: str) -> re.Pattern[bytes]:
    """The start of a line as the conversation shows it (before any wrap)."""
    words, out = text.split(), []
    for w in words:
        if out and len(" ".join([*out, w])) > 32:
            break
        out.append(w)
    return styled(" ".join(out))


def reply_run_hotseat(bench: Bench, url: str, path: CallPath, mode: str) -> list[float]:
    """Seconds from each key to its customer's answer on screen and its lines committed."""
    before = gen_db.max_call_id(url)
    poll = Poller(url)
    own = ["--scenarios", str(path.file.parent)] if path.file.parent.name == "long-call" else []
    s = Session([str(HOTSEAT), "--db", url, *own, "play", str(path.file)],
                bench.user_env(gen_db.CALLER), cwd=str(bench.cache))
    times = []
    try:
        s.wait([styled("Practice call")], timeout=60)
        since = s.send(b"p" if mode == "practice" else b"e")
        call_id: list[int] = []

        def started() -> bool:
            found = poll.one("SELECT max(id) FROM calls WHERE id > ?", before)
            if found is not None:
                call_id[:] = [found]
                return bool(poll.one("SELECT count(*) FROM turns WHERE call_id = ?", found))
            return False

        s.wait([_prefix(path.customer[0])], since, timeout=60, also=started)
        last_since = since
        for turn, pick in enumerate(path.picks, start=1):
            number = _number(s, path.says[turn - 1][pick], last_since)
            final = turn == len(path.picks)
            lines = 1 + 2 * turn

            def committed(lines: int = lines, final: bool = final) -> bool:
                n = poll.one("SELECT count(*) FROM turns WHERE call_id = ?", call_id[0])
                if n < lines:
                    return False
                return not final or poll.one("SELECT ended FROM calls WHERE id = ?",
                                             call_id[0]) is not None

            since = s.send(str(number).encode())
            pressed = s.now()
            patterns = [_prefix(path.customer[turn])] + ([styled(BANNER)] if final else [])
            times.append(max(s.wait(patterns, since, timeout=60, also=committed,
                                    settle=SETTLE)) - pressed)
            if s.unseen:
                UNSEEN.append(f"{mode} turn {turn}")
                s.unseen.clear()
            last_since = since
        s.finish()
    except BaseException:
        s.kill()
        raise
    finally:
        poll.close()
        gen_db.drop_calls(url, before)
    return times


def reply_run_bare(bench: Bench, url: str, data_file: Path, path: CallPath) -> list[float]:
    call_id = int(time.time() * 1000) % 2_000_000_000
    s = Session([str(PYTHON), str(HERE / "bare_tui.py"), "call", "--data", str(data_file),
                 "--db", url, "--call-id", str(call_id)], bench.env, cwd=str(bench.cache))
    poll: Poller | None = None
    times = []
    try:
        s.wait([_prefix(path.customer[0])], timeout=60)
        poll = Poller(url)
        for turn in range(1, len(path.picks) + 1):
            final = turn == len(path.picks)
            since = s.send(b"1")
            pressed = s.now()
            patterns = [_prefix(path.customer[turn])] + ([styled(BANNER)] if final else [])

            def committed(lines: int = 1 + 2 * turn, p: Poller = poll) -> bool:
                n = p.one("SELECT count(*) FROM bare_turns WHERE call_id = ?", call_id)
                return bool(n >= lines)

            times.append(max(s.wait(patterns, since, timeout=60, also=committed)) - pressed)
        s.finish()
    except BaseException:
        s.kill()
        raise
    finally:
        if poll is not None:
            poll.close()
    return times


def bench_tui_reply(bench: Bench, b: Backend, data_file: Path, path: CallPath,
                    long: CallPath) -> list[Result]:
    runs = bench.sizes.runs["tui_reply"]
    tag = f"[{b.name}]"
    out: list[Result] = []
    bench.warm(f"call {b.big}", lambda: reply_run_hotseat(bench, b.big, path, "practice"))
    bench.warm(f"bare call {b.bare}", lambda: reply_run_bare(bench, b.bare, data_file, path))
    flat: list[Result] = []
    UNSEEN.clear()
    for mode in ("practice", "exam"):
        base, hot = bench.alternate(runs, lambda: reply_run_bare(bench, b.bare, data_file, path),
                                    lambda m=mode: reply_run_hotseat(bench, b.big, path, m))
        turns = len(path.picks)
        ours = [median([run[t] for run in hot]) for t in range(turns)]
        bare = [median([run[t] for run in base]) for t in range(turns)]
        bench.note(f"tui_reply{tag} {mode} ({path.scenario_id}, {turns} turns): per turn, "
                   f"medians (ms): hotseat {', '.join(f'{x * 1e3:.0f}' for x in ours)}; "
                   f"bare {', '.join(f'{x * 1e3:.0f}' for x in bare)}")
        worst = max(range(turns - 1), key=lambda t: ours[t] / bare[t])
        out.append(Result(f"tui_reply_{mode}{tag}", ours[worst] * 1e3, bare[worst] * 1e3, 1.5,
                          unit="ms", note=f"the worst turn, {worst + 1}"))
        out.append(Result(f"tui_last_reply_{mode}{tag}", ours[-1] * 1e3, bare[-1] * 1e3, 3,
                          unit="ms"))
        # flat: on a long call whose turns all look alike, the later replies against the
        # earlier ones (the first, which pays first-time costs, and the last, the end, left out)
        runs_long = [reply_run_hotseat(bench, b.big, long, mode) for _ in range(runs)]
        per_turn = [median([run[t] for run in runs_long]) for t in range(len(long.picks))]
        middle = per_turn[1:-1]
        half = len(middle) // 2
        bench.note(f"growth_reply_turns{tag} {mode} (a generated call of {len(long.picks)} "
                   f"turns alike): per turn, medians (ms): "
                   f"{', '.join(f'{x * 1e3:.0f}' for x in per_turn)}")
        flat.append(Result(f"growth_reply_turns_{mode}{tag}",
                           statistics.fmean(middle[-half:]) * 1e3,
                           statistics.fmean(middle[:half]) * 1e3, 1.3, unit="ms",
                           note=f"turns {len(per_turn) - half}-{len(per_turn) - 1} against "
                                f"2-{half + 1}"))
    if UNSEEN:
        bench.note(f"tui_reply{tag}: the customer's answer never came on screen (not scrolled "
                   f"into view) after {len(UNSEEN)} replies ({', '.join(sorted(set(UNSEEN)))}); "
                   "those are timed to the last frame drawn and the lines committed")
    return out + flat


# -- the commands ----------------------------------------------------------------------------------

def bench_report(bench: Bench, b: Backend) -> list[Result]:
    runs = bench.sizes.runs["report"]
    tag = f"[{b.name}]"
    out = []
    for fmt in ("table", "csv", "json"):
        ours = [str(HOTSEAT), "--db", b.big, "report", "--format", fmt]
        bare = [str(PYTHON), str(HERE / "bare_cli.py"), "report", "--db", b.big, "--format", fmt]
        bench.warm(f"bare report {b.big}", lambda a=bare: bench.run(a))
        base, hot = bench.alternate(runs, lambda a=bare: bench.run(a)[0],
                                    lambda a=ours: bench.run(a)[0])
        bench.note(f"report_{fmt}{tag} (s): hotseat {_list(hot)}; bare {_list(base)}")
        out.append(Result(f"report_{fmt}{tag}", median(hot), median(base), 1.5))
    return out


def _list(values: Sequence[float]) -> str:
    return ", ".join(f"{v:.3g}" for v in values)


def bench_report_trainee(bench: Bench, b: Backend) -> list[Result]:
    runs = bench.sizes.runs["report_trainee"]
    ours = [str(HOTSEAT), "--db", b.big, "report", "--trainee", gen_db.TYPICAL]
    bare = [str(PYTHON), str(HERE / "bare_cli.py"), "report", "--db", b.big, "--trainee",
            gen_db.TYPICAL]
    bench.warm(f"cli {b.big}", lambda: bench.run(ours))
    bench.warm(f"bare report {b.big}", lambda: bench.run(bare))
    base, hot = bench.alternate(runs, lambda: bench.run(bare)[0], lambda: bench.run(ours)[0])
    bench.note(f"report_trainee[{b.name}] (s): hotseat {_list(hot)}; bare {_list(base)}")
    return [Result(f"report_trainee[{b.name}]", median(hot), median(base), 2)]


def floor_run(bench: Bench, url: str) -> tuple[float, dict[str, Any]]:
    elapsed, text = bench.run([str(PYTHON), str(HERE / "bare_cli.py"), "rescore", "--db", url],
                              capture=True)
    line = next(ln for ln in text.splitlines() if ln.startswith("FLOOR "))
    return elapsed, json.loads(line[len("FLOOR "):])


def bench_rescore(bench: Bench, b: Backend) -> list[Result]:
    runs = bench.sizes.runs["rescore"]
    tag = f"[{b.name}]"
    ours = [str(HOTSEAT), "--db", b.big, "rescore"]
    bench.warm(f"floor {b.big}", lambda: floor_run(bench, b.small))
    bench.warm(f"rescore {b.small}",
               lambda: bench.run([str(HOTSEAT), "--db", b.small, "rescore"], ok=(0, 1)))
    base, hot = bench.alternate(runs, lambda: floor_run(bench, b.big),
                                lambda: bench.run(ours, ok=(0, 1))[0])
    parts = {k: median([r[1][k] for r in base]) for k in ("import_s", "read_s", "parse_s",
                                                          "replay_s")}
    calls = base[0][1]["calls"]
    bench.note(f"rescore{tag} (s): hotseat {_list(hot)}; floor {_list([r[0] for r in base])} "
               f"(median parts: {', '.join(f'{k} {v:.2f}' for k, v in parts.items())}; "
               f"{calls} calls, {base[0][1]['differences']} differences)")
    bench.samples[f"rescore {b.big}"] = hot
    out = [Result(f"rescore{tag}", median(hot), median([r[0] for r in base]), 1.5)]
    if b.name == "sqlite":
        out.append(Result("rescore_replay_per_call", parts["replay_s"] / calls * 1e3, None, 0.2,
                          unit="ms", absolute=True))
    return out


def bench_growth_rescore(bench: Bench, b: Backend) -> list[Result]:
    """Per call, at 100k calls against 1k: `rescore_calls` timed inside one process
    (bench/rescore_timed.py), each run of it on its own, the median of the runs. Whole
    processes minus a fixed-cost process measured noise once the rescore of 1,000 calls fell
    to tens of milliseconds."""
    runs = max(3, bench.sizes.runs["growth_rescore"])
    tag = f"[{b.name}]"

    def timed(url: str) -> tuple[float, int, list[float]]:
        _, text = bench.run([str(PYTHON), str(HERE / "rescore_timed.py"), "--db", url,
                             "--runs", str(runs)], capture=True)
        line = next(ln for ln in text.splitlines() if ln.startswith("TIMED "))
        got = json.loads(line[len("TIMED "):])
        return median(got["seconds"]) / max(1, got["calls"]), got["calls"], got["seconds"]

    per_small, n_small, small = timed(b.small)
    per_big, n_big, big = timed(b.big)
    bench.note(f"growth_rescore{tag} (s, rescore_calls alone, in one process): {n_small} calls "
               f"{_list(small)}; {n_big} calls {_list(big)}")
    return [Result(f"growth_rescore_calls{tag}", per_big * 1e3, per_small * 1e3, 1.3,
                   unit="ms")]


def bench_validate(bench: Bench, libs: dict[str, Path]) -> list[Result]:
    runs = bench.sizes.runs["validate"]
    ours = [str(HOTSEAT), "validate", str(libs["main"])]
    bare = [str(PYTHON), str(HERE / "bare_cli.py"), "validate", str(libs["main"])]
    bench.warm("validate", lambda: bench.run([str(HOTSEAT), "validate", str(libs["tiny"])]))
    bench.warm("bare validate", lambda: bench.run(bare))
    base, hot = bench.alternate(runs, lambda: bench.run(bare)[0], lambda: bench.run(ours)[0])
    bench.note(f"validate (s): hotseat {_list(hot)}; bare {_list(base)}")
    bench.note(f"validate: peak RSS hotseat {_peak_mb(bench, ours):.0f} MB, bare "
               f"{_peak_mb(bench, bare):.0f} MB (one more run of each)")
    return [Result("validate", median(hot), median(base), 1.5)]


def _peak_mb(bench: Bench, argv: Sequence[str]) -> float:
    """The peak resident memory (MB) of one run of a command, from its own rusage."""
    proc = subprocess.Popen(list(argv), env=bench.user_env(gen_db.ADMIN), cwd=bench.cache,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024  # KB on Linux


def bench_growth_validate(bench: Bench, libs: dict[str, Path]) -> list[Result]:
    """Time per node with 1,000-node files against 10-node files (the same number of nodes in
    all), each minus the time of validating one small file (the fixed cost)."""
    runs = bench.sizes.runs["growth_validate"]
    (sf, sn), (bf, bn) = bench.sizes.growth

    def validate(folder: Path) -> Callable[[], float]:
        return lambda: bench.run([str(HOTSEAT), "validate", str(folder)])[0]

    fixed = [validate(libs["tiny"])() for _ in range(runs)]
    small, big = bench.alternate(runs, validate(libs["small-files"]), validate(libs["big-files"]))
    per_small = (median(small) - median(fixed)) / (sf * sn)
    per_big = (median(big) - median(fixed)) / (bf * bn)
    bench.note(f"growth_validate (s): {sf} files of {sn} nodes {_list(small)}; {bf} of {bn} "
               f"{_list(big)}; one file of 10 nodes {_list(fixed)}")
    return [Result("growth_validate_nodes", per_big * 1e3, per_small * 1e3, 1.3, unit="ms")]


# -- the run ---------------------------------------------------------------------------------------

GROUPS: dict[str, list[str]] = {
    "validate": ["validate"],
    "growth_validate": ["growth_validate_nodes"],
    "tui_home": ["tui_first_paint", "tui_home_data", "tui_peak_rss"],
    "growth_startup": ["growth_startup_db", "growth_startup_own"],
    "tui_reply": ["tui_reply_practice", "tui_last_reply_practice", "tui_reply_exam",
                  "tui_last_reply_exam", "growth_reply_turns_practice", "growth_reply_turns_exam"],
    "report_trainee": ["report_trainee"],
    "report": ["report_table", "report_csv", "report_json"],
    "rescore": ["rescore", "rescore_replay_per_call"],
    "growth_rescore": ["growth_rescore_calls"],
}
SQLITE_ONLY = {"rescore_replay_per_call"}
"""Lines of the core alone, whatever the database: printed once."""
NEEDS_SMALL = {"growth_startup", "rescore", "growth_rescore"}
NEEDS_DB = {"tui_home", "growth_startup", "tui_reply", "report_trainee", "report", "rescore",
            "growth_rescore"}


def _parse(name: str) -> tuple[str, str | None]:
    """`report_table[sqlite]` -> ("report_table", "sqlite"); `validate` -> ("validate", None)."""
    base, _, tag = name.partition("[")
    return base, tag.rstrip("]") or None


def machine(bench: Bench) -> list[str]:
    cpu = "unknown"
    try:
        for ln in Path("/proc/cpuinfo").read_text().splitlines():
            if ln.startswith("model name"):
                cpu = ln.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    sha = subprocess.run(["git", "-C", str(bench.tree if bench.tree != ROOT else ROOT),
                          "rev-parse", "--short=12", "HEAD"], capture_output=True,
                         text=True).stdout.strip()
    code = (f"commit {(bench.tree / '.complete').read_text().strip()[:12]} (exported)"
            if bench.tree != ROOT else f"the working tree at {ROOT} (HEAD {sha or '?'}, "
            "uncommitted changes included)")
    set_ = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "not set"
    return [
        f"# date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; sizes: {bench.sizes.name}",
        f"# machine: {os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {cpu}; "
        f"Python {platform.python_version()}; {platform.platform()}",
        f"# code: {code}",
        f"# bytecode: PYTHONDONTWRITEBYTECODE was {set_} in the calling environment; it is "
        "unset for every measured process, and a warm-up run writes the caches first, so every "
        "measured run loads cached bytecode (as a user's installation does)",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="small sizes (50 trainees, 2,000 calls, 100 files): a few minutes")
    parser.add_argument("--db", metavar="URL",
                        help="a PostgreSQL server (postgresql+psycopg://user@host/db): the "
                             "database benchmarks run there too, on databases made for them")
    parser.add_argument("--only", metavar="NAME,...",
                        help=f"only these benchmarks (or groups: {', '.join(GROUPS)})")
    parser.add_argument("--keep", metavar="DIR",
                        help="the cache folder where the data is built and kept "
                             "(default: bench/.cache)")
    parser.add_argument("--rev", metavar="REV",
                        help="measure this commit (exported from git into the cache) instead "
                             "of the working tree")
    parser.add_argument("--runs", type=int, metavar="N",
                        help="runs of each benchmark (default: 3 to 9 by benchmark)")
    args = parser.parse_args(argv)
    if args.db and not args.db.startswith("postgresql"):
        parser.error("--db takes a PostgreSQL URL (postgresql+psycopg://user@host/db): SQLite "
                     "is always measured")
    names = [n.strip() for n in (args.only or "").split(",") if n.strip()]
    known = set(GROUPS) | {line for lines in GROUPS.values() for line in lines}
    unknown = [n for n in names if _parse(n)[0] not in known]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    chosen = [_parse(n) for n in names]

    def wanted(line: str) -> bool:
        base, tag = _parse(line)
        group = next(g for g, lines in GROUPS.items() if base in lines)
        return not chosen or any(n in (base, group) and t in (None, tag) for n, t in chosen)

    groups = [g for g, lines in GROUPS.items() if any(wanted(x) for x in lines)
              or any(wanted(f"{x}[{b}]") for x in lines for b in ("sqlite", "postgresql"))]
    bench = Bench(args)
    lock = (bench.top / "lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log(f"another bench/run.py uses {bench.top}: waiting for it to finish")
        fcntl.flock(lock, fcntl.LOCK_EX)
    for line in machine(bench):
        print(line, flush=True)
    results: list[Result] = []
    try:
        libs = libraries(bench)
        backends = (databases(bench, bool(NEEDS_SMALL & set(groups)))
                    if NEEDS_DB & set(groups) else [])
        if backends:
            describe(bench, backends, libs)
        data_file, path = app_data(bench)
        long = long_call(bench)
    except Exception as exc:  # noqa: BLE001 - the data could not be made: say why, fail
        traceback.print_exc()
        print(f"# the data could not be built: {exc}")
        return 1
    started = time.perf_counter()
    for group in groups:
        jobs: list[tuple[str, Callable[[], list[Result]]]] = []
        if group in NEEDS_DB:
            for b in backends:
                if not any(wanted(f"{x}[{b.name}]") for x in GROUPS[group]):
                    continue
                fn: Callable[..., list[Result]] = globals()[f"bench_{group}"]
                extra: tuple[Any, ...] = ()
                if group in ("tui_home", "growth_startup"):
                    extra = (data_file,)
                elif group == "tui_reply":
                    extra = (data_file, path, long)
                jobs.append((f"{group}[{b.name}]",
                             lambda fn=fn, b=b, extra=extra: fn(bench, b, *extra)))
        else:
            jobs.append((group, lambda g=group: globals()[f"bench_{g}"](bench, libs)))
        for label, job in jobs:
            log(f"running {label}")
            bench.details.clear()
            load = os.getloadavg()
            try:
                found = job()
            except Exception as exc:  # noqa: BLE001 - one benchmark failing must not stop all
                traceback.print_exc()
                tag = label[len(group):]
                found = [Result(f"{n}{tag}" if n not in SQLITE_ONLY else n, None, None, 0,
                                error=str(exc)[:300]) for n in GROUPS[group]
                         if n not in SQLITE_ONLY or tag in ("", "[sqlite]")]
            for r in found:
                if wanted(f"{r.name}[sqlite]" if r.name in SQLITE_ONLY else r.name):
                    results.append(r)
                    print(r.line(), flush=True)
            for d in bench.details:
                print(d, flush=True)
            print(f"# {label}: load average {load[0]:.1f} before, {os.getloadavg()[0]:.1f} "
                  f"after (other programs on the {os.cpu_count()} cores slow both sides)",
                  flush=True)
    failed = [r for r in results if not r.ok]
    print(f"# {len(results)} benchmarks, {len(failed)} failing; measured in "
          f"{(time.perf_counter() - started) / 60:.1f} min")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
