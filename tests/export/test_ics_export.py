"""iCalendar output read back with the icalendar library."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import icalendar

from cityevents.export import FeedInfo, render
from cityevents.model import Event

INFO = FeedInfo(
    title="Smart city events", self_url="http://localhost:8000/feeds/events.ics", refresh_minutes=120
)


def parse(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.events}


def test_calendar_properties(events: list[Event]) -> None:
    text = render(events, "ics", INFO)
    calendar = parse(text)
    assert calendar["VERSION"] == "2.0"
    assert "cityevents" in calendar["PRODID"]
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["NAME"] == calendar["X-WR-CALNAME"] == "Smart city events"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT2H\r\n" in text
    assert "X-PUBLISHED-TTL:PT2H\r\n" in text
    assert calendar["SOURCE"] == INFO.self_url


def test_lines_are_crlf_and_folded(expo: Event) -> None:
    expo.description = "word " * 100
    expo.organizers = ["Fira de Barcelona"]
    text = render([expo], "ics", INFO)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert max(len(line.encode()) for line in text.split("\r\n")) <= 75
    assert str(parse(text).events[0]["DESCRIPTION"]) == expo.description.strip()


def test_all_day_event_has_exclusive_dtend(expo: Event) -> None:
    text = render([expo], "ics", INFO)
    event = parse(text).events[0]
    assert event.start == date(2023, 11, 7) and not isinstance(event.start, datetime)
    assert event.end == date(2023, 11, 10)  # the day after the last day
    assert "DTSTART;VALUE=DATE:20231107\r\n" in text
    assert "DTEND;VALUE=DATE:20231110\r\n" in text


def test_one_day_event_ends_the_next_day(expo: Event) -> None:
    expo.end = None
    event = parse(render([expo], "ics", INFO)).events[0]
    assert (event.start, event.end) == (date(2023, 11, 7), date(2023, 11, 8))


def test_event_fields(expo: Event) -> None:
    event = parse(render([expo], "ics", INFO)).events[0]
    assert event["SUMMARY"] == "Smart City Expo World Congress"
    assert event["LOCATION"] == "Fira Gran Via, Barcelona, Spain"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (41.3874, 2.1686)
    assert event["URL"] == "https://www.smartcityexpo.com/"
    assert event.categories == ["mobility", "energy"]
    assert event["STATUS"] == "CONFIRMED"
    assert event["ORGANIZER"].params["CN"] == "Fira de Barcelona"
    assert "City of Barcelona" in event["DESCRIPTION"]  # second organiser, which ORGANIZER cannot hold
    assert event["LAST-MODIFIED"].dt == datetime(2023, 9, 1, 8, 15, tzinfo=timezone.utc)
    assert event["DTSTAMP"].dt.tzinfo is not None and event["DTSTAMP"].dt.utcoffset().total_seconds() == 0


def test_event_url_callback_wins(expo: Event) -> None:
    text = render([expo], "ics", INFO, event_url=lambda e: f"http://localhost:8000/events/{e.id}")
    assert parse(text).events[0]["URL"] == f"http://localhost:8000/events/{expo.id}"


def test_uid_is_stable_across_renders(events: list[Event], expo: Event) -> None:
    first, second = by_uid(parse(render(events, "ics", INFO))), by_uid(parse(render(events, "ics")))
    assert set(first) == set(second) == {f"{event.id}@cityevents" for event in events}
    single = parse(render([expo], "ics", INFO)).events
    assert [str(e["UID"]) for e in single] == [f"{expo.id}@cityevents"]


def test_status_mapping(events: list[Event]) -> None:
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in parse(render(events, "ics")).events}
    assert statuses == {
        "Smart City Expo World Congress": "CONFIRMED",
        "Open Data Workshop": "CANCELLED",
        "Digital Twins Webinar": "TENTATIVE",
        "Tokyo Mobility Summit": "CONFIRMED",
    }


def test_timed_events_carry_tzid_and_vtimezone(workshop: Event, summit: Event) -> None:
    text = render([workshop, summit], "ics", INFO)
    calendar = parse(text)
    assert "DTSTART;TZID=Europe/Amsterdam:20240312T093000\r\n" in text
    assert "DTEND;TZID=Europe/Amsterdam:20240312T170000\r\n" in text
    assert "DTSTART;TZID=Asia/Tokyo:20240701T100000\r\n" in text  # +09:00 matched the stated zone
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {"Europe/Amsterdam", "Asia/Tokyo"}
    assert calendar.get_missing_tzids() == set()
    work = by_uid(calendar)[f"{workshop.id}@cityevents"]
    assert work.start == datetime(2024, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert work.end == datetime(2024, 3, 12, 17, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_utc_times_end_in_z(webinar: Event, summit: Event) -> None:
    summit.timezone = None  # a bare +09:00 with no zone name is written as the same instant in UTC
    text = render([webinar, summit], "ics", INFO)
    assert "DTSTART:20240502T140000Z\r\n" in text
    assert "DTEND:20240502T153000Z\r\n" in text
    assert "DTSTART:20240701T010000Z\r\n" in text
    assert "BEGIN:VTIMEZONE" not in text


def test_time_without_zone_stays_floating(workshop: Event) -> None:
    workshop.timezone = None
    text = render([workshop], "ics", INFO)
    assert "DTSTART:20240312T093000\r\n" in text
    assert parse(text).events[0].start.tzinfo is None


def test_undated_events_are_left_out(undated: Event, expo: Event) -> None:
    calendar = parse(render([undated, expo], "ics", INFO))
    assert [str(e["SUMMARY"]) for e in calendar.events] == [expo.name]


def test_hostile_text_cannot_inject_lines(hostile: Event) -> None:
    text = render([hostile], "ics", INFO)
    calendar = parse(text)
    assert len(calendar.events) == 1
    lines = text.replace("\r\n ", "").split("\r\n")  # unfolded content lines
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1
    assert not [line for line in lines if line.startswith("SUMMARY:injected")]
    event = calendar.events[0]
    assert event["SUMMARY"] == hostile.name
    assert str(event["DESCRIPTION"]).startswith(hostile.description.split("\r\n")[0])
    assert "\x00" not in text and "\x0b" not in text
    assert "URL" not in event  # javascript: URLs are dropped


def test_end_time_before_start_is_dropped(workshop: Event) -> None:
    workshop.end_time = datetime(2024, 3, 12, 8, 0)
    event = parse(render([workshop], "ics", INFO)).events[0]
    assert "DTEND" not in event
    assert event.start == datetime(2024, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
