"""Free-text lines in trainees.db (issue 15): a Line's `typed` to and from the columns of
`turns` (migration 0008), and the stored matches merged into a call's picks, so that rescoring
and replays play them again exactly (never matching again, with whatever engine is here)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..call import Typed, TypedPick
from .tables import Turn

__all__ = ["merge_typed", "typed_columns", "typed_from"]


def typed_columns(typed: Typed | None) -> dict[str, Any]:
    """The columns of a line's `typed` (all None for a reply picked from the list)."""
    if typed is None:
        return {"typed": None, "match_engine": None, "match_decision": None,
                "similarity": None, "typed_tags": None, "typed_notes": None}
    return {"typed": typed.text, "match_engine": typed.engine,
            "match_decision": typed.decision, "similarity": typed.similarity,
            "typed_tags": " ".join(typed.tags) or None,
            "typed_notes": "\n".join(typed.notes) or None}


def typed_from(row: Any) -> Typed | None:
    """A stored line's `typed` (None when the reply was picked from the list)."""
    text = getattr(row, "typed", None)
    if text is None:
        return None
    tags = tuple((row.typed_tags or "").split())
    notes = tuple((row.typed_notes or "").splitlines())
    return Typed(text, row.match_engine or "", row.match_decision or "match", row.similarity,
                 tags, notes)


def merge_typed(conn: sa.Connection, ids: list[int],
                picks: dict[int, list[tuple[int, Any]]], *,
                span: tuple[int, int] | None = None) -> None:
    """Put the stored typed lines of these calls into their picks, `(idx, pick)` in line order:
    a typed reply that played an option replaces its plain pick, one that matched none is added
    (one query for all, from the small ix_turns_typed index). `span`: the calls are read by
    their range of ids instead (one query; lines of calls not in `picks` are left out)."""
    turns = Turn.__table__  # type: ignore[attr-defined]
    found: dict[int, dict[int, TypedPick]] = {}
    if span is None:
        conditions = [turns.c.call_id.in_(ids[i:i + 500]) for i in range(0, len(ids), 500)]
    else:
        conditions = [turns.c.call_id.between(*span)]
    for condition in conditions:
        for row in conn.execute(
                sa.select(turns.c.call_id, turns.c.idx, turns.c.option, turns.c.typed,
                          turns.c.match_engine, turns.c.match_decision, turns.c.similarity,
                          turns.c.typed_tags, turns.c.typed_notes)
                .where(condition, turns.c.typed.is_not(None), turns.c.speaker == "trainee")):
            if span is not None and row.call_id not in picks:
                continue
            typed = typed_from(row)
            assert typed is not None
            found.setdefault(row.call_id, {})[row.idx] = TypedPick(row.option, typed)
    for call_id, typed_lines in found.items():
        plain = [(idx, pick) for idx, pick in picks.get(call_id, []) if idx not in typed_lines]
        picks[call_id] = sorted([*plain, *typed_lines.items()], key=lambda item: item[0])
