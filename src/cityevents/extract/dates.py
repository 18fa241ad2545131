"""Dates, date ranges, durations and press-release datelines in English prose.

A hand-written grammar, because ``dateparser.search_dates`` finds single dates only (no ranges) and
is far too slow for whole documents. Every pattern is compiled once at import; the scan is one
left-to-right regex search with bounded whitespace, so the cost is linear in the text, and a cheap
hint (a month name or a numeric date shape) turns most lines away before it.

Grammar (case-insensitive; ``[..]`` optional)::

    RANGE   := POINT [SEP POINT]              "3 October 2023 - 5 October 2023", "Oct 30 - Nov 1, 2023"
             | BARE SEP EU                    "3-4 October 2023", "the 8th and 9th of March"
             | US SEP BARE [, YEAR]           "October 3-4, 2023"
    POINT   := [WEEKDAY[,]] (ISO | NUMERIC | EU | US)
    EU      := [the] DAY [of] MONTH[.] [[,] YEAR]                  "Tuesday, 3 October 2023"
    US      := MONTH[.] DAY [[,] YEAR]                             "Nov. 08, 2023", "November 2nd"
    ISO     := YYYY-MM-DD | YYYY/MM/DD
    NUMERIC := D.M.YYYY | A/B/YYYY | A-B-YYYY                       slash/hyphen only when unambiguous
    SEP     := - | – | — | -- | ~ | & | to | through | thru | until | till | til | and

Years: a stated year wins; a range borrows the year of its other end (and rolls over a year
boundary: "December 30 - January 2, 2024" starts in 2023). A year-less date takes ``default_year``,
else the year that puts it closest to ``anchor``, else it is dropped. Months alone, bare years,
times, phone numbers and figures such as "20.000" are never dates.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

__all__ = [
    "DateMatch",
    "Dateline",
    "DurationMatch",
    "find_dates",
    "find_durations",
    "parse_dateline",
]

LOGGER: Final = logging.getLogger(__name__)

MONTHS: Final[dict[str, int]] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
NUMBER_WORDS: Final[dict[str, int]] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
}  # fmt: skip
# Month words that are also common lower-case English words ("may", "march"): in the US order
# without a year they are too weak to be read as dates unless capitalised.
WEAK_MONTH_WORDS: Final = frozenset({"may", "mar", "march"})
# A range joined by "and" longer than this is two dates ("on 3 May and 20 June"), unless the text
# says "between".
MAX_AND_RANGE_DAYS: Final = 7
MAX_RANGE_DAYS: Final = 366
CUE_WINDOW: Final = 48
PLACE_PARTICLES: Final = frozenset(
    {"de", "da", "do", "dos", "del", "della", "di", "du", "des", "la", "le", "las", "los", "am",
     "an", "upon", "on", "sur", "of", "the", "y", "al", "el", "en", "im", "bei", "and"}
)  # fmt: skip

# -- building blocks ----------------------------------------------------------------------------
# Optional groups are written "(?:x|)", not "(?:x)?": both match alike, but sre runs "?" on a group
# through its general repeat, which allocates a context per try and copies the groups matched so
# far at every alternative inside; DATE_RANGE scans a third faster without it.
_WS: Final = r"\s{1,3}"
_OWS: Final = r"\s{0,3}"
_DAY: Final = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|)(?![\w:]|[./]\d)"
# Month and weekday names are factored by first letter: sre tries alternatives one by one, and
# this keeps a failed attempt at a word start to one or two character tests.
_MONTH: Final = (
    r"(?:j(?:an(?:uary|)|u(?:ne?|ly?))|feb(?:ruary|)|ma(?:r(?:ch|)|y)|a(?:pr(?:il|)|ug(?:ust|))"
    r"|sep(?:tember|t|)|oct(?:ober|)|nov(?:ember|)|dec(?:ember|))(?![^\W\d_])"
)
# The class in front fails most tries at once, before five alternatives are compared one by one.
_WEEKDAY: Final = (
    r"(?=[fmstw])(?:mon(?:day|)|t(?:ue(?:s(?:day|)|)|hu(?:r(?:s(?:day|)|)|))|wed(?:nesday|)|fri(?:day|)"
    r"|s(?:at(?:urday|)|un(?:day|)))(?![^\W\d_])"
)
_YEAR: Final = r"(?:19|20)\d\d(?!\w|[:./]\d)"


def _year_tail(name: str) -> str:
    """", 2023" or " 2023", the year captured as group ``name``."""
    return rf"(?:{_OWS},{_OWS}|{_WS})(?P<{name}>{_YEAR})"


_SEP: Final = (
    r"(?:\s{0,3}(?:--?|[‐‑–—~&])\s{0,3}"
    r"|\s{1,3}(?:to|through|thru|until|till|til|and)\s{1,3})"
)
_ISO: Final = rf"(?P<iy>(?:19|20)\d\d)(?P<is>[-/])(?P<im>[01]?\d)(?P=is)(?P<id>[0-3]?\d)(?!\d|[-/]\d)"
_NUMERIC: Final = rf"(?P<na>\d{{1,2}})(?P<ns>[-/.])(?P<nb>\d{{1,2}})(?P=ns)(?P<ny>{_YEAR})(?![-/.]\d)"
_US: Final = (
    rf"(?=(?-i:[ADFJMNOSadfjmnos]))(?P<um>{_MONTH})(?:\.{_OWS}|{_WS})(?P<ud>{_DAY})"
    rf"(?:{_year_tail('uy')}|)"
)
_EU_TAIL: Final = rf"(?:{_WS}of|){_WS}(?P<em>{_MONTH})\.?(?:{_year_tail('ey')}|)"
# A bare day opens a range only when a separator and another day follow ("3-4 October"); as the
# second side it may carry the year ("October 3-4, 2023").
_BARE_FIRST: Final = rf"(?={_SEP}(?:{_WEEKDAY}\.?,?{_WS}|)(?:the\s|)\d)"
_BARE_SECOND: Final = rf"(?:{_year_tail('by')}|)"
_GROUP_NAME: Final = re.compile(r"\(\?P([<=])")


def _point(bare_tail: str | None) -> str:
    """One side of a range; the day group ``d`` is EU when ``em`` matched, else bare."""
    day = rf"(?P<d>{_DAY})(?:{_EU_TAIL}|{bare_tail})" if bare_tail else rf"(?P<d>{_DAY}){_EU_TAIL}"
    return rf"(?:{_WEEKDAY}\.?,?{_WS}|)(?:(?:the{_WS}|)(?:{_ISO}|{_NUMERIC}|{day})|{_US})"


def _named(prefix: str, pattern: str) -> str:
    """The pattern with every group name prefixed, so one regex can hold it twice."""
    return _GROUP_NAME.sub(rf"(?P\1{prefix}_", pattern)


# Not inside a word or a number; then the first two letters of a month, a weekday or "the", as
# case-sensitive classes: two cheap tests that reject almost every position before the real
# grammar runs. Case-insensitivity is scoped to the body: a global IGNORECASE slows these tests.
_LEFT_EDGE: Final = r"(?<![\w+/.:-])(?=\d|[ADFJMNOSTWadfjmnostw][ACEHOPRUacehopru])"

DATE_RANGE: Final = re.compile(
    rf"{_LEFT_EDGE}(?i:(?P<a>{_named('a', _point(_BARE_FIRST))})"
    rf"(?:(?P<sep>{_SEP})(?P<b>{_named('b', _point(_BARE_SECOND))})|))"
)
_PLACE_PART: Final = r"[^\W\d_][\w.'’&-]{0,30}(?:[ \t]{1,3}[^\W\d_][\w.'’&-]{0,30}){0,4}"
_DATELINE_SEPARATORS: Final = (",", "--?", "–", "—", r"\(")
# A dateline after its separator: the date (opening with a digit or the first two letters of a
# weekday, month or "the", as in _LEFT_EDGE; closed by ")" when it opened with "(": "Tokyo, Japan
# (3 March 2025) –"), an agency's name, the dash.
_DATELINE_DATE: Final = (
    # Business Wire puts its name before the date: "SINGAPORE--(BUSINESS WIRE)--Jan. 16, 2024--", and
    # Newsfile inside the date's parentheses: "Toronto, Ontario--(Newsfile Corp. - August 5, 2025) -".
    r"[ \t]{0,3}(?:\([^()\n]{1,40}\)(?:--?|[–—])[ \t]{0,3}|\([^()\n]{1,40}?[ \t]-[ \t]{1,3}|)"
    rf"(?=\d|[adfjmnostw][acehopru])(?P<d>{_named('d', _point(None))})\)?"
    r"[ \t]{0,3}(?:\([^()\n]{1,60}\)[ \t]{0,3}|/[^/\n]{1,60}/[ \t]{0,3}|)(?:--?|[–—:])"
)
DATELINE: Final = re.compile(
    rf"^[ \t]*(?P<place>{_PLACE_PART}(?:,[ \t]{{0,3}}{_PLACE_PART}){{0,3}})[ \t]{{0,3}}"
    rf"(?:{'|'.join(_DATELINE_SEPARATORS)}){_DATELINE_DATE}",
    re.IGNORECASE | re.MULTILINE,
)
# DATELINE is tried only on lines that hold its date part: elsewhere its place part backtracks
# through every way of cutting the line's words and commas before it fails. One pattern per
# separator: sre skips ahead to a literal first character many times faster than to a class.
DATELINE_DATES: Final = tuple(re.compile(sep + _DATELINE_DATE, re.IGNORECASE) for sep in _DATELINE_SEPARATORS)
# The separators' first characters, in the order of DATELINE_DATES: a text without one skips its
# pattern ("–" and "—" are rare), as an ``in`` test costs far less than a scan by sre.
DATELINE_SEPARATOR_CHARS: Final = tuple(sep.lstrip("\\")[0] for sep in _DATELINE_SEPARATORS)


# One side of a match before years are settled: kind ("iso", "numeric", "dotted", "eu", "us",
# "bare"), day, month (0 while a bare side has none), year, and whether it is weak (a lower-case
# "may"/"march" in US order). A numeric side holds its two numbers in the day and month places
# until _order_numeric orders them; a "dotted" one ("3.10.2023") is always day first. A plain
# tuple: one or two are built per match, and a class instance costs several times more.
_Part = tuple[str, int, int, int | None, bool]
NUMERIC_KINDS: Final = frozenset({"numeric", "dotted"})


_PartReader = Callable[[tuple[str | Any, ...]], _Part]


def _part_reader(pattern: re.Pattern[str], prefix: str) -> _PartReader:
    """A reader of one side of a match (a :func:`_point`) from its ``Match.groups()`` into numbers.

    Validity is checked when years are settled. The group positions are closure constants, and
    only the groups of the alternative that matched are read; days and months are looked up in
    DAY_NUMBERS / MONTH_NUMBERS in place, as a function call costs more than the lookup.
    """
    side = f"{prefix}_"
    index = {name[len(side) :]: at - 1 for name, at in pattern.groupindex.items() if name.startswith(side)}
    iy, im, id_, na, nb, ns, ny = (index[name] for name in ("iy", "im", "id", "na", "nb", "ns", "ny"))
    d, em, ey, ud, um, uy = (index[name] for name in ("d", "em", "ey", "ud", "um", "uy"))
    bare_year = index.get("by")  # the year after a bare second day: only a range's second side has one

    def read(groups: tuple[str | Any, ...]) -> _Part:
        day = groups[d]
        if day is not None:
            month = groups[em]
            if month is not None:
                return "eu", _day_number(day), _month_number(month), _year_number(groups[ey]), False
            year = None if bare_year is None else groups[bare_year]
            return "bare", _day_number(day), 0, _year_number(year), False
        day = groups[ud]
        if day is not None:
            month = groups[um]
            weak = month in WEAK_MONTH_WORDS
            return "us", _day_number(day), _month_number(month), _year_number(groups[uy]), weak
        if groups[iy] is not None:
            return "iso", int(groups[id_]), int(groups[im]), int(groups[iy]), False
        kind = "dotted" if groups[ns] == "." else "numeric"
        return kind, int(groups[na]), int(groups[nb]), int(groups[ny]), False

    return read


# Each reads Match.groups(), built once per match: far cheaper than a Match.group call per group.
RANGE_FIRST: Final = _part_reader(DATE_RANGE, "a")
RANGE_SECOND: Final = _part_reader(DATE_RANGE, "b")
DATELINE_SIDE: Final = _part_reader(DATELINE, "d")
RANGE_SECOND_SIDE: Final = DATE_RANGE.groupindex["b"] - 1
RANGE_FIRST_GROUP: Final = DATE_RANGE.groupindex["a"]
# The usual spellings of days, years and months, read with one dictionary lookup (int() costs more).
DAY_NUMBERS: Final = {f"{day:{width}}": day for day in range(1, 32) for width in ("", "02")}
YEAR_NUMBERS: Final = {str(year): year for year in range(1900, 2100)}
MONTH_NUMBERS: Final = {
    spelling: number
    for number, words in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for word in words
    for spelling in (word, word.title(), word.upper())
}  # fmt: skip
# Every date holds a digit no further than this from its start: weekday (9) + ".," + 3 spaces +
# month (9) + "." + 3 spaces. find_dates skips ahead to the next digit minus this lead, so the
# regex scan only runs near digits.
MAX_LEAD_TO_DIGIT: Final = 27
DIGIT: Final = re.compile(r"\d")
# A lead is a word ("the", "Mar.", "Monday,") after at most a weekday ("Monday, the", "Mon. March"),
# each followed by spaces. Read on the reversed text before the digit, this matches them (and
# whatever else holds no space next to the first).
LEAD_WORDS_REVERSED: Final = re.compile(r"\s*\S*(?:\s+,?\.?[^\W\d_]+|)")
# Every date holds a month name or an ISO / numeric shape ("2023-10-03", "3.10.2023") after a
# non-word character; most lines of a document hold neither. In ASCII text this is checked
# on a folded copy, as bytes (cheap to translate): letters lower-cased, digits made "0", every
# non-word character a space. The hint opens with a literal space, which sre finds fast; DATE_RANGE
# opens with assertions, so it is tried at every position.
ASCII_FOLD: Final = bytes(
    ord(c.lower()) if c.isalpha() else ord("0") if c.isdigit() else ord(c if c == "_" else " ")
    for c in map(chr, range(128))
) + b" " * 128  # a bytes.translate table; only ASCII text is folded
FOLDED_DATE_HINT: Final = re.compile(rf" (?:{_MONTH}|00{{0,3}} 00? 0)".encode())
WEEKDAY_OR_MONTH: Final = re.compile(rf"(?:{_WEEKDAY}|{_MONTH})\.?", re.IGNORECASE)
# Verbs of ending, then of opening, right before a date; at most one of the two can end the text.
CUE: Final = re.compile(
    r"\b(?:(?P<end>conclude[sd]?|end(?:s|ed|)|close[sd]?|wrap(?:s|ped|)\s+up|c(?:ame|omes?)\s+to\s+a\s+close"
    r"|finish(?:es|ed|))|(?P<start>open(?:s|ed|)|kick(?:s|ed|)\s+off|begins?|began|start(?:s|ed|)"
    r"|commence[sd]?))\s+(?:on\s+|)$",
    re.IGNORECASE,
)
BETWEEN: Final = re.compile(r"\bbetween\s+$", re.IGNORECASE)
# A report's own verb of ending or opening, then a day named relative to the report's date:
# "concluded yesterday", "closed its doors on Saturday", "opens tomorrow". Only with such a verb:
# "today" or "Monday" alone says nothing about an event.
RELATIVE_DAY: Final = re.compile(
    r"\b(?P<verb>conclude[sd]|ended|closed(?:\s+its\s+doors|)|wrapped\s+up|finished|came\s+to\s+a\s+close"
    r"|opened|opens|kicked\s+off|kicks\s+off|began|begins|started|starts|took\s+place|takes\s+place)"
    r"\s+(?:(?:on\s+|)(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?P<word>yesterday|today|tomorrow))\b",
    re.IGNORECASE,
)
RELATIVE_WORDS: Final = {"yesterday": -1, "today": 0, "tomorrow": 1}
WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PRESENT_VERB: Final = re.compile(r"^(?:opens|kicks\s+off|begins|starts|takes\s+place)$", re.IGNORECASE)
START_VERB: Final = re.compile(r"^(?:open|kick|began|begin|start)", re.IGNORECASE)
AND_SEPARATOR: Final = re.compile(r"\s*(?:and|&)\s*", re.IGNORECASE)
CAPS_WORD: Final = re.compile(r"[^\W\d_]+")
CAPS_POSSESSIVE: Final = re.compile(r"(?<=['’])S\b")

_DUR_NUMBER: Final = r"\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
# Durations are found from the rare word "day(s)" backwards: DAY_WORDS find it, NUMBER_BEFORE_DAY
# the number right before it, DURATION_CUE a word such as "over" before that number (read only for
# a plural, "over three days"), AFTER_DAYS the word after a plural. Each of the last three is tried
# at every position of its window, so the windows are kept short. "day" and "Day" are two patterns:
# sre skips ahead to a literal first letter many times faster than to a class such as [Dd].
DAY_WORDS: Final = (re.compile(r"d(?i:ays?)\b"), re.compile(r"D(?i:ays?)\b"))
NUMBER_BEFORE_DAY: Final = re.compile(
    rf"(?<![\w.,‐‑–-])(?P<n>{_DUR_NUMBER})(?:(?P<hyphen>[ \t]?[-‐‑–][ \t]?)|{_WS}(?:full{_WS}|))$",
    re.IGNORECASE,
)
NUMBER_REACH: Final = 20  # "fourteen" + " full " (up to 10 spaces and letters) + a line break
DURATION_CUE: Final = re.compile(
    rf"\b(?:over|for|lasting|spanning|across|during|runs?|running|of){_WS}(?:the{_WS}course{_WS}of{_WS}|)\Z",
    re.IGNORECASE,
)
AFTER_DAYS: Final = re.compile(rf"{_WS}of\b", re.IGNORECASE)
DURATION_LOOKBACK: Final = 48
HYPHENS: Final = frozenset("-‐‑–")


# -- results ------------------------------------------------------------------------------------
@dataclass(frozen=True, init=False)
class DateMatch:
    """A date or an inclusive date range found in text."""

    start: date
    end: date  # inclusive
    span: tuple[int, int]  # character offsets in the text searched
    text: str  # the matched words
    year_stated: bool  # False when the year came from the anchor / default year
    cue: str | None  # "end" after "concluded on", ...; "start" after "opens on", ...

    def __init__(
        self, start: date, end: date, span: tuple[int, int], text: str, year_stated: bool, cue: str | None
    ) -> None:
        # Written out rather than generated: mypyc compiles a written __init__, while the one dataclass
        # generates stays interpreted and costs about 20 times as much. A frozen class sets its fields
        # through object.__setattr__, as the generated one does.
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "year_stated", year_stated)
        object.__setattr__(self, "cue", cue)


@dataclass(frozen=True, init=False)
class DurationMatch:
    """A stated length in days: "three-day conference" -> 3."""

    days: int
    span: tuple[int, int]

    def __init__(self, days: int, span: tuple[int, int]) -> None:
        object.__setattr__(self, "days", days)  # written out: see DateMatch
        object.__setattr__(self, "span", span)


@dataclass(frozen=True, init=False)
class Dateline:
    """A press-release dateline: "Changsha, Nov. 08, 2023 (GLOBE NEWSWIRE) --"."""

    place: str
    published: date
    span: tuple[int, int]

    def __init__(self, place: str, published: date, span: tuple[int, int]) -> None:
        object.__setattr__(self, "place", place)  # written out: see DateMatch
        object.__setattr__(self, "published", published)
        object.__setattr__(self, "span", span)


# -- public API ---------------------------------------------------------------------------------
def find_dates(
    text: str, *, default_year: int | None = None, anchor: date | None = None
) -> list[DateMatch]:
    """Find every date and date range in ``text``.

    Args:
        text: any string.
        default_year: the year for dates that state none (e.g. from a "Events in 2023" heading).
        anchor: the document's publication date; year-less dates take the closest year to it.

    Returns:
        Non-overlapping matches sorted by position; a range wins over the single dates inside it.
        Year-less dates are dropped when neither ``default_year`` nor ``anchor`` is given.
    """
    found: list[DateMatch] = []
    if not _may_hold_date(text):
        return found
    pos = 0
    end = len(text)
    while pos < end and (digit := DIGIT.search(text, pos)) is not None:  # most dates end the text
        m = DATE_RANGE.search(text, _lead_start(text, pos, digit.start()))
        if m is None:
            break
        matches, pos = _interpret(m, text, default_year, anchor)
        found += matches
    return found


def find_durations(text: str) -> list[DurationMatch]:
    """Find stated event lengths: "three-day", "3-day", "a four day event", "over three days".

    Returns:
        One :class:`DurationMatch` per phrase (1 to 31 days), sorted by position; the span covers
        the number and the word "day(s)".
    """
    found: list[DurationMatch] = []
    for start, end in sorted(word.span() for pattern in DAY_WORDS for word in pattern.finditer(text)):
        before = text[start - 1 : start]
        if not (before.isspace() or before in HYPHENS):
            continue  # "Monday", "today", "(days)", or nothing before: no number ends right there
        m = NUMBER_BEFORE_DAY.search(text, max(0, start - NUMBER_REACH), start)
        if m is None:
            continue
        plural = end - start == 4
        if m.group("hyphen") is None:
            if plural and not (AFTER_DAYS.match(text, end) or _duration_cue(text, start, m.start("n"))):
                continue  # "2 days ago", "within 30 days": a delay, not an event's length
            if not plural and text[end : end + 1] in HYPHENS:
                continue  # "2 day-long ..." is read by its own hyphen rule, not here
        number = m.group("n").lower()
        days = NUMBER_WORDS.get(number) or (int(number) if number.isdigit() else 0)
        if 1 <= days <= 31:
            found.append(DurationMatch(days=days, span=(m.start("n"), end)))
    return found


def parse_dateline(text: str) -> Dateline | None:
    """Read a press-release dateline at the start of the text or of a line.

    Recognises "Changsha, Nov. 08, 2023 (GLOBE NEWSWIRE) --", "NEW YORK, Oct. 3, 2023 /PRNewswire/ --",
    "BERLIN, Germany, 12 March 2024 –", "Helsinki, Finland – March 3, 2024 –" and
    "Tokyo, Japan (3 March 2025) –" and "SINGAPORE--(BUSINESS WIRE)--Jan. 16, 2024--".

    Returns:
        The first dateline, its place being the first comma part (ALL-CAPS turned to title case),
        or None when there is none. The date must state its year.
    """
    for m in _datelines(text):
        parts = [p.strip() for p in m.group("place").split(",")]
        if not all(_looks_like_place(p) for p in parts):
            continue
        published = _stated_date(DATELINE_SIDE(m.groups()))
        if published is None:
            continue
        place = parts[0].rstrip("-")  # "SINGAPORE--(BUSINESS WIRE)": the place part may take a dash
        if place.isupper():
            place = _title_case(place)
        return Dateline(place=place, published=published, span=(m.start("place"), m.end()))
    return None


# -- internals ----------------------------------------------------------------------------------
def _datelines(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``DATELINE.finditer(text)``, trying only lines where DATELINE_DATES match."""
    pos = 0
    while (date_part := _next_dateline_date(text, pos)) >= 0:
        line_start = text.rfind("\n", 0, date_part) + 1
        m = DATELINE.match(text, line_start) if line_start >= pos else None
        if m is not None:
            yield m
            pos = m.end()  # after its closing dash, so inside a line: finditer goes on from there
            continue
        line_end = text.find("\n", date_part)
        if line_end < 0:
            return
        pos = line_end + 1


