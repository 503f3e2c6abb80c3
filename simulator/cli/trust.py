"""`hotseat verify`: every scorecard and certificate checked against its seal."""

from __future__ import annotations

import argparse
from typing import Any

from ..text import printable
from .common import UserError, asking, open_engine, say

__all__ = ["register"]


def register(sub: Any) -> None:
    p = sub.add_parser("verify", help="check every scorecard and certificate against its seal "
                                      "(exit 1 when one does not match)")
    p.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    from .. import db

    engine = open_engine(args)
    try:
        viewer = asking(engine, args)
        if viewer.role not in ("admin", "supervisor"):
            raise UserError(f"{viewer.name} is a {viewer.role}: only an admin or a supervisor "
                            "verifies the records")
        findings, checked = db.verify(engine)
    finally:
        engine.dispose()
    for finding in findings:
        say(printable(str(finding), keep_newlines=False))
    bad = len(findings)
    say(f"{checked} record{'s' * (checked != 1)} checked, {bad} with a seal that does not "
        f"hold" if bad else f"{checked} record{'s' * (checked != 1)} checked: every seal holds")
    return 1 if bad else 0
