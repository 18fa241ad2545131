"""Split a document into one block per event.

A listing names each event near an *anchor*: a short line that states when (a date) and where
(a place) — "• Trondheim (Norway), 5-6 October 2023", "Oct 3-4, 2023: Expo, Austin, TX",
"Date: 3 May 2024" beside "Location: Lyon, France", or a table row. The event's name sits on
the anchor line, in the heading just above it, or only in the first sentence of the description
below it; the description runs to the next event's heading. Section headings such as
"Events in 2024" give year-less dates their year.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Final

from cityevents.extract.casefold import lowercase_twin, lowers_plainly
from cityevents.extract.dates import DateMatch, find_dates, find_relative_dates
from cityevents.extract.gazetteer import Place, get_gazetteer
from cityevents.extract.names import (
    BULLET,
    FIELD_LABEL,
    NAME_LABEL,
    UI_PHRASES,
    event_names_in,
    has_event_word,
    is_numbered,
    looks_like_heading,
    section_year,
    strip_bullet,
)
from cityevents.extract.places import COMMON_WORDS, PlaceMention, find_place_mentions

MAX_ANCHOR_WORDS: Final = 30
PLACE_LINE_WORDS: Final = 8
LABEL_REACH: Final = 3  # lines around a date searched for "Event:" and "Location:" labels
DATE_FIRST_OFFSET: Final = 4  # a paragraph "starts with" its date when nothing but a bullet comes before
NAME_CITY_MIN_POPULATION: Final = 50_000
LOCATION_LABEL: Final = re.compile(r"^\s*(?:where|location|venue|place|city)\s*:\s*(.+)$", re.IGNORECASE)
# Words before a date that make it another date than the event's: a deadline, a publication date, or
# the date of an earlier edition ("our previous edition, held in Bilbao on 12 May 2026"). One pattern,
# so the text before a date is scanned once.
OTHER_DATE_CUE: Final = re.compile(
    r"\b(?:deadline|registration|register|submit|submission|apply|applications?|call for|early[- ]bird|"
    r"tickets?|abstracts?|closes|published|updated|posted)\b"
    r"|\b(?:previous|last|past|former|earlier)\s+(?:year'?s\s+)?"
    r"(?:edition|event|conference|summit|forum|meeting)\b",
    re.IGNORECASE,
)
# The same for lower-cased text (see casefold).
LOWER_OTHER_DATE_CUE: Final = lowercase_twin(OTHER_DATE_CUE)
# One or two digits with no digit on either side; the leading class lets the engine skip to digits.
SHORT_NUMBER: Final = re.compile(r"\d(?<!\d\d)\d?(?!\d)")
# The same for ASCII text (where every digit is 0-9), whose ASCII digit test is much the cheaper.
SHORT_ASCII_NUMBER: Final = re.compile(SHORT_NUMBER.pattern, re.ASCII)
CELL_DELIMITERS: Final = ("|", ";", "\t")
MIN_CELLS: Final = 3
MAX_ROW_RANGE_DAYS: Final = 60
# Patterns of place mentions, most specific first.
PATTERN_RANK: Final = {"city (country)": 0, "city, country": 0, "city – country": 0, "city, st": 0, "city, state": 0}


@dataclass(slots=True, init=False)
class Line:
    """One line of the document, with its offsets."""

    index: int
    start: int
    end: int
    raw: str
    blank: bool  # asked of every line by every pass, so worked out once

    def __init__(self, index: int, start: int, end: int, raw: str) -> None:
        # Written out rather than generated: __post_init__ would cost a second call for every line.
        self.index = index
        self.start = start
        self.end = end
        self.raw = raw
        self.blank = not raw or raw.isspace()

    @property
    def text(self) -> str:
        return strip_bullet(self.raw)


@dataclass(init=False)
class Anchor:
    """The line that says when and where one event happens."""

    line: Line
    when: DateMatch
    where: Place | None
    place_span: tuple[int, int] | None  # within the anchor line's raw text
    inline_name: str | None
    prose: bool  # stated in a sentence of running prose rather than on a line of its own
    labelled_name: str | None  # an "Event: ..." line beside the date
    previous: DateMatch | None  # the dates it had before it was postponed or rescheduled
    name_below: Line | None  # a heading-like line with an event word right under a date line

    def __init__(
        self,
        line: Line,
        when: DateMatch,
        where: Place | None,
        place_span: tuple[int, int] | None,
        inline_name: str | None,
        prose: bool = False,
        labelled_name: str | None = None,
        previous: DateMatch | None = None,
        name_below: Line | None = None,
    ) -> None:
        self.line = line  # written out: see dates.DateMatch
        self.when = when
        self.where = where
        self.place_span = place_span
        self.inline_name = inline_name
        self.prose = prose
        self.labelled_name = labelled_name
        self.previous = previous
        self.name_below = name_below


@dataclass(init=False)
class Block:
    """One event's lines: its heading (if any), its anchor and its description."""

    anchor: Anchor
    heading: Line | None
    lines: list[Line]  # from the heading (or anchor) to the block's end
    name_line: Line | None  # the event's name on the line under the anchor (a card of date, name, place)

    def __init__(
        self, anchor: Anchor, heading: Line | None, lines: list[Line] | None = None, name_line: Line | None = None
    ) -> None:
        self.anchor = anchor  # written out: see dates.DateMatch
        self.heading = heading
        self.lines = [] if lines is None else lines
        self.name_line = name_line

    @property
    def span(self) -> tuple[int, int]:
        return self.lines[0].start, self.lines[-1].end

    @property
    def body(self) -> str:
        """The description: every line after the heading except interface noise and an anchor line that
        only states date and place (one written as a sentence stays: it may say who organises and how many
        come)."""
        anchor = self.anchor
        anchor_line = None if anchor.prose or _is_sentence(anchor.line.raw) else anchor.line
        kept = []
        for line in self.lines:
            if line.blank:
                kept.append("")  # neither heading nor anchor: both are lines with words
                continue
            if line is self.heading or line is anchor_line or line is self.name_line:
                continue
            text = line.raw.strip()
            # A bullet or list number opens with a mark or a digit: a line opening with a letter has none.
            bullet = None if text[0].isalpha() else BULLET.match(line.raw)
            if bullet:
                text = line.raw[bullet.end() :].strip()  # strip_bullet's result
            phrase = text.strip(" .!")  # lower-casing neither makes nor takes these characters
            if len(phrase) <= LONGEST_UI_PHRASE and phrase.lower() in UI_PHRASES:
                continue
            kept.append("• " + text if bullet else text)
        return "\n".join(kept).strip()