def _next_dateline_date(text: str, pos: int) -> int:
    """Where the first separator and date of a dateline at or after ``pos`` start; -1 if none."""
    starts = [
        m.start()
        for char, pattern in zip(DATELINE_SEPARATOR_CHARS, DATELINE_DATES)
        if char in text and (m := pattern.search(text, pos)) is not None
    ]
    return min(starts, default=-1)


def _lead_start(text: str, pos: int, digit: int) -> int:
    """Where DATE_RANGE may first match, at or after ``pos``, if no match starts before ``digit``.

    No match starts before the digit's lead (lookbehinds still see text before it), and a lead is
    the words of a weekday, "the" or a month, then dots, commas and spaces. Where no letter ends
    right before those, the date can only start at the digit: sre tries a pattern that opens with
    assertions at every position of a search, at several hundred instructions each, so the scan
    is kept off the text before, usually a place ("Lyon (France), 12-14 May 2026"), and off the
    words before a lead's two words ("Oslo (Norway), Mar 3 - Apr 1, 2025").
    """
    lead_start = digit - MAX_LEAD_TO_DIGIT
    if lead_start < pos:
        lead_start = pos
    lead = text[lead_start:digit]
    if lead.rstrip().rstrip(".,")[-1:].isalpha():
        words = LEAD_WORDS_REVERSED.match(lead[::-1])
        return digit - words.end() if words is not None else lead_start  # it always matches
    return digit


