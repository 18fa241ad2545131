"""Cities facing similar challenges, compared by the topics of their events, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from cityevents.catalog import Catalog
from cityevents.catalog.similarity import similar_cities
from cityevents.model import Event

MIXES = {
    "Rotterdam": ("NL", ["water", "climate-resilience", "energy"]),
    "Hamburg": ("DE", ["water", "climate-resilience", "mobility"]),
    "Lisbon": ("PT", ["mobility", "tourism-culture"]),
    "Nairobi": ("KE", ["urban-farming", "housing"]),
}


def _fill(catalog: Catalog, make_event: Callable[..., Event]) -> None:
    events = []
    for number, (city, (country, topics)) in enumerate(MIXES.items()):
        for offset, topic in enumerate(topics):
            event = make_event(name=f"{city} Forum {offset}", start=date(2024, 3, 1 + number * 5 + offset),
                               city=city, country_code=country)
            event.topics = [topic]
            events.append(event)
    catalog.ingest_document("mixes.txt", events, content_hash="h")


def test_cities_sharing_concerns_rank_first(catalog: Catalog, make_event: Callable[..., Event]) -> None:
    _fill(catalog, make_event)
    found = similar_cities(catalog, "rotterdam")
    assert [s.city for s in found][:1] == ["Hamburg"]
    assert set(found[0].shared_topics) == {"water", "climate-resilience"}
    assert 0 < found[0].score <= 1
    assert "Nairobi" not in [s.city for s in found]  # nothing in common


def test_unknown_city_has_no_neighbours(catalog: Catalog, make_event: Callable[..., Event]) -> None:
    _fill(catalog, make_event)
    assert similar_cities(catalog, "Atlantis") == []
