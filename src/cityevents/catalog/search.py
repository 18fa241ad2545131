"""Full-text search with the same ``q`` semantics on SQLite (FTS5) and PostgreSQL (tsvector).

``q`` grammar, after :func:`cityevents.model.fold` (case and accents ignored):

* ``smart city``    every word must occur (AND);
* ``"expo world"``  the words must occur next to each other, in order (also ``smart-city``);
* ``barc*``         a word starting with ``barc``;
* ``-online``       the word (or a quoted phrase) must not occur.

Why the write path and not triggers keeps the index in sync: the indexed words are produced by
:func:`cityevents.catalog.records.search_text` in Python with the same ``fold()`` the query side
uses, so "Neuchâtel" and "neuchatel" meet on both backends. SQLite triggers could not call it;
on PostgreSQL the ``tsvector`` is a generated column over that text, so only the text is written.

On SQLite every event has exactly one ``events_fts`` row, and ``events_fts_map`` (migration 0005)
remembers its FTS rowid: ``event_id`` is an UNINDEXED FTS5 column, so finding the row by it would
scan the whole index on every write. FTS5 rowids live in its shadow tables' INTEGER PRIMARY KEYs,
which VACUUM never renumbers. The one-row-per-event rule also lets a text-only query count its
matches in the FTS index alone (:func:`text_count`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from cityevents.catalog.schema import events
from cityevents.model import fold

LOGGER = logging.getLogger(__name__)

TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
FTS_TABLE = sa.table("events_fts", sa.column("rowid"), sa.column("event_id"), sa.column("body"))
FTS_MAP = sa.table("events_fts_map", sa.column("event_id"), sa.column("fts_rowid"))
FTS_MATCH = sa.literal_column("events_fts").op("MATCH")
PG_VECTOR: sa.ColumnClause[Any] = sa.literal_column("events.search_vector")


@dataclass(frozen=True)
class Terms:
    """A parsed ``q``: each entry is a tuple of consecutive folded words."""

    required: tuple[tuple[str, ...], ...] = ()
    prefixes: tuple[str, ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.required or self.prefixes or self.excluded)


def parse_terms(q: str | None) -> Terms:
    """Split a user's search string into required phrases, prefixes and excluded phrases.

    Args:
        q: the search string; ``None`` or blank means no text condition.

    Returns:
        The parsed terms (falsy when nothing searchable was left after folding).
    """
    required: list[tuple[str, ...]] = []
    prefixes: list[str] = []
    excluded: list[tuple[str, ...]] = []
    for match in TOKEN.finditer(q or ""):
        quoted_neg, quoted, bare_neg, bare = match.groups()
        negated = bool(quoted_neg if quoted is not None else bare_neg)
        raw = quoted if quoted is not None else bare
        words = tuple(fold(raw).split())
        if not words:
            continue
        if quoted is None and raw.endswith("*") and len(words) == 1 and not negated:
            prefixes.append(words[0])
        elif negated:
            excluded.append(words)
        else:
            required.append(words)
    return Terms(tuple(required), tuple(prefixes), tuple(excluded))


def text_condition(terms: Terms, dialect: str) -> ColumnElement[bool]:
    """The WHERE condition on ``events`` that implements ``terms`` for a backend.

    Args:
        terms: from :func:`parse_terms`; must be truthy.
        dialect: ``"sqlite"`` or ``"postgresql"``.

    Returns:
        A boolean SQL expression.
    """
    if dialect == "postgresql":
        return _pg_condition(terms)
    return _fts5_condition(terms)


def _fts5_condition(terms: Terms) -> ColumnElement[bool]:
    expression = _fts5_expression(terms)
    if expression is not None:
        return events.c.id.in_(sa.select(FTS_TABLE.c.event_id).where(FTS_MATCH(expression)))
    negative = " OR ".join(_fts5_phrase(words) for words in terms.excluded)
    return events.c.id.not_in(sa.select(FTS_TABLE.c.event_id).where(FTS_MATCH(negative)))


def _fts5_expression(terms: Terms) -> str | None:
    """One FTS5 query for terms with something required (exclusions become ``NOT``), else ``None``."""
    positive = [_fts5_phrase(words) for words in terms.required]
    positive += [f'"{word}"*' for word in terms.prefixes]
    if not positive:
        return None
    expression = " AND ".join(positive)
    if terms.excluded:
        expression = f"({expression}) NOT ({' OR '.join(_fts5_phrase(words) for words in terms.excluded)})"
    return expression


def _fts5_phrase(words: tuple[str, ...]) -> str:
    # fold() leaves only [a-z0-9 ], so no quoting of the words themselves is needed.
    return '"' + " ".join(words) + '"'


def text_count(terms: Terms, dialect: str) -> sa.Select[int] | None:
    """A cheaper exact count of the events matching ``terms`` alone, where the backend has one.

    On SQLite, counting FTS5 matches reads only the index's doclists: no event id is fetched and no
    event row is looked up. That equals counting events because each event has exactly one FTS row.

    Args:
        terms: from :func:`parse_terms`; must be truthy.
        dialect: ``"sqlite"`` or ``"postgresql"``.

    Returns:
        A ``SELECT count(*)``, or ``None`` when the generic count over ``events`` is the way.
    """
    expression = _fts5_expression(terms) if dialect == "sqlite" else None
    if expression is None:
        return None
    return sa.select(sa.func.count()).select_from(FTS_TABLE).where(FTS_MATCH(expression))


def _pg_condition(terms: Terms) -> ColumnElement[bool]:
    simple: sa.ColumnClause[Any] = sa.literal_column("'simple'::regconfig")
    parts = ['"' + " ".join(words) + '"' for words in terms.required]
    parts += ['-"' + " ".join(words) + '"' for words in terms.excluded]
    queries: list[ColumnElement[Any]] = []
    if parts:
        queries.append(sa.func.websearch_to_tsquery(simple, " ".join(parts)))
    queries += [sa.func.to_tsquery(simple, f"{word}:*") for word in terms.prefixes]
    tsquery = queries[0]
    for extra in queries[1:]:
        tsquery = tsquery.op("&&")(extra)
    return PG_VECTOR.op("@@")(tsquery)


def sync_fts(connection: sa.Connection, event_id: str, text: str | None) -> None:
    """Replace an event's row in the SQLite FTS table (``text=None`` removes it); no-op elsewhere.

    Every statement finds the FTS row by its rowid (through ``events_fts_map``), never by a scan.
    """
    if connection.dialect.name != "sqlite":
        return
    fts_rowid = connection.execute(sa.select(FTS_MAP.c.fts_rowid).where(FTS_MAP.c.event_id == event_id)).scalar()
    if fts_rowid is None:
        if text is not None:
            inserted = connection.execute(sa.insert(FTS_TABLE).values(event_id=event_id, body=text))
            connection.execute(sa.insert(FTS_MAP).values(event_id=event_id, fts_rowid=inserted.lastrowid))
    elif text is None:
        connection.execute(sa.delete(FTS_TABLE).where(FTS_TABLE.c.rowid == fts_rowid))
        connection.execute(sa.delete(FTS_MAP).where(FTS_MAP.c.event_id == event_id))
    else:
        connection.execute(sa.update(FTS_TABLE).where(FTS_TABLE.c.rowid == fts_rowid).values(body=text))