def _may_hold_date(text: str) -> bool:
    """False when the text cannot hold a date (see FOLDED_DATE_HINT); True for any non-ASCII text.

    In ASCII text IGNORECASE and ``\\w`` mean ASCII letters only, so the fold loses nothing;
    elsewhere "ſ" is an "s" and "é" a word character, so other text goes to the grammar unchecked.
    """
    if not text.isascii():
        return True
    folded = (" " + text).encode("ascii").translate(ASCII_FOLD)  # a date may open the text
    return FOLDED_DATE_HINT.search(folded) is not None  # no digit: find_dates finds none anyway


def _interpret(
    m: re.Match[str], text: str, default_year: int | None, anchor: date | None
) -> tuple[list[DateMatch], int]:
    """The dates one regex match stands for, and where to search next.

    A range that does not hold together (its end before its start, a bare day without a month)
    falls back to its first side alone, and the search resumes right after that side.
    """
    groups = m.groups()
    first = RANGE_FIRST(groups)
    if groups[RANGE_SECOND_SIDE] is not None:
        ranged = _resolve_range(first, RANGE_SECOND(groups), default_year, anchor)
        if ranged is not None:
            start, end, stated = ranged
            cue = _cue(text, m.start())
            if (
                (end - start).days > MAX_AND_RANGE_DAYS
                and AND_SEPARATOR.fullmatch(m.group("sep"))
                and not BETWEEN.search(text, max(0, m.start() - CUE_WINDOW), m.start())
            ):
                return [
                    _match(text, m.span("a"), start, start, stated, cue),
                    _match(text, m.span("b"), end, end, stated, None),
                ], m.end()
            return [_match(text, m.span(), start, end, stated, cue)], m.end()
        LOGGER.debug("%r does not resolve as a range; trying its first side alone", m.group())
    span = m.span(RANGE_FIRST_GROUP)  # where the match starts, too
    single = _resolve_single(first, default_year, anchor)
    if single is None:
        return [], span[1]
    day, stated = single
    return [_match(text, span, day, day, stated, _cue(text, span[0]))], span[1]


