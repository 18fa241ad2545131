"""Gazetteer: country variants, city resolution (accents, case, alternates, ambiguity), timezones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityevents.extract.gazetteer import Gazetteer, Place, get_gazetteer, name_key


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Netherlands", ("NL", "Netherlands")),
        ("The Netherlands", ("NL", "Netherlands")),
        ("Holland", ("NL", "Netherlands")),
        ("USA", ("US", "United States")),
        ("U.S.", ("US", "United States")),
        ("United States of America", ("US", "United States")),
        ("UK", ("GB", "United Kingdom")),
        ("Great Britain", ("GB", "United Kingdom")),
        ("Czech Republic", ("CZ", "Czechia")),
        ("Czechia", ("CZ", "Czechia")),
        ("Türkiye", ("TR", "Turkey")),
        ("Turkey", ("TR", "Turkey")),
        ("UAE", ("AE", "United Arab Emirates")),
        ("South Korea", ("KR", "South Korea")),
        ("Republic of Korea", ("KR", "South Korea")),
        ("Korea, Republic of", ("KR", "South Korea")),
        ("Viet Nam", ("VN", "Vietnam")),
        ("Côte d'Ivoire", ("CI", "Ivory Coast")),
        ("germany", ("DE", "Germany")),
        ("  Spain ", ("ES", "Spain")),
        ("DE", ("DE", "Germany")),
        ("NLD", ("NL", "Netherlands")),
        ("IN", ("IN", "India")),
    ],
)
def test_country_variants(gazetteer: Gazetteer, text: str, expected: tuple[str, str]) -> None:
    assert gazetteer.country(text) == expected


@pytest.mark.parametrize("text", ["in", "de", "it", "us", "Online", "Europe", "", "Smart City", "XYZ"])
def test_country_rejects_words_and_lower_case_codes(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.country(text) is None


@pytest.mark.parametrize(
    ("name", "city", "code"),
    [
        ("Neuchatel", "Neuchâtel", "CH"),
        ("NEUCHÂTEL", "Neuchâtel", "CH"),
        ("New York CIty", "New York City", "US"),
        ("new york", "New York City", "US"),
        ("Ho Chi Minh city", "Ho Chi Minh City", "VN"),
        ("Ho Chi Minh", "Ho Chi Minh City", "VN"),
        ("Saint-Étienne", "Saint-Étienne", "FR"),
        ("St Etienne", "Saint-Étienne", "FR"),
        ("St. Étienne", "Saint-Étienne", "FR"),
        ("Frankfurt am Main", "Frankfurt am Main", "DE"),
        ("Frankfurt", "Frankfurt am Main", "DE"),
        ("Den Haag", "The Hague", "NL"),
        ("The Hague", "The Hague", "NL"),
        ("Cologne", "Köln", "DE"),
        ("Lodz", "Łódź", "PL"),
        ("Zurich", "Zürich", "CH"),
        ("Malmo", "Malmö", "SE"),
        ("Cairo", "Cairo", "EG"),
        ("Valencia", "Valencia", "ES"),
        ("Cambridge", "Cambridge", "GB"),
        ("Vienna", "Vienna", "AT"),
        ("Paris", "Paris", "FR"),
        ("Washington", "Washington", "US"),
        ("Singapore", "Singapore", "SG"),
    ],
)
def test_city_resolution(gazetteer: Gazetteer, name: str, city: str, code: str) -> None:
    place = gazetteer.city(name)
    assert place is not None
    assert (place.city, place.country_code) == (city, code)


@pytest.mark.parametrize(
    ("name", "country", "code", "region"),
    [
        ("Cambridge", "USA", "US", "Massachusetts"),
        ("Cambridge", "US", "US", "Massachusetts"),
        ("Valencia", "Venezuela", "VE", None),
        ("Paris", "United States", "US", "Texas"),
        ("Barcelona", "Spain", "ES", None),
        ("Seoul", "Korea", "KR", None),
        ("Brno", "Czech Republic", "CZ", None),
        ("Hong Kong", "China", "HK", None),  # a territory filed under its sovereign state
    ],
)
def test_stated_country_decides(
    gazetteer: Gazetteer, name: str, country: str, code: str, region: str | None
) -> None:
    place = gazetteer.city(name, country)
    assert place is not None
    assert place.country_code == code
    assert place.region == region


@pytest.mark.parametrize(
    ("name", "country"),
    [("Paris", "Germany"), ("Barcelona", "Portugal"), ("Cairo", "Mexico"), ("Cairo", "Illinois"), ("Berlin", "Atlantis")],
)
def test_city_outside_stated_country_is_none(gazetteer: Gazetteer, name: str, country: str) -> None:
    assert gazetteer.city(name, country) is None


@pytest.mark.parametrize("name", ["Online", "Germany", "the Netherlands", "Europe", "", "   ", "Smart City Expo"])
def test_non_cities(gazetteer: Gazetteer, name: str) -> None:
    assert gazetteer.city(name) is None


def test_city_place_fields(gazetteer: Gazetteer) -> None:
    place = gazetteer.city("Austin", region="TX")
    assert isinstance(place, Place)
    assert (place.city, place.region, place.country, place.country_code) == ("Austin", "Texas", "United States", "US")
    assert place.timezone == "America/Chicago"
    assert place.lat == pytest.approx(30.27, abs=0.05) and place.lon == pytest.approx(-97.74, abs=0.05)
    assert place.population > 500_000


def test_region_filters_cities(gazetteer: Gazetteer) -> None:
    portland_maine = gazetteer.city("Portland", region="Maine")
    assert portland_maine is not None and portland_maine.region == "Maine"
    assert gazetteer.city("Austin", region="Alaska") is None


@pytest.mark.parametrize(("text", "code"), [("TX", "TX"), ("Texas", "TX"), ("D.C.", "DC"), ("New York", "NY")])
def test_us_state(gazetteer: Gazetteer, text: str, code: str) -> None:
    assert gazetteer.us_state(text) == code


@pytest.mark.parametrize("text", ["XX", "tx", "Bavaria", "Total"])
def test_us_state_rejects(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.us_state(text) is None


def test_country_place(gazetteer: Gazetteer) -> None:
    germany = gazetteer.country_place("DE")
    assert germany is not None and germany.city is None and germany.country == "Germany"
    assert germany.timezone == "Europe/Berlin"
    usa = gazetteer.country_place("US")
    assert usa is not None and usa.timezone is None  # several zones
    assert gazetteer.country_place("ZZ") is None


@pytest.mark.parametrize(
    ("lat", "lon", "zone"),
    [(41.39, 2.17, "Europe/Madrid"), (40.71, -74.0, "America/New_York"), (35.68, 139.69, "Asia/Tokyo")],
)
def test_timezone_at(gazetteer: Gazetteer, lat: float, lon: float, zone: str) -> None:
    assert gazetteer.timezone_at(lat, lon) == zone


@pytest.mark.parametrize(("lat", "lon"), [(91.0, 0.0), (0.0, 500.0), (float("nan"), 0.0)])
def test_timezone_at_invalid_coordinates(gazetteer: Gazetteer, lat: float, lon: float) -> None:
    assert gazetteer.timezone_at(lat, lon) is None


@pytest.mark.parametrize(
    ("text", "key"),
    [("Saint-Étienne", "saint etienne"), ("St. Étienne", "saint etienne"), ("Łódź", "lodz"), ("Xi'an", "xian")],
)
def test_name_key(text: str, key: str) -> None:
    assert name_key(text) == key


def test_one_gazetteer_per_process(gazetteer: Gazetteer) -> None:
    assert get_gazetteer() is gazetteer


def test_remembered_lookups_stay_right_when_the_cache_starts_afresh(
    gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cityevents.extract.gazetteer.LOOKUP_CACHE_SIZE", 3)
    asked = [("Valencia", None), ("Valencia", "Venezuela"), ("Cairo", None), ("Nowhere Town", None), ("Den Haag", "NL")]
    first = [gazetteer.city(name, country) for name, country in asked]
    assert [gazetteer.city(name, country) for name, country in asked] == first
    assert first[0] is not None and first[0].country_code == "ES"
    assert first[1] is not None and first[1].country_code == "VE"
    assert first[3] is None
    countries = ["NL", "Holland", "nowhere", "DE", "NL"]
    assert [gazetteer.country(text) for text in countries] == [gazetteer.country(text) for text in countries]
    assert [gazetteer.us_state(text) for text in ("TX", "Texas", "Spain", "TX")] == ["TX", "TX", None, "TX"]


@settings(max_examples=200, deadline=None)
@given(name=st.text(max_size=60), country=st.one_of(st.none(), st.text(max_size=20)))
def test_lookups_never_raise(name: str, country: str | None) -> None:
    gazetteer = get_gazetteer()
    place = gazetteer.city(name, country)
    assert place is None or isinstance(place, Place)
    gazetteer.country(name)
    gazetteer.us_state(name)


def test_forgotten_lookups_are_looked_up_again(gazetteer: Gazetteer) -> None:
    first = gazetteer.city("Valencia", "Venezuela")
    gazetteer.forget_lookups()
    assert not gazetteer._seen_cities
    assert gazetteer.city("Valencia", "Venezuela") == first
    assert ("Valencia", "Venezuela", None) in gazetteer._seen_cities
