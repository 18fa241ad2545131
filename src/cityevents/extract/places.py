"""Find where events take place: "Barcelona (Spain)", "Austin, TX", "held in Lisbon", "in Germany".

The text is cut into *name phrases*: runs of capitalised words on one line, joined by the small
lower-case words place names contain ("Rio de Janeiro", "Frankfurt am Main"). Then:

* two phrases joined by ", ", " (", " – " make a pair: the second is a country ("the Netherlands",
  "USA", "DE") or a US state ("Texas", "TX"), the first ends with a city of that country or state.
  The longest such ending wins, so "Smart City Expo World Congress Barcelona, Spain" finds Barcelona;
* a phrase after "in" starts with a city ("in New York City, ...") or a country ("in Germany").
  Bare "in X" needs a city of :data:`IN_CITY_MIN_POPULATION` people and a name not in
  :data:`COMMON_WORDS` ("in March", "in Mobile" are no places); after "held in", "takes place in"
  and the like any town of the gazetteer counts, still minus the common words.

Mentions never overlap: a pair beats "held in", which beats "in". They come back sorted by position.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from cityevents.extract.gazetteer import Gazetteer, Place, get_gazetteer

LOGGER = logging.getLogger(__name__)

IN_CITY_MIN_POPULATION = 100_000
MAX_NAME_WORDS = 5  # no city or country name is longer ("Castellón de la Plana" is four)
MAX_CONNECTORS = 2
PAIR_RANK, HELD_IN_RANK, IN_RANK = 0, 1, 2  # which of two overlapping mentions is kept

TOKEN = re.compile(r"[^\W\d_]+(?:[-'’.][^\W\d_]+)*\.?")
PHRASE_GAP = re.compile(r"[ \t\u00a0]{1,3}")
PAIR_GAPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\s*\(\s*(?:the\s+)?"), " ({})"),
    (re.compile(r"[ \t]*,[ \t]*(?:\n[ \t]*)?(?:the\s+)?"), ", {}"),
    (re.compile(r"[ \t]+[–—-][ \t]+(?:the\s+)?|[ \t]*[–—][ \t]*(?:the\s+)?"), " – {}"),
)
PAIR_GAP_START = re.compile(r"\s*[(,–—-]")  # what every PAIR_GAPS gap opens with: one cheap test first
CLOSE_PAREN = re.compile(r"\s*\)")
IN_BEFORE = re.compile(r"\b[Ii]n[ \t]+(?:the[ \t]+)?\Z")
# What every "in" pattern holds (IN_BEFORE, or an "In" opening a phrase): texts without it skip them.
IN_WORD = re.compile(r"[Ii]n[ \t\u00a0]")
IN_WINDOW = 40  # characters before "in" searched for "held", "takes place", ...
EVENT_IN = re.compile(
    r"\b(?:held|hosted|staged|located|organi[sz]ed|happen(?:s|ing|ed)?|"
    r"(?:takes|took|taking|take)\s+place|will\s+be|venue)\s+\Z",
    re.IGNORECASE,
)
COUNTRY_AFTER_STATE = re.compile(r"[ \t]*,[ \t]*")
# Words kept inside a place name when they stand between capitalised words.
CONNECTORS = frozenset(
    "de del della dei degli da do dos das di du des la le les el al am an im der den van von "
    "upon on sur sous en y of the aan bei ob".split()
)
ABBREVIATIONS = frozenset({"st", "ste", "mt", "ft"})
# Lower-case words that still end a place name when typed after it ("Ho Chi Minh city").
CITY_SUFFIXES = frozenset({"city"})
# Capitalised words that name towns but mostly mean something else after "in".
COMMON_WORDS = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday spring summer autumn fall winter
    mobile split reading nice orange surprise independence enterprise union normal most date
    pop same best rich green time long real central media post center centre legacy progress
    success hope star page deal salt bend gap pen marks crystal mine retreat opportunity reserve
    friendly welcome bright leader grants price side worth made hard much along say bar peer
    wake hook triangle cascade band meta enter none send got fully ask nine magenta superior
    manage semi man van delta perm shaping sale bath concord temple mission providence victory
    liberty unity commerce industry paradise pearl champion eagle energy smart total digital
    person english spanish french german partnership conjunction cooperation collaboration
    parallel addition advance general particular practice response support future order
    """.split()
)


@dataclass(frozen=True)
class PlaceMention:
    """A place found in text: where it is and which pattern found it."""

    place: Place
    span: tuple[int, int]
    text: str
    pattern: str  # "city (country)", "city, country", "city, st", "held in city", "in country", ...


@dataclass(slots=True)
class _Token:
    word: str
    start: int
    end: int
    capitalised: bool


