"""Sources: pages, feeds and calendars the catalog fetches again on a schedule.

    registry = SourceRegistry(catalog)
    registry.add("https://example.org/events.ics", parse_interval("6h"))
    for source in registry.due(datetime.now(UTC)):
        ...  # fetch, extract, ingest: see cityevents.refresh
        registry.record_result(source.url, at=now, events=12)

A source is due when it is enabled and its interval has passed since the last *attempt* (or it was never
tried), so a failing source is retried on its own schedule rather than on every run. The URL is only
checked for its form here; the fetcher's SSRF guard decides at fetch time what may be reached, because
what a host name resolves to can change between adding a source and fetching it.
"""

from __future__ import annotations

import builtins
import logging
import re
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from cityevents.catalog.schema import sources
from cityevents.catalog.store import Catalog
from cityevents.errors import InputError, NotFound

LOGGER = logging.getLogger(__name__)

SCHEMES = ("http", "https")
UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
INTERVAL_PART = re.compile(r"(\d+)\s*([a-z])")
INTERVAL = re.compile(r"(?:\d+\s*[a-z]\s*)+")
MIN_INTERVAL = timedelta(minutes=1)
MAX_INTERVAL = timedelta(days=366)
INTERVAL_HINT = 'use a number and a unit: m (minutes), h (hours), d (days) or w (weeks), e.g. "6h" or "1d12h"'


@dataclass(frozen=True)
class SourceRecord:
    """One source and the outcome of its last fetch.

    Attributes:
        url: the URL as stored (scheme and host in lower case, no fragment).
        every: how often it is fetched.
        added_at: when it was added.
        last_attempt_at: when a fetch was last tried, whatever came of it.
        last_success_at: when a fetch last succeeded (an unchanged page counts as success).
        last_error: the last attempt's error; ``None`` after a success.
        last_event_count: events the page yielded at its last success; ``None`` before the first.
        enabled: whether :meth:`SourceRegistry.due` considers it.
    """

    url: str
    every: timedelta
    added_at: datetime
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    last_event_count: int | None
    enabled: bool

    def is_due(self, now: datetime) -> bool:
        """Enabled, and never tried or last tried at least ``every`` before ``now``."""
        return self.enabled and (self.last_attempt_at is None or self.last_attempt_at + self.every <= now)


def parse_interval(text: str) -> timedelta:
    """Read an interval such as ``"30m"``, ``"6h"``, ``"1d"``, ``"2w"`` or ``"1d12h"``.

    Args:
        text: one or more number-and-unit pairs; units m, h, d, w; case and spaces do not matter.

    Returns:
        The interval.

    Raises:
        InputError: for anything else, or an interval under a minute or over 366 days.
    """
    compact = text.strip().lower()
    if not INTERVAL.fullmatch(compact):
        raise InputError(f"{text!r} is not an interval: {INTERVAL_HINT}")
    seconds = 0
    for number, unit in INTERVAL_PART.findall(compact):
        if unit not in UNIT_SECONDS:
            raise InputError(f"{text!r}: unknown unit {unit!r}; {INTERVAL_HINT}")
        seconds += int(number) * UNIT_SECONDS[unit]
    return _checked_interval(timedelta(seconds=seconds), text)


def format_interval(every: timedelta) -> str:
    """The shortest spelling :func:`parse_interval` reads back: 21600 s -> ``"6h"``, 36 h -> ``"1d12h"``."""
    seconds = int(every.total_seconds())
    parts = []
    for unit, size in sorted(UNIT_SECONDS.items(), key=lambda item: -item[1]):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0m"


