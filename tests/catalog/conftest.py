"""Catalog fixtures: events to store (the databases themselves come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from cityevents.model import Event, Source


@pytest.fixture
def make_event() -> Callable[..., Event]:
    """Build an Event with sensible defaults and a source for ``document``."""

    def build(name: str = "Smart City Expo World Congress", start: date | None = date(2023, 11, 7),
              *, document: str = "doc-a", extractor: str = "text", published: date | None = None,
              **fields: Any) -> Event:
        fields.setdefault("end", start)
        fields.setdefault("city", "Barcelona")
        fields.setdefault("country", "Spain")
        fields.setdefault("country_code", "ES")
        source = Source(document=document, extractor=extractor, published=published)
        return Event(name=name, start=start, sources=[source], **fields)

    return build
