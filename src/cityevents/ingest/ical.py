"""iCalendar (RFC 5545) and jCal (RFC 7265) -> events.

Every VEVENT becomes an event; a recurring one (RRULE, RDATE, RECURRENCE-ID overrides)
becomes one event per occurrence inside a window, by default from a year ago to two years
ahead. Times keep their zone (VTIMEZONE or TZID), floating times stay naive, all-day
events get an inclusive end (DTEND is exclusive). A broken component is logged and skipped.
"""

from __future__ import annotations

import functools
import logging
import zoneinfo
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import recurring_ical_events
from icalendar import Calendar, Component, vRecur
from icalendar.timezone import tzid_from_dt, tzids_from_tzinfo
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from cityevents.errors import InputError
from cityevents.ingest.common import (
    apply_geo,
    apply_location,
    named_event,
    plain,
    resolve_place_text,
    topics_for,
)
from cityevents.ingest.sniff import decode
from cityevents.model import Event, Source, Status

LOGGER = logging.getLogger(__name__)

EXTRACTOR = "ical"
WINDOW_BEFORE = timedelta(days=365)
WINDOW_AFTER = timedelta(days=2 * 365)
MAX_OCCURRENCES = 1000  # per calendar: a runaway rule must not flood the catalog
EXPANSION_STEP = timedelta(days=7)
SUB_DAILY = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
RECURRENCE_PROPERTIES = ("RRULE", "RDATE", "RECURRENCE-ID")
STATUSES = {"CANCELLED": Status.CANCELLED, "CONFIRMED": Status.SCHEDULED, "TENTATIVE": Status.SCHEDULED}
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z"})


def parse(
    data: bytes,
    *,
    source: str,
    published: date | None = None,
    window: tuple[date, date] | None = None,
) -> list[Event]:
    """Events of an iCalendar or jCal document.

    Args:
        data: the document.
        source: its path or URL.
        published: its publication date (kept in the events' sources).
        window: first and last day for occurrences of recurring events; default
            from one year before today to two years after. One-off events are kept whatever their date.

    Returns:
        The events, one per VEVENT or occurrence.

    Raises:
        InputError: undecodable data, or no calendar at all.
    """
    first, last = window or (date.today() - WINDOW_BEFORE, date.today() + WINDOW_AFTER)
    events: list[Event] = []
    for calendar in read_calendars(decode(data)):
        for component in occurrences(calendar, first, last, source):
            try:
                event = to_event(component, source=source, published=published)
            # icalendar values fail in many ways; one bad VEVENT must not sink the file
            except Exception as exc:  # noqa: BLE001
                LOGGER.warning("%s: VEVENT %s skipped: %s", source, component.get("UID", "?"), exc)
                continue
            if event is not None:
                events.append(event)
    return events


def read_calendars(text: str) -> list[Component]:
    """The calendars (or bare components) in an iCalendar or jCal text."""
    try:
        if text.lstrip().startswith("["):
            found: Any = Calendar.from_jcal(text)
        else:
            found = Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError... on garbage
        raise InputError(f"unreadable iCalendar: {one_line(exc)}") from exc
    calendars = [c for c in (found if isinstance(found, list) else [found]) if isinstance(c, Component)]
    if not calendars:
        raise InputError("unreadable iCalendar: no calendar component")
    return calendars


