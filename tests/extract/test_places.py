"""find_place_mentions: pair patterns, "in City", country mentions, common-word guards, robustness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityevents.extract.gazetteer import get_gazetteer
from cityevents.extract.places import (
    IN_BEFORE,
    IN_WORD,
    PAIR_GAP_START,
    PAIR_GAPS,
    PlaceMention,
    _after_in,
    _in_before,
    _phrases,
    find_place_mentions,
)


def only(text: str) -> PlaceMention:
    mentions = find_place_mentions(text)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "pattern", "matched", "city", "code"),
    [
        ("• Barcelona (Spain), 7-9 November", "city (country)", "Barcelona (Spain)", "Barcelona", "ES"),
        ("Neuchatel (Switzerland), 31 October", "city (country)", "Neuchatel (Switzerland)", "Neuchâtel", "CH"),
        ("New York CIty (USA), 3-4 October", "city (country)", "New York CIty (USA)", "New York City", "US"),
        ("Brno (Czech Republic), 4-6 June", "city (country)", "Brno (Czech Republic)", "Brno", "CZ"),
        ("Frankfurt am Main (DE)", "city (country)", "Frankfurt am Main (DE)", "Frankfurt am Main", "DE"),
        ("Amsterdam, the Netherlands, 5 June", "city, country", "Amsterdam, the Netherlands", "Amsterdam", "NL"),
        ("CHANGSHA, China, Nov. 8, 2023 /PRNewswire/", "city, country", "CHANGSHA, China", "Changsha", "CN"),
        ("Paris, France.", "city, country", "Paris, France", "Paris", "FR"),
        ("Den Haag, Netherlands", "city, country", "Den Haag, Netherlands", "The Hague", "NL"),
        ("Cambridge, USA", "city, country", "Cambridge, USA", "Cambridge", "US"),
        ("Ho Chi Minh City – Viet Nam", "city – country", "Ho Chi Minh City – Viet Nam", "Ho Chi Minh City", "VN"),
        ("Seoul - South Korea", "city – country", "Seoul - South Korea", "Seoul", "KR"),
        ("Austin, TX 78701", "city, st", "Austin, TX", "Austin", "US"),
        ("St. Louis, MO", "city, st", "St. Louis, MO", "St. Louis", "US"),
        ("Austin, Texas", "city, state", "Austin, Texas", "Austin", "US"),
        ("Join us in Austin, Texas, USA on 3 May.", "city, state", "Austin, Texas, USA", "Austin", "US"),
        ("Washington, D.C., USA", "city, st", "Washington, D.C., USA", "Washington", "US"),
        ("Rio de Janeiro, Brazil", "city, country", "Rio de Janeiro, Brazil", "Rio de Janeiro", "BR"),
        ("Hong Kong (China)", "city (country)", "Hong Kong (China)", "Hong Kong", "HK"),
        ("Atlanta, Georgia", "city, state", "Atlanta, Georgia", "Atlanta", "US"),
        ("Tbilisi, Georgia", "city, country", "Tbilisi, Georgia", "Tbilisi", "GE"),
    ],
)
def test_pair_patterns(text: str, pattern: str, matched: str, city: str, code: str) -> None:
    mention = only(text)
    assert (mention.pattern, mention.text, mention.place.city, mention.place.country_code) == (
        pattern, matched, city, code,
    )
    assert text[mention.span[0] : mention.span[1]] == mention.text


def test_longest_city_ending_before_country() -> None:
    mention = only("Smart City Expo World Congress Barcelona, Spain")
    assert mention.text == "Barcelona, Spain"
    assert mention.place.city == "Barcelona"


def test_state_code_decides_between_namesakes() -> None:
    mention = only("Portland, ME")
    assert (mention.place.city, mention.place.region) == ("Portland", "Maine")
    assert only("Portland, OR").place.region == "Oregon"


def test_city_not_in_stated_country_gives_country_only() -> None:
    mention = only("Hannover Messe, Germany")
    assert (mention.pattern, mention.text, mention.place.city, mention.place.country_code) == (
        "country", "Germany", None, "DE",
    )


def test_list_of_countries_is_not_a_venue() -> None:
    assert find_place_mentions("Delegates from China, Germany, Japan and Spain") == []


@pytest.mark.parametrize(
    ("text", "pattern", "matched", "city", "code"),
    [
        ("The expo takes place in Lisbon next spring.", "held in city", "Lisbon", "Lisbon", "PT"),
        ("It will be held in Ede on 3 May.", "held in city", "Ede", "Ede", "NL"),
        ("a conference in New York City focused on data", "in city", "New York City", "New York City", "US"),
        ("Meet us in San Francisco.", "in city", "San Francisco", "San Francisco", "US"),
        ("Smart Cities Conference in Barcelona on 5 May", "in city", "Barcelona", "Barcelona", "ES"),
        ("held in Newcastle upon Tyne", "held in city", "Newcastle upon Tyne", "Newcastle upon Tyne", "GB"),
        ("In Den Haag the mayor spoke.", "in city", "Den Haag", "The Hague", "NL"),
        ("The summit in Singapore drew crowds.", "in city", "Singapore", "Singapore", "SG"),
        ("A benchmark event in Switzerland.", "in country", "Switzerland", None, "CH"),
        ("Events in the Netherlands", "in country", "Netherlands", None, "NL"),
        ("In Germany, cities are", "in country", "Germany", None, "DE"),
    ],
)
def test_in_patterns(text: str, pattern: str, matched: str, city: str | None, code: str) -> None:
    mention = only(text)
    assert (mention.pattern, mention.text, mention.place.city, mention.place.country_code) == (
        pattern, matched, city, code,
    )


@pytest.mark.parametrize(
    "text",
    [
        "The fair opens in March.",
        "Registration is held in March 2024.",
        "A rise in Total sales",
        "Investment in Smart City projects",
        "Growth in Mobile payments",
        "Sessions are held in English and in Spanish.",
        "Innovation in AI and in IT",
        "in Split seconds",  # lower threshold only after "held in"
        "Held online in partnership with",
        "Small towns in Ede",  # under 100,000 people, no event verb
        "",
        "   \n\n",
    ],
)
def test_common_words_are_not_places(text: str) -> None:
    assert find_place_mentions(text) == []


def test_mentions_sorted_and_disjoint() -> None:
    text = (
        "Held in Amsterdam, the Netherlands, and in Austin, TX. "
        "The next edition takes place in Lisbon (Portugal), then in Germany."
    )
    mentions = find_place_mentions(text)
    assert [m.pattern for m in mentions] == ["city, country", "city, st", "city (country)", "in country"]
    assert [m.place.city for m in mentions] == ["Amsterdam", "Austin", "Lisbon", None]
    for before, after in zip(mentions, mentions[1:]):
        assert before.span[1] <= after.span[0]


def test_pair_beats_in_city() -> None:
    mention = only("held in Barcelona (Spain)")
    assert mention.pattern == "city (country)"
    assert mention.place.timezone == "Europe/Madrid"


def test_a_repeated_text_repeats_its_mentions() -> None:
    once = (
        "Smart City Expo World Congress\n  • Barcelona (Spain), 7-9 November 2023\n"
        "The event takes place in Barcelona and gathers cities from Germany, Japan and Brazil.\n"
    )
    mentions = find_place_mentions(once)
    assert mentions
    repeated = find_place_mentions(once * 20)
    assert [(m.text, m.pattern) for m in repeated] == [(m.text, m.pattern) for m in mentions] * 20


PIECES = st.one_of(
    st.sampled_from(["in ", "In ", "held in ", "(", ")", ", ", " – ", "Paris", "Spain", "TX", "New York", "the "]),
    st.text(max_size=6),
)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(PIECES, max_size=30).map("".join))
def test_never_raises(text: str) -> None:
    mentions = find_place_mentions(text)
    for mention in mentions:
        assert text[mention.span[0] : mention.span[1]] == mention.text
    spans = [m.span for m in mentions]
    assert spans == sorted(spans)


GAPISH = st.lists(st.sampled_from([" ", "\t", "\n", "(", ")", ",", "–", "—", "-", "the", "The", "in", "In", "x", "é"]))


@settings(max_examples=500, deadline=None)
@given(gap=GAPISH.map("".join))
def test_pair_gaps_all_open_as_the_quick_test_expects(gap: str) -> None:
    if any(pattern.fullmatch(gap) for pattern, _ in PAIR_GAPS):
        assert PAIR_GAP_START.match(gap)


@settings(max_examples=500, deadline=None)
@given(before=GAPISH.map("".join), window=st.integers(min_value=0, max_value=45))
def test_in_before_is_the_regex_with_a_quick_test_first(before: str, window: int) -> None:
    text = before + "Lisbon"
    start = len(before)
    window_start = max(0, start - window)
    expected = IN_BEFORE.search(text, window_start, start)
    found = _in_before(text, window_start, start)
    assert (found and found.span()) == (expected and expected.span())


@pytest.mark.parametrize(
    ("text", "city", "code"),
    [("Toronto, ON, Canada", "Toronto", "CA"), ("Sydney, NSW", "Sydney", "AU"),
     ("Vancouver, British Columbia", "Vancouver", "CA"), ("Perth, WA", "Perth", "AU"), ("Austin, TX", "Austin", "US")],
)
def test_canadian_and_australian_provinces_like_us_states(text: str, city: str, code: str) -> None:
    [mention] = find_place_mentions(text)
    assert (mention.place.city, mention.place.country_code, mention.span) == (city, code, (0, len(text)))


@settings(max_examples=300, deadline=None)
@given(text=st.lists(PIECES, max_size=30).map("".join))
def test_in_patterns_need_the_word_in(text: str) -> None:
    gazetteer = get_gazetteer()
    if any(_after_in(gazetteer, text, phrase) for phrase in _phrases(text)):
        assert IN_WORD.search(text)