def _match(
    text: str, span: tuple[int, int], start: date, end: date, stated: bool, cue: str | None
) -> DateMatch:
    return DateMatch(start, end, span, text[span[0] : span[1]], stated, cue)


def _day_number(text: str) -> int:
    """1 to 31 from "3", "03", "3rd": the usual spellings by one dictionary lookup."""
    return DAY_NUMBERS.get(text) or int(text[:2] if text[1:2].isdecimal() else text[0])


def _year_number(text: str | None) -> int | None:
    """The year a matched year group states, None when it is absent."""
    return None if text is None else YEAR_NUMBERS.get(text) or int(text)


def _month_number(text: str) -> int:
    """1 to 12 from a month name the grammar matched: the usual spellings by one dictionary lookup."""
    # casefold, not lower(): under IGNORECASE "ſep" matched, and "ſ".lower() is still "ſ".
    return MONTH_NUMBERS.get(text) or MONTHS[text[:3].casefold()]


def _resolve_range(
    first: _Part, second: _Part, default_year: int | None, anchor: date | None
) -> tuple[date, date, bool] | None:
    """Start, end and whether a year was stated, for two sides read as one range; None if invalid."""
    first_kind, first_day, first_month, first_year, weak = first
    second_kind, second_day, second_month, second_year, _ = second
    if second_kind == "bare":
        if first_kind != "us" or first_year is not None:
            return None  # "October 3-4, 2023" only: a bare second day needs a year-less US first
        second_month = first_month
    if first_kind == "bare":
        if second_kind != "eu":
            return None  # "3-4 October": a bare first day takes the month of an EU second
        first_month = second_month
    if first_kind in NUMERIC_KINDS or second_kind in NUMERIC_KINDS:
        ordered = _order_numeric([first, second])
        if ordered is None:
            return None
        (_, first_day, first_month, _, _), (_, second_day, second_month, _, _) = ordered
    if weak and first_year is None and second_year is None:
        return None
    rolls_over = (second_month, second_day) < (first_month, first_day)  # "December 30 - January 2"
    stated = True
    if first_year is not None and second_year is not None:
        start_year, end_year = first_year, second_year
    elif second_year is not None:
        end_year = second_year
        start_year = end_year - 1 if rolls_over else end_year
    elif first_year is not None:
        start_year = first_year
        end_year = start_year + 1 if rolls_over else start_year
    else:
        inferred = _infer_year(first_month, first_day, default_year, anchor)
        if inferred is None:
            return None
        start_year, stated = inferred, False
        end_year = start_year + 1 if rolls_over else start_year
    start = _make(start_year, first_month, first_day)
    end = _make(end_year, second_month, second_day)
    if start is None or end is None or not 0 <= (end - start).days <= MAX_RANGE_DAYS:
        return None
    return start, end, stated


