"""`hotseat serve` without a browser: the command's checks and warnings, the tab's environment
(never the server's $HOTSEAT_USER), the client's address behind a proxy. The end-to-end tests in
Chromium are in tests/browser."""

from __future__ import annotations

import os
from typing import Any

import pytest
from dbhelpers import ADMIN, run_as

pytest.importorskip("textual_serve", reason="the serve extra: pip install -e '.[serve]'")

from aiohttp.test_utils import make_mocked_request  # noqa: E402

from simulator import db  # noqa: E402
from simulator.db.passwords import set_password  # noqa: E402
from simulator.serve import ADDRESS_ENV, PERSON_ENV  # noqa: E402
from simulator.serve.server import (  # noqa: E402
    NOT_SIGNED_ON,
    HotseatServer,
    _TabService,
    is_loopback,
)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[HotseatServer]:
    """HotseatServer.serve does not serve: the servers made are kept to look at."""
    made: list[HotseatServer] = []
    monkeypatch.setattr(HotseatServer, "serve", lambda self: made.append(self))
    return made


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.8.0.1", True),
    ("0.0.0.0", False), ("192.0.2.7", False), ("::", False), ("hotseat.example.org", False)])
def test_what_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serving_on_loopback_says_where_and_warns_of_no_password(
        capsys: Any, monkeypatch: Any, sqlite_url: str, served: list[HotseatServer]) -> None:
    code, out, err = run_as(capsys, monkeypatch, ADMIN, "serve", "--db", sqlite_url,
                            "--port", "8123")
    assert code == 0 and "without TLS" not in err
    assert "nobody has a password yet" in err and "hotseat people passwd NAME" in err
    [server] = served
    assert (server.host, server.port, server.max_tabs) == ("127.0.0.1", 8123, 60)
    assert server.environment["HOTSEAT_DB"] == sqlite_url
    assert "http://127.0.0.1:8123/" in server.banner and "-m simulator serve --tab" in \
        server.command


def test_serving_beyond_loopback_warns_about_tls(capsys: Any, monkeypatch: Any,
                                                 sqlite_url: str,
                                                 served: list[HotseatServer]) -> None:
    engine = db.make_engine(sqlite_url)
    set_password(engine, db.sign_in(engine, ADMIN), ADMIN, "correct horse battery")
    engine.dispose()
    code, _, err = run_as(capsys, monkeypatch, ADMIN, "serve", "--db", sqlite_url,
                          "--host", "0.0.0.0")
    assert code == 0
    assert "warning: serving on 0.0.0.0 without TLS" in err and "reverse proxy" in err
    assert "nobody has a password" not in err


def test_a_relative_sqlite_file_is_made_absolute_for_the_tabs(
        capsys: Any, monkeypatch: Any, tmp_path: Any, served: list[HotseatServer]) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run_as(capsys, monkeypatch, ADMIN, "serve", "--db", "sqlite:///room.db")
    assert code == 0, err
    assert served[0].environment["HOTSEAT_DB"] == f"sqlite:///{tmp_path / 'room.db'}"


@pytest.mark.parametrize("argv, says", [
    (["--as", "ann"], "serve takes no --as"),
    (["--port", "0"], "is not a port"),
    (["--port", "http"], "is not a port"),
    (["--max-tabs", "0"], "is not a number of tabs"),
    (["--db", "sqlite://"], "in-memory database"),
])
def test_what_serve_refuses(capsys: Any, monkeypatch: Any, sqlite_url: str, argv: list[str],
                            says: str, served: list[HotseatServer]) -> None:
    argv = argv if "--db" in argv else [*argv, "--db", sqlite_url]
    code, _, err = run_as(capsys, monkeypatch, ADMIN, "serve", *argv)
    assert code == 2 and says in err and "Traceback" not in err
    assert served == []


