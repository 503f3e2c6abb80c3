"""The TUI's one door to the database (no Textual here).

Every call into `simulator.db` goes through a `Store`, which runs them one at a time, in order,
on a single background thread: the screens never wait on a disk write, and a read sees every
write submitted before it. Reads block, so screens call them from worker threads.

The database layer (SQLAlchemy, SQLModel) is imported on that thread at its first use, and the
database itself may be opened there too (`opener`): the home paints before either is loaded.
A rep's home is read before either, over the plain read path (`quick`, simulator.db.raw and
raw_home), when nothing is unusual; the database layer is loaded when a briefing opens
(`prefetch`) or a screen needs it (issue 12).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # imported at first use (on the database thread), not before the paint
    from scoring import Scorecard
    from scoring.certification import Certificate, Track
    from simulator.call import CallResult, Line
    from simulator.db import Viewer
    from simulator.db.calls import LineWriter
    from simulator.db.records import CallSummary
    from simulator.scenario import Scenario
    from simulator.standing import TrackRow
    from simulator.wrapup import WrapUpRecord

__all__ = ["CallLog", "Home", "Store"]

log = logging.getLogger(__name__)
T = TypeVar("T")


def _db() -> ModuleType:
    """simulator.db, imported at first use (on the database thread, after the first paint)."""
    from simulator import db
    return db


def _later(name: str) -> Callable[..., Any]:
    """simulator.db's function `name`, looked up when it runs (on the database thread)."""
    def run(*args: Any, **kwargs: Any) -> Any:
        return getattr(_db(), name)(*args, **kwargs)
    return run


def why(exc: BaseException) -> str:
    from simulator.db.health import why as reason
    return reason(exc)


def _read_only_note() -> str:
    from simulator.db.health import READ_ONLY
    return READ_ONLY


@dataclass(frozen=True)
class Home:
    """What a rep's home shows: the role of the person signed in, their latest calls (newest
    first), and each certification track's row."""

    role: str
    calls: list[Any]
    tracks: list[TrackRow]


