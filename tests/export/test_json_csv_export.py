"""JSON, JSON Lines and CSV read back with the standard library."""

from __future__ import annotations

import csv
import io
import json

from cityevents.export import render
from cityevents.export.csv import HEADER
from cityevents.model import Event

REQUIRED_KEYS = (
    "name", "start", "end", "city", "country", "country_code", "lat", "lon", "timezone",
    "organizers", "topics", "figures", "description", "source",
)  # fmt: skip


def test_json_is_an_array_of_event_dicts(events: list[Event]) -> None:
    data = json.loads(render(events, "json"))
    assert data == [event.to_dict() for event in events]
    for item, event in zip(data, events):
        assert list(item) == list(event.to_dict())  # stable key order
        assert set(REQUIRED_KEYS) <= set(item)
    assert data[0]["start"] == "2023-11-07"
    assert data[0]["source"] == "https://example.org/press/scewc.html"
    assert data[0]["figures"][0] == {
        "label": "visitors", "value": 20000, "qualifier": "almost", "year": None, "text": ""
    }  # fmt: skip


def test_jsonl_has_one_object_per_line(events: list[Event]) -> None:
    lines = render(events, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == [event.to_dict() for event in events]


def test_json_keeps_hostile_text_as_data(hostile: Event) -> None:
    assert json.loads(render([hostile], "json"))[0]["name"] == hostile.name


def test_csv_reads_back_with_dictreader(events: list[Event]) -> None:
    text = render(events, "csv")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    assert tuple(reader.fieldnames or ()) == HEADER
    assert len(rows) == len(events)
    expo = rows[0]
    assert expo["id"] == events[0].id
    assert expo["name"] == "Smart City Expo World Congress"
    assert (expo["start"], expo["end"]) == ("2023-11-07", "2023-11-09")
    assert (expo["lat"], expo["lon"]) == ("41.3874", "2.1686")
    assert expo["organizers"] == "Fira de Barcelona; City of Barcelona"
    assert expo["topics"] == "mobility; energy"
    assert expo["figures"] == "visitors=20000; exhibitors=1100"
    assert expo["description"] == events[0].description  # embedded newline survives quoting
    assert expo["source"] == "https://example.org/press/scewc.html"
    assert rows[1]["status"] == "cancelled"
    assert rows[1]["start_time"] == "2024-03-12T09:30:00"
    assert rows[2]["source"] == ""


def test_csv_header_is_fixed_even_when_empty() -> None:
    assert render([], "csv") == ",".join(HEADER) + "\r\n"


def test_csv_defuses_spreadsheet_formulas(expo: Event) -> None:
    expo.name = '=HYPERLINK("http://evil.example","click")'
    expo.lon = -3.7
    row = next(csv.DictReader(io.StringIO(render([expo], "csv"), newline="")))
    assert row["name"] == "'" + expo.name
    assert row["lon"] == "-3.7"
