"""RSS, Atom, RDF and CDF feeds -> events.

Each entry is a small document of its own: its title, a blank line, then its content (or
summary) as structured text, dated by the entry (or, failing that, by the feed). The
free-text engine decides what in it is an event; an entry that announces none gives none.
"""

from __future__ import annotations

import io
import logging
import time
from datetime import date
from typing import Any

import feedparser

from cityevents.errors import InputError
from cityevents.extract.engine import extract_events
from cityevents.ingest.html import html_to_text
from cityevents.model import Event

LOGGER = logging.getLogger(__name__)

DATE_KEYS = ("published_parsed", "updated_parsed", "created_parsed")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


def parse(data: bytes, *, source: str, published: date | None = None) -> list[Event]:
    """Events announced in the entries of a feed.

    Args:
        data: the feed document.
        source: its path or URL; entries without a link are named ``f"{source}#{entry id}"``.
        published: a fallback date for entries and feeds that state none.

    Returns:
        The events of all entries, in feed order; [] for a feed without entries.

    Raises:
        InputError: the data is not a feed.
    """
    headers = {"content-location": source} if "://" in source else {}
    # A file-like object: feedparser would take bytes or str for a file name or URL to open.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if parsed.get("bozo"):
        LOGGER.info("%s: feed not well-formed (%s); using what parsed", source, parsed.get("bozo_exception"))
    if not (parsed.get("version") or parsed.entries or parsed.feed.get("title")):  # CDF has no version
        reason = parsed.get("bozo_exception")
        raise InputError(f"not a feed{f': {reason}' if reason else ''}")
    feed_date = struct_date(parsed.feed) or published
    events: list[Event] = []
    for index, entry in enumerate(parsed.entries):
        text = entry_text(entry)
        if not text:
            continue
        link = web_link(entry.get("link"))
        document = link or f"{source}#{entry.get('id') or index}"
        entry_date = struct_date(entry) or feed_date
        found = extract_events(text, source=document, published=entry_date)
        for event in found:
            if event.url is None and link:
                event.url = link
        events.extend(found)
    return events


def web_link(link: object) -> str | None:
    """An entry's link when it is a web address (feedparser falls back on the id, often a URN)."""
    return link if isinstance(link, str) and link.startswith(("http://", "https://")) else None


def entry_text(entry: Any) -> str:
    """Title, a blank line, then the richest body (content, else summary) as structured text."""
    title = detail_text(entry.get("title", ""), entry.get("title_detail"))
    bodies = [detail_text(content.get("value", ""), content) for content in entry.get("content", [])]
    if not any(bodies):
        bodies = [detail_text(entry.get("summary", ""), entry.get("summary_detail"))]
    body = max(bodies, key=len, default="")
    return "\n\n".join(part for part in (title, body) if part.strip())


def detail_text(value: str, detail: Any) -> str:
    """A feed text construct as plain text; markup goes through the structured HTML walk."""
    kind = (detail or {}).get("type", "text/plain")
    if kind in HTML_TYPES or "<" in value:
        return html_to_text(value)
    return value.strip()


def struct_date(node: Any) -> date | None:
    """The first published/updated/created date feedparser normalised."""
    for key in DATE_KEYS:
        value = node.get(key)
        if isinstance(value, time.struct_time):
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday)
            except ValueError:
                continue
    return None
