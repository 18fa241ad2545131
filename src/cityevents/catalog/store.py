"""The :class:`Catalog`: the one write path into the database, and every read.

Writing an event means storing the document's *claim* about it (``event_sources.record``) and
recomputing the event's record from all its claims with :func:`cityevents.catalog.merge.merge_claims`;
the topic, organizer, conflict and full-text rows follow from that record. Moderators' edits are
claims too (:mod:`cityevents.catalog.moderation`), so re-reading a document keeps them.

Deleting an event leaves a tombstone (``event_tombstones``) for every id it was known under: ingest
skips extracted events with such an id, so reading the same documents again does not bring the
event back. The ids are computed from name, start and place, so a document that later states the
event under another name, date or city yields a new event, for a moderator to judge.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from types import TracebackType
from typing import Any

import sqlalchemy as sa

from cityevents.catalog import db
from cityevents.catalog import query as q
from cityevents.catalog.merge import (
    MATCH_DAYS,
    Claim,
    Merged,
    merge_claims,
    same_event,
    same_series,
    series_name,
)
from cityevents.catalog.records import (
    CatalogEvent,
    conflict_from_row,
    event_columns,
    event_from_record,
    event_from_row,
    record_from_event,
    source_from_row,
)
from cityevents.catalog.schema import (
    documents,
    event_conflicts,
    event_keys,
    event_organizers,
    event_sources,
    event_tombstones,
    event_topics,
    events,
)
from cityevents.catalog.search import sync_fts
from cityevents.errors import CatalogError, InputError, NotFound
from cityevents.model import Event, Source, fold, normalise_name
from cityevents.settings import database_url

LOGGER = logging.getLogger(__name__)

FACET_KINDS = ("city", "country", "topic", "organizer", "month")
# Columns that are bookkeeping, not event fields: a change in them alone does not make an update.
EDIT_DOCUMENT_PREFIX = "moderation:"  # moderators' edits are claims from "moderation:<actor>"
BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "provenance", "series_key", "part_of_key", "part_of_id"})


@dataclass
class IngestResult:
    """What one :meth:`Catalog.ingest_document` call did.

    Attributes:
        document: the document key.
        new, updated, unchanged: how many distinct catalog events were created, changed or left as
            they were (several extracted events that are one catalog event count once).
        skipped: events dropped, logged with the reason: unusable (no name) or deleted before.
        event_ids: the catalog ids of the document's events, in first-mention order.
        unchanged_document: True when the content hash matched the last ingest and nothing was read.
    """

    document: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    event_ids: list[str] = field(default_factory=list)
    unchanged_document: bool = False


@dataclass(frozen=True)
class DocumentRecord:
    """What the catalog remembers about a document."""

    document: str
    content_hash: str | None
    last_ingested: datetime | None
    events_yielded: int
    last_error: str | None
    last_error_at: datetime | None


@dataclass
class Related:
    """Events linked to one event: its parent, its parts (stages, side events) and the other editions."""

    parent: CatalogEvent | None = None
    parts: list[CatalogEvent] = field(default_factory=list)
    editions: list[CatalogEvent] = field(default_factory=list)


class Catalog:
    """The event catalog over one database (SQLite or PostgreSQL).

    Use :func:`open_catalog`, which also applies migrations. All writes go through one path: a
    per-instance lock plus a database-level write lock (see :func:`cityevents.catalog.db.write_connection`),
    each call in one transaction.
    """

    def __init__(self, engine: sa.Engine) -> None:
        """Wrap an engine whose database is already migrated (see :func:`open_catalog`)."""
        self.engine = engine
        self._write_lock = threading.Lock()

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- writes ---------------------------------------------------------------------------------

    def ingest_document(self, document: str, events: list[Event], *, content_hash: str) -> IngestResult:
        """Store the events read from one document, in one transaction.

        Re-ingesting a document replaces its claims; an event that other documents also state gets
        this document added to its sources, and its record is re-merged from all of them.

        Args:
            document: the document's key (path or URL as given).
            events: the events extracted from it.
            content_hash: a hash of the document's content; when it equals the hash of the last
                successful ingest, nothing is read and every event counts as unchanged.

        Returns:
            Counts of new, updated and unchanged catalog events.

        Raises:
            InputError: for a ``moderation:`` document key, which only moderators' edits use.
            CatalogError: when the database write fails; nothing of this call is kept.
        """
        if document.startswith(EDIT_DOCUMENT_PREFIX):
            raise InputError(f"{document}: document keys starting with {EDIT_DOCUMENT_PREFIX!r} are moderators' edits")
        result = IngestResult(document=document)
        with self._writing(f"store the events of {document}") as conn:
            self._ingest(conn, document, events, content_hash, result)
        LOGGER.info("%s: %d new, %d updated, %d unchanged, %d skipped", document, result.new,
                    result.updated, result.unchanged, result.skipped)
        return result

    def record_failure(self, document: str, error: str) -> None:
        """Remember that reading a document failed, leaving its events as they are.

        Args:
            document: the document's key.
            error: a one-line description of what went wrong.

        Raises:
            CatalogError: when the database write fails.
        """
        now = _now()
        with self._writing(f"record the failure of {document}") as conn:
            updated = conn.execute(sa.update(documents).where(documents.c.document == document)
                                   .values(last_error=error, last_error_at=now))
            if updated.rowcount == 0:
                conn.execute(sa.insert(documents).values(document=document, last_error=error, last_error_at=now,
                                                          events_yielded=0))

    def delete(self, event_id: str) -> None:
        """Delete an event with its sources and conflicts, for good (see the module docstring).

        Args:
            event_id: the catalog id.

        Raises:
            NotFound: when there is no such event.
            CatalogError: when the database write fails.
        """
        with self._writing(f"delete event {event_id}") as conn:
            delete_event(conn, event_id, _now())

    # -- reads ----------------------------------------------------------------------------------

    def get(self, event_id: str) -> CatalogEvent | None:
        """One event with its sources and conflicts.

        Args:
            event_id: the catalog id, or any id the event was extracted under before it was matched
                to this record (``Event.id`` of an extracted event).

        Returns:
            The event, or ``None`` when there is none with that id.
        """
        with self.engine.connect() as conn:
            key = sa.select(event_keys.c.event_id).where(event_keys.c.key == event_id).scalar_subquery()
            row = conn.execute(sa.select(events).where(sa.or_(events.c.id == event_id, events.c.id == key))).first()
            if row is None:
                return None
            return self._hydrate(conn, [event_from_row(row)])[0]

    def related(self, event_id: str) -> Related:
        """The parent, parts and other editions of an event.

        Args:
            event_id: the catalog id.

        Returns:
            The linked events (without sources); editions in date order.

        Raises:
            NotFound: when there is no such event.
        """
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(events).where(events.c.id == event_id)).first()
            if row is None:
                raise NotFound(f"no event {event_id!r}")
            event = event_from_row(row)
            parent = None
            if row.part_of_id:
                parent_row = conn.execute(sa.select(events).where(events.c.id == row.part_of_id)).first()
                parent = event_from_row(parent_row) if parent_row is not None else None
            parts = [event_from_row(r) for r in conn.execute(
                sa.select(events).where(events.c.part_of_id == event_id).order_by(*q.order_by("start")))]
            editions = [edition for edition in (event_from_row(r) for r in conn.execute(
                sa.select(events).where(events.c.series_key == row.series_key, events.c.id != event_id)
                .order_by(*q.order_by("start")))) if same_series(event, edition)]
        return Related(parent=parent, parts=parts, editions=editions)

    def query(self, query: q.EventQuery | None = None) -> q.Page:
        """Events matching a query, one page at a time.

        Args:
            query: filters, sort, page size and cursor; ``None`` means everything, first page.

        Returns:
            The page: events with sources and conflicts, the total count, the next cursor.

        Raises:
            InputError: for a cursor that is malformed or belongs to another sort.
        """
        query = query or q.EventQuery()
        where = q.conditions(query, self.dialect)
        key, _ = q.sort_key(query.sort)
        page_where = list(where)
        if query.cursor:
            page_where.append(q.after_cursor(query.sort, query.cursor))
        statement = (sa.select(events, key.label("sort_key")).where(*page_where)
                     .order_by(*q.order_by(query.sort)).limit(query.limit + 1))
        with self.engine.connect() as conn:
            rows = conn.execute(statement).all()
            count = conn.execute(q.count_matches(query, self.dialect)).scalar_one()
            found = self._hydrate(conn, [event_from_row(row) for row in rows[: query.limit]])
        next_cursor = None
        if len(rows) > query.limit:
            last = rows[query.limit - 1]
            next_cursor = q.encode_cursor(query.sort, last.sort_key, last.id)
        return q.Page(events=list(found), count=count, next_cursor=next_cursor)

    def facets(self, kind: str, query: q.EventQuery | None = None) -> list[tuple[str, int]]:
        """Counts of matching events by city, country (ISO code), topic, organizer or month.

        Args:
            kind: one of ``FACET_KINDS``.
            query: restrict to events matching its filters (sort, limit and cursor are ignored).

        Returns:
            (value, count) pairs: most frequent first (ties by value), months in calendar order
            ("2023-10"); values are the filter values that select those events.

        Raises:
            InputError: for an unknown kind.
        """
        if kind not in FACET_KINDS:
            raise InputError(f"unknown facet {kind!r}; use one of {', '.join(FACET_KINDS)}")
        where = q.conditions(query or q.EventQuery(), self.dialect)
        value: sa.ColumnElement[Any]
        if kind == "topic":
            value = event_topics.c.topic
            base = sa.select(value, sa.func.count()).select_from(events.join(event_topics)).group_by(value)
        elif kind == "organizer":
            value = sa.func.min(event_organizers.c.organizer)
            base = (sa.select(value, sa.func.count()).select_from(events.join(event_organizers))
                    .group_by(event_organizers.c.organizer_key))
        elif kind == "city":
            value = sa.func.min(events.c.city)
            base = sa.select(value, sa.func.count()).where(events.c.city_key.is_not(None)).group_by(events.c.city_key)
        elif kind == "country":
            value = events.c.country_code
            base = sa.select(value, sa.func.count()).where(value.is_not(None)).group_by(value)
        else:
            value = self._month(events.c.start_date)
            base = sa.select(value, sa.func.count()).where(events.c.start_date.is_not(None)).group_by(value)
        with self.engine.connect() as conn:
            pairs = [(str(label), int(count)) for label, count in conn.execute(base.where(*where))]
        if kind == "month":
            return sorted(pairs)
        return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))

    def stats(self) -> dict[str, int]:
        """Counts: events, documents, failed documents, sources, conflicts, countries, cities, topics, organizers."""
        statements = {
            "events": sa.select(sa.func.count()).select_from(events),
            "documents": sa.select(sa.func.count()).select_from(documents),
            "failed_documents": sa.select(sa.func.count()).select_from(documents)
            .where(documents.c.last_error.is_not(None)),
            "sources": sa.select(sa.func.count()).select_from(event_sources),
            "conflicts": sa.select(sa.func.count()).select_from(event_conflicts),
            "countries": sa.select(sa.func.count(sa.distinct(events.c.country_code))),
            "cities": sa.select(sa.func.count(sa.distinct(events.c.city_key))),
            "topics": sa.select(sa.func.count(sa.distinct(event_topics.c.topic))),
            "organizers": sa.select(sa.func.count(sa.distinct(event_organizers.c.organizer_key))),
        }
        with self.engine.connect() as conn:
            return {name: int(conn.execute(statement).scalar_one()) for name, statement in statements.items()}

    def document(self, document: str) -> DocumentRecord | None:
        """What the catalog remembers about a document (hash, last ingest, last error), if anything."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(documents).where(documents.c.document == document)).first()
        return DocumentRecord(**row._mapping) if row is not None else None

    # -- internals ------------------------------------------------------------------------------

    @contextmanager
    def _writing(self, what: str) -> Iterator[sa.Connection]:
        """The one write path: instance lock, database write lock, one transaction."""
        try:
            with self._write_lock, db.write_connection(self.engine) as conn:
                yield conn
        except sa.exc.SQLAlchemyError as error:
            raise CatalogError(f"could not {what}: {error.__class__.__name__}: {error}") from error

    def _ingest(self, conn: sa.Connection, document: str, extracted: Sequence[Event], content_hash: str,
                result: IngestResult) -> None:
        now = _now()
        known = conn.execute(sa.select(documents).where(documents.c.document == document)).first()
        usable = _not_deleted(conn, document, [event for event in extracted if _usable(document, event, result)],
                              result)
        if known is not None and known.content_hash == content_hash and known.last_ingested is not None:
            result.unchanged_document = True
            result.event_ids = _unique(_known_id(conn, event.id) or event.id for event in usable)
            result.unchanged = len(result.event_ids)
            conn.execute(sa.update(documents).where(documents.c.document == document)
                         .values(last_ingested=now, last_error=None, last_error_at=None))
            return
        # One claim per (catalog event, extractor): repeated mentions in one document are merged first.
        groups: dict[str, dict[str, list[Claim]]] = defaultdict(lambda: defaultdict(list))
        batch: dict[str, Event] = {}  # catalog id -> first mention, for matching within the document
        for event in usable:
            event_id = _resolve(conn, event, batch)
            batch.setdefault(event_id, event)
            source = _source_for(document, event)
            groups[event_id][source.extractor].append(Claim(event, source))
        result.event_ids = list(groups)
        for event_id, by_extractor in groups.items():
            claims = [_one_claim(mentions) for mentions in by_extractor.values()]
            outcome = self._store(conn, event_id, document, claims, now)
            setattr(result, outcome, getattr(result, outcome) + 1)
        values = {"content_hash": content_hash, "last_ingested": now, "events_yielded": len(result.event_ids),
                  "last_error": None, "last_error_at": None}
        if known is None:
            conn.execute(sa.insert(documents).values(document=document, **values))
        else:
            conn.execute(sa.update(documents).where(documents.c.document == document).values(**values))

    def _store(self, conn: sa.Connection, event_id: str, document: str, claims: list[Claim],
               now: datetime) -> str:
        """Put a document's claims on an event, re-merge it; return "new", "updated" or "unchanged"."""
        existing = conn.execute(sa.select(events).where(events.c.id == event_id)).first()
        if existing is None:
            merged = merge_claims(claims)
            columns = _columns(conn, event_id, merged)
            conn.execute(sa.insert(events).values(id=event_id, created_at=now, updated_at=now, **columns))
            _write_claims(conn, event_id, document, claims)
            _replace_children(conn, event_id, merged)
            sync_fts(conn, event_id, columns["search_text"])
            _link(conn, event_id, merged.event, now)
            outcome = "new"
        else:
            _write_claims(conn, event_id, document, claims)
            outcome = "updated" if remerge(conn, existing, now) else "unchanged"
        _remember_keys(conn, event_id, claims)
        return outcome

    @staticmethod
    def _hydrate(conn: sa.Connection, found: list[CatalogEvent]) -> list[CatalogEvent]:
        """Attach sources and conflicts to events, with one query each."""
        by_id = {event.id: event for event in found}
        if not by_id:
            return found
        ids = list(by_id)
        for row in conn.execute(sa.select(event_sources).where(event_sources.c.event_id.in_(ids))
                                .order_by(event_sources.c.id)):
            by_id[row.event_id].sources.append(source_from_row(row))
        for row in conn.execute(sa.select(event_conflicts).where(event_conflicts.c.event_id.in_(ids))
                                .order_by(event_conflicts.c.id)):
            by_id[row.event_id].conflicts.append(conflict_from_row(row))
        return found

    def _month(self, column: sa.ColumnElement[Any]) -> sa.ColumnElement[str]:
        """SQL for "YYYY-MM" of a date column."""
        if self.dialect == "postgresql":
            return sa.func.to_char(column, "YYYY-MM")
        return sa.func.strftime("%Y-%m", column)


