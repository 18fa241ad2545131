"""What can be asked of the catalog: :class:`EventQuery` in, :class:`Page` out.

Filters become SQL conditions on ``events`` (the same for queries, counts and facets). Pages use
keyset pagination on (sort key, id): the cursor carries the last row's key, so inserts and
deletes between requests never repeat or skip the rows that were already there.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Any

import pycountry
import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from cityevents.catalog.db import EARTH_RADIUS_KM
from cityevents.catalog.records import country_key
from cityevents.catalog.schema import START_SORT, START_SORT_DESC, event_organizers, event_topics, events
from cityevents.catalog.search import parse_terms, text_condition, text_count
from cityevents.errors import InputError
from cityevents.extract.gazetteer import get_gazetteer
from cityevents.model import Event, Status, fold

LOGGER = logging.getLogger(__name__)

SORTS = ("start", "-start", "name", "-name", "updated", "-updated")
DEFAULT_LIMIT = 50
MAX_LIMIT = 10_000  # the CLI lists up to this many; the web API should cap lower
DEFAULT_RADIUS_KM = 50.0
KM_PER_DEGREE_LAT = 111.2
# Country names people type that ISO 3166 (and so pycountry) does not know.
COUNTRY_ALIASES = {"uk": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
                   "usa": "US", "america": "US", "holland": "NL", "south korea": "KR", "russia": "RU"}


@dataclass(frozen=True)
class EventQuery:
    """Filters, order and page of a catalog query; every filter is optional and they combine with AND.

    Attributes:
        q: full-text search (see :mod:`cityevents.catalog.search` for the grammar).
        date_from, date_to: events overlapping this inclusive window (undated events never match).
        country: ISO 3166-1 alpha-2 code or a country name ("ES", "Spain", "the Netherlands").
        city: city name, case and accents ignored.
        topic: a taxonomy id.
        organizer: an organizer's name, case and accents ignored.
        status: a :class:`Status` or its value.
        near, radius_km: (lat, lon) and a distance; events with coordinates within it.
        bbox: (min_lon, min_lat, max_lon, max_lat); min_lon > max_lon crosses the antimeridian.
        updated_since: events whose record changed at or after this time (naive means UTC).
        sort: "start", "name" or "updated", ascending, or descending with a leading "-".
        limit: page size, 1 to ``MAX_LIMIT``.
        cursor: ``Page.next_cursor`` of the previous page, for the same query and sort.

    Raises:
        InputError: on construction, for an unknown sort or status, a bad limit, radius,
            coordinate or bounding box, or ``date_from`` after ``date_to``.
    """

    q: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None
    city: str | None = None
    topic: str | None = None
    organizer: str | None = None
    status: Status | str | None = None
    near: tuple[float, float] | None = None
    radius_km: float | None = None
    bbox: tuple[float, float, float, float] | None = None
    updated_since: datetime | None = None
    sort: str = "start"
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise InputError(f"unknown sort {self.sort!r}; use one of {', '.join(SORTS)}")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InputError(f"limit must be between 1 and {MAX_LIMIT}, not {self.limit}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InputError(f"date_from {self.date_from} is after date_to {self.date_to}")
        if self.status is not None:
            try:
                Status(self.status)
            except ValueError:
                raise InputError(f"unknown status {self.status!r}") from None
        if self.near is not None:
            _check_point(*self.near)
            if self.radius_km is not None and not self.radius_km > 0:
                raise InputError(f"radius_km must be positive, not {self.radius_km}")
        if self.bbox is not None:
            min_lon, min_lat, max_lon, max_lat = self.bbox
            _check_point(min_lat, min_lon)
            _check_point(max_lat, max_lon)
            if min_lat > max_lat:
                raise InputError("bbox is (min_lon, min_lat, max_lon, max_lat); min_lat is above max_lat")


@dataclass
class Page:
    """One page of results.

    Attributes:
        events: the events on this page, in the query's order.
        count: how many events match the query in total (all pages).
        next_cursor: pass as ``EventQuery.cursor`` for the next page; ``None`` on the last one.
    """

    events: list[Event] = field(default_factory=list)
    count: int = 0
    next_cursor: str | None = None


def conditions(query: EventQuery, dialect: str) -> list[ColumnElement[bool]]:
    """The WHERE conditions on ``events`` for a query's filters (not its cursor).

    Args:
        query: the query.
        dialect: the backend's name, ``"sqlite"`` or ``"postgresql"``.

    Returns:
        Conditions to AND together.
    """
    where: list[ColumnElement[bool]] = []
    terms = parse_terms(query.q)
    if terms:
        where.append(text_condition(terms, dialect))
    if query.date_from is not None:
        where.append(sa.func.coalesce(events.c.end_date, events.c.start_date) >= query.date_from)
    if query.date_to is not None:
        where.append(events.c.start_date <= query.date_to)
    if query.country:
        where.append(_country_condition(query.country))
    if query.city:
        where.append(events.c.city_key.in_(city_keys(query.city)))
    if query.topic:
        where.append(events.c.id.in_(sa.select(event_topics.c.event_id).where(event_topics.c.topic == query.topic)))
    if query.organizer:
        where.append(events.c.id.in_(sa.select(event_organizers.c.event_id)
                                     .where(event_organizers.c.organizer_key == fold(query.organizer))))
    if query.status is not None:
        where.append(events.c.status == Status(query.status).value)
    if query.near is not None:
        where.extend(_near_conditions(*query.near, query.radius_km or DEFAULT_RADIUS_KM, dialect))
    if query.bbox is not None:
        where.extend(_bbox_conditions(*query.bbox))
    if query.updated_since is not None:
        since = query.updated_since
        where.append(events.c.updated_at >= (since if since.tzinfo else since.replace(tzinfo=timezone.utc)))
    return where


def count_matches(query: EventQuery, dialect: str) -> sa.Select[int]:
    """``SELECT count(*)`` of the events matching a query's filters (not its cursor).

    A query whose only filter is ``q`` is counted in the full-text index where the backend allows
    (:func:`cityevents.catalog.search.text_count`); the count is the same, only cheaper.
    """
    terms = parse_terms(query.q)
    if terms and not conditions(replace(query, q=None), dialect):
        counted = text_count(terms, dialect)
        if counted is not None:
            return counted
    return sa.select(sa.func.count()).select_from(events).where(*conditions(query, dialect))


def sort_key(sort: str) -> tuple[ColumnElement[Any], bool]:
    """The SQL expression a sort orders by, and whether it is descending."""
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    if name == "start":  # undated events last in both directions, see schema.START_SORT
        return (START_SORT_DESC if descending else START_SORT), descending
    if name == "name":
        return events.c.sort_name, descending
    return events.c.updated_at, descending


def order_by(sort: str) -> list[ColumnElement[Any]]:
    """ORDER BY clauses for a sort, with the id as tie-breaker."""
    key, descending = sort_key(sort)
    if descending:
        return [key.desc(), events.c.id.desc()]
    return [key.asc(), events.c.id.asc()]


def after_cursor(sort: str, cursor: str) -> ColumnElement[bool]:
    """The condition selecting rows after the cursor's position in the sort order.

    Raises:
        InputError: when the cursor is malformed or was made for another sort.
    """
    key, descending = sort_key(sort)
    value, last_id = decode_cursor(sort, cursor)
    # The range on the key alone is implied by the rest; it lets both backends seek the sort index.
    if descending:
        return sa.and_(key <= value, sa.or_(key < value, events.c.id < last_id))
    return sa.and_(key >= value, sa.or_(key > value, events.c.id > last_id))


def encode_cursor(sort: str, value: Any, last_id: str) -> str:
    """An opaque cursor for the row with sort key ``value`` and id ``last_id``."""
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    raw = value.isoformat() if isinstance(value, (date, datetime)) else value
    payload = json.dumps([sort, raw, last_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(sort: str, cursor: str) -> tuple[Any, str]:
    """The (sort key, id) a cursor points after.

    Raises:
        InputError: when the cursor is malformed or was made for another sort.
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        cursor_sort, raw, last_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if cursor_sort != sort or not isinstance(last_id, str) or not isinstance(raw, str):
            raise ValueError("cursor made for another query")
        name = sort.lstrip("-")
        value: Any = raw
        if name == "start":
            value = date.fromisoformat(raw)
        elif name == "updated":
            value = datetime.fromisoformat(raw)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InputError("invalid cursor: start again from the first page") from None
    return value, last_id


