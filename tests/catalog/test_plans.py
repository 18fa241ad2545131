"""Costs a unit test can pin without timing: the statements the catalog runs, and how the database runs them.

* Ingest stays linear on SQLite: no write scans ``events_fts`` (its ``event_id`` is UNINDEXED, so
  finding a row by it reads the whole index); rows are found by rowid through ``events_fts_map``.
* Pages sorted by start read the start-sort indexes, on both backends, first page and later ones.
* A query with only ``q`` is counted in the FTS5 index, with the same count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from cityevents.catalog import Catalog, EventQuery
from cityevents.model import Event

MakeEvent = Callable[..., Event]
# FTS5's plans: "INDEX 0:" alone reads every row (no rowid, no MATCH); "0:=" looks one rowid up.
FTS_BY_ROWID = "SCAN events_fts VIRTUAL TABLE INDEX 0:="


@dataclass(frozen=True)
class Statement:
    sql: str
    parameters: Any


@contextmanager
def recorded(catalog: Catalog) -> Iterator[list[Statement]]:
    """The SQL statements the catalog runs inside the block, with their parameters."""
    seen: list[Statement] = []

    def record(_conn: Any, _cursor: Any, sql: str, parameters: Any, _context: Any, _many: bool) -> None:
        seen.append(Statement(sql, parameters))

    sa.event.listen(catalog.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(catalog.engine, "before_cursor_execute", record)


def plan(catalog: Catalog, statement: Statement) -> str:
    """The backend's plan for a recorded statement, as one string."""
    with catalog.engine.connect() as conn:
        if catalog.dialect == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement.sql}", statement.parameters)
            return "\n".join(row[-1] for row in rows)
        # A handful of rows would always be read in full; ask whether the index can serve at all.
        conn.exec_driver_sql("SET enable_seqscan = off")
        conn.exec_driver_sql("SET enable_sort = off")
        return "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {statement.sql}", statement.parameters))


def _events(make_event: MakeEvent, count: int, *, start: date = date(2023, 1, 1),
            description: str = "") -> list[Event]:
    """``count`` events a week apart (so that none matches another), in Barcelona."""
    return [make_event(f"Urban Mobility Forum {n}", start + timedelta(days=7 * n), description=description)
            for n in range(count)]


def _fts_state(catalog: Catalog) -> tuple[int, int, int]:
    """(events, FTS rows, map rows pointing at an FTS row of their own event)."""
    with catalog.engine.connect() as conn:
        return (conn.exec_driver_sql("SELECT count(*) FROM events").scalar_one(),
                conn.exec_driver_sql("SELECT count(*) FROM events_fts").scalar_one(),
                conn.exec_driver_sql("SELECT count(*) FROM events_fts_map AS m JOIN events_fts AS f "
                                     "ON f.rowid = m.fts_rowid AND f.event_id = m.event_id "
                                     "JOIN events AS e ON e.id = m.event_id").scalar_one())


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_fts_writes_find_rows_by_rowid_never_by_scan(catalog: Catalog, make_event: MakeEvent) -> None:
    catalog.ingest_document("listing", _events(make_event, 20), content_hash="1")
    with recorded(catalog) as statements:
        catalog.ingest_document("listing", _events(make_event, 21, description="now with workshops"),
                                content_hash="2")  # 20 updates, 1 insert
        catalog.delete(_events(make_event, 1)[0].id)
    fts_writes = [s for s in statements if "events_fts" in s.sql and "events_fts_map" not in s.sql]
    assert {s.sql.split()[0] for s in fts_writes} == {"INSERT", "UPDATE", "DELETE"}
    plans = [plan(catalog, s) for s in fts_writes if not s.sql.startswith("INSERT")]
    assert plans and all(p == FTS_BY_ROWID for p in plans), plans
    assert _fts_state(catalog) == (20, 20, 20)
    assert catalog.query(EventQuery(q="workshops")).count == 20


