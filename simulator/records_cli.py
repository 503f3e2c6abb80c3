"""Commands that read and write trainees.db (report, rescore, play --trainee).

Placeholder until simulator/db.py lands: it registers no command yet.
"""

from __future__ import annotations

import argparse
from typing import Any

from .errors import UserError

__all__ = ["record_played_call", "register"]


def register(sub: Any) -> None:
    """Add the database commands to the `hotseat` parser."""


def record_played_call(args: argparse.Namespace, scenario: Any, result: Any, card: Any) -> None:
    raise UserError("recording calls needs the database module, which is not installed yet")