def remerge(conn: sa.Connection, existing: sa.Row[Any], now: datetime) -> bool:
    """Recompute a stored event from all its claims and rewrite the rows that follow from it.

    Args:
        conn: a connection inside the write transaction.
        existing: the event's ``events`` row as it is before the claims changed.
        now: the time of the change (``updated_at`` when a field changed).

    Returns:
        Whether any of the event's fields changed.
    """
    event_id = existing.id
    merged = merge_claims(_stored_claims(conn, event_id))
    columns = _columns(conn, event_id, merged)
    changed = _changed(existing, columns)
    if changed:
        conn.execute(sa.update(events).where(events.c.id == event_id).values(updated_at=now, **columns))
        sync_fts(conn, event_id, columns["search_text"])  # unchanged fields mean unchanged text
    else:
        conn.execute(sa.update(events).where(events.c.id == event_id).values(provenance=columns["provenance"]))
    _replace_children(conn, event_id, merged)
    _link(conn, event_id, merged.event, now)
    return changed


def delete_event(conn: sa.Connection, event_id: str, now: datetime) -> sa.Row[Any]:
    """Delete an event (its sources, conflicts and keys go with it) and leave its tombstones.

    Args:
        conn: a connection inside the write transaction.
        event_id: the catalog id.
        now: the time of deletion.

    Returns:
        The deleted ``events`` row.

    Raises:
        NotFound: when there is no such event.
    """
    row = conn.execute(sa.select(events).where(events.c.id == event_id)).first()
    if row is None:
        raise NotFound(f"no event {event_id!r}")
    keys = {event_id, *conn.execute(sa.select(event_keys.c.key).where(event_keys.c.event_id == event_id)).scalars()}
    buried = set(conn.execute(sa.select(event_tombstones.c.key).where(event_tombstones.c.key.in_(keys))).scalars())
    if keys - buried:
        conn.execute(sa.insert(event_tombstones), [{"key": key, "event_id": event_id, "deleted_at": now}
                                                   for key in sorted(keys - buried)])
    conn.execute(sa.delete(events).where(events.c.id == event_id))
    conn.execute(sa.update(events).where(events.c.part_of_id == event_id).values(part_of_id=None))
    sync_fts(conn, event_id, None)
    return row


