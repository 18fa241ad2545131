"""schema.org Event data (JSON-LD, microdata, RDFa) -> events.

Items are found wherever they sit: at the top level, in lists, in ``@graph``, or nested in
other items (``mainEntity``, ``itemListElement``...). ``subEvent`` items become events of
their own with ``part_of`` set to the parent's name. Every field an event gets from here is
recorded in its source as ``fields[field] = "jsonld.<property>"``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

import extruct
import lxml.html

from cityevents.errors import InputError, UnsupportedFormat
from cityevents.ingest.common import (
    apply_geo,
    apply_location,
    named_event,
    parse_float,
    parse_iso,
    plain,
    resolve_city,
    resolve_place_text,
    split_list,
    topics_for,
)
from cityevents.ingest.sniff import decode
from cityevents.model import AttendanceMode, Event, Source, Status

LOGGER = logging.getLogger(__name__)

EXTRACTOR = "jsonld"
SYNTAXES = ["json-ld", "microdata", "rdfa"]
SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")
EVENT_TYPES = frozenset(
    {
        "Event", "BusinessEvent", "ChildrensEvent", "ComedyEvent", "CourseInstance", "DanceEvent",
        "DeliveryEvent", "EducationEvent", "EventSeries", "ExhibitionEvent", "Festival", "FoodEvent",
        "Hackathon", "LiteraryEvent", "MusicEvent", "PublicationEvent", "BroadcastEvent",
        "OnDemandEvent", "SaleEvent", "ScreeningEvent", "SocialEvent", "SportsEvent", "TheaterEvent",
        "VisualArtsEvent",
    }
)  # fmt: skip
PUBLISHED_PROPERTIES = ("datePublished", "dateCreated", "uploadDate")
STATUSES: dict[str, Status] = {
    "EventScheduled": Status.SCHEDULED,
    "EventCancelled": Status.CANCELLED,
    "EventCanceled": Status.CANCELLED,
    "EventPostponed": Status.POSTPONED,
    "EventRescheduled": Status.RESCHEDULED,
    "EventMovedOnline": Status.MOVED_ONLINE,
}
ATTENDANCE: dict[str, AttendanceMode] = {
    "OfflineEventAttendanceMode": AttendanceMode.OFFLINE,
    "OnlineEventAttendanceMode": AttendanceMode.ONLINE,
    "MixedEventAttendanceMode": AttendanceMode.MIXED,
}
NOT_DESCENDED = frozenset({"subEvent", "superEvent", "subEvents"})
MAX_DEPTH = 30


def parse(data: bytes, *, source: str, published: date | None = None) -> list[Event]:
    """Events in a JSON-LD document (``application/ld+json``).

    Raises:
        InputError: the data is not JSON.
        UnsupportedFormat: JSON without any schema.org item.
    """
    text = decode(data)
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise InputError(f"invalid JSON: {exc}") from exc
    if not any(True for _ in typed_items(document)):
        raise UnsupportedFormat("JSON document without schema.org (JSON-LD) items")
    return events_from_items([document], source=source, published=published)


def extract_items(html: str | lxml.html.HtmlElement, *, base_url: str | None = None) -> list[Any]:
    """schema.org items of a page, all syntaxes as JSON-LD-shaped dicts; [] when extruct fails."""
    items: list[Any] = []
    for syntax in SYNTAXES:
        try:
            found = extruct.extract(html, base_url=base_url, syntaxes=[syntax], uniform=True, errors="ignore")
        except Exception as exc:  # noqa: BLE001 - extruct raises anything on malformed markup; a page without data is fine
            LOGGER.info("%s data unreadable: %s", syntax, exc)
            continue
        values = found.get(syntax, [])
        items.extend(from_rdfa(values) if syntax == "rdfa" else values)
    return items


def events_from_items(items: list[Any], *, source: str, published: date | None = None) -> list[Event]:
    """Events from schema.org items (dicts, lists, ``@graph``), sub-events included."""
    events: list[Event] = []
    for item in event_items(items):
        events.extend(build_events(item, source=source, published=published))
    return events


def published_date(items: list[Any]) -> date | None:
    """The earliest ``datePublished`` (or similar) of the non-event items: the page's own date."""
    dates: list[date] = []
    for item in typed_items(items):
        if item_types(item) & EVENT_TYPES:
            continue
        for prop in PUBLISHED_PROPERTIES:
            parsed = parse_iso(first_text(item.get(prop)))
            if parsed:
                dates.append(parsed[0])
    return min(dates) if dates else None


