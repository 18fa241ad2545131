"""Free text -> events: the extraction engine.

Three shapes of document are read:

* a **listing** — one block per event around an anchor line that states date and place
  (see :mod:`cityevents.extract.segment`);
* a **press release** — a dateline ("Changsha, Nov. 08, 2023 (GLOBE NEWSWIRE) --") gives the
  publication date, which anchors year-less dates, and the lead sentence names the one event
  it reports ("... concluded on November 2nd"; with "the three-day conference" that is a range);
* an **article** — neither: the first sentence with a date names the event.

Stated dates always win over prose about length ("a 2-day conference" dated 12-14 October
stays three days); a duration only stretches a date the text calls a start or an end.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from datetime import date, timedelta
from typing import Final

from cityevents.extract.casefold import lowercase_twin, lowers_plainly
from cityevents.extract.dates import (
    Dateline,
    DateMatch,
    find_dates,
    find_durations,
    parse_dateline,
)
from cityevents.extract.figures import find_figures
from cityevents.extract.gazetteer import Place, get_gazetteer
from cityevents.extract.names import (
    CleanName,
    event_names_in,
    first_sentence,
    has_event_word,
    is_venue,
    looks_like_heading,
    name_from_heading,
    name_from_sentence,
)
from cityevents.extract.organizers import find_organizers
from cityevents.extract.places import find_place_mentions
from cityevents.extract.relations import find_parent, find_series
from cityevents.extract.segment import (
    OTHER_DATE_CUE,
    Block,
    blocks_from_anchors,
    find_anchors,
    header_date,
    place_in_name,
    split_lines,
)
from cityevents.extract.topics import classify_topics
from cityevents.model import AttendanceMode, Event, Source, Status

LOGGER: Final = logging.getLogger(__name__)

EXTRACTOR: Final = "text"
INVISIBLE_CHARS: Final = "\u200b\u200c\u200d\u2060\ufeff"
# The tab is a space too: see normalise_text.
SPACE_CHARS: Final = "\u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
LEAD_PARAGRAPHS: Final = 3
STATUS_WORDS: Final = (
    (re.compile(r"\b(?:cancell?ed|called off)\b", re.IGNORECASE), Status.CANCELLED),
    (re.compile(r"\bpostponed\b", re.IGNORECASE), Status.POSTPONED),
    (re.compile(r"\brescheduled\b", re.IGNORECASE), Status.RESCHEDULED),
    (re.compile(r"\bmoved online\b", re.IGNORECASE), Status.MOVED_ONLINE),
)
# Any of the above, so that text naming none (nearly all) is scanned once, not once per status.
ANY_STATUS_WORD: Final = re.compile(
    r"\b(?:cancell?ed|called off|postponed|rescheduled|moved online)\b", re.IGNORECASE
)
ONLINE_OR_HYBRID: Final = re.compile(r"\b(?:online|virtual|webinar|hybrid)\b", re.IGNORECASE)
# The same patterns for lower-cased text (see casefold).
ANY_STATUS_WORD_LOWER: Final = lowercase_twin(ANY_STATUS_WORD)
ONLINE_OR_HYBRID_LOWER: Final = lowercase_twin(ONLINE_OR_HYBRID)
# What every word they find holds, in lower case.
STATUS_STEMS: Final = ("cancel", "called off", "postponed", "rescheduled", "moved online")
ATTENDANCE_STEMS: Final = ("online", "virtual", "webinar", "hybrid")
ONLINE: Final = re.compile(r"\b(?:online|virtual|webinar)\b", re.IGNORECASE)
HYBRID: Final = re.compile(r"\bhybrid\b", re.IGNORECASE)
IN_PLACE: Final = re.compile(r"\b(?:in|at)\s+(?:the\s+)?[A-Z]")


def normalise_text(text: str) -> str:
    """One kind of newline and space; invisible characters gone. Spans refer to this text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if text.isascii():  # the tab, replaced above, is the only ASCII space or invisible character
        return text
    # Each character looked for on its own: a substring test is far cheaper than a regex's
    # character class, and most texts hold none of them.
    for char in INVISIBLE_CHARS:
        if char in text:
            text = text.replace(char, "")
    for char in SPACE_CHARS:
        if char in text:
            text = text.replace(char, " ")
    return text


