"""Plain text -> events, through the free-text engine."""

from __future__ import annotations

import logging
from datetime import date

from cityevents.errors import InputError
from cityevents.extract.engine import extract_events
from cityevents.ingest.sniff import decode
from cityevents.model import Event

LOGGER = logging.getLogger(__name__)


def parse(data: bytes, *, source: str, published: date | None = None) -> list[Event]:
    """Events in a plain-text document.

    Args:
        data: the document.
        source: its path or URL.
        published: its publication date, the anchor for year-less dates.

    Returns:
        The events the engine finds.

    Raises:
        InputError: empty, binary or undecodable data.
    """
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("empty document")
    return extract_events(text, source=source, published=published)
