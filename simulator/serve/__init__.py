"""Hotseat in a browser (`hotseat serve`): textual-serve runs one Hotseat process per browser
tab, each opening at a login screen, all on one database.

- app.py: the served app, a HotseatApp that opens at the login (no operating-system login, no
  $HOTSEAT_USER) and, once the person is known, their home exactly as in a terminal.
- server.py: the web server (textual-serve, imported only there), our own page without any
  external link, each tab's client address handed to its process for the login's throttle.
"""

ADDRESS_ENV = "HOTSEAT_SERVE_ADDRESS"
"""The client address of a tab, for its process (the login slows failures per address)."""

PERSON_ENV = "HOTSEAT_SERVE_PERSON"
"""The name a sign-on proxy vouched for (`hotseat serve --user-header`), for the tab's process:
that person, without the login. Set by the server for each tab, never taken from its own
environment."""
