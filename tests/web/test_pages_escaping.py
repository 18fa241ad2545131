"""Hostile text in an announcement renders as text on every page, never as markup or script.

Besides the sample catalog's hostile event, events are built from the injection attempts in
feedparser's ``wellformed/sanitize`` corpus: each feed's title and content, XML-decoded (so
``&lt;script>`` becomes a real ``<script>``), becomes an event's name, description and venue.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from cityevents.model import Event
from cityevents.web.app import create_app

from .conftest import HOSTILE_DESCRIPTION, HOSTILE_NAME, SAMPLE, build_catalog

# What the corpus must not become in our pages: elements that run or load things, handler attributes.
DANGEROUS_TAGS = (
    "script",
    "iframe",
    "object",
    "embed",
    "applet",
    "frame",
    "frameset",
    "meta",
    "base",
    "form",
    "style",
    "svg",
    "math",
    "link",
)
ALLOWED_SCRIPT_TYPE = "application/ld+json"
HANDLER = re.compile(r"^on", re.IGNORECASE)
CORPUS_PATTERN = re.compile(
    r"(script|onerror|onload|onclick|iframe|object|embed|crazy|meta|style_tag|applet)"
)
MAX_CORPUS_EVENTS = 120


def assert_inert(html: str) -> BeautifulSoup:
    """Parse ``html`` and check it holds only the markup our templates write."""
    doc = BeautifulSoup(html, "html.parser")
    for tag in doc.find_all(DANGEROUS_TAGS):
        if tag.name == "script":
            assert tag.get("type") == ALLOWED_SCRIPT_TYPE and not tag.get("src"), str(tag)[:200]
            json.loads(tag.string or "")  # the JSON-LD stays one well-formed JSON value
        elif tag.name == "link":
            assert tag.get("rel") in (["stylesheet"], ["alternate"]), str(tag)
        elif tag.name == "meta":
            assert not tag.get("http-equiv"), str(tag)
        elif tag.name == "form":
            assert (tag.get("action"), tag.get("method")) == ("/", "get"), str(tag)[:200]  # our search forms
        elif tag.name == "svg":
            assert tag.find_parent("figure", class_="map") is not None, str(tag)[:200]
        else:
            pytest.fail(f"injected <{tag.name}>: {str(tag)[:200]}")
    for tag in doc.find_all(True):
        handlers = [name for name in tag.attrs if HANDLER.match(name)]
        assert not handlers, f"<{tag.name} {handlers}>"
        for name in ("href", "src"):
            value = str(tag.get(name, ""))
            assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), str(tag)[:200]
    return doc


def text_of(doc: BeautifulSoup) -> str:
    return " ".join(doc.get_text(" ").split())


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?from=2023-01-01&q=hack",
        "/calendar?month={month}",
        "/map",
        "/cities/Oslo",
        "/topics/safety-security",
        "/events/{id}",
    ],
)
def test_sample_hostile_event_renders_as_text(
    pages_client: TestClient, sample_ids: dict[str, str], url: str
) -> None:
    response = pages_client.get(url.format(month=SAMPLE.month_key, id=sample_ids[HOSTILE_NAME]))
    assert response.status_code == 200
    assert '<script>alert("name")' not in response.text
    assert "<img" not in response.text and "<svg onload" not in response.text
    doc = assert_inert(response.text)
    assert 'Hack <script>alert("name")</script> Summit' in text_of(doc)


def test_hostile_event_page_shows_every_hostile_field_as_text(
    pages_client: TestClient, sample_ids: dict[str, str]
) -> None:
    response = pages_client.get(f"/events/{sample_ids[HOSTILE_NAME]}")
    doc = assert_inert(response.text)
    shown = text_of(doc)
    assert " ".join(HOSTILE_DESCRIPTION.split()) in shown
    assert '"><svg onload=alert(4)>' in shown and "<b>Evil</b> Corp" in shown
    assert "</script><script>alert(6)</script>" in shown
    assert not doc.select("a[href^='javascript']")  # the javascript: URL is shown, never linked
    assert doc.title is not None and doc.title.get_text().startswith(HOSTILE_NAME)
    jsonld = doc.find("script", type=ALLOWED_SCRIPT_TYPE)
    assert jsonld is not None and "</script" not in (jsonld.string or "").lower()
    assert json.loads(jsonld.string or "")["name"] == HOSTILE_NAME


def corpus_events(sanitize: Path) -> list[Event]:
    """One event per injection file: its decoded title and content as name, description and venue."""
    found: list[Event] = []
    day = SAMPLE.month + timedelta(days=1)
    for path in sorted(sanitize.glob("*.xml")):
        if not CORPUS_PATTERN.search(path.stem) or len(found) >= MAX_CORPUS_EVENTS:
            continue
        try:
            root = ET.fromstring(path.read_bytes())
        except ET.ParseError:
            continue
        texts = [element.text for element in root.iter() if element.text and "<" in element.text]
        if not texts:
            continue
        payload = " ".join(text.strip() for text in texts)
        found.append(
            Event(
                name=f"{path.stem} {payload[:150]}",
                start=day,
                city="Oslo",
                country="Norway",
                country_code="NO",
                lat=59.91,
                lon=10.75,
                description=payload,
                venue=payload[:200],
                organizers=[payload[:80]],
                url=payload[:100],
            )
        )
    return found


@pytest.fixture(scope="module")
def corpus_client(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    sanitize = shared_dir / "corpora" / "feedparser" / "wellformed" / "sanitize"
    if not sanitize.is_dir():
        pytest.skip(f"{sanitize} is absent")
    events = corpus_events(sanitize)
    assert len(events) >= 50
    url = build_catalog(tmp_path_factory.mktemp("corpus") / "hostile.db", {"feedparser/sanitize": events})
    return TestClient(create_app(url))


def test_feedparser_injection_corpus_renders_inert(corpus_client: TestClient) -> None:
    listing = corpus_client.get("/api/events", params={"limit": 500}).json()["data"]
    assert len(listing) >= 50
    month = f"{SAMPLE.month:%Y-%m}"
    for url in ["/?limit=100", f"/calendar?month={month}", "/map", "/cities/Oslo"]:
        response = corpus_client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.text)
    for event in listing:
        response = corpus_client.get(f"/events/{event['id']}")
        assert response.status_code == 200
        doc = assert_inert(response.text)
        heading = doc.h1
        assert heading is not None and heading.get_text() == event["name"]  # the whole name, as text


def test_corpus_payloads_really_carry_markup(shared_dir: Path) -> None:
    """Guard against a vacuous corpus test: the decoded payloads do hold tags and handlers."""
    sanitize = shared_dir / "corpora" / "feedparser" / "wellformed" / "sanitize"
    if not sanitize.is_dir():
        pytest.skip(f"{sanitize} is absent")
    payloads = " ".join(event.description for event in corpus_events(sanitize))
    assert "<script" in payloads and "onerror=" in payloads.lower() and "<iframe" in payloads
    assert date.today() < SAMPLE.month
