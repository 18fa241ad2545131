"""Safe HTTP fetching: SSRF guard, size and time limits, redirects, robots.txt, conditional cache, retries.

Used by ``cityevents ingest https://...`` and anything else that turns a user-supplied URL into bytes::

    with Fetcher(cache_dir=settings.cache_dir / "http") as fetcher:
        result = fetcher.fetch("https://example.org/events")

How the SSRF guard is enforced (policy in :mod:`cityevents.ingest.netguard`):

1. Before any connection, each URL (the one asked for and every redirect target) is checked: scheme
   http/https, host resolved, every resolved address allowed. Refusals raise :class:`BlockedAddress`.
2. DNS rebinding (a name that resolves to a public address for the check and to 127.0.0.1 for the
   connection) is closed at connect time. httpx's own transport gives no hook into connection setup, so
   this module has a small transport over an httpcore connection pool whose network backend resolves the
   host itself, vets every address with the same policy and opens the socket to a vetted IP literal.
   httpcore never resolves names, so the address connected to is the address checked, while the Host
   header and TLS SNI/certificate checks still use the host name from the URL. We chose this over
   pinning pre-resolved IPs into the URL because that breaks TLS verification and virtual hosting.
3. Proxies from the environment are ignored (``trust_env=False``): a proxy would resolve names for us.

A ``transport`` passed in (e.g. ``httpx.MockTransport``) replaces step 2; step 1 still applies.

Other limits: connect and read timeouts plus a wall-clock budget per :meth:`Fetcher.fetch`; bodies are
streamed and abandoned past ``max_bytes``; redirects are followed by hand up to ``max_redirects``;
timeouts, connection errors and 5xx are retried with exponential backoff, 4xx never.

robots.txt is read per origin through the same guard, cached for a day and obeyed for our user-agent token
with RFC 9309 matching (longest rule wins, ``*`` and ``$`` wildcards). As the RFC asks, a robots.txt that
answers 4xx allows everything, one that fails with 5xx or a network error forbids everything.

With a ``cache_dir``, a 200 response carrying ``ETag`` or ``Last-Modified`` is stored as one file per URL
(``sha256(url).cache``: a JSON metadata line, then the body). The next fetch of that URL sends
``If-None-Match`` / ``If-Modified-Since``; a 304 yields the stored body with ``from_cache=True``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import ssl
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import TracebackType

import httpcore
import httpx

from cityevents import __version__
from cityevents.errors import BlockedAddress, FetchError
from cityevents.ingest.netguard import AddressGuard, Resolver, parse_address

LOGGER = logging.getLogger(__name__)

MIB = 1024 * 1024
DEFAULT_USER_AGENT = f"cityevents/{__version__} (+https://github.com/cityevents/cityevents)"
ACCEPT = (
    "text/html,application/xhtml+xml,application/ld+json;q=0.9,application/rss+xml;q=0.9,"
    "application/atom+xml;q=0.9,text/calendar;q=0.9,text/csv;q=0.8,application/pdf;q=0.8,*/*;q=0.5"
)
# Only encodings whose expansion per network read is modest; no brotli/zstd surprises.
ACCEPT_ENCODING = "gzip, deflate"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_RETRY_AFTER = 30.0
ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_TTL = 24 * 3600.0
ROBOTS_UNREACHABLE = "RFC 9309 says to assume it forbids everything (respect_robots=False overrides)"
CACHE_SUFFIX = ".cache"
HTTPCORE_ERROR_NAMES = (
    "ConnectTimeout", "ReadTimeout", "WriteTimeout", "PoolTimeout", "ConnectError", "ReadError",
    "WriteError", "RemoteProtocolError", "LocalProtocolError", "UnsupportedProtocol", "ProxyError",
)
HTTPCORE_TO_HTTPX: dict[type[Exception], type[httpx.TransportError]] = {
    getattr(httpcore, name): getattr(httpx, name) for name in HTTPCORE_ERROR_NAMES
}
RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass
class FetchResult:
    """One fetched document. On a 304 revalidation ``status`` and ``data`` are those stored earlier."""

    url: str
    final_url: str
    status: int
    content_type: str | None
    data: bytes
    etag: str | None
    last_modified: str | None
    from_cache: bool


class UpstreamHTTPError(FetchError):
    """The server answered with an error status; ``upstream_status`` holds it (404, 503, ...)."""

    def __init__(self, message: str, upstream_status: int) -> None:
        super().__init__(message)
        self.upstream_status = upstream_status


def human_size(size: int) -> str:
    """``10485760`` -> ``"10 MiB"``."""
    for unit, factor in (("MiB", MIB), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


# -- connection layer: pin every socket to an address the guard vetted ---------------------------------


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolve and vet the host, then connect to the vetted IP literal itself."""

    def __init__(self, guard: AddressGuard) -> None:
        self._guard = guard
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        *alternatives, last = self._guard.resolve(host, port)
        for address in alternatives:
            try:
                return self._sockets.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                LOGGER.debug("cannot connect to %s (%s): %s; trying the next address", host, address, exc)
        return self._sockets.connect_tcp(last, port, timeout, local_address, socket_options)

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


