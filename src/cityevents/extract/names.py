"""Event names: clean a heading, tell a heading from prose, read a name from a sentence.

Hand-written rules because no library names events in listings: a heading is a short line that
does not read like a sentence; a description names its event as the subject of its first
sentence ("The Portugal Smart Cities Summit gathers ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from cityevents.extract.casefold import lowercase_twin

# Words that make a noun phrase an event ("... Summit", "... Expo").
EVENT_WORDS: Final = frozenset(
    """summit conference conferences expo exposition forum congress week fair festival convention day days
    meeting meetings symposium hackathon workshop exhibition show event assembly camp lab awards call stage
    roundtable seminar webinar meetup tour challenge biennale biennial talks gathering series
    dialogue dialogues colloquium retreat bootcamp hackathons jam sprint marathon breakfast night
    conclave expos fest fiesta salon trade-show""".split()
)
# Words that make a phrase ending in an event word a venue ("Kuala Lumpur Convention Centre").
VENUE_WORDS: Final = frozenset(
    "centre center centres centers hall halls hotel palace arena complex grounds venue building auditorium "
    "stadium pavilion campus".split()
)
# Verbs that end the subject of a describing sentence.
SUBJECT_ENDERS: Final = frozenset(
    """is are was were will would has have had gathers brings returns takes explores offers aims focuses
    connects unites celebrates provides hosts invites welcomes features showcases serves promises kicks
    opens convenes highlights covers continues comes goes became becomes remains represents creates
    allows addresses presents includes tackles puts seeks successfully concluded ended closed took
    starts begins runs wraps wrapped attracted attracts drew draws gathered brought hosted held
    organised organized co-organised co-organized kicked opened can could may might shall should
    invite join joins heads moves""".split()
)
# "Register now for CityNext Summit 2025, happening ...": the call to action is no part of the name.
CALL_TO_ACTION: Final = re.compile(
    r"^(?:register|sign\s+up|join(?:\s+us)?|attend|book|don'?t\s+miss|do\s+not\s+miss)"
    r"(?:\s+(?:now|today))?\s+(?:for|at|to)\s+",
    re.IGNORECASE,
)
LEADING_ARTICLES: Final = re.compile(r"^(?:the|this year'?s|this|our|an?)\s+", re.IGNORECASE)
TRAILING_ACRONYM: Final = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9+&\-.]{1,14})\s*\)\s*")
BULLET_MARKS: Final = "•●▪◦‣∙*·-–—"
BULLET: Final = re.compile(rf"^\s*(?:[{re.escape(BULLET_MARKS)}]|\d{{1,2}}[.)])\s+")
NUMBERED: Final = re.compile(r"^\s*\d{1,2}[.)]\s+")
PLACE_PREFIX: Final = re.compile(r"^(?P<place>[^:]{2,40}):\s+(?P<rest>\S.*)$")
# Labels and lead-ins written before a name: "Event: ...", "UPDATE: ...", "Also this spring: the ...".
LABEL_PREFIX: Final = re.compile(
    r"^(?:event(?:\s+name)?|name|title|what|update[d]?|new|save\s+the\s+date|reminder|coming\s+up|next\s+up"
    r"|also(?:\s+(?:this|next)\s+\w+)?|and|plus)\s*:\s+(?:the\s+)?",
    re.IGNORECASE,
)
# Capitalised ASCII words and numbers, one space apart ("Smart City Expo 2025"): no bullet, label, casing
# slip, acronym, stray space or lower-case word (a headline verb) for clean_name and name_from_heading to handle.
PLAIN_NAME: Final = re.compile(r"(?:[A-Z][a-z]*|[0-9]+[a-z]*)(?: (?:[A-Z][a-z]*|[0-9]+[a-z]*))*")
NAME_LABEL: Final = re.compile(r"^\s*(?:event(?:\s+name)?|name|title|what)\s*:\s*(?P<name>\S.*)$", re.IGNORECASE)
# "\b([A-Z])" written as the class then a look-behind, so the engine can skip ahead to capitals.
MISCASED_WORD: Final = re.compile(r"([A-Z])(?<!\w[A-Z])([A-Z])([a-z]{2,})\b")
# A day number or a month: a date before a run's event word ends what comes before it ("Cape Town on
# 18 September 2024 for the Africa Smart Cities Summit" names the summit).
MONTH_NAMES: Final = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
).split()
DATE_TOKEN: Final = re.compile(rf"\d{{1,2}},?|(?:{'|'.join(MONTH_NAMES)})\.?,?")
# The month tokens DATE_TOKEN matches, looked up instead of running the regex: "March", "Sept.", "Oct.,".
MONTH_TOKENS: Final = frozenset(month + end for month in MONTH_NAMES for end in ("", ".", ",", ".,"))
YEAR_TOKEN: Final = re.compile(r"(?:19|20)\d{2},?")
EDITION_OF: Final = re.compile(r"^(?:the\s+)?(?P<edition>(?:19|20)\d{2}|\d+(?:st|nd|rd|th))\s+edition\s+of\s+(?:the\s+)?", re.I)
# "X announced (today) that its <event>": the event is X's ("EUROCITIES annual conference").
ANNOUNCED_ITS: Final = re.compile(
    r"^(?P<org>[^,;:]+?)\s+(?:today\s+)?(?:has\s+)?announce[sd]?\s+(?:today\s+)?that\s+(?:its|their)\s+"
    r"(?P<event>.+)$"
)
ORDINAL_OR_YEAR: Final = re.compile(r"^(?:\d+(?:st|nd|rd|th)|(?:19|20)\d{2})$", re.IGNORECASE)
# The stop comes first and the look-behinds after it take it in: a leading character class lets
# the regex engine skip ahead to the next stop instead of trying every position.
SENTENCE_END: Final = re.compile(
    r"[.!?](?<![A-Z].)(?<!\b[A-Z][a-z].)(?<!\bSt.)(?<!\bDr.)(?<!\bNo.)(?=\s+[A-Z\"“'(]|\s*$)"
)
WORD: Final = re.compile(r"[^\s]+")
WRAPPING_PUNCTUATION: Final = re.compile(r"[()'’,]")  # what has_event_word strips from a word's ends
UI_PHRASES: Final = frozenset(
    {
        "read more", "learn more", "register", "register now", "more info", "more information", "share",
        "tweet", "comments are closed", "back to top", "subscribe", "contact", "menu", "home", "search",
        "advertisement", "related posts", "leave a comment",
    }
)
SECTION_WORDS: Final = re.compile(
    r"\b(?:events|conferences|calendar|agenda|upcoming|highlights|programme|program|schedule|dates|list|"
    r"overview|round-?up|what'?s on)\b",
    re.IGNORECASE,
)
# "\b(19|20)" written as the digits then a look-behind, so the engine can skip ahead to a "1" or "2".
YEAR: Final = re.compile(r"((?:19|20)(?<!\w..)\d{2})\b")
ORGANIZER_CUE: Final = re.compile(
    r"^\s*(?:(?:co-?)?(?:hosted|organi[sz]ed|presented|supported|sponsored|powered|driven)\s+by|"
    r"an?\s+(?:event|initiative)\s+of|in\s+partnership\s+with)\b",
    re.IGNORECASE,
)
FIELD_LABEL: Final = re.compile(
    r"^\s*(?:dates?|when|where|location|venue|place|city|country|time|organi[sz]ers?|host|website|url)\s*:",
    re.IGNORECASE,
)


# Lines that start like a list item, a "Field:" label or an organizer credit are no headings.
NON_HEADING_START_ASCII: Final = lowercase_twin(BULLET, FIELD_LABEL, ORGANIZER_CUE)
# The lower-cased first words NON_HEADING_START_ASCII can match from, besides a number and a word holding a
# label's colon: a bullet, a FIELD_LABEL word, the first word of an ORGANIZER_CUE.
NON_HEADING_FIRST_WORDS: Final = frozenset(
    "* - date dates when where location venue place city country time host website url a an in".split()
) | {f"organi{z}er{s}" for z in "sz" for s in ("", "s")} | {
    prefix + verb
    for prefix in ("", "co", "co-")
    for verb in "hosted organised organized presented supported sponsored powered driven".split()
}
# SECTION_WORDS for lower-cased ASCII text (the matches of lowercase_twin(SECTION_WORDS)). Each word is found
# by a rare letter of it (the "v" of "events") and checked around it by look-behind, so the regex engine
# skips ahead to those few letters instead of trying every position.
SECTION_WORDS_ASCII: Final = re.compile(
    r"(?:v(?<=\bev)ents|v(?<=\bov)erview|f(?<=\bconf)erences|g(?<=\bag)enda|g(?<=\bupcoming)"
    r"|g(?<=\bhig)hlights|g(?<=\bprog)ram(?:me)?|u(?<=\bschedu)le|d(?<=\bcalend)ar|d(?<!\w.)ates|l(?<!\w.)ist"
    r"|u(?<=\brou)nd-?up|w(?<!\w.)hat'?s on)\b"
)
LONGEST_UI_PHRASE: Final = max(map(len, UI_PHRASES))


@dataclass(init=False)
class CleanName:
    """A cleaned event name and what was taken out of it."""

    name: str
    aliases: list[str]
    edition: str | None

    def __init__(self, name: str, aliases: list[str] | None = None, edition: str | None = None) -> None:
        self.name = name  # written out: see dates.DateMatch
        self.aliases = [] if aliases is None else aliases
        self.edition = edition


def strip_bullet(line: str) -> str:
    """The line without a leading bullet or list number."""
    bullet = _bullet(line)
    return (line[bullet.end() :] if bullet else line).strip()


def is_bullet(line: str) -> bool:
    return _bullet(line) is not None


def _bullet(line: str) -> re.Match[str] | None:
    # Neither a bullet, a digit nor a space is a letter: a line that starts with one has no bullet.
    return None if line[:1].isalpha() else BULLET.match(line)


def fix_miscased(text: str) -> str:
    """Repair typing slips such as "CIty" -> "City" (a capital too many inside a word)."""
    # A title-cased text has no capital right after a letter: nothing to repair, no regex to run.
    return text if text.istitle() else MISCASED_WORD.sub(_lower_second_capital, text)


def _lower_second_capital(match: re.Match[str]) -> str:
    return match.group(1) + match.group(2).lower() + match.group(3)


def _without_label(text: str) -> str:
    """The text less a leading label ("Event: ") or call to action ("Join us at "); every label ends in
    a colon, which most texts lack."""
    label = LABEL_PREFIX.match(text) if ":" in text else None
    if label:
        return text[label.end() :]
    call = CALL_TO_ACTION.match(text) if " " in text[:8] else None
    return text[call.end() :] if call else text


def clean_name(raw: str) -> CleanName:
    """Tidy a raw name: bullet, label ("Event: "), casing slips, a trailing "(ACRONYM)" moved to aliases."""
    if PLAIN_NAME.fullmatch(raw):  # nothing to strip, repair, move or re-space
        return _finish_name(raw, [])
    text = fix_miscased(_without_label(strip_bullet(raw)))
    aliases: list[str] = []
    if "(" in text:  # the acronym pattern needs one; most names have none
        aliases = [m.group(1) for m in TRAILING_ACRONYM.finditer(text) if _is_acronym(m.group(1))]
        text = TRAILING_ACRONYM.sub(lambda m: " " if _is_acronym(m.group(1)) else m.group(0), text)
    return _finish_name(" ".join(text.split()).strip(" \t-–—:;,|•·"), aliases)


def _finish_name(text: str, aliases: list[str]) -> CleanName:
    """The last steps of clean_name, on a tidied name: "2024 edition of", "X announced that its", the edition."""
    # Only a name that starts with "the" or a digit can be an "edition of" one.
    edition_of = EDITION_OF.match(text) if text[:1] in ("t", "T") or text[:1].isdecimal() else None
    if edition_of:  # "2024 edition of the X" -> "2024 X"
        text = f"{edition_of['edition']} {text[edition_of.end() :]}"
    announced = ANNOUNCED_ITS.match(text) if " that " in text else None
    if announced:  # "EUROCITIES announced today that its annual conference" -> "EUROCITIES annual conference"
        text = f"{announced['org']} {announced['event']}"
    text = text.replace("( ", "(")
    words = text.split()
    edition = None
    # An edition starts with a digit: the rest of the test runs only on words that do.
    if words:
        if words[0][0].isdecimal() and _is_edition(words[0]):
            edition = words[0]
        elif words[-1][0].isdecimal() and _is_edition(words[-1]):
            edition = words[-1]
    return CleanName(text, aliases, edition)


def _is_edition(word: str) -> bool:
    """ORDINAL_OR_YEAR matches the word; a word of digits, most often a year, needs no regex."""
    if word.isdecimal():
        return len(word) == 4 and word.startswith(("19", "20"))
    return ORDINAL_OR_YEAR.match(word) is not None


def _is_acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= max(2, len(letters) * 0.6)


def looks_like_heading(line: str) -> bool:
    """A short line that names something rather than telling something."""
    text = line.strip()
    return _may_be_heading(text) and _reads_as_heading(text)


def _may_be_heading(text: str) -> bool:
    """The cheap tests of a stripped line that reject most prose: empty, long, or ending in a full stop."""
    if not text or len(text) > 120:
        return False
    return text[-1] not in ".;:,!?" or text.endswith(("Inc.", "Ltd.", "Co."))


def _reads_as_heading(text: str) -> bool:
    """The rest of looks_like_heading, for a stripped line that passed _may_be_heading."""
    words = text.split()
    if len(words) > 14 or text[0] == "(" and text[-1] == ")":
        return False
    # The bullet is sought in the stripped line: a bullet with nothing after it is no heading either way.
    if text.isascii():
        # The regex runs only after a first word it can match from; most headings open with another.
        first = words[0].lower()
        may_start = first in NON_HEADING_FIRST_WORDS or ":" in first or first[0].isdigit()
        if may_start and NON_HEADING_START_ASCII.match(text.lower()):
            return False
    elif BULLET.match(text) or FIELD_LABEL.match(text) or ORGANIZER_CUE.match(text):
        return False
    # A UI phrase is short: a longer line is one only after a leading "." or "!" (_may_be_heading lets
    # no other line end in one but "Inc.", "Ltd." and "Co.", which end no UI phrase).
    if (len(text) <= LONGEST_UI_PHRASE or text[0] in ".!") and text.lower().strip(" .!") in UI_PHRASES:
        return False
    needed = max(1, len(words) // 3)  # capitalised words; counting stops once there are enough
    for word in words:
        if word[0].isupper() or word[0].isdigit() or word[0] in "+#@":
            needed -= 1
            if not needed:
                return text[0].isalpha() or any(map(str.isalpha, text))
    return False


def section_year(line: str) -> int | None:
    """The year of a section heading such as "Some Smart City events in 2024", else None."""
    text = line.strip()
    # Cheapest tests first: most lines are prose, which _may_be_heading rejects, or list items; most
    # headings name an event, not a section, so the section words go before the rest of the heading
    # tests and the years.
    if (
        not _may_be_heading(text)
        or _opens_with_bullet(text)
        or not _names_section(text)
        or not _reads_as_heading(text)
    ):
        return None
    years = YEAR.findall(text)
    if not years:
        return None
    return int(years[-1]) if len(set(years)) == 1 else None


def _opens_with_bullet(text: str) -> bool:
    """is_bullet for a stripped, non-empty line, with the regex left for lines that open with a digit."""
    if text[0] in BULLET_MARKS:
        return text[1:2].isspace()
    return text[0].isdecimal() and BULLET.match(text) is not None


def _names_section(text: str) -> bool:
    if text.isascii():
        return SECTION_WORDS_ASCII.search(text.lower()) is not None
    return SECTION_WORDS.search(text) is not None


def first_sentence(text: str) -> str:
    """The text up to the end of its first sentence."""
    flat = " ".join(text.split())
    match = SENTENCE_END.search(flat)
    return flat[: match.start() + 1] if match else flat


def is_venue(name: str) -> bool:
    """The name ends in a venue word: "Kuala Lumpur Convention Centre", "Palais des Congrès Hall"."""
    words = name.lower().split()
    return bool(words) and words[-1] in VENUE_WORDS


def has_event_word(name: str) -> bool:
    # Lower-casing the whole name keeps its words apart and each word's letters as lowering the word
    # would; only a word wrapped in brackets, quotes or a comma needs stripping word by word.
    # A name that ends in a venue word is a venue's ("Kuala Lumpur Convention Centre").
    words = name.lower().split()
    if not EVENT_WORDS.isdisjoint(words):
        return words[-1] not in VENUE_WORDS
    return WRAPPING_PUNCTUATION.search(name) is not None and any(w.strip("()'’,") in EVENT_WORDS for w in words)


def name_from_sentence(sentence: str) -> CleanName | None:
    """The event a describing sentence is about: its subject, if that names an event.

    "The POWER UP YOUR CITY summit is an event ..." -> "POWER UP YOUR CITY summit".
    """
    text = LEADING_ARTICLES.sub("", CALL_TO_ACTION.sub("", sentence.strip(), count=1), count=1)
    words = WORD.findall(text)
    subject: list[str] = []
    for word in words:
        bare = word.strip(",;:").lower()
        if bare in SUBJECT_ENDERS and subject:
            break
        if word[0] == "(" and subject and not TRAILING_ACRONYM.fullmatch(word):
            break  # "Summit Sydney 2025 (18–19 March, ICC Sydney) will ...": an aside, not the name
        subject.append(word)
        if word.endswith((",", ";", ":")) or len(subject) > 14:
            break
    phrase = " ".join(subject).rstrip(",;:")
    if not phrase or len(subject) > 14:
        return None
    candidate = clean_name(phrase)
    if not has_event_word(candidate.name) or not any(w[:1].isupper() for w in candidate.name.split()):
        return None
    return candidate


NAME_TOKEN: Final = re.compile(r"\([A-Z][A-Za-z0-9&+\-.]{1,14}\)|[^\s,;:!?()\[\]\"“”]+")
NAME_CONNECTORS: Final = frozenset("of for and & on the in de du la le e des y der am an at".split())
MAX_PHRASE_TOKENS: Final = 16
EDITION_TOKEN: Final = re.compile(r"^(?:(?:19|20)\d{2}|\d+(?:st|nd|rd|th)|[IVX]+)$")


def event_names_in(text: str) -> list[tuple[str, tuple[int, int]]]:
    """Capitalised phrases that end in an event word: "the Mediterranean Smart Ports Forum will ..."

    A phrase is a run of capitalised words (and the small words names contain) on one line;
    it is cut after its last event word, keeping a following year or ordinal ("Forum 2025").
    """
    found: list[tuple[str, tuple[int, int]]] = []
    run: list[re.Match[str]] = []
    for match in NAME_TOKEN.finditer(text):
        word = match.group()
        if run:  # a run ends with the previous word; a gap of more than spaces ends the run
            gap = text[run[-1].end() : match.start()]
            if gap != " " and (gap.strip() or "\n" in gap):
                _close_run(text, run, found)
        elif word[0].islower():  # most words of prose: neither start nor continue a run
            continue
        inner = _is_inner(word)
        if (_capitalised(word) and not inner) or (run and (inner or _continues_name(word))):
            if len(run) >= MAX_PHRASE_TOKENS:
                _close_run(text, run, found)
            run.append(match)
        elif run:
            _close_run(text, run, found)
        if word[-1] == "." and run:
            _close_run(text, run, found)
    if run:
        _close_run(text, run, found)
    return found


def _close_run(text: str, run: list[re.Match[str]], found: list[tuple[str, tuple[int, int]]]) -> None:
    """Add the name a run of name-like tokens holds, if any, to ``found``, and empty the run."""
    last = _last_index(run, _is_event_token)
    if last + 1 < len(run) and run[last + 1].group().lower() in VENUE_WORDS:
        last = -1  # "the San Jose McEnery Convention Center" names a venue
    if last >= 0:  # a run without an event word names nothing
        dated = _last_index(run[:last], _is_date_token)
        if dated >= 0:
            if dated + 1 < last and YEAR_TOKEN.fullmatch(run[dated + 1].group()):
                dated += 1
            del run[: dated + 1]
            last -= dated + 1
        while run and (
            run[0].group().lower() in NAME_CONNECTORS or not _capitalised(run[0].group()) or _is_inner(run[0].group())
        ):
            run.pop(0)
            last -= 1
        if last >= 0:
            edition_follows = last + 1 < len(run) and _is_edition_token(run[last + 1].group())
            end = last + 2 if edition_follows else last + 1
            tokens = run[:end]
            if len(tokens) >= 2 and any(_capitalised(t.group()) for t in tokens[:-1]):
                span = (tokens[0].start(), tokens[-1].end())
                found.append((text[span[0] : span[1]].rstrip("."), span))
    run.clear()


def _last_index(run: list[re.Match[str]], test: Callable[[str], bool]) -> int:
    """The index of the run's last token that passes ``test``, else -1 (searched from the end)."""
    for index in range(len(run) - 1, -1, -1):
        if test(run[index].group()):
            return index
    return -1


