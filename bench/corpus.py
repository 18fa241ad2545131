"""A reproducible corpus of varied announcement text for the benchmarks.

Listings, press releases and articles are generated from templates with a seeded random
generator, so every run measures the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

CITIES = [
    ("Lisbon", "Portugal"), ("Oslo", "Norway"), ("Austin", "USA"), ("Lyon", "France"), ("Kraków", "Poland"),
    ("Seoul", "South Korea"), ("Nairobi", "Kenya"), ("Melbourne", "Australia"), ("Toronto", "Canada"),
    ("Bogotá", "Colombia"), ("Zurich", "Switzerland"), ("Tallinn", "Estonia"), ("Dubai", "UAE"),
    ("Singapore", "Singapore"), ("Rotterdam", "the Netherlands"), ("Bilbao", "Spain"), ("Turin", "Italy"),
    ("Aarhus", "Denmark"), ("Curitiba", "Brazil"), ("Pune", "India"),
]
PREFIXES = ["Smart", "Future", "Urban", "Digital", "Resilient", "Green", "Connected", "Open"]
CORES = ["Cities", "Mobility", "Energy", "Data", "Infrastructure", "Government", "Water", "Streets"]
KINDS = ["Summit", "Forum", "Expo", "Congress", "Week", "Conference", "Days", "Fair"]
TOPIC_SENTENCES = [
    "Sessions cover electric buses, shared micromobility and safer streets for cyclists.",
    "Speakers will discuss open data platforms, artificial intelligence and digital twins.",
    "The programme tackles heatwaves, flood protection and climate adaptation plans.",
    "Energy communities, district heating and positive energy districts are on the agenda.",
    "Workshops look at e-government services, digital identity and citizen participation.",
    "Exhibitors show sensors, IoT networks and privacy-preserving analytics for cities.",
    "Urban farming, food deserts and green roofs feature in the afternoon tracks.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(PREFIXES)} {rng.choice(CORES)} {rng.choice(KINDS)} {rng.randint(2019, 2026)}"


def _range(rng: random.Random) -> tuple[date, date, str]:
    start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 700))
    end = start + timedelta(days=rng.randint(0, 3))
    if start.month == end.month:
        text = f"{start.day}-{end.day} {MONTHS[start.month - 1]} {start.year}" if end != start else \
            f"{start.day} {MONTHS[start.month - 1]} {start.year}"
    else:
        text = f"{MONTHS[start.month - 1][:3]} {start.day} - {MONTHS[end.month - 1][:3]} {end.day}, {end.year}"
    return start, end, text


def listing(rng: random.Random, n_events: int) -> str:
    parts = ["Upcoming smart city events", ""]
    for _ in range(n_events):
        city, country = rng.choice(CITIES)
        _, _, when = _range(rng)
        name = _name(rng)
        parts += [
            name, "", f"  • {city} ({country}), {when}", "",
            f"The {name} brings together mayors, planners and start-ups. Since 2015 it has grown every year.",
            " ".join(rng.sample(TOPIC_SENTENCES, 3)),
            f"In 2023 it reached almost {rng.randint(2, 30)}.000 participants and over {rng.randint(50, 400)} sessions.",
            f"The event is organised by the City of {city} and Urban Futures Network.",
            "", "",
        ]
    return "\n".join(parts)


def press_release(rng: random.Random) -> str:
    city, country = rng.choice(CITIES)
    end = date(2024, 1, 1) + timedelta(days=rng.randint(0, 700))
    published = end + timedelta(days=rng.randint(2, 9))
    name = _name(rng)
    return "\n\n".join([
        f"{city}, {published:%b}. {published.day:02d}, {published.year} (GLOBE NEWSWIRE) -- The {name} "
        f"successfully concluded on {MONTHS[end.month - 1]} {end.day}th. The three-day conference gathered "
        f"more than {rng.randint(100, 900)} speakers.",
        " ".join(rng.sample(TOPIC_SENTENCES, 4)),
        f"Organizers expect the city to reach carbon neutrality by 2050, with {rng.randint(10, 90)}% of trips "
        "made by public transport.",
    ])


def documents(total_bytes: int, seed: int = 7) -> Iterator[str]:
    """Documents until ``total_bytes`` of UTF-8 text have been produced."""
    rng = random.Random(seed)
    produced = 0
    while produced < total_bytes:
        doc = listing(rng, rng.randint(3, 12)) if rng.random() < 0.7 else press_release(rng)
        produced += len(doc.encode())
        yield doc
