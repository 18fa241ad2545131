"""A real HTTP server on 127.0.0.1, a fake resolver, and a network tripwire for the fetcher tests.

The tripwire wraps ``socket.create_connection`` and ``socket.getaddrinfo`` for every test in this folder:
a connection to anything but loopback, or a DNS lookup of a real name, fails the test before a packet
leaves. ``connections`` records every socket the code under test opened.
"""

from __future__ import annotations

import gzip
import ipaddress
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from cityevents.errors import FetchError
from cityevents.ingest.fetch import Fetcher

HOST_NAME = "events.test"
LOOPBACK = frozenset({"127.0.0.1", "::1"})
ROBOTS = b"""# our group wins over the catch-all
User-agent: *
Disallow: /

User-agent: cityevents
Disallow: /private
Allow: /private/open
Disallow: /*.secret$
"""
BIG_SIZE = 256 * 1024
PAGE = b"<html><body><h1>Smart City Expo</h1></body></html>"


@dataclass
class ServerState:
    """What the test server serves and what it saw."""

    port: int = 0
    hits: Counter[str] = field(default_factory=Counter)
    paths: list[str] = field(default_factory=list)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    robots: tuple[int, bytes] = (200, ROBOTS)
    etag: str = '"v1"'
    slow_seconds: float = 1.0
    server_names: list[str | None] = field(default_factory=list)  # TLS SNI per handshake


class Handler(BaseHTTPRequestHandler):
    """Routes for the fetcher tests; state lives on ``server.state``."""

    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Keep test output quiet."""

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": "text/html; charset=utf-8", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        state: ServerState = self.server.state
        path = self.path
        state.hits[path] += 1
        state.paths.append(path)
        state.headers[path] = dict(self.headers.items())
        base = f"http://{HOST_NAME}:{state.port}"
        try:
            self.route(state, path, base)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeouts, size cap)

    def route(self, state: ServerState, path: str, base: str) -> None:
        if path == "/robots.txt":
            status, body = state.robots
            self.reply(status, body, {"Content-Type": "text/plain"})
        elif path in ("/page", "/private/open", "/file.secret/more"):
            self.reply(200, PAGE)
        elif path == "/etag":
            if self.headers.get("If-None-Match") == state.etag:
                self.reply(304, headers={"ETag": state.etag})
            else:
                self.reply(200, f"etag body {state.etag}".encode(), {"ETag": state.etag})
        elif path == "/lastmod":
            stamp = "Wed, 08 Nov 2023 10:00:00 GMT"
            if self.headers.get("If-Modified-Since") == stamp:
                self.reply(304)
            else:
                self.reply(200, b"dated body", {"Last-Modified": stamp, "Content-Type": "text/plain"})
        elif path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            if left:
                self.reply(302, headers={"Location": f"/redirect/{left - 1}"})
            else:
                self.reply(200, b"arrived")
        elif path == "/to-other-host":
            self.reply(301, headers={"Location": f"http://127.0.0.1:{state.port}/page"})
        elif path == "/to-metadata":
            self.reply(302, headers={"Location": "http://169.254.169.254/latest/meta-data"})
        elif path == "/slow":
            time.sleep(state.slow_seconds)
            self.reply(200, b"too late")
        elif path == "/big":
            self.send_chunked(b"x" * BIG_SIZE)
        elif path == "/big-declared":
            self.reply(200, b"x" * BIG_SIZE)
        elif path == "/gzip":
            self.reply(200, gzip.compress(PAGE), {"Content-Encoding": "gzip"})
        elif path == "/flaky":
            status = 503 if state.hits[path] == 1 else 200
            self.reply(status, b"back again" if status == 200 else b"busy")
        elif path == "/down":
            self.reply(503, b"busy")
        else:
            self.reply(404, b"no such page")

    def send_chunked(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for start in range(0, len(body), 16384):
            chunk = body[start : start + 16384]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")


class FakeResolver:
    """A DNS stand-in mapping test names to fixed answers; unknown names do not resolve."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        if host not in self.answers:
            raise FetchError(f"cannot resolve host {host!r}")
        return self.answers[host]


@pytest.fixture(autouse=True)
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Record every outgoing connection; refuse non-loopback ones and real DNS lookups."""
    opened: list[tuple[str, int]] = []
    real_connect, real_getaddrinfo = socket.create_connection, socket.getaddrinfo

    def connect(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        opened.append(address)
        if address[0] not in LOOPBACK:
            raise AssertionError(f"test tried to connect to {address}")
        return real_connect(address, *args, **kwargs)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise AssertionError(f"test tried a real DNS lookup of {host!r}") from None
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return opened


@pytest.fixture
def server() -> Iterator[ServerState]:
    """A threaded HTTP/1.1 server on 127.0.0.1, reachable in tests as http://events.test:PORT."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state = ServerState(port=httpd.server_address[1])
    httpd.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def resolver() -> FakeResolver:
    """``events.test`` and ``localhost`` are loopback; ``mixed.test`` has one public, one private address."""
    return FakeResolver(
        {
            HOST_NAME: ["127.0.0.1"],
            "localhost": ["127.0.0.1", "::1"],
            "mixed.test": ["93.184.216.34", "10.0.0.1"],
        }
    )


@pytest.fixture
def sleeps() -> list[float]:
    """Delays the fetcher asked for between retries (it never really sleeps in tests)."""
    return []


@pytest.fixture
def make_fetcher(
    server: ServerState, resolver: FakeResolver, sleeps: list[float], tmp_path: Path
) -> Iterator[Callable[..., Fetcher]]:
    """Build fetchers allowed to reach exactly ``events.test:PORT``, with short timeouts and fake sleep."""
    made: list[Fetcher] = []

    def build(**overrides: Any) -> Fetcher:
        options: dict[str, Any] = {
            "cache_dir": tmp_path / "cache",
            "allow_hosts": {f"{HOST_NAME}:{server.port}"},
            "resolver": resolver,
            "timeout": 1.0,
            "read_timeout": 0.3,
            "backoff": 0.01,
            "sleep": sleeps.append,
        }
        options.update(overrides)
        fetcher = Fetcher(**options)
        made.append(fetcher)
        return fetcher

    yield build
    for fetcher in made:
        fetcher.close()


@pytest.fixture
def base(server: ServerState) -> str:
    """The test server's base URL under its test host name."""
    return f"http://{HOST_NAME}:{server.port}"