SENTENCE_LINE_WORDS: Final = 12
LONGEST_UI_PHRASE: Final = max(map(len, UI_PHRASES))  # lower-casing never shortens a text


def _is_sentence(raw: str) -> bool:
    """A line written as a sentence of prose, not as a line of facts ("• Lyon (France), 3 May 2024")."""
    return raw.rstrip().endswith((".", "!")) and len(raw.split()) > SENTENCE_LINE_WORDS


def split_lines(text: str) -> list[Line]:
    """The document's lines with their character offsets."""
    lines: list[Line] = []
    start = 0
    for index, raw in enumerate(text.split("\n")):
        end = start + len(raw)
        lines.append(Line(index, start, end, raw))
        start = end + 1  # past the newline
    return lines


HEADER_LINES: Final = 4
ISSUE_NUMBER: Final = re.compile(r"\b(?:issue|no\.|#)\s*\d+\b", re.IGNORECASE)
HEADER_DATE_CUE: Final = re.compile(
    r"\b(?:issue|published|posted|updated|edition|newsletter|digest|week of|as of|compiled)\b", re.IGNORECASE
)


def header_date(lines: list[Line]) -> tuple[date, Line] | None:
    """A publication date in the first lines ("Issue 14 – 20 February 2024", "updated May 3, 2024"),
    with the line that states it (which is then no event's anchor)."""
    seen = 0
    for line in lines:
        if line.blank:
            continue
        seen += 1
        if seen > HEADER_LINES:
            break
        # Cheap tests first; taking issue numbers out makes no new short number.
        raw = line.raw
        if not _may_name_header_cue(raw) or not _may_hold_date(raw) or not HEADER_DATE_CUE.search(raw):
            continue
        dates = [d for d in find_dates(ISSUE_NUMBER.sub("", line.raw)) if d.year_stated and d.start == d.end]
        if dates and not find_place_mentions(line.raw):
            return dates[0].start, line
    return None


