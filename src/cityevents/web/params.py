"""What routes read from a request: the event query (API, feeds and pages alike) and the catalog.

:func:`parse_event_query` is the one place query parameters become an
:class:`~cityevents.catalog.EventQuery`::

    q  from  to  country  city  topic  organizer  status  near=LAT,LON  radius_km
    bbox=MINLON,MINLAT,MAXLON,MAXLAT  updated_since  sort  limit  cursor

Empty values count as absent (HTML forms send ``?q=&country=``); a bad value raises
:class:`~cityevents.errors.InputError`, which the app renders as a 400. :class:`EventParams` declares
the same parameters for the OpenAPI schema.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any

import pycountry
from fastapi import Query, Request
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from cityevents.catalog import Catalog, EventQuery
from cityevents.catalog.query import DEFAULT_LIMIT, SORTS
from cityevents.errors import InputError
from cityevents.extract.topics import TAXONOMY
from cityevents.model import Status

LOGGER = logging.getLogger(__name__)

API_MAX_LIMIT = 500
MAX_TEXT = 200  # longest value accepted for a text parameter (names, search terms, cursors)
CURSOR_MAX = 1000
CONTROL_CHARS = frozenset(chr(code) for code in (*range(32), 127))


def get_catalog(request: Request) -> Catalog:
    """The app's catalog (opened once by :func:`cityevents.web.app.create_app`)."""
    catalog: Catalog = request.app.state.catalog
    return catalog


def parse_event_query(params: Mapping[str, str], *, default_limit: int = DEFAULT_LIMIT,
                      max_limit: int = API_MAX_LIMIT) -> EventQuery:
    """Turn request query parameters into a catalog query.

    Args:
        params: the query parameters (``request.query_params`` or any str -> str mapping);
            unknown names are ignored, so pages can add their own.
        default_limit: the page size when ``limit`` is absent.
        max_limit: the largest ``limit`` accepted.

    Returns:
        The query; ``from``/``to`` select events overlapping the window.

    Raises:
        InputError: naming the parameter, for a malformed or out-of-range value.
    """
    values = {name: value.strip() for name, value in params.items() if value and value.strip()}
    for name, value in values.items():
        limit = CURSOR_MAX if name == "cursor" else MAX_TEXT
        if len(value) > limit:
            raise InputError(f"{name}: longer than {limit} characters")
        if CONTROL_CHARS.intersection(value):
            raise InputError(f"{name}: contains control characters")
    near = _point(values["near"]) if "near" in values else None
    radius = _number("radius_km", values["radius_km"]) if "radius_km" in values else None
    if radius is not None and near is None:
        raise InputError("radius_km: needs near=LAT,LON")
    bbox = _floats("bbox", values["bbox"], 4, "MINLON,MINLAT,MAXLON,MAXLAT") if "bbox" in values else None
    return EventQuery(
        q=values.get("q"),
        date_from=_date("from", values["from"]) if "from" in values else None,
        date_to=_date("to", values["to"]) if "to" in values else None,
        country=values.get("country"),
        city=values.get("city"),
        topic=_topic(values["topic"]) if "topic" in values else None,
        organizer=values.get("organizer"),
        status=values.get("status"),
        near=near,
        radius_km=radius,
        bbox=(bbox[0], bbox[1], bbox[2], bbox[3]) if bbox else None,
        updated_since=_datetime("updated_since", values["updated_since"]) if "updated_since" in values
        else None,
        sort=values.get("sort", "start"),
        limit=_limit(values.get("limit"), default_limit, max_limit),
        cursor=values.get("cursor"),
    )


def _topic(value: str) -> str:
    if value not in TAXONOMY:
        raise InputError(f"topic: unknown topic {value!r}; see /api/topics for the taxonomy ids")
    return value


# Parameters are read as text and parsed by parse_event_query; these say what the text must look like.
Text = Annotated[str | None, WithJsonSchema({"type": "string"})]
DateText = Annotated[str | None, WithJsonSchema({"type": "string", "format": "date"})]
DateTimeText = Annotated[str | None, WithJsonSchema({"type": "string", "format": "date-time"})]
NumberText = Annotated[str | None, WithJsonSchema({"type": "number", "exclusiveMinimum": 0})]
CountText = Annotated[str | None, WithJsonSchema({"type": "integer", "minimum": 1})]
StatusText = Annotated[str | None, WithJsonSchema({"type": "string", "enum": [s.value for s in Status]})]
SortText = Annotated[str | None, WithJsonSchema({"type": "string", "enum": list(SORTS)})]