def extract_events(text: str, *, source: str, published: date | None = None) -> list[Event]:
    """Read every event a free-text announcement states.

    Args:
        text: the document's text (headings on their own lines, list items as bullet lines).
        source: the path or URL as given; recorded as each event's source.
        published: the document's publication date, if known; anchors year-less dates.

    Returns:
        The events in document order, one per event (repeats within a document are merged).
    """
    text = normalise_text(text)
    if not text.strip():
        return []
    dateline = _dateline(text)
    if dateline is not None and published is None:
        published = dateline.published
    lines = split_lines(text)
    header = header_date(lines)
    if published is None and header is not None:
        published = header[0]
    anchors = find_anchors(
        text,
        lines,
        published=published,
        skip=dateline.span if dateline else None,
        header=header[1] if header else None,
        default_place=_resolve_dateline_place(dateline) if dateline else None,
    )
    if anchors:
        events = [e for e in (_event_from_block(b, source, published) for b in blocks_from_anchors(lines, anchors)) if e]
    else:
        lead = _lead_event(text, source, published, dateline)
        events = [lead] if lead else []
    return _unique(events)


DATELINE_LINES: Final = 8  # a press release's dateline opens its body, under a headline or two
# How far past its first line a dateline can run: its date (at most ~55 characters, spaces and all),
# then "(GLOBE NEWSWIRE)" or "/PRNewswire/" (at most 65) and the dash; a margin on top.
DATELINE_REACH: Final = 200


def _dateline(text: str) -> Dateline | None:
    """The press-release dateline, if the document opens with one.

    "Santiago, Chile — December 30, 2023 – January 2, 2024" reads like a dateline but is an event's
    place and dates: a date that begins a range is an event's, never a publication date. So is one
    after an event's name.
    """
    dateline = parse_dateline(_dateline_head(text))
    if dateline is None or text.count("\n", 0, dateline.span[0]) >= DATELINE_LINES:
        return None
    if has_event_word(dateline.place):  # "Ports Summit — March 9, 2026 — Rotterdam": an event's line
        return None
    line_end = text.find("\n", dateline.span[0])
    line = text[dateline.span[0] : line_end if line_end >= 0 else len(text)]
    if any(d.start == dateline.published and d.end != d.start for d in find_dates(line)):
        return None
    return dateline


def _dateline_head(text: str) -> str:
    """The first DATELINE_LINES lines and DATELINE_REACH characters more: a dateline that starts
    further down is refused anyway, and reading the whole document for one would cost the most."""
    end = -1
    for _ in range(DATELINE_LINES):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
    return text[: end + DATELINE_REACH]


def _event_from_block(block: Block, source: str, published: date | None) -> Event | None:
    anchor = block.anchor
    body = block.body
    named = _block_name(block, body)
    if named is None:
        LOGGER.info("%s: an event on line %d has no name; skipped", source, anchor.line.index + 1)
        return None
    place = (
        _with_city(anchor.where, named.name, anchor.inline_name or "")
        or _place_in(named.name)
        or _place_in(first_sentence(body), prose=True)
    )
    event = _assemble(
        named,
        when=_stretch(anchor.when, f"{anchor.line.raw}\n{body}"),
        previous=anchor.previous,
        place=place,
        description=body,
        context=" ".join(filter(None, [anchor.line.raw, block.heading.raw if block.heading else ""])),
        source=Source(document=source, extractor=EXTRACTOR, span=block.span, published=published),
    )
    return event


def _block_name(block: Block, body: str) -> CleanName | None:
    """A labelled name ("Event: ..."), the name written on the anchor line, the name line under it, the
    heading, or the subject of the description; of the written ones, one with an event word beats one
    without, and an event's name in the anchor line beats a written one without."""
    anchor = block.anchor
    written = (anchor.labelled_name, anchor.inline_name, block.name_line and block.name_line.raw,
               block.heading and block.heading.raw)
    first: CleanName | None = None
    for raw in written:  # in order of preference: later ones are cleaned only when needed
        if not raw:
            continue
        candidate = name_from_heading(raw)
        if has_event_word(candidate.name):
            return candidate
        if not is_venue(candidate.name):  # "14–16 May 2024 | Kuala Lumpur Convention Centre, Malaysia"
            first = first or candidate
    # "Join us in Cape Town on 18 September for the Africa Smart Cities Summit"
    in_line = event_names_in(anchor.line.raw)
    if in_line:
        return name_from_heading(in_line[0][0])
    return first or name_from_sentence(first_sentence(body))


