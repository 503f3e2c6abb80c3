"""Certification for the home screen: each track's status and what to take next (no Textual).

Runs on the store's database thread (see store.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from scoring.certification import Status, propose_refresher, track_status

from .store import TrackRow

__all__ = ["load_tracks", "record_earned", "track_rows"]


def load_tracks() -> list[Any]:
    """The bundled certification tracks (scenarios/tracks/*.yaml); none when unavailable."""
    try:
        from simulator import tracks
    except ImportError:
        return []
    loaded: Any = tracks.load_tracks()
    return list(getattr(loaded, "tracks", loaded))


def track_rows(engine: Any, user: str, today: date, scenarios: list[Any],
               tracks: list[Any] | None = None) -> list[TrackRow]:
    from simulator import db

    tracks = load_tracks() if tracks is None else tracks
    if not tracks:
        return []
    calls: list[Any] = db.calls_of(engine, [user])
    stored = getattr(db, "stored_certificates", None)
    earned = stored(engine, user) if stored else []
    rows = []
    for track in tracks:
        st = track_status(track, calls, today, earned=earned)
        proposed = None
        if st.status in (Status.REFRESHER_DUE, Status.EXPIRED):
            ids = propose_refresher(track, calls, scenarios, today, k=1)
            proposed = ids[0] if ids else None
        elif st.status != Status.CERTIFIED:
            proposed = _meets(track, st.missing, scenarios)
        done = len(track.requires) - len(st.missing)
        progress = (f"{done}/{len(track.requires)} passed"
                    if st.status in (Status.IN_PROGRESS, Status.NOT_STARTED,
                                     Status.REFRESHER_DUE, Status.EXPIRED) else "")
        rows.append(TrackRow(track.title, st.status, st.valid_until, st.refresher_due_on,
                             st.days_left, progress, proposed))
    return rows


def _meets(track: Any, missing: tuple[str, ...], scenarios: list[Any]) -> str | None:
    """The easiest scenario that meets a requirement still missing."""
    wanted = [r for r in track.requires if r.label in missing]
    fits = sorted((s for s in scenarios if s.role == track.role and any(
        s.id == r.scenario if r.scenario else s.persona == r.persona for r in wanted)),
        key=lambda s: (s.difficulty, s.title))
    return str(fits[0].id) if fits else None


def record_earned(engine: Any, user: str, tracks: list[Any] | None = None) -> list[str]:
    """After an exam call: store the certificates it earned; return them in plain words."""
    from simulator import db

    record = getattr(db, "record_certificates", None)
    tracks = load_tracks() if tracks is None else tracks
    if record is None or not tracks:
        return []
    titles = {t.id: t.title for t in tracks}
    return [f"Certified: {titles.get(c.track_id, c.track_id)}, valid until "
            f"{c.valid_until:%Y-%m-%d}" for c in record(engine, user, tracks)]
