"""xAPI (Experience API 1.0.3) statements for a learning record store: one per call.

Pure: it turns a stored call (anything with the fields of `XapiCall`: simulator.db.CallSummary
has them) into a statement; no database, no UI. The person is an account with an opaque name
(simulator.db.seal.xapi_account), never their name or login. The verb:

- an exam that ended (resolved, escalated or lost): `passed` or `failed` by its verdict, a
  supervisor's override counting (the scorer's own result is kept in an extension);
- a practice, scripted or playtest call that ended: `completed` (it was not an assessment);
- a call left unfinished (`incomplete`): `attempted`, with completion false.
A call still under way has no statement yet (`statement` returns None).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import quote

from scoring.certification import CallLike

__all__ = ["ACTIVITY_TYPE", "DEFAULT_HOME", "VERBS", "XapiCall", "duration", "extension",
           "statement", "titles"]

DEFAULT_HOME = "https://hotseat.invalid"
"""The homePage of the accounts and the root of every IRI, unless `--xapi-home` says."""
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {name: ADL + name for name in ("passed", "failed", "completed", "attempted")}
"""The ADL verbs a statement uses, by name."""
ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/simulation"
_ENDED = ("resolved", "escalated", "lost")


class XapiCall(CallLike, Protocol):
    """What a statement reads of a stored call: what certification reads, and these."""

    @property
    def id(self) -> int: ...
    @property
    def ended(self) -> datetime | None: ...
    @property
    def override(self) -> bool | None: ...
    @property
    def rubric_version(self) -> str: ...


def extension(home: str, name: str) -> str:
    """The IRI of one of Hotseat's extensions under the home page."""
    return f"{home.rstrip('/')}/xapi/{name}"


def duration(started: datetime, ended: datetime) -> str:
    """An ISO 8601 duration, `PT1H2M3S`, to the whole second (`PT0S` at least)."""
    seconds = max(0, int((ended - started).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text + (f"{secs}S" if secs or text == "PT" else "")


def _utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _verb(call: XapiCall) -> str:
    if call.outcome == "incomplete":
        return "attempted"
    if call.mode != "exam":
        return "completed"
    verdict = call.passed if call.override is None else call.override
    return "passed" if verdict else "failed"


def statement(call: XapiCall, account: str, *, home: str = DEFAULT_HOME,
              title: str | None = None, language: str = "en",
              description: str | None = None) -> dict[str, Any] | None:
    """The statement of one call by the person whose opaque account name is `account`; None
    for a call still under way. `title`, `language` and `description`: the scenario's, for the
    activity's definition (its id when the title is not known)."""
    if call.outcome is None or call.ended is None:
        return None
    home = home.rstrip("/")
    verb = _verb(call)
    finished = call.outcome in _ENDED
    verdict = call.passed if call.override is None else call.override
    result: dict[str, Any] = {"success": bool(verdict), "completion": finished,
                              "duration": duration(call.started, call.ended)}
    if call.overall is not None:
        result["score"] = {"scaled": round(call.overall / 100, 4), "raw": call.overall,
                           "min": 0, "max": 100}
    if call.dimensions:
        result["extensions"] = {extension(home, f"dimensions/{d}"): v
                                for d, v in call.dimensions.items()}
    definition: dict[str, Any] = {"name": {language: title or call.scenario_id},
                                  "type": ACTIVITY_TYPE}
    if description:
        definition["description"] = {language: description}
    context: dict[str, Any] = {
        "platform": "Hotseat",
        "extensions": {extension(home, "rubric-version"): call.rubric_version,
                       extension(home, "mode"): call.mode,
                       extension(home, "outcome"): call.outcome,
                       extension(home, "call"): call.id}}
    if call.override is not None:
        context["extensions"][extension(home, "scorer-passed")] = bool(call.passed)
        context["extensions"][extension(home, "override")] = "passed" if call.override \
            else "failed"
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{home}/calls/{call.id}/{account}")),
        "actor": {"objectType": "Agent", "account": {"homePage": home, "name": account}},
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {"objectType": "Activity",
                   "id": f"{home}/scenarios/{quote(call.scenario_id, safe='')}",
                   "definition": definition},
        "result": result,
        "context": context,
        "timestamp": _utc(call.started),
    }


def titles(scenarios: Mapping[str, Any]) -> dict[str, tuple[str, str, str | None]]:
    """Each scenario's (title, language, summary), for `statement`, by id."""
    return {sid: (s.title, getattr(s, "locale", "en") or "en", getattr(s, "summary", None))
            for sid, s in scenarios.items()}