def occurrences(calendar: Component, first: date, last: date, source: str) -> list[Component]:
    """One-off VEVENTs as they are, recurring ones expanded inside [first, last]."""
    vevents = list(calendar.walk("VEVENT"))
    single = [c for c in vevents if not any(p in c for p in RECURRENCE_PROPERTIES)]
    series = [c for c in vevents if any(p in c for p in RECURRENCE_PROPERTIES)]
    too_frequent = [c for c in series if recurs_within_a_day(c)]
    if too_frequent:
        LOGGER.warning("%s: %d series recur more than daily; first dates kept", source, len(too_frequent))
        single += too_frequent
        series = [c for c in series if not recurs_within_a_day(c)]
    if not series:
        return single
    recurring = Calendar()
    for component in [*calendar.walk("VTIMEZONE"), *series]:
        recurring.add_component(component)
    try:
        expanded = expand(recurring, first, last)
    except Exception as exc:  # noqa: BLE001 - a rule recurring_ical_events cannot expand: keep the series' first dates
        LOGGER.warning("%s: recurring events not expanded (%s); first dates kept", source, one_line(exc))
        return single + [c for c in series if "RECURRENCE-ID" not in c]
    if len(expanded) > MAX_OCCURRENCES:
        LOGGER.warning("%s: more than %d occurrences, the rest ignored", source, MAX_OCCURRENCES)
    return single + expanded[:MAX_OCCURRENCES]


def expand(recurring: Calendar, first: date, last: date) -> list[Component]:
    """Occurrences in week-long steps (few queries, and a stop once there are too many)."""
    query = recurring_ical_events.of(recurring, skip_bad_series=True)
    found: dict[tuple[str, str], Component] = {}
    day = first
    while day <= last and len(found) <= MAX_OCCURRENCES:
        stop = min(day + EXPANSION_STEP, last + timedelta(days=1))
        for occurrence in query.between(day, stop):
            # an occurrence that spans two steps comes back twice
            found.setdefault((str(occurrence.get("UID", "")), str(occurrence.decoded("DTSTART"))), occurrence)
        day = stop
    return list(found.values())


def recurs_within_a_day(component: Component) -> bool:
    """An RRULE with FREQ=SECONDLY, MINUTELY or HOURLY: not how city events recur."""
    rules = component.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules]:
        frequencies = rule.get("FREQ", []) if isinstance(rule, vRecur) else []  # a broken rule is a vBroken
        if any(str(f).upper() in SUB_DAILY for f in frequencies):
            return True
    return False


def to_event(component: Component, *, source: str, published: date | None) -> Event | None:
    """One VEVENT (or occurrence) as an event; None when it has no SUMMARY."""
    name = plain(text_of(component.get("SUMMARY")))
    if not name:
        LOGGER.info("%s: VEVENT %s without SUMMARY, skipped", source, component.get("UID", "?"))
        return None
    event = named_event(name)
    fields: dict[str, str] = {"name": "ical.SUMMARY"}
    set_place(event, component, fields)
    set_times(event, component, fields)
    set_details(event, component, fields)
    event.sources.append(Source(document=source, extractor=EXTRACTOR, fields=fields, published=published))
    return event


def set_place(event: Event, component: Component, fields: dict[str, str]) -> None:
    """GEO (coordinates and their zone) and LOCATION (through the gazetteer)."""
    geo = component.get("GEO")
    lat, lon = getattr(geo, "latitude", None), getattr(geo, "longitude", None)
    if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
        for name in apply_geo(event, float(lat), float(lon)):
            fields[name] = "ical.GEO"
    location = text_of(component.get("LOCATION"))
    if location:
        for name in apply_location(event, resolve_place_text(location)):
            fields[name] = "ical.LOCATION"