def _is_event_token(word: str) -> bool:
    return word.strip(".'’").lower() in EVENT_WORDS


def _is_date_token(word: str) -> bool:
    if word[0].isdecimal():
        return DATE_TOKEN.fullmatch(word) is not None
    return word in MONTH_TOKENS


def _is_inner(word: str) -> bool:
    """"·", "|" and "(ACRONYM)" continue a name, never start one (a token is never empty)."""
    return word == "·" or word == "|" or word[0] == "("


def _continues_name(word: str) -> bool:
    """A small word, an event word or an edition that a name goes on with ("of", "Summit", "2025")."""
    bare = word.strip(".'’").lower()
    return bare in NAME_CONNECTORS or bare in EVENT_WORDS or _is_edition_token(word)


def _is_edition_token(word: str) -> bool:
    """A year, an ordinal or a Roman number (EDITION_TOKEN): only a word opening like one meets the regex."""
    return (word[0].isdecimal() or word[0] in "IVX") and EDITION_TOKEN.match(word) is not None


HEADLINE_VERBS: Final = SUBJECT_ENDERS | frozenset(
    "open take place launch launches announced announces returning planned scheduled set moved".split()
)
HEADLINE_PUNCTUATION: Final = re.compile(r"[,.;:]")  # what _tells_news strips from a word's ends


