"""End to end in Chromium: submit an event through /submit, approve it on /moderate, see it on the home page."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("CITYEVENTS_SCREENSHOTS")  # a folder: save what the pages looked like


def _shot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def test_submit_approve_and_see_it_listed(page: Any, tokens: Any, announcement: str) -> None:
    page.goto("/submit")
    _shot(page, "submit")
    page.get_by_label("Announcement text").fill(announcement)
    page.get_by_role("button", name="Read and submit").click()
    page.get_by_role("heading", name="waiting for a moderator").wait_for()
    assert page.get_by_role("cell", name="Ghent Smart Mobility Days").is_visible()
    _shot(page, "submitted")

    page.goto("/")
    assert page.get_by_role("link", name="Ghent Smart Mobility Days").count() == 0

    page.goto("/moderate")
    page.get_by_label("Token").fill(tokens.moderator)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Moderation queue").wait_for()
    assert page.get_by_text("Signed in as").is_visible()
    _shot(page, "queue")
    page.get_by_role("button", name="Approve submission 1").click()
    page.get_by_text("Submission 1 approved").wait_for()
    assert page.get_by_text("the queue is empty").is_visible()

    page.goto("/")
    link = page.get_by_role("link", name="Ghent Smart Mobility Days")
    link.wait_for()
    link.click()
    page.get_by_role("heading", name="Ghent Smart Mobility Days").wait_for()