def _resolve_single(
    part: _Part, default_year: int | None, anchor: date | None
) -> tuple[date, bool] | None:
    """The date of one side standing alone, and whether its year was stated; None if unknown."""
    kind, day, month, year, weak = part
    if kind == "bare":
        return None
    if year is not None:
        single = _stated_date(part) if kind in NUMERIC_KINDS else _make(year, month, day)
        return None if single is None else (single, True)
    if weak:
        return None
    year = _infer_year(month, day, default_year, anchor)
    single = None if year is None else _make(year, month, day)
    return None if single is None else (single, False)


def _stated_date(part: _Part) -> date | None:
    """The date of a side that states its year (a numeric one ordered alone); None if invalid."""
    if part[0] in NUMERIC_KINDS:
        ordered = _order_numeric([part])
        if ordered is None:
            return None
        (part,) = ordered
    _, day, month, year, _ = part
    return None if year is None else _make(year, month, day)


def _order_numeric(parts: list[_Part]) -> list[_Part] | None:
    """The parts with their numeric ones in day, month order, read together; None when ambiguous."""
    numbers = [(first, second) for kind, first, second, _, _ in parts if kind in NUMERIC_KINDS]
    day_first_ok = all(second <= 12 for _, second in numbers)
    month_first_ok = all(first <= 12 for first, _ in numbers)
    if any(part[0] == "dotted" for part in parts):
        month_first_ok = False  # "3.10.2023" is day.month.year wherever dots are used
    elif day_first_ok and month_first_ok and any(first != second for first, second in numbers):
        return None  # "03/04/2023": both orders possible, do not guess
    if not day_first_ok and not month_first_ok:
        return None
    if day_first_ok:
        return parts
    return [
        (kind, second, first, year, weak) if kind in NUMERIC_KINDS else (kind, first, second, year, weak)
        for kind, first, second, year, weak in parts
    ]