def test_a_tab_never_gets_the_servers_hotseat_user(monkeypatch: Any) -> None:
    monkeypatch.setenv("HOTSEAT_USER", ADMIN)

    async def nothing(*_: Any) -> None:
        return None
    service = _TabService("true", write_bytes=nothing, write_str=nothing, close=nothing,
                          download_manager=None, address="192.0.2.7",  # type: ignore[arg-type]
                          environment={"HOTSEAT_DB": "sqlite:////srv/room.db"})
    env = service._build_environment(100, 30)
    assert "HOTSEAT_USER" not in env and os.environ["HOTSEAT_USER"] == ADMIN
    assert env[ADDRESS_ENV] == "192.0.2.7" and env["HOTSEAT_DB"] == "sqlite:////srv/room.db"
    assert env["TEXTUAL_DRIVER"].endswith("WebDriver") and env["COLUMNS"] == "100"


class _Transport:
    def __init__(self, peer: str) -> None:
        self.peer = peer

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return (self.peer, 50000) if name == "peername" else default


@pytest.mark.parametrize("behind, peer, forwarded, address", [
    (False, "192.0.2.7", "203.0.113.9", "192.0.2.7"),      # no proxy: the header is ignored
    (True, "127.0.0.1", "10.1.1.1, 203.0.113.9", "203.0.113.9"),  # the proxy's last entry
    (True, "192.0.2.7", "203.0.113.9", "192.0.2.7"),      # not from this machine: ignored
    (True, "127.0.0.1", "not an address", "127.0.0.1"),
    (True, "127.0.0.1", "", "127.0.0.1"),
])
def test_the_client_address_behind_a_proxy(behind: bool, peer: str, forwarded: str,
                                            address: str) -> None:
    server = HotseatServer("true", "127.0.0.1", 8000, environment={}, behind_proxy=behind)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    request = make_mocked_request("GET", "/ws", headers=headers, transport=_Transport(peer))
    assert server.client_address(request) == address


def test_the_page_has_no_external_link() -> None:
    from simulator.serve.server import TEMPLATES

    page = (TEMPLATES / "app_index.html").read_text(encoding="utf-8")
    assert "http://" not in page.split("-->", 1)[1] and "https://" not in page
    assert 'src="static/js/textual.js"' in page and 'href="static/css/xterm.css"' in page




def test_the_tabs_get_the_site_scenarios(capsys: Any, monkeypatch: Any, sqlite_url: str,
                                         tmp_path: Any, served: list[HotseatServer]) -> None:
    """--scenarios DIR reaches every tab through $HOTSEAT_SCENARIOS, beside the server's own."""
    from corepaths import GOOD

    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for folder in (ours, theirs):  # a scenario of its own in each, under an id of its own
        folder.mkdir()
        (folder / "s.yaml").write_text(GOOD.read_text(encoding="utf-8").replace(
            "id: payment-double-charge", f"id: site-{folder.name}", 1), encoding="utf-8")
    monkeypatch.setenv("HOTSEAT_SCENARIOS", str(theirs))
    code, _, err = run_as(capsys, monkeypatch, ADMIN, "serve", "--db", sqlite_url,
                          "--scenarios", str(ours))
    assert code == 0, err
    assert served[0].environment["HOTSEAT_SCENARIOS"].split(os.pathsep) == [str(theirs),
                                                                            str(ours)]


# -- behind a sign-on proxy (--user-header) ---------------------------------------------------

@pytest.mark.parametrize("header, peer, sent, person", [
    (None, "127.0.0.1", "ann", None),                    # no sign-on: the header means nothing
    ("X-Forwarded-User", "127.0.0.1", "ann", "ann"),       # the proxy on this machine says ann
    ("X-Forwarded-User", "127.0.0.1", "  ann  ", "ann"),
    ("X-Forwarded-User", "::1", "ann", "ann"),
    ("X-Forwarded-User", "192.0.2.7", "ada", None),        # a browser's own header: never
    ("X-Forwarded-User", "127.0.0.1", "", None),           # the proxy said nobody
    ("X-Forwarded-User", "127.0.0.1", "   ", None),
    ("Remote-User", "127.0.0.1", None, None),              # another header than the one named
])
def test_who_the_sign_on_proxy_names(header: str | None, peer: str, sent: str | None,
                                     person: str | None) -> None:
    server = HotseatServer("true", "127.0.0.1", 8000, environment={}, behind_proxy=True,
                           user_header=header)
    headers = {"X-Forwarded-User": sent} if sent is not None else {}
    request = make_mocked_request("GET", "/ws", headers=headers, transport=_Transport(peer))
    assert server.signed_on(request) == person