class Store:
    """Database access for one user. `engine=None` runs without a database (nothing is kept).

    `opener` (instead of an engine) opens the database on the database thread at its first
    use and returns the engine and the name of the person signed in; what it raises (a bad
    URL, a refusal) is handed to `on_fatal` and ends the app. `quick` (with `opener`) opens
    the plain read path for the home's first read, before the database layer: it returns a
    `simulator.db.raw.Reader` and who is asking, or raises (`raw.Unusual`, anything) to leave
    the home to the ordinary path."""

    def __init__(self, engine: Any, user: str, scenarios: Sequence[Scenario] = (), *,
                 opener: Callable[[], tuple[Any, str]] | None = None,
                 quick: Callable[[], tuple[Any, Any]] | None = None) -> None:
        self._engine = engine
        self._opener = opener
        self._quick = quick if opener is not None else None
        self._prefetched = False
        self._open_lock = threading.Lock()
        self.failed: BaseException | None = None
        """What the opener raised: the app ends and the command line reports it."""
        self.on_fatal: Callable[[BaseException], None] | None = None
        self.user = user
        self.scenarios = list(scenarios)
        """The library: which exams count for certification (the library's own versions)."""
        self.role = "trainee"
        self.viewer: Viewer | None = None
        self.tracks: list[Track] | None = None
        """Certification tracks; None loads the bundled ones."""
        self.on_error: Callable[[str], None] | None = None
        self.on_news: Callable[[str], None] | None = None
        """Told good news from the database thread (a certificate earned)."""
        self.on_notice: Callable[[str], None] | None = None
        """Told, once, from the database thread, that calls will not be saved (read-only)."""
        self.read_only = False
        """The database can be read but not written: calls are kept in memory only."""
        self._checked = False
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hotseat-db")

    @property
    def has_db(self) -> bool:
        """Calls are kept in a database (opened already, or at first use)."""
        return self._engine is not None or self._opener is not None

    @property
    def engine(self) -> Any:
        """The database's engine, opened at first use (call on the database thread)."""
        if self._engine is None and self._opener is not None:
            with self._open_lock:
                if self._engine is None and self._opener is not None:
                    try:
                        self._engine, self.user = self._opener()
                    except BaseException as exc:
                        self.failed, self._opener = exc, None
                        if self.on_fatal is not None:
                            self.on_fatal(exc)
                        raise
        if self._engine is None and self.failed is not None:
            raise self.failed
        return self._engine

    # -- plumbing ---------------------------------------------------------------------------
    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """Run `fn` after everything submitted before it; report a failure to the rep."""
        future = self._pool.submit(fn, *args, **kwargs)
        future.add_done_callback(self._report)
        return future

    def _report(self, future: Future[Any]) -> None:
        exc = future.exception()
        if exc is not None and exc is self.failed:
            return  # the database could not be opened: the app ends, the CLI says why
        if exc is not None:
            log.error("database: %r", exc)
            self.tell_error(f"The database could not be read or written: {why(exc)}.")

    def tell_error(self, message: str) -> None:
        if self.on_error:
            self.on_error(message)

    def _read(self, fn: Callable[[], T], default: T) -> T:
        """Run a read on the database thread and wait for it; on failure (already reported to
        the rep by `_report`) return `default`, so that a screen's worker never fails."""
        try:
            return self.submit(fn).result()
        except Exception:
            return default

    def _check_writable(self) -> None:
        """On the database thread, once: a read-only database is used for reading only."""
        if self._checked:
            return
        self._checked = True
        from simulator.db.health import writable
        if not writable(self.engine):
            self.read_only = True
            if self.on_notice:
                self.on_notice("Hotseat opened your records for reading only "
                               f"({_read_only_note()}): you can practise, but your calls "
                               "will not be saved.")

    def flush(self, timeout: float | None = 10) -> None:
        """Wait until every write submitted so far is done."""
        self._pool.submit(lambda: None).result(timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _me(self) -> Viewer:
        """Who is using the TUI (signed in on the database thread at first need: a person the
        database does not know yet is added as a trainee, or is its admin when it is new)."""
        if self.viewer is None:
            self._check_writable()
            self.viewer = _db().sign_in(self.engine, self.user, create=not self.read_only)
            self.role = self.viewer.role
        return self.viewer

    def certification_tracks(self) -> list[Track]:
        """The tracks this store judges by (the bundled ones unless given; cached between
        starts, simulator.trackindex)."""
        if self.tracks is None:
            from simulator.trackindex import cached_tracks
            self.tracks = cached_tracks()
        return self.tracks

    def prefetch(self) -> None:
        """Load the database layer and open the database now, on the database thread, without
        waiting (a briefing opens: the call's first write is not slowed by it). Once; nothing
        to do when the database is open already or there is none."""
        if self._prefetched or self._opener is None or self._engine is not None:
            return
        self._prefetched = True
        self.submit(self._me)

    # -- reads (blocking: call from a worker thread) ----------------------------------------
    def sign_in(self) -> str:
        """Make sure the user exists (created as a trainee at first start); return the role."""
        if not self.has_db:
            return self.role

        def run() -> str:
            self._check_writable()
            return self._me().role
        self.role = self._read(run, self.role)
        return self.role

    def recent_calls(self, limit: int = 10) -> list[Any]:
        if not self.has_db:
            return []
        return self._read(lambda: _db().recent_calls(self.engine, self._me(), limit=limit), [])

    def certification(self, today: date, scenarios: list[Scenario]) -> list[TrackRow]:
        """Each certification track's row for this user on `today`."""
        if not self.has_db:
            return []

        def run() -> list[TrackRow]:
            from simulator.standing import track_rows
            db = _db()
            tracks = self.certification_tracks()
            if not tracks:
                return []
            calls = db.calls_of(self.engine, self._me(), [self.user])
            earned = db.stored_certificates(self.engine, self._me(), self.user)
            return track_rows(tracks, calls, earned, scenarios, today)
        return self._read(run, [])

    def home(self, today: date, scenarios: list[Scenario],
             signed_in: Callable[[str], None] | None = None, limit: int = 100) -> Home:
        """The home's data (blocking: call from a worker thread); `signed_in` is told the role
        as soon as it is known. The first time, while the database layer is not loaded yet, it
        is read over the plain read path (`quick`) when nothing is unusual; otherwise, and
        whenever the quick read cannot answer exactly (a person to add, a call to recover, a
        schema to upgrade, a read-only database, staff, any error), as before: sign_in,
        recent_calls, certification."""
        quick, self._quick = self._quick, None
        if quick is not None and self._engine is None:
            fast = self._read(lambda: self._quick_home(quick, today, scenarios, limit), None)
            if fast is not None:
                if signed_in is not None:
                    signed_in(fast.role)
                return fast
        role = self.sign_in()
        if signed_in is not None:
            signed_in(role)
        calls = self.recent_calls(limit=limit)
        return Home(role, calls, self.certification(today, scenarios))

    def _quick_home(self, quick: Callable[[], tuple[Any, Any]], today: date,
                    scenarios: list[Scenario], limit: int) -> Home | None:
        """On the database thread: the home over the plain read path, or None for the
        ordinary path (which says what is wrong, in its own words, if anything is)."""
        try:
            reader, viewer = quick()
        except Exception as exc:  # raw.Unusual, or anything: the ordinary path's to say
            log.info("home: the ordinary path (%s)", exc)
            return None
        try:
            from simulator.db.raw_home import HomeReader
            from simulator.trackindex import plain_tracks
            rows = HomeReader(reader, viewer)
            calls = rows.recent(limit)
            # the cached tracks as plain copies (no pydantic) while the cache holds them
            known = self.tracks if self.tracks is not None else plain_tracks()
            tracks = self._track_rows(rows.exams, rows.certificates, rows.calls, scenarios,
                                      today, known)
        except Exception as exc:
            log.info("home: the ordinary path (%s)", exc)
            return None
        finally:
            reader.close()
        self.user, self.role = viewer.name, str(viewer.role)
        return Home(self.role, calls, tracks)

    def _track_rows(self, exams: Callable[[], list[CallSummary]],
                    earned: Callable[[], list[Certificate]],
                    calls: Callable[[], list[CallSummary]], scenarios: list[Scenario],
                    today: date, tracks: Sequence[Any] | None = None) -> list[TrackRow]:
        """simulator.standing.track_rows of the person's calls, from their exams (all a status
        reads), then the refreshers of the tracks due from all their calls (read only then):
        standing.with_refreshers. `tracks`: what the rules read of the tracks (plain copies,
        trackindex.PlainTrack, will do); default certification_tracks()."""
        from simulator.standing import DUE, track_rows, with_refreshers
        if tracks is None:
            tracks = self.certification_tracks()
        if not tracks:
            return []
        rows = track_rows(tracks, exams(), earned(), scenarios, today)
        if any(r.status in DUE for r in rows):
            rows = with_refreshers(rows, tracks, calls(), scenarios, today)
        return rows

    def ask(self, fn: Callable[[Any, Any], T]) -> T:
        """Run `fn(engine, viewer)` on the database thread, after everything submitted before
        it, and wait for its answer (call from a worker thread): the supervisor's, replay,
        review and calibration screens' reads and writes, as the person signed in. Its
        exception (a refusal, a bad comment) is the caller's to show where it belongs; nothing
        is reported for it here."""
        if not self.has_db:
            from simulator.errors import HotseatError
            raise HotseatError("Hotseat runs without a database here: no call is kept")
        return self._pool.submit(lambda: fn(self.engine, self._me())).result()

    # -- writes (non-blocking) --------------------------------------------------------------
    def open_call(self, scenario: Scenario, mode: str) -> CallLog:
        return CallLog(self, scenario, mode)


class CallLog:
    """One call's records: started at once, each line as it happens, then finished or abandoned.

    The writes wait in order in a queue and the database thread takes them from its head. A
    write that fails stays at the head: nothing after it is tried until `retry()` succeeds, so a
    later write never overtakes an earlier one and what is stored is always a prefix of the
    call. The listener is told (from the database thread) whenever `failure` changes; the rep
    then retries, or `give_up()` ends the call as incomplete with what was saved.
    """

    def __init__(self, store: Store, scenario: Scenario, mode: str) -> None:
        self.store = store
        self.mode = mode
        self.call_id: int | None = None
        self.documentation: int | None = None
        self.listener: Callable[[CallLog], None] | None = None
        """Called from the database thread when `failure` changes."""
        self.failure: str | None = None
        """Why the oldest waiting write failed (the disk is full...); None while saving."""
        self.unsaved: str | None = None
        """Why this call is not (or no longer) being saved, for the scorecard; None: it is."""
        self.end_stored = False
        """The call's end (finished or abandoned) is committed: only its wrap-up may follow."""
        self._lock = threading.Lock()
        self._queue: deque[_Write] = deque()
        self._keep = store.has_db
        self._lines: LineWriter | None = None
        """The call's line writer, once its start is written."""
        if store.has_db and store.read_only:
            self._read_only()
        self._write(_Write("the start of the call",
                           lambda: self._start(scenario, mode)))

    # -- the queue --------------------------------------------------------------------------
    def _write(self, write: _Write) -> None:
        """Queue a write after every earlier one; start the queue unless it is stuck."""
        if not self._keep:
            return
        with self._lock:
            self._queue.append(write)
            stuck = self.failure is not None
        if not stuck:
            self.store.submit(self._drain)

    def _drain(self, retry: bool = False) -> None:
        """On the database thread: run the waiting writes in order until one fails."""
        while True:
            if self.store.read_only:
                self._read_only()
            with self._lock:
                if not self._queue or (self.failure is not None and not retry):
                    return
                write = self._queue[0]
            try:
                write.run()
            except Exception as exc:  # every failure is the rep's to know, none is fatal
                if write.optional:
                    log.error("%s failed: %s", write.what, exc)
                    self.store.tell_error(f"{write.what} could not be saved: {why(exc)}")
                else:
                    log.error("call %s: %s not saved: %s", self.call_id, write.what, exc)
                    with self._lock:
                        if self._keep:  # not given up meanwhile
                            self.failure = why(exc)
                    if self.failure is not None:
                        self._tell()
                    return
            retry = False
            with self._lock:
                if self._queue and self._queue[0] is write:
                    self._queue.popleft()
                recovered = self.failure is not None
                self.failure = None
            if recovered:
                self._tell()

    def _read_only(self) -> None:
        """The database turned out to be read-only (known at sign-in): keep nothing."""
        with self._lock:
            self._queue.clear()
            self._keep = False
        self.unsaved = f"This call was not saved: {_read_only_note()}."

    def _tell(self) -> None:
        if self.listener is not None:
            self.listener(self)

    @property
    def waiting(self) -> int:
        """How many writes wait (the failed one included)."""
        with self._lock:
            return len(self._queue)

    def retry(self) -> None:
        """Try the failed write again, then the ones after it, in order."""
        with self._lock:
            if self.failure is None:
                return
        self.store.submit(self._drain, True)

    def give_up(self) -> None:
        """Stop saving this call: what waits is dropped; a call whose end is not stored yet is
        ended as incomplete with the lines already saved (an exact prefix of the call). If even
        that cannot be written, the call stays open and the next start marks it incomplete."""
        with self._lock:
            reason = self.failure or "the database failed"
            self._queue.clear()
            self._keep = False
            self.failure = None
            ended = self.end_stored
        if ended:
            self.unsaved = f"The wrap-up was not saved: {reason}."
            return
        if self.call_id is None:  # its start is not written: nothing of it is stored
            self.unsaved = f"This call was not saved ({reason}): nothing of it is in your record."
        else:
            self.unsaved = (f"This call was not saved in full ({reason}): it is in your record "
                            "as incomplete, with the lines saved before that.")
        self.store.submit(self._abandon_saved, reason)

    def _abandon_saved(self, reason: str) -> None:
        if self.call_id is None or self.end_stored:
            return  # never started (nothing stored), or its end got through after all
        try:
            _db().abandon_call(self.store.engine, self.call_id,
                            reason=f"The call could not be saved in full ({reason})")
            self.end_stored = True
        except Exception as exc:  # still failing: recover_interrupted marks it at next start
            log.error("call %s: could not be marked incomplete: %s", self.call_id, exc)

    # -- the writes ---------------------------------------------------------------------------
    def _start(self, scenario: Scenario, mode: str) -> None:
        db = _db()
        self.call_id = db.start_call(self.store.engine, self.store.user, scenario, mode=mode)
        from simulator.db.calls import LineWriter
        self._lines = LineWriter(self.store.engine, self.call_id, next_idx=0)  # a new call

    def _on_call(self, write: Callable[..., Any], *args: Any) -> Callable[[], None]:
        def run() -> None:
            assert self.call_id is not None  # the start is written first, or nothing is
            write(self.store.engine, self.call_id, *args)
        return run

    def _ending(self, write: Callable[..., Any], *args: Any) -> Callable[[], None]:
        run = self._on_call(write, *args)

        def end() -> None:
            run()
            self.end_stored = True
        return end

    def line(self, line: Line, idx: int) -> None:
        """Store line `idx` of the call (its position in the call's transcript)."""
        def run() -> None:
            assert self._lines is not None  # the start is written first, or nothing is
            self._lines.write(line, idx)
        self._write(_Write(f"line {idx + 1}", run))

    def finish(self, result: CallResult, card: Scorecard) -> None:
        self._write(_Write("the end of the call",
                           self._ending(_later("finish_call"), result, card)))
        if self.mode == "exam":
            self._write(_Write("A certificate", self._certify, optional=True))

    def _certify(self) -> None:
        """After an exam call: store the certificates it earned and tell the rep."""
        tracks = self.store.certification_tracks()
        titles = {t.id: t.title for t in tracks}
        for cert in _db().record_certificates(self.store.engine, self.store.user, tracks,
                                           self.store.scenarios):
            if self.store.on_news:
                self.store.on_news(f"Certified: {titles.get(cert.track_id, cert.track_id)}, "
                                   f"valid until {cert.valid_until:%Y-%m-%d}")

    def abandon(self, card: Scorecard | None = None) -> None:
        """The rep quit: the call is kept as incomplete (with the scores of what was said)."""
        self._write(_Write("the end of the call", self._ending(_later("abandon_call"), card)))

    def wrapup(self, record: WrapUpRecord) -> None:
        """Store the complaint record with its documentation mark."""
        self.documentation = record.documentation
        self._write(_Write("the wrap-up", self._on_call(_later("save_wrapup"), record)))


@dataclass(frozen=True)
class _Write:
    """One write of a call, waiting its turn. An optional one (a certificate) that fails is
    reported and skipped; any other stops the queue until it is retried or given up."""

    what: str
    run: Callable[[], None]
    optional: bool = False
