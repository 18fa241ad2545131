"""HTML pages through the test client: filters honoured, links right, every asset local."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient

from cityevents.catalog import open_catalog
from cityevents.export import event_jsonld
from cityevents.settings import TILE_URL_VARIABLE
from cityevents.web.app import create_app
from cityevents.web.pages import lay_out

from .conftest import SAMPLE

PAST = {
    "Urban Future Conference",
    "Espoo Smart Energy Seminar",
    "Pune Smart City Mission Review",
    "Smart City Expo World Congress 2023",
}


def page(client: TestClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return BeautifulSoup(response.text, "html.parser")


def listed(doc: BeautifulSoup) -> list[str]:
    """Event names in a page's list of events, in order."""
    return [name.get_text(strip=True) for name in doc.select(".event-list .event-name a")]


def link(doc: BeautifulSoup | Tag, text: str) -> str:
    """The href of the first link whose text starts with ``text``."""
    found = next(a for a in doc.select("a[href]") if " ".join(a.get_text().split()).startswith(text))
    return str(found["href"])


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_home_lists_upcoming_events_only(pages_client: TestClient) -> None:
    doc = page(pages_client, "/")
    names = listed(doc)
    assert "Helsinki Smart Mobility Forum" in names and "Smart City Expo World Congress" in names
    assert not PAST & set(names)
    past_link = link(doc, "Past events")
    past = listed(page(pages_client, past_link))
    assert PAST <= set(past) and "Helsinki Smart Mobility Forum" not in past
    assert past[0] == "Smart City Expo World Congress 2023"  # most recent first


def test_home_honours_the_api_parameters(pages_client: TestClient) -> None:
    names = listed(page(pages_client, "/?country=FI&from=2023-01-01"))
    assert set(names) == {"Helsinki Smart Mobility Forum", "Tampere Data Days", "Espoo Smart Energy Seminar"}
    assert listed(page(pages_client, "/?q=cycling")) == ["Copenhagen Cycling Conference"]
    assert listed(page(pages_client, "/?topic=water&country=Kenya")) == ["Nairobi Water Summit"]
    assert set(listed(page(pages_client, "/?from=2023-10-01&to=2023-10-31"))) == {
        "Urban Future Conference",
        "Espoo Smart Energy Seminar",
    }


def test_filter_form_is_labelled_and_keeps_the_filter(pages_client: TestClient) -> None:
    doc = page(pages_client, "/?country=FI&q=data")
    form = doc.select("form.filters")[0]
    for control in form.select("input:not([type=hidden]), select"):
        assert doc.select(f"label[for='{control.get('id')}']"), control.get("name")
    assert form.select("#q")[0].get("value") == "data"
    assert form.select("#country option[selected]")[0].get("value") == "FI"


def test_facets_have_counts_and_links_that_filter(pages_client: TestClient) -> None:
    doc = page(pages_client, "/?from=2023-01-01")
    facets = {section.h2.get_text(): section for section in doc.select(".facet")}
    assert set(facets) == {"Country", "Topic", "Month"}
    assert "Finland (3)" in facets["Country"].get_text(" ", strip=True)
    finland = link(facets["Country"], "Finland")
    assert query_of(finland) == {"from": ["2023-01-01"], "country": ["FI"]}
    assert query_of(link(facets["Month"], "October 2023")) == {"from": ["2023-10-01"], "to": ["2023-10-31"]}
    selected = page(pages_client, finland).select(".facet a[aria-current]")
    assert [link.get_text().split("(")[0].strip() for link in selected] == ["Finland"]


def test_subscribe_links_carry_the_filter(pages_client: TestClient) -> None:
    doc = page(pages_client, "/?country=FI&topic=data-ai&limit=1")
    feeds = {a.get_text(): a.get("href") for a in doc.select(".subscribe a")}
    assert set(feeds) == {"iCalendar", "RSS", "Atom"}
    assert urlsplit(feeds["iCalendar"]).path == "/feeds/events.ics"
    for href in feeds.values():
        assert query_of(href) == {"country": ["FI"], "topic": ["data-ai"]}  # filters, not paging
    response = pages_client.get(feeds["iCalendar"])
    assert response.status_code == 200 and "Tampere Data Days" in response.text
    assert "Nairobi" not in response.text


