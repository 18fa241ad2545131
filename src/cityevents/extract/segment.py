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
from dataclasses import dataclass, field
from datetime import date

from cityevents.extract.dates import DateMatch, find_dates
from cityevents.extract.gazetteer import Place, get_gazetteer
from cityevents.extract.names import (
    FIELD_LABEL,
    UI_PHRASES,
    is_bullet,
    looks_like_heading,
    section_year,
    strip_bullet,
)
from cityevents.extract.places import PlaceMention, find_place_mentions

MAX_ANCHOR_WORDS = 30
LOCATION_LABEL = re.compile(r"^\s*(?:where|location|venue|place|city)\s*:\s*(.+)$", re.IGNORECASE)
DEADLINE_WORDS = re.compile(
    r"\b(?:deadline|registration|register|submit|submission|apply|applications?|call for|early[- ]bird|"
    r"tickets?|abstracts?|closes|published|updated|posted)\b",
    re.IGNORECASE,
)
TABLE_SEPARATOR = " | "
# Patterns of place mentions, most specific first.
PATTERN_RANK = {"city (country)": 0, "city, country": 0, "city – country": 0, "city, st": 0, "city, state": 0}


@dataclass
class Line:
    """One line of the document, with its offsets."""

    index: int
    start: int
    end: int
    raw: str

    @property
    def text(self) -> str:
        return strip_bullet(self.raw)

    @property
    def blank(self) -> bool:
        return not self.raw.strip()


@dataclass
class Anchor:
    """The line that says when and where one event happens."""

    line: Line
    when: DateMatch
    where: Place | None
    place_span: tuple[int, int] | None  # within the anchor line's raw text
    inline_name: str | None


@dataclass
class Block:
    """One event's lines: its heading (if any), its anchor and its description."""

    anchor: Anchor
    heading: Line | None
    lines: list[Line] = field(default_factory=list)  # from the heading (or anchor) to the block's end

    @property
    def span(self) -> tuple[int, int]:
        return self.lines[0].start, self.lines[-1].end

    @property
    def body(self) -> str:
        """The description: every line after the heading except the anchor and interface noise."""
        kept = []
        for line in self.lines:
            if line is self.heading or line is self.anchor.line:
                continue
            if line.text.lower().strip(" .!") in UI_PHRASES:
                continue
            kept.append(("• " + line.text) if is_bullet(line.raw) else line.raw.strip())
        return "\n".join(kept).strip()


def split_lines(text: str) -> list[Line]:
    """The document's lines with their character offsets."""
    lines: list[Line] = []
    offset = 0
    for index, raw in enumerate(text.split("\n")):
        lines.append(Line(index=index, start=offset, end=offset + len(raw), raw=raw))
        offset += len(raw) + 1
    return lines


def section_years(lines: list[Line]) -> list[int | None]:
    """For each line, the year of the section heading it sits under."""
    years: list[int | None] = []
    current: int | None = None
    for line in lines:
        year = section_year(line.raw) if not line.blank else None
        if year is not None:
            current = year
        years.append(current)
    return years


def find_anchors(lines: list[Line], *, published: date | None, skip: tuple[int, int] | None = None) -> list[Anchor]:
    """Every short line that states an event's date together with its place."""
    years = section_years(lines)
    anchors: list[Anchor] = []
    for line in lines:
        if line.blank or len(line.raw.split()) > MAX_ANCHOR_WORDS:
            continue
        if skip and line.start < skip[1] and line.end > skip[0]:
            continue
        dates = find_dates(line.raw, default_year=years[line.index], anchor=published)
        if not dates:
            continue
        when = dates[0]
        where, place_span = _place_on_line(line.raw, exclude=when.span)
        if where is None:
            where = _labelled_place_nearby(lines, line.index)
            if where is None and not FIELD_LABEL.match(line.raw.strip()):
                continue
        if where is None and DEADLINE_WORDS.search(line.raw):
            continue
        if DEADLINE_WORDS.search(line.raw[: when.span[0]]) and place_span is None:
            continue
        inline = _inline_name(line.raw, when.span, place_span)
        anchors.append(Anchor(line=line, when=when, where=where, place_span=place_span, inline_name=inline))
    return anchors


