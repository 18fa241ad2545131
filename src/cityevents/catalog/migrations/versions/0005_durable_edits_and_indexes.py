"""Linear ingest, indexed start sort, durable moderation: FTS rowid map, start-sort indexes, tombstones.

* SQLite: ``events_fts_map`` (event id -> FTS rowid), so the write path never scans ``events_fts``
  for an event's row; first the FTS table is made to hold exactly one row per event.
* ``ix_events_start_sort`` and ``ix_events_start_sort_desc``: the start sort's expressions
  (see ``schema.START_SORT``), so a page sorted by start reads an index instead of sorting.
* ``event_tombstones``: the ids of deleted events, which ingest does not re-create.
* Moderator edits made before this revision (the fields whose provenance is ``moderation:<actor>``)
  become that actor's claims, which merging ranks above every document.

Revision ID: 0005
Revises: 0004
Create Date: 2025-01-05
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from cityevents.catalog.schema import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Frozen here as of this revision, so that later changes to the code cannot change what it does.
EDIT_EXTRACTOR = "moderation"
EDIT_PREFIX = "moderation:"
GROUPS = (("start", "end", "start_time", "end_time"),
          ("city", "region", "country", "country_code", "lat", "lon", "timezone"))
COLUMN_OF = {"start": "start_date", "end": "end_date"}
EDITABLE = ("name", "start", "end", "start_time", "end_time", "city", "region", "country", "country_code", "lat",
            "lon", "timezone", "venue", "description", "url", "status", "attendance_mode", "topics", "organizers",
            "aliases", "part_of", "series", "edition", "previous_start")
DATE_COLUMNS = ("start_date", "end_date", "previous_start")
JSON_COLUMNS = ("topics", "organizers", "aliases", "provenance")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # One FTS row per existing event, then remember each row's rowid.
        op.execute("DELETE FROM events_fts WHERE rowid NOT IN (SELECT max(rowid) FROM events_fts "
                   "WHERE event_id IN (SELECT id FROM events) GROUP BY event_id)")
        op.execute("INSERT INTO events_fts (event_id, body) SELECT id, search_text FROM events "
                   "WHERE id NOT IN (SELECT event_id FROM events_fts)")
        op.execute("CREATE TABLE events_fts_map (event_id TEXT PRIMARY KEY, fts_rowid INTEGER NOT NULL)")
        op.execute("INSERT INTO events_fts_map (event_id, fts_rowid) SELECT event_id, rowid FROM events_fts")
    op.create_index("ix_events_start_sort", "events", [sa.text("coalesce(start_date, '9999-12-31')"), "id"])
    op.create_index("ix_events_start_sort_desc", "events", [sa.text("coalesce(start_date, '0001-01-01')"), "id"])
    op.create_table(
        "event_tombstones",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("deleted_at", UTCDateTime, nullable=False),
    )
    _edits_to_claims(bind)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM event_sources WHERE extractor = :extractor").bindparams(extractor=EDIT_EXTRACTOR))
    op.drop_table("event_tombstones")
    op.drop_index("ix_events_start_sort_desc", "events")
    op.drop_index("ix_events_start_sort", "events")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE events_fts_map")


def _edits_to_claims(bind: sa.Connection) -> None:
    """A claim per (event, moderator) stating the fields that moderator edited, as the row has them."""
    columns = {COLUMN_OF.get(name, name) for name in EDITABLE}
    events = sa.table("events", sa.column("id"), *(
        sa.column(name, sa.Date if name in DATE_COLUMNS else sa.JSON if name in JSON_COLUMNS else None)
        for name in sorted(columns | {"provenance"})))
    sources = sa.table("event_sources", sa.column("event_id"), sa.column("document"), sa.column("extractor"),
                       sa.column("fields", sa.JSON), sa.column("seen_at", UTCDateTime),
                       sa.column("record", sa.JSON))
    edited = bind.execute(sa.select(events).where(sa.cast(events.c.provenance, sa.Text).like(f"%{EDIT_PREFIX}%")))
    now = datetime.now(UTC)
    for row in edited:
        by_actor: dict[str, set[str]] = defaultdict(set)
        covered: set[str] = set()
        for name, documents in row.provenance.items():
            if name in EDITABLE and len(documents) == 1 and documents[0].startswith(EDIT_PREFIX):
                group = next((group for group in GROUPS if name in group), (name,))
                by_actor[documents[0]].update(set(group) - covered)
                covered.update(group)
        for document, names in by_actor.items():
            if not names:
                continue
            record = {"name": "", **{name: _json(row._mapping[COLUMN_OF.get(name, name)]) for name in names}}
            bind.execute(sa.insert(sources).values(event_id=row.id, document=document, extractor=EDIT_EXTRACTOR,
                                                   fields={name: EDIT_EXTRACTOR for name in sorted(names)},
                                                   seen_at=now, record=record))


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
