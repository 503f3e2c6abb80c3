"""`hotseat serve`: Hotseat in a browser for a training room (textual-serve, one process a tab).

`hotseat serve [--host 127.0.0.1] [--port 8000] [--db URL] [--scenarios DIR]` checks the
database and the library once, then serves the page; each browser tab gets a Hotseat process of
its own (`hotseat serve --tab`, started by the server, never by a person) on the shared
database, opening at the login screen. textual-serve is an optional extra (`hotseat[serve]`):
it is imported only here, only when serving.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path
from typing import Any

from ..text import printable
from .common import SCENARIOS_ENV, UserError, library, open_engine, say

__all__ = ["register"]

LOOPBACK = "127.0.0.1"
HEADER_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a port (a number from 1 to "
                                         "65535)")
    return int(text)


def _tabs(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a number of tabs (1 to 1000)")
    return int(text)


def _header(text: str) -> str:
    if not text or len(text) > 64 or any(c not in HEADER_CHARS for c in text):
        raise argparse.ArgumentTypeError(f"{printable(text[:40], keep_newlines=False)!r} is "
                                         "not an HTTP header's name (letters, digits, -)")
    return text


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="serve Hotseat to browsers (a login for each tab): "
                                     "a training room with nothing installed on the laptops")
    p.add_argument("--host", default=LOOPBACK,
                   help="the address to listen on (default: 127.0.0.1, this machine only; "
                        "anything else is served without TLS: put a reverse proxy in front)")
    p.add_argument("--port", type=_port, default=8000, help="default: 8000")
    p.add_argument("--scenarios", dest="library_paths", type=Path, action="append",
                   metavar="DIR", default=argparse.SUPPRESS,
                   help="more scenario folders, added to the bundled library (repeatable)")
    p.add_argument("--max-tabs", type=_tabs, default=60, metavar="N",
                   help="at most this many tabs (Hotseat processes) at once (default: 60)")
    p.add_argument("--behind-proxy", action="store_true",
                   help="a reverse proxy on this machine forwards the browsers: take each "
                        "one's address from the proxy's X-Forwarded-For (for the login's "
                        "slowing of failures per address)")
    p.add_argument("--user-header", metavar="HEADER", type=_header,
                   help="with --behind-proxy: the proxy signs people on and names the person "
                        "in this header (e.g. X-Forwarded-User); no Hotseat password is "
                        "asked, and a tab that did not come through the proxy is refused")
    p.add_argument("--tab", action="store_true", help=argparse.SUPPRESS)  # the server's child
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    if getattr(args, "as_user", None) is not None:
        raise UserError("serve takes no --as: in a browser, who is asking is whoever logs in")
    if args.tab:
        return run_tab(args)
    return run_server(args)


def _absolute_sqlite(url: str) -> str:
    """A relative SQLite path made absolute: every tab's process opens the same file."""
    from .. import db

    parsed = db.parse_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and \
            not os.path.isabs(parsed.database) and not parsed.database.startswith("file:"):
        return parsed.set(database=os.path.abspath(parsed.database)).render_as_string(
            hide_password=False)
    return url


def run_server(args: argparse.Namespace) -> int:
    from .. import db
    from ..db.passwords import has_any_password
    from ..db.people import anyone

    try:
        from ..serve.server import HotseatServer, is_loopback
    except ImportError as exc:
        raise UserError(f"hotseat serve needs textual-serve ({exc}): install it with "
                        "pip install 'hotseat[serve]'") from None
    if args.user_header is not None and not args.behind_proxy:
        raise UserError("--user-header trusts a header only a sign-on proxy on this machine may "
                        "set: say so with --behind-proxy too (docs/classroom.md)")
    paths = [p.resolve() for p in getattr(args, "library_paths", None) or []]
    lib = library(paths)  # its errors are said once, here
    if not lib.scenarios:
        raise UserError("no scenario to serve: the library is empty")
    url = _absolute_sqlite(db.resolve_url(getattr(args, "db", None)))
    args.db = url
    engine = open_engine(args)  # made or upgraded now, before any tab opens it
    try:
        if db.is_read_only(engine):
            raise UserError(f"{db.shown_url(url)} is read-only: a served Hotseat must keep "
                            "the calls")
        nobody = not has_any_password(engine)
        if args.user_header is not None and not anyone(engine):
            raise UserError("nobody is in the records yet, and the first person in becomes "
                            "their admin: start Hotseat once in a terminal as that person "
                            "before serving with a sign-on proxy")
    finally:
        engine.dispose()
    environment = {"HOTSEAT_DB": url}
    site = [*os.environ.get(SCENARIOS_ENV, "").split(os.pathsep), *map(str, paths)]
    environment[SCENARIOS_ENV] = os.pathsep.join(p for p in site if p.strip())
    command = shlex.join([sys.executable, "-m", "simulator", "serve", "--tab"])
    shown = f"[{args.host}]" if ":" in args.host else args.host
    who = ("the person the sign-on proxy names" if args.user_header is not None
           else "a login")
    banner = (f"Hotseat on http://{shown}:{args.port}/ : {who}, then a Hotseat of its own "
              f"for each tab, on {db.shown_url(url)}. Ctrl+C stops it.")
    if not is_loopback(args.host):
        say(printable(f"hotseat: warning: serving on {args.host} without TLS: names, "
                      "passwords and calls cross the network in clear. Put a reverse proxy "
                      "with TLS in front (docs/classroom.md).", keep_newlines=False), err=True)
    if args.user_header is not None:
        say(f"hotseat: note: people are signed on by the proxy, named in its {args.user_header} "
            "header; no Hotseat password is asked", err=True)
    elif nobody:
        say("hotseat: note: nobody has a password yet, so nobody can log in: set one with "
            "`hotseat people passwd NAME`", err=True)
    server = HotseatServer(command, args.host, args.port, environment=environment,
                           max_tabs=args.max_tabs, behind_proxy=args.behind_proxy,
                           user_header=args.user_header,
                           banner=printable(banner, keep_newlines=False))
    server.serve()
    return 0


def run_tab(args: argparse.Namespace) -> int:
    """One tab's Hotseat (started by the server): the login, then the app as in a terminal."""
    from ..db.passwords import change_own_password, log_in, signed_on
    from ..serve import ADDRESS_ENV, PERSON_ENV
    from ..serve.app import make_served_app

    lib = library()  # the server gave its folders in $HOTSEAT_SCENARIOS
    engine = open_engine(args)
    address = os.environ.get(ADDRESS_ENV) or None
    person = os.environ.get(PERSON_ENV)  # the sign-on proxy's word, passed on by the server
    app = make_served_app(
        lib, engine, lambda name, password: log_in(engine, name, password, address),
        None if person is not None else
        lambda name, current, new: change_own_password(engine, name, current, new, address),
        None if person is None else lambda: signed_on(engine, person))
    try:
        app.run()
    finally:
        app.store.close()
        engine.dispose()
    return app.return_code or 0