def is_numbered(line: str) -> bool:
    """A numbered item ("2) ..." or "2. ..."): in digests these are headings, not list items."""
    return not line[:1].isalpha() and NUMBERED.match(line) is not None


def name_from_heading(heading: str) -> CleanName:
    """The event a heading names: the heading itself, less a leading "PLACE:" ("PARIS: DATA DAYS"),
    or the event phrase in a headline that tells news about it ("Registration opens for the
    Harbour Expo" -> "Harbour Expo")."""
    if PLAIN_NAME.fullmatch(heading):  # no bullet, label, place or lower-case verb; nothing to tidy
        return _finish_name(heading, [])
    heading = _without_label(strip_bullet(heading))
    prefixed = PLACE_PREFIX.match(heading) if ":" in heading else None
    if prefixed and _names_place(prefixed["place"]):
        heading = prefixed["rest"]
    if _tells_news(heading):
        names = event_names_in(heading)
        if names:
            return clean_name(names[0][0])
    return clean_name(heading)


def _tells_news(heading: str) -> bool:
    """A lower-case word of the heading is a headline verb ("opens", "announced"), maybe with punctuation."""
    if heading.istitle():  # no word is in lower case
        return False
    words = heading.split()
    # Every headline verb is lower case, so a word that is one needs no islower() test.
    if not HEADLINE_VERBS.isdisjoint(words):
        return True
    return HEADLINE_PUNCTUATION.search(heading) is not None and any(
        w.islower() and w.strip(",.;:") in HEADLINE_VERBS for w in words
    )


def _names_place(text: str) -> bool:
    from cityevents.extract.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    return bool(gazetteer.city(text) or gazetteer.country(text))


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or (word[:1] in "+#@" and word[1:2].isupper())
