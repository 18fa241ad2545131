"""HTTPS through the address-pinning transport: the socket goes to the vetted IP, SNI and certificate
checks still use the host name. A throwaway self-signed certificate for ``events.test`` is made with
the ``openssl`` command line; the tests skip when it is missing."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from cityevents.errors import FetchError
from cityevents.ingest.fetch import Fetcher

from .conftest import HOST_NAME, PAGE, FakeResolver, Handler, ServerState


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate and key for ``events.test``."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={HOST_NAME}",
         "-addext", f"subjectAltName=DNS:{HOST_NAME}"],
        check=True, capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[ServerState]:
    """The test routes over HTTPS on 127.0.0.1, recording the SNI name each handshake asked for."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    state = ServerState()

    def record_sni(sock: ssl.SSLObject, name: str | None, ctx: ssl.SSLContext) -> None:
        state.server_names.append(name)

    context.sni_callback = record_sni  # type: ignore[assignment]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    httpd.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def _client_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


def test_https_is_pinned_but_verified_by_name(
    tls_server: ServerState, certificate: tuple[Path, Path], connections: list[tuple[str, int]]
) -> None:
    resolver = FakeResolver({HOST_NAME: ["127.0.0.1"]})
    with Fetcher(
        cache_dir=None,
        resolver=resolver,
        allow_hosts={f"{HOST_NAME}:{tls_server.port}"},
        ssl_context=_client_context(certificate),
    ) as fetcher:
        result = fetcher.fetch(f"https://{HOST_NAME}:{tls_server.port}/page")
    assert result.data == PAGE
    assert {address for address, _ in connections} == {"127.0.0.1"}
    assert set(tls_server.server_names) == {HOST_NAME}
    assert tls_server.headers["/page"]["Host"] == f"{HOST_NAME}:{tls_server.port}"


def test_certificate_for_another_name_is_rejected(
    tls_server: ServerState, certificate: tuple[Path, Path]
) -> None:
    with Fetcher(
        cache_dir=None, allow_private=True, respect_robots=False, retries=0,
        ssl_context=_client_context(certificate),
    ) as fetcher, pytest.raises(FetchError, match="(?i)hostname mismatch|IP address mismatch"):
        fetcher.fetch(f"https://127.0.0.1:{tls_server.port}/page")
    assert "/page" not in tls_server.paths
