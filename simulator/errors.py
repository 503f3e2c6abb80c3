"""The one exception every layer raises for a problem the user can act on, and its exit codes.

The command line prints it as `hotseat: error: ...` (one line, no traceback) and exits with the
code of its kind; the TUI shows it in a dialog.
"""

__all__ = ["EXIT_CODES", "HotseatError"]

EXIT_CODES = {
    0: "success (a call played, whatever its score; no validation error)",
    1: "validation errors, rescoring differences, records that fail verification",
    2: "what was asked is wrong: an argument, a pick, a name, a file that does not exist",
    3: "the database cannot be used: damaged, not a database, locked, read-only, disk full",
    4: "a file or folder cannot be read or written (permissions, disk full, a link loop)",
    70: "an unexpected error inside Hotseat (a bug: please report it)",
    130: "interrupted (Ctrl+C)",
}
"""Every exit code of `hotseat`, documented in the README."""


class HotseatError(Exception):
    """A problem told to the user in one line: what is wrong and where."""

    exit_code = 2
