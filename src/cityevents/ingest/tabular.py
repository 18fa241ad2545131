"""CSV (and TSV) tables -> events, one per row.

Columns are recognised by their header (``HEADER_FIELDS``). Dates may be ISO, numeric or
written with month names; a date cell may hold a whole range ("12-14 March 2024") when no end
column says otherwise. Markdown pipe tables ("| Date | Event | City |" with a "|---|" rule) read
like any other table. A numeric date such as 03/10/2023 is read day-first or
month-first only when another value in the same file proves the order (a first part
above 12 proves day-first); otherwise the row is reported, not guessed. A bad row is
skipped with its reason logged; the other rows go on.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from cityevents.errors import InputError
from cityevents.extract.dates import find_dates
from cityevents.ingest.common import (
    apply_geo,
    apply_location,
    named_event,
    parse_float,
    parse_iso,
    resolve_city,
    resolve_place_text,
    split_list,
    topics_for,
)
from cityevents.ingest.sniff import decode
from cityevents.model import AttendanceMode, Event, Source, Status, fold

LOGGER = logging.getLogger(__name__)

EXTRACTOR = "csv"
DELIMITERS = ",;\t|"
HEADER_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name", "title", "event", "event name", "event title"),
    "start": ("start", "start date", "date", "from", "begin", "begins", "starts", "when", "date from"),
    "end": ("end", "end date", "to", "until", "ends", "date to"),
    "start_clock": ("start time", "time", "starts at"),
    "end_clock": ("end time", "ends at"),
    "city": ("city", "town"),
    "location": ("location", "venue", "place", "address", "where"),
    "country": ("country", "country code"),
    "url": ("url", "link", "website", "web", "homepage", "event url"),
    "organizers": ("organizer", "organiser", "organizers", "organisers", "host", "hosts", "organized by"),
    "description": ("description", "summary", "details", "abstract"),
    "topics": ("topics", "topic", "tags", "tag", "categories", "category", "keywords"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "long", "longitude"),
    "status": ("status",),
    "mode": ("attendance", "format", "mode"),
}
COLUMN_FIELD = {alias: name for name, aliases in HEADER_FIELDS.items() for alias in aliases}
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
NUMERIC_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})\b")
YEAR_FIRST_DATE = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b")
DAY_MONTH_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\.?[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{4})\b")
MONTH_NAME_DAY = re.compile(r"^([A-Za-z]{3,9})\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{4})\b")
CLOCK = re.compile(r"\b([01]?\d|2[0-3])[:h]([0-5]\d)\b")
MARKDOWN_RULE = re.compile(r"\s*:?-{3,}:?\s*")  # the "|---|:---:|" line under a Markdown table's header
STATUSES = {
    "cancelled": Status.CANCELLED,
    "canceled": Status.CANCELLED,
    "postponed": Status.POSTPONED,
    "rescheduled": Status.RESCHEDULED,
    "moved online": Status.MOVED_ONLINE,
    "scheduled": Status.SCHEDULED,
    "confirmed": Status.SCHEDULED,
}
MODES = {
    "online": AttendanceMode.ONLINE,
    "virtual": AttendanceMode.ONLINE,
    "hybrid": AttendanceMode.MIXED,
    "mixed": AttendanceMode.MIXED,
    "in person": AttendanceMode.OFFLINE,
    "offline": AttendanceMode.OFFLINE,
}


class RowError(ValueError):
    """Why a row was skipped."""


@dataclass
class Table:
    """A decoded table: which column holds which field, and the data rows."""

    columns: dict[str, int]
    rows: list[list[str]]
    day_first: bool | None = None  # None: the file does not prove an order
    problems: list[str] = field(default_factory=list)


def parse(data: bytes, *, source: str, published: date | None = None) -> list[Event]:
    """Events of a CSV table, one per good row; bad rows are logged and skipped.

    Raises:
        InputError: undecodable data, malformed CSV, or no name/title column.
    """
    events, problems = read_table(decode(data), source=source, published=published)
    for problem in problems:
        LOGGER.warning("%s: %s", source, problem)
    return events


def read_table(text: str, *, source: str, published: date | None = None) -> tuple[list[Event], list[str]]:
    """The events of a CSV text and a line per skipped row ("row 4: ambiguous date ...")."""
    table = load(text)
    table.day_first = date_order(table)
    events: list[Event] = []
    for number, row in enumerate(table.rows, start=2):
        try:
            events.append(row_event(table, row, source=source, published=published))
        except RowError as exc:
            table.problems.append(f"row {number}: {exc}")
    return events, table.problems


def load(text: str) -> Table:
    """Sniff the dialect, map the header, keep the non-empty rows."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    separator = delimiter(lines)
    if separator == "|":
        lines = [line.strip().strip("|") for line in lines]
        text = "\n".join(lines)
    try:
        rows = [
            row
            for row in csv.reader(io.StringIO(text), delimiter=separator)
            if any(c.strip() for c in row) and not all(MARKDOWN_RULE.fullmatch(c) for c in row if c.strip())
        ]
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}") from exc
    if not rows:
        raise InputError("empty CSV")
    columns: dict[str, int] = {}
    for index, cell in enumerate(rows[0]):
        name = COLUMN_FIELD.get(fold(cell))
        if name and name not in columns:
            columns[name] = index
    if "name" not in columns:
        raise InputError(f"CSV without a name or title column (columns: {', '.join(rows[0])[:120]})")
    return Table(columns=columns, rows=rows[1:])