HEADER_CUE_WORDS: Final = (
    "issue", "published", "posted", "updated", "edition", "newsletter", "digest", "week of", "as of",
    "compiled",
)


def _may_name_header_cue(text: str) -> bool:
    """False when HEADER_DATE_CUE cannot match: a cue holds one of HEADER_CUE_WORDS, lower-cased (when the
    text lowers plainly, see casefold). Substring tests cost far less than the pattern."""
    if not lowers_plainly(text):
        return True
    lowered = text.lower()
    return any(word in lowered for word in HEADER_CUE_WORDS)


def section_years(lines: list[Line]) -> list[int | None]:
    """For each line, the year of the section heading it sits under."""
    years: list[int | None] = []
    current: int | None = None
    since = 0  # the first line under the current section heading
    # Every section heading's year holds "19" or "20"; the lines between headings are filled in at once.
    for line in [line for line in lines if "19" in line.raw or "20" in line.raw]:
        year = section_year(line.raw)
        if year is not None:
            years += [current] * (line.index - since)
            current, since = year, line.index
    years += [current] * (len(lines) - since)
    return years


def find_anchors(
    text: str,
    lines: list[Line],
    *,
    published: date | None,
    skip: tuple[int, int] | None = None,
    header: Line | None = None,
    default_place: Place | None = None,
) -> list[Anchor]:
    """Every event statement: a sentence that gives an event's date together with its place.

    Short lines (a bullet, a heading's date line, a table row) count with a place alone, their name
    being nearby; a sentence of running prose counts only when it also names the event, and takes
    its place from the event's name or, failing that, ``default_place`` (a press release's dateline).
    The dateline's span (``skip``) and the ``header`` line stating the publication date are no anchors.
    ``lines`` are ``split_lines(text)``.
    """
    years = section_years(lines)
    anchors: list[Anchor] = []
    may_hold_date = _lines_that_may_hold_a_date(text, lines)
    # Without a publication date only a line holding a short number can state a date (see _may_hold_date).
    candidates = [line for line in lines if may_hold_date[line.index]] if published is None else lines
    for line in candidates:
        if line.blank or line is header:
            continue
        dates = _dates_on(line, years[line.index], published, skip, may_hold_date[line.index])
        if dates:
            after = skip[1] - line.start if skip and line.start < skip[1] <= line.end else 0
            anchor = _anchor_on_line(lines, line, dates, default_place, after=after)
            if anchor is not None:
                anchors.append(anchor)
    return anchors


def _dates_on(
    line: Line, year: int | None, published: date | None, skip: tuple[int, int] | None, may_hold_date: bool
) -> list[DateMatch]:
    """The dates a line states (a table row's two cells as one range), less those in the ``skip`` span;
    failing them, the days it names relative to ``published``. ``may_hold_date``: _may_hold_date's answer."""
    raw = line.raw
    dates = find_dates(raw, default_year=year, anchor=published) if may_hold_date else []
    if skip:
        start = line.start
        dates = [d for d in dates if not start + d.span[0] < skip[1] or start + d.span[1] <= skip[0]]
    if published is not None and not dates and _may_name_relative_day(raw):
        dates = find_relative_dates(raw, anchor=published)
    return _row_dates(raw, dates)