def city_keys(name: str) -> list[str]:
    """The stored keys a city name may select: as typed, and as the gazetteer spells the city
    ("Ghent" also finds "Gent", "Aarhus" also "Århus")."""
    keys = [fold(name)]
    place = get_gazetteer().city(name)
    if place is not None and place.city and fold(place.city) not in keys:
        keys.append(fold(place.city))
    return keys


def resolve_country(value: str) -> tuple[set[str], str | None]:
    """ISO codes and a folded name to match a user's country filter against."""
    text = value.strip()
    key = country_key(text)
    if len(text) == 2 and text.isalpha():
        return {COUNTRY_ALIASES.get(text.lower(), text.upper())}, None
    codes: set[str] = set()
    if key in COUNTRY_ALIASES:
        codes.add(COUNTRY_ALIASES[key])
    else:
        try:
            codes.add(pycountry.countries.lookup(text).alpha_2)
        except LookupError:
            LOGGER.debug("country %r is not an ISO 3166 name; matching stored names only", value)
    return codes, key


def _country_condition(value: str) -> ColumnElement[bool]:
    codes, key = resolve_country(value)
    options: list[ColumnElement[bool]] = []
    if codes:
        options.append(events.c.country_code.in_(sorted(codes)))
    if key:
        options.append(events.c.country_key == key)
    return sa.or_(*options) if options else sa.false()