@dataclass(slots=True)
class _Candidate:
    mention: PlaceMention
    rank: int  # lower wins an overlap


def find_place_mentions(text: str) -> list[PlaceMention]:
    """Find city and country mentions in free text.

    Args:
        text: any text; nothing in it makes this raise.

    Returns:
        Non-overlapping mentions sorted by position, each with the pattern that found it.
    """
    gazetteer = get_gazetteer()
    phrases = list(_phrases(text))
    candidates: list[_Candidate] = []
    has_in = IN_WORD.search(text) is not None
    for index, phrase in enumerate(phrases):
        if index + 1 < len(phrases):
            paired = _pair(gazetteer, text, phrase, phrases[index + 1], phrases[index + 2 : index + 3])
            if paired is not None:
                candidates.append(paired)
        found = _after_in(gazetteer, text, phrase) if has_in else None
        if found is not None:
            candidates.append(found)
    mentions = _without_overlaps(candidates)
    LOGGER.debug("%d place mentions in %d phrases", len(mentions), len(phrases))
    return mentions


def _phrases(text: str) -> Iterator[list[_Token]]:
    """Runs of capitalised tokens, with connectors between them, on one line."""
    current: list[_Token] = []
    pending: list[_Token] = []
    last_end = -1
    for match in TOKEN.finditer(text):
        if not current and not text[match.start()].isupper():
            continue  # with no phrase open, a lower-case word neither ends nor starts one
        token = _token(match)
        adjacent = bool(current) and PHRASE_GAP.fullmatch(text, last_end, token.start) is not None
        if token.capitalised or (adjacent and token.word in CITY_SUFFIXES):
            if adjacent:
                current.extend(pending)
                current.append(token)
            else:
                if current:
                    yield current
                current = [token]
            pending = []
        elif adjacent and token.word.lower() in CONNECTORS and len(pending) < MAX_CONNECTORS:
            pending.append(token)
        else:
            if current:
                yield current
            current, pending = [], []
        last_end = token.end
    if current:
        yield current


def _token(match: re.Match[str]) -> _Token:
    """A token, without a sentence's full stop ("Berlin.") but keeping "St." and "U.S."."""
    word = match.group()
    start, end = match.span()
    if word.endswith(".") and "." not in word[:-1] and word[:-1].lower() not in ABBREVIATIONS:
        word, end = word[:-1], end - 1
    return _Token(word, start, end, word[0].isupper())


def _name(text: str, tokens: list[_Token]) -> str:
    return text[tokens[0].start : tokens[-1].end]


def _pair(
    gazetteer: Gazetteer, text: str, first: list[_Token], second: list[_Token], third: list[list[_Token]]
) -> _Candidate | None:
    """ "City (Country)", "City, Country", "City – Country", "City, ST", "City, State"."""
    shape = _pair_shape(text, first[-1].end, second[0].start)
    if shape is None:
        return None
    for length in range(min(len(second), MAX_NAME_WORDS), 0, -1):
        head = second[:length]
        if not head[-1].capitalised:
            continue
        end = head[-1].end
        if shape == " ({})":
            close = CLOSE_PAREN.match(text, end)
            if close is None:
                continue
            end = close.end()
        found = _pair_with(gazetteer, text, first, head, shape, end)
        if found is not None:
            if found.mention.pattern.endswith(("st", "state")) and third:
                found = _with_country(gazetteer, text, found, third[0])
            return found
    return None


def _pair_shape(text: str, start: int, end: int) -> str | None:
    """The PAIR_GAPS shape of the gap between two phrases, if it is one."""
    if PAIR_GAP_START.match(text, start, end) is None:
        return None
    for gap, shape in PAIR_GAPS:
        if gap.fullmatch(text, start, end):
            return shape
    return None


def _pair_with(
    gazetteer: Gazetteer, text: str, first: list[_Token], second: list[_Token], shape: str, end: int
) -> _Candidate | None:
    """The pair when ``second`` is a US state, a Canadian or Australian province or state, or a country;
    a country alone if no city precedes it."""
    name = _name(text, second)
    state = gazetteer.us_state(name)
    if state is not None:
        kind = "st" if name.replace(".", "").isupper() else "state"
        found = _city_ending(gazetteer, text, first, region=state)
        if found is not None:
            return _candidate(text, found[1], end, found[0], "city" + shape.format(kind), PAIR_RANK)
    for code in gazetteer.province_countries(name):  # "Toronto, ON", "Sydney, NSW"
        found = _city_ending(gazetteer, text, first, country=code)
        if found is not None:
            return _candidate(text, found[1], end, found[0], "city" + shape.format("state"), PAIR_RANK)
    country = gazetteer.country(name)
    if country is None:
        return None
    found = _city_ending(gazetteer, text, first, country=country[0])
    if found is not None:
        return _candidate(text, found[1], end, found[0], "city" + shape.format("country"), PAIR_RANK)
    if _is_place(gazetteer, text, first):  # a list: "China, Germany" or "Berlin, Paris, Spain"
        return None
    whole = gazetteer.country_place(country[0])
    if whole is None:
        return None
    return _candidate(text, second[0].start, second[-1].end, whole, "country", PAIR_RANK)


