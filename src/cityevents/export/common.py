"""What every renderer shares: feed metadata, safe text and URLs, labels, and zone-aware times."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cityevents.model import Event

LOGGER = logging.getLogger(__name__)

EventUrl = Callable[[Event], str]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# C0 controls but TAB and LF (CR is normalised first), DEL and C1 controls, lone surrogates and
# U+FFFE/U+FFFF: XML 1.0 forbids or discourages them, iCalendar TEXT excludes controls.
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
SAFE_URL_SCHEMES = frozenset({"http", "https"})
URL_FORBIDDEN = re.compile("[\x00-\x20\x7f-\x9f]")  # controls and spaces: never in a clean URL


@dataclass(frozen=True)
class FeedInfo:
    """The feed as a whole: its title, home page, own URL and how often clients should poll."""

    title: str = "cityevents"
    link: str = "http://localhost:8000/"
    self_url: str | None = None
    description: str = ""
    refresh_minutes: int = 360


def clean_text(text: str | None) -> str:
    """The text with CR/CRLF as LF and characters that XML and iCalendar forbid removed."""
    return UNSAFE_CHARS.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def safe_url(url: str | None) -> str | None:
    """The URL if it is absolute http(s), else None: feeds never carry ``javascript:`` links."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in SAFE_URL_SCHEMES or not parts.netloc or URL_FORBIDDEN.search(url):
        return None
    return url


def event_link(event: Event, info: FeedInfo, event_url: EventUrl | None) -> str:
    """Where a reader should go for the event: its page here, its own site, or the feed's home."""
    if event_url is not None:
        return event_url(event)
    return safe_url(event.url) or info.link


def event_urn(event: Event) -> str:
    """A location-independent identifier that stays the same across renders and hosts."""
    return f"urn:cityevents:event:{event.id}"


def first_day(event: Event) -> date | None:
    """The start date, or the date of the start time when only that is known."""
    if event.start is not None:
        return event.start
    return event.start_time.date() if event.start_time is not None else None


def last_day(event: Event) -> date | None:
    """The inclusive end date, never before the start."""
    start = first_day(event)
    end = event.end or (event.end_time.date() if event.end_time is not None else None) or start
    if start is not None and end is not None and end < start:
        return start
    return end


def place_label(event: Event) -> str:
    """ "Barcelona, Spain", or whichever of city and country is known."""
    return ", ".join(part for part in (event.city, event.country or event.country_code) if part)


def date_label(start: date | None, end: date | None) -> str:
    """A compact human range: "3 Oct 2023", "3–4 Oct 2023", "30 Sep – 2 Oct 2023"."""
    if start is None:
        return ""
    if end is None or end <= start:
        return f"{start.day} {MONTHS[start.month - 1]} {start.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {end.day} {MONTHS[end.month - 1]} {end.year}"
    return f"{date_label(start, None)} – {date_label(end, None)}"


def entry_title(event: Event) -> str:
    """ "Name — City, Country (3–4 Oct 2023)", leaving out the parts that are unknown."""
    title = clean_text(event.name).strip() or "Untitled event"
    place = clean_text(place_label(event))
    if place:
        title = f"{title} — {place}"
    dates = date_label(first_day(event), last_day(event))
    return f"{title} ({dates})" if dates else title


def entry_summary(event: Event) -> str:
    """The description as plain text, or the title when the event has none."""
    return clean_text(event.description).strip() or entry_title(event)


def entry_updated(event: Event, fallback: datetime) -> datetime:
    """When the event was first seen (UTC), else midnight UTC of its start, else ``fallback``."""
    if event.sources:
        return as_utc(event.sources[0].seen_at).replace(microsecond=0)
    start = first_day(event)
    if start is not None:
        return datetime.combine(start, time(), timezone.utc)
    return fallback


def as_utc(moment: datetime) -> datetime:
    """The moment in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone, or None if the name is missing or unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        LOGGER.warning("unknown time zone %r ignored", name)
        return None


def event_times(event: Event) -> tuple[datetime, datetime | None] | None:
    """Start and end time in the event's zone (see :func:`zoned`), or None for an all-day event.

    The end is dropped when it is not after the start, or when only one of the two is floating.
    """
    if event.start_time is None:
        return None
    start = zoned(event.start_time, event.timezone)
    end = zoned(event.end_time, event.timezone) if event.end_time is not None else None
    if end is not None and ((start.tzinfo is None) != (end.tzinfo is None) or end <= start):
        end = None
    return start, end


def zoned(moment: datetime, zone_name: str | None) -> datetime:
    """The moment in the event's IANA zone where that is consistent with what the source said.

    A naive time is placed in the zone; an aware time with a fixed offset is moved into the zone
    only when the zone has that offset at that moment (so no instant ever changes). Otherwise
    the moment is returned as given.
    """
    tz = zone(zone_name)
    if tz is None:
        return moment
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    if isinstance(moment.tzinfo, ZoneInfo):
        return moment
    local = moment.astimezone(tz)
    return local if local.utcoffset() == moment.utcoffset() else moment
