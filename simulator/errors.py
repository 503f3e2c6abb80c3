"""Errors a command reports to the user in one line, without a traceback."""

__all__ = ["UserError"]


class UserError(Exception):
    """A mistake in what the user asked for: printed as `hotseat: error: ...`, exit 2."""
