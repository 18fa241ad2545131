"""Refresh: fetch the sources that are due, read them and bring the catalog up to date.

For each due source, in turn:

1. fetch it through the safe :class:`~cityevents.ingest.fetch.Fetcher` (SSRF guard, limits, robots.txt,
   conditional requests: an unchanged page costs one request answered ``304 Not Modified``);
2. if the body is the one the catalog last ingested for that URL (a 304, or a 200 with the same bytes),
   count the source "unchanged" and read nothing; otherwise extract its events with the pipeline and
   store them with :meth:`Catalog.ingest_document`, which is idempotent;
3. remember on the source when it succeeded, or the one-line error that stopped it.

The comparison in step 2 is against the catalog, not only the HTTP cache: the cache lives in the user's
cache directory and may hold a page that this catalog has never stored.

A failing source (fetch refused or failed, unreadable document, even a bug in a reader) is recorded and
the others go on; the catalog's events are only ever changed by a successful ingest.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from cityevents.catalog import Catalog
from cityevents.catalog.sources import SourceRecord, SourceRegistry
from cityevents.errors import CityEventsError
from cityevents.ingest.fetch import Fetcher
from cityevents.pipeline import Document, extract_document

LOGGER = logging.getLogger(__name__)

Status = Literal["read", "unchanged", "failed"]


@dataclass
class SourceOutcome:
    """What refreshing one source did.

    Attributes:
        url: the source.
        status: ``"read"`` (fetched and ingested), ``"unchanged"`` (same content as last time, not
            re-read) or ``"failed"``.
        events: events the page yields (for an unchanged page, as counted at its last ingest).
        new, updated: catalog events created or changed by this refresh.
        error: why it failed, for a failed source.
    """

    url: str
    status: Status
    events: int = 0
    new: int = 0
    updated: int = 0
    error: CityEventsError | None = None

    @property
    def message(self) -> str:
        """The error as one line that names the source once (fetch errors already start with the URL)."""
        text = str(self.error) if self.error is not None else self.status
        return text if self.url in text else f"{self.url}: {text}"


@dataclass
class RefreshReport:
    """The outcome of one :func:`refresh`: one entry per source fetched, in the order fetched."""

    outcomes: list[SourceOutcome] = field(default_factory=list)
    not_due: int = 0  # enabled sources left alone because their interval has not passed

    @property
    def failed(self) -> list[SourceOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]

    @property
    def counts(self) -> Counter[str]:
        """Sources by status, plus the totals of new and updated events."""
        counts: Counter[str] = Counter(outcome.status for outcome in self.outcomes)
        counts["new"] = sum(outcome.new for outcome in self.outcomes)
        counts["updated"] = sum(outcome.updated for outcome in self.outcomes)
        return counts


def refresh(catalog: Catalog, fetcher: Fetcher, *, now: datetime | None = None,
            force: bool = False) -> RefreshReport:
    """Fetch every due source and ingest what changed.

    Args:
        catalog: the catalog whose sources are refreshed and where their events go.
        fetcher: the fetcher to use; give it a ``cache_dir`` so unchanged pages cost a 304.
        now: the time to judge which sources are due, and to record attempts at; default: now (UTC).
        force: fetch every enabled source, due or not.

    Returns:
        One outcome per source fetched.

    Raises:
        CatalogError: when the outcome of a source cannot be recorded (the database is unusable).
    """
    now = now or datetime.now(UTC)
    registry = SourceRegistry(catalog)
    enabled = [source for source in registry.list() if source.enabled]
    due = enabled if force else registry.due(now)
    report = RefreshReport(not_due=len(enabled) - len(due))
    for source in due:
        outcome = _refresh_one(catalog, fetcher, source)
        if outcome.error is None:
            registry.record_result(source.url, at=now, events=outcome.events)
        else:
            LOGGER.info("%s", outcome.message)  # the caller reports failures, from the RefreshReport
            registry.record_result(source.url, at=now, error=str(outcome.error))
        report.outcomes.append(outcome)
    LOGGER.info("refreshed %d source(s): %s; %d not due", len(report.outcomes), dict(report.counts),
                report.not_due)
    return report


def _refresh_one(catalog: Catalog, fetcher: Fetcher, source: SourceRecord) -> SourceOutcome:
    """Fetch, compare, extract and ingest one source; every error becomes the outcome, none is raised."""
    url = source.url
    try:
        fetched = fetcher.fetch(url)
        document = Document(url, data=fetched.data, content_type=fetched.content_type)
        known = catalog.document(url)
        if known is not None and known.last_ingested and known.content_hash == document.content_hash:
            LOGGER.info("%s: unchanged (%s)", url, "not modified" if fetched.from_cache else "same content")
            return SourceOutcome(url, "unchanged", events=known.events_yielded)
        extraction = extract_document(document)
        if extraction.error is not None:
            catalog.record_failure(url, str(extraction.error))
            return SourceOutcome(url, "failed", error=extraction.error)
        stored = catalog.ingest_document(url, extraction.events, content_hash=document.content_hash)
    except CityEventsError as error:
        return SourceOutcome(url, "failed", error=error)
    except Exception as error:  # a bug in one reader must not stop the other sources
        LOGGER.exception("%s: unexpected error while refreshing", url)
        return SourceOutcome(url, "failed", error=CityEventsError(f"{url}: internal error: {error!r}"))
    return SourceOutcome(url, "read", events=len(stored.event_ids), new=stored.new, updated=stored.updated)
