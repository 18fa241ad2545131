"""iCalendar (RFC 5545 with the RFC 7986 calendar properties), written with the icalendar library.

All-day events carry ``VALUE=DATE`` with an exclusive DTEND (the day after the last day); timed
events carry a TZID and the calendar a VTIMEZONE for every zone used. UTC times end in ``Z``;
a time with no known zone stays floating. icalendar escapes TEXT values and folds lines with CRLF.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, vCalAddress, vDuration
from icalendar import Event as VEvent
from icalendar.enums import STATUS as ICAL_STATUS

from cityevents.export.common import (
    EventUrl,
    FeedInfo,
    as_utc,
    clean_text,
    event_times,
    first_day,
    last_day,
    safe_url,
)
from cityevents.model import Event, Status

LOGGER = logging.getLogger(__name__)

Span = tuple[date | datetime, date | datetime | None]  # DTSTART, DTEND

MEDIA_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//cityevents//cityevents export//EN"
UID_SUFFIX = "@cityevents"
STATUS = {
    Status.SCHEDULED: ICAL_STATUS.CONFIRMED,
    Status.RESCHEDULED: ICAL_STATUS.CONFIRMED,
    Status.MOVED_ONLINE: ICAL_STATUS.CONFIRMED,
    Status.CANCELLED: ICAL_STATUS.CANCELLED,
    Status.POSTPONED: ICAL_STATUS.TENTATIVE,
}
# VTIMEZONE rules are written only for the years the calendar needs, plus this margin.
TIMEZONE_MARGIN = timedelta(days=366)


def render(events: list[Event], info: FeedInfo, event_url: EventUrl | None) -> str:
    """A VCALENDAR with one VEVENT per dated event; events without a start date are skipped."""
    calendar = Calendar.new(
        prodid=PRODID,
        method="PUBLISH",
        calscale="GREGORIAN",
        name=clean_text(info.title),
        description=clean_text(info.description) or None,
        url=safe_url(info.link),
        source=safe_url(info.self_url),
        uid=str(uuid.uuid5(uuid.NAMESPACE_URL, info.self_url or info.link)),
    )
    refresh = vDuration(timedelta(minutes=info.refresh_minutes))
    refresh.params["VALUE"] = "DURATION"
    calendar["REFRESH-INTERVAL"] = refresh
    calendar["X-PUBLISHED-TTL"] = vDuration(timedelta(minutes=info.refresh_minutes))
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    days: list[date] = []
    for event in events:
        start, end = first_day(event), last_day(event)
        if start is None or end is None:
            LOGGER.info("event %r has no start date; left out of the calendar", event.name)
            continue
        days += (start, end)
        url = event_url(event) if event_url is not None else safe_url(event.url)
        calendar.add_component(_vevent(event, _span(event, start, end), stamp, url))
    if days:
        calendar.add_missing_timezones(min(days) - TIMEZONE_MARGIN, max(days) + TIMEZONE_MARGIN)
    return calendar.to_ical().decode("utf-8")


def _vevent(event: Event, span: Span, stamp: datetime, url: str | None) -> VEvent:
    start, end = span
    vevent = VEvent.new(
        uid=f"{event.id}{UID_SUFFIX}",
        stamp=stamp,
        start=start,
        end=end,
        summary=clean_text(event.name),
        description=_description(event) or None,
        location=clean_text(", ".join(p for p in (event.venue, event.city, event.country) if p)) or None,
        # a tuple: an empty list would still write a bare "CATEGORIES:"
        categories=tuple(clean_text(topic) for topic in event.topics),
        status=STATUS[event.status],
        url=url,
    )
    if event.lat is not None and event.lon is not None:
        vevent.add("geo", (event.lat, event.lon))
    if event.organizers:
        # ORGANIZER must be a URI and sources give only names: a name-based UUID URN stands in.
        name = event.organizers[0]
        organizer = vCalAddress(uuid.uuid5(uuid.NAMESPACE_URL, f"cityevents:organizer:{name}").urn)
        organizer.params["CN"] = clean_text(name)
        vevent["ORGANIZER"] = organizer
    if event.sources:
        vevent.add("last-modified", max(as_utc(source.seen_at) for source in event.sources))
    return vevent


def _span(event: Event, start: date, end: date) -> Span:
    """DTSTART and DTEND: dates with an exclusive end, or times in the event's zone."""
    times = event_times(event)
    if times is None:
        return start, end + timedelta(days=1)
    start_time, end_time = times
    return _ical_time(start_time), _ical_time(end_time) if end_time is not None else None


def _ical_time(moment: datetime) -> datetime:
    """A time iCalendar can state: in an IANA zone (TZID), in UTC (Z), or floating."""
    if moment.tzinfo is None or isinstance(moment.tzinfo, ZoneInfo):
        return moment
    # A bare offset has no TZID to name it; the same instant in UTC is exact.
    return moment.astimezone(timezone.utc)


def _description(event: Event) -> str:
    text = clean_text(event.description).strip()
    if len(event.organizers) > 1:  # iCalendar allows one ORGANIZER; name them all here
        text = f"{text}\n\nOrganisers: {'; '.join(clean_text(o) for o in event.organizers)}".strip()
    return text
