"""schema.org Event data: JSON-LD documents, @graph and lists, microdata and RDFa in pages."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from cityevents.errors import InputError, UnsupportedFormat
from cityevents.ingest import jsonld
from cityevents.model import AttendanceMode, Status

DOCUMENT = [
    {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": 1,
                "item": {
                    "@type": "Event",
                    "name": "Smart Cities Webinar: Procurement",
                    "startDate": "2027-03-04T15:00:00Z",
                    "endDate": "2027-03-04T16:30:00Z",
                    "eventStatus": "EventMovedOnline",
                    "location": {"@type": "VirtualLocation", "url": "https://meet.example.org/x"},
                    "organizer": "EUROCITIES",
                },
            }
        ],
    },
    {
        "@context": "http://schema.org",
        "@type": ["Festival", "Event"],
        "name": {"@value": "Lumen Light Festival", "@language": "en"},
        "startDate": "2027-12-10",
        "endDate": "2027-12-12",
        "eventStatus": {"@id": "https://schema.org/EventPostponed"},
        "location": {"@type": "Place", "name": "Old Town", "address": "Rynek 1, 31-042 Kraków, Poland"},
        "keywords": ["lighting", "public space"],
    },
    {"@type": "Event", "startDate": "2027-01-01"},
]


def test_json_ld_document() -> None:
    events = jsonld.parse(json.dumps(DOCUMENT).encode(), source="https://example.org/events.jsonld")
    webinar, festival = events
    assert webinar.status is Status.MOVED_ONLINE
    assert webinar.attendance_mode is AttendanceMode.ONLINE
    assert webinar.organizers == ["EUROCITIES"]
    assert webinar.start_time is not None and webinar.start_time.utcoffset() == timedelta(0)
    assert webinar.end_time == datetime.fromisoformat("2027-03-04T16:30:00+00:00")
    assert festival.name == "Lumen Light Festival"
    assert (festival.start, festival.end, festival.start_time) == (
        date(2027, 12, 10),
        date(2027, 12, 12),
        None,
    )
    assert festival.status is Status.POSTPONED
    assert (festival.city, festival.country_code, festival.venue) == ("Kraków", "PL", "Old Town")
    source = festival.sources[0]
    assert source.extractor == "jsonld"
    assert source.fields["start"] == "jsonld.startDate"
    assert source.fields["city"] == "jsonld.location.address"


def test_sub_events_and_super_event() -> None:
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "EventSeries",
                "name": "Urban Innovation Week",
                "startDate": "2027-05-10",
                "endDate": "2027-05-14",
                "location": {
                    "@type": "Place",
                    "address": {"@type": "PostalAddress", "addressLocality": "Ghent", "addressCountry": "BE"},
                    "geo": {"@type": "GeoCoordinates", "latitude": 51.05, "longitude": 3.72},
                },
                "subEvent": [
                    {"@type": "Event", "name": "Mobility Day", "startDate": "2027-05-11"},
                    {"@type": "Event", "name": "Energy Day", "startDate": "2027-05-12"},
                ],
            }
        ],
    }
    week, mobility, energy = jsonld.parse(json.dumps(data).encode(), source="s")
    assert week.country_code == "BE" and week.timezone == "Europe/Brussels"
    assert (week.lat, week.lon) == (51.05, 3.72)
    assert mobility.part_of == energy.part_of == "Urban Innovation Week"
    assert mobility.city == week.city
    assert mobility.sources[0].fields["part_of"] == "jsonld.subEvent"


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("https://schema.org/EventCancelled", Status.CANCELLED),
        ("http://schema.org/EventRescheduled", Status.RESCHEDULED),
        ("EventPostponed", Status.POSTPONED),
        ("schema:EventMovedOnline", Status.MOVED_ONLINE),
        ("https://schema.org/EventScheduled", Status.SCHEDULED),
        ("something else", Status.SCHEDULED),
    ],
)
def test_event_status_spellings(value: str, status: Status) -> None:
    data = {"@type": "Event", "name": "X", "eventStatus": value}
    [event] = jsonld.parse(json.dumps(data).encode(), source="s")
    assert event.status is status


def test_rdfa_items_are_read_from_pages() -> None:
    page = """<html><body><div vocab="https://schema.org/" typeof="Event">
      <span property="name">Climate Neutral Cities Forum</span>
      <span property="startDate" content="2027-09-15">15 September</span>
      <div property="location" typeof="Place"><span property="name">Kulturhuset</span>
        <div property="address" typeof="PostalAddress"><span property="addressLocality">Stockholm</span>
        <span property="addressCountry">SE</span></div></div></div></body></html>"""
    [event] = jsonld.events_from_items(jsonld.extract_items(page), source="s")
    assert (event.name, event.start, event.city, event.venue) == (
        "Climate Neutral Cities Forum",
        date(2027, 9, 15),
        "Stockholm",
        "Kulturhuset",
    )


def test_json_that_is_not_json_ld() -> None:
    with pytest.raises(UnsupportedFormat):
        jsonld.parse(b'{"events": [{"title": "x"}]}', source="s")
    with pytest.raises(InputError):
        jsonld.parse(b'{"@type": "Event", ', source="s")
