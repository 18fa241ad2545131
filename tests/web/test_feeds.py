"""Feeds read by real consumers: icalendar, feedparser (RSS, Atom), and the stdlib for JSON and CSV.

The catalog here is this module's own: all-day, multi-day and timed events (naive, zoned and
fixed-offset times), an undated one, a cancelled one and one with hostile text.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cityevents.catalog import open_catalog
from cityevents.model import Event, Source, Status
from cityevents.web import feeds
from cityevents.web.app import create_app

HOSTILE = 'Hack <script>alert("x")</script> & <b>Day</b>'
FINLAND = {"country": "Finland", "country_code": "FI", "timezone": "Europe/Helsinki"}
EVENTS = [
    Event(name="Helsinki Mobility Days", start=date(2024, 5, 6), end=date(2024, 5, 8), city="Helsinki",
          lat=60.17, lon=24.94, topics=["mobility"], **FINLAND),
    Event(name="Espoo Data Breakfast", start=date(2024, 5, 14), start_time=datetime(2024, 5, 14, 8, 30),
          end_time=datetime(2024, 5, 14, 10, 0), city="Espoo", topics=["data-ai"], **FINLAND),
    Event(name="Oulu Energy Evening", start=date(2024, 10, 29),
          start_time=datetime(2024, 10, 29, 18, 0, tzinfo=ZoneInfo("Europe/Helsinki")), city="Oulu",
          topics=["energy"], **FINLAND),
    Event(name="New York Civic Tech Night", start=date(2024, 4, 2), start_time=datetime(2024, 4, 2, 19, 0),
          end_time=datetime(2024, 4, 2, 21, 0), city="New York", country="United States", country_code="US",
          timezone="America/New_York", topics=["digital-government"], url="https://example.org/nyc"),
    Event(name="Lisbon Offset Talk", start=date(2024, 7, 1),
          start_time=datetime(2024, 7, 1, 15, 0, tzinfo=timezone(timedelta(hours=1))), city="Lisbon",
          country="Portugal", country_code="PT", timezone="Europe/Lisbon"),
    Event(name="Rotterdam Harbour Summit", start=date(2024, 9, 30), city="Rotterdam",
          country="the Netherlands", country_code="NL", status=Status.CANCELLED),
    Event(name=HOSTILE, start=date(2024, 6, 1), city="Paris", country="France", country_code="FR",
          description="</description>]]><img src=x onerror=alert(1)>", url="javascript:alert(1)"),
    Event(name="Vienna Someday Forum", city="Vienna", country="Austria", country_code="AT"),
]
DATED = len(EVENTS) - 1


@pytest.fixture(scope="module")
def feed_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The app over a catalog of :data:`EVENTS`."""
    path = tmp_path_factory.mktemp("feeds") / "catalog.db"
    with open_catalog(str(path)) as catalog:
        for event in EVENTS:
            event.sources = [Source(document="feeds.txt")]
        catalog.ingest_document("feeds.txt", EVENTS, content_hash="feeds")
    return create_app(str(path))


@pytest.fixture
def web(feed_app: FastAPI) -> TestClient:
    """A test client of the feed app."""
    return TestClient(feed_app)


def calendar(web: TestClient, url: str, **params: Any) -> icalendar.Calendar:
    response = web.get(url, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.text)


def vevents(cal: icalendar.Calendar) -> dict[str, Any]:
    return {str(event["SUMMARY"]): event for event in cal.walk("VEVENT")}


def ids(web: TestClient, **params: Any) -> list[str]:
    return [event["id"] for event in web.get("/api/events", params={"limit": 500, **params}).json()["data"]]


def test_ics_all_day_events_are_dates_with_exclusive_end(web: TestClient) -> None:
    event = vevents(calendar(web, "/feeds/events.ics"))["Helsinki Mobility Days"]
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event["DTSTART"].dt == date(2024, 5, 6)
    assert event["DTEND"].dt == date(2024, 5, 9)  # the day after the last day
    assert event.decoded("GEO") is not None and "CATEGORIES" in event


def test_ics_timed_events_carry_tzid_and_vtimezone(web: TestClient) -> None:
    cal = calendar(web, "/feeds/events.ics")
    events = vevents(cal)
    zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    for name, zone, start in [("Espoo Data Breakfast", "Europe/Helsinki", datetime(2024, 5, 14, 8, 30)),
                              ("Oulu Energy Evening", "Europe/Helsinki", datetime(2024, 10, 29, 18, 0)),
                              ("New York Civic Tech Night", "America/New_York", datetime(2024, 4, 2, 19, 0)),
                              ("Lisbon Offset Talk", "Europe/Lisbon", datetime(2024, 7, 1, 15, 0))]:
        event = events[name]
        assert event["DTSTART"].params["TZID"] == zone
        assert event["DTSTART"].dt.replace(tzinfo=None) == start
        assert event["DTSTART"].dt.utcoffset() is not None
        assert zone in zones
    espoo = events["Espoo Data Breakfast"]
    assert espoo["DTEND"].dt - espoo["DTSTART"].dt == timedelta(minutes=90)