def open_catalog(url: str | None = None) -> Catalog:
    """Open (creating and migrating as needed) the catalog at ``url``.

    Args:
        url: a database URL or SQLite file path, see :func:`cityevents.settings.database_url`;
            ``None`` means ``CITYEVENTS_DB`` or the default ``./cityevents.db``.

    Returns:
        The catalog, ready for reads and writes.

    Raises:
        CatalogError: when the database cannot be opened or migrated.
    """
    engine = db.create_catalog_engine(database_url(url))
    try:
        db.upgrade(engine)
    except CatalogError:
        engine.dispose()
        raise
    return Catalog(engine)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _usable(document: str, event: Event, result: IngestResult) -> bool:
    if fold(event.name):
        return True
    LOGGER.warning("%s: skipping an event without a usable name (start %s)", document, event.start)
    result.skipped += 1
    return False


def _not_deleted(conn: sa.Connection, document: str, extracted: list[Event], result: IngestResult) -> list[Event]:
    """The events whose id has no tombstone; the others are counted as skipped."""
    ids = {event.id for event in extracted}
    buried = set(conn.execute(sa.select(event_tombstones.c.key).where(event_tombstones.c.key.in_(ids))).scalars())
    if not buried:
        return extracted
    kept = [event for event in extracted if event.id not in buried]
    LOGGER.info("%s: skipping %d deleted events", document, len(extracted) - len(kept))
    result.skipped += len(extracted) - len(kept)
    return kept


