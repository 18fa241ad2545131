"""Merging across sources: matching rules, never-merge rules, conflict policy, provenance and links."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from cityevents.catalog import Catalog, EventQuery, open_catalog
from cityevents.catalog.db import create_catalog_engine, current_revision
from cityevents.catalog.merge import (
    RULE_FIRST,
    RULE_NEWER,
    RULE_SPECIFIC,
    RULE_STRUCTURED,
    Claim,
    distinct_reason,
    extractor_rank,
    is_acronym,
    merge_claims,
    names_match,
    same_event,
    series_name,
)
from cityevents.model import Event, Source, Status

MakeEvent = Callable[..., Event]
D = date


def _claim(event: Event, document: str, extractor: str = "text", published: date | None = None,
           fields: dict[str, str] | None = None) -> Claim:
    seen = datetime(2024, 1, 1, tzinfo=timezone.utc)
    return Claim(event, Source(document=document, extractor=extractor, published=published, fields=fields or {},
                               seen_at=seen))


# -- matching rules (pure) ----------------------------------------------------------------------


def test_acronym_from_initials_matches_the_full_name() -> None:
    assert is_acronym("SCEWC", "Smart City Expo World Congress 2023")
    assert is_acronym("EWRC", "European Week of Regions and Cities")  # small words skipped
    assert not is_acronym("SC", "Smart City")  # too short to trust
    assert not is_acronym("SCE", "Smart City Expo World Congress")
    short = Event("SCEWC", D(2023, 11, 7), city="Barcelona")
    full = Event("Smart City Expo World Congress 2023", D(2023, 11, 7), city="Barcelona")
    assert same_event(short, full) and same_event(full, short)


def test_years_editions_and_spelling_in_names_are_ignored() -> None:
    base = Event("Urban Future Global Conference", D(2024, 6, 5), city="Rotterdam")
    assert names_match(base, Event("Urban Future Global Conference 2024", D(2024, 6, 5)))
    assert names_match(base, Event("9th Urban Future Global Conference", D(2024, 6, 5)))
    assert names_match(Event("Smart CIty Expo USA"), Event("Smart City Expo USA"))
    assert names_match(Event("Intelligent Cities Exhibition & Conference"),
                       Event("Intelligent Cities Exhibition and Conference"))
    assert names_match(Event("European Week of Regions"), Event("European Week of Regions and Cities"))
    assert names_match(Event("EURESFO", aliases=["European Urban Resilience Forum"]),
                       Event("European Urban Resilience Forum 2023"))


def test_dates_within_a_day_match_but_not_further() -> None:
    a = Event("Smart Country Convention", D(2023, 11, 7), city="Berlin")
    assert same_event(a, Event("Smart Country Convention", D(2023, 11, 8), city="Berlin"))
    assert distinct_reason(a, Event("Smart Country Convention", D(2023, 11, 9), city="Berlin")) == "dates differ"
    assert distinct_reason(a, Event("Smart Country Convention", None, city="Berlin")) == "undated"


def test_place_spelling_and_coordinates() -> None:
    a = Event("Smart City Day", D(2023, 10, 31), city="Neuchâtel", country_code="CH")
    assert same_event(a, Event("Smart City Day", D(2023, 10, 31), city="NEUCHATEL"))
    assert same_event(Event("Forum X", D(2023, 1, 1), city="Brussels"), Event("Forum X", D(2023, 1, 1), city="Brussel"))
    assert same_event(a, Event("Smart City Day", D(2023, 10, 31), country_code="CH"))  # vaguer place
    assert distinct_reason(a, Event("Smart City Day", D(2023, 10, 31), city="Zurich")) == "different places"
    assert distinct_reason(a, Event("Smart City Day", D(2023, 10, 31), country_code="DE")) == "different places"
    near = Event("Forum X", D(2023, 1, 1), city="Bruxelles", lat=50.85, lon=4.35)
    assert same_event(near, Event("Forum X", D(2023, 1, 1), city="Brussels", lat=50.8503, lon=4.3517))
    assert not same_event(Event("Forum X", D(2023, 1, 1), city="Springfield", lat=39.8, lon=-89.6),
                          Event("Forum X", D(2023, 1, 1), city="Springfeld", lat=42.1, lon=-72.6))


def test_two_brussels_events_in_one_month_stay_apart() -> None:
    week = Event("European Week of Regions", D(2023, 10, 9), end=D(2023, 10, 12), city="Brussels")
    energy = Event("RE-energising Europe", D(2023, 10, 9), end=D(2023, 10, 10), city="Brussels")
    assert not same_event(week, energy)
    assert not same_event(Event("Smart City Forum", D(2023, 10, 9), city="Brussels"),
                          Event("Smart City Forum", D(2023, 10, 24), city="Brussels"))


def test_a_regional_stage_is_never_the_main_congress() -> None:
    main = Event("Smart City Expo World Congress", D(2023, 11, 7), city="Barcelona", aliases=["SCEWC"])
    stage = Event("2023 Smart City Expo World Congress · Changsha Stage", D(2023, 11, 7), city="Barcelona",
                  aliases=["SCEWC Changsha"], part_of="Smart City Expo World Congress")
    assert distinct_reason(stage, main) == "part of"
    unlabelled = Event("Smart City Expo World Congress Changsha Stage", D(2023, 11, 7), city="Barcelona")
    assert distinct_reason(unlabelled, main) == "part of"  # the name adds "stage"
    in_city = Event("Smart City Expo World Congress Changsha", D(2023, 11, 7), city="Changsha",
                    lat=28.2282, lon=112.9388)
    assert not same_event(in_city, Event("Smart City Expo World Congress", D(2023, 11, 7), city="Changsha"))


def test_different_editions_stay_apart() -> None:
    a = Event("Smart Cities India Expo", D(2024, 1, 17), city="New Delhi", edition="9th")
    assert distinct_reason(a, Event("Smart Cities India Expo", D(2024, 1, 17), city="New Delhi",
                                    edition="10th")) == "different editions"
    assert series_name("9th Smart Cities India Expo") == "Smart Cities India Expo"
    assert series_name("Smart City Asia 2023") == "Smart City Asia"


# -- conflict policy (pure) ---------------------------------------------------------------------


def test_extractor_kinds() -> None:
    assert extractor_rank("jsonld") == extractor_rank("ingest.ical") == extractor_rank("csv") == 2
    assert extractor_rank("feeds") == extractor_rank("rss") == 1
    assert extractor_rank("text") == extractor_rank("html") == extractor_rank("text.dates") == 0


def test_structured_over_prose_even_when_older() -> None:
    prose = Event("Expo", D(2023, 11, 8), end=D(2023, 11, 10), city="Barcelona", venue="Fira")
    structured = Event("Expo", D(2023, 11, 7), end=D(2023, 11, 9), city="Barcelona", venue="Fira Gran Via")
    merged = merge_claims([_claim(prose, "press.txt", published=D(2023, 11, 1)),
                           _claim(structured, "site.html", "jsonld", published=D(2023, 6, 1))])
    assert (merged.event.start, merged.event.end) == (D(2023, 11, 7), D(2023, 11, 9))
    rules = {(c.field, c.rule, c.kept_source, c.other_source) for c in merged.conflicts}
    assert ("start", RULE_STRUCTURED, "site.html", "press.txt") in rules
    assert ("end", RULE_STRUCTURED, "site.html", "press.txt") in rules
    assert merged.provenance["start"] == ["site.html"]


def test_field_level_extractor_decides() -> None:
    a = Event("Expo", D(2023, 11, 7), city="Barcelona", url="https://a.example")
    b = Event("Expo", D(2023, 11, 7), city="Barcelona", url="https://b.example")
    merged = merge_claims([_claim(a, "a", fields={"url": "jsonld"}), _claim(b, "b")])
    assert merged.event.url == "https://a.example"
    assert merged.conflicts[0].rule == RULE_STRUCTURED


def test_specific_over_vague() -> None:
    vague = Event("SCEWC", D(2023, 11, 7), country="Spain", country_code="ES")
    specific = Event("Smart City Expo World Congress", D(2023, 11, 7), end=D(2023, 11, 9), city="Barcelona",
                     country="Spain", country_code="ES", lat=41.39, lon=2.17, status=Status.POSTPONED)
    merged = merge_claims([_claim(specific, "old", published=D(2023, 1, 1)),
                           _claim(vague, "new", published=D(2023, 10, 1))])
    event = merged.event
    assert event.name == "Smart City Expo World Congress" and event.aliases == ["SCEWC"]
    assert (event.end, event.city, event.lat, event.status) == (D(2023, 11, 9), "Barcelona", 41.39, Status.POSTPONED)
    assert merged.conflicts == []  # nothing contradicts: the vague claim only says less
    assert merged.provenance["city"] == ["old"]


def test_specific_over_vague_is_recorded_when_values_differ() -> None:
    short = Event("Expo", D(2023, 11, 7), city="Barcelona", venue="Fira")
    long = Event("Expo", D(2023, 11, 7), city="Barcelona", venue="Fira Gran Via, Hall 2")
    merged = merge_claims([_claim(short, "a", published=D(2023, 10, 1)), _claim(long, "b", published=D(2023, 1, 1))])
    assert merged.event.venue == "Fira Gran Via, Hall 2"
    [conflict] = merged.conflicts
    assert (conflict.field, conflict.rule, conflict.kept, conflict.other) == (
        "venue", RULE_SPECIFIC, "Fira Gran Via, Hall 2", "Fira")


def test_newer_over_older_then_first_source() -> None:
    old = Event("Expo", D(2023, 11, 7), city="Barcelona", url="https://old.example")
    new = Event("Expo", D(2023, 11, 7), city="Barcelona", url="https://new.example")
    merged = merge_claims([_claim(old, "a", published=D(2023, 1, 1)), _claim(new, "b", published=D(2023, 6, 1))])
    assert merged.event.url == "https://new.example"
    assert [(c.kept_source, c.other_source, c.rule) for c in merged.conflicts] == [("b", "a", RULE_NEWER)]
    tie = merge_claims([_claim(old, "a"), _claim(new, "b")])
    assert tie.event.url == "https://old.example" and tie.conflicts[0].rule == RULE_FIRST


def test_lists_are_unions_without_conflicts() -> None:
    a = Event("Expo", D(2023, 11, 7), organizers=["Fira Barcelona"], topics=["mobility"])
    b = Event("Expo", D(2023, 11, 7), organizers=["FIRA BARCELONA", "City of Barcelona"], topics=["energy"])
    merged = merge_claims([_claim(a, "a", published=D(2023, 1, 1)), _claim(b, "b", published=D(2023, 6, 1))])
    assert merged.event.organizers == ["FIRA BARCELONA", "City of Barcelona"]
    assert merged.event.topics == ["energy", "mobility"]
    assert merged.conflicts == []
    assert merged.provenance["topics"] == ["b", "a"]


# -- through the catalog (both backends) ---------------------------------------------------------


def test_acronym_and_full_name_from_two_documents_are_one_record(catalog: Catalog, make_event: MakeEvent) -> None:
    listing = make_event("Smart City Expo World Congress", D(2023, 11, 7), end=D(2023, 11, 9), document="listing")
    press = make_event("SCEWC 2023", D(2023, 11, 8), end=D(2023, 11, 9), document="press",
                       organizers=["Fira Barcelona"])
    catalog.ingest_document("listing", [listing], content_hash="1")
    result = catalog.ingest_document("press", [press], content_hash="2")
    assert result.new == 0 and result.event_ids == [listing.id]
    assert catalog.stats()["events"] == 1
    stored = catalog.get(listing.id)
    assert stored is not None
    assert stored.name == "Smart City Expo World Congress" and "SCEWC 2023" in stored.aliases
    assert stored.organizers == ["Fira Barcelona"]
    assert {s.document for s in stored.sources} == {"listing", "press"}
    assert stored.provenance["organizers"] == ["press"] and stored.provenance["name"] == ["listing"]
    [conflict] = stored.conflicts  # the start dates disagree by a day; the range is equally specific
    assert (conflict.field, conflict.kept, conflict.other, conflict.rule) == (
        "start", "2023-11-07", "2023-11-08", RULE_FIRST)
    # The press release's own id now leads to the merged record, and re-reading it changes nothing.
    got = catalog.get(press.id)
    assert got is not None and got.id == listing.id
    again = catalog.ingest_document("press", [press], content_hash="2b")
    assert (again.unchanged, again.event_ids) == (1, [listing.id])


def test_matching_within_one_document(catalog: Catalog, make_event: MakeEvent) -> None:
    result = catalog.ingest_document("doc", [make_event("Smart City Expo World Congress"),
                                             make_event("SCEWC", organizers=["Fira Barcelona"])], content_hash="h")
    assert (result.new, len(result.event_ids)) == (1, 1)
    stored = catalog.get(result.event_ids[0])
    assert stored is not None and stored.organizers == ["Fira Barcelona"] and stored.aliases == ["SCEWC"]


def test_distinct_events_are_never_merged(catalog: Catalog, make_event: MakeEvent) -> None:
    batch = [
        make_event("European Week of Regions", D(2023, 10, 9), end=D(2023, 10, 12), city="Brussels",
                   country="Belgium", country_code="BE"),
        make_event("RE-energising Europe", D(2023, 10, 9), end=D(2023, 10, 10), city="Brussels",
                   country="Belgium", country_code="BE"),
        make_event("Smart City Expo World Congress", D(2023, 11, 7)),
        make_event("Smart City Expo World Congress Changsha Stage", D(2023, 11, 7), city="Barcelona",
                   part_of="Smart City Expo World Congress"),
    ]
    result = catalog.ingest_document("doc", batch, content_hash="h")
    assert result.new == 4 and catalog.stats()["events"] == 4


def test_stage_is_linked_to_its_parent_in_either_order(db_url: str, make_event: MakeEvent) -> None:
    stage = make_event("2023 Smart City Expo World Congress · Changsha Stage", D(2023, 10, 31), end=D(2023, 11, 2),
                       city="Changsha", country="China", country_code="CN", part_of="Smart City Expo World Congress",
                       document="press")
    main_2023 = make_event("Smart City Expo World Congress", D(2023, 11, 7), end=D(2023, 11, 9), document="listing")
    main_2022 = make_event("Smart City Expo World Congress 2022", D(2022, 11, 15), document="old")
    with open_catalog(db_url) as catalog:
        catalog.ingest_document("old", [main_2022], content_hash="0")
        catalog.ingest_document("press", [stage], content_hash="1")  # links to the only parent so far
        first = catalog.related(stage.id)
        assert first.parent is not None and first.parent.id == main_2022.id
        catalog.ingest_document("listing", [main_2023], content_hash="2")
        related = catalog.related(main_2023.id)
        assert related.parts == [] and [e.id for e in related.editions] == [main_2022.id]
        stored = catalog.get(stage.id)
        assert stored is not None and stored.part_of_id == main_2022.id  # an existing link is kept
        assert catalog.stats()["events"] == 3

    with open_catalog(db_url) as catalog:
        catalog.delete(main_2022.id)
        orphan = catalog.get(stage.id)
        assert orphan is not None and orphan.part_of_id is None


def test_parent_arriving_after_its_stage_adopts_it(catalog: Catalog, make_event: MakeEvent) -> None:
    stage = make_event("Smart City Expo World Congress Changsha Stage", D(2023, 10, 31), city="Changsha",
                       country="China", country_code="CN", part_of="Smart City Expo World Congress")
    catalog.ingest_document("press", [stage], content_hash="1")
    assert catalog.related(stage.id).parent is None
    main = make_event("Smart City Expo World Congress 2023", D(2023, 11, 7))
    catalog.ingest_document("listing", [main], content_hash="2")
    related = catalog.related(main.id)
    assert [e.id for e in related.parts] == [stage.id]
    parent = catalog.related(stage.id).parent
    assert parent is not None and parent.id == main.id


def test_annual_editions_are_linked_as_a_series(catalog: Catalog, make_event: MakeEvent) -> None:
    e2022 = make_event("Smart City Expo World Congress 2022", D(2022, 11, 15), end=D(2022, 11, 17))
    e2023 = make_event("Smart City Expo World Congress", D(2023, 11, 7), end=D(2023, 11, 9), document="doc-b")
    other_city = make_event("Smart City Expo World Congress", D(2021, 11, 16), city="Lyon", country="France",
                            country_code="FR", document="doc-c")
    catalog.ingest_document("doc-a", [e2022], content_hash="1")
    assert catalog.get(e2022.id).series is None  # type: ignore[union-attr]  # one edition is no series yet
    result = catalog.ingest_document("doc-b", [e2023], content_hash="2")
    assert result.new == 1  # a year apart: a new edition, not the same event
    catalog.ingest_document("doc-c", [other_city], content_hash="3")
    first, second = catalog.get(e2022.id), catalog.get(e2023.id)
    assert first is not None and second is not None
    assert first.series == second.series == "Smart City Expo World Congress"
    assert [e.id for e in catalog.related(e2023.id).editions] == [e2022.id]  # not the Lyon namesake
    assert catalog.get(other_city.id).series is None  # type: ignore[union-attr]
    # Naming the earlier edition's series is a change feed readers see.
    changed = catalog.query(EventQuery(updated_since=second.created_at)).events
    assert {e.id for e in changed} == {e2022.id, e2023.id, other_city.id}


def test_conflict_policy_through_the_catalog(catalog: Catalog, make_event: MakeEvent) -> None:
    prose = make_event("Expo", D(2023, 11, 7), document="press.txt", url="https://press.example",
                       published=D(2023, 11, 1))
    structured = make_event("Expo", D(2023, 11, 7), document="site.html", extractor="jsonld",
                            url="https://expo.example", published=D(2023, 6, 1))
    catalog.ingest_document("press.txt", [prose], content_hash="1")
    result = catalog.ingest_document("site.html", [structured], content_hash="2")
    assert result.updated == 1
    stored = catalog.get(prose.id)
    assert stored is not None and stored.url == "https://expo.example"
    assert [(c.field, c.rule) for c in stored.conflicts] == [("url", RULE_STRUCTURED)]
    assert stored.provenance["url"] == ["site.html"]


def test_migration_0002_keeps_existing_ids(tmp_path, make_event: MakeEvent) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    from cityevents.catalog.db import alembic_config, write_connection

    url = f"sqlite:///{tmp_path}/old.db"
    engine = create_catalog_engine(url)
    with write_connection(engine) as conn:
        command.upgrade(alembic_config(conn), "0001")
        now = datetime.now(timezone.utc)
        conn.execute(sa.text(
            "INSERT INTO events (id, name, sort_name, start_date, organizers, topics, figures, aliases, provenance,"
            " created_at, updated_at) VALUES ('abc', 'Smart City Asia 2023', 'smart city asia 2023', '2024-04-17',"
            " '[]', '[]', '[]', '[]', '{}', :now, :now)"), {"now": now.replace(tzinfo=None)})
    with engine.connect() as conn:
        assert current_revision(conn) == "0001"
    engine.dispose()
    with open_catalog(url) as catalog, catalog.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT series_key FROM events WHERE id = 'abc'")).one()
        assert row.series_key == "smart city asia"
        assert conn.execute(sa.text("SELECT event_id FROM event_keys WHERE key = 'abc'")).scalar_one() == "abc"


@pytest.mark.parametrize("name", ["Smart City Expo World Congress 2023", "SCEWC", "smart city expo world congress"])
def test_every_spelling_resolves_to_one_record(catalog: Catalog, make_event: MakeEvent, name: str) -> None:
    catalog.ingest_document("a", [make_event("Smart City Expo World Congress")], content_hash="1")
    catalog.ingest_document("b", [make_event(name, document="b")], content_hash="2")
    assert catalog.stats()["events"] == 1


def test_gold_seed_documents(catalog: Catalog, shared_dir) -> None:  # type: ignore[no-untyped-def]
    """The hand-checked seed events: nothing merged that should not be, the Changsha stage linked."""
    import json

    gold = json.loads((shared_dir / "gold" / "seeds.json").read_text())["documents"]
    expected = 0
    for document, labels in gold.items():
        published = date.fromisoformat(labels["published"]) if "published" in labels else None
        batch = [Event(name=e["name"], start=date.fromisoformat(e["start"]), end=date.fromisoformat(e["end"]),
                       city=e["city"], country_code=e["country_code"], lat=e["lat"], lon=e["lon"],
                       aliases=e.get("aliases", []), organizers=e.get("organizers", []), part_of=e.get("part_of"),
                       sources=[Source(document=document, published=published)]) for e in labels["events"]]
        expected += len(batch)
        catalog.ingest_document(document, batch, content_hash=document)
    assert catalog.stats()["events"] == expected == 18
    [main] = catalog.query(EventQuery(q='"world congress" -changsha')).events
    [stage] = catalog.query(EventQuery(city="Changsha")).events
    assert stage.part_of_id == main.id and main.name == "Smart City Expo World Congress"
    assert [e.id for e in catalog.related(main.id).parts] == [stage.id]
