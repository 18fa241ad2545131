"""The fetcher against a real HTTP server on 127.0.0.1 (see conftest.py for routes and the tripwire)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from cityevents.errors import BlockedAddress, FetchError
from cityevents.ingest.fetch import (
    DEFAULT_USER_AGENT,
    Fetcher,
    UpstreamHTTPError,
    human_size,
    parse_robots,
)

from .conftest import BIG_SIZE, HOST_NAME, PAGE, FakeResolver, ServerState

MakeFetcher = Callable[..., Fetcher]


# -- plain fetching ------------------------------------------------------------------------------------


def test_fetch_page_keeps_host_header_and_user_agent(
    make_fetcher: MakeFetcher, base: str, server: ServerState, connections: list[tuple[str, int]]
) -> None:
    result = make_fetcher().fetch(f"{base}/page")
    assert (result.status, result.data, result.from_cache) == (200, PAGE, False)
    assert result.final_url == result.url == f"{base}/page"
    assert result.content_type == "text/html; charset=utf-8"
    seen = server.headers["/page"]
    assert seen["Host"] == f"{HOST_NAME}:{server.port}"  # pinned to 127.0.0.1, still named events.test
    assert seen["User-Agent"] == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith("cityevents/")
    assert {address for address, _ in connections} == {"127.0.0.1"}


def test_gzip_body_is_decoded(make_fetcher: MakeFetcher, base: str) -> None:
    assert make_fetcher().fetch(f"{base}/gzip").data == PAGE


# -- conditional requests and the disk cache -----------------------------------------------------------


def test_etag_revalidation_returns_cached_body(
    make_fetcher: MakeFetcher, base: str, server: ServerState, tmp_path: Path
) -> None:
    first = make_fetcher().fetch(f"{base}/etag")
    assert (first.etag, first.from_cache, first.data) == ('"v1"', False, b'etag body "v1"')
    assert len(list((tmp_path / "cache").iterdir())) == 1

    second = make_fetcher().fetch(f"{base}/etag")  # a new fetcher: the cache is on disk
    assert server.headers["/etag"]["If-None-Match"] == '"v1"'
    assert server.hits["/etag"] == 2
    assert (second.from_cache, second.status, second.data, second.etag) == (True, 200, first.data, '"v1"')


def test_changed_etag_replaces_cached_copy(make_fetcher: MakeFetcher, base: str, server: ServerState) -> None:
    fetcher = make_fetcher()
    fetcher.fetch(f"{base}/etag")
    server.etag = '"v2"'
    changed = fetcher.fetch(f"{base}/etag")
    assert (changed.from_cache, changed.data) == (False, b'etag body "v2"')
    assert fetcher.fetch(f"{base}/etag").from_cache


def test_last_modified_revalidation(make_fetcher: MakeFetcher, base: str, server: ServerState) -> None:
    fetcher = make_fetcher()
    first = fetcher.fetch(f"{base}/lastmod")
    assert first.last_modified == "Wed, 08 Nov 2023 10:00:00 GMT" and not first.from_cache
    second = fetcher.fetch(f"{base}/lastmod")
    assert server.headers["/lastmod"]["If-Modified-Since"] == first.last_modified
    assert (second.from_cache, second.data, second.content_type) == (True, b"dated body", "text/plain")


def test_no_cache_dir_means_no_conditional_request(
    make_fetcher: MakeFetcher, base: str, server: ServerState
) -> None:
    fetcher = make_fetcher(cache_dir=None)
    fetcher.fetch(f"{base}/etag")
    assert not fetcher.fetch(f"{base}/etag").from_cache
    assert "If-None-Match" not in server.headers["/etag"]


def test_corrupt_cache_file_is_ignored(make_fetcher: MakeFetcher, base: str, tmp_path: Path) -> None:
    fetcher = make_fetcher()
    fetcher.fetch(f"{base}/etag")
    (cache_file,) = (tmp_path / "cache").iterdir()
    cache_file.write_bytes(b"not json\nbody")
    assert not fetcher.fetch(f"{base}/etag").from_cache


# -- redirects -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("hops", [1, 5])
def test_redirects_within_limit(make_fetcher: MakeFetcher, base: str, hops: int) -> None:
    result = make_fetcher(max_redirects=5).fetch(f"{base}/redirect/{hops}")
    assert (result.data, result.final_url) == (b"arrived", f"{base}/redirect/0")
    assert result.url == f"{base}/redirect/{hops}"


def test_redirects_beyond_limit(make_fetcher: MakeFetcher, base: str, server: ServerState) -> None:
    with pytest.raises(FetchError, match="more than 5 redirects"):
        make_fetcher(max_redirects=5).fetch(f"{base}/redirect/6")
    assert "/redirect/0" not in server.paths


def test_redirect_to_loopback_is_refused(make_fetcher: MakeFetcher, base: str, server: ServerState) -> None:
    with pytest.raises(BlockedAddress, match=r"127\.0\.0\.1.*loopback"):
        make_fetcher().fetch(f"{base}/to-other-host")
    assert "/page" not in server.paths  # same server, but not under the allowed name


def test_redirect_to_metadata_service_is_refused(
    make_fetcher: MakeFetcher, base: str, connections: list[tuple[str, int]]
) -> None:
    with pytest.raises(BlockedAddress, match=r"169\.254\.169\.254.*link-local"):
        make_fetcher().fetch(f"{base}/to-metadata")
    assert {address for address, _ in connections} == {"127.0.0.1"}


# -- timeouts, size cap, retries -----------------------------------------------------------------------


def test_read_timeout_is_retried_then_fails(
    make_fetcher: MakeFetcher, base: str, sleeps: list[float]
) -> None:
    with pytest.raises(FetchError, match=r"timed out.*after 3 attempts"):
        make_fetcher(retries=2, backoff=0.01).fetch(f"{base}/slow")
    assert sleeps == [0.01, 0.02]


def test_total_timeout_stops_retries(make_fetcher: MakeFetcher, base: str) -> None:
    with pytest.raises(FetchError, match="no time left to retry"):
        make_fetcher(total_timeout=0.5, backoff=1.0).fetch(f"{base}/slow")


@pytest.mark.parametrize("path", ["/big", "/big-declared"])
def test_oversized_body_is_capped(make_fetcher: MakeFetcher, base: str, path: str) -> None:
    with pytest.raises(FetchError, match="larger than 64 KiB"):
        make_fetcher(max_bytes=64 * 1024).fetch(f"{base}{path}")
    assert len(make_fetcher(max_bytes=BIG_SIZE).fetch(f"{base}{path}").data) == BIG_SIZE


def test_default_cap_is_named_in_mib() -> None:
    assert human_size(10 * 1024 * 1024) == "10 MiB"
    assert human_size(1000) == "1000 bytes"


def test_503_then_200_is_retried(
    make_fetcher: MakeFetcher, base: str, server: ServerState, sleeps: list[float]
) -> None:
    result = make_fetcher().fetch(f"{base}/flaky")
    assert (result.status, result.data) == (200, b"back again")
    assert server.hits["/flaky"] == 2 and len(sleeps) == 1


def test_persistent_503_fails_with_status(make_fetcher: MakeFetcher, base: str, server: ServerState) -> None:
    with pytest.raises(UpstreamHTTPError, match="HTTP 503 Service Unavailable.*3 attempts") as caught:
        make_fetcher(retries=2).fetch(f"{base}/down")
    assert caught.value.upstream_status == 503 and server.hits["/down"] == 3


def test_404_is_not_retried(
    make_fetcher: MakeFetcher, base: str, server: ServerState, sleeps: list[float]
) -> None:
    with pytest.raises(UpstreamHTTPError, match="HTTP 404 Not Found") as caught:
        make_fetcher().fetch(f"{base}/missing")
    assert caught.value.upstream_status == 404
    assert isinstance(caught.value, FetchError)
    assert server.hits["/missing"] == 1 and sleeps == []


def test_connection_refused_is_retried(
    server: ServerState, resolver: FakeResolver, sleeps: list[float], tmp_path: Path
) -> None:
    import socket

    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    resolver.answers["dead.test"] = ["127.0.0.1"]
    with Fetcher(
        cache_dir=None, resolver=resolver, allow_hosts={f"dead.test:{dead_port}"}, sleep=sleeps.append
    ) as fetcher, pytest.raises(FetchError, match="cannot connect.*after 3 attempts"):
        fetcher.fetch(f"http://dead.test:{dead_port}/")
    assert len(sleeps) == 2


# -- robots.txt ----------------------------------------------------------------------------------------


def test_robots_disallowed_path_is_refused(make_fetcher: MakeFetcher, base: str, server: ServerState) -> None:
    fetcher = make_fetcher()
    with pytest.raises(FetchError, match=r"disallowed by .*/robots.txt for user-agent 'cityevents'"):
        fetcher.fetch(f"{base}/private/plans")
    assert fetcher.fetch(f"{base}/private/open").status == 200  # the longer Allow wins
    with pytest.raises(FetchError, match="robots.txt"):
        fetcher.fetch(f"{base}/file.secret")
    assert fetcher.fetch(f"{base}/file.secret/more").status == 200
    assert "/private/plans" not in server.paths
    assert server.hits["/robots.txt"] == 1  # cached per host


def test_robots_can_be_ignored(make_fetcher: MakeFetcher, base: str, server: ServerState) -> None:
    assert make_fetcher(respect_robots=False).fetch(f"{base}/private/open").status == 200
    assert server.hits["/robots.txt"] == 0


def test_missing_robots_allows_all(make_fetcher: MakeFetcher, base: str, server: ServerState) -> None:
    server.robots = (404, b"")
    with pytest.raises(UpstreamHTTPError, match="404"):  # the page itself is missing, but was asked for
        make_fetcher().fetch(f"{base}/private/plans")
    assert server.paths == ["/robots.txt", "/private/plans"]


def test_failing_robots_forbids_all(make_fetcher: MakeFetcher, base: str, server: ServerState) -> None:
    server.robots = (503, b"")
    with pytest.raises(FetchError, match=r"cannot read .*robots.txt.*RFC 9309"):
        make_fetcher(retries=0).fetch(f"{base}/page")
    assert "/page" not in server.paths


def test_parse_robots_groups_and_wildcards() -> None:
    text = "User-agent: Other\nDisallow: /\n\nUser-agent: *\nDisallow: /tmp\nDisallow: /*.pdf$\nDisallow:\n"
    rules = parse_robots(text, "cityevents")
    assert not rules.allows("/tmp/x") and not rules.allows("/a/b.pdf")
    assert rules.allows("/a/b.pdf?x=1") and rules.allows("/events") and rules.allows("/robots.txt")
    assert parse_robots(text, "other").allows("/events") is False
    assert parse_robots("", "cityevents").allows("/anything")


# -- the SSRF guard --------------------------------------------------------------------------------------

BLOCKED_URLS = [
    "http://127.0.0.1:{port}/page",
    "http://localhost:{port}/page",
    "http://[::1]:{port}/page",
    "http://2130706433:{port}/page",
    "http://0177.0.0.1:{port}/page",
    "http://0x7f000001:{port}/page",
    "http://0x7f.0.0.1/",
    "http://127.1:{port}/page",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://169.254.169.254/latest/meta-data",
    "http://[::ffff:127.0.0.1]:{port}/page",
    "http://[::ffff:7f00:1]/",
    "http://0.0.0.0:{port}/page",
    "http://100.64.0.1/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://224.0.0.1/",
    "http://[2002:7f00:1::]/",
    "http://mixed.test/",
    "file:///etc/passwd",
    "ftp://example.org/file",
    "gopher://127.0.0.1:70/",
]


@pytest.mark.parametrize("template", BLOCKED_URLS)
def test_ssrf_targets_are_refused_before_connecting(
    make_fetcher: MakeFetcher,
    server: ServerState,
    resolver: FakeResolver,
    connections: list[tuple[str, int]],
    template: str,
) -> None:
    url = template.format(port=server.port)
    with pytest.raises(BlockedAddress) as caught:
        make_fetcher().fetch(url)
    assert connections == [] and server.paths == []
    assert set(resolver.calls) <= {"localhost", "mixed.test"}
    message = str(caught.value)
    assert "refusing" in message
    if "//" in url and url.startswith("http"):
        assert "allow_hosts" in message  # tells the user how to permit it


def test_blocked_message_names_the_address(make_fetcher: MakeFetcher) -> None:
    with pytest.raises(BlockedAddress, match=r"2130706433 \(127\.0\.0\.1\): it is a loopback address"):
        make_fetcher().fetch("http://2130706433/")
    with pytest.raises(BlockedAddress, match=r"mixed\.test \(10\.0\.0\.1\): it is a private address"):
        make_fetcher().fetch("http://mixed.test/")


def test_blocked_is_a_fetch_error_with_400() -> None:
    assert issubclass(BlockedAddress, FetchError) and BlockedAddress.status == 400


def test_allow_private_reaches_loopback(make_fetcher: MakeFetcher, server: ServerState) -> None:
    fetcher = make_fetcher(allow_private=True, allow_hosts=())
    assert fetcher.fetch(f"http://127.0.0.1:{server.port}/page").data == PAGE
    assert fetcher.fetch(f"http://localhost:{server.port}/page").data == PAGE
    with pytest.raises(BlockedAddress, match="only http and https"):
        fetcher.fetch("file:///etc/passwd")


def test_allow_hosts_is_port_specific(make_fetcher: MakeFetcher, server: ServerState) -> None:
    with pytest.raises(BlockedAddress):
        make_fetcher().fetch(f"http://{HOST_NAME}:{server.port + 1}/page")


def test_dns_rebinding_is_caught_at_connect_time(
    make_fetcher: MakeFetcher, server: ServerState, connections: list[tuple[str, int]]
) -> None:
    answers = [["93.184.216.34"], ["127.0.0.1"]]  # public for the check, loopback for the connection

    def rebinding(host: str, port: int) -> list[str]:
        return answers.pop(0) if len(answers) > 1 else answers[0]

    fetcher = make_fetcher(resolver=rebinding, allow_hosts=(), respect_robots=False)
    with pytest.raises(BlockedAddress, match=r"rebind\.test \(127\.0\.0\.1\)"):
        fetcher.fetch(f"http://rebind.test:{server.port}/page")
    assert connections == [] and server.paths == []


def test_injected_transport_is_still_guarded(make_fetcher: MakeFetcher) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"request reached the transport: {request.url}")

    fetcher = make_fetcher(transport=httpx.MockTransport(handler))
    with pytest.raises(BlockedAddress):
        fetcher.fetch("http://10.0.0.1/events")


def test_injected_transport_serves_allowed_urls(make_fetcher: MakeFetcher, resolver: FakeResolver) -> None:
    resolver.answers["public.test"] = ["93.184.216.34"]  # never connected to: the mock answers
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b"mocked"))
    result = make_fetcher(transport=transport, respect_robots=False).fetch("http://public.test/events")
    assert result.data == b"mocked"


def test_malformed_url_is_a_fetch_error(make_fetcher: MakeFetcher) -> None:
    with pytest.raises(FetchError, match="not a valid URL"):
        make_fetcher().fetch("http://exa mple.test:99x/")