def normalise_url(url: str) -> str:
    """The form a source URL is stored in: scheme and host lower-cased, fragment dropped.

    Raises:
        InputError: for a URL that is not http(s), has no host, or carries credentials.
    """
    text = url.strip()
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise InputError(f"{url!r} is not a valid URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise InputError(f"{url!r}: a source must be an http:// or https:// URL (got {shown})")
    if not parts.hostname:
        raise InputError(f"{url!r}: the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise InputError(f"{url!r}: credentials in a source URL are not supported "
                         "(they would be stored and shown)")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host if port is None else f"{host}:{port}"
    return urllib.parse.urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


class SourceRegistry:
    """The catalog's sources: add, list, remove, pick the due ones, remember how each fetch went.

    Writes take the catalog's write path (one transaction each, serialised with every other write).
    """

    def __init__(self, catalog: Catalog) -> None:
        # Writes use the catalog's own write path (Catalog._writing), so there stays one per database.
        self.catalog = catalog

    def add(self, url: str, every: timedelta) -> SourceRecord:
        """Register a URL to fetch every ``every``.

        Args:
            url: an http or https URL.
            every: the interval, at least a minute (see :func:`parse_interval`).

        Returns:
            The new source, due at once.

        Raises:
            InputError: a malformed URL, an interval out of range, or a URL that is already a source.
            CatalogError: when the database write fails.
        """
        key = normalise_url(url)
        seconds = int(_checked_interval(every, str(every)).total_seconds())
        now = _now()
        with self.catalog._writing(f"add source {key}") as conn:
            existing = conn.execute(sa.select(sources.c.every).where(sources.c.url == key)).first()
            if existing is not None:
                current = format_interval(timedelta(seconds=existing.every))
                raise InputError(f"{key} is already a source (every {current}); remove it first to change it")
            conn.execute(sa.insert(sources).values(url=key, every=seconds, added_at=now, enabled=True))
        LOGGER.info("added source %s every %s", key, format_interval(every))
        return self.get(key)

    def get(self, url: str) -> SourceRecord:
        """One source.

        Raises:
            NotFound: when ``url`` is not a source.
        """
        key = _lookup_key(url)
        with self.catalog.engine.connect() as conn:
            row = conn.execute(sa.select(sources).where(sources.c.url == key)).first()
        if row is None:
            raise NotFound(f"{url} is not a source")
        return _record(row)

    def list(self) -> list[SourceRecord]:
        """Every source, in the order they were added."""
        with self.catalog.engine.connect() as conn:
            return [_record(row) for row in conn.execute(sa.select(sources).order_by(sources.c.id))]

    def remove(self, url: str) -> None:
        """Forget a source; the events it brought stay in the catalog.

        Raises:
            NotFound: when ``url`` is not a source.
            CatalogError: when the database write fails.
        """
        key = _lookup_key(url)
        with self.catalog._writing(f"remove source {key}") as conn:
            if conn.execute(sa.delete(sources).where(sources.c.url == key)).rowcount == 0:
                raise NotFound(f"{url} is not a source")
        LOGGER.info("removed source %s", key)

    def set_enabled(self, url: str, enabled: bool) -> None:
        """Pause (``False``) or resume (``True``) a source's scheduled fetches.

        Raises:
            NotFound: when ``url`` is not a source.
            CatalogError: when the database write fails.
        """
        key = _lookup_key(url)
        with self.catalog._writing(f"update source {key}") as conn:
            updated = conn.execute(sa.update(sources).where(sources.c.url == key).values(enabled=enabled))
            if updated.rowcount == 0:
                raise NotFound(f"{url} is not a source")

    def due(self, now: datetime) -> builtins.list[SourceRecord]:
        """The enabled sources whose interval has passed since their last attempt, oldest attempt first.

        Sources are few, so the interval arithmetic is done here rather than in backend-specific SQL.
        """
        with self.catalog.engine.connect() as conn:
            rows = conn.execute(sa.select(sources).where(sources.c.enabled.is_(True)).order_by(sources.c.id))
            found = [source for source in map(_record, rows) if source.is_due(now)]
        return sorted(found, key=lambda s: (s.last_attempt_at is not None, s.last_attempt_at or now))

    def record_result(self, url: str, *, at: datetime, events: int | None = None,
                      error: str | None = None) -> None:
        """Remember one fetch: a success with its event count, or a failure with its error.

        Args:
            url: the source.
            at: when the attempt was made.
            events: on success, the events the page yielded; ``None`` keeps the last count.
            error: on failure, a one-line description; the last success and its count are kept.

        Raises:
            NotFound: when ``url`` is not (or no longer) a source.
            CatalogError: when the database write fails.
        """
        key = _lookup_key(url)
        values: dict[str, object] = {"last_attempt_at": at}
        if error is None:
            values.update(last_success_at=at, last_error=None)
            if events is not None:
                values["last_event_count"] = events
        else:
            values["last_error"] = error
        with self.catalog._writing(f"record the refresh of {key}") as conn:
            if conn.execute(sa.update(sources).where(sources.c.url == key).values(**values)).rowcount == 0:
                raise NotFound(f"{url} is not a source")


def _checked_interval(every: timedelta, shown: str) -> timedelta:
    if every < MIN_INTERVAL:
        raise InputError(f"{shown!r}: sources are fetched at most once a minute; use at least 1m")
    if every > MAX_INTERVAL:
        raise InputError(f"{shown!r}: the longest interval is 366 days")
    return every


def _lookup_key(url: str) -> str:
    """The stored form of ``url``; a URL that cannot be a source is simply not found."""
    try:
        return normalise_url(url)
    except InputError:
        raise NotFound(f"{url} is not a source") from None


def _record(row: sa.Row[Any]) -> SourceRecord:
    values = dict(row._mapping)
    values.pop("id")
    values["every"] = timedelta(seconds=values["every"])
    return SourceRecord(**values)


def _now() -> datetime:
    return datetime.now(UTC)
