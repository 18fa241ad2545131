"""The catalog: merged events in SQLite or PostgreSQL, searchable and paged.

    from cityevents.catalog import EventQuery, open_catalog

    with open_catalog("events.db") as catalog:
        catalog.ingest_document("listing.txt", events, content_hash=sha256)
        page = catalog.query(EventQuery(q="smart city", country="ES", limit=20))
"""

from cityevents.catalog.query import EventQuery, Page
from cityevents.catalog.records import CatalogEvent
from cityevents.catalog.store import Catalog, DocumentRecord, IngestResult, open_catalog

__all__ = ["Catalog", "CatalogEvent", "DocumentRecord", "EventQuery", "IngestResult", "Page", "open_catalog"]
