"""Views out: a list of events rendered as JSON, JSON Lines, CSV, iCalendar, RSS, Atom or JSON-LD.

One module per format, each exposing ``render(events, info, event_url) -> str`` and its media
type; :data:`RENDERERS` names them for the CLI (``--format``) and the web feeds::

    render(events, "ics", FeedInfo(title="Smart city events", self_url=".../feeds/events.ics"))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cityevents.errors import UnsupportedFormat
from cityevents.export import atom, csv, ics, json, jsonld, rss
from cityevents.export.common import EventUrl, FeedInfo
from cityevents.export.jsonld import event_jsonld, script_safe_json
from cityevents.model import Event

__all__ = [
    "RENDERERS",
    "FeedInfo",
    "Renderer",
    "event_jsonld",
    "media_type",
    "render",
    "script_safe_json",
]


@dataclass(frozen=True)
class Renderer:
    """A format: the function that writes it, its media type and its usual file extension."""

    write: Callable[[list[Event], FeedInfo, EventUrl | None], str]
    media_type: str
    extension: str


RENDERERS: dict[str, Renderer] = {
    "json": Renderer(json.render, json.MEDIA_TYPE, "json"),
    "jsonl": Renderer(json.render_lines, json.LINES_MEDIA_TYPE, "jsonl"),
    "csv": Renderer(csv.render, csv.MEDIA_TYPE, "csv"),
    "ics": Renderer(ics.render, ics.MEDIA_TYPE, "ics"),
    "rss": Renderer(rss.render, rss.MEDIA_TYPE, "rss"),
    "atom": Renderer(atom.render, atom.MEDIA_TYPE, "atom"),
    "jsonld": Renderer(jsonld.render, jsonld.MEDIA_TYPE, "jsonld"),
}


def render(
    events: Iterable[Event],
    fmt: str,
    info: FeedInfo | None = None,
    *,
    event_url: Callable[[Event], str] | None = None,
) -> str:
    """Render events in one format.

    Args:
        events: the events, in the order they should appear.
        fmt: a key of :data:`RENDERERS`.
        info: the feed's title, links and refresh interval; defaults to ``FeedInfo()``.
        event_url: the URL of an event's page here, for feed links and JSON-LD ``url``.

    Returns:
        The document as text (iCalendar with CRLF line ends, as RFC 5545 requires).

    Raises:
        UnsupportedFormat: ``fmt`` is not a known format.
    """
    return _renderer(fmt).write(list(events), info or FeedInfo(), event_url)


def media_type(fmt: str) -> str:
    """The Content-Type for a format, e.g. ``"text/calendar; charset=utf-8"`` for ``"ics"``.

    Raises:
        UnsupportedFormat: ``fmt`` is not a known format.
    """
    return _renderer(fmt).media_type


def _renderer(fmt: str) -> Renderer:
    try:
        return RENDERERS[fmt]
    except KeyError:
        choices = ", ".join(RENDERERS)
        raise UnsupportedFormat(f"unknown export format {fmt!r}; choose one of {choices}") from None
