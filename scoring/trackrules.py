"""What a certification requirement means: the rules shared by the track model
(scoring/trackmodel.py, pydantic) and any plain copy of a track (simulator/trackindex.py, which
the TUI's home reads before pydantic is imported: issue 12). Pure: no pydantic here."""

from __future__ import annotations

from typing import Protocol

__all__ = ["SLUG", "requirement_label", "requirement_met"]

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class _Named(Protocol):
    @property
    def scenario_id(self) -> str: ...
    @property
    def persona(self) -> str: ...


class _Requirement(Protocol):
    @property
    def scenario(self) -> str | None: ...
    @property
    def persona(self) -> str | None: ...


def requirement_label(req: _Requirement) -> str:
    """How a requirement is named: "scenario ID" or "persona NAME"."""
    return f"scenario {req.scenario}" if req.scenario else f"persona {req.persona}"


def requirement_met(req: _Requirement, call: _Named) -> bool:
    """A call on the requirement's scenario, or on a scenario of its persona."""
    if req.scenario is not None:
        return call.scenario_id == req.scenario
    return call.persona == req.persona