DIGIT: Final = ord("0")
OTHER: Final = ord("1")
# The first bytes of the UTF-8 forms of the digits outside ASCII (Arabic-Indic, Devanagari, ..., and the
# planes past the first; a test checks every character): bullets, dashes and accented letters start with
# none of them.
OTHER_DIGIT_LEADS: Final = frozenset(b"\xd9\xdb\xdf\xe0\xe1\xea\xef\xf0")
# A document's UTF-8 bytes mapped to their shape: DIGIT for an ASCII digit, OTHER for the first byte of a
# character that may be another digit, the newline kept, every other byte blank.
DIGIT_SHAPES: Final = bytes(
    DIGIT if 48 <= byte <= 57 else OTHER if byte in OTHER_DIGIT_LEADS else byte if byte == 10 else 32
    for byte in range(256)
)


def _lines_that_may_hold_a_date(text: str, lines: list[Line]) -> list[bool]:
    """_may_hold_date for each line, worked out on one byte-translated copy of the text: on a line without
    other digits than 0-9 the short numbers are the runs of one or two "0"s, which a split finds far faster
    than a regex's digit class; a line that may hold other digits is tested as it is."""
    shapes = text.encode("utf-8", "surrogatepass").translate(DIGIT_SHAPES).split(b"\n")
    # Bytes are looked for by value: a bytes needle costs a failed conversion to an integer first. A line
    # without OTHER is runs of DIGIT between blanks: a short number is a run of one or two.
    return [
        _may_hold_date(line.raw) if OTHER in shape else DIGIT in shape and _has_short_run(shape)
        for line, shape in zip(lines, shapes)
    ]


def _has_short_run(shape: bytes) -> bool:
    """Whether a line's shape (runs of DIGIT between blanks) has a run of one or two digits."""
    return any(len(run) < 3 for run in shape.split())


def _may_hold_date(text: str) -> bool:
    """False when ``find_dates`` cannot find a date in ``text``: every date it reads holds a day or
    month of one or two digits standing alone ("3 May", "2024-05-03", "3.5.2024"), which most
    lines, holding only a year or no digit at all, lack. Far cheaper than the date grammar."""
    return (SHORT_ASCII_NUMBER if text.isascii() else SHORT_NUMBER).search(text) is not None


def _may_name_relative_day(text: str) -> bool:
    """False when ``find_relative_dates`` cannot find a day: each needs a weekday, "yesterday",
    "today" or "tomorrow" (all but the last end in "day")."""
    lowered = text.lower()
    return "day" in lowered or "tomorrow" in lowered


def _anchor_on_line(
    lines: list[Line], line: Line, dates: list[DateMatch], default_place: Place | None, *, after: int = 0
) -> Anchor | None:
    """The first date on the line that makes an anchor; text before ``after`` (a dateline) is not read."""
    raw = line.raw
    previous: DateMatch | None = None
    # Per line, not per date: a long paragraph may hold many dates, several in one sentence.
    breaks = _sentence_breaks(raw)
    line_words = _words_up_to_limit(raw)
    names_in: dict[tuple[int, int], list[tuple[str, tuple[int, int]]]] = {}
    nearby: list[Place | None] = []  # _place_nearby's answer, once asked
    for number, when in enumerate(dates):
        if number + 1 < len(dates) and OLD_DATE_CUE.search(raw[max(0, when.span[0] - 60) : when.span[0]]):
            previous = when
            continue
        lo, hi = _sentence_bounds(breaks, len(raw), when.span) if breaks else (0, len(raw))
        lo = max(lo, after)
        unit = raw[lo:hi]
        local = (when.span[0] - lo, when.span[1] - lo)
        if _names_other_date(unit[: local[0]]):
            continue
        # A line of its own, or the opening sentence of a paragraph that starts with the date
        # ("Monday, 9 October 2023 to Friday, 13 October 2023. A week of events ...").
        opening = lo == 0 and when.span[0] <= DATE_FIRST_OFFSET
        unit_words = line_words if len(unit) == len(raw) else _words_up_to_limit(unit)
        short = not after and unit_words <= MAX_ANCHOR_WORDS and (line_words <= MAX_ANCHOR_WORDS or opening)
        if short:
            names = []
        else:
            if (lo, hi) not in names_in:
                names_in[lo, hi] = event_names_in(unit)
            names = names_in[lo, hi]
            if not names:
                continue  # prose is an anchor only where it names the event: no need to look for a place
        row = cells(unit)
        where, place_span = _place_in_unit(unit, local, row, allow_bare=short)
        if where is None and short:
            if not nearby:
                nearby.append(_place_nearby(lines, line.index))
            where = nearby[0]
        if where is None and names:
            where = place_in_name(names[0][0]) or default_place
        if where is None:
            continue
        inline = _inline_name(unit, row, local, place_span) if short else names[0][0]
        if place_span is not None:
            place_span = (place_span[0] + lo, place_span[1] + lo)
        return Anchor(
            line=line, when=when, where=where, place_span=place_span, inline_name=inline, prose=not short,
            previous=previous, labelled_name=_labelled_name(lines, line.index) if short else None,
            name_below=_name_below(lines, line.index) if short else None,
        )
    return None


