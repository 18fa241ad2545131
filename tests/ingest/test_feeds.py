"""RSS and Atom: every entry is a small dated document for the free-text engine."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from cityevents.errors import InputError
from cityevents.ingest import feeds


def test_rss_entries(read_sample) -> None:  # type: ignore[no-untyped-def]
    events = read_sample("feeds/city_news.rss")
    congress = next(e for e in events if "Smart City Expo World Congress" in e.name)
    assert (congress.start, congress.end, congress.city) == (
        date(2027, 11, 16),
        date(2027, 11, 18),
        "Barcelona",
    )
    assert congress.sources[0].document == "https://news.example.org/2027/02/scewc-registration"
    assert congress.url == "https://news.example.org/2027/02/scewc-registration"
    # content:encoded wins over the shorter description; "4 March" takes its year from the entry's pubDate.
    assert sorted(e.start for e in events if e.name.startswith("Participatory")) == [
        date(2027, 3, 4),
        date(2027, 3, 11),
    ]
    assert all(
        e.sources[0].published == date(2027, 1, 19) for e in events if e.name.startswith("Participatory")
    )
    assert not any("bike" in e.name.lower() for e in events)
    assert len(events) == 3


def test_atom_entries(read_sample) -> None:  # type: ignore[no-untyped-def]
    [event] = read_sample("feeds/events.atom")
    assert (event.start, event.end, event.city, event.country_code) == (
        date(2027, 6, 8),
        date(2027, 6, 9),
        "Helsinki",
        "FI",
    )
    assert event.sources[0].document.endswith("events.atom#urn:uuid:5b1d0e0a-7d3c-4d5e-9f21-000000000001")
    assert event.url is None


def test_feed_without_entries_is_empty_not_an_error(read_sample) -> None:  # type: ignore[no-untyped-def]
    assert read_sample("feeds/empty.rss") == []


def test_non_feed_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not a feed"):
        feeds.parse(b"<catalog><book>x</book></catalog>", source="books.xml")


def test_ill_formed_feed_gives_what_parsed(caplog: pytest.LogCaptureFixture) -> None:
    data = b"""<rss version="2.0"><channel><title>t</title>
    <item><title>Resilient Cities Forum</title><pubDate>Tue, 02 Mar 2027 10:00:00 GMT</pubDate>
    <description>The Resilient Cities Forum takes place on 14 April 2027 in Lyon, France &amp; online.</description>
    </item><item><title>Broken &nbsp; entity"""
    with caplog.at_level(logging.INFO, logger="cityevents.ingest.feeds"):
        events = feeds.parse(data, source="https://example.org/feed")
    assert "not well-formed" in caplog.text
    assert [(e.start, e.city) for e in events] == [(date(2027, 4, 14), "Lyon")]
    assert events[0].sources[0].document == "https://example.org/feed#0"


def test_entry_text_uses_structure() -> None:
    entry = {
        "title": "Events this spring",
        "summary": "<ul><li>Expo A – 3 May 2027, Oslo</li><li>Forum B – 9 May 2027, Riga</li></ul>",
        "summary_detail": {"type": "text/html"},
    }
    assert (
        feeds.entry_text(entry)
        == "Events this spring\n\n  • Expo A – 3 May 2027, Oslo\n  • Forum B – 9 May 2027, Riga"
    )
