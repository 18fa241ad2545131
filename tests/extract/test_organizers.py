"""find_organizers: cue phrases, list splitting, and the non-names it must drop."""

from __future__ import annotations

import pytest

from cityevents.extract.organizers import find_organizers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The summit is organised by Metropolis Network.", ["Metropolis Network"]),
        ("The summit is organized by the Urban Mobility Council.", ["Urban Mobility Council"]),
        ("Hosted by the City of Ghent, the forum returns in May.", ["City of Ghent"]),
        ("Presented by Nordic Innovation House.", ["Nordic Innovation House"]),
        ("Brought to you by GreenTech Alliance and UrbanLab.", ["GreenTech Alliance", "UrbanLab"]),
        ("It is an initiative of the Council of Baltic Towns.", ["Council of Baltic Towns"]),
        ("The expo is an event of Messe Stuttgart.", ["Messe Stuttgart"]),
        ("Co-organized by Eurocities & Energy Cities.", ["Eurocities", "Energy Cities"]),
        ("The day is held in partnership with Climate Alliance.", ["Climate Alliance"]),
        ("The congress is co-hosted by the Province of Utrecht.", ["Province of Utrecht"]),
    ],
)
def test_cue_phrases(text: str, expected: list[str]) -> None:
    assert find_organizers(text) == expected


def test_driven_by_list_with_acronym_then_co_organised_with() -> None:
    text = (
        "The meeting is a European initiative driven by Covenant of Mayors Europe and the European "
        "Investment Bank (EIB), and will now be co-organised with the City of Aarhus for the 2026 edition."
    )
    expected = ["Covenant of Mayors Europe", "European Investment Bank", "City of Aarhus"]
    assert find_organizers(text) == expected


def test_connector_words_inside_names() -> None:
    text = "Organised by ICLEI Local Governments for Sustainability and the Ministry of the Interior."
    assert find_organizers(text) == ["ICLEI Local Governments for Sustainability", "Ministry of the Interior"]


def test_generic_items_in_a_list_are_skipped_but_names_kept() -> None:
    text = (
        "This joint effort between the local government, conference organizers, and Lisbon Digital Agency "
        "revolved around the theme of open cities."
    )
    assert find_organizers(text) == ["Lisbon Digital Agency"]


def test_counts_and_common_nouns_are_not_organizers() -> None:
    text = (
        "The two-day event, co-organised by REGEN4ALL and 8 EU-funded projects (Horizon Europe) and "
        "over 60 organisations partnering in them, is open to all."
    )
    assert find_organizers(text) == ["REGEN4ALL"]


def test_list_of_projects_in_parentheses_gives_nothing() -> None:
    assert find_organizers("(Panels and site visits organised by 4 EU-funded projects)") == []


def test_event_from_organization() -> None:
    text = "It is the Asian edition of the flagship expo, the leading event for cities from Messe Frankfurt."
    assert find_organizers(text) == ["Messe Frankfurt"]


@pytest.mark.parametrize(
    "text",
    [
        "The leading event for mayors from cities across Europe.",
        "The event is bringing together speakers from EU institutions.",
        "The leading event for cities from Germany.",
        "Urban transformation driven by artificial intelligence took the spotlight.",
        "A transformation driven by AI and IoT.",
        "The awards, powered by Global Smart Awards, celebrated winners.",
        "Organised by the local government and conference organizers.",
        "Previous partners, such as the Resilient Towns Network, are back.",
        "A summit hosted by EU institutions.",
        "Organised by Conference Organizers.",
    ],
)
def test_no_organizer(text: str) -> None:
    assert find_organizers(text) == []


def test_international_events_of() -> None:
    text = "It belongs to the international events of Fira Milano International. The show runs yearly."
    assert find_organizers(text) == ["Fira Milano International"]


def test_active_voice() -> None:
    assert find_organizers("Every June the Port of Antwerp hosts the conference.") == ["Port of Antwerp"]
    assert find_organizers("The Smart Region Agency organises the event.") == ["Smart Region Agency"]


def test_abbreviations_accents_and_whitespace() -> None:
    text = "Organized by the U.S. Department of Energy. Hosted by the Municipality of Łódź\u00a0Region."
    assert find_organizers(text) == ["U.S. Department of Energy", "Municipality of Łódź Region"]


def test_deduplicated_in_order_of_appearance() -> None:
    text = (
        "Hosted by Urban Hub Oslo and Nordic Cities. The next edition is again organised by the "
        "urban hub oslo team? No: organised by Nordic Cities and Urban Hub Oslo."
    )
    assert find_organizers(text) == ["Urban Hub Oslo", "Nordic Cities"]


def test_labelled_organizer_lines() -> None:
    assert find_organizers("Organisers: City of Lyon, Metropole de Lyon and ADEME\nMore text.") == [
        "City of Lyon", "Metropole de Lyon", "ADEME"]
    assert find_organizers("Host: Delta Cities Network") == ["Delta Cities Network"]


def test_cue_after_an_earlier_sentence_with_a_cue_word() -> None:
    # "with" in the first sentence is no cue; the cue is only searched for sentence by sentence.
    text = "The forum is run with care. It is organised by Metropolis Network and Nordic Cities."
    assert find_organizers(text) == ["Metropolis Network", "Nordic Cities"]


def test_several_cues_in_one_sentence_and_a_cue_across_a_line_break() -> None:
    text = "Hosted by Nordic Cities; presented by GreenTech Alliance. A day with talks, co-hosted\nby Oslo."
    assert find_organizers(text) == ["Nordic Cities", "GreenTech Alliance", "Oslo"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Letters whose case folding differs from str.lower(): the patterns still decide.
        ("Organiſed by Urban Lab. Hosted by the Port of Antwerp.", ["Urban Lab", "Port of Antwerp"]),
        ("Organised by İzmir Metropolitan Municipality and Smart Istanbul.",
         ["İzmir Metropolitan Municipality", "Smart Istanbul"]),
        ("Organised by the Municipality of Łódź. Hosted by Urban Lab Kraków.",
         ["Municipality of Łódź", "Urban Lab Kraków"]),
    ],
)
def test_non_ascii_text(text: str, expected: list[str]) -> None:
    assert find_organizers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Organized by Fira Barcelona and Qatar's Ministry of Communications and Information Technology.",
         ["Fira Barcelona", "Qatar's Ministry of Communications and Information Technology"]),
        ("Co-organised by the Chamber of Commerce & Industry and the City of Pune.",
         ["Chamber of Commerce & Industry", "City of Pune"]),
        ("Organised by the University of Ghent and Imec.", ["University of Ghent", "Imec"]),
        ("Organised by the City of Lisbon and Urban Futures Network.", ["City of Lisbon", "Urban Futures Network"]),
    ],
)
def test_and_inside_a_name_of_fields(text: str, expected: list[str]) -> None:
    assert find_organizers(text) == expected