def _words_up_to_limit(text: str) -> int:
    """The number of words in ``text``, or MAX_ANCHOR_WORDS + 1 if that is more: all the callers compare
    it with MAX_ANCHOR_WORDS, and a long paragraph need not be split whole."""
    return len(text.split(None, MAX_ANCHOR_WORDS))


def _names_other_date(text: str) -> bool:
    """OTHER_DATE_CUE finds a cue in ``text``: its lower-case twin on the lower-cased text, where it may."""
    if not lowers_plainly(text):
        return OTHER_DATE_CUE.search(text) is not None
    return LOWER_OTHER_DATE_CUE.search(text.lower()) is not None


def _name_below(lines: list[Line], index: int) -> Line | None:
    """The line under a date line when it reads as an event's name: heading-like, with an event word,
    stating neither a date nor a place (a venue line such as "ICE Kraków Congress Centre, Kraków" is none)."""
    row = index + 1
    if row >= len(lines) or lines[row].blank:
        return None
    raw = lines[row].raw
    if not looks_like_heading(raw) or not has_event_word(raw) or (_may_hold_date(raw) and find_dates(raw)):
        return None
    return None if find_place_mentions(raw) else lines[row]


OLD_DATE_CUE: Final = re.compile(
    r"\b(?:originally|previously|initially|first)\s+(?:planned|scheduled|set|announced|due)\b|\bwas\s+(?:planned|scheduled|due)\b",
    re.IGNORECASE,
)


def place_in_name(name: str) -> Place | None:
    """A city the event's name starts or ends with ("Lisbon Mobility Days", "Forum Oslo"); a two-word city
    first."""
    words = name.split()
    gazetteer = get_gazetteer()
    for chunk in (words[:2], words[:1], words[-1:]):  # "San Jose ..." before "San" (Mali)
        text = " ".join(chunk)
        if text[:1].isupper() and text.lower() not in COMMON_WORDS:
            place = gazetteer.city(text)
            if place is not None and place.population >= NAME_CITY_MIN_POPULATION:
                return place
    return None


# The stop first, then a look-behind over it: a leading class lets the engine skip ahead to stops.
SENTENCE_BREAK: Final = re.compile(r"[.!?](?<=[a-z0-9)\]”\"][.!?])(?=\s+[A-Z“\"(])")


def _sentence_breaks(raw: str) -> list[int]:
    """Where the sentences of ``raw`` end: the offsets just past their stops, in order."""
    return [match.end() for match in SENTENCE_BREAK.finditer(raw)]


def _sentence_bounds(breaks: list[int], length: int, span: tuple[int, int]) -> tuple[int, int]:
    """The sentence that holds ``span``, from the ``breaks`` of a text of ``length`` characters.

    It starts after the last stop before the span and ends with the first stop after it; a stop
    inside the span (in "Nov. 8") ends nothing.
    """
    before = bisect_right(breaks, span[0])  # breaks[before - 1] is the last end <= span[0]
    after = bisect_right(breaks, span[1])  # a stop at or after span[1] ends past it
    return breaks[before - 1] if before else 0, breaks[after] if after < len(breaks) else length


