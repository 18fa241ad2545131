"""Between :class:`cityevents.model.Event` and the catalog's rows and JSON claims."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from cityevents.model import AttendanceMode, Conflict, Event, Figure, Source, Status, fold

LOGGER = logging.getLogger(__name__)

# Event fields stored as JSON lists, and the ones that are not stored as event columns at all.
LIST_FIELDS = ("organizers", "topics", "figures", "aliases")
NOT_RECORDED = ("sources", "conflicts")
DATE_FIELDS = ("start", "end", "previous_start")
TIME_FIELDS = ("start_time", "end_time")
# Event field -> events column, where the names differ.
COLUMN_OF = {"start": "start_date", "end": "end_date"}
RECORD_FIELDS = tuple(f.name for f in fields(Event) if f.name not in NOT_RECORDED)


@dataclass
class CatalogEvent(Event):
    """An :class:`Event` as the catalog holds it.

    Its ``id`` is the catalog's record id, fixed when the event was first inserted, even if merging
    later changes the name, date or place the id was computed from. ``provenance`` maps each field
    to the documents its value came from; ``part_of_id`` is the catalog id of the parent event.
    """

    record_id: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    provenance: dict[str, list[str]] = field(default_factory=dict)
    part_of_id: str | None = None

    @property
    def id(self) -> str:
        """The catalog record id."""
        return self.record_id or super().id


def record_from_event(event: Event) -> dict[str, Any]:
    """The event's own fields as a JSON-ready dict (no sources, conflicts or catalog metadata)."""
    record: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = getattr(event, name)
        if name in DATE_FIELDS or name in TIME_FIELDS:
            value = value.isoformat() if value is not None else None
        elif name in ("status", "attendance_mode"):
            value = value.value if isinstance(value, (Status, AttendanceMode)) else str(value)
        elif name == "figures":
            value = [_figure_dict(figure) for figure in value]
        elif name in LIST_FIELDS:
            value = list(value)
        record[name] = value
    return record


def event_from_record(record: dict[str, Any]) -> Event:
    """Inverse of :func:`record_from_event`; unknown keys are ignored."""
    values: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        if name not in record:
            continue
        value = record[name]
        if name in DATE_FIELDS:
            value = date.fromisoformat(value) if value else None
        elif name in TIME_FIELDS:
            value = datetime.fromisoformat(value) if value else None
        elif name == "status":
            value = Status(value)
        elif name == "attendance_mode":
            value = AttendanceMode(value)
        elif name == "figures":
            value = [Figure(**figure) for figure in value or []]
        elif name in LIST_FIELDS:
            value = list(value or [])
        values[name] = value
    return Event(**values)


def event_columns(event: Event) -> dict[str, Any]:
    """The ``events`` column values for a merged event (without id and timestamps)."""
    record = record_from_event(event)
    columns: dict[str, Any] = {}
    for name, value in record.items():
        if name in DATE_FIELDS:
            value = getattr(event, name)
        columns[COLUMN_OF.get(name, name)] = value
    columns["sort_name"] = fold(event.name)
    columns["city_key"] = fold(event.city) or None
    columns["country_key"] = country_key(event.country)
    columns["search_text"] = search_text(event)
    return columns


def event_from_row(row: Any) -> CatalogEvent:
    """A :class:`CatalogEvent` from an ``events`` row (sources and conflicts left empty)."""
    m = row._mapping
    return CatalogEvent(
        name=m["name"],
        start=m["start_date"],
        end=m["end_date"],
        start_time=datetime.fromisoformat(m["start_time"]) if m["start_time"] else None,
        end_time=datetime.fromisoformat(m["end_time"]) if m["end_time"] else None,
        city=m["city"],
        region=m["region"],
        country=m["country"],
        country_code=m["country_code"],
        lat=m["lat"],
        lon=m["lon"],
        timezone=m["timezone"],
        venue=m["venue"],
        organizers=list(m["organizers"]),
        topics=list(m["topics"]),
        figures=[Figure(**figure) for figure in m["figures"]],
        description=m["description"],
        url=m["url"],
        status=Status(m["status"]),
        attendance_mode=AttendanceMode(m["attendance_mode"]),
        previous_start=m["previous_start"],
        aliases=list(m["aliases"]),
        part_of=m["part_of"],
        series=m["series"],
        edition=m["edition"],
        record_id=m["id"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        provenance=dict(m["provenance"]),
        part_of_id=m["part_of_id"],
    )


def source_from_row(row: Any) -> Source:
    """A :class:`Source` from an ``event_sources`` row."""
    m = row._mapping
    span = (m["span_start"], m["span_end"]) if m["span_start"] is not None else None
    return Source(
        document=m["document"],
        extractor=m["extractor"],
        span=span,
        fields=dict(m["fields"]),
        published=m["published"],
        seen_at=m["seen_at"],
    )


def conflict_from_row(row: Any) -> Conflict:
    """A :class:`Conflict` from an ``event_conflicts`` row."""
    m = row._mapping
    return Conflict(
        field=m["field"],
        kept=m["kept"],
        other=m["other"],
        kept_source=m["kept_source"],
        other_source=m["other_source"],
        rule=m["rule"],
    )


def country_key(country: str | None) -> str | None:
    """The folded country name without a leading article: "the Netherlands" -> "netherlands"."""
    key = fold(country)
    return key.removeprefix("the ") or None


def search_text(event: Event) -> str:
    """The words full-text search indexes for an event, folded so both backends see the same ones."""
    parts = [event.name, *event.aliases, event.description, event.city, event.country,
             *event.organizers, *event.topics]
    return " ".join(folded for part in parts if (folded := fold(part)))


def jsonable(value: Any) -> Any:
    """A merged field value as JSON (dates as ISO strings, enums as values, figures as dicts)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (Status, AttendanceMode)):
        return value.value
    if isinstance(value, Figure):
        return _figure_dict(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    return value


def _figure_dict(figure: Figure) -> dict[str, Any]:
    return {"label": figure.label, "value": figure.value, "qualifier": figure.qualifier,
            "year": figure.year, "text": figure.text}
