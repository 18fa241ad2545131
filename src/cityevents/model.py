"""The Event and its parts: the one vocabulary every stage speaks.

Documents in -> extracted :class:`Event` objects -> merged catalog records -> views out.
Everything here is a plain dataclass; the web API has its own pydantic models.
"""

from __future__ import annotations

import enum
import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any


class Status(str, enum.Enum):
    """Where an event stands, after schema.org's EventStatusType."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"
    RESCHEDULED = "rescheduled"
    MOVED_ONLINE = "moved_online"


class AttendanceMode(str, enum.Enum):
    """How people take part, after schema.org's EventAttendanceModeEnumeration."""

    OFFLINE = "offline"
    ONLINE = "online"
    MIXED = "mixed"


@dataclass
class Figure:
    """A stated number about an event: "almost 20.000 participants" in 2022."""

    label: str
    value: int | float
    qualifier: str | None = None  # "almost", "over", "up to", ...
    year: int | None = None  # the year the figure describes, when the text says so
    text: str = ""  # the words it was read from


@dataclass
class Source:
    """Where an event (or some of its fields) came from.

    ``fields`` maps a field name to the extractor that produced it, e.g.
    ``{"start": "text.dates", "city": "text.places"}``.
    """

    document: str  # path or URL as given
    extractor: str = "text"
    span: tuple[int, int] | None = None  # character span in the document's text
    fields: dict[str, str] = field(default_factory=dict)
    published: date | None = None  # the document's own publication date
    seen_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class Conflict:
    """Two sources disagree about a field; ``kept`` won by ``rule``."""

    field: str
    kept: Any
    other: Any
    kept_source: str
    other_source: str
    rule: str  # "structured over prose", "specific over vague", "newer over older"


@dataclass
class Event:
    """One event, as extracted from a document or as merged in the catalog."""

    name: str
    start: date | None = None
    end: date | None = None  # inclusive; equal to start for a one-day event
    start_time: datetime | None = None  # set only when the source states a time (aware if it gave a zone)
    end_time: datetime | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    country_code: str | None = None  # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    timezone: str | None = None  # IANA name
    venue: str | None = None
    organizers: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # taxonomy ids, see cityevents.extract.topics
    figures: list[Figure] = field(default_factory=list)
    description: str = ""
    url: str | None = None
    status: Status = Status.SCHEDULED
    attendance_mode: AttendanceMode = AttendanceMode.OFFLINE
    previous_start: date | None = None  # for a rescheduled event
    aliases: list[str] = field(default_factory=list)  # acronyms and other names ("SCEWC")
    part_of: str | None = None  # name of the parent event ("Smart City Expo World Congress")
    series: str | None = None  # the recurring event this is an edition of
    edition: str | None = None  # "2023", "9th"
    sources: list[Source] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable id from normalised name, start date and place."""
        return event_id(self.name, self.start, self.city or self.country_code or self.country)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: dates as ISO strings, enums as their values.

        ``source`` is the first source's document (the path or URL as given).
        """
        data = asdict(self)
        data = _jsonable(data)
        data["id"] = self.id
        data["source"] = self.sources[0].document if self.sources else None
        return data


YEAR_OR_ORDINAL = re.compile(r"\b(?:19|20)\d{2}\b|\b\d+(?:st|nd|rd|th)\b|\bedition\b")
NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str | None) -> str:
    """Lower-case ASCII with accents removed and runs of other characters as one space."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return NON_ALNUM.sub(" ", ascii_text.lower()).strip()


def normalise_name(name: str) -> str:
    """The name with years, ordinals and punctuation removed: "9th Expo 2024" -> "expo"."""
    folded = fold(name.replace("&", " and "))
    return " ".join(YEAR_OR_ORDINAL.sub(" ", folded).split())


def event_id(name: str, start: date | None, place: str | None) -> str:
    """A 16-hex-digit id that is the same whenever the same event is read again."""
    key = "|".join((normalise_name(name), start.isoformat() if start else "", fold(place)))
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
