"""Suite-wide fixtures, and the rule that CI may not skip what it installed.

Databases: ``db_url`` / ``catalog`` give a real, empty catalog on each backend — SQLite in
tmp_path and PostgreSQL (CITYEVENTS_TEST_PG_URL, default the local trust-auth server) in a fresh
schema dropped after the test.

Tests marked ``postgres`` or ``browser`` may skip locally when the component is absent; with
CITYEVENTS_REQUIRE_PG=1 or CITYEVENTS_REQUIRE_BROWSER=1 (set by .ci/run) such a skip is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from cityevents.catalog import Catalog, open_catalog
from cityevents.settings import database_url

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REQUIRED = {"postgres": "CITYEVENTS_REQUIRE_PG", "browser": "CITYEVENTS_REQUIRE_BROWSER"}
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