def _source_for(document: str, event: Event) -> Source:
    """The event's source for this document (extractors attach one), or a bare one."""
    for source in event.sources:
        if source.document == document:
            return source
    if event.sources:
        LOGGER.debug("%s: event %r carries sources of other documents only", document, event.name)
    return Source(document=document)


def _one_claim(mentions: list[Claim]) -> Claim:
    """Several mentions of one event by one extractor in one document, as one claim."""
    if len(mentions) == 1:
        return mentions[0]
    return Claim(merge_claims(mentions).event, mentions[0].source)


def _columns(conn: sa.Connection, event_id: str, merged: Merged) -> dict[str, Any]:
    """Row values for a merged event; an event with other editions in the catalog gets its series named."""
    if not merged.event.series and _editions(conn, event_id, merged.event):
        merged.event.series = series_name(merged.event.name)
    columns = event_columns(merged.event)
    columns["provenance"] = merged.provenance
    columns["series_key"] = normalise_name(merged.event.series or merged.event.name)
    columns["part_of_key"] = normalise_name(merged.event.part_of) if merged.event.part_of else None
    return columns


def _editions(conn: sa.Connection, event_id: str, event: Event) -> list[CatalogEvent]:
    """Other catalog events that are editions of the same recurring event."""
    rows = conn.execute(sa.select(events).where(events.c.series_key == normalise_name(event.series or event.name),
                                                events.c.id != event_id))
    return [edition for edition in map(event_from_row, rows) if same_series(event, edition)]


