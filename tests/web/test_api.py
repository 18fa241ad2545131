"""The JSON API: every filter, paging, event detail, facets, health, caching and the error shape.

The catalog here is this module's own (the shared conftest's sample is dated relative to today):
30 events covering every filter: several countries (codes and names), accented cities, topics,
organizers, every status, all-day and timed events, coordinates on both sides of the antimeridian,
an undated event, a parent with a part, two editions of one series, two documents that disagree (a
conflict) and hostile markup. ``late.txt`` is ingested last, after ``WebCatalog.before_late``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cityevents.catalog import open_catalog
from cityevents.errors import CatalogError
from cityevents.model import AttendanceMode, Event, Source, Status
from cityevents.settings import Settings
from cityevents.web.app import create_app

ERROR_KEYS = {"status", "code", "message"}
HOSTILE = '<script>alert("x")</script> Hack & Slash Day'


def _event(name: str, start: date | None, document: str, *, extractor: str = "text", **fields: Any) -> Event:
    fields.setdefault("end", start)
    return Event(name=name, start=start, sources=[Source(document=document, extractor=extractor)], **fields)


def _place(city: str | None, country: str | None, code: str | None, lat: float | None = None,
           lon: float | None = None, tz: str | None = None) -> dict[str, Any]:
    return {"city": city, "country": country, "country_code": code, "lat": lat, "lon": lon, "timezone": tz}


BARCELONA = _place("Barcelona", "Spain", "ES", 41.39, 2.17, "Europe/Madrid")
HELSINKI = _place("Helsinki", "Finland", "FI", 60.17, 24.94, "Europe/Helsinki")
NETHERLANDS = ("the Netherlands", "NL")
DUTCH = {"Amsterdam Climate Week", "Rotterdam Water Summit", "Eindhoven Design and Tech Week"}

DOCUMENTS: dict[str, list[Event]] = {
    "europe.txt": [
        _event("Smart City Expo World Congress 2024", date(2024, 11, 5), "europe.txt", end=date(2024, 11, 7),
               topics=["mobility", "data-ai"], organizers=["Fira de Barcelona"], edition="2024", **BARCELONA),
        _event("Smart City Expo World Congress 2023", date(2023, 11, 7), "europe.txt", end=date(2023, 11, 9),
               topics=["mobility"], organizers=["Fira de Barcelona"], edition="2023", **BARCELONA),
        _event("Tomorrow.Mobility World Congress", date(2024, 11, 5), "europe.txt", end=date(2024, 11, 7),
               part_of="Smart City Expo World Congress", topics=["mobility"], **BARCELONA),
        _event("Helsinki Urban Data Forum", date(2024, 3, 12), "europe.txt",
               start_time=datetime(2024, 3, 12, 9, 0), end_time=datetime(2024, 3, 12, 17, 0),
               topics=["data-ai"], organizers=["City of Helsinki"], **HELSINKI),
        _event("Espoo Energy Day", date(2024, 5, 20), "europe.txt", topics=["energy"],
               **_place("Espoo", "Finland", "FI", 60.21, 24.66, "Europe/Helsinki")),
        _event("Tampere Mobility Lab", date(2023, 9, 14), "europe.txt", topics=["mobility"],
               status=Status.POSTPONED,
               **_place("Tampere", "Finland", "FI", 61.50, 23.76, "Europe/Helsinki")),
        _event("Amsterdam Climate Week", date(2024, 6, 10), "europe.txt", end=date(2024, 6, 14),
               topics=["climate-resilience"], organizers=["Amsterdam Economic Board"],
               **_place("Amsterdam", *NETHERLANDS, 52.37, 4.90, "Europe/Amsterdam")),
        _event("Rotterdam Water Summit", date(2024, 10, 1), "europe.txt",
               topics=["water", "climate-resilience"], status=Status.CANCELLED,
               **_place("Rotterdam", *NETHERLANDS, 51.92, 4.48, "Europe/Amsterdam")),
        _event("Eindhoven Design and Tech Week", date(2024, 10, 19), "europe.txt", end=date(2024, 10, 27),
               topics=["data-ai"], **_place("Eindhoven", *NETHERLANDS, 51.44, 5.47, "Europe/Amsterdam")),
        _event("Zürich Digital Government Day", date(2024, 9, 24), "europe.txt",
               topics=["digital-government"], organizers=["Stadt Zürich"],
               **_place("Zürich", "Switzerland", "CH", 47.37, 8.54, "Europe/Zurich")),
        _event("Smart Country Convention", date(2024, 10, 15), "europe.txt", end=date(2024, 10, 17),
               topics=["digital-government"], organizers=["Bitkom"],
               **_place("Berlin", "Germany", "DE", 52.52, 13.40, "Europe/Berlin")),
        _event("Munich Energy Transition Talks", date(2023, 6, 6), "europe.txt", topics=["energy"],
               **_place("Munich", "Germany", "DE", 48.14, 11.58, "Europe/Berlin")),
        _event("Lisbon Cities Track", date(2023, 11, 13), "europe.txt", end=date(2023, 11, 16),
               topics=["data-ai"], attendance_mode=AttendanceMode.MIXED,
               **_place("Lisbon", "Portugal", "PT", 38.72, -9.14, "Europe/Lisbon")),
        _event("Dublin Housing Summit", date(2024, 4, 10), "europe.txt", topics=["housing"],
               status=Status.RESCHEDULED, previous_start=date(2024, 3, 1),
               **_place("Dublin", "Ireland", "IE", 53.35, -6.26, "Europe/Dublin")),
        _event("Copenhagen Cycling Congress", date(2024, 6, 18), "europe.txt", end=date(2024, 6, 20),
               topics=["mobility"], organizers=["Cycling Embassy of Denmark"],
               **_place("Copenhagen", "Denmark", "DK", 55.68, 12.57, "Europe/Copenhagen")),
        _event("Oslo Electric Mobility Days", date(2024, 4, 24), "europe.txt", topics=["mobility", "energy"],
               **_place("Oslo", "Norway", "NO", 59.91, 10.75, "Europe/Oslo")),
        _event(HOSTILE, date(2024, 3, 30), "europe.txt",
               description='</description>]]><img src=x onerror=alert(1)>',
               url="javascript:alert(1)", **_place("Paris", "France", "FR", 48.86, 2.35, "Europe/Paris")),
        _event("Paris Climate Action Forum", date(2024, 12, 10), "europe.txt", topics=["climate-resilience"],
               start_time=datetime(2024, 12, 10, 14, 0, tzinfo=timezone(timedelta(hours=1))),
               **_place("Paris", "France", "FR", 48.86, 2.35, "Europe/Paris")),
        _event("Vienna Urban Future Conference", None, "europe.txt", topics=["urban-planning"],
               **_place("Vienna", "Austria", "AT", 48.21, 16.37, "Europe/Vienna")),
        _event("Smart Governance Webinar", date(2024, 1, 25), "europe.txt", topics=["digital-government"],
               status=Status.MOVED_ONLINE, attendance_mode=AttendanceMode.ONLINE),
    ],
    "world.txt": [
        _event("New York Smart Cities Summit", date(2024, 4, 2), "world.txt",
               start_time=datetime(2024, 4, 2, 10, 0), end_time=datetime(2024, 4, 2, 18, 0),
               topics=["data-ai"], organizers=["NYC Mayor's Office"],
               **_place("New York", "United States", "US", 40.71, -74.01, "America/New_York")),
        _event("Austin Mobility Conference", date(2024, 2, 20), "world.txt", end=date(2024, 2, 21),
               topics=["mobility"],
               **_place("Austin", "United States", "US", 30.27, -97.74, "America/Chicago")),
        _event("Tokyo Smart City Week", date(2024, 12, 3), "world.txt", end=date(2024, 12, 5),
               topics=["data-ai"],
               **_place("Tokyo", "Japan", "JP", 35.68, 139.69, "Asia/Tokyo")),
        _event("Auckland Resilience Forum", date(2024, 8, 15), "world.txt", topics=["climate-resilience"],
               **_place("Auckland", "New Zealand", "NZ", -36.85, 174.76, "Pacific/Auckland")),
        _event("Pacific Climate Dialogue", date(2024, 9, 9), "world.txt", topics=["climate-resilience"],
               **_place("Suva", "Fiji", "FJ", -18.14, 178.44, "Pacific/Fiji")),
        _event("Honolulu Energy Week", date(2024, 7, 1), "world.txt", topics=["energy"],
               **_place("Honolulu", "United States", "US", 21.31, -157.86, "Pacific/Honolulu")),
        _event("São Paulo Urban Innovation Fair", date(2024, 5, 7), "world.txt", end=date(2024, 5, 9),
               topics=["digital-government"],
               **_place("São Paulo", "Brazil", "BR", -23.55, -46.63, "America/Sao_Paulo")),
        _event("Cape Town Water Resilience Summit", date(2024, 3, 5), "world.txt", topics=["water"],
               **_place("Cape Town", "South Africa", "ZA", -33.92, 18.42, "Africa/Johannesburg")),
        _event("Seoul Smart City Summit", date(2024, 9, 3), "world.txt", end=date(2024, 9, 4),
               topics=["data-ai"],
               **_place("Seoul", "South Korea", "KR", 37.57, 126.98, "Asia/Seoul")),
    ],
    # A second, structured source for Seoul that disagrees about the end date: a conflict.
    "seoul.jsonld": [
        _event("Seoul Smart City Summit", date(2024, 9, 3), "seoul.jsonld", extractor="jsonld",
               end=date(2024, 9, 5),
               topics=["data-ai"], url="https://example.org/seoul",
               **_place("Seoul", "South Korea", "KR", 37.57, 126.98, "Asia/Seoul")),
    ],
    "late.txt": [
        _event("Singapore Urban Mobility Forum", date(2024, 11, 20), "late.txt", end=date(2024, 11, 21),
               topics=["mobility"], organizers=["Land Transport Authority"],
               **_place("Singapore", "Singapore", "SG", 1.35, 103.82, "Asia/Singapore")),
    ],
}


@dataclass(frozen=True)
class WebCatalog:
    """The catalog on disk and what the tests need to know about it."""

    url: str
    before_late: datetime  # every event but those of late.txt was written before this moment
    ids: dict[str, str]  # event name -> catalog id


def build_catalog(path: Path) -> WebCatalog:
    """Ingest the documents into a new SQLite catalog at ``path``."""
    ids: dict[str, str] = {}
    before_late = datetime.now(timezone.utc)
    with open_catalog(str(path)) as catalog:
        for document, events in DOCUMENTS.items():
            if document == "late.txt":
                time.sleep(0.01)
                before_late = datetime.now(timezone.utc)
            result = catalog.ingest_document(document, events, content_hash=document)
            ids.update(zip((event.name for event in events), result.event_ids, strict=True))
    return WebCatalog(url=str(path), before_late=before_late, ids=ids)


@pytest.fixture(scope="module")
def web_catalog(tmp_path_factory: pytest.TempPathFactory) -> WebCatalog:
    """The catalog, built once; tests only read it."""
    return build_catalog(tmp_path_factory.mktemp("api") / "catalog.db")


@pytest.fixture(scope="module")
def web_app(web_catalog: WebCatalog) -> FastAPI:
    """The app over the catalog."""
    return create_app(web_catalog.url)


@pytest.fixture
def api(web_app: FastAPI) -> TestClient:
    """A client that raises server errors in the test instead of returning 500."""
    return TestClient(web_app)


def names(api: TestClient, **params: Any) -> set[str]:
    response = api.get("/api/events", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["data"])
    return {event["name"] for event in body["data"]}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape, exactly: {"error": {"status", "code", "message"}}."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_list_shape_and_default_order(api: TestClient, web_catalog: WebCatalog) -> None:
    body = api.get("/api/events").json()
    assert set(body) == {"data", "count", "next"}
    assert body["count"] == len(web_catalog.ids) == 30
    assert body["next"] is None  # 30 events fit in the default page of 50
    starts = [event["start"] for event in body["data"]]
    dated = [start for start in starts if start]
    assert dated == sorted(dated) and starts[-1] is None  # undated last
    event = body["data"][0]
    for field in ("id", "name", "start", "end", "start_time", "city", "country_code", "lat", "lon",
                  "timezone",
                  "organizers", "topics", "figures", "status", "attendance_mode", "updated_at", "links"):
        assert field in event
    assert event["links"]["api"] == f"http://testserver/api/events/{event['id']}"
    assert event["links"]["ics"].endswith(f"/events/{event['id']}.ics")


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "climate"}, {"Amsterdam Climate Week", "Paris Climate Action Forum", "Pacific Climate Dialogue",
                        "Rotterdam Water Summit", "Auckland Resilience Forum"}),
    ({"q": '"water resilience"'}, {"Cape Town Water Resilience Summit"}),
    ({"q": "smart -expo -city"}, {"Smart Country Convention", "Smart Governance Webinar",
                                  "New York Smart Cities Summit"}),
    ({"country": "FI"}, {"Helsinki Urban Data Forum", "Espoo Energy Day", "Tampere Mobility Lab"}),
    ({"country": "finland"}, {"Helsinki Urban Data Forum", "Espoo Energy Day", "Tampere Mobility Lab"}),
    ({"country": "Netherlands"}, DUTCH),
    ({"city": "zurich"}, {"Zürich Digital Government Day"}),
    ({"city": "SAO PAULO"}, {"São Paulo Urban Innovation Fair"}),
    ({"topic": "energy"}, {"Espoo Energy Day", "Munich Energy Transition Talks",
                           "Oslo Electric Mobility Days",
                           "Honolulu Energy Week"}),
    ({"organizer": "fira de barcelona"}, {"Smart City Expo World Congress 2024",
                                          "Smart City Expo World Congress 2023"}),
    ({"organizer": "Stadt Zurich"}, {"Zürich Digital Government Day"}),
    ({"status": "cancelled"}, {"Rotterdam Water Summit"}),
    ({"status": "postponed"}, {"Tampere Mobility Lab"}),
    ({"status": "moved_online"}, {"Smart Governance Webinar"}),
    ({"near": "60.17,24.94", "radius_km": "30"}, {"Helsinki Urban Data Forum", "Espoo Energy Day"}),
    ({"near": "60.17,24.94"}, {"Helsinki Urban Data Forum", "Espoo Energy Day"}),  # default 50 km
    ({"near": "60.17,24.94", "radius_km": "200"}, {"Helsinki Urban Data Forum", "Espoo Energy Day",
                                                   "Tampere Mobility Lab"}),
    ({"bbox": "3,50,8,54"}, DUTCH),
    ({"bbox": "170,-40,-150,25"}, {"Auckland Resilience Forum", "Pacific Climate Dialogue",
                                   "Honolulu Energy Week"}),  # across the antimeridian
    # events overlapping the window: the congress runs 5-7 Nov, so a window starting on the 6th catches it
    ({"from": "2024-11-06", "to": "2024-11-19"}, {"Smart City Expo World Congress 2024",
                                                  "Tomorrow.Mobility World Congress"}),
    ({"from": "2024-12-04"}, {"Tokyo Smart City Week", "Paris Climate Action Forum"}),
    ({"to": "2023-09-30"}, {"Munich Energy Transition Talks", "Tampere Mobility Lab"}),
    ({"country": "FI", "topic": "data-ai"}, {"Helsinki Urban Data Forum"}),
    ({"country": "FI", "q": "", "city": " "}, {"Helsinki Urban Data Forum", "Espoo Energy Day",
                                               "Tampere Mobility Lab"}),  # empty form fields are ignored
])
def test_filters(api: TestClient, params: dict[str, str], expected: set[str]) -> None:
    assert names(api, **params) == expected


def test_updated_since(api: TestClient, web_catalog: WebCatalog) -> None:
    since = web_catalog.before_late.isoformat()
    assert names(api, updated_since=since) == {"Singapore Urban Mobility Forum"}
    earlier = (web_catalog.before_late - timedelta(days=1)).date().isoformat()
    assert len(names(api, updated_since=earlier)) == 30


@pytest.mark.parametrize("sort", ["start", "-start", "name", "-name", "updated", "-updated"])
def test_pages_walk_every_event_once(api: TestClient, web_catalog: WebCatalog, sort: str) -> None:
    seen: list[str] = []
    params: dict[str, Any] = {"sort": sort, "limit": 7}
    pages = 0
    while True:
        response = api.get("/api/events", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["count"] == 30
        seen += [event["id"] for event in body["data"]]
        pages += 1
        if body["next"] is None:
            assert "link" not in response.headers
            break
        assert 'rel="next"' in response.headers["link"] and body["next"] in response.headers["link"]
        params["cursor"] = body["next"]
    assert pages == 5
    assert len(seen) == len(set(seen)) == 30
    assert set(seen) == set(web_catalog.ids.values())


def test_pages_with_a_filter(api: TestClient) -> None:
    first = api.get("/api/events", params={"topic": "mobility", "limit": 2, "sort": "name"}).json()
    second = api.get("/api/events", params={"topic": "mobility", "limit": 2, "sort": "name",
                                                "cursor": first["next"]}).json()
    got = [event["name"] for event in first["data"] + second["data"]]
    assert got == sorted(got, key=str.lower) and len(set(got)) == 4
    assert first["count"] == second["count"] == 8


def test_event_detail_with_provenance_and_conflicts(api: TestClient, web_catalog: WebCatalog) -> None:
    event_id = web_catalog.ids["Seoul Smart City Summit"]
    response = api.get(f"/api/events/{event_id}")
    assert response.status_code == 200
    event = response.json()
    assert event["id"] == event_id
    assert event["end"] == "2024-09-05"  # the structured source wins
    assert {source["document"] for source in event["sources"]} == {"world.txt", "seoul.jsonld"}
    assert event["conflicts"] == [{"field": "end", "kept": "2024-09-05", "other": "2024-09-04",
                                   "kept_source": "seoul.jsonld", "other_source": "world.txt",
                                   "rule": "structured over prose"}]
    assert event["provenance"]["end"] == ["seoul.jsonld"]
    assert event["provenance"]["url"] == ["seoul.jsonld"]


def test_event_detail_related(api: TestClient, web_catalog: WebCatalog) -> None:
    expo = api.get(f"/api/events/{web_catalog.ids['Smart City Expo World Congress 2024']}").json()
    assert [part["name"] for part in expo["related"]["parts"]] == ["Tomorrow.Mobility World Congress"]
    editions = [edition["name"] for edition in expo["related"]["editions"]]
    assert editions == ["Smart City Expo World Congress 2023"]
    assert expo["related"]["parent"] is None
    part = api.get(expo["related"]["parts"][0]["links"]["api"]).json()
    assert part["related"]["parent"]["id"] == expo["id"]
    assert part["part_of_id"] == expo["id"]


def test_timed_event_keeps_its_times(api: TestClient, web_catalog: WebCatalog) -> None:
    event = api.get(f"/api/events/{web_catalog.ids['Helsinki Urban Data Forum']}").json()
    assert event["start_time"].startswith("2024-03-12T09:00") and event["timezone"] == "Europe/Helsinki"


def test_hostile_text_is_plain_json(api: TestClient, web_catalog: WebCatalog) -> None:
    hostile = next(name for name in web_catalog.ids if name.startswith("<script>"))
    event = api.get(f"/api/events/{web_catalog.ids[hostile]}").json()
    assert event["name"] == hostile


@pytest.mark.parametrize(("path", "first"), [
    ("/api/countries", {"value": "ES", "label": "Spain", "count": 3}),  # ties (FI, NL, US) by value
    ("/api/topics", {"value": "mobility", "label": "Mobility and transport", "count": 8}),
    ("/api/cities", {"value": "Barcelona", "label": "Barcelona", "count": 3}),
    ("/api/organizers", {"value": "Fira de Barcelona", "label": "Fira de Barcelona", "count": 2}),
])
def test_facets(api: TestClient, path: str, first: dict[str, Any]) -> None:
    body = api.get(path).json()
    assert body["data"][0] == first
    assert body["count"] == len(body["data"])
    counts = [item["count"] for item in body["data"]]
    assert counts == sorted(counts, reverse=True)


def test_facets_take_the_filters(api: TestClient) -> None:
    body = api.get("/api/topics", params={"country": "FI"}).json()
    counts = {item["value"]: item["count"] for item in body["data"]}
    assert counts == {"data-ai": 1, "energy": 1, "mobility": 1}
    countries = api.get("/api/countries").json()["data"]
    assert {"value": "US", "label": "United States", "count": 3} in countries
    assert sum(item["count"] for item in countries) == 29  # the online webinar has no country


def test_health(api: TestClient) -> None:
    response = api.get("/api/health")
    assert response.json() == {"status": "ok", "version": "0.1.0", "events": 30, "documents": 4}
    assert response.headers["cache-control"] == "no-store"


def test_etag_and_304(api: TestClient) -> None:
    first = api.get("/api/events", params={"country": "FI"})
    etag = first.headers["etag"]
    assert etag.startswith('"') and first.headers["cache-control"] == "public, max-age=60"
    assert api.get("/api/events", params={"country": "FI"}).headers["etag"] == etag
    assert api.get("/api/events", params={"country": "NL"}).headers["etag"] != etag
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        cached = api.get("/api/events", params={"country": "FI"}, headers={"If-None-Match": header})
        assert cached.status_code == 304 and cached.content == b""
        assert cached.headers["etag"] == etag and cached.headers["cache-control"]
    stale = api.get("/api/events", params={"country": "FI"}, headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200 and stale.json() == first.json()


@pytest.mark.parametrize("path", ["/api/events/{id}", "/api/topics", "/feeds/events.ics", "/events/{id}.ics"])
def test_every_read_has_an_etag(api: TestClient, web_catalog: WebCatalog, path: str) -> None:
    url = path.format(id=web_catalog.ids["Espoo Energy Day"])
    response = api.get(url)
    assert response.status_code == 200 and response.headers["cache-control"].startswith("public")
    assert api.get(url, headers={"If-None-Match": response.headers["etag"]}).status_code == 304


@pytest.mark.parametrize(("params", "words"), [
    ({"limit": "0"}, "limit"),
    ({"limit": "501"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"limit": "²"}, "limit"),
    ({"from": "2024-02-30"}, "from"),
    ({"to": "tomorrow"}, "to"),
    ({"from": "2024-05-01", "to": "2024-04-01"}, "after"),
    ({"updated_since": "yesterday"}, "updated_since"),
    ({"status": "maybe"}, "status"),
    ({"topic": "no-such-topic"}, "topic"),
    ({"sort": "popularity"}, "sort"),
    ({"near": "60.17"}, "near"),
    ({"near": "95,10"}, "near"),
    ({"near": "nan,10"}, "near"),
    ({"near": "60,25", "radius_km": "-5"}, "radius_km"),
    ({"near": "60,25", "radius_km": "inf"}, "radius_km"),
    ({"radius_km": "5"}, "near"),
    ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "1,60,3,50"}, "bbox"),
    ({"bbox": "1,2,3,x"}, "bbox"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"q": "x" * 201}, "q"),
    ({"city": "Hel\x00sinki"}, "city"),
])
def test_bad_parameters(api: TestClient, params: dict[str, str], words: str) -> None:
    error = assert_error(api.get("/api/events", params=params), 400, "bad_input")
    assert words in error["message"]


def test_cursor_of_another_sort_is_refused(api: TestClient) -> None:
    cursor = api.get("/api/events", params={"limit": 2, "sort": "name"}).json()["next"]
    assert_error(api.get("/api/events", params={"cursor": cursor, "sort": "start"}), 400, "bad_input")


def test_not_found(api: TestClient) -> None:
    error = assert_error(api.get("/api/events/0000000000000000"), 404, "not_found")
    assert "0000000000000000" in error["message"]
    assert_error(api.get("/api/nothing-here"), 404, "not_found")
    assert_error(api.get("/events/0000000000000000.ics"), 404, "not_found")


def test_method_not_allowed(api: TestClient) -> None:
    response = api.delete("/api/events")
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET"


def test_request_validation_error_is_400(api: TestClient) -> None:
    error = assert_error(api.get("/feeds/events.xml"), 400, "bad_input")
    assert "fmt" in error["message"]


def test_library_errors_use_their_status_and_hide_server_details(web_app: FastAPI,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise CatalogError("could not read: OperationalError: secret table detail")

    monkeypatch.setattr(web_app.state.catalog, "query", fail)
    error = assert_error(TestClient(web_app).get("/api/events"), 500, "catalog_error")
    assert "secret" not in error["message"]


def test_unexpected_errors_are_500_in_the_same_shape(web_app: FastAPI,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(web_app.state.catalog, "facets", crash)
    response = TestClient(web_app, raise_server_exceptions=False).get("/api/topics")
    error = assert_error(response, 500, "internal_error")
    assert "boom" not in error["message"]


def test_health_reports_an_unreachable_catalog(web_app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    def down() -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(web_app.state.catalog, "stats", down)
    assert_error(TestClient(web_app).get("/api/health"), 503, "unavailable")


def test_openapi_and_offline_docs(api: TestClient) -> None:
    schema = api.get("/api/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/cities", "/api/countries", "/api/topics",
            "/api/organizers", "/api/health", "/feeds/events.{fmt}"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert parameters == {"q", "from", "to", "country", "city", "topic", "organizer", "status", "near",
                          "radius_km", "bbox", "updated_since", "sort", "limit", "cursor"}
    docs = api.get("/api/docs")
    if docs.status_code == 404:
        pytest.skip("swagger-ui-bundle is not installed")
    assert "https://" not in docs.text and "http://" not in docs.text
    assert api.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_create_app_reads_the_settings(tmp_path: Any) -> None:
    app = create_app(settings=Settings(db=str(tmp_path / "empty.db")))
    body = TestClient(app).get("/api/events").json()
    assert body == {"data": [], "count": 0, "next": None}
