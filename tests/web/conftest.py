"""Web fixtures: a varied sample catalog, the app over it, a live server and a real browser.

``sample_catalog_url`` holds about 25 events: upcoming and past, several countries, a multi-day event
that crosses a month boundary, a parent with a stage (part of), two editions of one series, a
cancelled one, an online one without coordinates, one read from two documents that disagree
(a conflict), and one whose every text field is hostile markup. Upcoming dates are relative to
today, so the home page (upcoming by default) is never empty; :data:`SAMPLE` names them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cityevents.catalog import EventQuery, open_catalog
from cityevents.model import AttendanceMode, Event, Figure, Source, Status
from cityevents.web.app import create_app

HOSTILE_NAME = 'Hack <script>alert("name")</script> Summit'
HOSTILE_DESCRIPTION = (
    '<img src=x onerror="alert(1)"> </script><script>alert(2)</script> '
    '<a href="javascript:alert(3)">click</a> & more'
)


def _month_after(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Sample:
    """Dates the sample catalog is built around: next month (``month``) and the one after it."""

    month: date  # first day of next month: every "upcoming" event is in it or later
    following: date  # first day of the month after

    @property
    def month_key(self) -> str:
        """ "YYYY-MM" of :attr:`month`, as the calendar's ``month`` parameter."""
        return f"{self.month:%Y-%m}"

    @property
    def crossing(self) -> tuple[date, date]:
        """The multi-day event: the month's last three days and the next month's first two."""
        return self.following - timedelta(days=3), self.following + timedelta(days=1)


SAMPLE = Sample(month=_month_after(date.today()), following=_month_after(_month_after(date.today())))


def _event(name: str, start: date, end: date | None = None, **fields: object) -> Event:
    return Event(name=name, start=start, end=end or start, **fields)  # type: ignore[arg-type]


