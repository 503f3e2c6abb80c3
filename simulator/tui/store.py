"""The TUI's one door to the database (no Textual here).

Every call into `simulator.db` goes through a `Store`, which runs them one at a time, in order,
on a single background thread: the screens never wait on a disk write, and a read sees every
write submitted before it. Reads block, so screens call them from worker threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from typing import Any, TypeVar

from scoring import Scorecard
from scoring.certification import Track
from simulator import db
from simulator.call import CallResult, Line
from simulator.scenario import Scenario
from simulator.standing import TrackRow, track_rows
from simulator.tracks import load_tracks
from simulator.wrapup import WrapUpRecord

__all__ = ["CallLog", "Store"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class Store:
    """Database access for one user. `engine=None` runs without a database (nothing is kept)."""

    def __init__(self, engine: Any, user: str) -> None:
        self.engine = engine
        self.user = user
        self.role = "trainee"
        self.tracks: list[Track] | None = None
        """Certification tracks; None loads the bundled ones."""
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
            if self.on_error:
                self.on_error(message)

    def flush(self, timeout: float | None = 10) -> None:
        """Wait until every write submitted so far is done."""
        self._pool.submit(lambda: None).result(timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def certification_tracks(self) -> list[Track]:
        """The tracks this store judges by (the bundled ones unless given)."""
        if self.tracks is None:
            self.tracks = load_tracks().tracks
        return self.tracks

    # -- reads (blocking: call from a worker thread) ----------------------------------------
    def sign_in(self) -> str:
        """Make sure the user exists (created as a trainee at first start); return the role."""
        if self.engine is None:
            return self.role

        def run() -> str:
            return db.get_or_create_trainee(self.engine, self.user).role
        self.role = self.submit(run).result()
        return self.role

    def recent_calls(self, limit: int = 10) -> list[Any]:
        if self.engine is None:
            return []
        return self.submit(db.recent_calls, self.engine, self.user, limit=limit).result()

    def certification(self, today: date, scenarios: list[Scenario]) -> list[TrackRow]:
        """Each certification track's row for this user on `today`."""
        if self.engine is None:
            return []

        def run() -> list[TrackRow]:
            tracks = self.certification_tracks()
            if not tracks:
                return []
            calls = db.calls_of(self.engine, [self.user])
            earned = db.stored_certificates(self.engine, self.user)
            return track_rows(tracks, calls, earned, scenarios, today)
        return self.submit(run).result()

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
        self.call_id = db.start_call(self.store.engine, self.store.user, scenario, mode=mode)

    def _later(self, write: Callable[..., Any], *args: Any) -> None:
        """Run a write on this call after everything submitted before it."""
        if self.store.engine is None:
            return

        def run() -> None:
            if self.call_id is not None:  # the start failed: already reported
                write(self.store.engine, self.call_id, *args)
        self.store.submit(run)

    def line(self, line: Line, idx: int) -> None:
        """Store line `idx` of the call (its position in the call's transcript)."""
        self._later(db.record_line, line, idx)

    def finish(self, result: CallResult, card: Scorecard) -> None:
        self._later(db.finish_call, result, card)
        if self.mode == "exam" and self.store.engine is not None:
            self.store.submit(self._certify)

    def _certify(self) -> None:
        """After an exam call: store the certificates it earned and tell the rep."""
        tracks = self.store.certification_tracks()
        titles = {t.id: t.title for t in tracks}
        for cert in db.record_certificates(self.store.engine, self.store.user, tracks):
            if self.store.on_news:
                self.store.on_news(f"Certified: {titles.get(cert.track_id, cert.track_id)}, "
                                   f"valid until {cert.valid_until:%Y-%m-%d}")

    def abandon(self, card: Scorecard | None = None) -> None:
        """The rep quit: the call is kept as incomplete (with the scores of what was said)."""
        self._later(db.abandon_call, card)

    def wrapup(self, record: WrapUpRecord) -> None:
        """Store the complaint record with its documentation mark."""
        self.documentation = record.documentation
        self._later(db.save_wrapup, record)
