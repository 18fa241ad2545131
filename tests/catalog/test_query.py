"""Queries: every filter, full-text search, sorting, keyset pagination, facets and stats, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import pytest

from cityevents.catalog import Catalog, EventQuery
from cityevents.errors import InputError
from cityevents.model import Event, Status

MakeEvent = Callable[..., Event]

PLACES = {
    "Barcelona": ("Spain", "ES", 41.3874, 2.1686),
    "Madrid": ("Spain", "ES", 40.4168, -3.7038),
    "Brussels": ("Belgium", "BE", 50.8503, 4.3517),
    "Neuchâtel": ("Switzerland", "CH", 46.9900, 6.9293),
    "New York City": ("United States", "US", 40.7128, -74.0060),
    "Suva": ("Fiji", "FJ", -18.1416, 178.4419),
}


@pytest.fixture
def sample(catalog: Catalog, make_event: MakeEvent) -> dict[str, Event]:
    """Seven events with distinct dates, places, topics, organizers and statuses."""

    def at(city: str, name: str, start: date, end: date | None = None, **fields: object) -> Event:
        country, code, lat, lon = PLACES[city]
        return make_event(name, start, end=end or start, city=city, country=country, country_code=code,
                          lat=lat, lon=lon, **fields)

    events = {
        "scewc": at("Barcelona", "Smart City Expo World Congress", date(2023, 11, 7), date(2023, 11, 9),
                    aliases=["SCEWC"], topics=["mobility", "governance"], organizers=["Fira Barcelona"],
                    description="The leading event for cities and urban innovation."),
        "mobility": at("Madrid", "Global Mobility Call", date(2023, 10, 24), date(2023, 10, 26),
                       topics=["mobility"], organizers=["IFEMA"], description="Sustainable mobility in Madrid."),
        "regions": at("Brussels", "European Week of Regions", date(2023, 10, 9), date(2023, 10, 12),
                      aliases=["European Week of Regions and Cities"], topics=["governance"],
                      organizers=["European Commission"], description="Cohesion policy for regions and cities."),
        "energy": at("Brussels", "RE-energising Europe", date(2023, 10, 24), date(2023, 10, 25),
                     topics=["energy"], organizers=["W4RES"], status=Status.CANCELLED),
        "day": at("Neuchâtel", "Smart City Day", date(2023, 10, 31), description="Swiss smart city day."),
        "usa": at("New York City", "Smart City Expo USA", date(2023, 10, 3), date(2023, 10, 4),
                  organizers=["fira barcelona"], topics=["mobility"]),
        "pacific": at("Suva", "Pacific Resilience Forum", date(2024, 2, 1), topics=["resilience"]),
    }
    catalog.ingest_document("listing", list(events.values()), content_hash="h")
    return events


def _names(catalog: Catalog, **filters: object) -> set[str]:
    page = catalog.query(EventQuery(limit=100, **filters))  # type: ignore[arg-type]
    assert page.count == len(page.events)
    return {event.name for event in page.events}


def test_no_filter_returns_everything_soonest_first(catalog: Catalog, sample: dict[str, Event]) -> None:
    page = catalog.query()
    assert page.count == 7 and page.next_cursor is None
    starts = [event.start for event in page.events]
    assert starts == sorted(starts)  # type: ignore[type-var]
    assert page.events[0].name == "Smart City Expo USA"
    assert page.events[0].sources[0].document == "listing"


def test_date_window_selects_overlapping_events(catalog: Catalog, sample: dict[str, Event]) -> None:
    # 8-10 Nov overlaps SCEWC (7-9 Nov) only.
    assert _names(catalog, date_from=date(2023, 11, 8), date_to=date(2023, 11, 10)) == {
        "Smart City Expo World Congress"}
    # A window inside an event still finds it; the edges are inclusive.
    assert _names(catalog, date_from=date(2023, 10, 10), date_to=date(2023, 10, 10)) == {"European Week of Regions"}
    assert _names(catalog, date_from=date(2023, 10, 12), date_to=date(2023, 10, 24)) == {
        "European Week of Regions", "Global Mobility Call", "RE-energising Europe"}
    assert _names(catalog, date_from=date(2024, 1, 1)) == {"Pacific Resilience Forum"}
    assert _names(catalog, date_to=date(2023, 10, 4)) == {"Smart City Expo USA"}


def test_undated_events_never_match_a_date_window(catalog: Catalog, make_event: MakeEvent) -> None:
    catalog.ingest_document("d", [make_event("Some Day Summit", None, end=None)], content_hash="h")
    assert _names(catalog, date_from=date(2000, 1, 1)) == set()
    assert _names(catalog) == {"Some Day Summit"}


@pytest.mark.parametrize("country", ["ES", "es", "Spain", "spain", "ESP", "Kingdom of Spain"])
def test_country_by_code_or_name(catalog: Catalog, sample: dict[str, Event], country: str) -> None:
    assert _names(catalog, country=country) == {"Smart City Expo World Congress", "Global Mobility Call"}


def test_country_aliases_and_unknown_names(catalog: Catalog, sample: dict[str, Event]) -> None:
    assert _names(catalog, country="USA") == {"Smart City Expo USA"}
    assert _names(catalog, country="United States of America") == {"Smart City Expo USA"}
    assert _names(catalog, country="Atlantis") == set()


def test_city_ignores_case_and_accents(catalog: Catalog, sample: dict[str, Event]) -> None:
    assert _names(catalog, city="neuchatel") == {"Smart City Day"}
    assert _names(catalog, city="BRUSSELS") == {"European Week of Regions", "RE-energising Europe"}


def test_topic_organizer_and_status(catalog: Catalog, sample: dict[str, Event]) -> None:
    assert _names(catalog, topic="mobility") == {"Smart City Expo World Congress", "Global Mobility Call",
                                                 "Smart City Expo USA"}
    assert _names(catalog, organizer="FIRA BARCELONA") == {"Smart City Expo World Congress", "Smart City Expo USA"}
    assert _names(catalog, status="cancelled") == {"RE-energising Europe"}
    assert _names(catalog, status=Status.SCHEDULED) == set(_names(catalog)) - {"RE-energising Europe"}


def test_filters_combine_with_and(catalog: Catalog, sample: dict[str, Event]) -> None:
    assert _names(catalog, country="BE", topic="governance") == {"European Week of Regions"}
    assert _names(catalog, q="smart", country="ES", date_from=date(2023, 11, 1)) == {
        "Smart City Expo World Congress"}


def test_near_uses_great_circle_distance(catalog: Catalog, sample: dict[str, Event]) -> None:
    brussels = (50.8503, 4.3517)
    assert _names(catalog, near=brussels, radius_km=10) == {"European Week of Regions", "RE-energising Europe"}
    # Barcelona-Madrid is about 505 km.
    assert _names(catalog, near=(41.3874, 2.1686), radius_km=480) == {"Smart City Expo World Congress"}
    assert _names(catalog, near=(41.3874, 2.1686), radius_km=530) == {"Smart City Expo World Congress",
                                                                      "Global Mobility Call"}
    # Across the antimeridian: Suva (178.4 E) is ~220 km from (-18.5, 179.5 W).
    assert _names(catalog, near=(-18.5, -179.5), radius_km=250) == {"Pacific Resilience Forum"}
    assert _names(catalog, near=(-18.5, -179.5), radius_km=200) == set()


def test_bbox(catalog: Catalog, sample: dict[str, Event]) -> None:
    iberia = (-10.0, 35.0, 4.0, 44.0)
    assert _names(catalog, bbox=iberia) == {"Smart City Expo World Congress", "Global Mobility Call"}
    benelux_and_swiss = (2.5, 45.0, 7.5, 52.0)
    assert _names(catalog, bbox=benelux_and_swiss) == {"European Week of Regions", "RE-energising Europe",
                                                       "Smart City Day"}
    across_antimeridian = (170.0, -30.0, -170.0, 0.0)
    assert _names(catalog, bbox=across_antimeridian) == {"Pacific Resilience Forum"}


def test_updated_since(catalog: Catalog, sample: dict[str, Event], make_event: MakeEvent) -> None:
    cutoff = datetime.now(timezone.utc)
    assert _names(catalog, updated_since=cutoff) == set()
    catalog.ingest_document("listing", [make_event(venue="Fira Gran Via", aliases=["SCEWC"])], content_hash="h2")
    assert _names(catalog, updated_since=cutoff) == {"Smart City Expo World Congress"}
    naive_utc = cutoff.replace(tzinfo=None)
    assert _names(catalog, updated_since=naive_utc) == {"Smart City Expo World Congress"}
    assert _names(catalog, updated_since=cutoff - timedelta(days=1)) == _names(catalog)


def test_full_text_search(catalog: Catalog, sample: dict[str, Event]) -> None:
    assert _names(catalog, q="mobility") == {"Global Mobility Call", "Smart City Expo World Congress",
                                             "Smart City Expo USA"}  # name, description or topic
    assert _names(catalog, q="smart expo") == {"Smart City Expo World Congress", "Smart City Expo USA"}
    assert _names(catalog, q="SCEWC") == {"Smart City Expo World Congress"}  # alias
    assert _names(catalog, q="neuchatel") == {"Smart City Day"}  # city, accent-blind
    assert _names(catalog, q="NEUCHÂTEL") == {"Smart City Day"}
    assert _names(catalog, q="W4RES") == {"RE-energising Europe"}  # organizer
    assert _names(catalog, q="belgium") == {"European Week of Regions", "RE-energising Europe"}  # country
    assert _names(catalog, q="resilience") == {"Pacific Resilience Forum"}


def test_search_phrases_prefixes_and_exclusions(catalog: Catalog, sample: dict[str, Event]) -> None:
    assert _names(catalog, q='"expo world"') == {"Smart City Expo World Congress"}
    assert _names(catalog, q='"world expo"') == set()
    assert _names(catalog, q="re-energising") == {"RE-energising Europe"}
    assert _names(catalog, q="cohes*") == {"European Week of Regions"}
    assert _names(catalog, q="smart -expo") == {"Smart City Day"}
    assert _names(catalog, q='-"smart city"') == {"Global Mobility Call", "European Week of Regions",
                                                  "RE-energising Europe", "Pacific Resilience Forum"}
    assert _names(catalog, q="smart nonexistentword") == set()
    assert _names(catalog, q='  "" - * ') == _names(catalog)  # nothing searchable: no text condition


def test_sorts(catalog: Catalog, sample: dict[str, Event], make_event: MakeEvent) -> None:
    by_name = [e.name for e in catalog.query(EventQuery(sort="name")).events]
    assert by_name == sorted(by_name, key=str.lower)
    assert [e.name for e in catalog.query(EventQuery(sort="-name")).events] == by_name[::-1]
    newest = catalog.query(EventQuery(sort="-start")).events
    assert newest[0].name == "Pacific Resilience Forum" and newest[-1].name == "Smart City Expo USA"
    catalog.ingest_document("listing", [make_event(venue="Fira Gran Via", aliases=["SCEWC"])], content_hash="h2")
    assert catalog.query(EventQuery(sort="-updated")).events[0].name == "Smart City Expo World Congress"
    assert catalog.query(EventQuery(sort="updated")).events[-1].name == "Smart City Expo World Congress"


def test_undated_events_sort_last_both_ways(catalog: Catalog, sample: dict[str, Event], make_event: MakeEvent) -> None:
    catalog.ingest_document("d", [make_event("Undated Forum", None, end=None)], content_hash="h")
    assert catalog.query(EventQuery(sort="start")).events[-1].name == "Undated Forum"
    assert catalog.query(EventQuery(sort="-start")).events[-1].name == "Undated Forum"


@pytest.mark.parametrize("sort", ["start", "-start", "name", "-name", "updated", "-updated"])
def test_pagination_is_complete_and_stable(catalog: Catalog, make_event: MakeEvent, sort: str) -> None:
    # 45 events over 9 dates (many ties on the sort key) and 3 names per date; two of them undated.
    batch = [make_event(f"Forum {n % 3}", date(2024, 1, 1) + timedelta(days=n // 5), city=f"City {n}",
                        lat=float(n), lon=0.0) for n in range(43)]
    batch += [make_event(f"Undated {n}", None, end=None, city="Nowhere") for n in range(2)]
    for chunk in range(0, len(batch), 15):  # three documents: distinct updated_at values, plus ties
        catalog.ingest_document(f"doc-{chunk}", batch[chunk:chunk + 15], content_hash="h")
    everything = [e.id for e in catalog.query(EventQuery(sort=sort, limit=100)).events]
    assert len(everything) == len(set(everything)) == 45

    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = catalog.query(EventQuery(sort=sort, limit=7, cursor=cursor))
        assert page.count == (45 if pages < 2 else 46)
        seen += [e.id for e in page.events]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
        if pages == 2:  # new events arriving mid-way neither repeat nor hide the ones already there
            catalog.ingest_document("late", [make_event("Late Forum", date(2024, 1, 3), city="Late City")],
                                    content_hash="h")
    late = catalog.query(EventQuery(q="late")).events[0].id
    assert [i for i in seen if i != late] == everything
    assert pages == 7


def test_cursor_with_filters(catalog: Catalog, sample: dict[str, Event]) -> None:
    first = catalog.query(EventQuery(topic="mobility", limit=2))
    assert first.count == 3 and len(first.events) == 2 and first.next_cursor
    second = catalog.query(EventQuery(topic="mobility", limit=2, cursor=first.next_cursor))
    assert len(second.events) == 1 and second.next_cursor is None
    assert {e.name for e in first.events + second.events} == _names(catalog, topic="mobility")


def test_bad_cursor_and_bad_queries_are_input_errors(catalog: Catalog, sample: dict[str, Event]) -> None:
    cursor = catalog.query(EventQuery(limit=1)).next_cursor
    assert cursor
    with pytest.raises(InputError, match="invalid cursor"):
        catalog.query(EventQuery(sort="name", cursor=cursor))  # made for another sort
    with pytest.raises(InputError, match="invalid cursor"):
        catalog.query(EventQuery(cursor="not-a-cursor"))
    for bad in ({"sort": "size"}, {"limit": 0}, {"status": "maybe"}, {"near": (91.0, 0.0)},
                {"near": (0.0, 0.0), "radius_km": -1}, {"bbox": (0.0, 10.0, 1.0, 5.0)},
                {"date_from": date(2024, 1, 2), "date_to": date(2024, 1, 1)}):
        with pytest.raises(InputError):
            EventQuery(**bad)  # type: ignore[arg-type]


def test_facets(catalog: Catalog, sample: dict[str, Event]) -> None:
    assert catalog.facets("country") == [("BE", 2), ("ES", 2), ("CH", 1), ("FJ", 1), ("US", 1)]
    assert catalog.facets("city")[0] == ("Brussels", 2)
    assert ("Neuchâtel", 1) in catalog.facets("city")
    assert catalog.facets("topic") == [("mobility", 3), ("governance", 2), ("energy", 1), ("resilience", 1)]
    organizers = dict(catalog.facets("organizer"))
    assert organizers["Fira Barcelona"] == 2 and organizers["IFEMA"] == 1
    assert catalog.facets("month") == [("2023-10", 5), ("2023-11", 1), ("2024-02", 1)]


def test_facets_respect_the_query(catalog: Catalog, sample: dict[str, Event]) -> None:
    spain = EventQuery(country="ES")
    assert catalog.facets("topic", spain) == [("mobility", 2), ("governance", 1)]
    assert catalog.facets("month", EventQuery(q="smart")) == [("2023-10", 2), ("2023-11", 1)]
    # Every facet value is a filter value that selects exactly its count.
    for kind, field in (("city", "city"), ("country", "country"), ("topic", "topic"), ("organizer", "organizer")):
        for value, count in catalog.facets(kind):
            assert catalog.query(EventQuery(**{field: value})).count == count, (kind, value)
    with pytest.raises(InputError):
        catalog.facets("colour")


def test_stats(catalog: Catalog, sample: dict[str, Event]) -> None:
    assert catalog.stats() == {"events": 7, "documents": 1, "failed_documents": 0, "sources": 7, "conflicts": 0,
                               "countries": 5, "cities": 6, "topics": 4, "organizers": 4}


def test_city_filter_knows_the_gazetteer_spellings(catalog: Catalog, make_event: Callable[..., Event]) -> None:
    catalog.ingest_document("doc", [make_event("Open Data Day", date(2027, 3, 5), city="Gent", country="Belgium",
                                               country_code="BE")], content_hash="h")
    for typed in ("Gent", "ghent", "GHENT"):
        assert [e.name for e in catalog.query(EventQuery(city=typed)).events] == ["Open Data Day"]