def _lead_event(text: str, source: str, published: date | None, dateline: Dateline | None) -> Event | None:
    """The one event a press release or article is about: the first dated sentence names it."""
    start = dateline.span[1] if dateline else 0
    paragraphs = [p for p in re.split(r"\n\s*\n", text[start:]) if p.strip()]
    title = _title(text[:start] if dateline else "", paragraphs)
    lead_text = "\n\n".join(paragraphs[:LEAD_PARAGRAPHS])
    if published is None:
        published = _labelled_publication(text)
    dates = [
        d for d in find_dates(lead_text, anchor=published, default_year=_named_year(lead_text, published))
        if not _other_date(lead_text, d)
    ]
    if not dates:
        return None
    when = dates[0]
    sentence = _sentence_around(lead_text, when.span)
    if published is not None and not when.year_stated and when.start < published and FUTURE.search(sentence):
        when = _a_year_later(when)
    lead = _paragraph_lead(lead_text, when.span[0])
    # The first paragraph alone: a headline without a full stop does not run into the next paragraph.
    named = (
        name_from_sentence(first_sentence(paragraphs[0]))
        or name_from_sentence(sentence)
        or title
        or _event_named_in(lead)
        or _event_named_in(sentence)
    )
    if named is None:
        LOGGER.info("%s: dated text found but no event name; skipped", source)
        return None
    when = _stretch(when, text)
    place = _with_city(
        _place_in(sentence, prose=True)
        or _arrival_city(sentence)
        or _arrival_city(lead)
        or (_resolve_dateline_place(dateline) if dateline else None)
        or _place_in(named.name)
        or place_in_name(named.name)
        or _venue_city(sentence),
        named.name,
    )
    body = "\n\n".join(paragraphs)
    return _assemble(
        named,
        when=when,
        place=place,
        description=body,
        context=sentence,
        source=Source(document=source, extractor=EXTRACTOR, span=(start, len(text)), published=published),
    )


# After an event's name, up to three capitalised words (a city: "Summit Sydney 2025") and its year.
NAME_YEAR: Final = re.compile(r"(?:\s+[A-Z][\w'’-]*){0,3}\s+((?:19|20)\d{2})(?!\w|[-/.–]\d)")
LEADING_YEAR: Final = re.compile(r"((?:19|20)\d{2})\s")  # "the 2025 Smart Cities Week"


def _named_year(text: str, published: date | None) -> int | None:
    """Without a publication date, the year an event's name states is the year of the dates that state
    none: "The Smart Cities Summit Sydney 2025 (18-19 March, ICC Sydney) will ...", "the 2025 Smart
    Cities Week takes place 28-30 October"."""
    if published is not None:
        return None
    first = first_sentence(text)
    years = {
        int(m[1])
        for name, (_, end) in event_names_in(first)
        if (m := NAME_YEAR.match(first, end) or LEADING_YEAR.match(name))
    }
    return years.pop() if len(years) == 1 else None


def _event_named_in(sentence: str) -> CleanName | None:
    """The first event's name inside a sentence whose subject is no event ("Next month the Smart
    Mobility Forum comes to Gothenburg!")."""
    found = event_names_in(sentence)
    return name_from_heading(found[0][0]) if found else None


def _paragraph_lead(text: str, position: int) -> str:
    """The first sentence of the paragraph holding ``position``: it often names what the paragraph
    then dates ("... comes to Gothenburg! From 14 to 16 October, experts will meet ...")."""
    return first_sentence(text[text.rfind("\n\n", 0, position) + 1 :])


FUTURE: Final = re.compile(r"\b(?:will|is\s+set\s+to|is\s+scheduled|returns|upcoming)\b", re.IGNORECASE)


def _a_year_later(when: DateMatch) -> DateMatch:
    """A year-less date the text puts in the future ("will run from 7 to 10 October"), read a year on."""
    return dataclasses.replace(when, start=_next_year(when.start), end=_next_year(when.end))


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


PUBLISHED_LABEL: Final = re.compile(r"\b(?:published|posted|updated)(?:\s+on)?\s*:?\s*", re.IGNORECASE)
LABELLED_DATE_REACH: Final = 40  # the longest date form with a weekday: "Wednesday, 12 September 2024"


def _labelled_publication(text: str) -> date | None:
    """The date right after "Published:", "Posted on", "Updated:" anywhere in the text, with its year."""
    for label in PUBLISHED_LABEL.finditer(text):
        after = text[label.end() : label.end() + LABELLED_DATE_REACH]
        found = next(iter(find_dates(after)), None)
        if found is not None and found.span[0] == 0 and found.year_stated:
            return found.start
    return None


OTHER_DATE_REACH: Final = 30  # "registration closes 31 December", not "Register now for X, happening 18 May"


# A news wire's tag right after a date makes it the release's date, wherever the dateline stands.
WIRE_AFTER: Final = re.compile(
    r"\s*[(/]\s*(?i:globe\s+newswire|prnewswire|business\s+wire|newsfile|accesswire|ein\s+presswire|marketwired?)\b"
)


