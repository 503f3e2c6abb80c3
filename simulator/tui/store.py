"""The TUI's one door to the database (no Textual here).

Every call into `simulator.db` goes through a `Store`, which runs them one at a time, in order,
on a single background thread: the screens never wait on a disk write, and a read sees every
write submitted before it. Reads block, so screens call them from worker threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from scoring import Scorecard
from simulator.call import CallResult, Line
from simulator.scenario import Scenario

__all__ = ["CallLog", "Store", "TrackRow"]

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class TrackRow:
    """One certification track as the home screen shows it."""

    title: str
    status: str  # not_started | in_progress | certified | refresher_due | expired
    valid_until: date | None = None
    refresher_due_on: date | None = None
    days_left: int | None = None
    progress: str = ""
    proposed: str | None = None
    """The scenario id this track wants taken next, if any."""


class Store:
    """Database access for one user. `engine=None` runs without a database (nothing is kept)."""

    def __init__(self, engine: Any, user: str) -> None:
        self.engine = engine
        self.user = user
        self.role = "trainee"
        self.tracks: list[Any] | None = None
        """Certification tracks; None loads the bundled ones."""
        self.errors: list[str] = []
        self.on_error: Callable[[str], None] | None = None
        self.on_news: Callable[[str], None] | None = None
        """Told good news from the database thread (a certificate earned)."""
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hotseat-db")

    # -- plumbing ---------------------------------------------------------------------------
    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """Run `fn` after everything submitted before it; report a failure to the rep."""
        future = self._pool.submit(fn, *args, **kwargs)
        future.add_done_callback(self._report)
        return future

    def _report(self, future: Future[Any]) -> None:
        exc = future.exception()
        if exc is not None:
            message = f"The database could not save or read: {exc}"
            log.error(message)
            self.errors.append(message)
            if self.on_error:
                self.on_error(message)

    def flush(self, timeout: float | None = 10) -> None:
        """Wait until every write submitted so far is done."""
        self._pool.submit(lambda: None).result(timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _db(self) -> Any:
        from simulator import db

        return db

    # -- reads (blocking: call from a worker thread) ----------------------------------------
    def sign_in(self) -> str:
        """Make sure the user exists (created as a trainee at first start); return the role."""
        if self.engine is None:
            return self.role

        def run() -> str:
            trainee = self._db().get_or_create_trainee(self.engine, self.user)
            return str(getattr(trainee, "role", "trainee"))
        self.role = self.submit(run).result()
        return self.role

    def recent_calls(self, limit: int = 10) -> list[Any]:
        if self.engine is None:
            return []
        return self.submit(lambda: self._db().recent_calls(self.engine, self.user,
                                                           limit=limit)).result()

    def certification(self, today: date, scenarios: list[Scenario]) -> list[TrackRow]:
        if self.engine is None:
            return []
        from . import certify

        return self.submit(certify.track_rows, self.engine, self.user, today, scenarios,
                           self.tracks).result()

    # -- writes (non-blocking) --------------------------------------------------------------
    def open_call(self, scenario: Scenario, mode: str) -> CallLog:
        return CallLog(self, scenario, mode)


class CallLog:
    """One call's records: started at once, each line as it happens, then finished or abandoned."""

    def __init__(self, store: Store, scenario: Scenario, mode: str) -> None:
        self.store = store
        self.mode = mode
        self.call_id: int | None = None
        self.documentation: int | None = None
        if store.engine is not None:
            store.submit(self._start, scenario, mode)

    def _start(self, scenario: Scenario, mode: str) -> None:
        self.call_id = self.store._db().start_call(self.store.engine, self.store.user, scenario,
                                                  mode=mode)

    def _later(self, name: str, *args: Any) -> None:
        if self.store.engine is None:
            return

        def run() -> None:
            if self.call_id is not None:  # the start failed: already reported
                getattr(self.store._db(), name)(self.store.engine, self.call_id, *args)
        self.store.submit(run)

    def line(self, line: Line) -> None:
        self._later("record_line", line)

    def finish(self, result: CallResult, card: Scorecard) -> None:
        self._later("finish_call", result, card)
        if self.mode == "exam" and self.store.engine is not None:
            self.store.submit(self._certify)

    def _certify(self) -> None:
        from . import certify

        for news in certify.record_earned(self.store.engine, self.store.user,
                                          self.store.tracks):
            if self.store.on_news:
                self.store.on_news(news)

    def abandon(self, card: Scorecard | None = None) -> None:
        """The rep quit: the call is kept as incomplete (with the scores of what was said)."""
        self._later("abandon_call", card)

    def wrapup(self, fields: dict[str, Any], documentation: int | None) -> None:
        """Store the complaint record (domain.md, section 3) with its documentation mark."""
        self.documentation = documentation
        if self.store.engine is None:
            return
        values = {**fields, "complaint": fields.get("complaint") or "",
                  "solution": fields.get("solution") or ""}
        record = self.store._db().WrapUpRecord(**values, documentation=documentation)
        self._later("save_wrapup", record)
