"""iCalendar and jCal: zones, all-day ends, durations, recurrence, broken components."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cityevents.errors import InputError
from cityevents.ingest import ical
from cityevents.model import Status

WINDOW = (date(2027, 1, 1), date(2027, 12, 31))


@pytest.fixture
def calendar(data_dir: Path) -> dict[str, list]:
    """The city calendar's events grouped by name."""
    events = ical.parse((data_dir / "ical" / "city_calendar.ics").read_bytes(), source="s", window=WINDOW)
    grouped: dict[str, list] = {}
    for event in events:
        grouped.setdefault(event.name, []).append(event)
    return grouped


def test_all_day_end_is_inclusive(calendar: dict[str, list]) -> None:
    [days] = calendar["Urban Mobility Days 2027"]
    assert (days.start, days.end, days.start_time) == (date(2027, 6, 14), date(2027, 6, 16), None)
    assert (days.city, days.country_code, days.venue) == ("Berlin", "DE", "Messe Berlin")
    assert days.organizers == ["Berlin Partner für Wirtschaft und Technologie"]
    assert "mobility" in days.topics
    assert days.url == "https://uio.example.org/events/urban-mobility-days-2027"
    assert days.sources[0].extractor == "ical"


def test_weekly_rule_gives_one_event_per_occurrence(calendar: dict[str, list]) -> None:
    meetups = calendar["Smart City Stammtisch"]
    assert [m.start for m in meetups] == [
        date(2027, 3, 2),
        date(2027, 3, 9),
        date(2027, 3, 23),  # 16 March is an EXDATE
        date(2027, 3, 30),
        date(2027, 4, 6),
    ]
    berlin = ZoneInfo("Europe/Berlin")
    assert meetups[0].start_time == datetime(2027, 3, 2, 18, 30, tzinfo=berlin)
    assert meetups[0].start_time.utcoffset() == timedelta(hours=1)
    assert meetups[3].start_time.utcoffset() == timedelta(hours=2)  # summer time from 28 March
    assert {m.timezone for m in meetups} == {"Europe/Berlin"}
    assert len({m.id for m in meetups}) == 5


def test_utc_time_is_shown_in_the_zone_of_its_coordinates(calendar: dict[str, list]) -> None:
    [hack] = calendar["Open Data Hack Night"]
    assert (hack.lat, hack.lon, hack.timezone) == (52.3676, 4.9041, "Europe/Amsterdam")
    assert hack.start_time is not None and hack.start_time.hour == 19
    assert hack.start_time == datetime(2027, 4, 20, 17, 0, tzinfo=ZoneInfo("UTC"))
    assert hack.status is Status.CANCELLED
    assert hack.organizers == ["Amsterdam Economic Board"]


def test_floating_time_stays_naive(calendar: dict[str, list]) -> None:
    [workshop] = calendar["Citizen Sensor Workshop"]
    assert workshop.start_time == datetime(2027, 5, 12, 10, 0)
    assert workshop.end_time == datetime(2027, 5, 12, 16, 0)
    assert workshop.city == "Utrecht"


def test_duration(calendar: dict[str, list]) -> None:
    [summit] = calendar["Energy Transition Summit"]
    assert (summit.start, summit.end) == (date(2027, 9, 8), date(2027, 9, 10))
    assert summit.end_time == datetime(2027, 9, 10, 17, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert summit.status is Status.SCHEDULED  # TENTATIVE has no status of its own
    assert summit.country_code == "CH"


def test_broken_component_is_skipped_and_logged(data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="cityevents.ingest.ical"):
        events = ical.parse((data_dir / "ical" / "city_calendar.ics").read_bytes(), source="s", window=WINDOW)
    assert "Broken Entry" not in {event.name for event in events}
    assert "broken@uio.example.org skipped" in caplog.text


def test_window_limits_occurrences_but_not_one_off_events(data_dir: Path) -> None:
    data = (data_dir / "ical" / "city_calendar.ics").read_bytes()
    events = ical.parse(data, source="s", window=(date(2027, 3, 20), date(2027, 3, 31)))
    assert [e.start for e in events if e.name == "Smart City Stammtisch"] == [
        date(2027, 3, 23),
        date(2027, 3, 30),
    ]
    assert any(e.name == "Urban Mobility Days 2027" for e in events)


def test_outlook_zone_names(data_dir: Path) -> None:
    [webinar] = ical.parse((data_dir / "ical" / "outlook_custom_tz.ics").read_bytes(), source="s")
    assert webinar.start_time is not None and webinar.start_time.utcoffset() == timedelta(hours=2)
    assert webinar.timezone == "Europe/Amsterdam"  # the place's zone; "W. Europe Standard Time" is Berlin's
    assert ical.zone_name(webinar.start_time) == "Europe/Berlin"


def test_jcal(read_sample) -> None:  # type: ignore[no-untyped-def]
    [conference] = read_sample("ical/conference.jcal")
    assert (conference.start, conference.end, conference.city) == (
        date(2027, 11, 3),
        date(2027, 11, 4),
        "Antwerp",
    )


def test_runaway_rules_are_contained() -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20270101T000000Z\r\n"
        b"RRULE:FREQ=MINUTELY\r\nSUMMARY:Sensor ping\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    [ping] = ical.parse(data, source="s", window=WINDOW)
    assert ping.start_time == datetime(2027, 1, 1, tzinfo=ZoneInfo("UTC"))
    daily = ical.parse(
        data.replace(b"MINUTELY", b"DAILY"), source="s", window=(date(2027, 1, 1), date(2030, 1, 1))
    )
    assert len(daily) == ical.MAX_OCCURRENCES


def test_garbage_is_an_input_error() -> None:
    with pytest.raises(InputError, match="iCalendar"):
        ical.parse(b"BEGIN:VCALENDAR\r\n\x7f\x01:::\r\n", source="s")


def test_an_acronym_in_the_summary_becomes_an_alias() -> None:
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:umd@x\r\n"
        "DTSTAMP:20260101T000000Z\r\nSUMMARY:Urban Mobility Days (UMD)\r\nDTSTART;VALUE=DATE:20261014\r\n"
        "DTEND;VALUE=DATE:20261017\r\nLOCATION:Lisbon\\, Portugal\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    [event] = ical.parse(calendar.encode(), source="umd.ics")
    assert (event.name, event.aliases, event.city) == ("Urban Mobility Days", ["UMD"], "Lisbon")
    assert (event.start, event.end) == (date(2026, 10, 14), date(2026, 10, 16))