def _infer_year(month: int, day: int, default_year: int | None, anchor: date | None) -> int | None:
    """The default year, else the year putting month/day closest to the anchor, else None."""
    if default_year is not None:
        return default_year if _make(default_year, month, day) is not None else None
    if anchor is None:
        return None
    best: tuple[int, int] | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        candidate = _make(year, month, day)
        if candidate is not None and (best is None or abs((candidate - anchor).days) < best[0]):
            best = (abs((candidate - anchor).days), year)
    return None if best is None else best[1]


def _make(year: int, month: int, day: int) -> date | None:
    """date(year, month, day), or None when that day does not exist."""
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def find_relative_dates(text: str, *, anchor: date) -> list[DateMatch]:
    """Days a report names relative to its own date: "concluded yesterday", "closed on Saturday".

    A weekday after a past-tense verb is the latest such day before ``anchor``; after a present
    one ("opens on Monday") the next one from ``anchor`` on. The cue is "start" for verbs of
    opening, "end" for verbs of ending, None for "took place".

    Args:
        text: any text.
        anchor: the report's publication date.

    Returns:
        One-day matches in order of position (year_stated is False).
    """
    found: list[DateMatch] = []
    lowered = text.lower()
    if "day" not in lowered and "tomorrow" not in lowered:
        return found  # each such day is a weekday, "yesterday", "today" or "tomorrow"
    for match in RELATIVE_DAY.finditer(text):
        verb = " ".join(match["verb"].lower().split())
        if match["word"]:
            day = anchor + timedelta(days=RELATIVE_WORDS[match["word"].lower()])
        else:
            offset = WEEKDAYS.index(match["weekday"].lower()) - anchor.weekday()
            if PRESENT_VERB.match(verb):
                day = anchor + timedelta(days=offset % 7)
            else:
                day = anchor - timedelta(days=(-offset) % 7 or 7)
        cue = None if verb.startswith(("took", "takes")) else "start" if START_VERB.match(verb) else "end"
        span = match.span("weekday") if match["weekday"] else match.span("word")
        found.append(DateMatch(start=day, end=day, span=span, text=text[span[0] : span[1]],
                               year_stated=False, cue=cue))
    return found