def _other_date(text: str, found: DateMatch) -> bool:
    """A date the words just before it call a deadline, a publication date or a past edition's, or one a
    news wire's tag follows ("March 14, 2024 (PRNewswire) --")."""
    start = max(_sentence_start(text, found.span[0]), found.span[0] - OTHER_DATE_REACH)
    return (
        OTHER_DATE_CUE.search(text, start, found.span[0]) is not None
        or WIRE_AFTER.match(text, found.span[1]) is not None
    )


def _title(head: str, paragraphs: list[str]) -> CleanName | None:
    """A headline naming an event: a heading-like first paragraph with an event word."""
    for candidate in [head, *paragraphs[:4]]:
        line = candidate.strip().split("\n")[0] if candidate.strip() else ""
        if line and looks_like_heading(line) and has_event_word(line):
            return name_from_heading(line)
    return None


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence (or line) holding ``position`` starts."""
    return max(text.rfind(stop, 0, position) for stop in (". ", "! ", "? ", "\n")) + 1


def _sentence_around(text: str, span: tuple[int, int]) -> str:
    """The sentence (or line) holding ``span``; "Mark your calendars! The ..." starts after the "!"."""
    start = _sentence_start(text, span[0])
    end_dot = text.find(". ", span[1])
    end = len(text) if end_dot < 0 else end_dot + 1
    return " ".join(text[start:end].split())


def _stretch(when: DateMatch, text: str) -> DateMatch:
    """A start or end point plus "the three-day conference" in ``text`` gives the whole range."""
    if when.start != when.end or when.cue is None:
        return when  # most dates: no need to look for a length at all
    durations = find_durations(text)
    if not durations:
        return when
    days = durations[0].days
    if days < 2:
        return when
    if when.cue == "end":
        start, end = when.end - timedelta(days=days - 1), when.end
    else:
        start, end = when.start, when.start + timedelta(days=days - 1)
    return DateMatch(start=start, end=end, span=when.span, text=when.text, year_stated=when.year_stated, cue=when.cue)


CITY_STATE_SHARE: Final = 0.5  # a city of the country's name holding this share of its people is the country


def _with_city(place: Place | None, *names: str) -> Place | None:
    """A place that names only a country ("Amsterdam RAI, the Netherlands" reads as the Netherlands) takes
    the city the event's or venue's name starts or ends with, when that city is in the same country; else,
    in a city-state (Singapore, Monaco, Hong Kong), the city of the country's name."""
    if place is None or place.city is not None or place.country_code is None:
        return place
    for name in names:
        named = place_in_name(name)
        if named is not None and named.country_code == place.country_code:
            return named
    capital = get_gazetteer().city(place.country or "", place.country_code)
    if capital is not None and capital.population >= CITY_STATE_SHARE * place.population > 0:
        return capital
    return place


def _place_in(text: str, *, prose: bool = False) -> Place | None:
    """The first place the text names; in prose only "in City" / "City, Country" forms count."""
    for mention in find_place_mentions(text):
        if mention.place.city is None:
            continue
        if prose and mention.pattern in ("bare", "name"):
            continue
        return mention.place
    if not prose:
        words = [w.strip("()·,:;") for w in text.split()]
        for word in words:
            if word[:1].isupper() and len(word) > 3:
                place = get_gazetteer().city(word)
                if place is not None and place.population >= 500_000:
                    return place
    return None


VENUE: Final = re.compile(r"\bat\s+(?:the\s+)?(?P<venue>(?:[A-Z][\w&'’.-]*\s+){0,4}[A-Z][\w’'-]*)")


def _venue_city(sentence: str) -> Place | None:
    """The city a venue's name starts or ends with: "at the ExCeL London", "at Tokyo Big Sight"."""
    for match in VENUE.finditer(sentence):
        place = place_in_name(match["venue"])
        if place is not None:
            return place
    return None


ARRIVAL: Final = re.compile(
    r"\b(?:comes|returns|heads|moves|travels|goes)\s+(?:back\s+)?to\s+(?P<city>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})"
)


def _arrival_city(sentence: str) -> Place | None:
    """The city an event "comes to", "returns to" or "heads to": the longest run of the capitalised words
    after "to" that names one."""
    gazetteer = get_gazetteer()
    for match in ARRIVAL.finditer(sentence):
        words = match["city"].split()
        for size in range(len(words), 0, -1):
            place = gazetteer.city(" ".join(words[:size]))
            if place is not None:
                return place
    return None


