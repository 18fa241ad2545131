"""Subscription feeds and per-event downloads, for any filter the API accepts.

    /feeds/events.ics  .rss  .atom  .json  .csv     up to 1,000 events, paged through the catalog
    /events/{id}.ics   /events/{id}.json            one event ("add to calendar", the page's JSON twin)

Everything is written by :func:`cityevents.export.render`. The feed's title (iCalendar NAME and
X-WR-CALNAME, RSS and Atom title) says which filter it is. Renderers stamp the current time into
iCalendar, RSS and Atom, so ETags are computed from the data a feed is made of (ids, record
update times, sources), which also lets a 304 skip rendering altogether.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections import OrderedDict
from dataclasses import replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response

from cityevents import __version__
from cityevents.catalog import Catalog, CatalogEvent, EventQuery
from cityevents.errors import NotFound
from cityevents.export import FeedInfo, media_type, render
from cityevents.model import Event
from cityevents.web.api import cached_response, etag_for, not_modified
from cityevents.web.params import EventParams, describe_query, get_catalog, parse_event_query

LOGGER = logging.getLogger(__name__)

FEED_MAX = 1000  # events in one feed
# Events per catalog query while filling a feed: one query for a whole default feed is ~30% faster
# than two (each page pays for the count and the sort); lower it to bound memory per query.
FEED_PAGE = 1000
FEED_CACHE_CONTROL = "public, max-age=300"
FEED_CACHE_SIZE = 64  # rendered feed bodies kept in memory (a 1,000-event ICS is ~1 MB)
# Parameters that page through results: left out of the HTML link a feed points back to.
PAGING = ("limit", "cursor")
JSON_ARRAY = {"type": "array", "items": {"type": "object"}}
TEXT = {"type": "string"}


class FeedFormat(str, enum.Enum):
    """The formats a filtered feed comes in."""

    ICS = "ics"
    RSS = "rss"
    ATOM = "atom"
    JSON = "json"
    CSV = "csv"


def _content(*formats: str) -> dict[int | str, dict[str, object]]:
    """OpenAPI: a 200 whose body is one of these export formats (JSON: an array of events)."""
    content = {media_type(fmt).split(";")[0]: {"schema": JSON_ARRAY if fmt == "json" else TEXT}
               for fmt in formats}
    return {200: {"description": "The rendered document.", "content": content}}


router = APIRouter(tags=["feeds"])

CatalogDep = Annotated[Catalog, Depends(get_catalog)]


@router.get("/feeds/events.{fmt}", response_class=Response, responses=_content(*FeedFormat),
            summary="Events matching the filters as iCalendar, RSS, Atom, JSON or CSV")
def feed(request: Request, catalog: CatalogDep, fmt: FeedFormat,
         params: Annotated[EventParams, Query()]) -> Response:
    """The same filters and sort as ``/api/events``; ``limit`` caps the feed (default and maximum 1,000)."""
    query = parse_event_query(params.as_params(), default_limit=FEED_MAX, max_limit=FEED_MAX)
    events = collect(catalog, query)
    etag = etag_for(__version__, fmt.value, str(request.url), *map(data_version, events))
    unchanged = not_modified(request, etag, FEED_CACHE_CONTROL)
    if unchanged is not None:
        return unchanged
    body = RENDERED.get(etag)
    if body is None:
        base = str(request.base_url)
        description = describe_query(query)
        filters = urlencode([(name, value) for name, value in params.as_params().items() if name not in PAGING])
        info = FeedInfo(title=f"{description} — cityevents", link=f"{base}?{filters}" if filters else base,
                        self_url=str(request.url), description=description)
        body = render(events, fmt.value, info, event_url=lambda event: f"{base}events/{event.id}").encode()
        RENDERED.put(etag, body)
    return cached_response(request, body, media_type(fmt.value), etag=etag, cache_control=FEED_CACHE_CONTROL)


class RenderedFeeds:
    """The last few rendered feed bodies by ETag. The ETag covers the URL and every event's data
    version, so a body is reused only for the same filter over unchanged events: calendar apps
    polling one subscription cost a catalog query, not a re-rendering."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, etag: str) -> bytes | None:
        with self._lock:
            body = self._bodies.get(etag)
            if body is not None:
                self._bodies.move_to_end(etag)
            return body

    def put(self, etag: str, body: bytes) -> None:
        with self._lock:
            self._bodies[etag] = body
            while len(self._bodies) > self._size:
                self._bodies.popitem(last=False)


RENDERED = RenderedFeeds(FEED_CACHE_SIZE)


@router.get("/events/{event_id}.ics", response_class=Response, responses=_content("ics"),
            summary="One event as iCalendar (add to calendar)")
def event_ics(request: Request, catalog: CatalogDep, event_id: str) -> Response:
    """A calendar with this one event, to import into a calendar app."""
    return _one_event(request, catalog, event_id, "ics")


@router.get("/events/{event_id}.json", response_class=Response, responses=_content("json"),
            summary="One event in the export JSON form")
def event_json(request: Request, catalog: CatalogDep, event_id: str) -> Response:
    """The event as a one-item array, in the same form as the items of ``/feeds/events.json``."""
    return _one_event(request, catalog, event_id, "json")


def collect(catalog: Catalog, query: EventQuery) -> list[Event]:
    """Up to ``query.limit`` matching events, read page by page from ``query.cursor`` on.

    Args:
        catalog: the catalog.
        query: filters, sort and the number of events wanted.

    Returns:
        The events in the query's order.

    Raises:
        InputError: for a malformed cursor.
    """
    found: list[Event] = []
    page_query = replace(query, limit=min(FEED_PAGE, query.limit))
    while True:
        page = catalog.query(page_query)
        found.extend(page.events)
        remaining = query.limit - len(found)
        if page.next_cursor is None or remaining <= 0:
            return found
        page_query = replace(page_query, cursor=page.next_cursor, limit=min(FEED_PAGE, remaining))


def data_version(event: Event) -> str:
    """What a rendering of the event depends on: its record's update time and its sources."""
    updated = event.updated_at.isoformat() if isinstance(event, CatalogEvent) and event.updated_at else ""
    sources = [f"{source.document}@{source.seen_at.isoformat()}" for source in event.sources]
    return f"{event.id}|{updated}|{'|'.join(sources)}|{len(event.conflicts)}"


def _one_event(request: Request, catalog: Catalog, event_id: str, fmt: str) -> Response:
    event = catalog.get(event_id)
    if event is None:
        raise NotFound(f"no event {event_id!r}")
    etag = etag_for(__version__, fmt, str(request.url), data_version(event))
    unchanged = not_modified(request, etag, FEED_CACHE_CONTROL)
    if unchanged is not None:
        return unchanged
    base = str(request.base_url)
    page = f"{base}events/{event.id}"
    info = FeedInfo(title=f"{event.name} — cityevents", link=page, self_url=str(request.url))
    body = render([event], fmt, info, event_url=lambda _: page)
    return cached_response(request, body.encode(), media_type(fmt), etag=etag,
                           cache_control=FEED_CACHE_CONTROL)