def _cue(text: str, start: int) -> str | None:
    """"end" or "start" when the words just before ``start`` say so."""
    # A cue is a word, then spaces: not "(France), 3 May", nor a date opening the line. The
    # usual single space is checked on two characters, without slicing the window.
    if not text[start - 1 : start].isspace():  # "" at the start of the text
        return None
    last = text[start - 2 : start - 1]  # "" when the space opens the text
    window_start = start - CUE_WINDOW if start > CUE_WINDOW else 0
    if not last.isspace():
        if not last.isalpha():
            return None
    elif not text[window_start:start].rstrip()[-1:].isalpha():
        return None
    m = CUE.search(text, window_start, start)
    if m is None:
        return None
    return "end" if m.group("end") is not None else "start"


def _duration_cue(text: str, day_word: int, number: int) -> bool:
    """Whether "over", "lasting", "over the course of", ... stands right before the number."""
    return DURATION_CUE.search(text, max(0, day_word - DURATION_LOOKBACK), number) is not None


def _looks_like_place(part: str) -> bool:
    """Capitalised words (particles aside), and no month or weekday name standing alone."""
    words = part.split()
    if not words or not words[0][0].isupper() or WEEKDAY_OR_MONTH.fullmatch(part):
        return False
    return all(w[0].isupper() or w.lower() in PLACE_PARTICLES for w in words)


def _title_case(name: str) -> str:
    """"NEW YORK" -> "New York", "ST. JOHN'S" -> "St. John's", "RIO DE JANEIRO" -> "Rio de Janeiro"."""
    titled = CAPS_WORD.sub(lambda w: w[0].capitalize(), name)
    words = CAPS_POSSESSIVE.sub("s", titled).split(" ")
    return " ".join([words[0]] + [w.lower() if w.lower() in PLACE_PARTICLES else w for w in words[1:]])