def _is_place(gazetteer: Gazetteer, text: str, tokens: list[_Token]) -> bool:
    return (
        gazetteer.country(_name(text, tokens[-1:])) is not None
        or _city_ending(gazetteer, text, tokens) is not None
    )


def _city_ending(
    gazetteer: Gazetteer, text: str, tokens: list[_Token], *, country: str | None = None, region: str | None = None
) -> tuple[Place, int] | None:
    """The longest tail of ``tokens`` that names a city of the country or region, with its start."""
    for start in range(max(0, len(tokens) - MAX_NAME_WORDS), len(tokens)):
        if not tokens[start].capitalised:
            continue
        place = gazetteer.city(_name(text, tokens[start:]), country, region=region)
        if place is not None:
            return place, tokens[start].start
    return None


def _with_country(gazetteer: Gazetteer, text: str, found: _Candidate, after: list[_Token]) -> _Candidate:
    """Extend "Austin, Texas" over a following ", USA"."""
    span_end = found.mention.span[1]
    if COUNTRY_AFTER_STATE.fullmatch(text, span_end, after[0].start) is None:
        return found
    country = gazetteer.country(_name(text, after))
    if country is None or country[0] != found.mention.place.country_code:
        return found
    return _candidate(
        text, found.mention.span[0], after[-1].end, found.mention.place, found.mention.pattern, found.rank
    )


def _after_in(gazetteer: Gazetteer, text: str, tokens: list[_Token]) -> _Candidate | None:
    """ "in City", "held in City", "in Country"."""
    window_start = max(0, tokens[0].start - IN_WINDOW)
    if tokens[0].word == "In" and len(tokens) > 1:
        before = text[window_start : tokens[0].start]
        tokens = tokens[2:] if tokens[1].word == "the" else tokens[1:]
    else:
        in_word = _in_before(text, window_start, tokens[0].start)
        if in_word is None:
            return None
        before = text[window_start : in_word.start()]
    if not tokens or not tokens[0].capitalised:
        return None
    held = EVENT_IN.search(before) is not None
    for length in range(min(len(tokens), MAX_NAME_WORDS), 0, -1):
        head = tokens[:length]
        if not head[-1].capitalised:
            continue
        name = _name(text, head)
        if _common_word(name):
            continue
        start, end = head[0].start, head[-1].end
        place = gazetteer.city(name)
        if place is not None and (held or place.population >= IN_CITY_MIN_POPULATION):
            pattern, rank = ("held in city", HELD_IN_RANK) if held else ("in city", IN_RANK)
            return _candidate(text, start, end, place, pattern, rank)
        country = gazetteer.country(name)
        if country is not None and not name.isupper():
            whole = gazetteer.country_place(country[0])
            if whole is not None:
                return _candidate(text, start, end, whole, "in country", IN_RANK)
    return None


def _in_before(text: str, window_start: int, start: int) -> re.Match[str] | None:
    """ "in" or "in the" (IN_BEFORE) right before ``start``, not before ``window_start``."""
    words = text[window_start:start]
    stripped = words.rstrip(" \t")
    if len(stripped) == len(words) or not stripped.endswith(("n", "e")):
        return None  # the regex below is tried at every position: most phrases fail this first
    return IN_BEFORE.search(text, window_start, start)


def _common_word(name: str) -> bool:
    """Months, ordinary words, and short all-caps words ("in IT", "in AI")."""
    return name.lower() in COMMON_WORDS or (name.isupper() and len(name) <= 3)


def _candidate(text: str, start: int, end: int, place: Place, pattern: str, rank: int) -> _Candidate:
    return _Candidate(PlaceMention(place, (start, end), text[start:end], pattern), rank)


def _without_overlaps(candidates: list[_Candidate]) -> list[PlaceMention]:
    """Keep the best-ranked, then longest, of overlapping mentions; sort the rest by position."""
    if len(candidates) < 2:
        return [candidate.mention for candidate in candidates]
    kept: list[PlaceMention] = []
    ordered = sorted(candidates, key=lambda c: (c.rank, c.mention.span[0] - c.mention.span[1], c.mention.span))
    for candidate in ordered:
        start, end = candidate.mention.span
        if all(end <= other.span[0] or start >= other.span[1] for other in kept):
            kept.append(candidate.mention)
    return sorted(kept, key=lambda mention: mention.span)
