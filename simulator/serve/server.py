"""The web server of `hotseat serve`: textual-serve, with Hotseat's page and one process per tab.

What we change of textual-serve (pinned in pyproject.toml, since this reaches into it):
- the page (templates/app_index.html): no external link, addresses relative to the page;
- each tab's process gets the client's address ($HOTSEAT_SERVE_ADDRESS, for the login's
  throttle) and never the server's $HOTSEAT_USER: who is asking is whoever logs in;
- with a sign-on proxy on this machine (`user_header`), the name the proxy put in that header
  ($HOTSEAT_SERVE_PERSON): that person, without a login; a tab whose request did not come
  through the proxy, or came without the header, is refused;
- at most `max_tabs` processes at once: the next tab is told the room is full;
- the tab's process is told to quit when its WebSocket closes (the tab is closed or reloaded),
  and is killed if it has not quit a few seconds later: a closed tab leaves no session behind.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from simulator.text import printable

from . import ADDRESS_ENV, PERSON_ENV

__all__ = ["ADDRESS_ENV", "NOT_SIGNED_ON", "PERSON_ENV", "TEMPLATES", "HotseatServer",
           "is_loopback"]

log = logging.getLogger("textual-serve")

TEMPLATES = Path(__file__).resolve().parent / "templates"
NOT_SIGNED_ON = ("This Hotseat signs you in through your organisation's sign-on: open it at "
                 "the address your trainer gave you, not this one.")
"""What a tab is told that came without the sign-on proxy's word (`user_header`)."""
QUIT_GRACE = 5.0
"""Seconds a tab's process has to quit after its tab closed, before it is killed."""


def is_loopback(host: str) -> bool:
    """Is `host` reachable from this machine only?"""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _TabService(AppService):
    """One tab's Hotseat process, with its client address, the person a sign-on proxy vouched
    for (if any), and without $HOTSEAT_USER."""

    def __init__(self, *args: Any, address: str, environment: dict[str, str],
                 person: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.address = address
        self.environment = environment
        self.person = person

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(width, height)
        env.pop("HOTSEAT_USER", None)
        env.pop(PERSON_ENV, None)  # only ever the proxy's word for this tab
        env.update(self.environment)
        env[ADDRESS_ENV] = self.address
        if self.person is not None:
            env[PERSON_ENV] = self.person
        return env

    async def stop(self) -> None:
        """Ask the process to quit; kill it if it has not within QUIT_GRACE seconds."""
        process = self._process
        try:
            await asyncio.wait_for(super().stop(), QUIT_GRACE)
        except (TimeoutError, asyncio.TimeoutError):
            if process is not None and process.returncode is None:
                log.warning("a tab's Hotseat did not quit: killed")
                process.kill()
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), QUIT_GRACE)
            except (TimeoutError, asyncio.TimeoutError):
                process.kill()


class HotseatServer(Server):
    """textual-serve's server, serving `command` (one Hotseat process per tab)."""

    def __init__(self, command: str, host: str, port: int, *, environment: dict[str, str],
                 max_tabs: int = 60, behind_proxy: bool = False, user_header: str | None = None,
                 banner: str = "") -> None:
        super().__init__(command, host=host, port=port, title="Hotseat",
                         templates_path=TEMPLATES)
        self.environment = environment
        self.max_tabs = max_tabs
        self.behind_proxy = behind_proxy
        self.user_header = user_header
        """The header in which a sign-on proxy on this machine names the person (None: each
        person logs in with their Hotseat password)."""
        self.banner = banner
        self.tabs = 0

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(self.banner, markup=False, highlight=False)

    def client_address(self, request: web.Request) -> str:
        """The browser's address: the connection's, or, behind a reverse proxy on this machine
        (`behind_proxy`), the last address the proxy added to X-Forwarded-For."""
        peer = request.remote or ""
        if self.behind_proxy and is_loopback(peer):
            forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
            if forwarded:
                try:
                    return str(ipaddress.ip_address(forwarded))
                except ValueError:
                    pass
        return peer

    def signed_on(self, request: web.Request) -> str | None:
        """The person the sign-on proxy named in `user_header`: only from a connection of
        this machine's (the proxy's), never a browser's own header; None without one. The
        name is checked as any other by the tab (simulator/db/passwords.py `signed_on`)."""
        if self.user_header is None or not is_loopback(request.remote or ""):
            return None
        return request.headers.get(self.user_header, "").strip() or None

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A tab connected: start its Hotseat, pass keys in and the screen out until it closes."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _size(request.query.get("width"), 80)
        height = _size(request.query.get("height"), 24)
        service: _TabService | None = None
        try:
            await websocket.prepare(request)
            person = self.signed_on(request)
            if self.user_header is not None and person is None:
                log.warning("a tab was refused: it did not come through the sign-on proxy "
                            "(no %s header from this machine)", self.user_header)
                await websocket.send_bytes(f"\r\n  {NOT_SIGNED_ON}\r\n".encode())
                await websocket.close()
                return websocket
            if self.tabs >= self.max_tabs:
                log.warning("a tab was refused: %d tabs are open (--max-tabs)", self.tabs)
                await websocket.send_bytes(
                    b"\r\n  Hotseat is full: every seat of this room is taken. "
                    b"Try again in a moment.\r\n")
                await websocket.close()
                return websocket
            self.tabs += 1
            service = _TabService(
                self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                close=websocket.close, download_manager=self.download_manager,
                debug=self.debug, address=self.client_address(request),
                environment=self.environment, person=person)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as exc:  # noqa: BLE001 - one tab's trouble never stops the server
            log.error("a tab failed: %s", printable(str(exc), keep_newlines=False))
        finally:
            if service is not None:
                self.tabs -= 1
                await service.stop()
        return websocket


def _size(value: str | None, default: int) -> int:
    try:
        return max(10, min(int(value or default), 1000))
    except ValueError:
        return default