def _known_id(conn: sa.Connection, key: str) -> str | None:
    """The catalog id an extracted event's computed id already maps to, if any."""
    row = conn.execute(sa.select(event_keys.c.event_id).where(event_keys.c.key == key)).first()
    if row is not None:
        return str(row.event_id)
    row = conn.execute(sa.select(events.c.id).where(events.c.id == key)).first()
    return str(row.id) if row is not None else None


def _resolve(conn: sa.Connection, event: Event, batch: dict[str, Event]) -> str:
    """The catalog id for an extracted event: known key, then this document's events, then the matcher."""
    known = _known_id(conn, event.id)
    if known is not None:
        return known
    if event.id in batch:
        return event.id
    for event_id, earlier in batch.items():
        if same_event(event, earlier):
            return event_id
    return _find_match(conn, event) or event.id


def _find_match(conn: sa.Connection, event: Event) -> str | None:
    """A stored event that is the same occurrence: candidates by date in SQL, then the match rules."""
    if event.start is None:
        return None
    window = timedelta(days=MATCH_DAYS)
    rows = conn.execute(sa.select(events).where(events.c.start_date.between(event.start - window,
                                                                             event.start + window))
                        .order_by(events.c.created_at, events.c.id))
    candidates = [candidate for candidate in map(event_from_row, rows) if same_event(event, candidate)]
    if not candidates:
        return None
    # Prefer the candidate with the very same name (years aside); otherwise the oldest record.
    exact = [c for c in candidates if normalise_name(c.name) == normalise_name(event.name)]
    chosen = (exact or candidates)[0]
    LOGGER.debug("matched %r to catalog event %s (%r)", event.name, chosen.id, chosen.name)
    return chosen.id


