"""Suite-wide fixtures, and the rule that CI may not skip what it installed.

Databases: ``db_url`` / ``catalog`` give a real, empty catalog on each backend — SQLite in
tmp_path and PostgreSQL (CITYEVENTS_TEST_PG_URL, default the local trust-auth server) in a fresh
schema dropped after the test.

Tests marked ``postgres`` or ``browser`` may skip locally when the component is absent; with
CITYEVENTS_REQUIRE_PG=1 or CITYEVENTS_REQUIRE_BROWSER=1 (set by .ci/run) such a skip is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
import uvicorn

from cityevents.catalog import Catalog, open_catalog
from cityevents.settings import database_url

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REQUIRED = {"postgres": "CITYEVENTS_REQUIRE_PG", "browser": "CITYEVENTS_REQUIRE_BROWSER"}
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_SECONDS = 15
PG_URL = os.environ.get("CITYEVENTS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared folder (seeds, gold labels, corpora); skips when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: shared seeds and corpora are not available here")
    return SHARED


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if not report.skipped:
        return
    for marker, variable in REQUIRED.items():
        if item.get_closest_marker(marker) and os.environ.get(variable) == "1":
            report.outcome = "failed"
            report.longrepr = f"{item.nodeid}: skipped, but {variable}=1 requires it to run ({report.longrepr})"


def _pg_unreachable() -> str | None:
    engine = sa.create_engine(database_url(PG_URL), connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return None
    except sa.exc.OperationalError as error:
        return f"PostgreSQL at {PG_URL} is unreachable: {str(error).splitlines()[0]}"
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL URL, or a skip saying why the server cannot be reached."""
    reason = _pg_unreachable()
    if reason:
        pytest.skip(reason)
    return database_url(PG_URL)


@pytest.fixture
def pg_schema_url(pg_server: str) -> Iterator[str]:
    """A URL whose connections live in a fresh, empty schema, dropped after the test."""
    schema = f"cityevents_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(pg_server)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in pg_server else "?"
    yield f"{pg_server}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend."""
    if request.param == "sqlite":
        return database_url(str(tmp_path / "catalog.db"))
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def catalog(db_url: str) -> Iterator[Catalog]:
    """A migrated, empty catalog on each backend."""
    with open_catalog(db_url) as opened:
        yield opened


@contextmanager
def _running(app: Any) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name=f"live-server-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def serve_app() -> Callable[[Any], AbstractContextManager[str]]:
    """``with serve_app(app) as base_url:`` runs an ASGI app on uvicorn in a thread on 127.0.0.1."""
    return _running


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium under Playwright, one for the whole session (Playwright's sync API allows
    one instance at a time); skips, saying why, when either is missing."""
    playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    executable = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    if executable is None:
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=os.environ.get("CITYEVENTS_HEADED") != "1"
        )
        yield launched
        launched.close()
