"""Catalog fixtures: a real database per test, SQLite in tmp_path and PostgreSQL in a fresh schema.

PostgreSQL comes from CITYEVENTS_TEST_PG_URL (default: the local trust-auth server); its tests skip,
saying why, only when that server cannot be reached.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from cityevents.catalog import Catalog, open_catalog
from cityevents.model import Event, Source
from cityevents.settings import database_url

PG_URL = os.environ.get("CITYEVENTS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres)]


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
    """The PostgreSQL URL, or a skip when the server cannot be reached."""
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
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """An empty database on each backend."""
    if request.param == "sqlite":
        return database_url(str(tmp_path / "catalog.db"))
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def catalog(db_url: str) -> Iterator[Catalog]:
    """A migrated, empty catalog on each backend."""
    with open_catalog(db_url) as opened:
        yield opened


@pytest.fixture
def make_event() -> Callable[..., Event]:
    """Build an Event with sensible defaults and a source for ``document``."""

    def build(name: str = "Smart City Expo World Congress", start: date | None = date(2023, 11, 7),
              *, document: str = "doc-a", extractor: str = "text", published: date | None = None,
              **fields: Any) -> Event:
        fields.setdefault("end", start)
        fields.setdefault("city", "Barcelona")
        fields.setdefault("country", "Spain")
        fields.setdefault("country_code", "ES")
        source = Source(document=document, extractor=extractor, published=published)
        return Event(name=name, start=start, sources=[source], **fields)

    return build
