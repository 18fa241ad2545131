"""TAXONOMY, classify_topics and explain_topics."""

from __future__ import annotations

import re

import pytest

from cityevents.extract.topics import TAXONOMY, Topic, classify_topics, explain_topics

REQUIRED = (
    "mobility energy climate-resilience digital-government data-ai iot-privacy health finance buildings "
    "urban-farming circular-economy water governance-participation equity-inclusion urban-planning "
    "safety-security tourism-culture education housing"
).split()


def test_taxonomy_is_complete_data() -> None:
    assert set(REQUIRED) <= set(TAXONOMY)
    for topic_id, topic in TAXONOMY.items():
        assert isinstance(topic, Topic)
        assert topic.id == topic_id and re.fullmatch(r"[a-z]+(?:-[a-z]+)*", topic_id)
        assert topic.label and topic.description and topic.keywords


def test_every_keyword_classifies_its_own_topic() -> None:
    for topic in TAXONOMY.values():
        for keyword in topic.keywords:
            assert topic.id in explain_topics(f"Talks on {keyword} today"), (topic.id, keyword)


@pytest.mark.parametrize(
    ("text", "topic_id"),
    [
        ("New bike lanes and a tram extension", "mobility"),
        ("Rooftop solar and district heating", "energy"),
        ("Preparing for floods and heatwaves", "climate-resilience"),
        ("E-government portals for residents", "digital-government"),
        ("Machine learning on open data", "data-ai"),
        ("Sensors, the Internet of Things and privacy", "iot-privacy"),
        ("Telemedicine for elderly care", "health"),
        ("Green bonds and municipal finance", "finance"),
        ("Retrofitting social buildings", "buildings"),
        ("Vertical farming against food deserts", "urban-farming"),
        ("Recycling and zero waste strategies", "circular-economy"),
        ("Stormwater and wastewater networks", "water"),
        ("Participatory budgeting and civic engagement", "governance-participation"),
        ("Closing the digital divide for women", "equity-inclusion"),
        ("Urban regeneration and land use", "urban-planning"),
        ("Cybersecurity for critical systems", "safety-security"),
        ("Heritage sites and smart tourism", "tourism-culture"),
        ("Digital skills in schools", "education"),
        ("Affordable housing for tenants", "housing"),
        ("Public Wi-Fi and 5G rollout", "connectivity"),
        ("Better air quality and biodiversity", "environment"),
    ],
)
def test_each_topic_is_reachable(text: str, topic_id: str) -> None:
    assert topic_id in classify_topics(text)


def test_ordered_by_evidence_then_first_appearance() -> None:
    text = "Housing forum. Energy efficiency, solar panels, heat pumps and energy storage. Water."
    assert classify_topics(text) == ["energy", "housing", "water"]


def test_longest_phrase_wins_and_is_one_hit() -> None:
    assert explain_topics("Public transport and food security") == {
        "mobility": ["public transport"],
        "urban-farming": ["food security"],
    }


def test_phrase_listed_under_two_topics_counts_for_both() -> None:
    assert explain_topics("Inclusive finance") == {
        "finance": ["inclusive finance"],
        "equity-inclusion": ["inclusive finance"],
    }


def test_hyphens_spaces_case_dots_and_plurals() -> None:
    evidence = explain_topics("DATA DRIVEN cities, Generative A.I., e-scooters, smart grids, new buses")
    assert evidence["data-ai"] == ["data-driven", "generative a.i."]
    assert evidence["mobility"] == ["e-scooter", "bus"]
    assert evidence["energy"] == ["smart grid"]


def test_whole_words_only() -> None:
    assert classify_topics("Businesses, metropolitan currents and treaties") == []
    assert classify_topics("Sustainable innovation for smart cities") == []


def test_explain_lists_distinct_phrases_but_classify_counts_occurrences() -> None:
    text = "Water, water, water. Energy and solar."
    assert explain_topics(text)["water"] == ["water"]
    assert classify_topics(text) == ["water", "energy"]
    assert classify_topics(text, min_hits=3) == ["water"]


def test_empty_text() -> None:
    assert classify_topics("") == []
    assert explain_topics("") == {}


def test_long_text_is_linear() -> None:
    text = "Mobility, energy and housing for inclusive, resilient cities. " * 5000
    assert classify_topics(text)[:3] == ["mobility", "energy", "housing"]


def test_building_as_a_verb_is_not_evidence() -> None:
    assert "buildings" not in classify_topics("Building the cities of tomorrow")
    assert classify_topics("Green buildings and building renovation") == ["buildings"]


def test_any_non_alphanumeric_character_separates_words() -> None:
    assert explain_topics("Public’transport, data_driven planning, e–scooters and bike‐sharing") == {
        "mobility": ["public transport", "e-scooter", "bike sharing"],
        "data-ai": ["data-driven"],
    }


def test_lone_surrogates_are_separators() -> None:
    assert classify_topics("Water \udc80 energy, water") == ["water", "energy"]