def test_cursor_pagination_walks_every_event_once(pages_client: TestClient) -> None:
    url: str | None = "/?from=2023-01-01&limit=7"
    seen: list[str] = []
    while url:
        doc = page(pages_client, url)
        seen += listed(doc)
        nexts = doc.select(".pager a[rel=next]")
        url = nexts[0].get("href") if nexts else None
        if url:
            assert query_of(url)["limit"] == ["7"] and "cursor" in query_of(url)
    assert len(seen) == len(set(seen)) == 24
    second = page(pages_client, "/?from=2023-01-01&limit=7").select(".pager a[rel=next]")[0].get("href")
    assert (
        page(pages_client, second).select(".pager a[rel=first]")[0].get("href") == "/?from=2023-01-01&limit=7"
    )


@pytest.mark.parametrize(
    "url",
    [
        "/?from=tomorrow",
        "/?limit=0",
        "/?cursor=nonsense",
        "/calendar?month=2023-13",
        "/map?near=100,0",
        "/?sort=price",
    ],
)
def test_bad_parameters_get_an_html_400(pages_client: TestClient, url: str) -> None:
    doc = page(pages_client, url, status=400)
    assert doc.select("h1")[0].get_text() == "Bad request"
    assert doc.select(".error-message")[0].get_text().strip()


def test_calendar_grid_spans_multi_day_events(pages_client: TestClient, sample_ids: dict[str, str]) -> None:
    doc = page(pages_client, f"/calendar?month={SAMPLE.month_key}")
    assert doc.select("h1")[0].get_text() == f"{SAMPLE.month:%B %Y}"
    weeks = doc.select(".calendar .week")
    assert all(len(week.select(".day")) == 7 for week in weeks)
    assert 4 <= len(weeks) <= 6
    congress = doc.select(f".bar[data-event-id='{sample_ids['Smart City Expo World Congress']}']")
    start, end = SAMPLE.crossing
    assert (
        sum(int(bar.get("data-span")) for bar in congress) == (end - start).days + 1
    )  # 5 days, maybe 2 weeks
    assert "Smart City Expo World Congress" in congress[0].get_text()
    helsinki = doc.select(f".bar[data-event-id='{sample_ids['Helsinki Smart Mobility Forum']}']")
    assert [bar.get("data-span") for bar in helsinki] == ["2"]
    assert not doc.select(f".bar[data-event-id='{sample_ids['Urban Future Conference']}']")


def test_calendar_month_links_and_filters(pages_client: TestClient) -> None:
    doc = page(pages_client, "/calendar?month=2023-10&country=DE")
    assert doc.select("h1")[0].get_text() == "October 2023"
    assert [bar.get_text().split(",")[0].strip() for bar in doc.select(".bar")] == ["Urban Future Conference"]
    previous = doc.select(".month-nav a[rel=prev]")[0].get("href")
    following = doc.select(".month-nav a[rel=next]")[0].get("href")
    assert query_of(previous) == {"country": ["DE"], "month": ["2023-09"]}
    assert query_of(following) == {"country": ["DE"], "month": ["2023-11"]}
    assert query_of(page(pages_client, "/calendar?month=2023-12").select("a[rel=next]")[0].get("href")) == {
        "month": ["2024-01"]
    }
    feeds = [a.get("href") for a in doc.select(".subscribe a")]
    assert all(query_of(href) == {"country": ["DE"]} for href in feeds)


def test_lay_out_puts_overlapping_events_in_separate_lanes(sample_catalog_url: str) -> None:
    with open_catalog(sample_catalog_url) as catalog:
        found = catalog.query().events
    start, end = SAMPLE.crossing
    monday = start - timedelta(days=start.weekday())
    weeks = lay_out(monday, monday + timedelta(days=13), found)
    bars = [
        bar
        for bar in weeks[0].bars
        if bar.event.name in {"Smart City Expo World Congress", "SCEWC Mobility Stage"}
    ]
    assert len({bar.lane for bar in bars}) == 2
    congress = next(bar for bar in bars if bar.event.name == "Smart City Expo World Congress")
    assert congress.continues_after == (end > monday + timedelta(days=6))


