"""Matching and links: every computed id an event was seen under, its parent event and its series.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cityevents.model import normalise_name

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_keys",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("event_id", sa.String(32), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_event_keys_event", "event_keys", ["event_id"])
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("series_key", sa.Text))
        batch.add_column(sa.Column("part_of_key", sa.Text))
        batch.add_column(sa.Column("part_of_id", sa.String(32)))
        batch.create_index("ix_events_series_key", ["series_key"])
        batch.create_index("ix_events_part_of_key", ["part_of_key"])
        batch.create_index("ix_events_part_of_id", ["part_of_id"])
    # Existing events are their own key, so ids handed out before this migration keep resolving.
    op.execute("INSERT INTO event_keys (key, event_id) SELECT id, id FROM events")
    events = sa.table("events", sa.column("id"), sa.column("name"), sa.column("series"), sa.column("part_of"),
                      sa.column("series_key"), sa.column("part_of_key"))
    bind = op.get_bind()
    for row in bind.execute(sa.select(events.c.id, events.c.name, events.c.series, events.c.part_of)).all():
        bind.execute(sa.update(events).where(events.c.id == row.id).values(
            series_key=normalise_name(row.series or row.name),
            part_of_key=normalise_name(row.part_of) if row.part_of else None,
        ))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_index("ix_events_part_of_id")
        batch.drop_index("ix_events_part_of_key")
        batch.drop_index("ix_events_series_key")
        batch.drop_column("part_of_id")
        batch.drop_column("part_of_key")
        batch.drop_column("series_key")
    op.drop_table("event_keys")
