"""The registry: every format renders, names its media type, and unknown formats fail clearly."""

from __future__ import annotations

import pytest

from cityevents.errors import UnsupportedFormat
from cityevents.export import RENDERERS, FeedInfo, media_type, render
from cityevents.model import Event

FORMATS = ("json", "jsonl", "csv", "ics", "rss", "atom", "jsonld")


def test_registry_has_every_format() -> None:
    assert set(RENDERERS) == set(FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_text_from_any_iterable(fmt: str, events: list[Event]) -> None:
    text = render(iter(events), fmt, FeedInfo(title="Feed"))
    assert isinstance(text, str) and text


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_an_empty_list(fmt: str) -> None:
    assert isinstance(render([], fmt), str)


def test_media_types() -> None:
    assert media_type("json") == "application/json"
    assert media_type("ics").startswith("text/calendar")
    assert media_type("csv").startswith("text/csv")
    assert media_type("rss") == "application/rss+xml"
    assert media_type("atom") == "application/atom+xml"
    assert media_type("jsonld") == "application/ld+json"


def test_unknown_format_is_an_input_error(events: list[Event]) -> None:
    with pytest.raises(UnsupportedFormat, match="unknown export format 'xml'"):
        render(events, "xml")
    with pytest.raises(UnsupportedFormat):
        media_type("pdf")
