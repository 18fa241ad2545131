"""Moderation fixtures: a fresh catalog per test, the app over it with a mocked fetcher, tokens, a browser.

Submitted URLs are fetched through the real :class:`~cityevents.ingest.fetch.Fetcher` (SSRF guard
included) over an ``httpx.MockTransport``; :data:`HOSTS` is the fake DNS: ``events.example`` is a
public address, ``intranet.example`` a private one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cityevents.catalog import Catalog
from cityevents.catalog.moderation import Moderation
from cityevents.ingest.fetch import Fetcher
from cityevents.web.app import create_app
from cityevents.web.moderation import submission_fetcher

YEAR = date.today().year + 1  # submitted events are upcoming, so the home page lists them
HOSTS = {"events.example": "93.184.216.34", "intranet.example": "10.0.0.7"}
ANNOUNCEMENT = (f"The Ghent Smart Mobility Days will take place in Ghent, Belgium on 14-15 October {YEAR}. "
                "The event is organised by the City of Ghent and covers cycling, public transport and data.")
PAGE = (f"<html><head><title>Tallinn Digital Twin Forum</title></head><body><main><h1>Tallinn Digital Twin Forum</h1>"
        f"<p>Tallinn, Estonia, 3 June {YEAR}. Cities meet to share digital twins.</p></main></body></html>")


@dataclass(frozen=True)
class Tokens:
    """Plain tokens for each role (what a user would paste)."""

    admin: str
    moderator: str

    @staticmethod
    def header(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def _serve(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/robots.txt":
        return httpx.Response(404)
    if request.url.host == "events.example" and request.url.path == "/forum":
        return httpx.Response(200, text=PAGE, headers={"content-type": "text/html; charset=utf-8"})
    return httpx.Response(404)


def mock_fetcher() -> Iterator[Fetcher]:
    """The submissions' Fetcher over the fake network (guard on, fake DNS)."""
    with Fetcher(cache_dir=None, transport=httpx.MockTransport(_serve), retries=0,
                 resolver=lambda host, port: [HOSTS.get(host, host)]) as fetcher:
        yield fetcher


@pytest.fixture
def announcement() -> str:
    """Pasted text announcing one upcoming event, the Ghent Smart Mobility Days (14-15 October next year)."""
    return ANNOUNCEMENT


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    """The app over an empty catalog, fetching through :func:`mock_fetcher`."""
    application = create_app(f"sqlite:///{tmp_path / 'catalog.db'}")
    application.dependency_overrides[submission_fetcher] = mock_fetcher
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def catalog(app: FastAPI) -> Catalog:
    """The app's catalog."""
    opened: Catalog = app.state.catalog
    return opened


@pytest.fixture
def moderation(catalog: Catalog) -> Moderation:
    return Moderation(catalog)


@pytest.fixture
def tokens(moderation: Moderation) -> Tokens:
    """An admin token ("root") and a moderator token ("mia")."""
    return Tokens(admin=moderation.create_token("root", "admin")[1],
                  moderator=moderation.create_token("mia", "moderator")[1])


@pytest.fixture
def live_app(app: FastAPI, serve_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """:func:`app` on uvicorn in a background thread; yields its base URL."""
    with serve_app(app) as base_url:
        yield base_url


@pytest.fixture
def page(browser, live_app: str):  # type: ignore[no-untyped-def]
    """A fresh page (1280x900) in its own context, ``base_url`` the live app's."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_app)
    new_page = context.new_page()
    new_page.set_default_timeout(20_000)  # the first extraction loads the gazetteer
    yield new_page
    context.close()