def delimiter(lines: list[str]) -> str:
    """The delimiter csv.Sniffer sees in the first lines, if the header has it; else the header's commonest."""
    header = lines[0] if lines else ""
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    return sniffed if sniffed and sniffed in header else max(DELIMITERS, key=header.count)


def date_order(table: Table) -> bool | None:
    """True when the file proves day-first, False when it proves month-first, else None."""
    day_first = month_first = False
    for row in table.rows:
        for name in ("start", "end"):
            match = NUMERIC_DATE.match(cell(table, row, name))
            if match:
                first, second = int(match.group(1)), int(match.group(2))
                day_first |= first > 12 >= second
                month_first |= second > 12 >= first
    if day_first == month_first:
        return None
    return day_first


def cell(table: Table, row: list[str], name: str) -> str:
    """A row's value for a field, "" when the column is absent or the row short."""
    index = table.columns.get(name)
    return row[index].strip() if index is not None and index < len(row) else ""


def row_event(table: Table, row: list[str], *, source: str, published: date | None) -> Event:
    """One row as an event; :class:`RowError` says why it cannot be."""
    name = " ".join(cell(table, row, "name").split())
    if not name:
        raise RowError("no name")
    event = named_event(name)
    fields = {"name": "csv.name"}
    set_dates(event, table, row, fields)
    set_place(event, table, row, fields)
    url = cell(table, row, "url")
    if url:
        event.url, fields["url"] = url, "csv.url"
    description = cell(table, row, "description")
    if description:
        event.description, fields["description"] = description, "csv.description"
    organizers = [o for o in re.split(r"\s*[;|]\s*", cell(table, row, "organizers")) if o]
    if organizers:
        event.organizers, fields["organizers"] = organizers, "csv.organizers"
    event.topics = topics_for(event.name, event.description, tags=split_list(cell(table, row, "topics")))
    if event.topics:
        fields["topics"] = "csv.topics+name+description"
    status = STATUSES.get(fold(cell(table, row, "status")))
    if status is not None:
        event.status, fields["status"] = status, "csv.status"
    mode = MODES.get(fold(cell(table, row, "mode")).replace("-", " "))
    if mode is not None:
        event.attendance_mode, fields["attendance_mode"] = mode, "csv.mode"
    event.sources.append(Source(document=source, extractor=EXTRACTOR, fields=fields, published=published))
    return event