def _resolve_dateline_place(dateline: Dateline) -> Place | None:
    parts = [p.strip() for p in dateline.place.split(",")]
    country = parts[1] if len(parts) > 1 else None
    return get_gazetteer().city(parts[0], country)


def _assemble(
    named: CleanName,
    *,
    when: DateMatch,
    previous: DateMatch | None = None,
    place: Place | None,
    description: str,
    context: str,
    source: Source,
) -> Event:
    text_for_topics = f"{named.name}\n{description}"
    event = Event(
        name=named.name,
        start=when.start,
        end=when.end,
        aliases=list(named.aliases),
        edition=named.edition,
        description=description,
        organizers=find_organizers(description),
        figures=find_figures(description),
        topics=classify_topics(text_for_topics),
        status=Status.RESCHEDULED if previous else _status(f"{named.name} {context}"),
        previous_start=previous.start if previous else None,
        attendance_mode=_attendance(context),
        sources=[source],
    )
    event.aliases += [a for a in _aliases_in(description, named.name) if a not in event.aliases]
    event.part_of = find_parent(named.name, description)
    event.series = find_series(named.name, description, named.edition)
    fields = dict(DATE_AND_NAME_FIELDS)
    if place is not None:
        event.city, event.region, event.country = place.city, place.region, place.country
        event.country_code, event.lat, event.lon, event.timezone = (
            place.country_code,
            place.lat,
            place.lon,
            place.timezone,
        )
        fields.update(PLACE_FIELDS)
    for name, value in (("organizers", event.organizers), ("figures", event.figures), ("topics", event.topics)):
        if value:
            fields[name] = f"{EXTRACTOR}.{name}"
    source.fields = fields
    return event


# Which extractor gives which field, as recorded in an event's source.
DATE_AND_NAME_FIELDS: Final = {
    "name": f"{EXTRACTOR}.names", "start": f"{EXTRACTOR}.dates", "end": f"{EXTRACTOR}.dates"
}
PLACE_FIELDS: Final = {
    key: f"{EXTRACTOR}.places" for key in ("city", "country", "country_code", "lat", "lon", "timezone")
}


ACRONYM_AFTER: Final = re.compile(r"\(([A-Z][A-Z0-9&+\-]{1,11})\)")


def _aliases_in(description: str, name: str) -> list[str]:
    """Acronyms the description gives in parentheses right after (a form of) the name."""
    words = name.split()
    if not words or "(" not in description:
        return []
    head = words[0].lower()
    return [
        match.group(1)
        for match in ACRONYM_AFTER.finditer(description)
        if head in description[max(0, match.start() - 80) : match.start()].lower()
    ]


def _names_any(
    text: str, stems: tuple[str, ...], lower_pattern: re.Pattern[str], pattern: re.Pattern[str]
) -> bool:
    """Whether ``pattern`` (case-insensitive) finds a word in ``text``, where each word it finds holds one of
    the ``stems`` and ``lower_pattern`` is its lower-case twin. Substring tests are far cheaper than a regex
    scan and rule out nearly every text."""
    if not lowers_plainly(text):
        return pattern.search(text) is not None
    lowered = text.lower()
    return any(stem in lowered for stem in stems) and lower_pattern.search(lowered) is not None


def _status(text: str) -> Status:
    if not _names_any(text, STATUS_STEMS, ANY_STATUS_WORD_LOWER, ANY_STATUS_WORD):
        return Status.SCHEDULED
    for pattern, status in STATUS_WORDS:
        if pattern.search(text):
            return status
    return Status.SCHEDULED


def _attendance(text: str) -> AttendanceMode:
    if not _names_any(text, ATTENDANCE_STEMS, ONLINE_OR_HYBRID_LOWER, ONLINE_OR_HYBRID):
        return AttendanceMode.OFFLINE
    if HYBRID.search(text):
        return AttendanceMode.MIXED
    if ONLINE.search(text):
        return AttendanceMode.ONLINE
    return AttendanceMode.OFFLINE


def _unique(events: list[Event]) -> list[Event]:
    """One event per id, keeping the first (fullest) occurrence.

    The start date is part of the id, so only events that share one can share an id: the others
    (nearly all in a listing) are kept without working out an id, which costs a hash each.
    """
    starts: dict[date | None, int] = {}
    for event in events:
        starts[event.start] = starts.get(event.start, 0) + 1
    if len(starts) == len(events):
        return events
    seen: dict[str, Event] = {}
    unique: list[Event] = []
    for event in events:
        if starts[event.start] > 1:
            if event.id in seen:
                continue
            seen[event.id] = event
        unique.append(event)
    return unique
