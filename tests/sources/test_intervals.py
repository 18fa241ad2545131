"""Interval parsing and formatting, and the form source URLs are stored in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cityevents.catalog.sources import format_interval, normalise_url, parse_interval
from cityevents.errors import InputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("6h", timedelta(hours=6)),
        ("1d", timedelta(days=1)),
        ("2w", timedelta(weeks=2)),
        ("1d12h", timedelta(days=1, hours=12)),
        (" 6H ", timedelta(hours=6)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("1m", timedelta(minutes=1)),
        ("52w", timedelta(weeks=52)),
    ],
)
def test_parse_interval(text: str, expected: timedelta) -> None:
    assert parse_interval(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is not an interval: use a number and a unit"),
        ("6", "is not an interval"),
        ("h", "is not an interval"),
        ("six hours", "is not an interval"),
        ("-6h", "is not an interval"),
        ("1.5h", "is not an interval"),
        ("6x", "unknown unit 'x'"),
        ("30s", "unknown unit 's'"),
        ("0h", "at most once a minute"),
        ("400d", "longest interval is 366 days"),
    ],
)
def test_bad_intervals_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_interval(text)


@pytest.mark.parametrize("text", ["30m", "6h", "1d", "2w", "1d12h", "1w2d3h4m"])
def test_format_interval_round_trips(text: str) -> None:
    assert format_interval(parse_interval(text)) == text


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ("https://Example.ORG/Events?page=2#top", "https://example.org/Events?page=2"),
        ("HTTP://example.org", "http://example.org/"),
        ("  http://example.org:8080/feed.xml ", "http://example.org:8080/feed.xml"),
        ("http://[::1]:8000/cal.ics", "http://[::1]:8000/cal.ics"),
    ],
)
def test_urls_are_stored_in_one_form(url: str, stored: str) -> None:
    assert normalise_url(url) == stored


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/events", "must be an http:// or https:// URL"),
        ("file:///etc/passwd", "must be an http:// or https:// URL"),
        ("example.org/events", "must be an http:// or https:// URL .got no scheme"),
        ("http:///events", "has no host"),
        ("http://user:secret@example.org/", "credentials"),
        ("http://example.org:99999/", "not a valid URL"),
    ],
)
def test_bad_urls_are_refused(url: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        normalise_url(url)