def test_a_tab_gets_the_proxys_name_and_never_the_servers(monkeypatch: Any) -> None:
    monkeypatch.setenv(PERSON_ENV, ADMIN)  # whatever the server's own environment holds

    async def nothing(*_: Any) -> None:
        return None

    def tab(person: str | None) -> dict[str, str]:
        return _TabService("true", write_bytes=nothing, write_str=nothing, close=nothing,
                           download_manager=None, address="127.0.0.1",  # type: ignore[arg-type]
                           environment={}, person=person)._build_environment(80, 24)
    assert tab("ann")[PERSON_ENV] == "ann"
    assert PERSON_ENV not in tab(None)


async def test_a_tab_without_the_proxys_word_is_refused(tmp_path: Any) -> None:
    """Through the real server: a WebSocket from this machine without the header, then one
    from elsewhere with it, are told why and closed; no Hotseat process is started."""
    from aiohttp.test_utils import TestClient, TestServer

    server = HotseatServer("false", "127.0.0.1", 8000, environment={}, behind_proxy=True,
                           user_header="X-Forwarded-User")
    async with TestClient(TestServer(await server._make_app())) as client:
        ws = await client.ws_connect("/ws")
        said = await ws.receive_bytes(timeout=10)
        assert NOT_SIGNED_ON.encode() in said
        closing = await ws.receive(timeout=10)
        assert closing.type.name in ("CLOSE", "CLOSING", "CLOSED")
    assert server.tabs == 0


@pytest.mark.parametrize("argv, says", [
    (["--user-header", "X-Forwarded-User"], "say so with --behind-proxy too"),
    (["--behind-proxy", "--user-header", "X Forwarded"], "is not an HTTP header's name"),
    (["--behind-proxy", "--user-header", "X-User\r\nSet-Cookie"], "is not an HTTP header"),
])
def test_what_a_sign_on_server_refuses(capsys: Any, monkeypatch: Any, sqlite_url: str,
                                       argv: list[str], says: str,
                                       served: list[HotseatServer]) -> None:
    code, _, err = run_as(capsys, monkeypatch, ADMIN, "serve", "--db", sqlite_url, *argv)
    assert code == 2 and says in err and "Traceback" not in err
    assert served == []


def test_a_sign_on_server_needs_its_first_admin_made_first(
        capsys: Any, monkeypatch: Any, tmp_path: Any, served: list[HotseatServer]) -> None:
    """A new database: the first person in becomes its admin, so the first browser through the
    proxy must not; the server refuses to start until someone is there."""
    from simulator.cli import main

    url = f"sqlite:///{tmp_path / 'new.db'}"
    monkeypatch.delenv("HOTSEAT_USER", raising=False)
    code = main(["serve", "--db", url, "--behind-proxy", "--user-header", "X-Forwarded-User"])
    err = capsys.readouterr().err
    assert code == 2 and "nobody is in the records yet" in err and served == []


def test_a_sign_on_server_says_so(capsys: Any, monkeypatch: Any, sqlite_url: str,
                                  served: list[HotseatServer]) -> None:
    engine = db.make_engine(sqlite_url)
    db.sign_in(engine, ADMIN)
    engine.dispose()
    code, _, err = run_as(capsys, monkeypatch, ADMIN, "serve", "--db", sqlite_url,
                          "--behind-proxy", "--user-header", "X-Forwarded-User")
    assert code == 0, err
    assert "signed on by the proxy, named in its X-Forwarded-User header" in err
    assert "nobody has a password" not in err
    [server] = served
    assert server.user_header == "X-Forwarded-User" and server.behind_proxy