@contextmanager
def vm_steps(catalog: Catalog) -> Iterator[list[int]]:
    """SQLite virtual-machine instructions (in tens) run inside the block: work, counted without a clock."""
    counter = [0]

    def tick() -> int:
        counter[0] += 1
        return 0  # go on

    def count(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.set_progress_handler(tick, 10)

    def stop(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.set_progress_handler(None, 0)

    sa.event.listen(catalog.engine.pool, "checkout", count)
    sa.event.listen(catalog.engine.pool, "checkin", stop)
    try:
        yield counter
    finally:
        sa.event.remove(catalog.engine.pool, "checkout", count)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_ingest_work_does_not_grow_with_the_catalog(catalog: Catalog, make_event: MakeEvent) -> None:
    """Adding, changing and deleting one event costs as much in a catalog of 600 events as in one of 30."""
    work = []
    for size in (30, 600):
        catalog.ingest_document(f"listing-{size}", _events(make_event, size, start=date(2000 + size // 30, 1, 1)),
                                content_hash="1")
        newcomer = make_event(f"Civic Data Hackathon {size}", date(1990, 1, 1), document=f"news-{size}")
        changed = _events(make_event, 1, start=date(2000 + size // 30, 1, 1), description="now with workshops")[0]
        with vm_steps(catalog) as steps:
            added = catalog.ingest_document(f"news-{size}", [newcomer], content_hash="1")
            catalog.ingest_document(f"listing-{size}", [changed], content_hash="2")
            catalog.delete(added.event_ids[0])
        work.append(steps[0])
    small, large = work
    assert large < small * 1.3, work


def test_pages_sorted_by_start_read_the_start_sort_index(catalog: Catalog, make_event: MakeEvent) -> None:
    undated = [make_event(f"Open Data Day {n}", None, city=f"Town {n}") for n in range(3)]
    catalog.ingest_document("listing", _events(make_event, 12) + undated, content_hash="1")
    for sort, index in (("start", "ix_events_start_sort"), ("-start", "ix_events_start_sort_desc")):
        first = catalog.query(EventQuery(sort=sort, limit=5))
        with recorded(catalog) as statements:
            later = catalog.query(EventQuery(sort=sort, limit=5, cursor=first.next_cursor))
        paging = next(s for s in statements if "ORDER BY" in s.sql and "FROM events" in s.sql)
        described = plan(catalog, paging)
        assert index in described
        assert "TEMP B-TREE" not in described and "Sort" not in described.split("\n")[0]
        assert [e.start for e in later.events] == sorted((e.start for e in later.events),  # type: ignore[type-var]
                                                         reverse=sort.startswith("-"))
    # Undated events come last in both directions, and paging reaches each event once.
    for sort in ("start", "-start"):
        seen, cursor = [], None
        while True:
            page = catalog.query(EventQuery(sort=sort, limit=4, cursor=cursor))
            seen += page.events
            cursor = page.next_cursor
            if cursor is None:
                break
        assert len({e.id for e in seen}) == len(seen) == 15
        assert [e.start for e in seen[-3:]] == [None, None, None]


@pytest.mark.parametrize("q", ["mobility", "urban forum", '"mobility forum"', "mobil*", "forum -workshops",
                               "-workshops", "forum 3"])
def test_text_only_counts_equal_the_matches(catalog: Catalog, make_event: MakeEvent, q: str) -> None:
    listing = _events(make_event, 8) + [make_event("Workshops on Urban Mobility", date(2024, 3, 1),
                                                   city="Madrid", country="Spain")]
    catalog.ingest_document("listing", listing, content_hash="1")
    with recorded(catalog) as statements:
        page = catalog.query(EventQuery(q=q, limit=100))
    assert page.count == len(page.events) > 0
    counted = next(" ".join(s.sql.split()) for s in statements if "count(" in s.sql)
    has_required = not q.startswith("-")
    assert counted.startswith("SELECT count(*) AS count_1 FROM events_fts ") == (catalog.dialect == "sqlite" and has_required)
    filtered = catalog.query(EventQuery(q=q, country="ES", limit=100))
    assert filtered.count == len(filtered.events) == len([e for e in page.events if e.country_code == "ES"])
