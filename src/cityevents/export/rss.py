"""RSS 2.0 with an ``atom:link rel="self"``, one item per event, written with lxml.

lxml builds the tree and escapes every text node and attribute, so event text can never turn
into markup of the feed itself; a hand-formatted template could. RSS readers treat an item's
``description`` as HTML, so it carries the plain text HTML-escaped (then XML-escaped by lxml).
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from email.utils import format_datetime

from lxml import etree

from cityevents.export.common import (
    EventUrl,
    FeedInfo,
    clean_text,
    entry_summary,
    entry_title,
    entry_updated,
    event_link,
    event_urn,
)
from cityevents.model import Event

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/rss+xml"
GENERATOR = "cityevents"


def render(events: list[Event], info: FeedInfo, event_url: EventUrl | None) -> str:
    """An RSS 2.0 document with one ``item`` per event, in the order given."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    dated = [(event, entry_updated(event, now)) for event in events]
    rss = etree.Element("rss", version="2.0", nsmap={"atom": ATOM_NS})
    channel = etree.SubElement(rss, "channel")
    _add(channel, "title", clean_text(info.title))
    _add(channel, "link", info.link)
    _add(channel, "description", clean_text(info.description or info.title))
    if info.self_url:
        etree.SubElement(channel, f"{{{ATOM_NS}}}link", href=info.self_url, rel="self", type=MEDIA_TYPE)
    _add(channel, "lastBuildDate", format_datetime(max((d for _, d in dated), default=now), usegmt=True))
    _add(channel, "generator", GENERATOR)
    _add(channel, "ttl", str(info.refresh_minutes))
    for event, updated in dated:
        item = etree.SubElement(channel, "item")
        _add(item, "title", entry_title(event))
        _add(item, "link", event_link(event, info, event_url))
        _add(item, "description", html.escape(entry_summary(event)).replace("\n", "<br>\n"))
        for topic in event.topics:
            _add(item, "category", clean_text(topic))
        _add(item, "guid", event_urn(event)).set("isPermaLink", "false")
        _add(item, "pubDate", format_datetime(updated, usegmt=True))
    return etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def _add(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = text
    return element
