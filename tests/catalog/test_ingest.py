"""Ingest: counts, idempotency, one transaction, provenance, failures, get and delete, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from cityevents.catalog import Catalog, CatalogEvent
from cityevents.catalog import store
from cityevents.catalog.schema import event_sources, events
from cityevents.errors import CatalogError, NotFound
from cityevents.model import AttendanceMode, Event, Figure, Status

MakeEvent = Callable[..., Event]


def _rows(catalog: Catalog, table: sa.Table) -> int:
    with catalog.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_new_then_unchanged_then_updated(catalog: Catalog, make_event: MakeEvent) -> None:
    expo = make_event()
    week = make_event("European Week of Regions", date(2023, 10, 9), end=date(2023, 10, 12), city="Brussels",
                      country="Belgium", country_code="BE")
    first = catalog.ingest_document("doc-a", [expo, week], content_hash="v1")
    assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
    assert first.event_ids == [expo.id, week.id]

    # Same events from a changed document: nothing changed in them.
    second = catalog.ingest_document("doc-a", [expo, week], content_hash="v2")
    assert (second.new, second.updated, second.unchanged) == (0, 0, 2)
    assert not second.unchanged_document

    expo_changed = make_event(organizers=["Fira Barcelona"], venue="Fira Gran Via")
    summit = make_event("Portugal Smart Cities Summit", date(2023, 10, 10), city="Lisbon", country="Portugal",
                        country_code="PT")
    third = catalog.ingest_document("doc-a", [expo_changed, week, summit], content_hash="v3")
    assert (third.new, third.updated, third.unchanged) == (1, 1, 1)
    stored = catalog.get(expo.id)
    assert stored is not None
    assert stored.organizers == ["Fira Barcelona"] and stored.venue == "Fira Gran Via"
    assert catalog.stats()["events"] == 3


def test_same_document_same_hash_is_unchanged_and_not_reread(catalog: Catalog, make_event: MakeEvent) -> None:
    expo = make_event()
    catalog.ingest_document("doc-a", [expo], content_hash="same")
    before = catalog.get(expo.id)
    # Even different events: an equal content hash means the document was already read.
    again = catalog.ingest_document("doc-a", [make_event(venue="changed")], content_hash="same")
    assert again.unchanged_document
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    after = catalog.get(expo.id)
    assert after is not None and before is not None
    assert after.venue is None and after.updated_at == before.updated_at


def test_ingesting_twice_creates_no_duplicates(catalog: Catalog, make_event: MakeEvent) -> None:
    batch = [make_event(), make_event("Smart Country Convention", date(2023, 11, 7), city="Berlin",
                                      country="Germany", country_code="DE", topics=["governance"],
                                      organizers=["Bitkom"])]
    for content_hash in ("h1", "h1", "h2", "h3"):
        catalog.ingest_document("doc-a", batch, content_hash=content_hash)
    stats = catalog.stats()
    assert stats["events"] == 2 and stats["sources"] == 2 and stats["documents"] == 1
    assert stats["topics"] == 1 and stats["organizers"] == 1
    assert catalog.query().count == 2


def test_repeated_mentions_in_one_document_are_one_event(catalog: Catalog, make_event: MakeEvent) -> None:
    short = make_event("Smart City Expo World Congress")
    detailed = make_event("Smart City Expo World Congress", organizers=["Fira Barcelona"], topics=["mobility"])
    result = catalog.ingest_document("doc-a", [short, detailed], content_hash="h")
    assert (result.new, result.event_ids) == (1, [short.id])
    stored = catalog.get(short.id)
    assert stored is not None
    assert stored.organizers == ["Fira Barcelona"] and stored.topics == ["mobility"]
    assert len(stored.sources) == 1


def test_event_without_a_name_is_skipped(catalog: Catalog, make_event: MakeEvent) -> None:
    result = catalog.ingest_document("doc-a", [make_event(" ... "), make_event()], content_hash="h")
    assert (result.new, result.skipped) == (1, 1)


def test_an_error_mid_ingest_leaves_the_database_unchanged(
    catalog: Catalog, make_event: MakeEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog.ingest_document("doc-a", [make_event()], content_hash="v1")
    before = catalog.stats()
    original = store.merge_claims
    calls = {"n": 0}

    def failing_merge(claims):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk on fire")
        return original(claims)

    monkeypatch.setattr(store, "merge_claims", failing_merge)
    batch = [make_event(venue="Fira Gran Via"),
             make_event("Global Mobility Call", date(2023, 10, 24), city="Madrid"),
             make_event("Smart City Day", date(2023, 10, 31), city="Neuchâtel", country="Switzerland",
                        country_code="CH")]
    with pytest.raises(RuntimeError, match="disk on fire"):
        catalog.ingest_document("doc-a", batch, content_hash="v2")
    assert calls["n"] == 3  # two events were written before the failure
    assert catalog.stats() == before
    expo = catalog.get(make_event().id)
    assert expo is not None and expo.venue is None
    assert catalog.query().count == 1
    record = catalog.document("doc-a")
    assert record is not None and record.content_hash == "v1"


def test_a_database_error_becomes_a_catalog_error_and_rolls_back(catalog: Catalog, make_event: MakeEvent) -> None:
    with catalog.engine.begin() as conn:  # sabotage: the topics rows can no longer be written
        conn.execute(sa.text("DROP TABLE event_topics"))
    with pytest.raises(CatalogError, match="could not store the events of doc-b"):
        catalog.ingest_document("doc-b", [make_event(), make_event("Other", topics=["mobility"])], content_hash="h")
    assert _rows(catalog, events) == 0 and _rows(catalog, event_sources) == 0
    assert catalog.document("doc-b") is None


def test_provenance_from_two_documents(catalog: Catalog, make_event: MakeEvent) -> None:
    from_listing = make_event(document="listing.txt", topics=["mobility"])
    from_press = make_event(document="press.html", extractor="jsonld", organizers=["Fira Barcelona"],
                            topics=["energy"], published=date(2023, 11, 1))
    catalog.ingest_document("listing.txt", [from_listing], content_hash="a")
    result = catalog.ingest_document("press.html", [from_press], content_hash="b")
    assert result.event_ids == [from_listing.id]
    assert (result.new, result.updated) == (0, 1)  # organizers and a topic were added
    stored = catalog.get(from_listing.id)
    assert stored is not None
    assert [(s.document, s.extractor) for s in stored.sources] == [("listing.txt", "text"), ("press.html", "jsonld")]
    assert stored.sources[1].published == date(2023, 11, 1)
    assert stored.topics == ["energy", "mobility"]  # the structured source's items first
    assert catalog.stats()["events"] == 1 and _rows(catalog, event_sources) == 2
    # Re-reading the first document again neither duplicates nor drops the second's contribution.
    catalog.ingest_document("listing.txt", [from_listing], content_hash="a2")
    again = catalog.get(from_listing.id)
    assert again is not None and len(again.sources) == 2 and again.organizers == ["Fira Barcelona"]


def test_conflicts_are_recorded_and_returned(catalog: Catalog, make_event: MakeEvent) -> None:
    catalog.ingest_document("a", [make_event(document="a", url="https://old.example/expo")], content_hash="1")
    catalog.ingest_document("b", [make_event(document="b", extractor="jsonld", url="https://expo.example/")],
                            content_hash="2")
    stored = catalog.get(make_event().id)
    assert stored is not None
    assert stored.url == "https://expo.example/"
    [conflict] = stored.conflicts
    assert (conflict.field, conflict.kept, conflict.other) == ("url", "https://expo.example/", "https://old.example/expo")
    assert (conflict.kept_source, conflict.other_source, conflict.rule) == ("b", "a", "structured over prose")
    assert catalog.stats()["conflicts"] == 1


def test_every_field_round_trips(catalog: Catalog, make_event: MakeEvent) -> None:
    aware = datetime(2023, 11, 7, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    event = make_event(
        end=date(2023, 11, 9), start_time=aware, end_time=datetime(2023, 11, 9, 18, 0), region="Catalonia",
        lat=41.3874, lon=2.1686, timezone="Europe/Madrid", venue="Fira Gran Via", organizers=["Fira Barcelona"],
        topics=["mobility", "energy"], figures=[Figure("participants", 20000, "almost", 2022, "almost 20.000")],
        description="The leading event for cities.", url="https://www.smartcityexpo.com/",
        status=Status.RESCHEDULED, attendance_mode=AttendanceMode.MIXED, previous_start=date(2023, 10, 1),
        aliases=["SCEWC"], part_of="Smart City Expo", series="Smart City Expo World Congress", edition="2023",
    )
    catalog.ingest_document("doc-a", [event], content_hash="h")
    stored = catalog.get(event.id)
    assert isinstance(stored, CatalogEvent)
    for name in ("name", "start", "end", "start_time", "end_time", "city", "region", "country", "country_code",
                 "lat", "lon", "timezone", "venue", "organizers", "topics", "figures", "description", "url",
                 "status", "attendance_mode", "previous_start", "aliases", "part_of", "series", "edition"):
        assert getattr(stored, name) == getattr(event, name), name
    assert stored.start_time is not None and stored.start_time.utcoffset() == timedelta(hours=1)
    assert stored.end_time is not None and stored.end_time.tzinfo is None
    assert stored.id == event.id and stored.to_dict()["id"] == event.id
    assert stored.created_at is not None and stored.created_at.tzinfo is not None
    assert stored.sources[0].document == "doc-a"


def test_catalog_id_is_fixed_at_first_insert(catalog: Catalog, make_event: MakeEvent) -> None:
    first = make_event("Smart CIty Expo World Congress")
    catalog.ingest_document("a", [first], content_hash="1")
    catalog.ingest_document("b", [make_event("Smart City Expo World Congress", document="b",
                                             published=date(2024, 1, 1))], content_hash="2")
    stored = catalog.get(first.id)
    assert stored is not None and stored.id == first.id


def test_updated_at_moves_only_on_change(catalog: Catalog, make_event: MakeEvent) -> None:
    catalog.ingest_document("a", [make_event()], content_hash="1")
    created = catalog.get(make_event().id)
    catalog.ingest_document("a", [make_event()], content_hash="2")
    same = catalog.get(make_event().id)
    catalog.ingest_document("a", [make_event(venue="Fira")], content_hash="3")
    changed = catalog.get(make_event().id)
    assert created and same and changed
    assert same.updated_at == created.updated_at
    assert changed.updated_at is not None and created.updated_at is not None
    assert changed.updated_at > created.updated_at and changed.created_at == created.created_at


def test_record_failure_keeps_events(catalog: Catalog, make_event: MakeEvent) -> None:
    catalog.ingest_document("doc-a", [make_event()], content_hash="h")
    catalog.record_failure("doc-a", "HTTP 503")
    catalog.record_failure("never-read", "not a supported format")
    record = catalog.document("doc-a")
    assert record is not None
    assert (record.last_error, record.content_hash, record.events_yielded) == ("HTTP 503", "h", 1)
    assert record.last_error_at is not None
    never = catalog.document("never-read")
    assert never is not None and never.content_hash is None and never.last_error == "not a supported format"
    assert catalog.stats()["events"] == 1 and catalog.stats()["failed_documents"] == 2
    # A later successful read clears the error.
    catalog.ingest_document("doc-a", [make_event()], content_hash="h")
    cleared = catalog.document("doc-a")
    assert cleared is not None and cleared.last_error is None
    assert catalog.stats()["failed_documents"] == 1


def test_get_missing_is_none_and_delete_removes_everything(catalog: Catalog, make_event: MakeEvent) -> None:
    assert catalog.get("0000000000000000") is None
    event = make_event(topics=["mobility"], organizers=["Fira"], description="Barcelona congress")
    other = make_event("Barcelona Mobility Forum", date(2023, 12, 1))
    catalog.ingest_document("a", [event, other], content_hash="1")
    catalog.ingest_document("b", [make_event(document="b", url="https://x.example")], content_hash="2")
    catalog.delete(event.id)
    assert catalog.get(event.id) is None
    stats = catalog.stats()
    assert (stats["events"], stats["sources"], stats["topics"], stats["organizers"]) == (1, 1, 0, 0)
    assert [e.id for e in catalog.query().events] == [other.id]
    from cityevents.catalog import EventQuery

    assert catalog.query(EventQuery(q="congress")).count == 0
    with pytest.raises(NotFound):
        catalog.delete(event.id)


def test_concurrent_writers_do_not_lose_events(db_url: str, make_event: MakeEvent) -> None:
    import threading

    from cityevents.catalog import open_catalog

    catalogs = [open_catalog(db_url), open_catalog(db_url)]
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            for n in range(10):
                event = make_event(f"Event {index}-{n}", date(2024, 1, 1) + timedelta(days=n), document=f"d{index}")
                catalogs[index].ingest_document(f"d{index}-{n}", [event], content_hash="h")
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert catalogs[0].stats()["events"] == 20
    for opened in catalogs:
        opened.close()


def test_events_table_holds_every_scalar_field(catalog: Catalog) -> None:
    columns = set(events.c.keys())
    assert {"start_date", "end_date", "start_time", "end_time", "status", "attendance_mode", "previous_start",
            "part_of", "series", "edition", "created_at", "updated_at", "organizers", "topics", "figures",
            "aliases"} <= columns