@contextmanager
def _httpx_errors() -> Iterator[None]:
    """Re-raise httpcore errors as their httpx twins, so callers see one exception family."""
    try:
        yield
    except httpcore.TimeoutException as exc:
        raise HTTPCORE_TO_HTTPX.get(type(exc), httpx.TimeoutException)(str(exc)) from exc
    except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
        raise HTTPCORE_TO_HTTPX.get(type(exc), httpx.TransportError)(str(exc)) from exc


class _CoreBody(httpx.SyncByteStream):
    """An httpcore response body as an httpx stream."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class _GuardedTransport(httpx.BaseTransport):
    """An httpx transport whose connections go only to addresses the guard vetted."""

    def __init__(self, guard: AddressGuard, ssl_context: ssl.SSLContext) -> None:
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=_GuardedBackend(guard))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw,
            content=request.stream,  # type: ignore[arg-type]  # a sync stream is an Iterable[bytes]
            extensions=request.extensions,
        )
        with _httpx_errors():
            core_response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=core_response.status,
            headers=core_response.headers,
            stream=_CoreBody(core_response.stream),  # type: ignore[arg-type]
            extensions=core_response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


# -- robots.txt (RFC 9309) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RobotsRules:
    """The allow/disallow rules of one robots.txt group set; ``allows(path)`` applies RFC 9309 matching."""

    rules: tuple[tuple[bool, str], ...] = ()
    allow_all: bool = False
    disallow_all: bool = False

    def allows(self, path: str) -> bool:
        """Whether ``path`` (path and query, percent-encoded) may be fetched."""
        if self.allow_all or path == "/robots.txt":
            return True
        if self.disallow_all:
            return False
        best: tuple[int, bool] | None = None
        for allow, pattern in self.rules:
            if _robots_pattern(pattern).match(path):
                candidate = (len(pattern), allow)  # longest pattern wins; on a tie, allow wins
                best = candidate if best is None else max(best, candidate)
        return best is None or best[1]


@lru_cache(maxsize=1024)
def _robots_pattern(pattern: str) -> re.Pattern[str]:
    """A robots.txt path pattern (``*`` any run, trailing ``$`` end) as a regex anchored at the start."""
    anchored = pattern.endswith("$")
    body = ".*".join(re.escape(part) for part in (pattern[:-1] if anchored else pattern).split("*"))
    return re.compile(body + ("$" if anchored else ""))


def parse_robots(text: str, agent: str) -> RobotsRules:
    """Collect the rules of the groups for ``agent`` (a product token such as ``cityevents``), else ``*``."""
    groups: list[tuple[list[str], list[tuple[bool, str]]]] = []
    collecting_agents = False
    for raw in text.splitlines():
        key, sep, value = raw.split("#", 1)[0].partition(":")
        key, value = key.strip().lower(), value.strip()
        if not sep:
            continue
        if key == "user-agent":
            if not collecting_agents:
                groups.append(([], []))
                collecting_agents = True
            groups[-1][0].append(value.lower())
        elif key in ("allow", "disallow") and groups:
            collecting_agents = False
            if value:  # an empty Disallow allows everything: no rule
                groups[-1][1].append((key == "allow", value))
    token = agent.lower()
    mine = [rules for agents, rules in groups if token in agents]
    chosen = mine or [rules for agents, rules in groups if "*" in agents]
    return RobotsRules(rules=tuple(rule for rules in chosen for rule in rules))


# -- on-disk conditional cache -------------------------------------------------------------------------


@dataclass
class _CacheEntry:
    url: str
    final_url: str
    status: int
    content_type: str | None
    etag: str | None
    last_modified: str | None


class _DiskCache:
    """One file per URL: a JSON metadata line, a newline, then the body; replaced atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def _path(self, url: str) -> Path:
        return self.directory / (hashlib.sha256(url.encode("utf-8")).hexdigest() + CACHE_SUFFIX)

    def load(self, url: str) -> tuple[_CacheEntry, bytes] | None:
        path = self._path(url)
        try:
            header, _, body = path.read_bytes().partition(b"\n")
            entry = _CacheEntry(**json.loads(header))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError) as exc:
            LOGGER.warning("ignoring unreadable cache file %s: %s", path, exc)
            return None
        return (entry, body) if entry.url == url else None

    def store(self, entry: _CacheEntry, body: bytes) -> None:
        header = json.dumps(asdict(entry), ensure_ascii=True).encode("ascii")
        handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(header + b"\n" + body)
            os.replace(temporary, self._path(entry.url))
        except OSError as exc:
            LOGGER.warning("cannot write cache entry for %s: %s", entry.url, exc)
            Path(temporary).unlink(missing_ok=True)

    def discard(self, url: str) -> None:
        self._path(url).unlink(missing_ok=True)