def _remember_keys(conn: sa.Connection, event_id: str, claims: list[Claim]) -> None:
    keys = {event_id, *(claim.event.id for claim in claims)}
    stored = set(conn.execute(sa.select(event_keys.c.key).where(event_keys.c.key.in_(keys))).scalars())
    missing = sorted(keys - stored)
    if missing:
        conn.execute(sa.insert(event_keys), [{"key": key, "event_id": event_id} for key in missing])


def _link(conn: sa.Connection, event_id: str, event: Event, now: datetime) -> None:
    """Point the event at its parent, adopt waiting parts, and name the series of earlier editions."""
    parent = _find_parent(conn, event_id, event)
    conn.execute(sa.update(events).where(events.c.id == event_id).values(part_of_id=parent))
    names = sorted({normalise_name(name) for name in (event.name, *event.aliases)} - {""})
    # Filtered here, not in SQL: SQLite would rather read "part_of_id IS NULL", almost every event.
    waiting = [row.id for row in conn.execute(sa.select(events.c.id, events.c.part_of_id)
                                              .where(events.c.part_of_key.in_(names)))
               if row.part_of_id is None and row.id != event_id]
    if waiting:
        conn.execute(sa.update(events).where(events.c.id.in_(waiting)).values(part_of_id=event_id))
    if event.series:
        unnamed = [e.id for e in _editions(conn, event_id, event) if not e.series]
        if unnamed:
            conn.execute(sa.update(events).where(events.c.id.in_(unnamed))
                         .values(series=event.series, updated_at=now))


