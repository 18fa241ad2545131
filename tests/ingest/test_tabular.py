"""CSV tables: header mapping, date orders proven by the file, bad rows reported and skipped."""

from __future__ import annotations

import logging
from datetime import date, datetime

import pytest

from cityevents.errors import InputError
from cityevents.ingest import tabular


def test_semicolon_table_with_day_first_dates(read_sample, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.WARNING, logger="cityevents.ingest.tabular"):
        events = {event.name: event for event in read_sample("csv/events.csv")}
    assert set(events) == {
        "Smart Cities Connect Europe",
        "Open Data Day Ghent",
        "Urban Heat Workshop",
        "Circular Construction Fair",
        "Water Sensitive Cities Symposium",
    }
    porto = events["Smart Cities Connect Europe"]
    assert (porto.start, porto.end, porto.city, porto.country_code) == (
        date(2027, 9, 14),
        date(2027, 9, 16),
        "Porto",
        "PT",
    )
    assert (porto.venue, porto.lat, porto.lon, porto.timezone) == (
        "Alfândega do Porto",
        41.1427,
        -8.6186,
        "Europe/Lisbon",
    )
    assert porto.organizers == ["Smart Cities Connect"]
    assert "mobility" in porto.topics
    assert porto.sources[0].extractor == "csv"
    # 05/03 and 09/10 are read day-first because 14/09 proves the file's order
    assert events["Open Data Day Ghent"].start == date(2027, 3, 5)
    assert events["Water Sensitive Cities Symposium"].start == date(2027, 10, 9)
    assert events["Circular Construction Fair"].end == date(2027, 11, 4)
    assert "row 7: no name" in caplog.text
    assert "row 8: impossible date '31/02/2027'" in caplog.text
    assert "row 9: end date '19/06/2027' is before start date" in caplog.text


def test_ambiguous_date_is_reported_not_guessed(data_dir) -> None:  # type: ignore[no-untyped-def]
    text = (data_dir / "csv" / "us_ambiguous.csv").read_text(encoding="utf-8")
    events, problems = tabular.read_table(text, source="s")
    assert [event.name for event in events] == ["Smart Streets Expo", "Resilience Roundtable"]
    assert events[0].start == date(2027, 5, 18)
    assert events[1].start == date(2027, 5, 5)  # 05/05 reads the same either way
    assert (events[1].city, events[1].region) == ("Boston", "Massachusetts")
    assert problems == [
        "row 2: ambiguous date '03/04/2027': day-first or month-first? No other date in the file tells"
    ]


def test_month_first_is_proven_too() -> None:
    text = "name,date\nA,03/04/2027\nB,12/31/2027\n"
    events, problems = tabular.read_table(text, source="s")
    assert [e.start for e in events] == [date(2027, 3, 4), date(2027, 12, 31)]
    assert problems == []


def test_times_and_tabs() -> None:
    text = "Title\tStart\tStart time\tCity\nHack Night\t2027-04-20\t18:30\tGhent\n"
    [event] = tabular.read_table(text, source="s")[0]
    assert event.start_time == datetime(2027, 4, 20, 18, 30)
    assert event.country_code == "BE"


def test_table_without_a_name_column() -> None:
    with pytest.raises(InputError, match="name or title column"):
        tabular.parse(b"id,amount\n1,20\n", source="s")


def test_a_resolved_city_brings_its_coordinates(read_sample) -> None:  # type: ignore[no-untyped-def]
    events = {event.name: event for event in read_sample("csv/events.csv")}
    melbourne = events["Water Sensitive Cities Symposium"]
    assert melbourne.lat is not None and melbourne.lon is not None
    assert abs(melbourne.lat - -37.81) < 0.2 and abs(melbourne.lon - 144.96) < 0.2


def test_markdown_table_with_ranges_in_the_date_cell(read_sample) -> None:  # type: ignore[no-untyped-def]
    events = read_sample("csv/markdown-table.md")
    assert [(e.name, e.start, e.end, e.city, e.country_code) for e in events] == [
        ("Harbour Robotics Summit", date(2027, 3, 12), date(2027, 3, 14), "Kaohsiung", "TW"),
        ("Alpine Water Days", date(2027, 10, 30), date(2027, 11, 1), "Innsbruck", "AT"),
        ("Civic Tech Breakfast", date(2027, 5, 5), date(2027, 5, 5), "Leeds", "GB"),
    ]
    assert events[0].sources[0].fields["end"] == "csv.start"
