"""Web pages: structure-keeping text, boilerplate removal, publication dates, structured data first."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from cityevents.ingest import html
from cityevents.model import AttendanceMode, Status


def test_text_keeps_headings_lists_tables_and_paragraphs() -> None:
    text = html.html_to_text(
        "<h2>Spring events</h2><p>Our picks for <b>spring</b>.</p>"
        "<ul><li>Expo A – 3 May 2027, Oslo</li><li>Forum B<ul><li>Side event</li></ul></li></ul>"
        "<table><tr><th>Event</th><th>City</th></tr><tr><td>Summit C</td><td>Riga</td></tr></table>"
        "<p>Line one<br>line two</p>"
    )
    assert text.split("\n") == [
        "Spring events",
        "",
        "Our picks for spring.",
        "",
        "  • Expo A – 3 May 2027, Oslo",
        "  • Forum B",
        "  • Side event",
        "",
        "Event | City",
        "Summit C | Riga",
        "",
        "Line one",
        "line two",
    ]


def test_boilerplate_is_not_content(data_dir: Path) -> None:
    tree = html.page_tree((data_dir / "html" / "listing.html").read_text(encoding="utf-8"))
    lines = html.html_to_text(tree).split("\n")
    assert lines[0] == "Upcoming smart city events in 2027"
    assert lines[4:7] == ["Spring", "", lines[6]]
    assert lines[6].startswith("  • Smart Mobility Summit – 14–16 April 2027, Lisbon, Portugal. Three days")
    assert lines[7].startswith("  • Urban Data Forum – 11 May, Tallinn, Estonia.")
    assert "Circular Cities Conference | 21–22 September 2027 | Copenhagen, Denmark" in lines
    text = "\n".join(lines)
    for boilerplate in (
        "cookie",
        "Popular posts",
        "Oslo",
        "About us",
        "Privacy",
        "Members' Meeting",
        "dataLayer",
    ):
        assert boilerplate not in text


def test_article_header_is_kept_but_page_header_is_not() -> None:
    text = html.html_to_text(
        "<html><body><header><a>Logo</a> Site title</header>"
        "<article><header><h1>Mobility Week</h1><time>4 May 2027</time></header><p>Body.</p></article>"
        "<div class='share-buttons'>Share on X</div><div hidden>secret</div></body></html>"
    )
    assert text.split("\n") == ["Mobility Week", "", "4 May 2027", "", "Body."]


def test_listing_page_gives_its_events_and_nothing_from_the_frame(read_sample) -> None:  # type: ignore[no-untyped-def]
    events = {event.name: event for event in read_sample("html/listing.html")}
    assert set(events) == {
        "Smart Mobility Summit",
        "Urban Data Forum",
        "Circular Cities Conference",
        "Smart Energy Districts Expo",
    }
    summit = events["Smart Mobility Summit"]
    assert (summit.start, summit.end, summit.city, summit.country_code) == (
        date(2027, 4, 14),
        date(2027, 4, 16),
        "Lisbon",
        "PT",
    )
    # "11 May" has no year: the page's article:published_time (15 January 2027) anchors it.
    assert events["Urban Data Forum"].start == date(2027, 5, 11)
    assert events["Smart Energy Districts Expo"].city == "Vienna"
    assert all(event.sources[0].published == date(2027, 1, 15) for event in events.values())


def test_structured_events_win_over_prose(read_sample) -> None:  # type: ignore[no-untyped-def]
    events = read_sample("html/event_jsonld.html")
    names = [event.name for event in events]
    assert names.count("Green Buildings Week 2027") == 1
    assert not any(event.start == date(2027, 4, 20) for event in events), "old dates of the rescheduled event"
    congress = next(event for event in events if event.name == "Smart Water Congress")
    assert congress.status is Status.RESCHEDULED
    assert (congress.start, congress.end, congress.previous_start) == (
        date(2027, 10, 5),
        date(2027, 10, 7),
        date(2027, 4, 20),
    )
    assert congress.start_time == datetime.fromisoformat("2027-10-05T09:00:00+02:00")
    assert congress.start_time.utcoffset() == timedelta(hours=2)
    assert congress.attendance_mode is AttendanceMode.MIXED
    assert congress.sources[0].extractor == "jsonld"
    assert congress.sources[0].published == date(2027, 2, 3)
    cancelled = next(event for event in events if event.name == "Green Buildings Week 2027")
    assert cancelled.status is Status.CANCELLED
    assert cancelled.venue == "Ahoy Convention Centre"


def test_page_published_sources(data_dir: Path) -> None:
    meta = html.page_tree(
        '<html><head><meta name="date" content="2026-03-04"></head><body><p>x</p></body></html>'
    )
    assert html.page_published(meta, []) == date(2026, 3, 4)
    timed = html.page_tree(
        '<html><body><p>Posted <time pubdate datetime="2025-12-01T10:00">1 Dec</time></p></body></html>'
    )
    assert html.page_published(timed, []) == date(2025, 12, 1)
    items = [{"@type": "BlogPosting", "datePublished": "2027-02-03"}]
    assert html.page_published(html.page_tree("<html><body><p>x</p></body></html>"), items) == date(
        2027, 2, 3
    )


def test_microdata_page_in_latin_1(read_sample) -> None:  # type: ignore[no-untyped-def]
    [event] = read_sample("html/microdata.html")
    assert event.name == "Digitale Stadt Forum München"
    assert event.venue == "Künstlerhaus am Lenbachplatz"
    assert (event.start, event.end, event.status) == (date(2027, 6, 9), date(2027, 6, 10), Status.POSTPONED)
    assert event.country_code == "DE"


def test_duplicates_rule() -> None:
    from cityevents.model import Event

    structured = [
        Event(name="Smart Water Congress", start=date(2027, 10, 5), city="Rotterdam", aliases=["SWC"])
    ]
    structured[0].previous_start = date(2027, 4, 20)
    assert html.duplicates(Event(name="The 3rd Smart Water Congress 2027"), structured)
    assert html.duplicates(Event(name="SWC"), structured)
    assert html.duplicates(Event(name="Water day", start=date(2027, 4, 20), city="Rotterdam"), structured)
    assert not html.duplicates(Event(name="Water day", start=date(2027, 4, 20), city="Delft"), structured)
    assert not html.duplicates(Event(name="Congress"), structured)


def test_event_cards_with_a_year_less_date_and_the_place_below(read_sample) -> None:  # type: ignore[no-untyped-def]
    events = {e.name: e for e in read_sample("html/cards.html")}
    assert set(events) == {"Smart Cities Week Brazil", "Nordic Edge Expo", "Tomorrow.City Summit",
                           "Urban Future Conference"}  # nothing from the nav or the footer
    brazil = events["Smart Cities Week Brazil"]  # "17–19 October" under a page published 2023-09-01
    assert (brazil.start.isoformat(), brazil.end.isoformat(), brazil.city, brazil.country_code) == (
        "2023-10-17", "2023-10-19", "São Paulo", "BR")
    assert events["Nordic Edge Expo"].city == "Stavanger"
    assert events["Urban Future Conference"].country_code == "DE"