def sample_documents() -> dict[str, list[Event]]:
    """The sample catalog's documents and the events read from each."""
    m, f = SAMPLE.month, SAMPLE.following
    crossing_start, crossing_end = SAMPLE.crossing
    helsinki = {
        "city": "Helsinki",
        "country": "Finland",
        "country_code": "FI",
        "lat": 60.1699,
        "lon": 24.9384,
        "timezone": "Europe/Helsinki",
    }
    barcelona = {
        "city": "Barcelona",
        "country": "Spain",
        "country_code": "ES",
        "lat": 41.3888,
        "lon": 2.159,
        "timezone": "Europe/Madrid",
    }
    berlin = {
        "city": "Berlin",
        "country": "Germany",
        "country_code": "DE",
        "lat": 52.52,
        "lon": 13.405,
        "timezone": "Europe/Berlin",
    }
    listing = [
        _event(
            "Helsinki Smart Mobility Forum",
            m + timedelta(days=9),
            m + timedelta(days=10),
            **helsinki,
            topics=["mobility", "data-ai"],
            organizers=["Forum Virium Helsinki"],
            venue="Kaapelitehdas",
            figures=[Figure("participants", 1200, "over", m.year, "over 1,200 participants")],
            url="https://example.org/helsinki-mobility",
            description="Two days on public transport.\n\nSecond paragraph about bikes.",
        ),
        _event(
            "Tampere Data Days",
            m + timedelta(days=14),
            city="Tampere",
            country="Finland",
            country_code="FI",
            lat=61.4978,
            lon=23.761,
            topics=["data-ai"],
            timezone="Europe/Helsinki",
        ),
        _event(
            "Smart City Expo World Congress",
            crossing_start,
            crossing_end,
            **barcelona,
            topics=["urban-planning", "mobility"],
            aliases=["SCEWC"],
            organizers=["Fira Barcelona"],
            series="Smart City Expo World Congress",
            edition=str(crossing_start.year),
        ),
        _event(
            "SCEWC Mobility Stage",
            crossing_start,
            crossing_start,
            **barcelona,
            topics=["mobility"],
            part_of="Smart City Expo World Congress",
        ),
        _event(
            "Smart City Expo World Congress 2023",
            date(2023, 11, 7),
            date(2023, 11, 9),
            **barcelona,
            topics=["urban-planning"],
            series="Smart City Expo World Congress",
            edition="2023",
        ),
        _event(
            HOSTILE_NAME,
            m + timedelta(days=19),
            city="Oslo",
            country="Norway",
            country_code="NO",
            lat=59.9139,
            lon=10.7522,
            description=HOSTILE_DESCRIPTION,
            venue='"><svg onload=alert(4)>',
            organizers=["<b>Evil</b> Corp"],
            url="javascript:alert(5)",
            topics=["safety-security"],
            aliases=["</script><script>alert(6)</script>"],
        ),
        _event(
            "Amsterdam Energy Transition Lab",
            m + timedelta(days=3),
            city="Amsterdam",
            country="Netherlands",
            country_code="NL",
            lat=52.3676,
            lon=4.9041,
            topics=["energy"],
        ),
        _event(
            "Lyon Climate Adaptation Days",
            m + timedelta(days=5),
            m + timedelta(days=6),
            city="Lyon",
            country="France",
            country_code="FR",
            lat=45.764,
            lon=4.8357,
            topics=["climate-resilience"],
        ),
        _event(
            "Boston Civic Tech Meetup",
            m + timedelta(days=7),
            city="Boston",
            country="United States",
            country_code="US",
            lat=42.3601,
            lon=-71.0589,
            topics=["digital-government"],
            start_time=datetime.combine(
                m + timedelta(days=7), datetime.min.time().replace(hour=18), ZoneInfo("America/New_York")
            ),
            timezone="America/New_York",
        ),
        _event(
            "Tokyo Resilient Cities Symposium",
            m + timedelta(days=12),
            city="Tokyo",
            country="Japan",
            country_code="JP",
            lat=35.6762,
            lon=139.6503,
            topics=["climate-resilience"],
        ),
        _event(
            "São Paulo Mobilidade Urbana",
            m + timedelta(days=16),
            city="São Paulo",
            country="Brazil",
            country_code="BR",
            lat=-23.5505,
            lon=-46.6333,
            topics=["mobility"],
        ),
        _event(
            "Nairobi Water Summit",
            m + timedelta(days=21),
            city="Nairobi",
            country="Kenya",
            country_code="KE",
            lat=-1.2921,
            lon=36.8219,
            topics=["water"],
        ),
        _event(
            "Melbourne Urban Forest Forum",
            m + timedelta(days=22),
            city="Melbourne",
            country="Australia",
            country_code="AU",
            lat=-37.8136,
            lon=144.9631,
            topics=["environment"],
        ),
        _event(
            "Toronto Housing Futures",
            f + timedelta(days=8),
            city="Toronto",
            country="Canada",
            country_code="CA",
            lat=43.6532,
            lon=-79.3832,
            topics=["housing"],
            status=Status.CANCELLED,
        ),
        _event(
            "Open Cities Online Webinar",
            m + timedelta(days=2),
            topics=["governance-participation"],
            attendance_mode=AttendanceMode.ONLINE,
            url="https://example.org/webinar",
        ),
        _event(
            "Lisbon Circular Economy Week",
            f + timedelta(days=2),
            f + timedelta(days=6),
            city="Lisbon",
            country="Portugal",
            country_code="PT",
            lat=38.7223,
            lon=-9.1393,
            topics=["circular-economy"],
        ),
        _event(
            "Copenhagen Cycling Conference",
            f + timedelta(days=13),
            city="Copenhagen",
            country="Denmark",
            country_code="DK",
            lat=55.6761,
            lon=12.5683,
            topics=["mobility"],
        ),
        _event(
            "Milan Smart Buildings Expo",
            f + timedelta(days=17),
            city="Milan",
            country="Italy",
            country_code="IT",
            lat=45.4642,
            lon=9.19,
            topics=["buildings"],
        ),
        _event(
            "London Health Data Forum",
            f + timedelta(days=20),
            city="London",
            country="United Kingdom",
            country_code="GB",
            lat=51.5072,
            lon=-0.1276,
            topics=["health", "data-ai"],
        ),
        _event(
            "Stockholm IoT Privacy Day",
            m + timedelta(days=25),
            city="Stockholm",
            country="Sweden",
            country_code="SE",
            lat=59.3293,
            lon=18.0686,
            topics=["iot-privacy"],
        ),
    ]
    past = [
        _event(
            "Urban Future Conference",
            date(2023, 10, 4),
            date(2023, 10, 6),
            city="Stuttgart",
            country="Germany",
            country_code="DE",
            lat=48.7758,
            lon=9.1829,
            topics=["urban-planning"],
        ),
        _event(
            "Espoo Smart Energy Seminar",
            date(2023, 10, 17),
            city="Espoo",
            country="Finland",
            country_code="FI",
            lat=60.2055,
            lon=24.6559,
            topics=["energy"],
        ),
        _event(
            "Pune Smart City Mission Review",
            date(2023, 9, 28),
            city="Pune",
            country="India",
            country_code="IN",
            lat=18.5204,
            lon=73.8567,
            topics=["governance-participation"],
        ),
    ]
    first_claim = [
        _event(
            "Data Spaces Symposium",
            m + timedelta(days=17),
            m + timedelta(days=18),
            **berlin,
            venue="Berlin Congress Center",
            topics=["data-ai"],
        )
    ]
    second_claim = [
        _event(
            "Data Spaces Symposium",
            m + timedelta(days=17),
            m + timedelta(days=18),
            **berlin,
            venue="Estrel Congress Center",
            topics=["data-ai"],
        )
    ]
    return {
        "https://example.org/listing.html": listing,
        "archive/2023.txt": past,
        "https://example.org/symposium-a.html": first_claim,
        "https://news.example.com/symposium-b": second_claim,
    }


