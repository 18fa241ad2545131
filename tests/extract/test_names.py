"""Names: headings, casing slips, acronyms, subjects of describing sentences."""

from __future__ import annotations

import pytest

from cityevents.extract.names import (
    clean_name,
    event_names_in,
    first_sentence,
    fix_miscased,
    has_event_word,
    is_venue,
    looks_like_heading,
    name_from_sentence,
    section_year,
)


@pytest.mark.parametrize(
    ("raw", "name", "aliases", "edition"),
    [
        ("Smart CIty Forum Oslo", "Smart City Forum Oslo", [], None),
        ("Nordic Water Summit (NWS)", "Nordic Water Summit", ["NWS"], None),
        ("  • 4th Urban Data Days", "4th Urban Data Days", [], "4th"),
        ("Mobility Week 2025 (MW25)", "Mobility Week 2025", ["MW25"], "2025"),
        ("Open Streets Expo (in Spanish)", "Open Streets Expo (in Spanish)", [], None),
        ("IoT Week", "IoT Week", [], None),
    ],
)
def test_clean_name(raw: str, name: str, aliases: list[str], edition: str | None) -> None:
    cleaned = clean_name(raw)
    assert (cleaned.name, cleaned.aliases, cleaned.edition) == (name, aliases, edition)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Green Buildings Forum", True),
        ("RE-thinking Transport", True),
        ("The forum brings together planners from across the region.", False),
        ("  • Enabling shared energy markets", False),
        ("(Panels and site visits organised by 5 EU projects)", False),
        ("Read more", False),
        ("Key topics include:", False),
        ("Date: 4 May 2024", False),
        ("Smart Mobility Forum Inc.", True),
        ("(Draft) Forum", True),
        ("Forum 2024!", False),
        ("Read more...", False),
        ("One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen", False),
    ],
)
def test_looks_like_heading(line: str, expected: bool) -> None:
    assert looks_like_heading(line) is expected


@pytest.mark.parametrize(
    ("line", "year"),
    [
        ("Upcoming urban events in 2025", 2025),
        ("Conference calendar 2026", 2026),
        ("Digital Twin Summit 2025", None),
        ("Events in 2024 and 2025", None),
    ],
)
def test_section_year(line: str, year: int | None) -> None:
    assert section_year(line) == year


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("The Baltic Smart Ports Forum gathers harbour cities every spring.", "Baltic Smart Ports Forum"),
        ("The GREEN STREETS summit is an event about trees and shade.", "GREEN STREETS summit"),
        ("This year's Open Data Day (ODD) will take place online.", "Open Data Day"),
        ("The city council approved a new budget on Monday.", None),
        ("Mayors from twelve cities met to discuss housing.", None),
    ],
)
def test_name_from_sentence(sentence: str, name: str | None) -> None:
    found = name_from_sentence(sentence)
    assert (found.name if found else None) == name


def test_first_sentence_reads_past_abbreviations() -> None:
    text = "Dr. Ana Silva opens the St. Louis Forum in the U.S. on Monday. More later."
    assert first_sentence(text) == "Dr. Ana Silva opens the St. Louis Forum in the U.S. on Monday."


def test_casing_slips_are_fixed_only_at_the_start_of_a_word() -> None:
    assert fix_miscased("xCIty (SMart Forum) CIty") == "xCIty (Smart Forum) City"


def test_a_date_before_the_event_word_is_no_part_of_the_name() -> None:
    text = "Join us in Cape Town on 18 September 2024 for the Africa Smart Cities Innovation Summit."
    assert [name for name, _ in event_names_in(text)] == ["Africa Smart Cities Innovation Summit"]
    text = "The Genoa Blue Economy Forum on 18-19 September 2024 covers ports."
    assert [name for name, _ in event_names_in(text)] == ["Genoa Blue Economy Forum"]


def test_an_announced_event_is_named_after_its_organisation() -> None:
    assert clean_name("EUROCITIES announced today that its annual conference").name == "EUROCITIES annual conference"
    assert clean_name("Smart Cities Connect Spring Conference").name == "Smart Cities Connect Spring Conference"


def test_a_phrase_ending_in_a_venue_word_is_no_event_name() -> None:
    assert not has_event_word("Kuala Lumpur Convention Centre")
    assert is_venue("Kuala Lumpur Convention Centre")
    assert [n for n, _ in event_names_in("Experts meet at the Swedish Exhibition & Congress Centre in May.")] == []


def test_a_call_to_action_and_a_middle_dot_are_no_part_of_a_name() -> None:
    assert clean_name("Join us at CityTech Chicago").name == "CityTech Chicago"
    assert clean_name("Urban Future Global Conference ·").name == "Urban Future Global Conference"


def test_a_parenthesised_aside_ends_the_subject_but_an_acronym_does_not() -> None:
    aside = name_from_sentence("The Harbour Innovation Summit 2025 (18–19 March, ICC Sydney) will bring 900 people.")
    assert aside is not None and aside.name == "Harbour Innovation Summit 2025"
    acronym = name_from_sentence("The Harbour Innovation Summit (HIS) will bring 900 people.")
    assert acronym is not None and acronym.name == "Harbour Innovation Summit"