def _near_conditions(lat: float, lon: float, radius_km: float, dialect: str) -> list[ColumnElement[bool]]:
    dlat = radius_km / KM_PER_DEGREE_LAT
    where: list[ColumnElement[bool]] = [events.c.lat.between(lat - dlat, lat + dlat)]
    cos_lat = math.cos(math.radians(lat))
    if cos_lat > 1e-6 and abs(lat) + dlat < 90:
        dlon = radius_km / (KM_PER_DEGREE_LAT * cos_lat)
        if dlon < 180:
            where.append(_lon_between(lon - dlon, lon + dlon))
    where.append(events.c.lon.is_not(None))
    where.append(distance_km(lat, lon, dialect) <= radius_km)
    return where


def _lon_between(west: float, east: float) -> ColumnElement[bool]:
    """Longitude within [west, east], wrapping around the antimeridian."""
    if west < -180:
        return sa.or_(events.c.lon >= west + 360, events.c.lon <= east)
    if east > 180:
        return sa.or_(events.c.lon >= west, events.c.lon <= east - 360)
    return events.c.lon.between(west, east)


def _bbox_conditions(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> list[ColumnElement[bool]]:
    lat = events.c.lat.between(min_lat, max_lat)
    if min_lon <= max_lon:
        return [lat, events.c.lon.between(min_lon, max_lon)]
    return [lat, sa.or_(events.c.lon >= min_lon, events.c.lon <= max_lon)]


def distance_km(lat: float, lon: float, dialect: str) -> ColumnElement[float]:
    """Great-circle distance in km from (lat, lon) to each event, as SQL."""
    if dialect == "sqlite":
        return sa.func.haversine_km(events.c.lat, events.c.lon, lat, lon)
    radians = sa.func.radians
    half_dlat = sa.func.sin((radians(events.c.lat) - math.radians(lat)) / 2)
    half_dlon = sa.func.sin((radians(events.c.lon) - math.radians(lon)) / 2)
    a = half_dlat * half_dlat + math.cos(math.radians(lat)) * sa.func.cos(radians(events.c.lat)) * half_dlon * half_dlon
    return 2 * EARTH_RADIUS_KM * sa.func.asin(sa.func.sqrt(sa.func.least(1.0, a)))


def _check_point(lat: float, lon: float) -> None:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"({lat}, {lon}) is not a valid (latitude, longitude)")