def _place_in_unit(
    unit: str, exclude: tuple[int, int], row: list[str], *, allow_bare: bool
) -> tuple[Place | None, tuple[int, int] | None]:
    """The place a sentence (whose ``cells`` are ``row``) names: a "City (Country)"-like mention, else
    (in a short line) a bare city."""
    if row:
        place = _place_from_cells(row)
        if place is not None:
            return place, None
    mentions = [m for m in find_place_mentions(unit) if m.span[1] <= exclude[0] or m.span[0] >= exclude[1]]
    best = _best_mention(mentions)
    if best is not None and best.place.city:
        return best.place, best.span
    if allow_bare:
        country = best.place.country_code if best else None
        found = _place_from_chunks(unit, exclude, country) or _venue_city_after(unit, exclude, country)
        if found is not None:
            return found
    return (best.place, best.span) if best else (None, None)


CHUNK_SPLIT: Final = re.compile(r"\s*(?:[,;|•·()\[\]:]|\s[–—-]\s|[–—])\s*")
CHUNK_WORDS: Final = 4


def _pieces(unit: str, start: int) -> list[tuple[str, int, int]]:
    """The pieces of ``unit[start:]`` between separators (CHUNK_SPLIT), each with its span in ``unit``."""
    pieces = []
    pos = start
    for piece in CHUNK_SPLIT.split(unit[start:] if start else unit):
        begin = unit.find(piece, pos) if piece else pos
        pos = begin + len(piece)
        pieces.append((piece, begin, pos))
    return pieces


def _place_from_chunks(
    unit: str, exclude: tuple[int, int], country: str | None
) -> tuple[Place, tuple[int, int]] | None:
    """A city named on its own between separators: "Zurich, Tuesday, 5 March", "Montréal, QC"."""
    gazetteer = get_gazetteer()
    for piece, start, end in _pieces(unit, 0):
        chunk = strip_bullet(piece).strip(" .")
        if not chunk or start < exclude[1] and end > exclude[0] or len(chunk.split()) > CHUNK_WORDS:
            continue
        if not chunk[:1].isupper() or chunk.lower() in COMMON_WORDS:
            continue
        place = gazetteer.city(chunk, country)
        if place is not None:
            return place, (start, end)
    return None


def _venue_city_after(
    unit: str, exclude: tuple[int, int], country: str | None
) -> tuple[Place, tuple[int, int]] | None:
    """The city a venue named after the date starts or ends with: "25–26 June 2025, ExCeL London"."""
    for piece, start, end in _pieces(unit, exclude[1]):
        chunk = piece.strip(" .")
        if not 2 <= len(chunk.split()) <= CHUNK_WORDS:
            continue
        place = place_in_name(chunk)
        if place is not None and country in (None, place.country_code):
            return place, (start, end)
    return None


def _place_nearby(lines: list[Line], index: int) -> Place | None:
    """A place on a line of its own next to the date ("Pattaya, Thailand"), or a labelled one."""
    labelled = _labelled_place_nearby(lines, index)
    if labelled is not None:
        return labelled
    for row in _place_line_rows(lines, index):
        if len(lines[row].raw.split()) <= PLACE_LINE_WORDS:
            raw = lines[row].raw
            if _may_hold_date(raw) and find_dates(raw):
                continue
            mentions = find_place_mentions(raw)
            best = _best_mention(mentions)
            if best is not None and best.place.city:
                return best.place
            found = _place_from_chunks(raw, (0, 0), best.place.country_code if best else None)
            if found is not None and len(strip_bullet(raw).split(",")[0].split()) <= CHUNK_WORDS:
                return found[0]
    return None


def _place_line_rows(lines: list[Line], index: int) -> list[int]:
    """Lines that may state the place of the date on line ``index``, nearest first: the lines just above
    and below, the second line below in the same paragraph (a card of date, name and place lines), then
    the nearest lines past one blank line, which may belong to another event."""
    rows = [row for row in (index - 1, index + 1) if 0 <= row < len(lines) and not lines[row].blank]
    if index + 1 in rows and index + 2 < len(lines) and not lines[index + 2].blank:
        rows.append(index + 2)
    for step in (-1, 1):
        row = _neighbour(lines, index, step)
        if row is not None and row not in rows:
            rows.append(row)
    return rows


