"""Engines and migrations: open a database the catalog can use, and bring its schema up to date.

SQLite connections get foreign keys, WAL, a busy timeout and a ``haversine_km`` SQL function;
SQLAlchemy (not the sqlite3 driver) emits BEGIN, so that write transactions can take the
database lock up front with ``BEGIN IMMEDIATE`` (see :func:`write_connection`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from cityevents.errors import CatalogError

LOGGER = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0088
# Any constant shared by every cityevents process: the key of the PostgreSQL advisory lock that
# serialises catalog writes and migrations.
PG_WRITE_LOCK = 0x63697479  # "city"
SQLITE_BUSY_TIMEOUT_S = 30


def haversine_km(lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None) -> float | None:
    """Great-circle distance in kilometres, or ``None`` when a coordinate is missing."""
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def create_catalog_engine(url: str) -> sa.Engine:
    """An engine for ``url`` with the per-connection setup the catalog relies on.

    Args:
        url: a SQLAlchemy URL, as returned by :func:`cityevents.settings.database_url`.

    Returns:
        The engine.

    Raises:
        CatalogError: when SQLAlchemy cannot build an engine for the URL (unknown driver, bad URL).
    """
    try:
        sa_url = sa.make_url(url)
        if sa_url.get_backend_name() == "sqlite":
            engine = sa.create_engine(sa_url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
            _setup_sqlite(engine)
        else:
            engine = sa.create_engine(sa_url, pool_pre_ping=True)
    except (sa.exc.ArgumentError, ImportError) as error:
        raise CatalogError(f"cannot open catalog {url!r}: {error}") from error
    return engine


def _setup_sqlite(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        dbapi_connection.create_function("haversine_km", 4, haversine_km, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def write_connection(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection inside a write transaction that holds the database's write lock.

    SQLite takes its lock with ``BEGIN IMMEDIATE``; PostgreSQL with a transaction-level advisory
    lock. Either way, concurrent writers (threads or processes) queue instead of interleaving.
    The transaction commits when the block ends and rolls back if it raises.

    Args:
        engine: an engine from :func:`create_catalog_engine`.

    Yields:
        The connection.
    """
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection = connection.execution_options(sqlite_begin="IMMEDIATE")
        with connection.begin():
            if engine.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})
            yield connection


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic Config for the packaged migrations, built in code (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", str(files("cityevents.catalog") / "migrations"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest migration shipped with this version of cityevents."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: sa.Connection) -> str | None:
    """The migration the database is at, or ``None`` for an empty database."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: sa.Engine) -> None:
    """Apply any pending migrations, in one write transaction.

    Args:
        engine: an engine from :func:`create_catalog_engine`.

    Raises:
        CatalogError: when the database cannot be reached or a migration fails.
    """
    try:
        with write_connection(engine) as connection:
            current = current_revision(connection)
            head = head_revision()
            if current == head:
                return
            LOGGER.info("migrating catalog %s from %s to %s", engine.url.render_as_string(), current, head)
            command.upgrade(alembic_config(connection), "head")
    except sa.exc.SQLAlchemyError as error:
        raise CatalogError(f"cannot open or migrate catalog: {error.__class__.__name__}: {error}") from error
