"""JSON-LD read back with extruct from an HTML page that embeds it."""

from __future__ import annotations

import json

import extruct
from lxml import html

from cityevents.export import event_jsonld, render, script_safe_json
from cityevents.model import Event

PAGE = """<!DOCTYPE html>
<html><head><title>Event</title>
<script type="application/ld+json">{data}</script>
</head><body><p>after</p></body></html>"""


def embedded(event: Event) -> tuple[str, list[dict]]:
    page = PAGE.format(data=script_safe_json(event_jsonld(event)))
    return page, extruct.extract(page, base_url="http://localhost:8000/", syntaxes=["json-ld"])["json-ld"]


def test_round_trips_through_extruct(events: list[Event]) -> None:
    for event in events:
        _, found = embedded(event)
        assert found == [event_jsonld(event)]


def test_all_day_event(expo: Event) -> None:
    data = event_jsonld(expo, url="http://localhost:8000/events/x")
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Smart City Expo World Congress"
    assert (data["startDate"], data["endDate"]) == ("2023-11-07", "2023-11-09")
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Fira Gran Via",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Barcelona",
            "addressRegion": "Catalonia",
            "addressCountry": "ES",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": 41.3874, "longitude": 2.1686},
    }
    assert data["organizer"] == [
        {"@type": "Organization", "name": "Fira de Barcelona"},
        {"@type": "Organization", "name": "City of Barcelona"},
    ]
    assert data["url"] == "http://localhost:8000/events/x"
    assert data["sameAs"] == "https://www.smartcityexpo.com/"
    assert data["alternateName"] == ["SCEWC"]
    assert data["keywords"] == "mobility, energy"
    assert data["description"] == expo.description


def test_timed_events_carry_offsets(workshop: Event, summit: Event) -> None:
    work = event_jsonld(workshop)
    assert (work["startDate"], work["endDate"]) == ("2024-03-12T09:30:00+01:00", "2024-03-12T17:00:00+01:00")
    assert work["eventStatus"] == "https://schema.org/EventCancelled"
    tokyo = event_jsonld(summit)
    assert tokyo["startDate"] == "2024-07-01T10:00:00+09:00"
    assert tokyo["eventStatus"] == "https://schema.org/EventRescheduled"
    assert tokyo["previousStartDate"] == "2024-06-01"


def test_online_event_part_of_a_bigger_one(webinar: Event) -> None:
    data = event_jsonld(webinar)
    assert data["startDate"] == "2024-05-02T14:00:00+00:00"
    assert data["eventStatus"] == "https://schema.org/EventPostponed"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://example.org/webinar"}
    assert data["superEvent"] == {"@type": "Event", "name": "Smart City Expo World Congress"}


def test_render_is_a_json_array(events: list[Event]) -> None:
    data = json.loads(render(events, "jsonld", event_url=lambda e: f"http://localhost:8000/events/{e.id}"))
    assert [item["name"] for item in data] == [event.name for event in events]
    assert data[1]["url"] == f"http://localhost:8000/events/{events[1].id}"


def test_script_safe_json_escapes_what_html_would_read() -> None:
    text = script_safe_json({"a": "</script><!-- & \u2028\u2029 >"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029 >"}


def test_hostile_text_cannot_leave_the_script_element(hostile: Event, hostile_text: str) -> None:
    page, found = embedded(hostile)
    tree = html.fromstring(page)
    assert len(tree.findall(".//script")) == 1
    assert [p.text for p in tree.findall(".//p")] == ["after"]
    assert page.count("<script") == 1 and page.count("</script") == 1
    assert "<img" not in page
    assert found == [event_jsonld(hostile)]
    data = found[0]
    assert data["name"] == f"Expo {hostile_text}"
    assert data["organizer"] == [{"@type": "Organization", "name": hostile_text}]
    assert data["superEvent"]["name"] == hostile_text
    assert "url" not in data  # the javascript: URL is dropped


def test_end_time_before_start_falls_back_to_the_date(workshop: Event) -> None:
    workshop.end_time = workshop.start_time.replace(hour=8) if workshop.start_time else None
    data = event_jsonld(workshop)
    assert (data["startDate"], data["endDate"]) == ("2024-03-12T09:30:00+01:00", "2024-03-12")