def _find_parent(conn: sa.Connection, event_id: str, event: Event) -> str | None:
    """The catalog event ``event.part_of`` names, the edition closest in time."""
    if not event.part_of:
        return None
    rows = conn.execute(sa.select(events.c.id, events.c.start_date)
                        .where(events.c.series_key == normalise_name(event.part_of), events.c.id != event_id))
    parents = [(abs((row.start_date - event.start).days) if row.start_date and event.start else 10**6, row.id)
               for row in rows]
    return min(parents)[1] if parents else None


def _changed(existing: Any, columns: dict[str, Any]) -> bool:
    stored = existing._mapping
    return any(stored[name] != value for name, value in columns.items() if name not in BOOKKEEPING)


def _write_claims(conn: sa.Connection, event_id: str, document: str, claims: list[Claim]) -> None:
    """Replace this document's claims on an event, keeping row ids (and so first-seen order) stable."""
    rows = conn.execute(sa.select(event_sources.c.id, event_sources.c.extractor)
                        .where(event_sources.c.event_id == event_id, event_sources.c.document == document))
    previous = {row.extractor: row.id for row in rows}
    for claim in claims:
        source = claim.source
        values = {
            "span_start": source.span[0] if source.span else None,
            "span_end": source.span[1] if source.span else None,
            "fields": dict(source.fields),
            "published": source.published,
            "seen_at": source.seen_at,
            "record": record_from_event(claim.event),
        }
        row_id = previous.pop(source.extractor, None)
        if row_id is None:
            conn.execute(sa.insert(event_sources).values(event_id=event_id, document=document,
                                                         extractor=source.extractor, **values))
        else:
            conn.execute(sa.update(event_sources).where(event_sources.c.id == row_id).values(**values))
    if previous:
        conn.execute(sa.delete(event_sources).where(event_sources.c.id.in_(list(previous.values()))))


def _stored_claims(conn: sa.Connection, event_id: str) -> list[Claim]:
    rows = conn.execute(sa.select(event_sources).where(event_sources.c.event_id == event_id)
                        .order_by(event_sources.c.id))
    return [Claim(event_from_record(row.record), source_from_row(row)) for row in rows]


def _replace_children(conn: sa.Connection, event_id: str, merged: Merged) -> None:
    """Rewrite the topic, organizer and conflict rows that follow from a merged record."""
    for table in (event_topics, event_organizers, event_conflicts):
        conn.execute(sa.delete(table).where(table.c.event_id == event_id))
    topics = _unique(merged.event.topics)
    if topics:
        conn.execute(sa.insert(event_topics), [{"event_id": event_id, "topic": topic} for topic in topics])
    organizers: dict[str, str] = {}
    for name in merged.event.organizers:
        organizers.setdefault(fold(name), name)
    organizers.pop("", None)
    if organizers:
        conn.execute(sa.insert(event_organizers), [{"event_id": event_id, "organizer_key": key, "organizer": name}
                                                   for key, name in organizers.items()])
    if merged.conflicts:
        conn.execute(sa.insert(event_conflicts), [
            {"event_id": event_id, "field": c.field, "kept": c.kept, "other": c.other,
             "kept_source": c.kept_source, "other_source": c.other_source, "rule": c.rule}
            for c in merged.conflicts
        ])