def set_times(event: Event, component: Component, fields: dict[str, str]) -> None:
    """DTSTART, DTEND or DURATION; all-day ends made inclusive; UTC shown in the place's zone."""
    if "DTSTART" not in component:
        return
    start = component.decoded("DTSTART")
    if not isinstance(start, date):
        raise TypeError(f"DTSTART is not a date: {str(start)[:40]!r}")
    end: Any = component.decoded("DTEND") if "DTEND" in component else None
    if not isinstance(end, date) and "DURATION" in component:
        duration = component.decoded("DURATION")
        end = start + duration if isinstance(duration, timedelta) else None
    fields["start"] = "ical.DTSTART"
    if not isinstance(start, datetime):
        event.start = start
        event.end = start
        if isinstance(end, date) and as_date(end) > start:
            event.end = as_date(end) - timedelta(days=1)  # DTEND of a DATE is exclusive
            fields["end"] = "ical.DTEND"
        return
    zone = zone_name(start)
    if zone in UTC_NAMES and event.timezone:
        local = zoneinfo.ZoneInfo(event.timezone)
        start = start.astimezone(local)
        end = end.astimezone(local) if isinstance(end, datetime) and end.tzinfo else end
    elif zone and not event.timezone:
        event.timezone = zone
        fields["timezone"] = "ical.TZID"
    event.start_time, event.start = start, start.date()
    event.end = event.start
    fields["start_time"] = "ical.DTSTART"
    if isinstance(end, datetime) and comparable(start, end) and end >= start:
        event.end_time = end
        last_moment = (
            end - timedelta(microseconds=1) if end > start else end
        )  # an end at midnight ends the day before
        event.end = max(last_moment.date(), event.start)
        fields["end"] = fields["end_time"] = "ical.DTEND"


def set_details(event: Event, component: Component, fields: dict[str, str]) -> None:
    """STATUS, URL, DESCRIPTION, ORGANIZER CN and CATEGORIES -> topics."""
    status = STATUSES.get(str(component.get("STATUS", "")).strip().upper())
    if status is not None:
        event.status = status
        fields["status"] = "ical.STATUS"
    url = text_of(component.get("URL"))
    if url:
        event.url = url
        fields["url"] = "ical.URL"
    description = text_of(component.get("DESCRIPTION"))
    if description:
        event.description = description.strip()
        fields["description"] = "ical.DESCRIPTION"
    for organizer in as_list(component.get("ORGANIZER")):
        params = getattr(organizer, "params", {})
        name = plain(str(params.get("CN", ""))).strip("\"' ")
        if name and name not in event.organizers:
            event.organizers.append(name)
            fields["organizers"] = "ical.ORGANIZER"
    categories = [
        str(cat) for value in as_list(component.get("CATEGORIES")) for cat in getattr(value, "cats", [value])
    ]
    event.topics = topics_for(event.name, event.description, tags=categories)
    if event.topics:
        fields["topics"] = "ical.CATEGORIES+SUMMARY+DESCRIPTION"


def zone_name(moment: datetime) -> str | None:
    """The IANA name of a datetime's zone, when it has one that is known."""
    zone: tzinfo | None = moment.tzinfo
    if zone is None:
        return None
    key = getattr(zone, "key", None)
    candidates = [key] if key else []
    try:
        candidates.append(tzid_from_dt(moment) or "")
        candidates.extend(tzids_from_tzinfo(zone))
    except Exception as exc:  # noqa: BLE001 - odd custom VTIMEZONEs; the offset alone is still right
        LOGGER.debug("no zone id for %s: %s", zone, exc)
    known = available_zones()
    for candidate in candidates:
        candidate = WINDOWS_TO_OLSON.get(candidate, candidate)  # Outlook names its zones the Windows way
        if candidate in UTC_NAMES:
            return "UTC"
        if candidate in known:
            return candidate
    return None


@functools.cache
def available_zones() -> frozenset[str]:
    """The IANA zone names this system knows."""
    return frozenset(zoneinfo.available_timezones())


def comparable(start: datetime, end: datetime) -> bool:
    """Both aware or both naive."""
    return (start.tzinfo is None) == (end.tzinfo is None)


def as_date(value: date) -> date:
    """The date of a date or datetime."""
    return value.date() if isinstance(value, datetime) else value


def as_list(value: Any) -> list[Any]:
    """A property that may repeat, as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def text_of(value: Any) -> str:
    """A text property (the first, if repeated) as str."""
    value = as_list(value)[0] if isinstance(value, list) and value else value
    return str(value).strip() if value is not None else ""


def one_line(exc: BaseException) -> str:
    """An exception message on one short line."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]
