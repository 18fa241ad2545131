"""The API's own models (parser output is not the API model): what /api returns, as pydantic.

:func:`event_public` and :func:`event_detail` turn catalog events into them; ``base`` is the app's
absolute base URL (``str(request.base_url)``, ending in ``/``), used for each event's links.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from cityevents.catalog import CatalogEvent
from cityevents.catalog.store import Related
from cityevents.model import AttendanceMode, Conflict, Event, Figure, Source, Status

LOGGER = logging.getLogger(__name__)

# Event fields copied as they are into EventPublic (the rest are converted or added).
PLAIN_FIELDS = ("name", "start", "end", "start_time", "end_time", "city", "region", "country", "country_code",
                "lat", "lon", "timezone", "venue", "organizers", "topics", "description", "url", "status",
                "attendance_mode", "previous_start", "aliases", "part_of", "series", "edition")


class FigurePublic(BaseModel):
    """A stated number: "almost 20.000 participants"."""

    label: str
    value: int | float
    qualifier: str | None = None
    year: int | None = None
    text: str = ""


class EventLinks(BaseModel):
    """Where the event is, here, in each form."""

    api: str = Field(description="This event in the API, with sources and related events.")
    page: str = Field(description="The event's web page.")
    ics: str = Field(description="The event as iCalendar (add to calendar).")
    json_: str = Field(alias="json", description="The event in the export JSON form.")


class EventPublic(BaseModel):
    """One catalog event: the model's fields, catalog metadata and links."""

    id: str = Field(description="Stable catalog id.")
    name: str
    start: date | None = None
    end: date | None = Field(None, description="Inclusive last day.")
    start_time: datetime | None = None
    end_time: datetime | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    country_code: str | None = Field(None, description="ISO 3166-1 alpha-2.")
    lat: float | None = None
    lon: float | None = None
    timezone: str | None = Field(None, description="IANA time zone name.")
    venue: str | None = None
    organizers: list[str] = []
    topics: list[str] = Field([], description="Topic ids, see /api/topics.")
    figures: list[FigurePublic] = []
    description: str = ""
    url: str | None = Field(None, description="The event's own web site, as a source gave it.")
    status: Status = Status.SCHEDULED
    attendance_mode: AttendanceMode = AttendanceMode.OFFLINE
    previous_start: date | None = None
    aliases: list[str] = []
    part_of: str | None = Field(None, description="Name of the parent event.")
    part_of_id: str | None = Field(None, description="Catalog id of the parent event.")
    series: str | None = None
    edition: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    links: EventLinks


class SourcePublic(BaseModel):
    """A document that stated the event, and which fields it gave."""

    document: str
    extractor: str
    span: tuple[int, int] | None = None
    fields: dict[str, str] = {}
    published: date | None = None
    seen_at: datetime


class ConflictPublic(BaseModel):
    """Two sources disagreed about a field; ``kept`` won by ``rule``."""

    field: str
    kept: Any = None
    other: Any = None
    kept_source: str
    other_source: str
    rule: str


class EventRef(BaseModel):
    """A short reference to a related event."""

    id: str
    name: str
    start: date | None = None
    end: date | None = None
    city: str | None = None
    country_code: str | None = None
    links: EventLinks


class RelatedPublic(BaseModel):
    """The parent, parts (stages, side events) and other editions of an event."""

    parent: EventRef | None = None
    parts: list[EventRef] = []
    editions: list[EventRef] = []


class EventDetail(EventPublic):
    """One event with its provenance and related events."""

    sources: list[SourcePublic] = []
    conflicts: list[ConflictPublic] = []
    provenance: dict[str, list[str]] = Field({}, description="Field -> the documents its value came from.")
    related: RelatedPublic = RelatedPublic()


class EventList(BaseModel):
    """One page of events."""

    data: list[EventPublic]
    count: int = Field(description="How many events match, over all pages.")
    next: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class Facet(BaseModel):
    """A filter value and how many events it selects."""

    value: str = Field(description="The value to pass to the filter parameter.")
    label: str
    count: int


class FacetList(BaseModel):
    """Filter values, most frequent first."""

    data: list[Facet]
    count: int = Field(description="How many distinct values.")


class Health(BaseModel):
    """The service is up and the catalog answers."""

    status: str
    version: str
    events: int
    documents: int


def event_links(event_id: str, base: str) -> EventLinks:
    """The event's URLs under ``base``."""
    return EventLinks(api=f"{base}api/events/{event_id}", page=f"{base}events/{event_id}",
                      ics=f"{base}events/{event_id}.ics", json=f"{base}events/{event_id}.json")


def event_public(event: Event, base: str) -> EventPublic:
    """The API form of a catalog event."""
    values: dict[str, Any] = {name: getattr(event, name) for name in PLAIN_FIELDS}
    if isinstance(event, CatalogEvent):
        values.update(part_of_id=event.part_of_id, created_at=event.created_at, updated_at=event.updated_at)
    return EventPublic(id=event.id, figures=[_figure(figure) for figure in event.figures],
                       links=event_links(event.id, base), **values)


def event_detail(event: CatalogEvent, related: Related, base: str) -> EventDetail:
    """The API form of one event with its sources, conflicts, provenance and related events."""
    return EventDetail(
        **dict(event_public(event, base)),
        sources=[_source(source) for source in event.sources],
        conflicts=[_conflict(conflict) for conflict in event.conflicts],
        provenance=event.provenance,
        related=RelatedPublic(
            parent=event_ref(related.parent, base) if related.parent is not None else None,
            parts=[event_ref(part, base) for part in related.parts],
            editions=[event_ref(edition, base) for edition in related.editions],
        ),
    )


def event_ref(event: Event, base: str) -> EventRef:
    """A short reference to an event."""
    return EventRef(id=event.id, name=event.name, start=event.start, end=event.end, city=event.city,
                    country_code=event.country_code, links=event_links(event.id, base))


def _figure(figure: Figure) -> FigurePublic:
    return FigurePublic(label=figure.label, value=figure.value, qualifier=figure.qualifier, year=figure.year,
                        text=figure.text)


def _source(source: Source) -> SourcePublic:
    return SourcePublic(document=source.document, extractor=source.extractor, span=source.span,
                        fields=source.fields, published=source.published, seen_at=source.seen_at)


def _conflict(conflict: Conflict) -> ConflictPublic:
    return ConflictPublic(field=conflict.field, kept=conflict.kept, other=conflict.other,
                          kept_source=conflict.kept_source, other_source=conflict.other_source,
                          rule=conflict.rule)
