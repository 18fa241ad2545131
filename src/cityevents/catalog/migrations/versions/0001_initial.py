"""Initial catalog: events, topics, organizers, sources, conflicts, documents, full-text search.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cityevents.catalog.schema import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "events",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("sort_name", sa.Text, nullable=False),
        sa.Column("start_date", sa.Date),
        sa.Column("end_date", sa.Date),
        sa.Column("start_time", sa.String(40)),
        sa.Column("end_time", sa.String(40)),
        sa.Column("city", sa.Text),
        sa.Column("city_key", sa.Text),
        sa.Column("region", sa.Text),
        sa.Column("country", sa.Text),
        sa.Column("country_key", sa.Text),
        sa.Column("country_code", sa.String(2)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("timezone", sa.Text),
        sa.Column("venue", sa.Text),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("url", sa.Text),
        sa.Column("status", sa.String(20), nullable=False, server_default="scheduled"),
        sa.Column("attendance_mode", sa.String(20), nullable=False, server_default="offline"),
        sa.Column("previous_start", sa.Date),
        sa.Column("part_of", sa.Text),
        sa.Column("series", sa.Text),
        sa.Column("edition", sa.Text),
        sa.Column("organizers", sa.JSON, nullable=False),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("figures", sa.JSON, nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("provenance", sa.JSON, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_events_start_end", "events", ["start_date", "end_date"])
    op.create_index("ix_events_country_code", "events", ["country_code"])
    op.create_index("ix_events_city", "events", ["city_key"])
    op.create_index("ix_events_sort_name", "events", ["sort_name", "id"])
    op.create_index("ix_events_updated_at", "events", ["updated_at", "id"])
    op.create_index("ix_events_lat_lon", "events", ["lat", "lon"])

    op.create_table(
        "event_topics",
        sa.Column("event_id", sa.String(32), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("topic", sa.Text, primary_key=True),
    )
    op.create_index("ix_event_topics_topic", "event_topics", ["topic"])

    op.create_table(
        "event_organizers",
        sa.Column("event_id", sa.String(32), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("organizer_key", sa.Text, primary_key=True),
        sa.Column("organizer", sa.Text, nullable=False),
    )
    op.create_index("ix_event_organizers_key", "event_organizers", ["organizer_key"])

    op.create_table(
        "event_sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(32), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("extractor", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer),
        sa.Column("span_end", sa.Integer),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("published", sa.Date),
        sa.Column("seen_at", UTCDateTime, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.UniqueConstraint("event_id", "document", "extractor", name="uq_event_sources_claim"),
    )
    op.create_index("ix_event_sources_document", "event_sources", ["document"])

    op.create_table(
        "event_conflicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(32), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("kept", sa.JSON),
        sa.Column("other", sa.JSON),
        sa.Column("kept_source", sa.Text, nullable=False),
        sa.Column("other_source", sa.Text, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
    )
    op.create_index("ix_event_conflicts_event", "event_conflicts", ["event_id"])

    op.create_table(
        "documents",
        sa.Column("document", sa.Text, primary_key=True),
        sa.Column("content_hash", sa.Text),
        sa.Column("last_ingested", UTCDateTime),
        sa.Column("events_yielded", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", UTCDateTime),
    )

    if dialect == "sqlite":
        # A standalone FTS5 table, filled by the write path (see cityevents.catalog.search).
        op.execute("CREATE VIRTUAL TABLE events_fts USING fts5(event_id UNINDEXED, body, tokenize='unicode61')")
    elif dialect == "postgresql":
        op.execute(
            "ALTER TABLE events ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED"
        )
        op.execute("CREATE INDEX ix_events_search_vector ON events USING gin (search_vector)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE events_fts")
    for table in ("documents", "event_conflicts", "event_sources", "event_organizers", "event_topics", "events"):
        op.drop_table(table)
