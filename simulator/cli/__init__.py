"""The `hotseat` command: assembles the parser from each group of commands and runs one.

Every command returns an exit code; no traceback reaches a user.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import HotseatError
from . import records, replay, scenarios
from .common import UserError, say
from .tui import open_tui

__all__ = ["UserError", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotseat", description="Role-play trainer for customer-service representatives. "
        "With no command, opens the trainee's TUI on the bundled library.")
    parser.add_argument("--db", metavar="URL", help="database URL (default: $HOTSEAT_DB, "
                        "else sqlite:///trainees.db in the current folder)")
    parser.add_argument("--as", dest="as_user", metavar="NAME",
                        help="use Hotseat as this person (default: your login name)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in (scenarios, records, replay):
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return open_tui(args)
        return int(args.func(args))
    except HotseatError as exc:
        say(f"hotseat: error: {exc}", err=True)
        return 2
    except KeyboardInterrupt:
        say("hotseat: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
