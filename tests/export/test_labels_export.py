"""The human labels feeds use for titles, and the URL guard."""

from __future__ import annotations

from datetime import date

import pytest

from cityevents.export.common import date_label, entry_title, safe_url
from cityevents.model import Event


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2023, 10, 3), None, "3 Oct 2023"),
        (date(2023, 10, 3), date(2023, 10, 3), "3 Oct 2023"),
        (date(2023, 10, 3), date(2023, 10, 4), "3–4 Oct 2023"),
        (date(2023, 9, 30), date(2023, 10, 2), "30 Sep – 2 Oct 2023"),
        (date(2023, 12, 30), date(2024, 1, 2), "30 Dec 2023 – 2 Jan 2024"),
        (None, None, ""),
    ],
)
def test_date_label(start: date | None, end: date | None, label: str) -> None:
    assert date_label(start, end) == label


def test_entry_title_leaves_out_what_is_unknown() -> None:
    assert entry_title(Event("Expo")) == "Expo"
    assert entry_title(Event("Expo", country="Spain")) == "Expo — Spain"
    assert entry_title(Event("  ", start=date(2023, 10, 3))) == "Untitled event (3 Oct 2023)"


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/x", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//example.org/x", False),
        ("https://example.org/\r\nX-Injected: 1", False),
        (None, False),
    ],
)
def test_safe_url(url: str | None, safe: bool) -> None:
    assert (safe_url(url) is not None) == safe
