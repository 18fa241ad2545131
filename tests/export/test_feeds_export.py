"""RSS and Atom read back with feedparser; hostile text stays text."""

from __future__ import annotations

import calendar
from datetime import datetime, timezone

import feedparser
import pytest
from lxml import etree

from cityevents.export import FeedInfo, render
from cityevents.model import Event

FEED_URL = "http://localhost:8000/feeds/events.{}"


def info(fmt: str) -> FeedInfo:
    return FeedInfo(title="Smart city events", description="What is on", self_url=FEED_URL.format(fmt))


def page(event: Event) -> str:
    return f"http://localhost:8000/events/{event.id}"


def parse(text: str) -> feedparser.FeedParserDict:
    return feedparser.parse(text.encode("utf-8"))


def epoch(struct: object) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(struct), timezone.utc)  # type: ignore[arg-type]


@pytest.mark.parametrize(("fmt", "version"), [("rss", "rss20"), ("atom", "atom10")])
def test_feed_parses_cleanly(fmt: str, version: str, events: list[Event]) -> None:
    feed = parse(render(events, fmt, info(fmt), event_url=page))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == version
    assert feed.feed.title == "Smart city events"
    assert any(link.rel == "self" and link.href == FEED_URL.format(fmt) for link in feed.feed.links)
    assert len(feed.entries) == len(events)


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_entries(fmt: str, events: list[Event], expo: Event) -> None:
    entries = parse(render(events, fmt, info(fmt), event_url=page)).entries
    first = entries[0]
    assert first.title == "Smart City Expo World Congress — Barcelona, Spain (7–9 Nov 2023)"
    assert first.link == page(expo)
    assert first.id == f"urn:cityevents:event:{expo.id}"
    assert epoch(first.updated_parsed if fmt == "atom" else first.published_parsed) == expo.sources[0].seen_at
    assert [tag.term for tag in first.tags] == ["mobility", "energy"]
    assert entries[1].title == "Open Data Workshop — Amsterdam, Netherlands (12 Mar 2024)"
    assert entries[2].title == "Digital Twins Webinar (2 May 2024)"
    assert entries[3].title == "Tokyo Mobility Summit — Tokyo, Japan (1–2 Jul 2024)"
    # no source: the start date stands in
    assert epoch(entries[1].updated_parsed if fmt == "atom" else entries[1].published_parsed) == datetime(
        2024, 3, 12, tzinfo=timezone.utc
    )


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_ids_are_stable_across_renders(fmt: str, events: list[Event]) -> None:
    ids = [[e.id for e in parse(render(events, fmt, info(fmt))).entries] for _ in range(2)]
    assert ids[0] == ids[1] == [f"urn:cityevents:event:{event.id}" for event in events]


def test_atom_summary_is_the_plain_text(expo: Event) -> None:
    entry = parse(render([expo], "atom", info("atom"))).entries[0]
    assert entry.summary_detail.type == "text/plain"
    assert entry.summary == expo.description


def test_rss_description_shows_the_text_literally(expo: Event) -> None:
    expo.description = "Tickets <b>free</b> & open"
    entry = parse(render([expo], "rss", info("rss"))).entries[0]
    assert entry.summary == "Tickets &lt;b&gt;free&lt;/b&gt; &amp; open"  # HTML that displays the text


def test_links_fall_back_to_the_event_then_the_site(expo: Event, workshop: Event, hostile: Event) -> None:
    entries = parse(render([expo, workshop, hostile], "atom", info("atom"))).entries
    home = "http://localhost:8000/"
    assert [e.link for e in entries] == ["https://www.smartcityexpo.com/", home, home]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_hostile_text_is_never_markup(fmt: str, hostile: Event, hostile_text: str) -> None:
    text = render([hostile], fmt, info(fmt))
    for raw in ("<script", "</script", "<img", "<b>", "]]>", "javascript:", "\x00", "\x0b"):
        assert raw not in text
    tree = etree.fromstring(text.encode("utf-8"))
    assert not [el for el in tree.iter() if etree.QName(el).localname in {"script", "img", "b"}]
    feed = parse(text)
    assert feed.bozo == 0
    entry = feed.entries[0]
    assert entry.title.startswith(f"Expo {hostile_text} — Evil<b>ville")  # plain text, read back exactly
    if fmt == "atom":
        assert entry.summary.startswith(hostile_text)
    else:
        assert "<img" not in entry.summary and "&lt;img" in entry.summary


def test_empty_feed_is_valid() -> None:
    for fmt in ("rss", "atom"):
        feed = parse(render([], fmt, info(fmt)))
        assert feed.bozo == 0 and feed.entries == []
