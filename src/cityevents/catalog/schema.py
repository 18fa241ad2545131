"""The catalog's tables, as SQLAlchemy Core metadata.

The migrations under ``migrations/versions`` create exactly this schema (a test compares them);
change both together. Backend-specific parts live outside this metadata:

* SQLite: ``events_fts``, an FTS5 table (``event_id`` UNINDEXED, ``body``), and ``events_fts_map``
  (event id -> FTS rowid), see :mod:`cityevents.catalog.search`;
* PostgreSQL: ``events.search_vector``, a generated ``tsvector`` over ``search_text`` with a GIN index.

Both are filled from ``events.search_text``, which the write path composes with
:func:`cityevents.model.fold`, so the two backends see the same words.
"""

from __future__ import annotations

from datetime import datetime, timezone
import sqlalchemy as sa
from sqlalchemy.engine import Dialect

metadata = sa.MetaData()


class UTCDateTime(sa.TypeDecorator[datetime]):
    """An aware UTC timestamp on every backend (SQLite stores it naive, in UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def _cascade(column: str) -> sa.ForeignKey:
    return sa.ForeignKey(column, ondelete="CASCADE")


events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("sort_name", sa.Text, nullable=False),  # fold(name): the same order on both backends
    sa.Column("start_date", sa.Date),
    sa.Column("end_date", sa.Date),
    # Kept as ISO text: a source's time may be naive (no zone stated) or aware, and that difference
    # must survive a round trip, which neither backend's timestamp type preserves.
    sa.Column("start_time", sa.String(40)),
    sa.Column("end_time", sa.String(40)),
    sa.Column("city", sa.Text),
    sa.Column("city_key", sa.Text),  # fold(city), for accent- and case-blind filtering
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
    sa.Column("provenance", sa.JSON, nullable=False),  # field -> document that supplied its value
    sa.Column("search_text", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    # Links (migration 0002): editions share a series_key; a stage or side event points at its parent.
    sa.Column("series_key", sa.Text),  # normalise_name(series or name)
    sa.Column("part_of_key", sa.Text),  # normalise_name(part_of)
    sa.Column("part_of_id", sa.String(32)),  # no foreign key: SQLite cannot add one; delete() clears it
    sa.Index("ix_events_start_end", "start_date", "end_date"),
    sa.Index("ix_events_country_code", "country_code"),
    sa.Index("ix_events_city", "city_key"),
    sa.Index("ix_events_sort_name", "sort_name", "id"),
    sa.Index("ix_events_updated_at", "updated_at", "id"),
    sa.Index("ix_events_lat_lon", "lat", "lon"),
    sa.Index("ix_events_series_key", "series_key"),
    sa.Index("ix_events_part_of_key", "part_of_key"),
    sa.Index("ix_events_part_of_id", "part_of_id"),
)

# The start sort's keys (migration 0005): undated events sort last in both directions, so a missing
# start stands for the far future ascending and the far past descending. The stand-ins are SQL
# literals in the indexes and the queries alike: an expression index only serves the very same
# expression, never one with a bound parameter.
START_SORT = sa.func.coalesce(events.c.start_date, sa.literal_column("'9999-12-31'"))
START_SORT_DESC = sa.func.coalesce(events.c.start_date, sa.literal_column("'0001-01-01'"))
sa.Index("ix_events_start_sort", START_SORT, events.c.id)
sa.Index("ix_events_start_sort_desc", START_SORT_DESC, events.c.id)

# Every computed Event.id an event was seen under -> the catalog event it was matched to.
event_keys = sa.Table(
    "event_keys",
    metadata,
    sa.Column("key", sa.String(32), primary_key=True),
    sa.Column("event_id", sa.String(32), _cascade("events.id"), nullable=False),
    sa.Index("ix_event_keys_event", "event_id"),
)

event_topics = sa.Table(
    "event_topics",
    metadata,
    sa.Column("event_id", sa.String(32), _cascade("events.id"), primary_key=True),
    sa.Column("topic", sa.Text, primary_key=True),
    sa.Index("ix_event_topics_topic", "topic"),
)

event_organizers = sa.Table(
    "event_organizers",
    metadata,
    sa.Column("event_id", sa.String(32), _cascade("events.id"), primary_key=True),
    sa.Column("organizer_key", sa.Text, primary_key=True),  # fold(organizer)
    sa.Column("organizer", sa.Text, nullable=False),
    sa.Index("ix_event_organizers_key", "organizer_key"),
)

# One row per (event, document, extractor): what that document said about the event ("claim"),
# from which the event's merged fields are recomputed whenever a claim arrives or changes.
event_sources = sa.Table(
    "event_sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(32), _cascade("events.id"), nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("extractor", sa.Text, nullable=False),
    sa.Column("span_start", sa.Integer),
    sa.Column("span_end", sa.Integer),
    sa.Column("fields", sa.JSON, nullable=False),
    sa.Column("published", sa.Date),
    sa.Column("seen_at", UTCDateTime, nullable=False),
    sa.Column("record", sa.JSON, nullable=False),  # the event as this document stated it
    sa.UniqueConstraint("event_id", "document", "extractor", name="uq_event_sources_claim"),
    sa.Index("ix_event_sources_document", "document"),
)

event_conflicts = sa.Table(
    "event_conflicts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(32), _cascade("events.id"), nullable=False),
    sa.Column("field", sa.Text, nullable=False),
    sa.Column("kept", sa.JSON),
    sa.Column("other", sa.JSON),
    sa.Column("kept_source", sa.Text, nullable=False),
    sa.Column("other_source", sa.Text, nullable=False),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Index("ix_event_conflicts_event", "event_id"),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("document", sa.Text, primary_key=True),
    sa.Column("content_hash", sa.Text),
    sa.Column("last_ingested", UTCDateTime),
    sa.Column("events_yielded", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("last_error_at", UTCDateTime),
)

# Pages, feeds and calendars fetched again on a schedule (migration 0003); see cityevents.catalog.sources.
sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("every", sa.Integer, nullable=False),  # seconds between fetches
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.Column("last_attempt_at", UTCDateTime),
    sa.Column("last_success_at", UTCDateTime),
    sa.Column("last_error", sa.Text),  # the last attempt's error; cleared by a success
    sa.Column("last_event_count", sa.Integer),  # events the last successful fetch yielded
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.UniqueConstraint("url", name="uq_sources_url"),
)

# -- moderation (migration 0004); see cityevents.catalog.moderation ------------------------------------

# API tokens: only the SHA-256 of a token is stored; the token itself is shown once, when created.
api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("role", sa.String(20), nullable=False),  # "admin" or "moderator"
    sa.Column("token_hash", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_used_at", UTCDateTime),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("name", name="uq_api_tokens_name"),
    sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
)

# Events proposed by anyone (a URL or pasted text), waiting for a moderator's decision.
submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(10), nullable=False),  # "url" or "text"
    sa.Column("payload", sa.Text, nullable=False),  # the URL or the text as submitted
    sa.Column("submitter_hash", sa.String(64), nullable=False),  # keyed hash of the client address
    sa.Column("status", sa.String(10), nullable=False, server_default="pending"),  # pending|approved|rejected
    sa.Column("preview", sa.JSON, nullable=False),  # the extracted events, as catalog records
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("decided_at", UTCDateTime),
    sa.Column("decided_by", sa.Text),  # the token name
    sa.Column("note", sa.Text),
    sa.Index("ix_submissions_status", "status", "id"),
)

# Events deleted on purpose (migration 0005): every id the event was known under, so that reading
# its documents again does not bring it back. See cityevents.catalog.store.delete_event.
event_tombstones = sa.Table(
    "event_tombstones",
    metadata,
    sa.Column("key", sa.String(32), primary_key=True),  # a catalog id or an extracted Event.id
    sa.Column("event_id", sa.String(32), nullable=False),  # the catalog id that was deleted
    sa.Column("deleted_at", UTCDateTime, nullable=False),
)

# Who changed what, when: one row per moderation action, never updated.
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),  # token name, or "cli" for the command line
    sa.Column("action", sa.String(40), nullable=False),  # "event.edit", "submission.approve", ...
    sa.Column("target", sa.Text, nullable=False),  # "event:<id>", "submission:<id>", "token:<name>"
    sa.Column("details", sa.JSON, nullable=False),
    sa.Index("ix_audit_log_target", "target"),
)
