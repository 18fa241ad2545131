"""Moderators' edits and deletes survive reading the documents again, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command

from cityevents.catalog import Catalog, EventQuery, open_catalog
from cityevents.catalog.db import alembic_config, write_connection
from cityevents.catalog.merge import RULE_EDITED
from cityevents.catalog.moderation import Moderation
from cityevents.catalog.schema import event_sources, events
from cityevents.errors import InputError, NotFound
from cityevents.model import Event

MakeEvent = Callable[..., Event]


@pytest.fixture
def moderation(catalog: Catalog) -> Moderation:
    return Moderation(catalog)


def _listing(make_event: MakeEvent, description: str = "Mobility and data.", **fields: object) -> list[Event]:
    return [make_event("Ghent Smart Mobility Days", date(2030, 10, 14), end=date(2030, 10, 15), city="Ghent",
                       country="Belgium", country_code="BE", document="listing", description=description,
                       **fields),
            make_event("Bruges Open Data Day", date(2030, 11, 3), city="Bruges", country="Belgium",
                       country_code="BE", document="listing")]


def test_edits_survive_a_changed_document(catalog: Catalog, moderation: Moderation, make_event: MakeEvent) -> None:
    event_id = catalog.ingest_document("listing", _listing(make_event, venue="ICC"), content_hash="1").event_ids[0]
    moderation.edit_event(event_id, {"name": "Ghent Velo Days", "venue": None, "topics": ["mobility"],
                                     "start": "2030-10-13"}, actor="mia", role="moderator")

    result = catalog.ingest_document("listing", _listing(make_event, "Cycling, transit and data.", venue="Expo Hall",
                                                         topics=["energy", "mobility"]), content_hash="2")
    assert result.event_ids[0] == event_id and result.new == 0
    event = catalog.get(event_id)
    assert event is not None
    assert (event.name, event.venue, event.topics) == ("Ghent Velo Days", None, ["mobility"])
    assert (event.start, event.end) == (date(2030, 10, 13), date(2030, 10, 15))  # the group as edited
    assert event.description == "Cycling, transit and data."  # what nobody edited follows the document
    assert event.provenance["name"] == event.provenance["venue"] == ["moderation:mia"]
    assert event.provenance["description"] == ["listing"]
    assert [(c.field, c.kept, c.other, c.rule) for c in event.conflicts] == [
        ("start", "2030-10-13", "2030-10-14", RULE_EDITED)]
    assert "Ghent Smart Mobility Days" in event.aliases  # the documents' name still finds it
    assert [e.id for e in catalog.query(EventQuery(q="velo")).events] == [event_id]
    assert catalog.query(EventQuery(topic="energy")).count == 0


def test_a_later_edit_by_someone_else_takes_the_field(catalog: Catalog, moderation: Moderation,
                                                      make_event: MakeEvent) -> None:
    event_id = catalog.ingest_document("listing", _listing(make_event), content_hash="1").event_ids[0]
    moderation.edit_event(event_id, {"venue": "ICC", "name": "Ghent Velo Days"}, actor="alice", role="moderator")
    moderation.edit_event(event_id, {"venue": "Expo Hall"}, actor="bob", role="moderator")
    moderation.edit_event(event_id, {"url": "https://velo.example"}, actor="alice", role="moderator")
    catalog.ingest_document("listing", _listing(make_event, "Changed."), content_hash="2")
    event = catalog.get(event_id)
    assert event is not None
    assert (event.name, event.venue, event.url) == ("Ghent Velo Days", "Expo Hall", "https://velo.example")
    assert event.provenance["venue"] == ["moderation:bob"] and event.provenance["url"] == ["moderation:alice"]
    with catalog.engine.connect() as conn:
        claims = {row.document: set(row.fields) for row in conn.execute(
            sa.select(event_sources).where(event_sources.c.event_id == event_id,
                                           event_sources.c.extractor == "moderation"))}
    assert claims == {"moderation:alice": {"name", "url"}, "moderation:bob": {"venue"}}


@pytest.mark.parametrize("remove", ["moderation", "catalog"])
def test_deleted_events_are_not_recreated(catalog: Catalog, moderation: Moderation, make_event: MakeEvent,
                                          remove: str) -> None:
    ids = catalog.ingest_document("listing", _listing(make_event), content_hash="1").event_ids
    # A second document names the same event differently: one more id it is known under.
    other = make_event("Ghent Smart Mobility Days Conference", date(2030, 10, 14), city="Ghent", country="Belgium",
                       country_code="BE", document="news")
    assert catalog.ingest_document("news", [other], content_hash="1").event_ids == ids[:1]
    if remove == "moderation":
        moderation.delete_event(ids[0], actor="root")
    else:
        catalog.delete(ids[0])

    again = catalog.ingest_document("listing", _listing(make_event, "Changed."), content_hash="2")
    assert (again.new, again.unchanged, again.skipped, again.event_ids) == (0, 1, 1, ids[1:])
    assert catalog.ingest_document("news", [other], content_hash="2").skipped == 1
    assert catalog.get(ids[0]) is None and catalog.stats()["events"] == 1
    with pytest.raises(NotFound):
        catalog.delete(ids[0])


def test_moderation_documents_are_not_ingested(catalog: Catalog, make_event: MakeEvent) -> None:
    with pytest.raises(InputError, match="moderation:"):
        catalog.ingest_document("moderation:mia", _listing(make_event), content_hash="1")


def test_edits_made_before_0005_become_claims(db_url: str, make_event: MakeEvent) -> None:
    with open_catalog(db_url) as catalog:
        event_id = catalog.ingest_document("listing", _listing(make_event), content_hash="1").event_ids[0]
        with write_connection(catalog.engine) as conn:
            command.downgrade(alembic_config(conn), "0004")
            # What an edit wrote before 0005: the row, and the provenance of the edited fields.
            row = conn.execute(sa.select(events.c.provenance).where(events.c.id == event_id)).one()
            conn.execute(sa.update(events).where(events.c.id == event_id).values(
                name="Ghent Velo Days", sort_name="ghent velo days", end_date=date(2030, 10, 16),
                search_text="ghent velo days",
                provenance={**row.provenance, "name": ["moderation:mia"], "end": ["moderation:mia"]}))
            if catalog.dialect == "sqlite":
                conn.exec_driver_sql("UPDATE events_fts SET body = 'ghent velo days' WHERE event_id = ?", (event_id,))
    with open_catalog(db_url) as catalog:  # migrates to head again
        catalog.ingest_document("listing", _listing(make_event, "Changed."), content_hash="2")
        event = catalog.get(event_id)
        assert event is not None
        assert (event.name, event.start, event.end) == ("Ghent Velo Days", date(2030, 10, 14), date(2030, 10, 16))
        assert event.description == "Changed."
        assert catalog.query(EventQuery(q="velo")).count == 1
        assert catalog.query(EventQuery(q="changed")).count == 1
