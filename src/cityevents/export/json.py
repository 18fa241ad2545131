"""JSON and JSON Lines: each event as :meth:`Event.to_dict` gives it (stable key order)."""

from __future__ import annotations

import json

from cityevents.export.common import EventUrl, FeedInfo
from cityevents.model import Event

MEDIA_TYPE = "application/json"
LINES_MEDIA_TYPE = "application/x-ndjson"


def render(events: list[Event], info: FeedInfo, event_url: EventUrl | None) -> str:
    """An indented JSON array of event objects."""
    return json.dumps([event.to_dict() for event in events], ensure_ascii=False, indent=2) + "\n"


def render_lines(events: list[Event], info: FeedInfo, event_url: EventUrl | None) -> str:
    """One compact JSON object per line."""
    return "".join(json.dumps(event.to_dict(), ensure_ascii=False) + "\n" for event in events)
