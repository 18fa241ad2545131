"""The hand-written date grammar: forms, ranges, year inference, negatives, durations, datelines."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityevents.extract.dates import (
    DATE_RANGE,
    DATELINE,
    DateMatch,
    Dateline,
    _datelines,
    _interpret,
    find_dates,
    find_durations,
    find_relative_dates,
    parse_dateline,
)

D = date

# (text, expected [(start, end)], text of the first match)
STATED_YEAR_CASES: list[tuple[str, list[tuple[date, date]], str]] = [
    ("The summit runs 5-7 June 2025 in the port.", [(D(2025, 6, 5), D(2025, 6, 7))], "5-7 June 2025"),
    ("Held 5–7 June 2025.", [(D(2025, 6, 5), D(2025, 6, 7))], "5–7 June 2025"),
    ("Held 5—7 June 2025.", [(D(2025, 6, 5), D(2025, 6, 7))], "5—7 June 2025"),
    ("Held 5 to 7 June 2025.", [(D(2025, 6, 5), D(2025, 6, 7))], "5 to 7 June 2025"),
    ("Held 5 through 7 June 2025.", [(D(2025, 6, 5), D(2025, 6, 7))], "5 through 7 June 2025"),
    ("Held 5 thru 7 June 2025.", [(D(2025, 6, 5), D(2025, 6, 7))], "5 thru 7 June 2025"),
    ("Held 5 until 7 June 2025.", [(D(2025, 6, 5), D(2025, 6, 7))], "5 until 7 June 2025"),
    ("Held 5 till 7 June 2025.", [(D(2025, 6, 5), D(2025, 6, 7))], "5 till 7 June 2025"),
    ("Held on 5 and 6 June 2025.", [(D(2025, 6, 5), D(2025, 6, 6))], "5 and 6 June 2025"),
    ("Dates: 21-23 March, 2026", [(D(2026, 3, 21), D(2026, 3, 23))], "21-23 March, 2026"),
    ("Deadline: 30 April 2024.", [(D(2024, 4, 30), D(2024, 4, 30))], "30 April 2024"),
    ("Posted Feb. 07, 2022 by staff", [(D(2022, 2, 7), D(2022, 2, 7))], "Feb. 07, 2022"),
    ("Posted Sept 9, 2022", [(D(2022, 9, 9), D(2022, 9, 9))], "Sept 9, 2022"),
    ("Posted Sept. 9, 2022", [(D(2022, 9, 9), D(2022, 9, 9))], "Sept. 9, 2022"),
    ("Posted 9 Sep 2022", [(D(2022, 9, 9), D(2022, 9, 9))], "9 Sep 2022"),
    ("Meet us June 11-13, 2025 in hall B", [(D(2025, 6, 11), D(2025, 6, 13))], "June 11-13, 2025"),
    ("Runs Apr 28 - May 2, 2025.", [(D(2025, 4, 28), D(2025, 5, 2))], "Apr 28 - May 2, 2025"),
    ("Runs April 28–May 2, 2025.", [(D(2025, 4, 28), D(2025, 5, 2))], "April 28–May 2, 2025"),
    ("Runs 28 April – 2 May 2025.", [(D(2025, 4, 28), D(2025, 5, 2))], "28 April – 2 May 2025"),
    ("from 29 June to 1 July 2019, then", [(D(2019, 6, 29), D(2019, 7, 1))], "29 June to 1 July 2019"),
    ("It opens 2025-06-11.", [(D(2025, 6, 11), D(2025, 6, 11))], "2025-06-11"),
    ("2025-06-11 to 2025-06-13", [(D(2025, 6, 11), D(2025, 6, 13))], "2025-06-11 to 2025-06-13"),
    ("Starts 2025-06-11T09:00:00Z", [(D(2025, 6, 11), D(2025, 6, 11))], "2025-06-11"),
    ("11 June 2025 - 13 June 2025", [(D(2025, 6, 11), D(2025, 6, 13))], "11 June 2025 - 13 June 2025"),
    (
        "November 29, 2025 – February 1, 2026",
        [(D(2025, 11, 29), D(2026, 2, 1))],
        "November 29, 2025 – February 1, 2026",
    ),
    ("29 Nov 2025 - 1 Feb 2026", [(D(2025, 11, 29), D(2026, 2, 1))], "29 Nov 2025 - 1 Feb 2026"),
    ("December 28 – January 3, 2026", [(D(2025, 12, 28), D(2026, 1, 3))], "December 28 – January 3, 2026"),
    ("28 December - 3 January 2026", [(D(2025, 12, 28), D(2026, 1, 3))], "28 December - 3 January 2026"),
    ("December 28, 2025 to January 3", [(D(2025, 12, 28), D(2026, 1, 3))], "December 28, 2025 to January 3"),
    ("the 21st-23rd May 2025", [(D(2025, 5, 21), D(2025, 5, 23))], "the 21st-23rd May 2025"),
    ("on the 1st and 2nd of July 2024", [(D(2024, 7, 1), D(2024, 7, 2))], "the 1st and 2nd of July 2024"),
    ("Wednesday, 11 June 2025", [(D(2025, 6, 11), D(2025, 6, 11))], "Wednesday, 11 June 2025"),
    ("Wed 11 Jun 2025", [(D(2025, 6, 11), D(2025, 6, 11))], "Wed 11 Jun 2025"),
    ("Wednesday, June 11, 2025", [(D(2025, 6, 11), D(2025, 6, 11))], "Wednesday, June 11, 2025"),
    (
        "Mon 9 June – Wed 11 June 2025",
        [(D(2025, 6, 9), D(2025, 6, 11))],
        "Mon 9 June – Wed 11 June 2025",
    ),
    ("Tue 10 – Thu 12 June 2025", [(D(2025, 6, 10), D(2025, 6, 12))], "Tue 10 – Thu 12 June 2025"),
    ("10–12 Jun. 2025", [(D(2025, 6, 10), D(2025, 6, 12))], "10–12 Jun. 2025"),
    ("11 JUNE 2025", [(D(2025, 6, 11), D(2025, 6, 11))], "11 JUNE 2025"),
    ("june 11th, 2025", [(D(2025, 6, 11), D(2025, 6, 11))], "june 11th, 2025"),
    ("3rd of March 2027", [(D(2027, 3, 3), D(2027, 3, 3))], "3rd of March 2027"),
    ("Dated 25/12/2024", [(D(2024, 12, 25), D(2024, 12, 25))], "25/12/2024"),
    ("Dated 12/25/2024", [(D(2024, 12, 25), D(2024, 12, 25))], "12/25/2024"),
    ("Dated 2024/12/25", [(D(2024, 12, 25), D(2024, 12, 25))], "2024/12/25"),
    ("Dated 05.11.2024", [(D(2024, 11, 5), D(2024, 11, 5))], "05.11.2024"),
    ("Dated 07/07/2024", [(D(2024, 7, 7), D(2024, 7, 7))], "07/07/2024"),
    (
        "Window 03/10/2024 - 15/10/2024",  # the second date fixes day-first for both
        [(D(2024, 10, 3), D(2024, 10, 15))],
        "03/10/2024 - 15/10/2024",
    ),
    (
        "Two fairs: 3 May 2024 and 20 June 2024.",  # "and" joining far-apart days: two dates
        [(D(2024, 5, 3), D(2024, 5, 3)), (D(2024, 6, 20), D(2024, 6, 20))],
        "3 May 2024",
    ),
    (
        "between 3 May and 20 June 2024",
        [(D(2024, 5, 3), D(2024, 6, 20))],
        "3 May and 20 June 2024",
    ),
    (
        "from 6 to 8 May 2025 (setup on May 5, 2025)",
        [(D(2025, 5, 6), D(2025, 5, 8)), (D(2025, 5, 5), D(2025, 5, 5))],
        "6 to 8 May 2025",
    ),
]


@pytest.mark.parametrize(("text", "expected", "first_text"), STATED_YEAR_CASES)
def test_stated_year_forms(text: str, expected: list[tuple[date, date]], first_text: str) -> None:
    found = find_dates(text)
    assert [(m.start, m.end) for m in found] == expected
    assert found[0].text == first_text
    assert text[found[0].span[0] : found[0].span[1]] == first_text
    assert all(m.year_stated for m in found)


NEGATIVE_CASES = [
    "Since 2013 the network has grown.",
    "In 2022 it reached a record number of almost 20.000 participants.",
    "Emissions fall by 2050; the 2023 edition was sold out.",
    "Doors open at 10:00 and close at 18:30.",
    "Call +1 212-555-0100 or +44 20 7946 0958.",
    "Tickets cost 20.000 and 1,250 people registered, 272 sessions and 528 partners.",
    "The whole of October 2023 is devoted to mobility.",  # a month is not an event date
    "Dated 03/04/2024, ambiguous day and month.",
    "Nonsense 31 February 2024 and 2024-13-01 and 2024-02-30.",
    "Room 3-4 is on floor 12.",
    "Version 1.2.2 released; score 3/4.",
    "We march 5 miles and may 3 times stop.",
    "Marseille 3 and Decidedly 4 are not months.",
]


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_not_dates(text: str) -> None:
    assert find_dates(text, anchor=D(2024, 6, 1)) == []


ANCHOR_CASES = [
    # (text, anchor, expected start, expected end)
    ("The forum successfully concluded on November 2nd.", D(2023, 11, 8), D(2023, 11, 2), D(2023, 11, 2)),
    ("It will open on January 10th.", D(2023, 12, 20), D(2024, 1, 10), D(2024, 1, 10)),
    ("Last edition ran December 28th.", D(2024, 1, 6), D(2023, 12, 28), D(2023, 12, 28)),
    ("Join us on the 8th and 9th of March.", D(2024, 2, 1), D(2024, 3, 8), D(2024, 3, 9)),
    ("Join us 8-9 March.", D(2024, 2, 1), D(2024, 3, 8), D(2024, 3, 9)),
    ("Join us Oct 3-5.", D(2024, 9, 1), D(2024, 10, 3), D(2024, 10, 5)),
    ("December 30 – January 2 in the square", D(2024, 12, 1), D(2024, 12, 30), D(2025, 1, 2)),
    ("Leap day, February 29", D(2024, 3, 15), D(2024, 2, 29), D(2024, 2, 29)),
]


@pytest.mark.parametrize(("text", "anchor", "start", "end"), ANCHOR_CASES)
def test_year_from_anchor(text: str, anchor: date, start: date, end: date) -> None:
    (found,) = find_dates(text, anchor=anchor)
    assert (found.start, found.end) == (start, end)
    assert found.year_stated is False


def test_year_less_dates_are_skipped_without_anchor_or_default() -> None:
    assert find_dates("It concluded on November 2nd, after the 8th and 9th of March.") == []


def test_default_year_beats_anchor_and_rolls_ranges_forward() -> None:
    (found,) = find_dates("30 December – 2 January", default_year=2023, anchor=D(2030, 6, 1))
    assert (found.start, found.end, found.year_stated) == (D(2023, 12, 30), D(2024, 1, 2), False)
    assert find_dates("29 February", default_year=2023) == []  # no such day that year


def test_stated_year_ignores_anchor() -> None:
    (found,) = find_dates("held 4 May 2019", anchor=D(2024, 1, 1))
    assert found.start == D(2019, 5, 4) and found.year_stated


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("The expo concluded on 5 June 2025.", "end"),
        ("It ended on 5 June 2025.", "end"),
        ("Voting closed on 5 June 2025.", "end"),
        ("The week wrapped up on 5 June 2025.", "end"),
        ("The congress came to a close on Thursday, 5 June 2025.", "end"),
        ("The expo opens on 5 June 2025.", "start"),
        ("The festival kicks off on 5 June 2025.", "start"),
        ("The programme begins on 5 June 2025.", "start"),
        ("The summit starts on 5 June 2025.", "start"),
        ("The new hall will open on 5 June 2025.", "start"),
        ("The expo is on 5 June 2025.", None),
        ("The expo ended long before the new edition on 5 June 2025.", None),
    ],
)
def test_cue(text: str, cue: str | None) -> None:
    (found,) = find_dates(text)
    assert found.cue == cue


def test_no_cue_without_a_word_right_before() -> None:
    assert [m.cue for m in find_dates("It concluded (on 5 June 2025), then opened: 7 June 2025")] == [None, None]


def test_cues_of_two_dates_in_one_sentence() -> None:
    found = find_dates("Opens on 3 June 2025 and closes on 5 June 2025.")
    assert [(m.start.day, m.cue) for m in found] == [(3, "start"), (5, "end")]


def test_range_beats_single_dates_inside_it_and_results_are_ordered() -> None:
    text = "Save 11 June 2025. Then 1-3 July 2025, and finally Aug 4, 2025."
    found = find_dates(text)
    assert [m.text for m in found] == ["11 June 2025", "1-3 July 2025", "Aug 4, 2025"]
    spans = [m.span for m in found]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_inverted_range_falls_back_to_single_dates() -> None:
    found = find_dates("5 June 2025 - 3 June 2025")
    assert [(m.start, m.end) for m in found] == [(D(2025, 6, 5),) * 2, (D(2025, 6, 3),) * 2]


def test_match_is_a_frozen_dataclass() -> None:
    (found,) = find_dates("11 June 2025")
    assert found == DateMatch(D(2025, 6, 11), D(2025, 6, 11), (0, 12), "11 June 2025", True, None)
    with pytest.raises(AttributeError):
        found.start = D(2000, 1, 1)  # type: ignore[misc]


def test_listing_block() -> None:
    listing = (
        "Urban Mobility Days\n\n  • Lyon (France), 12-14 May 2026\n\n"
        "A three-day forum on transport. In 2025 it drew almost 4.500 visitors.\n\n"
        "Data Cities Summit\n\n  • Porto (Portugal), 30 September – 2 October 2026\n"
    )
    found = find_dates(listing)
    assert [(m.start, m.end) for m in found] == [
        (D(2026, 5, 12), D(2026, 5, 14)),
        (D(2026, 9, 30), D(2026, 10, 2)),
    ]


DURATION_CASES = [
    ("a three-day conference", [3]),
    ("the 3-day expo", [3]),
    ("a 2 day workshop", [2]),
    ("a two-day hackathon", [2]),
    ("a four day event", [4]),
    ("over the course of three days", [3]),
    ("this two-day event and a one-day tour", [2, 1]),
    ("a ten–day festival", [10]),
    ("for 5 full days", [5]),
    ("two days of talks", [2]),
    ("Three-Day Summit", [3]),
    ("it happened 2 days ago, within 30 days", []),
    ("on Monday and today", []),
    ("a 45-day exhibition and a twenty-three-day run", []),
    ("lasting\n  fourteen   full  days", [14]),
    ("a 3-\nday course", [3]),
    ("it runs for two\ndays", [2]),
    ("spread over the course of the next three days", []),
    ("(3 days)", []),
]


@pytest.mark.parametrize(("text", "days"), DURATION_CASES)
def test_durations(text: str, days: list[int]) -> None:
    assert [m.days for m in find_durations(text)] == days


def test_duration_span() -> None:
    text = "The three-day conference"
    (found,) = find_durations(text)
    assert text[found.span[0] : found.span[1]] == "three-day"


DATELINE_CASES = [
    (
        "Lisbon, Feb. 14, 2024 (GLOBE NEWSWIRE) -- The forum announced today...",
        "Lisbon",
        D(2024, 2, 14),
    ),
    ("SAN DIEGO, Sept. 5, 2023 /PRNewswire/ -- A new programme...", "San Diego", D(2023, 9, 5)),
    ("MUNICH, Germany, 21 June 2024 – The city council...", "Munich", D(2024, 6, 21)),
    ("Tampere, Finland – May 6, 2024 – The network...", "Tampere", D(2024, 5, 6)),
    ("City News\nRIO DE JANEIRO, Brazil, 2 April 2025 — Officials...", "Rio de Janeiro", D(2025, 4, 2)),
    ("Frankfurt am Main, 3 March 2025 - The fair...", "Frankfurt am Main", D(2025, 3, 3)),
]


@pytest.mark.parametrize(("text", "place", "published"), DATELINE_CASES)
def test_dateline(text: str, place: str, published: date) -> None:
    found = parse_dateline(text)
    assert isinstance(found, Dateline)
    assert (found.place, found.published) == (place, published)
    assert text[found.span[0] :].upper().startswith(place.upper())
    assert text[found.span[1] :].startswith(" ")  # the span ends after the dash


@pytest.mark.parametrize(
    "text",
    [
        "No dateline here. Just prose about 5 June 2025.",
        "Lyon (France), 12-14 May 2026",  # a listing line, not a dateline
        "Tuesday, 11 June 2025 - doors open",  # a weekday is not a place
        "the council, 11 June 2025 - lower-case words are not a place",
        "LONDON (Reuters) - The city said",
        "",
    ],
)
def test_no_dateline(text: str) -> None:
    assert parse_dateline(text) is None


DATEISH = st.sampled_from(
    ["3", "31", "1st", "the", "of", "May", "Oct.", "Sept", "Tuesday,", "2023", "2024-02-30", "-", "–",
     " to ", " and ", ", ", "/", ".", "10:00", "\n", "(GLOBE NEWSWIRE) --", "NEW YORK,", "three-day",
     "days", "0", "99", "12/13/2024"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(DATEISH, max_size=30).map(" ".join), st.lists(DATEISH).map("".join)))
def test_never_raises(text: str) -> None:
    found = find_dates(text, anchor=D(2024, 6, 1))
    for m in found:
        assert m.start <= m.end
        assert text[m.span[0] : m.span[1]] == m.text
    assert [m.span for m in found] == sorted(m.span for m in found)
    find_dates(text, default_year=9999)
    find_dates(text, anchor=D(1, 1, 1))
    find_durations(text)
    parse_dateline(text)


@pytest.mark.parametrize(
    ("text", "day", "cue"),
    [
        ("the expo closed its doors on Saturday", date(2023, 11, 11), "end"),
        ("the summit concluded yesterday", date(2023, 11, 12), "end"),
        ("the forum opens on Monday", date(2023, 11, 13), "start"),  # the anchor is a Monday
        ("the fair kicks off tomorrow", date(2023, 11, 14), "start"),
        ("the meeting took place on Friday", date(2023, 11, 10), None),
    ],
)
def test_relative_days_against_the_report_date(text: str, day: date, cue: str | None) -> None:
    [match] = find_relative_dates(text, anchor=date(2023, 11, 13))
    assert (match.start, match.end, match.cue, match.year_stated) == (day, day, cue, False)


def test_relative_words_without_a_verb_are_not_dates() -> None:
    assert find_relative_dates("Cities today face heat; on Monday the council met.", anchor=date(2023, 11, 13)) == []


# -- the shortcuts agree with the grammar they spare ---------------------------------------------
SHORTCUT_PIECES = st.sampled_from(
    ["3", "31", "2nd", "the", "of", "May", "may", "MARCH", "Oct.", "ſept", "sept", "Tuesday,", "2023",
     "2023-10-03", "3.10.2023", "03/04/2023", "16.000", "-", "–", " to ", " and ", "&", ", ", "/", ".",
     "(", ")", "•", "é", "_", "\n", "  ", "concluded on", "opens", "over", "the course of", "full",
     "fourteen", "day", "days", "Berlin,", "NEW YORK,", "(GLOBE NEWSWIRE) --", "/PRNewswire/ --", ":"]
)  # fmt: skip


def _dates_by_the_grammar_alone(text: str, anchor: date) -> list[DateMatch]:
    """find_dates without its hint and without skipping to digits: DATE_RANGE from every position."""
    found: list[DateMatch] = []
    pos = 0
    while (m := DATE_RANGE.search(text, pos)) is not None:
        matches, pos = _interpret(m, text, None, anchor)
        found.extend(matches)
    return found


@settings(max_examples=400, deadline=None)
@given(st.lists(SHORTCUT_PIECES, max_size=25).map(" ".join) | st.lists(SHORTCUT_PIECES, max_size=25).map("".join))
def test_hint_and_digit_skips_lose_no_date(text: str) -> None:
    anchor = D(2024, 6, 1)
    assert find_dates(text, anchor=anchor) == _dates_by_the_grammar_alone(text, anchor)


@settings(max_examples=400, deadline=None)
@given(st.lists(SHORTCUT_PIECES, max_size=30).map(" ".join))
def test_datelines_are_those_of_the_full_pattern(text: str) -> None:
    assert [m.span() for m in _datelines(text)] == [m.span() for m in DATELINE.finditer(text)]


def test_business_wire_and_parenthesised_datelines() -> None:
    wire = parse_dateline("SINGAPORE--(BUSINESS WIRE)--Jan. 16, 2024-- The World Cities Summit 2024 will be held")
    assert wire is not None and (wire.place, wire.published) == ("Singapore", date(2024, 1, 16))
    paren = parse_dateline("Tokyo, Japan (3 March 2025) – The organisers of Smart City Week Tokyo")
    assert paren is not None and (paren.place, paren.published) == ("Tokyo", date(2025, 3, 3))
    newsfile = parse_dateline("Toronto, Ontario--(Newsfile Corp. - August 5, 2025) - The Canadian Smart Cities Congress")
    assert newsfile is not None and (newsfile.place, newsfile.published) == ("Toronto", date(2025, 8, 5))
