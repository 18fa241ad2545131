"""schema.org ``Event`` objects as JSON-LD, for feeds and for embedding in event pages."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from cityevents.export.common import (
    EventUrl,
    FeedInfo,
    clean_text,
    event_times,
    event_urn,
    first_day,
    last_day,
    safe_url,
)
from cityevents.model import AttendanceMode, Event, Status

MEDIA_TYPE = "application/ld+json"
SCHEMA = "https://schema.org"
EVENT_STATUS = {
    Status.SCHEDULED: "EventScheduled",
    Status.CANCELLED: "EventCancelled",
    Status.POSTPONED: "EventPostponed",
    Status.RESCHEDULED: "EventRescheduled",
    Status.MOVED_ONLINE: "EventMovedOnline",
}
ATTENDANCE_MODE = {
    AttendanceMode.OFFLINE: "OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "OnlineEventAttendanceMode",
    AttendanceMode.MIXED: "MixedEventAttendanceMode",
}
# Inside <script>, "</script" or "<!--" would end or confuse the element and U+2028/2029 break
# older JavaScript parsers; JSON lets each of these be written as a \u escape instead.
SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                                "\u2029": "\\u2029"})  # fmt: skip


def render(events: list[Event], info: FeedInfo, event_url: EventUrl | None) -> str:
    """A JSON array of schema.org Event objects."""
    items = [event_jsonld(event, url=event_url(event) if event_url else None) for event in events]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def event_jsonld(event: Event, *, url: str | None = None) -> dict[str, Any]:
    """One event as a schema.org ``Event`` with its own ``@context``.

    Args:
        event: the event.
        url: the event's page here; defaults to the event's own (http/https) URL.

    Returns:
        A JSON-ready dict; write it into HTML with :func:`script_safe_json`.
    """
    own_url = safe_url(event.url)
    times = event_times(event)
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Event",
        "@id": event_urn(event),
        "name": clean_text(event.name),
        "startDate": _when(times[0] if times else None, first_day(event)),
        "endDate": _when(times[1] if times else None, last_day(event)),
        "eventStatus": f"{SCHEMA}/{EVENT_STATUS[event.status]}",
        "eventAttendanceMode": f"{SCHEMA}/{ATTENDANCE_MODE[event.attendance_mode]}",
        "location": _location(event, own_url),
        "organizer": [{"@type": "Organization", "name": clean_text(name)} for name in event.organizers],
        "superEvent": {"@type": "Event", "name": clean_text(event.part_of)} if event.part_of else None,
        "previousStartDate": event.previous_start.isoformat() if event.previous_start else None,
        "url": url or own_url,
        "sameAs": own_url if url and own_url and own_url != url else None,
        "alternateName": [clean_text(alias) for alias in event.aliases],
        "description": clean_text(event.description).strip(),
        "keywords": ", ".join(clean_text(topic) for topic in event.topics),
    }
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def script_safe_json(obj: Any) -> str:
    """JSON that can sit inside an HTML ``<script>`` element whatever its strings contain.

    ``<``, ``>``, ``&``, U+2028 and U+2029 are written as ``\\uXXXX`` escapes, which every JSON
    parser reads back as the same characters.
    """
    return json.dumps(obj, ensure_ascii=False).translate(SCRIPT_ESCAPES)


def _when(moment: datetime | None, day: date | None) -> str | None:
    """ISO 8601: a datetime (with its offset if known) when the time is known, else the date."""
    if moment is not None:
        return moment.isoformat()
    return day.isoformat() if day is not None else None


def _location(event: Event, own_url: str | None) -> dict[str, Any] | list[dict[str, Any]] | None:
    """A Place, a VirtualLocation, both (mixed attendance), or None."""
    places: list[dict[str, Any]] = []
    if event.attendance_mode is not AttendanceMode.ONLINE and (event.venue or event.city or event.country):
        address = {"@type": "PostalAddress"}
        for key, value in (
            ("addressLocality", event.city),
            ("addressRegion", event.region),
            ("addressCountry", event.country_code or event.country),
        ):
            if value:
                address[key] = clean_text(value)
        place: dict[str, Any] = {
            "@type": "Place",
            "name": clean_text(event.venue or event.city or event.country),
            "address": address,
        }
        if event.lat is not None and event.lon is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": event.lat, "longitude": event.lon}
        places.append(place)
    if event.attendance_mode is not AttendanceMode.OFFLINE and own_url:
        places.append({"@type": "VirtualLocation", "url": own_url})
    return places[0] if len(places) == 1 else places or None
