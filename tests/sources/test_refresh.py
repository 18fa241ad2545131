"""refresh() against a real HTTP server on 127.0.0.1, on each backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cityevents import refresh as refresh_module
from cityevents.catalog import Catalog, EventQuery, open_catalog
from cityevents.catalog.sources import SourceRegistry
from cityevents.errors import BlockedAddress
from cityevents.ingest.fetch import Fetcher, UpstreamHTTPError
from cityevents.refresh import refresh

T0 = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
LATER = T0 + timedelta(hours=6)
ICS = "text/calendar; charset=utf-8"
METADATA = "http://169.254.169.254/latest/meta-data/"


def snapshot(catalog: Catalog) -> list[dict[str, Any]]:
    """Every stored event with its sources, for before/after comparisons."""
    return [event.to_dict() for event in catalog.query(EventQuery(limit=100)).events]


def no_extraction(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("an unchanged page was extracted again")


def test_first_fetch_adds_events_and_records_success(catalog: Catalog, site: Any,
                                                     make_fetcher: Callable[..., Fetcher],
                                                     calendar: Callable[..., bytes]) -> None:
    site.pages["/cal.ics"] = (200, calendar(), ICS)
    registry = SourceRegistry(catalog)
    registry.add(site.url("/cal.ics"), timedelta(hours=6))

    report = refresh(catalog, make_fetcher(), now=T0)

    [outcome] = report.outcomes
    assert (outcome.status, outcome.events, outcome.new, outcome.updated) == ("read", 2, 2, 0)
    assert outcome.error is None
    assert report.failed == []
    assert {event.name for event in catalog.query().events} == {"Smart City Expo World Congress",
                                                                 "Urban Mobility Days"}
    source = registry.get(site.url("/cal.ics"))
    assert (source.last_attempt_at, source.last_success_at, source.last_error, source.last_event_count) == (
        T0, T0, None, 2)


def test_unchanged_page_is_a_304_and_is_not_read_again(catalog: Catalog, site: Any,
                                                       make_fetcher: Callable[..., Fetcher],
                                                       calendar: Callable[..., bytes],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    site.pages["/cal.ics"] = (200, calendar(), ICS)
    SourceRegistry(catalog).add(site.url("/cal.ics"), timedelta(hours=6))
    refresh(catalog, make_fetcher(), now=T0)
    before = snapshot(catalog)

    monkeypatch.setattr(refresh_module, "extract_document", no_extraction)
    report = refresh(catalog, make_fetcher(), now=LATER)  # a new process: only the disk cache is shared

    [outcome] = report.outcomes
    assert (outcome.status, outcome.events, outcome.new, outcome.updated) == ("unchanged", 2, 0, 0)
    assert site.answers[-1] == ("/cal.ics", 304)
    assert snapshot(catalog) == before
    assert catalog.stats()["events"] == 2
    assert catalog.stats()["sources"] == 2  # one claim per event: nothing duplicated
    assert SourceRegistry(catalog).get(site.url("/cal.ics")).last_success_at == LATER


def test_changed_page_updates_its_events(catalog: Catalog, site: Any, make_fetcher: Callable[..., Fetcher],
                                         calendar: Callable[..., bytes]) -> None:
    site.pages["/cal.ics"] = (200, calendar(), ICS)
    SourceRegistry(catalog).add(site.url("/cal.ics"), timedelta(hours=6))
    refresh(catalog, make_fetcher(), now=T0)

    site.pages["/cal.ics"] = (200, calendar("Now with a mobility track."), ICS)
    report = refresh(catalog, make_fetcher(), now=LATER)

    [outcome] = report.outcomes
    assert (outcome.status, outcome.events, outcome.new, outcome.updated) == ("read", 2, 0, 1)
    assert site.answers[-1] == ("/cal.ics", 200)
    descriptions = {event.name: event.description for event in catalog.query().events}
    assert descriptions["Smart City Expo World Congress"] == "Now with a mobility track."
    assert catalog.stats()["events"] == 2


def test_a_failing_source_does_not_stop_the_others(catalog: Catalog, site: Any,
                                                   make_fetcher: Callable[..., Fetcher],
                                                   calendar: Callable[..., bytes]) -> None:
    site.pages["/broken"] = (500, b"database on fire", "text/plain")
    site.pages["/cal.ics"] = (200, calendar(), ICS)
    registry = SourceRegistry(catalog)
    registry.add(site.url("/broken"), timedelta(hours=1))
    registry.add(site.url("/cal.ics"), timedelta(hours=1))

    report = refresh(catalog, make_fetcher(), now=T0)

    assert [(o.url, o.status) for o in report.outcomes] == [(site.url("/broken"), "failed"),
                                                           (site.url("/cal.ics"), "read")]
    assert isinstance(report.failed[0].error, UpstreamHTTPError)
    assert report.counts["new"] == 2
    broken = registry.get(site.url("/broken"))
    assert broken.last_attempt_at == T0 and broken.last_success_at is None
    assert "HTTP 500" in (broken.last_error or "")
    assert registry.get(site.url("/cal.ics")).last_error is None


def test_failures_leave_stored_events_alone(catalog: Catalog, site: Any, make_fetcher: Callable[..., Fetcher],
                                           calendar: Callable[..., bytes]) -> None:
    site.pages["/cal.ics"] = (200, calendar(), ICS)
    registry = SourceRegistry(catalog)
    registry.add(site.url("/cal.ics"), timedelta(hours=6))
    refresh(catalog, make_fetcher(), now=T0)
    before = snapshot(catalog)

    site.pages["/cal.ics"] = (503, b"maintenance", "text/plain")
    outage = refresh(catalog, make_fetcher(), now=LATER)
    site.pages["/cal.ics"] = (200, b"   ", ICS)  # an empty document cannot be read
    empty = refresh(catalog, make_fetcher(), now=LATER + timedelta(hours=6))

    assert [o.status for o in outage.outcomes + empty.outcomes] == ["failed", "failed"]
    assert snapshot(catalog) == before
    source = registry.get(site.url("/cal.ics"))
    assert source.last_success_at == T0 and source.last_event_count == 2
    assert source.last_error == str(empty.outcomes[0].error)
    document = catalog.document(site.url("/cal.ics"))
    assert document is not None and document.last_error == source.last_error


def test_blocked_address_is_recorded_as_the_error(catalog: Catalog, site: Any,
                                                  make_fetcher: Callable[..., Fetcher],
                                                  calendar: Callable[..., bytes]) -> None:
    site.pages["/cal.ics"] = (200, calendar(), ICS)
    registry = SourceRegistry(catalog)
    registry.add(METADATA, timedelta(hours=1))
    registry.add(site.url("/cal.ics"), timedelta(hours=1))

    report = refresh(catalog, make_fetcher(), now=T0)

    [blocked] = report.failed
    assert isinstance(blocked.error, BlockedAddress)
    error = registry.get(METADATA).last_error or ""
    assert "169.254.169.254" in error and "link-local" in error
    assert registry.get(site.url("/cal.ics")).last_event_count == 2


def test_only_due_sources_are_fetched_unless_forced(catalog: Catalog, site: Any,
                                                    make_fetcher: Callable[..., Fetcher],
                                                    calendar: Callable[..., bytes]) -> None:
    site.pages["/cal.ics"] = (200, calendar(), ICS)
    registry = SourceRegistry(catalog)
    registry.add(site.url("/cal.ics"), timedelta(hours=6))
    registry.add(site.url("/paused"), timedelta(hours=6))
    registry.set_enabled(site.url("/paused"), False)
    refresh(catalog, make_fetcher(), now=T0)

    early = refresh(catalog, make_fetcher(), now=T0 + timedelta(hours=1))
    assert (early.outcomes, early.not_due) == ([], 1)
    assert site.hits["/cal.ics"] == 1

    forced = refresh(catalog, make_fetcher(), now=T0 + timedelta(hours=1), force=True)
    assert [o.status for o in forced.outcomes] == ["unchanged"]
    assert site.hits["/paused"] == 0


def test_a_cached_page_this_catalog_never_stored_is_read(tmp_path: Path, site: Any,
                                                         make_fetcher: Callable[..., Fetcher],
                                                         calendar: Callable[..., bytes]) -> None:
    site.pages["/cal.ics"] = (200, calendar(), ICS)
    for name in ("first.db", "second.db"):
        with open_catalog(str(tmp_path / name)) as catalog:
            SourceRegistry(catalog).add(site.url("/cal.ics"), timedelta(hours=6))
            [outcome] = refresh(catalog, make_fetcher(), now=T0).outcomes
            assert (outcome.status, outcome.new) == ("read", 2)
    assert site.answers == [("/robots.txt", 404), ("/cal.ics", 200), ("/robots.txt", 404), ("/cal.ics", 304)]