def set_dates(event: Event, table: Table, row: list[str], fields: dict[str, str]) -> None:
    """Start and end dates, and times when a date cell or a time column states one."""
    start_text, end_text = cell(table, row, "start"), cell(table, row, "end")
    if not start_text:
        if end_text:
            raise RowError(f"an end date ({end_text!r}) without a start date")
        return
    stated = None if end_text else date_range(start_text)
    if stated is not None:
        event.start, event.end = stated
        fields["start"] = fields["end"] = "csv.start"
        return
    event.start, event.start_time = read_date(start_text, table.day_first)
    event.end = event.start
    fields["start"] = "csv.start"
    if end_text:
        end, event.end_time = read_date(end_text, table.day_first)
        if end < event.start:
            raise RowError(f"end date {end_text!r} is before start date {start_text!r}")
        event.end, fields["end"] = end, "csv.end"
    for name, target in (("start_clock", "start_time"), ("end_clock", "end_time")):
        clock = CLOCK.search(cell(table, row, name))
        day = event.start if target == "start_time" else event.end
        if clock and day:
            value = datetime.combine(day, time(int(clock.group(1)), int(clock.group(2))))
            setattr(event, target, value)
            fields[target] = f"csv.{name}"
    if event.start_time:
        fields.setdefault("start_time", "csv.start")


def date_range(text: str) -> tuple[date, date] | None:
    """A cell that is one written range with its year ("12-14 March 2024", "Oct 30 - Nov 1, 2023")."""
    matches = find_dates(text)
    if len(matches) != 1:
        return None
    found = matches[0]
    if found.start == found.end or not found.year_stated or text[found.span[1] :].strip(" .,;"):
        return None
    return found.start, found.end


def read_date(text: str, day_first: bool | None) -> tuple[date, datetime | None]:
    """A date cell: (the date, a naive date-time when it states a time)."""
    iso = parse_iso(text)
    if iso:
        return iso
    day = numeric_date(text, day_first) or named_date(text)
    if day is None:
        raise RowError(f"unreadable date {text!r}")
    clock = CLOCK.search(text)
    moment = datetime.combine(day, time(int(clock.group(1)), int(clock.group(2)))) if clock else None
    return day, moment


def numeric_date(text: str, day_first: bool | None) -> date | None:
    """03/10/2023 in the file's proven order, 2023/10/03; :class:`RowError` when ambiguous."""
    match = YEAR_FIRST_DATE.match(text)
    if match:
        return make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)), text)
    match = NUMERIC_DATE.match(text)
    if not match:
        return None
    first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    year += 2000 if year < 100 else 0
    if first > 12 or (day_first and second <= 12):
        return make_date(year, second, first, text)
    if second > 12 or first == second or day_first is False:
        return make_date(year, first, second, text)
    raise RowError(f"ambiguous date {text!r}: day-first or month-first? No other date in the file tells")


def named_date(text: str) -> date | None:
    """ "14 May 2024", "14-May-2024", "May 14, 2024"."""
    match = DAY_MONTH_NAME.match(text)
    if match and match.group(2).lower() in MONTHS:
        return make_date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)), text)
    match = MONTH_NAME_DAY.match(text)
    if match and match.group(1).lower() in MONTHS:
        return make_date(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2)), text)
    return None


def make_date(year: int, month: int, day: int, text: str) -> date:
    """A date, or :class:`RowError` for an impossible one."""
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise RowError(f"impossible date {text!r}") from exc


def set_place(event: Event, table: Table, row: list[str], fields: dict[str, str]) -> None:
    """city and country through the gazetteer, a location or venue text, coordinates."""
    city, country, location = (
        cell(table, row, "city"),
        cell(table, row, "country"),
        cell(table, row, "location"),
    )
    if city or country:
        for name in apply_location(event, resolve_city(city or None, country or None)):
            fields[name] = "csv.city"
        if location:
            event.venue, fields["venue"] = location, "csv.location"
    elif location:
        for name in apply_location(event, resolve_place_text(location)):
            fields[name] = "csv.location"
    lat, lon = parse_float(cell(table, row, "lat")), parse_float(cell(table, row, "lon"))
    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise RowError(f"coordinates out of range: {lat}, {lon}")
        for name in apply_geo(event, lat, lon):
            fields[name] = "csv.lat/lon"
