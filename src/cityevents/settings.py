"""One settings object, read from the environment.

    CITYEVENTS_DB         database URL or SQLite file path   (default ``sqlite:///./cityevents.db``)
    CITYEVENTS_CACHE_DIR  where fetched documents are cached (default ``~/.cache/cityevents``)

:func:`database_url` turns whatever a user typed (a file path, ``postgresql://...``) into the
SQLAlchemy URL the catalog opens.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cityevents.errors import CatalogError

LOGGER = logging.getLogger(__name__)

DEFAULT_DB = "sqlite:///./cityevents.db"
DEFAULT_CACHE_DIR = "~/.cache/cityevents"

# Scheme prefixes (before "://") and the driver-qualified form the catalog uses for them.
SCHEME_ALIASES: dict[str, str] = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite+pysqlite",
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}


TILE_URL_VARIABLE = "CITYEVENTS_TILE_URL"
SECRET_VARIABLE = "CITYEVENTS_SECRET"


@dataclass(frozen=True)
class Settings:
    """Everything cityevents reads from the environment.

    Attributes:
        db: the database as given (URL or file path); see :attr:`database_url` (CITYEVENTS_DB).
        cache_dir: directory for cached downloads (CITYEVENTS_CACHE_DIR).
        tile_url: a map tile URL template such as ``https://tile.example.org/{z}/{x}/{y}.png``
            (CITYEVENTS_TILE_URL); empty means the offline outline shipped with the app.
        secret: the key that signs CSRF tokens and hashes submitters' addresses (CITYEVENTS_SECRET);
            empty means one is generated per process (forms then do not survive a restart).
    """

    db: str = DEFAULT_DB
    cache_dir: Path = Path(DEFAULT_CACHE_DIR).expanduser()
    tile_url: str = ""
    secret: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from ``environ`` (default: ``os.environ``).

        Args:
            environ: the variables to read; empty values count as unset.

        Returns:
            The settings, with defaults for anything unset.
        """
        env = os.environ if environ is None else environ
        return cls(
            db=env.get("CITYEVENTS_DB") or DEFAULT_DB,
            cache_dir=Path(env.get("CITYEVENTS_CACHE_DIR") or DEFAULT_CACHE_DIR).expanduser(),
            tile_url=env.get(TILE_URL_VARIABLE, "").strip(),
            secret=env.get(SECRET_VARIABLE, ""),
        )

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL for :attr:`db`."""
        return database_url(self.db)


def database_url(value: str | None) -> str:
    """Normalise a database location to a SQLAlchemy URL.

    Args:
        value: a plain file path (``events.db``, ``~/data/events.db``), a ``sqlite:///`` URL,
            ``postgresql://...`` / ``postgres://...`` (given the psycopg 3 driver) or
            ``postgresql+psycopg://...``. ``None`` or blank means ``CITYEVENTS_DB`` or the default.

    Returns:
        A URL SQLAlchemy can open; file paths become ``sqlite:////absolute/path``.

    Raises:
        CatalogError: for a URL scheme the catalog does not support (e.g. ``mysql://``).
    """
    if value is None or not value.strip():
        value = Settings.from_env().db
    value = value.strip()
    scheme, sep, rest = value.partition("://")
    if not sep:
        path = Path(value).expanduser().resolve()
        return f"sqlite:///{path}"
    target = SCHEME_ALIASES.get(scheme.lower())
    if target is None:
        raise CatalogError(
            f"unsupported database URL scheme {scheme!r}: use a file path, sqlite:/// or postgresql://"
        )
    return f"{target}://{rest}"
