"""Tamper evidence: every scorecard and certificate carries an HMAC made with the site's key.

The key is created at first use in a file outside the database, readable only by the account
that owns it ($HOTSEAT_SEAL_KEY, else ~/.config/hotseat/seal.key, mode 0600). A score edited in
the database, or a certificate inserted by hand, no longer matches its seal, and `hotseat verify`
says so. What this does and does not protect against is in docs/reviewing-a-team.md ("Records
you can verify").

The seal of a call covers its identity (who, which scenario file, which rubric, when) and its
whole scorecard (outcome, level, scores, failures, every event); the seal of a certificate covers
its fields and the seals of the calls it rests on.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import DatabaseError


def _key_error(message: str) -> DatabaseError:
    """A DatabaseError (its module, SQLAlchemy's, imported only when a key is unusable: the
    fast read path, simulator.db.raw, checks seals without it)."""
    from .engine import DatabaseError

    return DatabaseError(message)

__all__ = ["KEY_ENV", "calibration_seal", "call_seal", "certificate_seal", "key_file",
           "quotient_seal", "review_seal", "scorecard_seal", "site_key", "xapi_account"]

KEY_ENV = "HOTSEAT_SEAL_KEY"
"""Where the site key is kept, when not ~/.config/hotseat/seal.key."""

_cache: dict[Path, bytes] = {}


def key_file() -> Path:
    given = os.environ.get(KEY_ENV)
    if given:
        return Path(given)
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "hotseat" / "seal.key"


def site_key() -> bytes:
    """The site's key: read from its file, created there (0600) at first use."""
    path = key_file()
    if path in _cache:
        return _cache[path]
    try:
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32) + "\n")
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise _key_error(f"the seal key {path} may be read by others "
                                f"(mode {stat.filemode(mode)}): make it yours alone with "
                                f"`chmod 600 {path}`")
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileExistsError:  # another process created it a moment ago
        return site_key()
    except (OSError, ValueError) as exc:
        raise _key_error(f"the seal key {path} cannot be used: {exc}") from None
    if len(key) < 16:
        raise _key_error(f"the seal key {path} is too short: delete it to make a new one "
                            "(every record must then be sealed again)")
    _cache[path] = key
    return key


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def _mac(kind: str, fields: dict[str, Any]) -> str:
    text = json.dumps({"kind": kind, **_canonical(fields)}, sort_keys=True,
                      ensure_ascii=True, separators=(",", ":"))
    return hmac.new(site_key(), text.encode("ascii"), hashlib.sha256).hexdigest()


CALL_FIELDS = ("id", "trainee_id", "scenario_id", "scenario_hash", "seat", "mode",
               "rubric_version", "started", "ended", "outcome", "level", "empathy", "resolution",
               "escalation", "policy", "overall", "passed", "failures")
"""The columns of a call its seal covers (with its score events)."""


def call_seal(call: Any, events: Iterable[Sequence[Any]]) -> str:
    """The seal of a call (a `Call` row, or anything with its fields) and its score events,
    each as (turn, dimension, points, reason, rule), in the scorecard's order."""
    fields = {name: getattr(call, name) for name in CALL_FIELDS}
    fields["passed"] = None if fields["passed"] is None else bool(fields["passed"])
    fields["events"] = [list(e) for e in events]
    return _mac("call", fields)


CERTIFICATE_FIELDS = ("trainee_id", "track_id", "earned_on", "valid_until", "refresher_due_on",
                      "call_id", "rests_on")


def certificate_seal(certificate: Any, call_seals: Sequence[str | None]) -> str:
    """The seal of a certificate row and the seals of the calls it rests on, in order."""
    fields = {name: getattr(certificate, name) for name in CERTIFICATE_FIELDS}
    fields["calls"] = list(call_seals)
    return _mac("certificate", fields)


SCORECARD_FIELDS = ("call_id", "rubric_version", "overall", "passed", "empathy", "resolution",
                    "escalation", "policy", "failures", "events", "made_by", "made_at")


def scorecard_seal(card: Any) -> str:
    """The seal of a later scorecard row (adopted with `rescore --adopt`)."""
    return _mac("scorecard", {name: getattr(card, name) for name in SCORECARD_FIELDS})


REVIEW_FIELDS = ("id", "call_id", "turn", "kind", "text", "verdict", "made_by", "made_at")


def review_seal(review: Any, previous: str | None) -> str:
    """The seal of an entry of a call's review log (a `Review` row), chained to the seal of the
    call's previous entry (None for the first): an entry removed from the middle of the log, or
    one moved to another call, breaks the chain."""
    fields = {name: getattr(review, name) for name in REVIEW_FIELDS}
    fields["previous"] = previous
    return _mac("review", fields)


CALIBRATION_FIELDS = ("id", "call_id", "made_by", "made_at", "empathy", "resolution",
                      "escalation", "policy", "passed")


def calibration_seal(calibration: Any) -> str:
    """The seal of a supervisor's blind scores of a call (a `Calibration` row)."""
    return _mac("calibration", {name: getattr(calibration, name) for name in CALIBRATION_FIELDS})


QUOTIENT_FIELDS = ("id", "team", "made_by", "made_at", "answers", "total")


def quotient_seal(quotient: Any) -> str:
    """The seal of a team's customer-service quotient (a `Quotient` row)."""
    return _mac("quotient", {name: getattr(quotient, name) for name in QUOTIENT_FIELDS})


def xapi_account(person_id: int) -> str:
    """The opaque name of a person in an xAPI export: stable for the site (an HMAC of their
    number with the site key), and no way back to the person without the key."""
    return _mac("xapi-account", {"person": person_id})[:32]
