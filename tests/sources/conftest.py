"""Sources fixtures: a real catalog on each backend, a real HTTP server on 127.0.0.1, a network tripwire.

The server serves whatever a test puts in ``site.pages`` (path -> status, body, content type) with an
ETag per body, answering a matching ``If-None-Match`` with 304, and records every request. The tripwire
fails a test that opens a connection to anything but loopback.
"""

from __future__ import annotations

import hashlib
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from cityevents.ingest.fetch import Fetcher

LOOPBACK = frozenset({"127.0.0.1", "::1"})

CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//cityevents tests//EN
BEGIN:VEVENT
UID:expo-2025@events.test
DTSTAMP:20250101T000000Z
DTSTART;VALUE=DATE:20251104
DTEND;VALUE=DATE:20251107
SUMMARY:Smart City Expo World Congress
LOCATION:Barcelona, Spain
DESCRIPTION:{description}
END:VEVENT
BEGIN:VEVENT
UID:mobility-2025@events.test
DTSTAMP:20250101T000000Z
DTSTART;VALUE=DATE:20250916
DTEND;VALUE=DATE:20250918
SUMMARY:Urban Mobility Days
LOCATION:Lyon, France
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def calendar() -> Callable[..., bytes]:
    """Build a two-event iCalendar whose first event's description varies."""

    def build(description: str = "The yearly congress on cities.") -> bytes:
        return CALENDAR.format(description=description).replace("\n", "\r\n").encode()

    return build


@dataclass
class Site:
    """What the test server serves, and what it was asked."""

    port: int
    pages: dict[str, tuple[int, bytes, str]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    answers: list[tuple[str, int]] = field(default_factory=list)  # (path, status) per request

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


class Handler(BaseHTTPRequestHandler):
    """Serves ``server.site.pages``; anything else (robots.txt included) is a 404."""

    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def handle(self) -> None:
        try:
            super().handle()
        except ConnectionError:
            pass  # the client hung up, e.g. without reading a 404's body; not the test's concern

    def do_GET(self) -> None:
        site: Site = self.server.site
        site.hits[self.path] += 1
        status, body, content_type = site.pages.get(self.path, (404, b"no such page", "text/plain"))
        headers = {"Content-Type": content_type}
        if status == 200:
            headers["ETag"] = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if self.headers.get("If-None-Match") == headers["ETag"]:
                status, body = 304, b""
        site.answers.append((self.path, status))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that connects anywhere but loopback."""
    real_connect = socket.create_connection

    def connect(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        if address[0] not in LOOPBACK:
            raise AssertionError(f"test tried to connect to {address}")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", connect)


@pytest.fixture
def site() -> Iterator[Site]:
    """A threaded HTTP/1.1 server on 127.0.0.1."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.site = Site(port=httpd.server_address[1])  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd.site  # type: ignore[attr-defined]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def make_fetcher(site: Site, tmp_path: Path) -> Iterator[Callable[..., Fetcher]]:
    """Fetchers that may reach exactly the test server, share one cache dir, and never retry or sleep."""
    made: list[Fetcher] = []

    def build(**overrides: Any) -> Fetcher:
        options: dict[str, Any] = {
            "cache_dir": tmp_path / "cache",
            "allow_hosts": {f"127.0.0.1:{site.port}"},
            "timeout": 2.0,
            "read_timeout": 2.0,
            "retries": 0,
            "sleep": lambda _seconds: None,
        }
        options.update(overrides)
        made.append(Fetcher(**options))
        return made[-1]

    yield build
    for fetcher in made:
        fetcher.close()


