"""A program in a real pseudo-terminal, watched from outside: what reached the screen, and when.

The TUI benchmarks measure what a rep sees: the bytes the program writes to its terminal, read
as they arrive and stamped with the time since the process was started. Nothing of the program
is patched or imported here, so the same measurement holds for Hotseat before and after any
change, and for the bare baselines.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Callable, Sequence

__all__ = ["Session", "StyledText", "styled"]

COLUMNS, LINES = 120, 40
ESCAPES = rb"(?:\x1b\[[0-9;:?<>=]*[ -/]*[@-~])*"
"""Any run of CSI escape sequences (styles, cursor moves) between the characters of a text."""


def styled(text: str) -> re.Pattern[bytes]:
    """A pattern for `text` as a terminal shows it: escape sequences may sit between words
    (a style change) but the characters come in order."""
    parts = [re.escape(word.encode("utf-8")) for word in text.split(" ") if word]
    return re.compile((rb" *" + ESCAPES + rb" *").join(parts))


StyledText = re.Pattern[bytes]


class Session:
    """One program in a pseudo-terminal of COLUMNS x LINES."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], cwd: str | None = None) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: the terminal is its stdin, stdout and stderr
            try:
                if cwd:
                    os.chdir(cwd)
                os.execve(argv[0], list(argv), env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.buffer = bytearray()
        self.stamps: list[tuple[float, int]] = []
        """(seconds since start, buffer length after the chunk) of every chunk read."""
        self.closed = False
        self.status: int | None = None
        self.unseen: list[re.Pattern[bytes]] = []
        """Patterns `wait` gave up on once the screen had settled (see `wait`)."""

    def now(self) -> float:
        return time.perf_counter() - self.started

    def pump(self, timeout: float) -> bool:
        """Read what the program wrote within `timeout` seconds; False once it closed."""
        if self.closed:
            return False
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            data = b""
        if not data:
            self.closed = True
            return False
        self.buffer += data
        self.stamps.append((self.now(), len(self.buffer)))
        return True

    def when(self, pattern: re.Pattern[bytes], since: int = 0) -> float | None:
        """When the first match of `pattern` after byte `since` was complete on the screen."""
        found = pattern.search(self.buffer, since)
        if found is None:
            return None
        end = found.end()
        for stamp, length in self.stamps:
            if length >= end:
                return stamp
        return None

    def wait(self, patterns: Sequence[re.Pattern[bytes]], since: int = 0, timeout: float = 120,
             also: Callable[[], bool] | None = None, poll: float = 0.001,
             settle: float | None = None) -> list[float]:
        """Read until every pattern has appeared after byte `since` (and `also()` holds, checked
        between reads, at least every `poll` seconds); return when each appeared (seconds since
        start) and, last, when `also` first held.

        With `settle`: once `also` holds and the program has written nothing for `settle`
        seconds, a pattern still missing is taken as never coming (a text scrolled out of view):
        its time is that of the last bytes written, and it is added to `self.unseen`."""
        deadline = time.perf_counter() + timeout
        seen: list[float | None] = [None] * len(patterns)
        held: float | None = None if also is not None else 0.0
        searched = -1
        while True:
            if searched != len(self.buffer):  # search again only what is new
                searched = len(self.buffer)
                for i, p in enumerate(patterns):
                    if seen[i] is None:
                        seen[i] = self.when(p, since)
            if held is None and also is not None and also():
                held = self.now()
            if all(s is not None for s in seen) and held is not None:
                return [s for s in seen if s is not None] + ([held] if also else [])
            if (settle is not None and held is not None and self.stamps
                    and self.stamps[-1][1] > since and self.now() - self.stamps[-1][0] > settle):
                for i, p in enumerate(patterns):
                    if seen[i] is None:
                        seen[i] = self.stamps[-1][0]
                        self.unseen.append(p)
                continue
            if time.perf_counter() > deadline or not self.pump(poll if also else 0.2):
                missing = [p.pattern[:60] for p, s in zip(patterns, seen, strict=True)
                           if s is None]
                what = f"{missing}" + ("" if held is not None else " and the database condition")
                tail = bytes(self.buffer[-600:])
                raise TimeoutError(f"never saw {what} (closed={self.closed}); the screen's "
                                   f"last bytes: {tail!r}")

    def send(self, keys: bytes) -> int:
        """Type `keys`; return the buffer's length at that moment (search after it)."""
        self.pump(0)
        os.write(self.fd, keys)
        return len(self.buffer)

    def finish(self, keys: bytes = b"\x11", timeout: float = 15) -> None:
        """Quit with `keys` (ctrl+q), read to the end, reap the process."""
        try:
            os.write(self.fd, keys)
        except OSError:
            pass
        deadline = time.perf_counter() + timeout
        while not self.closed and time.perf_counter() < deadline:
            self.pump(0.1)
            if self._reap(os.WNOHANG):
                break
        if self.status is None:
            if not self._reap(os.WNOHANG):
                os.kill(self.pid, signal.SIGKILL)
                self._reap(0)
        os.close(self.fd)

    def kill(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap(0)
        try:
            os.close(self.fd)
        except OSError:
            pass

    def _reap(self, flags: int) -> bool:
        if self.status is not None:
            return True
        try:
            pid, status = os.waitpid(self.pid, flags)
        except ChildProcessError:
            return True
        if pid == 0:
            return False
        self.status = status
        return True

    def peak_rss_mb(self) -> float:
        """The peak resident set of the running program so far, in MB (VmHWM: since its exec;
        the rusage of a child would also count the pages it shared with this process between
        fork and exec)."""
        try:
            with open(f"/proc/{self.pid}/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        raise RuntimeError(f"no VmHWM for process {self.pid}: it has ended")
