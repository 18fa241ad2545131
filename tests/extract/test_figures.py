"""find_figures: audience and scale figures, and the counts it must leave alone."""

from __future__ import annotations

import pytest

from cityevents.extract.figures import find_figures
from cityevents.model import Figure


def _summary(text: str) -> list[tuple[str, int | float, str | None, int | None]]:
    return [(f.label, f.value, f.qualifier, f.year) for f in find_figures(text)]


def test_european_thousands_and_year_of_the_sentence() -> None:
    text = "In 2021 the forum drew close to 12.500 visitors, 140 sessions and 310 exhibitors."
    assert _summary(text) == [
        ("visitors", 12500, "close to", 2021),
        ("sessions", 140, None, 2021),
        ("exhibitors", 310, None, 2021),
    ]


def test_two_qualified_figures_and_filler_dropped_from_label() -> None:
    text = "The fair gathers over 2,500 senior level decision makers and over 9,000 attendees each spring."
    assert _summary(text) == [
        ("senior decision makers", 2500, "over", None),
        ("attendees", 9000, "over", None),
    ]


def test_figure_keeps_the_words_it_was_read_from() -> None:
    [figure] = find_figures("Expect nearly 3.000 delegates.")
    expected = Figure(label="delegates", value=3000, qualifier="nearly", text="nearly 3.000 delegates")
    assert figure == expected


def test_counted_noun_after_preposition_gets_its_own_figure() -> None:
    text = "The jury honoured 15 innovators from 420 international entries."
    assert _summary(text) == [("innovators", 15, None, None), ("international entries", 420, None, None)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20,000 participants", 20000),
        ("20.000 participants", 20000),
        ("20 000 participants", 20000),
        ("20\u00a0000 participants", 20000),
        ("1.5 million visitors", 1_500_000),
        ("1,5 million visitors", 1_500_000),
        ("2 thousand speakers", 2000),
        ("4k attendees", 4000),
        ("1,250,000 visitors", 1_250_000),
    ],
)
def test_number_forms(text: str, value: int) -> None:
    [figure] = find_figures(text)
    assert figure.value == value
    assert isinstance(figure.value, int)


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("almost 800 mayors", "almost"),
        ("More than 800 mayors", "more than"),
        ("up to 800 mayors", "up to"),
        ("around 800 mayors", "around"),
        ("about 800 mayors", "about"),
        ("some 800 mayors", "some"),
        ("approximately 800 mayors", "approximately"),
        ("approx. 800 mayors", "approximately"),
        ("at least 800 mayors", "at least"),
        ("close to 800 mayors", "close to"),
        ("800+ mayors", "over"),
        ("800 mayors", None),
    ],
)
def test_qualifiers(text: str, qualifier: str | None) -> None:
    [figure] = find_figures(text)
    assert (figure.value, figure.qualifier) == (800, qualifier)


def test_plus_suffix() -> None:
    assert _summary("Meet 350+ exhibitors and 60+ startups.") == [
        ("exhibitors", 350, "over", None),
        ("startups", 60, "over", None),
    ]


def test_hyphenated_and_compound_counted_nouns_are_normalised() -> None:
    assert _summary("It hosts 120 start-ups, 45 decision-makers and 30 city leaders.") == [
        ("startups", 120, None, None),
        ("decision makers", 45, None, None),
        ("city leaders", 30, None, None),
    ]


def test_countries_and_cities_count_as_scale() -> None:
    assert _summary("Delegations from 64 countries and 210 cities took part.") == [
        ("countries", 64, None, None),
        ("cities", 210, None, None),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Vienna (Austria), 3-4 October 2025",
        "The 9th edition opens on 12 May.",
        "Building 21st century cities.",
        "The sector accounts for over 40% of GDP.",
        "The city has grown its digital economy to 310 billion yuan.",
        "a 2-day conference and expo",
        "The programme falls into 3 categories.",
        "developed along 4 main thematic streams",
        "discussions on the 9 Demonstration Projects",
        "field visits organised by 5 EU-funded projects",
        "connects 13 business sectors",
        "roll out the solutions across five other European cities",
        "roll out the solutions across 5 other European cities",
        "launching over 400 smart city projects with a 12.5 billion yuan investment",
        "research developed in the past 3 years",
        "A budget of $5 million for investors.",
        "Opening session at 10:30 sessions hall",
        "over 100 organisations partnering in them",
        "2.5 visitors per stand",
    ],
)
def test_descriptive_counts_and_non_figures_are_skipped(text: str) -> None:
    assert find_figures(text) == []


