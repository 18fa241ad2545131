"""CSV with a fixed header: one row per event, list fields joined with "; "."""

from __future__ import annotations

import csv
import io

from cityevents.export.common import EventUrl, FeedInfo
from cityevents.model import Event, Figure

MEDIA_TYPE = "text/csv; charset=utf-8; header=present"
HEADER = (
    "id", "name", "start", "end", "start_time", "end_time", "venue", "city", "region", "country",
    "country_code", "lat", "lon", "timezone", "organizers", "topics", "figures", "description", "url",
    "status", "attendance_mode", "part_of", "series", "edition", "source",
)  # fmt: skip
LIST_SEPARATOR = "; "
NUMERIC_COLUMNS = frozenset({"lat", "lon"})
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def render(events: list[Event], info: FeedInfo, event_url: EventUrl | None) -> str:
    """RFC 4180 CSV (CRLF line ends) with :data:`HEADER` as its first row.

    Text cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    for event in events:
        writer.writerow(_row(event))
    return out.getvalue()


def _row(event: Event) -> dict[str, str]:
    data = event.to_dict()
    data["organizers"] = LIST_SEPARATOR.join(event.organizers)
    data["topics"] = LIST_SEPARATOR.join(event.topics)
    data["figures"] = LIST_SEPARATOR.join(_figure(figure) for figure in event.figures)
    row = {}
    for column in HEADER:
        value = data[column]
        text = "" if value is None else str(value)
        if column not in NUMERIC_COLUMNS and text.startswith(FORMULA_PREFIXES):
            text = "'" + text
        row[column] = text
    return row


def _figure(figure: Figure) -> str:
    value = figure.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{figure.label}={value}"
