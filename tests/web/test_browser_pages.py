"""The pages in a real browser (Debian's Chromium under Playwright), driven by keyboard where it matters.

Screenshots go to ``$CITYEVENTS_SCREENSHOTS`` (default: the system temp directory) for a look by eye.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from .conftest import HOSTILE_NAME, SAMPLE

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("CITYEVENTS_SCREENSHOTS") or tempfile.gettempdir())


def shoot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"cityevents-{name}.png"), full_page=True)


def names(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(".event-list .event-name a").all_inner_texts()]


def test_home_then_filter_by_country_with_the_keyboard(browser_page: Any) -> None:
    page = browser_page
    page.goto("/")
    assert page.locator("h1").inner_text() == "Upcoming events"
    assert "Helsinki Smart Mobility Forum" in names(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    shoot(page, "home")

    finland = page.locator(".facet a", has_text="Finland")
    finland.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/?country=FI")
    assert sorted(names(page)) == ["Helsinki Smart Mobility Forum", "Tampere Data Days"]
    assert (
        page.locator(".subscribe a", has_text="iCalendar").get_attribute("href")
        == "/feeds/events.ics?country=FI"
    )

    page.goto("/")
    page.locator("#country").focus()
    page.select_option("#country", "JP")
    page.locator(".filters button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**country=JP**")
    assert names(page) == ["Tokyo Resilient Cities Symposium"]


def test_open_an_event(browser_page: Any) -> None:
    page = browser_page
    page.goto("/?country=FI")
    page.locator(".event-name a", has_text="Helsinki Smart Mobility Forum").click()
    page.wait_for_url("**/events/*")
    assert page.locator("h1").inner_text() == "Helsinki Smart Mobility Forum"
    assert page.locator("a", has_text="Add to calendar").first.get_attribute("href").endswith(".ics")
    jsonld = page.locator("script[type='application/ld+json']").text_content()
    assert '"Helsinki Smart Mobility Forum"' in jsonld
    shoot(page, "event")


def test_marker_on_the_map_leads_to_its_event(browser_page: Any, sample_ids: dict[str, str]) -> None:
    page = browser_page
    page.goto("/map")
    event_id = sample_ids["Tokyo Resilient Cities Symposium"]
    marker = page.locator(f"svg a.marker[data-event-id='{event_id}']")
    assert marker.count() == 1 and marker.is_visible()
    box, svg = marker.bounding_box(), page.locator(".map svg").bounding_box()
    assert box and svg and svg["x"] <= box["x"] and box["x"] + box["width"] <= svg["x"] + svg["width"]
    # Tokyo is in the east and north of the equator: right half, upper half of the map.
    assert box["x"] > svg["x"] + svg["width"] / 2 and box["y"] < svg["y"] + svg["height"] / 2
    assert page.evaluate("document.querySelector('.map svg image').getBBox().width") > 0
    shoot(page, "map")
    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/events/{event_id}")
    assert page.locator("h1").inner_text() == "Tokyo Resilient Cities Symposium"


def test_calendar_shows_a_multi_day_event_across_days(browser_page: Any, sample_ids: dict[str, str]) -> None:
    page = browser_page
    page.goto(f"/calendar?month={SAMPLE.month_key}")
    bars = page.locator(f".bar[data-event-id='{sample_ids['Smart City Expo World Congress']}']")
    assert bars.count() >= 1
    first = bars.first.bounding_box()
    day = page.locator(".week .day").first.bounding_box()
    spans = int(bars.first.get_attribute("data-span") or 0)
    assert first and day and first["width"] > (spans - 1) * day["width"]
    shoot(page, "calendar")
    page.locator(".month-nav a[rel=next]").click()
    assert page.locator("h1").inner_text() == f"{SAMPLE.following:%B %Y}"
    assert page.locator(f".bar[data-event-id='{sample_ids['Smart City Expo World Congress']}']").count() == 1


def test_hostile_text_never_runs(browser_page: Any, sample_ids: dict[str, str]) -> None:
    page = browser_page
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    for url in ["/", f"/events/{sample_ids[HOSTILE_NAME]}", f"/calendar?month={SAMPLE.month_key}", "/map"]:
        page.goto(url)
        page.wait_for_load_state("load")
    assert page.locator("h1").count() == 1
    page.goto(f"/events/{sample_ids[HOSTILE_NAME]}")
    assert page.locator("h1").inner_text() == HOSTILE_NAME
    assert page.locator("script:not([type='application/ld+json'])").count() == 0
    assert dialogs == []
    shoot(page, "hostile")


def test_small_screen_layout_has_no_horizontal_scroll(browser_page: Any, sample_ids: dict[str, str]) -> None:
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 800})
    symposium = f"/events/{sample_ids['Data Spaces Symposium']}"
    for url in ["/", f"/calendar?month={SAMPLE.month_key}", "/map", symposium, "/cities/Barcelona"]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
    shoot(page, "event-small")