def test_bare_year_before_a_counted_noun_is_not_a_count() -> None:
    assert find_figures("In 2024 participants can join online.") == []
    assert _summary("It welcomed 2000 participants.") == [("participants", 2000, None, None)]


def test_year_only_from_time_or_edition_cues() -> None:
    text = (
        "The 2023 edition welcomed 300 speakers. Since 2015, over 5,000 mayors attended. "
        "Last year's edition drew 800 visitors. The 2024 Urban Awards recognised 40 finalists."
    )
    assert [f.year for f in find_figures(text)] == [2023, None, None, None]


def test_nearest_stated_year_in_the_sentence_wins() -> None:
    text = "In 2025 the fair expects 5,000 visitors, up from 3,100 visitors in 2024."
    assert [(f.value, f.year) for f in find_figures(text)] == [(5000, 2025), (3100, 2024)]


def test_year_does_not_leak_across_sentences() -> None:
    text = "In 2019 the series began.\nOver 700 delegates are expected."
    assert _summary(text) == [("delegates", 700, "over", None)]


def test_large_text_is_handled_quickly() -> None:
    text = "Around 1.200 visitors and 45 speakers joined in 2022. " * 2000
    figures = find_figures(text)
    assert len(figures) == 4000
    assert figures[-1].year == 2022


def test_year_in_an_event_name_is_not_a_count() -> None:
    text = "The Smart Mobility Summit 2021 brings together mayors, planners and start-ups."
    assert find_figures(text) == []
    assert find_figures("Join the Urban Expo 2024 delegates lounge.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The forum drew 2,000 participants.", ("participants", 2000, None)),
        ("The Forum drew over 2000 delegates.", ("delegates", 2000, "over")),
        ("The Expo counted 1500 visitors.", ("visitors", 1500, None)),
        ("Meet 2000 delegates in Lisbon.", ("delegates", 2000, None)),
        ("It welcomed 2000 participants.", ("participants", 2000, None)),
    ],
)
def test_counts_near_names_and_at_sentence_starts_still_count(
    text: str, expected: tuple[str, int, str | None]
) -> None:
    [figure] = find_figures(text)
    assert (figure.label, figure.value, figure.qualifier) == expected


@pytest.mark.parametrize(
    "text", ["Almost 3.000 Participants and 45 SPEAKERS.", "Kraków: almost 3.000 Participants and 45 SPEAKERS."]
)
def test_case_and_accents_do_not_change_what_is_read(text: str) -> None:
    assert _summary(text) == [("participants", 3000, "almost", None), ("speakers", 45, None, None)]


def test_two_word_noun_must_end_within_five_words() -> None:
    assert find_figures("It gathers 5 top level high record decision makers.") == []
    assert _summary("It gathers 5 top level high decision-makers.") == [("decision makers", 5, None, None)]


def test_year_is_read_from_the_start_of_a_long_sentence() -> None:
    middle = "with tours and talks on mobility, energy and data " * 6
    text = f"Opening remarks.\n\nIn 2021 the forum, {middle}drew 500 visitors. In 2022 it rested."
    assert _summary(text) == [("visitors", 500, None, 2021)]


def test_qualifiers_and_scales_in_unusual_case_forms_are_read_not_crashed_on() -> None:
    figures = find_figures("ſome 800 mayors, İn excess of 20 speakers and 5 MİLLİON visitors.")
    assert [(f.label, f.value, f.qualifier) for f in figures] == [
        ("mayors", 800, "some"), ("speakers", 20, "over"), ("visitors", 5_000_000, None)
    ]


def test_a_founding_year_is_not_the_year_a_figure_describes() -> None:
    text = "Nordic Edge was founded in 2013 in Stavanger and has since grown to host over 5,000 visitors."
    [figure] = find_figures(text)
    assert (figure.value, figure.year) == (5000, None)
    [figure] = find_figures("Set up in 2015, the forum welcomed 900 delegates in 2023.")
    assert figure.year == 2023
