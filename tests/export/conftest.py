"""Sample events for the export tests: all-day, timed in a zone, UTC, fixed offset, undated, hostile."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from cityevents.model import AttendanceMode, Event, Figure, Source, Status

SEEN = datetime(2023, 9, 1, 8, 15, tzinfo=timezone.utc)
HOSTILE = '</script><script>alert(1)</script> <img src=x onerror=alert(1)> ]]> & "quoted"'


@pytest.fixture
def expo() -> Event:
    return Event(
        name="Smart City Expo World Congress",
        start=date(2023, 11, 7),
        end=date(2023, 11, 9),
        city="Barcelona",
        region="Catalonia",
        country="Spain",
        country_code="ES",
        lat=41.3874,
        lon=2.1686,
        timezone="Europe/Madrid",
        venue="Fira Gran Via",
        organizers=["Fira de Barcelona", "City of Barcelona"],
        topics=["mobility", "energy"],
        figures=[Figure("visitors", 20000, qualifier="almost"), Figure("exhibitors", 1100.0)],
        description="The world's largest smart city event.\nThree days of talks.",
        url="https://www.smartcityexpo.com/",
        aliases=["SCEWC"],
        sources=[Source("https://example.org/press/scewc.html", seen_at=SEEN)],
    )


@pytest.fixture
def workshop() -> Event:
    """Naive local times with a known zone, cancelled."""
    return Event(
        name="Open Data Workshop",
        start=date(2024, 3, 12),
        end=date(2024, 3, 12),
        start_time=datetime(2024, 3, 12, 9, 30),
        end_time=datetime(2024, 3, 12, 17, 0),
        city="Amsterdam",
        country="Netherlands",
        country_code="NL",
        timezone="Europe/Amsterdam",
        organizers=["Amsterdam Smart City"],
        status=Status.CANCELLED,
    )


@pytest.fixture
def webinar() -> Event:
    """UTC times, online, postponed, part of a bigger event."""
    return Event(
        name="Digital Twins Webinar",
        start=date(2024, 5, 2),
        start_time=datetime(2024, 5, 2, 14, 0, tzinfo=timezone.utc),
        end_time=datetime(2024, 5, 2, 15, 30, tzinfo=timezone.utc),
        attendance_mode=AttendanceMode.ONLINE,
        status=Status.POSTPONED,
        part_of="Smart City Expo World Congress",
        url="https://example.org/webinar",
    )


@pytest.fixture
def summit() -> Event:
    """A fixed +09:00 offset that matches the stated zone, and one with no zone at all."""
    offset = timezone(timedelta(hours=9))
    return Event(
        name="Tokyo Mobility Summit",
        start=date(2024, 7, 1),
        end=date(2024, 7, 2),
        start_time=datetime(2024, 7, 1, 10, 0, tzinfo=offset),
        end_time=datetime(2024, 7, 2, 18, 0, tzinfo=offset),
        city="Tokyo",
        country="Japan",
        country_code="JP",
        timezone="Asia/Tokyo",
        status=Status.RESCHEDULED,
        previous_start=date(2024, 6, 1),
    )


@pytest.fixture
def undated() -> Event:
    return Event(name="Someday Festival", city="Lyon", country="France", country_code="FR")


@pytest.fixture
def hostile() -> Event:
    return Event(
        name=f"Expo {HOSTILE}",
        start=date(2023, 10, 3),
        end=date(2023, 10, 4),
        city="Evil<b>ville",
        country="Spain",
        organizers=[HOSTILE],
        topics=[HOSTILE],
        description=f"{HOSTILE}\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected\x00\x0b\u2028done",
        url="javascript:alert(1)",
        part_of=HOSTILE,
    )


@pytest.fixture
def hostile_text() -> str:
    return HOSTILE


@pytest.fixture
def events(expo: Event, workshop: Event, webinar: Event, summit: Event) -> list[Event]:
    return [expo, workshop, webinar, summit]
