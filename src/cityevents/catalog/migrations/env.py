"""Alembic environment: always runs on the connection the catalog hands over.

Users never need an ``alembic.ini``: :func:`cityevents.catalog.migrate.upgrade` builds the
Config in code and puts an open connection (already inside a transaction) in
``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from cityevents.catalog.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("cityevents migrations run through cityevents.catalog.migrate.upgrade()")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
