"""SourceRegistry on each backend: add, list, remove, pause, due, record_result."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cityevents.catalog import Catalog
from cityevents.catalog.sources import SourceRegistry
from cityevents.errors import InputError, NotFound

FEED = "https://example.org/feed.xml"
CALENDAR = "https://example.org/calendar.ics"
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def registry(catalog: Catalog) -> SourceRegistry:
    return SourceRegistry(catalog)


def test_add_list_remove(registry: SourceRegistry) -> None:
    before = datetime.now(UTC)
    added = registry.add("https://Example.org/feed.xml#latest", timedelta(hours=6))
    registry.add(CALENDAR, timedelta(days=1))
    assert added.url == FEED
    assert added.every == timedelta(hours=6)
    assert before - timedelta(seconds=1) <= added.added_at <= datetime.now(UTC)
    assert added.added_at.tzinfo is not None
    assert (added.last_attempt_at, added.last_success_at, added.last_error, added.last_event_count) == (
        None, None, None, None)
    assert added.enabled
    assert [s.url for s in registry.list()] == [FEED, CALENDAR]

    registry.remove("https://EXAMPLE.org/feed.xml")
    assert [s.url for s in registry.list()] == [CALENDAR]


def test_adding_a_url_twice_is_refused(registry: SourceRegistry) -> None:
    registry.add(FEED, timedelta(hours=6))
    with pytest.raises(InputError, match=r"already a source \(every 6h\)"):
        registry.add("HTTPS://example.org/feed.xml", timedelta(hours=1))
    assert [(s.url, s.every) for s in registry.list()] == [(FEED, timedelta(hours=6))]


def test_add_validates_url_and_interval(registry: SourceRegistry) -> None:
    with pytest.raises(InputError, match="http:// or https://"):
        registry.add("gopher://example.org/", timedelta(hours=1))
    with pytest.raises(InputError, match="at most once a minute"):
        registry.add(FEED, timedelta(seconds=30))
    assert registry.list() == []


def test_remove_and_get_unknown_source_is_not_found(registry: SourceRegistry) -> None:
    with pytest.raises(NotFound, match="is not a source"):
        registry.remove(FEED)
    with pytest.raises(NotFound):
        registry.remove("not a url")
    with pytest.raises(NotFound):
        registry.get(FEED)
    with pytest.raises(NotFound):
        registry.record_result(FEED, at=T0, events=1)


def test_due_follows_the_last_attempt(registry: SourceRegistry) -> None:
    registry.add(FEED, timedelta(hours=6))
    registry.add(CALENDAR, timedelta(days=1))
    assert [s.url for s in registry.due(T0)] == [FEED, CALENDAR]  # never tried: due at once

    registry.record_result(FEED, at=T0, events=3)
    registry.record_result(CALENDAR, at=T0 - timedelta(hours=1), error="HTTP 500")
    assert registry.due(T0) == []
    assert registry.due(T0 + timedelta(hours=5, minutes=59)) == []
    assert [s.url for s in registry.due(T0 + timedelta(hours=6))] == [FEED]
    # A failed source waits for its own interval too; the oldest attempt comes first.
    assert [s.url for s in registry.due(T0 + timedelta(days=1))] == [CALENDAR, FEED]


def test_paused_sources_are_never_due(registry: SourceRegistry) -> None:
    registry.add(FEED, timedelta(hours=6))
    registry.set_enabled(FEED, False)
    assert registry.due(T0) == []
    assert not registry.get(FEED).enabled
    registry.set_enabled(FEED, True)
    assert [s.url for s in registry.due(T0)] == [FEED]
    with pytest.raises(NotFound):
        registry.set_enabled(CALENDAR, False)


def test_record_result_keeps_the_last_success_through_failures(registry: SourceRegistry) -> None:
    registry.add(FEED, timedelta(hours=6))
    registry.record_result(FEED, at=T0, events=4)
    ok = registry.get(FEED)
    assert (ok.last_attempt_at, ok.last_success_at, ok.last_error, ok.last_event_count) == (T0, T0, None, 4)

    later = T0 + timedelta(hours=6)
    registry.record_result(FEED, at=later, error="example.org: HTTP 503 Service Unavailable")
    failed = registry.get(FEED)
    assert failed.last_attempt_at == later
    assert failed.last_success_at == T0
    assert failed.last_error == "example.org: HTTP 503 Service Unavailable"
    assert failed.last_event_count == 4

    latest = later + timedelta(hours=6)
    registry.record_result(FEED, at=latest)  # a success without a count keeps the last one
    recovered = registry.get(FEED)
    assert (recovered.last_success_at, recovered.last_error, recovered.last_event_count) == (latest, None, 4)
