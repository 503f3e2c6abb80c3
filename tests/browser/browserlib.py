"""Helpers of the end-to-end tests of `hotseat serve` in headless Chromium (marked `browser`).

Debian's `chromium` package, driven by Playwright for Python through `executable_path` (never
`playwright install`: nothing is downloaded). xterm draws the terminal into a canvas, so the
screen is read from xterm's own buffer: a script added before the page's own (INIT) keeps every
object that gets a `_core`, among them the xterm Terminal, whose buffer `page.evaluate` reads
(SCREEN). Where Chromium is missing the tests skip saying so; under CI=true they fail instead,
since .ci/run installs it.

On a failure each open tab's screenshot and screen text are kept in tests/browser/artifacts/
(git-ignored).
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("HOTSEAT_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SECRET = "correct horse battery"
ADMIN = "ada"
START_TIMEOUT = 60.0
"""Seconds for the server to answer, and for a screen to show what a test waits for (a tab's
process starts in a second or two; five at once on two busy cores take longer)."""

INIT = """
(() => {
  const seen = [];
  window.__hotseatTerminals = seen;
  Object.defineProperty(Object.prototype, '_core', {
    configurable: true,
    set(value) {
      Object.defineProperty(this, '_core', {value, writable: true, configurable: true});
      seen.push(this);
    },
  });
})();
"""

SCREEN = """
() => {
  for (const t of window.__hotseatTerminals || []) {
    let buffer;
    try { buffer = t.buffer && t.buffer.active; } catch (e) { continue; }
    if (buffer && typeof buffer.getLine === 'function' && typeof t.rows === 'number') {
      const lines = [];
      for (let i = 0; i < t.rows; i++) {
        const line = buffer.getLine(buffer.viewportY + i);
        lines.push(line ? line.translateToString(true) : '');
      }
      return lines.join('\\n');
    }
  }
  return '';
}
"""


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return (f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install -y "
                "chromium) to run the browser tests")
    for module, extra in (("playwright", "test"), ("textual_serve", "serve")):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed: pip install -e '.[{extra}]'"
    return None


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium for a test module (each test opens contexts of its own). Not for
    the session: Playwright's sync API keeps an asyncio loop running in the main thread while it
    is open, and every pilot test after it would fail to start its own."""
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {missing}: .ci/run installs it")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:  # launch() gives Chromium a fresh --user-data-dir of its own
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def hotseat(url: str, who: str, *argv: str, stdin: str | None = None) -> str:
    """`hotseat ARGV` in a subprocess as `who` ($HOTSEAT_USER): its standard output."""
    env = {**os.environ, "HOTSEAT_USER": who}
    done = subprocess.run([sys.executable, "-m", "simulator", *argv, "--db", url],
                          input=stdin, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class Site:
    """A served Hotseat on a fresh SQLite database."""

    url: str
    db_url: str
    process: subprocess.Popen[str]
    log: Path
    people: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def site(tmp_path: Path, chromium: Any, request: pytest.FixtureRequest) -> Iterator[Site]:
    """`hotseat serve` on a free port of 127.0.0.1 over a new database whose admin is ada;
    ann, bob and t1..t5 are trainees; everyone's password is SECRET. Stopped afterwards.
    Parametrized indirectly, the parameter is more arguments of `hotseat serve`."""
    from simulator import db
    from simulator.db.passwords import set_password

    db_url = f"sqlite:///{tmp_path / 'room.db'}"
    people = ["ann", "bob", "t1", "t2", "t3", "t4", "t5"]
    engine = db.make_engine(db_url)  # as `hotseat people add` and `people passwd` would
    try:
        admin = db.sign_in(engine, ADMIN)
        for name in people:
            db.add_person(engine, admin, name, team="room")
        for name in [ADMIN, *people]:
            set_password(engine, admin, name, SECRET)
    finally:
        engine.dispose()
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "HOTSEAT_USER": ADMIN}  # the server's; a tab must never take it
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "simulator", "serve", "--port", str(port), "--db", db_url,
             *getattr(request, "param", ())],
            stdout=out, stderr=subprocess.STDOUT, env=env, text=True,
            start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"hotseat serve did not start: {log.read_text()[-2000:]}")
            time.sleep(0.1)  # polling a port that is not open yet: nothing else to wait on
        yield Site(url, db_url, process, log, {n: SECRET for n in [ADMIN, *people]})
    finally:
        _stop(process)