def _neighbour(lines: list[Line], index: int, step: int) -> int | None:
    """The nearest non-blank line above (step -1) or below (+1), past at most one blank line."""
    row = index + step
    if 0 <= row < len(lines) and lines[row].blank:
        row += step
    return row if 0 <= row < len(lines) and not lines[row].blank else None


def blocks_from_anchors(lines: list[Line], anchors: list[Anchor]) -> list[Block]:
    """Group the lines around each anchor into an event block."""
    # A heading never reaches back over another event's anchor or the name line under it.
    taken_rows = {a.line.index for a in anchors} | {a.name_below.index for a in anchors if a.name_below}
    headings = [_heading_above(lines, a.line.index, taken_rows) for a in anchors]
    blocks: list[Block] = []
    starts = [(heading or anchor.line).index for heading, anchor in zip(headings, anchors)]
    for i, anchor in enumerate(anchors):
        first = starts[i]
        nxt = starts[i + 1] if i + 1 < len(anchors) else len(lines)
        block_lines = lines[first:nxt]
        while block_lines and block_lines[-1].blank:
            block_lines.pop()
        heading = headings[i]
        below = anchor.name_below
        name_line = below if below and below.index < nxt else None
        # A heading in the anchor's own paragraph names the event; one past a blank line yields to the
        # name under the date.
        if name_line and heading and not any(ln.blank for ln in lines[heading.index + 1 : anchor.line.index]):
            name_line = None
        blocks.append(Block(anchor=anchor, heading=heading, lines=block_lines, name_line=name_line))
    return blocks


def _best_mention(mentions: list[PlaceMention]) -> PlaceMention | None:
    if len(mentions) < 2:  # most units name one place or none
        return mentions[0] if mentions else None
    with_city = [m for m in mentions if m.place.city]
    pool = with_city or mentions
    if not pool:
        return None
    return min(pool, key=lambda m: (PATTERN_RANK.get(m.pattern, 1), m.span[0]))


def cells(raw: str) -> list[str]:
    """The cells of a table row ("Name | 3 May 2024 | Lyon | France", or ";"/tab separated), else []."""
    for delimiter in CELL_DELIMITERS:
        if raw.count(delimiter) >= MIN_CELLS - 1:
            return [c.strip() for c in raw.split(delimiter) if c.strip()]
    return []


def _row_dates(unit: str, dates: list[DateMatch]) -> list[DateMatch]:
    """In a table row, a start cell and an end cell make one range."""
    if len(dates) >= 2 and cells(unit) and dates[0].start == dates[0].end and dates[1].start >= dates[0].start:
        first, second = dates[0], dates[1]
        if (second.start - first.start).days <= MAX_ROW_RANGE_DAYS:
            joined = DateMatch(
                start=first.start, end=second.end, span=(first.span[0], second.span[1]),
                text=unit[first.span[0] : second.span[1]], year_stated=first.year_stated, cue=None,
            )
            return [joined, *dates[2:]]
    return dates


def _place_from_cells(row: list[str]) -> Place | None:
    """A table row's cells: one names the city, another (optionally) the country."""
    gazetteer = get_gazetteer()
    country = next((c for c in row if gazetteer.country(c)), None)
    for cell in row:
        if cell == country or any(ch.isdigit() for ch in cell):
            continue
        place = gazetteer.city(cell, country)
        if place is not None:
            return place
    return None


def _labelled_name(lines: list[Line], index: int) -> str | None:
    """An "Event: ..." / "Name: ..." line within three lines of the date."""
    for near in lines[max(0, index - LABEL_REACH) : index + LABEL_REACH + 1]:
        match = NAME_LABEL.match(near.raw) if ":" in near.raw else None  # the label's colon: a cheap test
        if match:
            return match["name"].strip()
    return None