def test_map_has_a_marker_per_located_event(pages_client: TestClient, sample_ids: dict[str, str]) -> None:
    doc = page(pages_client, "/map")
    markers = {marker.get("data-event-id"): marker for marker in doc.select("svg a.marker")}
    assert len(markers) == len(sample_ids) - 1  # all but the online webinar
    assert sample_ids["Open Cities Online Webinar"] not in markers
    helsinki = markers[sample_ids["Helsinki Smart Mobility Forum"]]
    assert helsinki.get("href") == f"/events/{sample_ids['Helsinki Smart Mobility Forum']}"
    circle = helsinki.select("circle")[0]
    assert (float(circle.get("cx")), float(circle.get("cy"))) == pytest.approx((24.9384, -60.1699))
    assert doc.select("svg image")[0].get("href") == "/static/map/land.svg"
    assert pages_client.get("/static/map/land.svg").status_code == 200
    finnish = page(pages_client, "/map?country=FI").select("svg a.marker")
    assert len(finnish) == 3


def test_map_uses_the_configured_tile_layer(sample_catalog_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TILE_URL_VARIABLE, "https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    with TestClient(create_app(sample_catalog_url)) as client:
        doc = page(client, "/map?country=FI")
    images = [image.get("href") for image in doc.select("svg image")]
    assert images and all(href.startswith("https://") and href.endswith(".png") for href in images)
    assert "/static/map/land.svg" not in images and "{z}" not in "".join(images)
    assert len(doc.select("svg a.marker")) == 3
    assert doc.select("svg")[0].get("data-projection") == "mercator"


def test_event_page_shows_every_field(pages_client: TestClient, sample_ids: dict[str, str]) -> None:
    event_id = sample_ids["Helsinki Smart Mobility Forum"]
    doc = page(pages_client, f"/events/{event_id}")
    fields = {
        dt.get_text().strip(): dd.get_text().strip()
        for dt, dd in zip(doc.select(".event .fields > dt"), doc.select(".event .fields > dd"))
    }
    assert fields["Venue"] == "Kaapelitehdas"
    assert fields["Time zone"] == "Europe/Helsinki"
    assert fields["Organizers"] == "Forum Virium Helsinki"
    assert fields["Catalog id"] == event_id
    assert fields["Coordinates"] == "60.1699, 24.9384"
    assert "Mobility and transport" in fields["Topics"]
    assert "1,200" in doc.select("section[aria-labelledby=figures] table")[0].get_text()
    assert (
        doc.select(".sources, section[aria-labelledby=sources] td.document a")[0].get("href")
        == "https://example.org/listing.html"
    )
    assert "Second paragraph" in doc.select(".description")[0].get_text()
    add = link(doc, "Add to calendar")
    assert add == f"/events/{event_id}.ics"
    response = pages_client.get(add)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")


def test_event_page_json_ld_is_the_exporters(
    pages_client: TestClient, sample_ids: dict[str, str], sample_catalog_url: str
) -> None:
    event_id = sample_ids["Helsinki Smart Mobility Forum"]
    doc = page(pages_client, f"/events/{event_id}")
    scripts = doc.select("script[type='application/ld+json']")
    assert len(scripts) == 1
    with open_catalog(sample_catalog_url) as catalog:
        event = catalog.get(event_id)
    assert event is not None
    assert json.loads(scripts[0].string or "") == event_jsonld(
        event, url=f"http://testserver/events/{event_id}"
    )


def test_event_page_related_sources_and_conflicts(
    pages_client: TestClient, sample_ids: dict[str, str]
) -> None:
    congress = page(pages_client, f"/events/{sample_ids['Smart City Expo World Congress']}")
    related = congress.select("section[aria-labelledby=related]")[0]
    links = {a.get_text(): a.get("href") for a in related.select("a")}
    assert links["SCEWC Mobility Stage"] == f"/events/{sample_ids['SCEWC Mobility Stage']}"
    assert (
        links["Smart City Expo World Congress 2023"]
        == f"/events/{sample_ids['Smart City Expo World Congress 2023']}"
    )
    stage = page(pages_client, f"/events/{sample_ids['SCEWC Mobility Stage']}")
    assert (
        stage.select(".part-of a")[0].get("href") == f"/events/{sample_ids['Smart City Expo World Congress']}"
    )

    symposium = page(pages_client, f"/events/{sample_ids['Data Spaces Symposium']}")
    documents = [
        cell.get_text().strip() for cell in symposium.select("section[aria-labelledby=sources] td.document")
    ]
    assert documents == ["https://example.org/symposium-a.html", "https://news.example.com/symposium-b"]
    conflict = symposium.select("section[aria-labelledby=conflicts] tbody tr")[0].get_text()
    assert (
        "venue" in conflict and "Berlin Congress Center" in conflict and "Estrel Congress Center" in conflict
    )
    assert symposium.select("details.provenance dt")


def test_event_page_subscribe_links(pages_client: TestClient, sample_ids: dict[str, str]) -> None:
    doc = page(pages_client, f"/events/{sample_ids['Tampere Data Days']}")
    feeds = [a.get("href") for a in doc.select(".subscribe a")]
    assert "/feeds/events.ics?city=Tampere" in feeds and "/feeds/events.rss?topic=data-ai" in feeds


def test_unknown_pages_are_html_404s(pages_client: TestClient) -> None:
    assert (
        page(pages_client, "/events/0000000000000000", status=404).select("h1")[0].get_text() == "Not found"
    )
    page(pages_client, "/cities/Atlantis", status=404)
    page(pages_client, "/topics/astrology", status=404)


def test_city_page_profile_and_events(pages_client: TestClient) -> None:
    doc = page(pages_client, "/cities/Barcelona")
    assert doc.select("h1")[0].get_text() == "Events in Barcelona"
    assert set(listed(doc)) == {
        "Smart City Expo World Congress",
        "SCEWC Mobility Stage",
        "Smart City Expo World Congress 2023",
    }
    profile = doc.select(".profile")[0].get_text()
    assert "Spain" in profile and "Europe/Madrid" in profile and "41.389, 2.159" in profile
    topics = [a.get_text() for a in doc.select(".profile .bars a")]
    assert topics[:2] == ["Mobility and transport", "Urban planning and development"]
    feeds = [a.get("href") for a in doc.select(".subscribe a")]
    assert "/feeds/events.ics?city=Barcelona" in feeds
    assert listed(page(pages_client, "/cities/s%C3%A3o%20paulo")) == ["São Paulo Mobilidade Urbana"]
    upcoming = page(pages_client, "/cities/Barcelona?from=2024-01-01")
    assert set(listed(upcoming)) == {"SCEWC Mobility Stage", "Smart City Expo World Congress"}
    assert link(upcoming, "All events in Barcelona") == "/cities/Barcelona"


def test_topic_page(pages_client: TestClient) -> None:
    doc = page(pages_client, "/topics/mobility")
    assert doc.select("h1")[0].get_text() == "Mobility and transport"
    assert "Copenhagen Cycling Conference" in listed(doc) and "Nairobi Water Summit" not in listed(doc)
    feeds = [a.get("href") for a in doc.select(".subscribe a")]
    assert "/feeds/events.atom?topic=mobility" in feeds
    assert listed(page(pages_client, "/topics/mobility?country=BR")) == ["São Paulo Mobilidade Urbana"]


@pytest.mark.parametrize(
    "url", ["/", "/?country=FI", "/calendar", "/map", "/cities/Helsinki", "/topics/energy"]
)
def test_every_page_is_accessible_and_self_contained(pages_client: TestClient, url: str) -> None:
    doc = page(pages_client, url)
    assert doc.html is not None and doc.html.get("lang") == "en"
    skip = doc.select("body > a")[0]
    assert skip.get("href") == "#main" and doc.select("main#main")
    assert doc.select("header nav[aria-label]") and doc.select("footer")
    assert len(doc.select("h1")) == 1
    for control in doc.select("input:not([type=hidden]), select"):
        assert doc.select(f"label[for='{control.get('id')}']")
    assets = [
        *(tag["href"] for tag in doc.select("link[rel=stylesheet], image")),
        *(tag["src"] for tag in doc.select("script[src], img")),
    ]
    assert assets and all(asset.startswith("/static/") for asset in assets)
    assert pages_client.get("/static/style.css").status_code == 200


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2024-13", "soon"])
def test_calendar_months_out_of_range_are_bad_requests(pages_client: TestClient, month: str) -> None:
    response = pages_client.get("/calendar", params={"month": month})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/", "/api/health", "/feeds/events.ics", "/calendar"])
def test_head_is_answered_like_get_without_a_body(pages_client: TestClient, path: str) -> None:
    get = pages_client.get(path)
    head = pages_client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
