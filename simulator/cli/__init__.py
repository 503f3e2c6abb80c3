"""The `hotseat` command: assembles the parser from each group of commands and runs one.

Every command returns an exit code; no traceback reaches a user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import HotseatError
from ..text import printable
from .common import UserError, say, with_common

__all__ = ["UserError", "build_parser", "main"]


LIGHT_COMMANDS = {"report": "records"}
"""Commands parsed with their own group of commands alone (their start counts, issue 12): the
same options, messages and help for them; any other command builds the whole parser."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotseat", description="Role-play trainer for customer-service representatives. "
        "With no command, opens the trainee's TUI on the bundled library.")
    parser.add_argument("--db", metavar="URL", help="database URL (default: $HOTSEAT_DB, "
                        "else sqlite:///trainees.db in the current folder)")
    parser.add_argument("--as", dest="as_user", metavar="NAME",
                        help="use Hotseat as this person (default: your login name)")
    parser.add_argument("--scenarios", dest="library_paths", type=Path, action="append",
                        metavar="DIR", help="more scenario folders for the TUI and every "
                        "command, added to the bundled library and $HOTSEAT_SCENARIOS "
                        "(repeatable)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_parser = sub.add_parser

    def with_options(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        """Every command also takes --db and --as after its name."""
        return add_parser(name, parents=[*kwargs.pop("parents", []), with_common()], **kwargs)
    sub.add_parser = with_options  # type: ignore[method-assign]
    if command in LIGHT_COMMANDS:
        from importlib import import_module

        import_module(f".{LIGHT_COMMANDS[command]}", __name__).register(sub)
        return parser
    # the groups of commands, imported here: the TUI alone (no command) never loads them
    from . import (
        freetext,
        people,
        records,
        replay,
        review,
        scenarios,
        serve,
        trust,
    )
    for group in (scenarios, records, replay, review, people, trust, serve, freetext):
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every problem ends as one line on standard error and an exit code
    (simulator.errors.EXIT_CODES), never a traceback. HOTSEAT_DEBUG=1 shows the traceback of an
    unexpected error."""
    args = _tui_args(sys.argv[1:] if argv is None else argv)
    if args is None:  # a command (or help, or a mistake): the whole parser
        args = build_parser(_command(sys.argv[1:] if argv is None else argv)).parse_args(argv)
    if getattr(args, "library_paths", None) and hasattr(args, "scenarios"):
        # `hotseat --scenarios DIR report`: the folders given before the command count too
        args.scenarios = [*args.library_paths, *(args.scenarios or [])]
    try:
        if args.command is None:
            from .tui import open_tui

            return open_tui(args)
        return int(args.func(args))
    except HotseatError as exc:
        return _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the file system: a disk full, a permission, a link loop
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}", 4)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback
        if type(exc).__module__.split(".")[0] == "sqlalchemy":
            from ..db import explain

            return _fail(str(explain(exc, _database(args))), 3)
        if os.environ.get("HOTSEAT_DEBUG"):
            raise
        return _fail(f"unexpected {type(exc).__name__}: {exc} (this is a bug in Hotseat: "
                     "please report it; HOTSEAT_DEBUG=1 shows where)", 70)


TUI_OPTIONS = {"--db": "db", "--as": "as_user", "--scenarios": "library_paths"}
"""The options of `hotseat` with no command (the TUI), as build_parser defines them."""


def _tui_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """`hotseat [--db URL] [--as NAME] [--scenarios DIR]...` and nothing else: the TUI's
    arguments, without importing every group of commands to build the whole parser (the
    TUI's start, issue 12). None for anything else (a command, help, a mistake): the whole
    parser takes it, with its messages."""
    args = argparse.Namespace(db=None, as_user=None, library_paths=None, command=None)
    items = list(argv)
    while items:
        name, eq, value = items.pop(0).partition("=")
        if name not in TUI_OPTIONS or (not eq and (not items or items[0].startswith("-"))):
            return None
        if not eq:
            value = items.pop(0)
        if name == "--scenarios":
            args.library_paths = [*(args.library_paths or []), Path(value)]
        else:
            setattr(args, TUI_OPTIONS[name], value)
    return args


def _command(argv: Sequence[str]) -> str | None:
    """The command named in `argv` (after the options of `hotseat` itself and their values),
    or None (help, or no command)."""
    items = list(argv)
    while items:
        item = items.pop(0)
        if item in TUI_OPTIONS:
            if items:
                items.pop(0)
            continue
        if item.startswith("-"):
            if item.partition("=")[0] in TUI_OPTIONS:
                continue
            return None  # help, or a mistake: the whole parser says so
        return item
    return None


def _fail(message: str, code: int) -> int:
    say(f"hotseat: error: {printable(message, keep_newlines=False)}", err=True)
    return code


def _database(args: argparse.Namespace) -> str:
    return getattr(args, "db", None) or os.environ.get("HOTSEAT_DB") or "sqlite:///trainees.db"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