def _labelled_place_nearby(lines: list[Line], index: int) -> Place | None:
    """A "Location: Lyon, France" line within two lines of the date."""
    for near in lines[max(0, index - 2) : index + 3]:
        match = LOCATION_LABEL.match(near.text) if ":" in near.raw else None  # the label's colon: a cheap test
        if match:
            mentions = find_place_mentions(match.group(1))
            best = _best_mention(mentions)
            if best:
                return best.place
            parts = [p.strip() for p in match.group(1).split(",")]
            for i, part in enumerate(parts):
                country = parts[-1] if len(parts) > 1 and i < len(parts) - 1 else None
                place = get_gazetteer().city(part, country)
                if place:
                    return place
    return None


INLINE_NOISE: Final = re.compile(r"^[\s•|:;,.\-–—()@]+|[\s•|:;,.\-–—(@]+$")
INLINE_CONNECTIVES: Final = re.compile(r"^(?:(?:on|from|in|at|the|date|dates|when|where|location)\b[\s:]*)+|(?:\b(?:on|from|in|at))+$", re.IGNORECASE)


def _inline_name(
    unit: str, row: list[str], date_span: tuple[int, int], place_span: tuple[int, int] | None
) -> str | None:
    """What remains of an anchor once its date and place are taken out, if it reads as a name.

    A table row (``row``, the unit's cells) offers its cells; other lines the pieces around the date
    and the place. A piece with an event word beats one without; then the earliest wins.
    """
    if row:
        pieces = [c for c in row if not (_may_hold_date(c) and find_dates(c)) and not _is_place_cell(c)]
    else:
        cuts = sorted([date_span] + ([place_span] if place_span else []))
        pieces, pos = [], 0
        for start, end in cuts:
            pieces.append(unit[pos:start])
            pos = max(pos, end)
        pieces.append(unit[pos:])
    candidates = []
    for piece in pieces:
        if sum(map(str.isalpha, piece)) < 3:  # trimming only takes letters away
            continue
        piece = strip_bullet(piece)
        for _ in range(3):
            trimmed = INLINE_CONNECTIVES.sub("", INLINE_NOISE.sub("", piece)).strip()
            if trimmed == piece:  # nothing more to trim: further rounds would change nothing
                break
            piece = trimmed
        if sum(ch.isalpha() for ch in piece) >= 3 and looks_like_heading(piece) and not _is_place_cell(piece):
            candidates.append(piece)
    if not candidates:
        return None
    return next((c for c in candidates if has_event_word(c)), candidates[0])


def _is_place_cell(text: str) -> bool:
    """A cell or piece that only names a country, a city or a US state."""
    chunk = text.strip(" .,;:")
    if not chunk or len(chunk.split()) > CHUNK_WORDS:
        return False
    gazetteer = get_gazetteer()
    return bool(gazetteer.country(chunk) or gazetteer.city(chunk) or len(chunk) == 2 and chunk.isupper())


HEADING_LOOKBACK: Final = 3


def _heading_above(lines: list[Line], index: int, anchor_rows: set[int]) -> Line | None:
    """The heading of an anchor: among the few heading-like lines just above it, the nearest one
    that names an event, else the nearest. Blank, parenthesised and labelled lines are skipped."""
    found: list[Line] = []
    # Nothing but skipped lines and headings opening with "(" lies between the line and the anchor.
    directly_above = True
    row = index - 1
    while row >= 0 and len(found) < HEADING_LOOKBACK:
        if row in anchor_rows:
            break
        line = lines[row]
        if line.blank:
            row -= 1
            continue
        text = line.raw.strip()
        if (text[0] == "(" and text[-1] == ")") or ":" in text and FIELD_LABEL.match(text):
            row -= 1
            continue
        numbered = is_numbered(line.raw)
        # An unnumbered bullet is no heading: looks_like_heading, given the bullet, says so.
        if not looks_like_heading(strip_bullet(line.raw) if numbered else line.raw):
            break
        if _may_hold_date(line.raw) and find_dates(line.raw):  # another event's line, not this one's heading
            break
        if not directly_above and section_year(line.raw) is not None:
            break
        found.append(line)
        directly_above = directly_above and text[0] == "("
        row -= 1
    for line in found:
        if has_event_word(line.raw):
            return line
    return found[0] if found else None