# -- the fetcher ---------------------------------------------------------------------------------------


@dataclass
class _Hop:
    """The last response of one request (after retries); ``data`` is read only for 2xx."""

    url: httpx.URL
    status: int
    headers: httpx.Headers
    data: bytes
    attempts: int


class Fetcher:
    """Fetch http(s) URLs safely; see the module docstring for what "safely" covers.

    Args:
        cache_dir: directory for the conditional-request cache; None disables it.
        allow_private: turn the SSRF address policy off (only http/https are still enforced).
        allow_hosts: single hosts to reach despite the policy, ``"host"`` or ``"host:port"``, e.g. one
            intranet server: ``allow_hosts={"events.intranet:8080"}``. Redirects elsewhere stay guarded.
        timeout: connect timeout in seconds.
        read_timeout: longest wait for any read (and write) in seconds.
        total_timeout: wall-clock budget for one :meth:`fetch`, robots.txt, redirects and retries included.
        max_bytes: largest body accepted (after decompression).
        max_redirects: redirects followed before giving up.
        retries: extra attempts after a timeout, connection error or 5xx response.
        backoff: first retry delay in seconds; doubles each time (a ``Retry-After`` may lengthen it).
        user_agent: the User-Agent header; its product name (before the "/") is the robots.txt token.
        respect_robots: obey robots.txt.
        resolver: ``resolver(host, port) -> [ip, ...]``; defaults to the system resolver.
        ssl_context: TLS settings, e.g. trusting a private CA; default: httpx's (certifi roots).
        transport: an httpx transport to use instead of the address-pinning one (tests, special setups);
            ``ssl_context`` is then ignored.
        sleep: the function that waits between retries (injected by tests).
    """

    def __init__(
        self,
        *,
        cache_dir: Path | None,
        allow_private: bool = False,
        allow_hosts: Iterable[str] = (),
        timeout: float = 10.0,
        read_timeout: float = 20.0,
        total_timeout: float = 120.0,
        max_bytes: int = 10 * MIB,
        max_redirects: int = 5,
        retries: int = 2,
        backoff: float = 0.5,
        user_agent: str = DEFAULT_USER_AGENT,
        respect_robots: bool = True,
        resolver: Resolver | None = None,
        ssl_context: ssl.SSLContext | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.guard = AddressGuard(allow_private=allow_private, allow_hosts=allow_hosts, resolver=resolver)
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.retries = retries
        self.backoff = backoff
        self.user_agent = user_agent
        self.robots_token = user_agent.split("/", 1)[0].strip().lower()
        self.respect_robots = respect_robots
        self._sleep = sleep
        self._cache = _DiskCache(cache_dir) if cache_dir is not None else None
        self._robots: dict[str, tuple[float, RobotsRules]] = {}
        self._client = httpx.Client(
            transport=transport or _GuardedTransport(self.guard, ssl_context or httpx.create_ssl_context()),
            timeout=httpx.Timeout(read_timeout, connect=timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING},
        )

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def fetch(self, url: str) -> FetchResult:
        """Fetch ``url``, revalidating a cached copy when there is one.

        Args:
            url: an http or https URL.

        Returns:
            The document; ``from_cache`` is True when the server confirmed the cached copy (304).

        Raises:
            BlockedAddress: the URL, a redirect target or a resolved address is refused by the guard.
            UpstreamHTTPError: the server answered 4xx, or 5xx after all retries.
            FetchError: timeouts or connection errors after retries, a body over ``max_bytes``, too many
                redirects, robots.txt forbids the URL, or the URL is malformed.
        """
        deadline = time.monotonic() + self.total_timeout
        cached = self._cache.load(url) if self._cache is not None else None
        hop = self._follow(url, deadline, cached=cached[0] if cached else None, robots=self.respect_robots)
        if hop.status == 304 and cached is not None:
            return self._revalidated(url, *cached, hop.headers)
        if not 200 <= hop.status < 300:
            reason = httpx.codes.get_reason_phrase(hop.status)
            tries = f" (after {hop.attempts} attempts)" if hop.attempts > 1 else ""
            raise UpstreamHTTPError(f"{hop.url}: HTTP {hop.status} {reason}{tries}", hop.status)
        result = FetchResult(
            url=url,
            final_url=str(hop.url),
            status=hop.status,
            content_type=hop.headers.get("content-type"),
            data=hop.data,
            etag=hop.headers.get("etag"),
            last_modified=hop.headers.get("last-modified"),
            from_cache=False,
        )
        if result.etag or result.last_modified:
            entry = _CacheEntry(
                url, result.final_url, result.status, result.content_type, result.etag, result.last_modified
            )
            self._store(entry, result.data)
        elif self._cache is not None:
            self._cache.discard(url)
        return result

    def _revalidated(self, url: str, stored: _CacheEntry, body: bytes, headers: httpx.Headers) -> FetchResult:
        """Answer a 304 with the stored copy, keeping any fresh validators the 304 carried (RFC 9111)."""
        entry = replace(
            stored,
            etag=headers.get("etag") or stored.etag,
            last_modified=headers.get("last-modified") or stored.last_modified,
        )
        if entry != stored:
            self._store(entry, body)
        LOGGER.info("%s not modified; using the cached copy", url)
        return FetchResult(
            url=url,
            final_url=entry.final_url,
            status=entry.status,
            content_type=entry.content_type,
            data=body,
            etag=entry.etag,
            last_modified=entry.last_modified,
            from_cache=True,
        )

    def _store(self, entry: _CacheEntry, body: bytes) -> None:
        if self._cache is not None:
            self._cache.store(entry, body)

    def _follow(
        self,
        url: str,
        deadline: float,
        *,
        cached: _CacheEntry | None = None,
        robots: bool = True,
        truncate_at: int | None = None,
    ) -> _Hop:
        """Request ``url`` and follow redirects, vetting (and robots-checking) every hop first."""
        current = url
        for _ in range(self.max_redirects + 1):
            target = self._vet(current)
            if robots:
                self._check_robots(target, deadline)
            headers: dict[str, str] = {}
            if cached is not None and str(target) == cached.final_url:
                if cached.etag:
                    headers["If-None-Match"] = cached.etag
                if cached.last_modified:
                    headers["If-Modified-Since"] = cached.last_modified
            hop = self._send(target, headers, deadline, truncate_at)
            location = hop.headers.get("location")
            if hop.status in REDIRECT_STATUSES and location:
                current = urllib.parse.urljoin(str(target), location)
                LOGGER.debug("%s redirects (%d) to %s", target, hop.status, current)
                continue
            if hop.status == 304 and not headers:
                raise FetchError(f"{target}: unexpected 304 Not Modified to an unconditional request")
            return hop
        raise FetchError(f"{url}: more than {self.max_redirects} redirects")

    def _vet(self, url: str) -> httpx.URL:
        """Parse ``url`` and pass it through the guard before anything is sent."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            # httpx rejects some numeric hosts (0177.0.0.1) that C resolvers accept: name the real problem.
            parts = urllib.parse.urlsplit(url)
            if parts.hostname and parse_address(parts.hostname) is not None:
                self.guard.check_url(parts.scheme.lower(), parts.hostname, None)
            raise FetchError(f"not a valid URL: {url} ({exc})") from exc
        self.guard.check_url(parsed.scheme, parsed.raw_host.decode("ascii"), parsed.port)
        return parsed

    def _send(
        self, target: httpx.URL, headers: dict[str, str], deadline: float, truncate_at: int | None
    ) -> _Hop:
        """One GET with retries on timeouts, connection errors and 5xx; reads 2xx bodies under the cap."""
        attempt = 0
        while True:
            retry_after: str | None = None
            try:
                with self._client.stream("GET", target, headers=headers) as response:
                    status = response.status_code
                    if status >= 500 and attempt < self.retries:
                        problem, retry_after = f"HTTP {status}", response.headers.get("retry-after")
                    else:
                        data = self._read(response, truncate_at, deadline) if 200 <= status < 300 else b""
                        return _Hop(target, status, response.headers, data, attempt + 1)
            except RETRYABLE_ERRORS as exc:
                problem = _describe(exc)
                if attempt >= self.retries:
                    raise FetchError(f"{target}: {problem} (after {attempt + 1} attempts)") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"{target}: {_describe(exc)}") from exc
            delay = self.backoff * 2**attempt
            if retry_after is not None and retry_after.strip().isdigit():
                delay = max(delay, min(float(retry_after), MAX_RETRY_AFTER))
            if time.monotonic() + delay > deadline:
                raise FetchError(f"{target}: {problem}, and no time left to retry")
            LOGGER.info("%s: %s; retrying in %.2f s", target, problem, delay)
            self._sleep(delay)
            attempt += 1

    def _read(self, response: httpx.Response, truncate_at: int | None, deadline: float) -> bytes:
        """Stream the body: past ``max_bytes`` raise, or keep the first ``truncate_at`` bytes if given."""
        limit = self.max_bytes if truncate_at is None else truncate_at
        declared = response.headers.get("content-length", "")
        if truncate_at is None and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"{response.url}: response larger than {human_size(limit)} ({declared} bytes)")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                if truncate_at is None:
                    raise FetchError(f"{response.url}: response larger than {human_size(limit)}")
                break
            if time.monotonic() > deadline:
                raise FetchError(f"{response.url}: download took longer than {self.total_timeout:g} s")
        return b"".join(chunks)[:limit]

    def _check_robots(self, target: httpx.URL, deadline: float) -> None:
        """Refuse ``target`` if its origin's robots.txt disallows it for our token."""
        origin = f"{target.scheme}://{target.netloc.decode('ascii')}"
        expires, rules = self._robots.get(origin, (0.0, None))
        if rules is None or time.monotonic() > expires:
            rules = self._load_robots(origin, deadline)
            self._robots[origin] = (time.monotonic() + ROBOTS_TTL, rules)
        if not rules.allows(target.raw_path.decode("ascii")):
            raise FetchError(
                f"{target}: disallowed by {origin}/robots.txt for user-agent {self.robots_token!r} "
                "(respect_robots=False overrides)"
            )

    def _load_robots(self, origin: str, deadline: float) -> RobotsRules:
        """Fetch and parse robots.txt; 4xx or a blocked redirect allows all, 5xx/network failure raises."""
        robots_url = f"{origin}/robots.txt"
        try:
            hop = self._follow(robots_url, deadline, robots=False, truncate_at=ROBOTS_MAX_BYTES)
        except BlockedAddress as exc:
            LOGGER.info("%s unavailable (%s); treating as allow-all", robots_url, exc)
            return RobotsRules(allow_all=True)
        except FetchError as exc:
            raise FetchError(f"cannot read {robots_url} ({exc}); {ROBOTS_UNREACHABLE}") from exc
        if 200 <= hop.status < 300:
            return parse_robots(hop.data.decode("utf-8", errors="replace"), self.robots_token)
        if 400 <= hop.status < 500:
            return RobotsRules(allow_all=True)
        raise FetchError(f"cannot read {robots_url} (HTTP {hop.status}); {ROBOTS_UNREACHABLE}")


def _describe(error: httpx.HTTPError) -> str:
    """A short human phrase for a transport error."""
    if isinstance(error, httpx.ConnectTimeout):
        return "connection timed out"
    if isinstance(error, httpx.TimeoutException):
        return "timed out waiting for the server"
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect ({error})"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
