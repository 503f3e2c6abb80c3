"""The one exception every layer raises for a problem the user can act on.

The command line prints it as `hotseat: error: ...` (no traceback); the TUI shows it in a dialog.
"""

__all__ = ["HotseatError"]


class HotseatError(Exception):
    """A problem told to the user in one line: what is wrong and where."""