def tab_processes(site: Site) -> list[int]:
    """The Python processes of the served tabs (the server's descendants running `--tab`)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [site.process.pid]
    while todo:
        for pid in children.get(todo.pop(), []):
            todo.append(pid)
            try:
                argv = (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"python" in Path(argv[0].decode()).name.encode() and b"--tab" in argv:
                found.append(pid)
    return found


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


class Tab:
    """One browser tab on the served Hotseat, driven by keys and read as text."""

    def __init__(self, context: Any, url: str) -> None:
        self.context = context
        self.page = context.new_page()
        self.page.add_init_script(INIT)
        self.url = url

    def open(self) -> None:
        self.page.goto(self.url)

    def screen(self) -> str:
        return str(self.page.evaluate(SCREEN))

    def wait_for(self, *texts: str, timeout: float = START_TIMEOUT) -> str:
        """Wait until the screen shows one of `texts` (a regular expression each); return it."""
        pattern = "|".join(f"(?:{t})" for t in texts)
        self.page.wait_for_function(
            f"(pattern) => new RegExp(pattern).test(({SCREEN})())", arg=pattern,
            timeout=timeout * 1000, polling=100)
        return self.screen()

    def wait_change(self, before: str, timeout: float = START_TIMEOUT) -> str:
        """Wait until the screen differs from `before`."""
        self.page.wait_for_function(f"(before) => ({SCREEN})() !== before", arg=before,
                                    timeout=timeout * 1000, polling=50)
        return self.screen()

    def keys(self, *keys: str) -> None:
        self.page.locator(".xterm-helper-textarea").focus()
        for key in keys:
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.locator(".xterm-helper-textarea").focus()
        self.page.keyboard.type(text)

    def log_in(self, name: str, password: str = SECRET) -> None:
        self.wait_for("Log in to Hotseat")
        self.type(name)
        self.keys("Enter")
        self.type(password)
        self.keys("Enter")

    def take_a_call(self) -> str:
        """From home: the recommended call in practice, the first reply each turn until the
        call ends, no wrap-up (Escape); returns the scorecard's screen."""
        self.wait_for(r"Next call")
        self.keys("n")
        self.wait_for(r"Practice")
        self.keys("p")
        screen = self.wait_for(r"Reply|You, reply|1 ")
        for _ in range(30):
            if "Press Enter to write the wrap-up" in screen:
                break
            self.keys("1")
            screen = self.wait_change(screen, timeout=20)
        else:
            raise AssertionError(f"the call did not end after 30 replies:\n{screen}")
        self.keys("Enter")
        self.wait_for(r"[Ww]rap-up|[Cc]omplaint")
        self.keys("Escape")
        return self.wait_for(r"· scorecard")


@pytest.fixture
def tabs(chromium: Any, site: Site, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Opens tabs (each in a context of its own: no shared cookies); on a failure keeps their
    screenshots and screens in tests/browser/artifacts/."""
    opened: list[Tab] = []

    def open_tab(url: str | None = None) -> Tab:
        """`url`: another address than the server's (a proxy in front of it)."""
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        tab = Tab(context, url or site.url)
        opened.append(tab)
        tab.open()
        return tab
    yield open_tab
    if request.node.stash.get(FAILED, False):
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        for i, tab in enumerate(opened):
            try:
                tab.page.screenshot(path=str(ARTIFACTS / f"{stem}-tab{i}.png"))
                (ARTIFACTS / f"{stem}-tab{i}.txt").write_text(tab.screen(), encoding="utf-8")
            except Exception as exc:  # noqa: BLE001 - keep what can be kept
                (ARTIFACTS / f"{stem}-tab{i}.txt").write_text(f"not kept: {exc}")
        (ARTIFACTS / f"{stem}-serve.log").write_text(site.log.read_text(errors="replace"))
    for tab in opened:
        tab.context.close()