class FilterParams(BaseModel):
    """The filters every list of events accepts (for OpenAPI; :func:`parse_event_query` parses them)."""

    model_config = ConfigDict(populate_by_name=True)

    q: Text = Field(None, description="Full-text search: words, \"quoted phrases\", -excluded, OR.")
    from_: DateText = Field(None, alias="from", description="Events ending on or after this ISO date.")
    to: DateText = Field(None, description="Events starting on or before this ISO date.")
    country: Text = Field(None, description="ISO 3166-1 alpha-2 code or country name.")
    city: Text = Field(None, description="City name (case and accents ignored).")
    topic: Text = Field(None, description="Topic id, see /api/topics.")
    organizer: Text = Field(None, description="Organizer name (case and accents ignored).")
    status: StatusText = Field(None, description="Event status.")
    near: Text = Field(None, description="LAT,LON: events within radius_km of this point.",
                       examples=["60.17,24.94"])
    radius_km: NumberText = Field(None, description="Radius for near, in km (default 50).")
    bbox: Text = Field(None, description="MINLON,MINLAT,MAXLON,MAXLAT (WGS84).", examples=["-10,35,30,60"])
    updated_since: DateTimeText = Field(None, description="Events changed at or after this ISO date-time.")

    def as_params(self) -> dict[str, str]:
        """The parameters that were given, by their query names."""
        return self.model_dump(by_alias=True, exclude_none=True)


class EventParams(FilterParams):
    """Filters plus order and paging."""

    sort: SortText = Field(None, description="Order: start (default), name or updated; '-' descends.")
    limit: CountText = Field(None, description=f"Page size (API: default {DEFAULT_LIMIT}, "
                                               f"at most {API_MAX_LIMIT}; feeds: at most 1000).")
    cursor: Text = Field(None, description="The `next` value of the previous page.")


def event_query(params: Annotated[EventParams, Query()]) -> EventQuery:
    """Dependency: the API's event query (page size up to :data:`API_MAX_LIMIT`)."""
    return parse_event_query(params.as_params())


def filter_query(params: Annotated[FilterParams, Query()]) -> EventQuery:
    """Dependency: filters only, for facets and counts."""
    return parse_event_query(params.as_params())


def describe_query(query: EventQuery) -> str:
    """A human title for a query's filters: "Events in Spain about Mobility and transport from 2024-01-01"."""
    parts = ["Events"]
    if query.q:
        parts.append(f"matching “{query.q}”")
    if query.city:
        parts.append(f"in {query.city}")
    if query.country:
        parts.append(f"in {country_name(query.country)}")
    if query.near is not None:
        parts.append(f"within {query.radius_km or 50:g} km of {query.near[0]:g},{query.near[1]:g}")
    if query.bbox is not None:
        parts.append("in the area " + ",".join(f"{value:g}" for value in query.bbox))
    if query.topic:
        topic = TAXONOMY.get(query.topic)
        parts.append(f"about {topic.label if topic else query.topic}")
    if query.organizer:
        parts.append(f"by {query.organizer}")
    if query.status is not None:
        parts.append(f"({Status(query.status).value.replace('_', ' ')})")
    if query.date_from:
        parts.append(f"from {query.date_from.isoformat()}")
    if query.date_to:
        parts.append(f"until {query.date_to.isoformat()}")
    if query.updated_since:
        parts.append(f"updated since {query.updated_since.isoformat()}")
    return " ".join(parts)


def country_name(value: str) -> str:
    """The country's common name for an ISO alpha-2 code; anything else as given."""
    record: Any = pycountry.countries.get(alpha_2=value.upper()) if len(value) == 2 else None
    if record is None:
        return value
    return str(getattr(record, "common_name", None) or record.name)


def _date(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{name}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _datetime(name: str, value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"{name}: {value!r} is not an ISO date-time (YYYY-MM-DDTHH:MM:SS+00:00)") from None


def _number(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise InputError(f"{name}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise InputError(f"{name}: {value!r} is not a finite number")
    return number


def _floats(name: str, value: str, count: int, form: str) -> list[float]:
    pieces = value.split(",")
    if len(pieces) != count:
        raise InputError(f"{name}: expected {form}, got {value!r}")
    return [_number(name, piece.strip()) for piece in pieces]


def _point(value: str) -> tuple[float, float]:
    lat, lon = _floats("near", value, 2, "LAT,LON")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"near: ({lat:g}, {lon:g}) is not a valid LAT,LON")
    return lat, lon


def _limit(value: str | None, default: int, maximum: int) -> int:
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= maximum:
        raise InputError(f"limit: must be a whole number from 1 to {maximum}, not {value!r}")
    return int(value)