def build_catalog(path: Path, documents: dict[str, list[Event]]) -> str:
    """A SQLite catalog at ``path`` holding the documents' events; returns its URL."""
    url = f"sqlite:///{path}"
    with open_catalog(url) as catalog:
        for document, events in documents.items():
            for event in events:
                event.sources = [Source(document=document, extractor="test", published=SAMPLE.month)]
            catalog.ingest_document(
                document, events, content_hash=hashlib.sha256(document.encode()).hexdigest()
            )
    return url


@pytest.fixture(scope="session")
def sample_catalog_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite catalog with the sample events (see the module docstring); do not write to it."""
    return build_catalog(tmp_path_factory.mktemp("catalog") / "sample.db", sample_documents())


@pytest.fixture(scope="session")
def sample_app(sample_catalog_url: str) -> FastAPI:
    """The app over the sample catalog."""
    return create_app(sample_catalog_url)


@pytest.fixture(scope="session")
def pages_client(sample_app: FastAPI) -> Iterator[TestClient]:
    """A test client of the sample app (redirects not followed)."""
    with TestClient(sample_app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def sample_ids(sample_catalog_url: str) -> dict[str, str]:
    """Catalog id by event name, for every sample event."""
    with open_catalog(sample_catalog_url) as catalog:
        page = catalog.query(EventQuery(limit=1000))
    return {event.name: event.id for event in page.events}


@pytest.fixture(scope="session")
def live_server(sample_catalog_url: str, serve_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app over the sample catalog on uvicorn in a background thread; yields its base URL."""
    with serve_app(create_app(sample_catalog_url)) as base_url:
        yield base_url


@pytest.fixture
def browser_page(browser, live_server: str):  # type: ignore[no-untyped-def]
    """A fresh page (1280x900) in its own context; its ``base_url`` is the live server's."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
