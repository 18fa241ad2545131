"""Atom (RFC 4287), one entry per event, written with lxml.

lxml builds the tree and escapes every text node and attribute, so event text can never turn
into markup of the feed itself. Titles and summaries are ``type="text"``: readers show them
verbatim, never as HTML.
"""

from __future__ import annotations

from datetime import datetime, timezone

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
MEDIA_TYPE = "application/atom+xml"
GENERATOR = "cityevents"


def render(events: list[Event], info: FeedInfo, event_url: EventUrl | None) -> str:
    """An Atom feed document with one ``entry`` per event, in the order given."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    dated = [(event, entry_updated(event, now)) for event in events]
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    _add(feed, "id", info.self_url or info.link)
    _add(feed, "title", clean_text(info.title)).set("type", "text")
    if info.description:
        _add(feed, "subtitle", clean_text(info.description)).set("type", "text")
    _add(feed, "updated", max((d for _, d in dated), default=now).isoformat())
    _link(feed, info.link, "alternate", "text/html")
    if info.self_url:
        _link(feed, info.self_url, "self", MEDIA_TYPE)
    _add(etree.SubElement(feed, f"{{{ATOM_NS}}}author"), "name", clean_text(info.title))
    _add(feed, "generator", GENERATOR)
    for event, updated in dated:
        entry = etree.SubElement(feed, f"{{{ATOM_NS}}}entry")
        _add(entry, "id", event_urn(event))
        _add(entry, "title", entry_title(event)).set("type", "text")
        _link(entry, event_link(event, info, event_url), "alternate", "text/html")
        _add(entry, "updated", updated.isoformat())
        _add(entry, "summary", entry_summary(event)).set("type", "text")
        for topic in event.topics:
            etree.SubElement(entry, f"{{{ATOM_NS}}}category", term=clean_text(topic))
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def _add(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    element.text = text
    return element


def _link(parent: etree._Element, href: str, rel: str, media_type: str) -> None:
    etree.SubElement(parent, f"{{{ATOM_NS}}}link", href=href, rel=rel, type=media_type)