def blocks_from_anchors(lines: list[Line], anchors: list[Anchor]) -> list[Block]:
    """Group the lines around each anchor into an event block."""
    anchor_rows = {a.line.index for a in anchors}
    headings = [_heading_above(lines, a.line.index, anchor_rows) for a in anchors]
    blocks: list[Block] = []
    for i, anchor in enumerate(anchors):
        first = headings[i].index if headings[i] else anchor.line.index
        if i + 1 < len(anchors):
            nxt = headings[i + 1].index if headings[i + 1] else anchors[i + 1].line.index
        else:
            nxt = len(lines)
        block_lines = list(lines[first:nxt])
        while block_lines and block_lines[-1].blank:
            block_lines.pop()
        blocks.append(Block(anchor=anchor, heading=headings[i], lines=block_lines))
    return blocks


def _place_on_line(raw: str, *, exclude: tuple[int, int]) -> tuple[Place | None, tuple[int, int] | None]:
    if TABLE_SEPARATOR in raw:
        place = _place_from_cells(raw)
        if place is not None:
            return place, None
    mentions = [m for m in find_place_mentions(raw) if m.span[1] <= exclude[0] or m.span[0] >= exclude[1]]
    best = _best_mention(mentions)
    return (best.place, best.span) if best else (None, None)


def _best_mention(mentions: list[PlaceMention]) -> PlaceMention | None:
    with_city = [m for m in mentions if m.place.city]
    pool = with_city or mentions
    if not pool:
        return None
    return min(pool, key=lambda m: (PATTERN_RANK.get(m.pattern, 1), m.span[0]))


def _place_from_cells(raw: str) -> Place | None:
    """A table row: one cell names the city, another (optionally) the country."""
    gazetteer = get_gazetteer()
    cells = [c.strip() for c in raw.split("|") if c.strip()]
    country = next((c for c in cells if gazetteer.country(c)), None)
    for cell in cells:
        if cell == country or any(ch.isdigit() for ch in cell):
            continue
        place = gazetteer.city(cell, country)
        if place is not None:
            return place
    return None


def _labelled_place_nearby(lines: list[Line], index: int) -> Place | None:
    """A "Location: Lyon, France" line within two lines of the date."""
    for near in lines[max(0, index - 2) : index + 3]:
        match = LOCATION_LABEL.match(near.text)
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


INLINE_NOISE = re.compile(r"^[\s•|:;,.\-–—()@]+|[\s•|:;,.\-–—(@]+$")
INLINE_CONNECTIVES = re.compile(r"^(?:(?:on|from|in|at|the|date|dates|when|where|location)\b[\s:]*)+|(?:\b(?:on|from|in|at))+$", re.IGNORECASE)


def _inline_name(raw: str, date_span: tuple[int, int], place_span: tuple[int, int] | None) -> str | None:
    """What remains of an anchor line once its date and place are taken out, if it reads as a name."""
    cuts = sorted([date_span] + ([place_span] if place_span else []))
    pieces, pos = [], 0
    for start, end in cuts:
        pieces.append(raw[pos:start])
        pos = max(pos, end)
    pieces.append(raw[pos:])
    candidates = []
    for piece in pieces:
        piece = strip_bullet(piece)
        for _ in range(3):
            piece = INLINE_CONNECTIVES.sub("", INLINE_NOISE.sub("", piece)).strip()
        if sum(ch.isalpha() for ch in piece) >= 3 and looks_like_heading(piece):
            candidates.append(piece)
    return max(candidates, key=len) if candidates else None


def _heading_above(lines: list[Line], index: int, anchor_rows: set[int]) -> Line | None:
    """The nearest heading-like line above an anchor, skipping blank and parenthesised lines."""
    row = index - 1
    while row >= 0:
        line = lines[row]
        text = line.raw.strip()
        if row in anchor_rows:
            return None
        if line.blank or (text.startswith("(") and text.endswith(")")) or FIELD_LABEL.match(text):
            row -= 1
            continue
        if looks_like_heading(line.raw) and not is_bullet(line.raw):
            if section_year(line.raw) is not None and not _directly_above(lines, row, index):
                return None
            return line
        return None
    return None


def _directly_above(lines: list[Line], row: int, index: int) -> bool:
    """Nothing but blank, parenthesised or labelled lines between ``row`` and ``index``."""
    return all(
        ln.blank or ln.raw.strip().startswith("(") or FIELD_LABEL.match(ln.raw.strip())
        for ln in lines[row + 1 : index]
    )

