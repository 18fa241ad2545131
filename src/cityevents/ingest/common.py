"""Helpers the structured readers (JSON-LD, iCalendar, CSV) share: places, topics, names."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from cityevents.extract.gazetteer import Place, get_gazetteer
from cityevents.extract.names import clean_name
from cityevents.extract.places import find_place_mentions
from cityevents.extract.topics import classify_topics
from cityevents.model import Event

LOGGER = logging.getLogger(__name__)

TAG = re.compile(r"<[^>]{0,500}>")
POSTCODE = re.compile(r"\b[A-Z]{0,2}[- ]?\d[\dA-Z -]{2,8}\b")
LIST_SEPARATORS = re.compile(r"\s*[;,|]\s*")
LOOSE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2}))?")


@dataclass
class Located:
    """What a place text or a structured address resolved to."""

    place: Place | None = None
    venue: str | None = None
    city: str | None = None  # as written, when the gazetteer does not know it
    country: tuple[str, str] | None = None  # (code, name)


def plain(value: str | None) -> str:
    """Text without markup or entities, whitespace collapsed."""
    if not value:
        return ""
    return " ".join(html.unescape(TAG.sub(" ", value)).split())


def resolve_city(city: str | None, country: str | None) -> Located:
    """A locality and a country as a structured address gives them; a locality written "Taipei,
    Taiwan" in a city field alone is read as free text."""
    gazetteer = get_gazetteer()
    found_country = gazetteer.country(country) if country else None
    located = Located(country=found_country)
    if city:
        place = gazetteer.city(city, found_country[0] if found_country else None)
        if place is None and found_country is None:
            place = gazetteer.city(city) or (resolve_place_text(city).place if "," in city else None)
        if place is not None:
            located.place = place
        else:
            located.city = city
    return located


def resolve_place_text(text: str | None) -> Located:
    """A free-text location ("Fira Gran Via, Av. Joan Carles I, 64, Barcelona, Spain").

    Place mentions come first; otherwise the comma-separated parts are tried from the
    end: a country, then a city in it. The first part, when it is not the place, is the venue.
    """
    text = plain(text)
    if not text:
        return Located()
    parts = [part.strip() for part in text.split(",") if part.strip()]
    venue = parts[0] if len(parts) > 1 else None
    mentions = find_place_mentions(text)
    if mentions:
        mention = mentions[-1]
        if venue and mention.span[0] < len(venue):
            venue = None
        return Located(place=mention.place, venue=venue)
    gazetteer = get_gazetteer()
    country = gazetteer.country(parts[-1]) if parts else None
    candidates = parts[:-1] if country else parts
    for part in reversed(candidates):
        name = POSTCODE.sub(" ", part).strip()
        place = gazetteer.city(name, country[0] if country else None) if name else None
        if place is not None:
            if venue == part:
                venue = None
            return Located(place=place, venue=venue, country=country)
    return Located(venue=text if not country else venue, country=country)


def apply_location(event: Event, located: Located) -> list[str]:
    """Copy what was located onto the event; returns the names of the fields set."""
    fields: list[str] = []
    place = located.place
    if place is not None:
        for name in ("city", "region", "country", "country_code", "timezone"):
            if getattr(event, name) is None and getattr(place, name) is not None:
                setattr(event, name, getattr(place, name))
                fields.append(name)
        if event.lat is None and event.lon is None and place.lat is not None and place.lon is not None:
            event.lat, event.lon = place.lat, place.lon  # the city's; a stated GEO is more precise
            fields.extend(["lat", "lon"])
    if located.city and event.city is None:
        event.city = located.city
        fields.append("city")
    if located.country and event.country_code is None:
        event.country_code, event.country = located.country
        fields.extend(["country", "country_code"])
    if located.venue and event.venue is None:
        event.venue = located.venue
        fields.append("venue")
    return fields


def apply_geo(event: Event, lat: float, lon: float) -> list[str]:
    """Set coordinates and, when the event has no zone yet, the zone there."""
    event.lat, event.lon = lat, lon
    fields = ["lat", "lon"]
    if event.timezone is None:
        event.timezone = get_gazetteer().timezone_at(lat, lon)
        if event.timezone:
            fields.append("timezone")
    return fields


def topics_for(*texts: str | None, tags: list[str] | None = None) -> list[str]:
    """Topic ids for the tags first, then for the name and description, without repeats."""
    topics: list[str] = []
    for text in [*(tags or []), " ".join(t for t in texts if t)]:
        for topic in classify_topics(text) if text else []:
            if topic not in topics:
                topics.append(topic)
    return topics


def split_list(value: str | None) -> list[str]:
    """ "a; b, c" -> ["a", "b", "c"]."""
    return [item for item in LIST_SEPARATORS.split(value or "") if item]


def parse_float(value: object) -> float | None:
    """A number from a str or number, or None."""
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None


def parse_iso(value: object) -> tuple[date, datetime | None] | None:
    """An ISO 8601 date or date-time: (the date, the date-time when a time is given).

    The date is the local date the value states; a time without an offset stays naive.
    """
    text = str(value or "").strip()
    if not text:
        return None
    try:
        if len(text) <= 10 and "T" not in text and ":" not in text:
            return date.fromisoformat(text), None
        moment = datetime.fromisoformat(text)
    except ValueError:
        match = LOOSE_ISO.match(text)
        if not match:
            return None
        year, month, day, hour, minute = (int(g) if g else None for g in match.groups())
        try:
            day_value = date(year, month, day)  # type: ignore[arg-type]  # the pattern guarantees them
        except ValueError:
            return None
        if hour is None or hour > 23 or (minute or 0) > 59:
            return day_value, None
        return day_value, datetime(day_value.year, day_value.month, day_value.day, hour, minute or 0)
    return moment.date(), moment


def named_event(raw: str) -> Event:
    """An event named as a structured source states it, a trailing "(ACRONYM)" moved to aliases
    the way prose names are read, so that "Urban Mobility Days (UMD)" matches "Urban Mobility Days"."""
    cleaned = clean_name(raw)
    return Event(name=cleaned.name or raw, aliases=list(cleaned.aliases), edition=cleaned.edition)
