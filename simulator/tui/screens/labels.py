"""Short words the supervisor's screens share (the overview and a trainee's page), kept apart so
that neither screen imports the other."""

from __future__ import annotations

from scoring.certification import Status

__all__ = ["SHORT", "STATUS_WORDS"]

SHORT = {"empathy": "Emp", "resolution": "Res", "escalation": "Esc", "policy": "Pol"}
STATUS_WORDS = {
    Status.NOT_STARTED: "not started", Status.IN_PROGRESS: "in progress",
    Status.CERTIFIED: "certified", Status.REFRESHER_DUE: "refresher due",
    Status.EXPIRED: "expired",
}
