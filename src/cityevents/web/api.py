"""The JSON API under /api: events (filtered, paged), one event with provenance, facets, health.

Every read carries an ETag (a hash of the body, or of the data a feed is made from) and
Cache-Control; a request whose ``If-None-Match`` matches gets 304 with no body.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from cityevents import __version__
from cityevents.catalog import Catalog, EventQuery
from cityevents.errors import NotFound
from cityevents.extract.topics import TAXONOMY
from cityevents.web.errors import error_response
from cityevents.web.params import country_name, event_query, filter_query, get_catalog
from cityevents.web.schemas import (
    EventDetail,
    EventList,
    Facet,
    FacetList,
    Health,
    event_detail,
    event_public,
)

LOGGER = logging.getLogger(__name__)

API_CACHE_CONTROL = "public, max-age=60"
JSON = "application/json"
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"description": "Bad parameter (error shape: `{\"error\": {status, code, message}}`)."},
    404: {"description": "No such event."},
}

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)

CatalogDep = Annotated[Catalog, Depends(get_catalog)]
QueryDep = Annotated[EventQuery, Depends(event_query)]
FilterDep = Annotated[EventQuery, Depends(filter_query)]


def etag_for(*parts: str | bytes) -> str:
    """A strong ETag from the parts that make a response."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return f'"{digest.hexdigest()}"'


def not_modified(request: Request, etag: str, cache_control: str) -> Response | None:
    """A 304 when ``If-None-Match`` names ``etag`` (or ``*``), else ``None``."""
    header = request.headers.get("if-none-match")
    if not header:
        return None
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if etag in tags or "*" in tags:
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": cache_control})
    return None


def cached_response(request: Request, content: bytes, media_type: str, *, etag: str | None = None,
                    cache_control: str = API_CACHE_CONTROL,
                    headers: dict[str, str] | None = None) -> Response:
    """The content with ETag and Cache-Control, or a 304 when the client already has it.

    Args:
        request: the request (for ``If-None-Match``).
        content: the body.
        media_type: its Content-Type.
        etag: the ETag to use; by default a hash of ``content``.
        cache_control: the Cache-Control value.
        headers: more headers for the 200 response.
    """
    etag = etag or etag_for(content)
    unchanged = not_modified(request, etag, cache_control)
    if unchanged is not None:
        return unchanged
    return Response(content, media_type=media_type,
                    headers={**(headers or {}), "ETag": etag, "Cache-Control": cache_control})


def json_response(request: Request, model: BaseModel, *, cache_control: str = API_CACHE_CONTROL,
                  headers: dict[str, str] | None = None) -> Response:
    """A pydantic model as JSON, with caching headers."""
    body = model.model_dump_json(by_alias=True).encode()
    return cached_response(request, body, JSON, cache_control=cache_control, headers=headers)


@router.get("/events", response_model=EventList, summary="Events matching the filters, one page at a time")
def list_events(request: Request, catalog: CatalogDep, query: QueryDep) -> Response:
    """Events overlapping ``from``..``to`` and matching every other filter, in ``sort`` order.

    Follow ``next`` (as ``cursor``, with the same filters) for the following page; the order is
    stable, so walking the pages never repeats or skips an event.
    """
    page = catalog.query(query)
    base = str(request.base_url)
    body = EventList(data=[event_public(event, base) for event in page.events], count=page.count,
                     next=page.next_cursor)
    headers = {}
    if page.next_cursor:
        headers["Link"] = f'<{request.url.include_query_params(cursor=page.next_cursor)}>; rel="next"'
    return json_response(request, body, headers=headers)


@router.get("/events/{event_id}", response_model=EventDetail,
            summary="One event with provenance and related events")
def get_event(request: Request, catalog: CatalogDep, event_id: str) -> Response:
    """The event with its sources, the conflicts between them, and its parent, parts and editions."""
    event = catalog.get(event_id)
    if event is None:
        raise NotFound(f"no event {event_id!r}")
    related = catalog.related(event.id)
    return json_response(request, event_detail(event, related, str(request.base_url)))


@router.get("/cities", response_model=FacetList, summary="Cities with event counts")
def list_cities(request: Request, catalog: CatalogDep, query: FilterDep) -> Response:
    """Cities of the matching events, most events first."""
    return _facets(request, catalog, "city", query, str)


@router.get("/countries", response_model=FacetList, summary="Countries (ISO codes) with event counts")
def list_countries(request: Request, catalog: CatalogDep, query: FilterDep) -> Response:
    """Countries of the matching events as ISO 3166-1 alpha-2 codes with names, most events first."""
    return _facets(request, catalog, "country", query, country_name)


@router.get("/topics", response_model=FacetList, summary="Topics (taxonomy ids and labels) with event counts")
def list_topics(request: Request, catalog: CatalogDep, query: FilterDep) -> Response:
    """Topics of the matching events: taxonomy id as ``value``, its label as ``label``."""
    return _facets(request, catalog, "topic", query, _topic_label)


@router.get("/organizers", response_model=FacetList, summary="Organizers with event counts")
def list_organizers(request: Request, catalog: CatalogDep, query: FilterDep) -> Response:
    """Organizers of the matching events, most events first."""
    return _facets(request, catalog, "organizer", query, str)


def _facets(request: Request, catalog: Catalog, kind: str, query: EventQuery,
            label: Callable[[str], str]) -> Response:
    pairs = catalog.facets(kind, query)
    body = FacetList(data=[Facet(value=value, label=label(value), count=count) for value, count in pairs],
                     count=len(pairs))
    return json_response(request, body)


def _topic_label(topic_id: str) -> str:
    topic = TAXONOMY.get(topic_id)
    return topic.label if topic else topic_id


@router.get("/health", response_model=Health, summary="Liveness and catalog size")
def health(catalog: CatalogDep) -> Response:
    """``ok`` when the catalog answers; 503 in the error shape when it does not."""
    try:
        stats = catalog.stats()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy", reported as such
        LOGGER.exception("health check failed")
        return error_response(503, "unavailable", "the catalog does not answer")
    body = Health(status="ok", version=__version__, events=stats["events"], documents=stats["documents"])
    return Response(body.model_dump_json(), media_type=JSON, headers={"Cache-Control": "no-store"})