def typed_items(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every dict with an ``@type``, depth first; sub- and super-events are left to their parent."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, list):
        for element in value:
            yield from typed_items(element, depth + 1)
    elif isinstance(value, dict):
        if "@type" in value:
            yield value
        for key, element in value.items():
            if key not in NOT_DESCENDED:
                yield from typed_items(element, depth + 1)


def event_items(items: list[Any]) -> Iterator[dict[str, Any]]:
    """The top-most Event items."""
    seen: set[int] = set()
    for item in typed_items(items):
        if item_types(item) & EVENT_TYPES and id(item) not in seen:
            seen.add(id(item))
            yield item


def item_types(item: dict[str, Any]) -> set[str]:
    """The item's @type values without the schema.org prefix."""
    types = item.get("@type")
    values = types if isinstance(types, list) else [types]
    return {strip_schema(str(value)) for value in values if value}


def strip_schema(value: str) -> str:
    """ "https://schema.org/EventCancelled" -> "EventCancelled"."""
    for prefix in SCHEMA_PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def first(value: Any) -> Any:
    """The first element of a list, or the value itself."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def first_text(value: Any) -> str | None:
    """A property's text: the first of a list, a language-tagged ``@value``, a named item's name."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("@value", value.get("name", value.get("@id")))
        value = first(value)
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip() or None


def enum_name(value: Any) -> str | None:
    """The bare schema.org enumeration member: "EventCancelled" from any of its spellings."""
    text = first_text(value)
    if not text:
        return None
    return strip_schema(text).rsplit("/", 1)[-1]


def build_events(
    item: dict[str, Any], *, source: str, published: date | None, parent: Event | None = None
) -> list[Event]:
    """The event an item describes, followed by its sub-events."""
    name = plain(first_text(item.get("name")))
    if not name:
        LOGGER.info("%s: schema.org %s without a name, skipped", source, "/".join(item_types(item)))
        return []
    event = named_event(name)
    fields: dict[str, str] = {"name": "jsonld.name"}
    set_dates(event, item, fields, source)
    set_location(event, item.get("location"), fields)
    set_flags(event, item, fields)
    set_people_and_text(event, item, fields)
    if parent is not None:
        inherit(event, parent, fields)
    event.sources.append(Source(document=source, extractor=EXTRACTOR, fields=fields, published=published))
    events = [event]
    for sub in as_list(item.get("subEvent")) + as_list(item.get("subEvents")):
        if isinstance(sub, dict):
            events.extend(build_events(sub, source=source, published=published, parent=event))
    return events


def set_dates(event: Event, item: dict[str, Any], fields: dict[str, str], source: str) -> None:
    """startDate, endDate (inclusive; date-only means all-day) and previousStartDate."""
    start = parse_iso(first_text(item.get("startDate")))
    if start is None:
        if item.get("startDate"):
            LOGGER.info("%s: %r: unreadable startDate %r", source, event.name, item.get("startDate"))
        return
    event.start, event.start_time = start
    event.end = event.start
    fields["start"] = "jsonld.startDate"
    if event.start_time is not None:
        fields["start_time"] = "jsonld.startDate"
    end = parse_iso(first_text(item.get("endDate")))
    if end is not None and end[0] >= event.start:
        event.end, event.end_time = end
        fields["end"] = "jsonld.endDate"
        if event.end_time is not None:
            fields["end_time"] = "jsonld.endDate"
    elif end is not None:
        LOGGER.info("%s: %r: endDate before startDate, ignored", source, event.name)
    previous = parse_iso(first_text(item.get("previousStartDate")))
    if previous is not None:
        event.previous_start = previous[0]
        fields["previous_start"] = "jsonld.previousStartDate"
    zone = getattr(event.start_time.tzinfo, "key", None) if event.start_time else None
    if zone:
        event.timezone = zone


def set_location(event: Event, location: Any, fields: dict[str, str]) -> None:
    """Place (name, PostalAddress, geo), a bare address text, or a VirtualLocation."""
    online = offline = False
    for place in as_list(location):
        if isinstance(place, str):
            offline = True
            mark(fields, apply_location(event, resolve_place_text(place)), "jsonld.location")
            continue
        if not isinstance(place, dict):
            continue
        types = item_types(place)
        if "VirtualLocation" in types:
            online = True
            continue
        offline = True
        if "PostalAddress" in types:
            set_address(event, place, fields)
            continue
        venue = plain(first_text(place.get("name")))
        if venue and event.venue is None:
            event.venue = venue
            fields["venue"] = "jsonld.location.name"
        set_address(event, first(place.get("address")), fields)
        geo = first(place.get("geo"))
        if isinstance(geo, dict):
            lat, lon = (
                parse_float(first_text(geo.get("latitude"))),
                parse_float(first_text(geo.get("longitude"))),
            )
            if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
                mark(fields, apply_geo(event, lat, lon), "jsonld.location.geo")
    if online and offline:
        event.attendance_mode = AttendanceMode.MIXED
    elif online:
        event.attendance_mode = AttendanceMode.ONLINE
    if online:
        fields["attendance_mode"] = "jsonld.location"


def set_address(event: Event, address: Any, fields: dict[str, str]) -> None:
    """A PostalAddress (locality and country through the gazetteer) or an address text."""
    if isinstance(address, str):
        mark(fields, apply_location(event, resolve_place_text(address)), "jsonld.location.address")
    elif isinstance(address, dict):
        city = plain(first_text(address.get("addressLocality"))) or None
        country = plain(first_text(address.get("addressCountry"))) or None
        located = resolve_city(city, country)
        if located.place is None and located.city is None and not located.country:
            street = ", ".join(
                text
                for key in ("streetAddress", "addressLocality", "addressRegion", "addressCountry")
                if (text := plain(first_text(address.get(key))))
            )
            located = resolve_place_text(street)
            located.venue = None
        mark(fields, apply_location(event, located), "jsonld.location.address")


def set_flags(event: Event, item: dict[str, Any], fields: dict[str, str]) -> None:
    """eventStatus and eventAttendanceMode."""
    status = STATUSES.get(enum_name(item.get("eventStatus")) or "")
    if status is not None:
        event.status = status
        fields["status"] = "jsonld.eventStatus"
    mode = ATTENDANCE.get(enum_name(item.get("eventAttendanceMode")) or "")
    if mode is not None:
        event.attendance_mode = mode
        fields["attendance_mode"] = "jsonld.eventAttendanceMode"
    elif status is Status.MOVED_ONLINE:
        event.attendance_mode = AttendanceMode.ONLINE
        fields["attendance_mode"] = "jsonld.eventStatus"


def set_people_and_text(event: Event, item: dict[str, Any], fields: dict[str, str]) -> None:
    """organizer, superEvent, url, description, alternateName, keywords -> topics."""
    for organizer in as_list(item.get("organizer")):
        name = plain(first_text(organizer))
        if name and name not in event.organizers:
            event.organizers.append(name)
            fields["organizers"] = "jsonld.organizer"
    parent = plain(first_text(item.get("superEvent")))
    if parent:
        event.part_of = parent
        fields["part_of"] = "jsonld.superEvent"
    url = first_text(item.get("url"))
    if url:
        event.url = url
        fields["url"] = "jsonld.url"
    description = plain(first_text(item.get("description")))
    if description:
        event.description = description
        fields["description"] = "jsonld.description"
    for alias in as_list(item.get("alternateName")):
        text = plain(first_text(alias))
        if text and text != event.name:
            event.aliases.append(text)
            fields["aliases"] = "jsonld.alternateName"
    keywords = item.get("keywords")
    tags = (
        split_list(keywords)
        if isinstance(keywords, str)
        else [plain(first_text(k)) for k in as_list(keywords)]
    )
    event.topics = topics_for(event.name, event.description, tags=[tag for tag in tags if tag])
    if event.topics:
        fields["topics"] = "jsonld.keywords+name+description"


def inherit(event: Event, parent: Event, fields: dict[str, str]) -> None:
    """A sub-event belongs to its parent and, when it says nothing of a place, takes the parent's."""
    if event.part_of is None:
        event.part_of = parent.name
        fields["part_of"] = "jsonld.subEvent"
    if event.city is None and event.country_code is None and event.venue is None and event.lat is None:
        for name in ("venue", "city", "region", "country", "country_code", "lat", "lon", "timezone"):
            value = getattr(parent, name)
            if value is not None:
                setattr(event, name, value)
                fields[name] = "jsonld.superEvent.location"


def as_list(value: Any) -> list[Any]:
    """A property value as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def mark(fields: dict[str, str], names: list[str], origin: str) -> None:
    """Record the origin of the fields just set."""
    for name in names:
        fields[name] = origin


def from_rdfa(nodes: list[Any]) -> list[Any]:
    """extruct's expanded RDFa graph as compact JSON-LD-like items, references inlined."""
    by_id = {node["@id"]: node for node in nodes if isinstance(node, dict) and "@id" in node}
    referenced: set[str] = set()
    for node in by_id.values():
        for key, values in node.items():
            if key.startswith("@"):
                continue
            for value in as_list(values):
                if isinstance(value, dict) and set(value) == {"@id"}:
                    referenced.add(value["@id"])
    return [
        compact_node(node, by_id, frozenset())
        for node_id, node in by_id.items()
        if node_id not in referenced and "@type" in node
    ]


def compact_node(node: dict[str, Any], by_id: dict[str, Any], seen: frozenset[str]) -> dict[str, Any]:
    """One RDFa node with schema.org keys shortened and ``{"@id"}`` references resolved."""
    seen = seen | {node.get("@id", "")}
    compact: dict[str, Any] = {"@type": [strip_schema(str(t)) for t in as_list(node.get("@type"))]}
    for key, values in node.items():
        if key.startswith("@"):
            continue
        resolved = []
        for value in as_list(values):
            if isinstance(value, dict) and set(value) == {"@id"}:
                target = by_id.get(value["@id"])
                if target is not None and value["@id"] not in seen:
                    resolved.append(compact_node(target, by_id, seen))
                else:
                    resolved.append(value["@id"])
            elif isinstance(value, dict) and "@value" in value:
                resolved.append(value["@value"])
            else:
                resolved.append(value)
        compact[strip_schema(key)] = resolved[0] if len(resolved) == 1 else resolved
    return compact
