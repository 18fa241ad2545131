"""Which cities face similar challenges: cities compared by the topic mix of their events.

Each city is a vector of topic counts over its events (mobility 4, energy 2, ...). Two cities are
as similar as the cosine of their vectors, each topic weighted by its inverse document frequency
across cities, so that a topic every city has (say, digital government) counts less than a rarer
shared concern (urban farming). Transparent on purpose: the shared topics are returned with the
score, so a page can say *why* two cities are alike.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from cityevents.catalog.schema import event_topics, events
from cityevents.catalog.store import Catalog
from cityevents.model import fold

MIN_SCORE = 0.05


@dataclass(frozen=True)
class SimilarCity:
    """A city whose events share concerns with another's."""

    city: str
    country_code: str | None
    score: float  # cosine similarity of the weighted topic mixes, 0..1
    shared_topics: tuple[str, ...]  # strongest shared concern first


def topic_mix(catalog: Catalog) -> dict[str, tuple[str, str | None, dict[str, int]]]:
    """For every city key: its display name, country code and topic counts."""
    statement = (
        sa.select(events.c.city_key, sa.func.min(events.c.city), sa.func.min(events.c.country_code),
                  event_topics.c.topic, sa.func.count())
        .select_from(events.join(event_topics))
        .where(events.c.city_key.is_not(None))
        .group_by(events.c.city_key, event_topics.c.topic)
    )
    cities: dict[str, tuple[str, str | None, dict[str, int]]] = {}
    with catalog.engine.connect() as conn:
        for key, name, country, topic, count in conn.execute(statement):
            cities.setdefault(key, (name, country, {}))[2][topic] = int(count)
    return cities


def similar_cities(catalog: Catalog, city: str, *, limit: int = 5) -> list[SimilarCity]:
    """The cities most alike ``city`` by what their events are about.

    Args:
        catalog: the catalog to compare within.
        city: a city name, case and accents ignored.
        limit: at most this many cities.

    Returns:
        Other cities, most similar first; empty when the city has no topics in the catalog.
    """
    mixes = topic_mix(catalog)
    target = mixes.get(fold(city))
    if target is None:
        return []
    weights = _idf(mixes)
    target_vector = _weighted(target[2], weights)
    found = []
    for key, (name, country, topics) in mixes.items():
        if key == fold(city):
            continue
        vector = _weighted(topics, weights)
        score = _cosine(target_vector, vector)
        if score >= MIN_SCORE:
            shared = sorted(set(target_vector) & set(vector), key=lambda t: -(target_vector[t] * vector[t]))
            found.append(SimilarCity(name, country, round(score, 3), tuple(shared)))
    return sorted(found, key=lambda s: (-s.score, s.city))[:limit]


def _idf(mixes: dict[str, tuple[str, str | None, dict[str, int]]]) -> dict[str, float]:
    having: defaultdict[str, int] = defaultdict(int)
    for _, _, topics in mixes.values():
        for topic in topics:
            having[topic] += 1
    total = len(mixes)
    return {topic: math.log((1 + total) / (1 + n)) + 1 for topic, n in having.items()}


def _weighted(topics: dict[str, int], weights: dict[str, float]) -> dict[str, float]:
    return {topic: count * weights[topic] for topic, count in topics.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(value * b[topic] for topic, value in a.items() if topic in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0
