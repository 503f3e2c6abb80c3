"""`hotseat serve` in headless Chromium: the time from page load to the login screen, and the
memory of each tab's process, against a bare baseline measured in the same run.

The baseline is textual-serve serving a bare Textual app with the same login form (a title, two
inputs, a button), behind the same page (Hotseat's template, so the page costs the same): what
remains is what Hotseat's own process costs over a bare Textual app's.

    .venv/bin/python bench/serve.py [--tabs 5] [--runs 5]

Prints, as bench/run.py does:

    serve_login_time: hotseat=X baseline=Y ratio=R target<=T ok|FAIL
    serve_tab_rss: ...            (MiB per tab, at the login screen, TABS tabs open at once)
    serve_tab_rss_home: ...       (MiB per tab once each has logged in and shows its home)

`serve_login_time` is the median over RUNS fresh tabs, one at a time, Hotseat and the baseline
taking turns; the memory is the resident set (VmRSS) of each tab's process, averaged over the
tabs. Needs Debian's chromium (/usr/bin/chromium) and the serve and test extras.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("HOTSEAT_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SECRET = "correct horse battery"
TARGETS = {"serve_login_time": 3.0, "serve_tab_rss": 2.5, "serve_tab_rss_home": 3.5}
"""Hotseat may take this many times the bare app's figure (its library, scorer, database
layer and screens are what a bare app lacks)."""

sys.path.insert(0, str(ROOT / "tests" / "browser"))
from browserlib import INIT, SCREEN  # noqa: E402  (the same screen reader as the browser tests)

BARE = '''
from textual.app import App
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Input, Label, Static


class Bare(App):
    CSS = "Screen { align: center middle; } #login { width: 60; height: auto; }"

    def compose(self):
        yield Header()
        with Vertical(id="login"):
            yield Static("Log in to the bare app")
            yield Label("Name")
            yield Input()
            yield Label("Password")
            yield Input(password=True)
            yield Button("Log in")
        yield Footer()

    def on_input_submitted(self):
        self.query_one(Static).update("home of the bare app")


Bare().run()
'''

SERVE_BARE = '''
import sys
from textual_serve.server import Server
from simulator.serve.server import TEMPLATES
Server(sys.argv[1], host="127.0.0.1", port=int(sys.argv[2]), templates_path=TEMPLATES).serve()
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(argv: list[str], url: str, log: Path, env: dict[str, str]) -> Iterator[int]:
    with log.open("w") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the server did not start: {log.read_text()[-2000:]}") \
                        from None
                time.sleep(0.1)
        yield process.pid
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def tab_processes(server_pid: int, marker: str) -> list[int]:
    """The tabs' Python processes (not the shell textual-serve starts them through)."""
    found = []
    for pid in descendants(server_pid):
        try:
            argv = (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if "python" in Path(argv[0].decode()).name and marker.encode() in b" ".join(argv):
            found.append(pid)
    return found


def rss_mib(pid: int) -> float:
    for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_text(page: Any, pattern: str, timeout: float = 90) -> None:
    page.wait_for_function(f"(p) => new RegExp(p).test(({SCREEN})())", arg=pattern,
                           timeout=timeout * 1000, polling=20)


def open_tab(browser: Any, url: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(INIT)
    return context, page


def login_time(browser: Any, url: str, login_text: str) -> float:
    context, page = open_tab(browser, url)
    try:
        start = time.perf_counter()
        page.goto(url)
        wait_text(page, login_text)
        return time.perf_counter() - start
    finally:
        context.close()


def settle(server_pid: int, marker: str, count: int, timeout: float = 30) -> None:
    """Wait until `count` tab processes are left (closed tabs' processes have quit)."""
    deadline = time.monotonic() + timeout
    while len(tab_processes(server_pid, marker)) != count and time.monotonic() < deadline:
        time.sleep(0.1)


def line(name: str, hot: float, base: float, unit: str) -> tuple[str, bool]:
    ratio = hot / base if base else float("inf")
    ok = ratio <= TARGETS[name]
    return (f"{name}: hotseat={hot:.3f}{unit} baseline={base:.3f}{unit} ratio={ratio:.2f} "
            f"target<={TARGETS[name]} {'ok' if ok else 'FAIL'}", ok)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tabs", type=int, default=5, help="tabs open at once (memory)")
    parser.add_argument("--runs", type=int, default=5, help="fresh tabs timed, each side")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"serve: no Chromium at {CHROMIUM} (apt-get install -y chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    from simulator import db
    from simulator.db.passwords import set_password

    work = Path(tempfile.mkdtemp(prefix="hotseat-bench-serve-"))
    env = {**os.environ, "HOTSEAT_SEAL_KEY": str(work / "seal.key")}
    os.environ["HOTSEAT_SEAL_KEY"] = env["HOTSEAT_SEAL_KEY"]
    db_url = f"sqlite:///{work / 'room.db'}"
    names = [f"rep{i}" for i in range(1, args.tabs + 1)]
    engine = db.make_engine(db_url)
    admin = db.sign_in(engine, "ada")
    for name in names:
        db.add_person(engine, admin, name)
        set_password(engine, admin, name, SECRET)
    engine.dispose()
    (work / "bare.py").write_text(BARE)
    (work / "serve_bare.py").write_text(SERVE_BARE)
    hot_port, bare_port = free_port(), free_port()
    hot_url, bare_url = f"http://127.0.0.1:{hot_port}/", f"http://127.0.0.1:{bare_port}/"
    python = sys.executable
    print(f"# serve: {platform.node()} {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.2f}; {args.tabs} tabs, {args.runs} runs; Chromium {CHROMIUM}",
          file=sys.stderr)
    out: list[tuple[str, bool]] = []
    details: list[str] = []
    with server([python, "-m", "simulator", "serve", "--port", str(hot_port), "--db", db_url],
                hot_url, work / "hotseat.log", env) as hot_pid, \
            server([python, str(work / "serve_bare.py"), f"{python} {work / 'bare.py'}",
                    str(bare_port)], bare_url, work / "bare.log", env) as bare_pid, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        login_time(browser, hot_url, "Log in to Hotseat")  # warm-up: bytecode, page cache
        login_time(browser, bare_url, "Log in to the bare app")
        hot_times, bare_times = [], []
        for run in range(args.runs):
            order = [(hot_url, "Log in to Hotseat", hot_times),
                     (bare_url, "Log in to the bare app", bare_times)]
            for url, text, times in (order if run % 2 == 0 else order[::-1]):
                times.append(login_time(browser, url, text))
            settle(hot_pid, "serve --tab", 0)
            settle(bare_pid, "bare.py", 0)
        details.append(f"# serve_login_time runs: hotseat={[round(t, 3) for t in hot_times]} "
                       f"baseline={[round(t, 3) for t in bare_times]}")
        out.append(line("serve_login_time", statistics.median(hot_times),
                        statistics.median(bare_times), "s"))

        memory: dict[str, list[float]] = {}
        opened = {}
        for side, url, text, pid, marker in (
                ("hot", hot_url, "Log in to Hotseat", hot_pid, "serve --tab"),
                ("bare", bare_url, "Log in to the bare app", bare_pid, "bare.py")):
            tabs = [open_tab(browser, url) for _ in range(args.tabs)]
            for _, page in tabs:
                page.goto(url)
            for _, page in tabs:
                wait_text(page, text)
            procs = tab_processes(pid, marker)
            memory[side] = [rss_mib(q) for q in procs]
            opened[side] = tabs
            details.append(f"# serve_tab_rss {side}: {len(procs)} processes, "
                           f"{[round(m, 1) for m in memory[side]]} MiB")
        out.append(line("serve_tab_rss", statistics.mean(memory["hot"]),
                        statistics.mean(memory["bare"]), "MiB"))
        for (_, page), name in zip(opened["hot"], names, strict=True):
            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.type(name)
            page.keyboard.press("Enter")
            page.keyboard.type(SECRET)
            page.keyboard.press("Enter")
        for (_, page), name in zip(opened["hot"], names, strict=True):
            wait_text(page, f"{name} · trainee")
            wait_text(page, "Next call \\(n\\)")
        home = [rss_mib(q) for q in tab_processes(hot_pid, "serve --tab")]
        details.append(f"# serve_tab_rss_home: {[round(m, 1) for m in home]} MiB")
        out.append(line("serve_tab_rss_home", statistics.mean(home),
                        statistics.mean(memory["bare"]), "MiB"))
        for tabs in opened.values():
            for context, _ in tabs:
                context.close()
        browser.close()
    for text, _ in out:
        print(text)
    for text in details:
        print(text)
    subprocess.run(["rm", "-rf", str(work)], check=False)
    return 0 if all(ok for _, ok in out) else 1


if __name__ == "__main__":
    sys.exit(main())