def test_ics_calendar_properties_and_stable_uids(web: TestClient) -> None:
    cal = calendar(web, "/feeds/events.ics")
    assert str(cal["X-WR-CALNAME"]) == "Events — cityevents"
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(cal["METHOD"]) == "PUBLISH"
    events = vevents(cal)
    assert len(events) == DATED  # the undated event cannot be in a calendar
    assert str(events["Rotterdam Harbour Summit"]["STATUS"]) == "CANCELLED"
    again = vevents(calendar(web, "/feeds/events.ics"))
    assert {name: str(e["UID"]) for name, e in events.items()} == {
        name: str(e["UID"]) for name, e in again.items()}
    assert all("DTSTAMP" in event for event in events.values())


def test_ics_name_reflects_the_filter(web: TestClient) -> None:
    cal = calendar(web, "/feeds/events.ics", country="FI", topic="energy", **{"from": "2024-01-01"})
    assert str(cal["X-WR-CALNAME"]) == "Events in Finland about Energy from 2024-01-01 — cityevents"
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"])
    assert list(vevents(cal)) == ["Oulu Energy Evening"]


@pytest.mark.parametrize("params", [{"country": "FI"}, {"q": "summit"}, {"topic": "mobility"},
                                    {"from": "2024-06-01", "sort": "-start"}, {"status": "cancelled"}])
def test_every_feed_honours_the_filters(web: TestClient, params: dict[str, str]) -> None:
    expected = ids(web, **params)
    rows = json.loads(web.get("/feeds/events.json", params=params).text)
    assert [row["id"] for row in rows] == expected
    table = list(csv.DictReader(io.StringIO(web.get("/feeds/events.csv", params=params).text)))
    assert len(table) == len(expected)
    uids = [str(e["UID"]) for e in calendar(web, "/feeds/events.ics", **params).walk("VEVENT")]
    assert uids == [f"{event_id}@cityevents" for event_id in expected]
    for fmt in ("rss", "atom"):
        parsed = feedparser.parse(web.get(f"/feeds/events.{fmt}", params=params).content)
        assert len(parsed.entries) == len(expected)


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_rss_and_atom_parse_cleanly_with_hostile_text(web: TestClient, fmt: str) -> None:
    response = web.get(f"/feeds/events.{fmt}", params={"country": "FR"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(f"application/{fmt}+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.title == "Events in France — cityevents"
    assert parsed.feed.link == "http://testserver/?country=FR"
    (entry,) = parsed.entries
    assert HOSTILE in entry.title  # the markup survived as text, escaped in the XML
    assert "<script>" not in response.text
    assert entry.link.startswith("http://testserver/events/")
    assert "javascript:" not in response.text


def test_feed_limit_and_paging_through_the_catalog(web: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = ids(web)
    monkeypatch.setattr(feeds, "FEED_PAGE", 3)  # several catalog pages per feed
    rows = json.loads(web.get("/feeds/events.json").text)
    assert [row["id"] for row in rows] == everything
    five = json.loads(web.get("/feeds/events.json", params={"limit": 5}).text)
    assert [row["id"] for row in five] == everything[:5]
    assert web.get("/feeds/events.json", params={"limit": 1000}).status_code == 200
    error = web.get("/feeds/events.json", params={"limit": 1001}).json()["error"]
    assert error["code"] == "bad_input" and "1000" in error["message"]


def test_feed_etag_is_stable_across_renders_and_304s(web: TestClient) -> None:
    first = web.get("/feeds/events.ics", params={"country": "FI"})
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=300"
    assert web.get("/feeds/events.ics", params={"country": "FI"}).headers["etag"] == etag  # DTSTAMP aside
    assert web.get("/feeds/events.rss", params={"country": "FI"}).headers["etag"] != etag
    assert web.get("/feeds/events.ics", params={"country": "US"}).headers["etag"] != etag
    cached = web.get("/feeds/events.ics", params={"country": "FI"}, headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.content == b""


def test_one_event_as_ics_and_json(web: TestClient) -> None:
    event_id = ids(web, q="breakfast")[0]
    cal = calendar(web, f"/events/{event_id}.ics")
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == f"{event_id}@cityevents"
    assert str(event["URL"]) == f"http://testserver/events/{event_id}"
    assert cal.walk("VTIMEZONE")
    response = web.get(f"/events/{event_id}.json")
    assert response.headers["content-type"] == "application/json"
    (row,) = response.json()
    assert row["id"] == event_id and row["name"] == "Espoo Data Breakfast"
    assert row["sources"][0]["document"] == "feeds.txt"


def test_unknown_event_and_format(web: TestClient) -> None:
    for url in ("/events/ffffffffffffffff.ics", "/events/ffffffffffffffff.json"):
        response = web.get(url)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    response = web.get("/feeds/events.pdf")
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_input"


def test_an_unchanged_feed_is_served_without_rendering_again(web: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_render = feeds.render

    def counting_render(*args: Any, **kwargs: Any) -> str:
        calls.append(args[1])
        return real_render(*args, **kwargs)

    monkeypatch.setattr(feeds, "render", counting_render)
    first = web.get("/feeds/events.rss", params={"topic": "energy", "limit": 7})
    second = web.get("/feeds/events.rss", params={"topic": "energy", "limit": 7})
    other = web.get("/feeds/events.rss", params={"topic": "energy", "limit": 6})
    assert first.status_code == second.status_code == other.status_code == 200
    assert second.content == first.content and other.content != first.content
    assert calls == ["rss", "rss"]  # the repeat came from the cache; another filter rendered anew
