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
from dataclasses import dataclass
from typing import Final

from cityevents.extract.gazetteer import Gazetteer, Place, get_gazetteer

LOGGER: Final = logging.getLogger(__name__)

IN_CITY_MIN_POPULATION: Final = 100_000
MAX_NAME_WORDS: Final = 5  # no city or country name is longer ("Castellón de la Plana" is four)
MAX_CONNECTORS: Final = 2

PAIR_GAPS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"\s*\(\s*(?:the\s+)?"), " ({})"),
    (re.compile(r"[ \t]*,[ \t]*(?:\n[ \t]*)?(?:the\s+)?"), ", {}"),
    (re.compile(r"[ \t]+[–—-][ \t]+(?:the\s+)?|[ \t]*[–—][ \t]*(?:the\s+)?"), " – {}"),
)
# What every PAIR_GAPS gap opens with: one cheap test first.
PAIR_GAP_START: Final = re.compile(r"\s*[(,–—-]")
PAREN_SHAPE: Final = PAIR_GAPS[0][1]
# The pattern of a pair mention by gap shape and kind of second name: "city (country)", "city, st", ...
PAIR_PATTERNS: Final = {
    (shape, kind): "city" + shape.format(kind)
    for _, shape in PAIR_GAPS
    for kind in ("st", "state", "country")
}
PAIR_RANK, HELD_IN_RANK, IN_RANK = 0, 1, 2
# Which of two overlapping mentions is kept: the one whose pattern ranks lower.
PATTERN_RANKS: Final = dict.fromkeys([*PAIR_PATTERNS.values(), "country"], PAIR_RANK) | {
    "held in city": HELD_IN_RANK, "in city": IN_RANK, "in country": IN_RANK,
}
CLOSE_PAREN: Final = re.compile(r"\s*\)")
IN_BEFORE: Final = re.compile(r"\b[Ii]n[ \t]+(?:the[ \t]+)?\Z")
# What every "in" pattern holds (IN_BEFORE, or an "In" opening a phrase): texts without it skip them.
# Its "n" comes first, so the regex engine skips ahead to that letter instead of testing a class everywhere.
IN_WORD: Final = re.compile(r"n(?<=[Ii]n)[ \t\u00a0]")
IN_WINDOW: Final = 40  # characters before "in" searched for "held", "takes place", ...
EVENT_IN: Final = re.compile(
    r"\b(?:held|hosted|staged|located|organi[sz]ed|happen(?:s|ing|ed)?|"
    r"(?:takes|took|taking|take)\s+place|will\s+be|venue)\s+\Z",
    re.IGNORECASE,
)
COUNTRY_AFTER_STATE: Final = re.compile(r"[ \t]*,[ \t]*")
# Words kept inside a place name when they stand between capitalised words.
CONNECTORS: Final = frozenset(
    "de del della dei degli da do dos das di du des la le les el al am an im der den van von "
    "upon on sur sous en y of the aan bei ob".split()
)
ABBREVIATIONS: Final = frozenset({"st", "ste", "mt", "ft"})
# Lower-case words that still end a place name when typed after it ("Ho Chi Minh city").
CITY_SUFFIXES: Final = frozenset({"city"})
# Capitalised words that name towns but mostly mean something else after "in".
COMMON_WORDS: Final = frozenset(
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


def _any_case(word: str) -> str:
    """A regex spelling ``word`` in any mix of cases, letter by letter ("st" -> "[sS][tT]")."""
    return "".join(f"[{letter}{letter.upper()}]" for letter in word)


def _abbreviation_rest() -> str:
    """A regex for the rest of an ABBREVIATIONS word after its first letter, with its full stop ("t." of
    "St."); its second letter is tested first, as most tokens fail there."""
    firsts: dict[str, str] = {}
    for word in sorted(ABBREVIATIONS):
        firsts[word[1:]] = firsts.get(word[1:], "") + word[0] + word[0].upper()
    seconds = "".join(sorted({word[1] + word[1].upper() for word in ABBREVIATIONS}))
    rests = "|".join(f"(?<=[{letters}]){_any_case(rest)}" for rest, letters in firsts.items())
    return rf"(?=[{seconds}])(?:{rests})\.(?!{LETTER})"


def _capitals() -> str:
    """A regex for one letter that ``str.isupper`` calls a capital.

    A class holding them all is slow to test against a character that is none: the regex engine looks
    those beyond the Basic Multilingual Plane up one by one. So a quick class (the BMP capitals and
    everything beyond) comes first, and the exact one checks only what passes it, as a look-behind.
    Python's Unicode tables hold no capital beyond the first two planes, so only those are scanned.
    """
    letter = re.compile(LETTER)
    capitals = "".join(char for char in map(chr, range(0x20000)) if char.isupper() and letter.match(char))
    basic = "".join(char for char in capitals if char <= "\uffff")
    return rf"[{re.escape(basic)}\U00010000-\U0001ffff](?<=[{re.escape(capitals)}])"


LETTER: Final = r"[^\W\d_]"
TOKEN: Final = re.compile(rf"{LETTER}+(?:[-'’.]{LETTER}+)*\.?")
CAPITAL: Final = _capitals()
# The rest of a token after its first letter, as a phrase holds it: the final full stop only after an
# abbreviation ("St.") or in a dotted word ("U.S."), since the stop of "Berlin." ends a sentence.
# Possessive and atomic, so a token is always taken whole, as TOKEN takes it, and its letters are read
# once; ASCII letters first, as a plain class tests them several times faster than LETTER.
WORD_REST: Final = (
    rf"(?>{_abbreviation_rest()}"
    rf"|[a-zA-Z]*+{LETTER}*+(?:[-'’]{LETTER}++)*+(?:\.{LETTER}++(?:[-'’.]{LETTER}++)*+\.?)?)"
)
PHRASE_GAP: Final = r"[ \t\u00a0]{1,3}+"
# A connector starts lower-case: a capitalised "De" is a name word of its own. Its first letter is
# tested once before the alternatives are.
CONNECTOR: Final = (
    f"(?=[{''.join(sorted({word[0] for word in CONNECTORS}))}])"
    f"(?:{'|'.join(word[0] + _any_case(word[1:]) for word in sorted(CONNECTORS))})"
)
NOT_IN_TOKEN: Final = rf"(?!{LETTER}|[-'’.]{LETTER})"
# A name phrase after its first capital: the rest of that token, then more capitalised tokens or a city
# suffix, each after a gap of one to three spaces and up to MAX_CONNECTORS connectors. Most phrases are
# one word: a look-ahead for a gap and a letter spares the repetition when none follows.
PHRASE_REST: Final = (
    rf"{WORD_REST}(?:(?={PHRASE_GAP}{LETTER})"
    rf"(?:(?:{PHRASE_GAP}{CONNECTOR}){{0,{MAX_CONNECTORS}}}{PHRASE_GAP}"
    rf"(?:{CAPITAL}{WORD_REST}|(?:{'|'.join(CITY_SUFFIXES)}){NOT_IN_TOKEN}))+)?"
)
# A name phrase opens with a capital that opens a token: not after a letter, nor after a letter and a
# hyphen, apostrophe or dot. (The look-behinds follow the capital so the regex engine skips to capitals.)
PHRASE: Final = re.compile(rf"{CAPITAL}(?<!{LETTER}.)(?<!{LETTER}[-'’.].){PHRASE_REST}")
# A name phrase with a PAIR_GAPS gap to the next one, captured as "second". A gap holds no capital and
# ends before a token, so the phrase after it is the next phrase of the text; and a phrase that has no
# such gap has none from any capital inside it either, so every match opens a phrase of the text.
PAIR: Final = re.compile(
    PHRASE.pattern
    + rf"(?=(?={PAIR_GAP_START.pattern})(?:{'|'.join(gap.pattern for gap, _ in PAIR_GAPS)})"
    + rf"(?P<second>{CAPITAL}{PHRASE_REST}))"
)
SECOND: Final = PAIR.groupindex["second"]  # a group's number is found faster than its name


@dataclass(frozen=True, init=False)
class PlaceMention:
    """A place found in text: where it is and which pattern found it."""

    place: Place
    span: tuple[int, int]
    text: str
    pattern: str  # "city (country)", "city, country", "city, st", "held in city", "in country", ...

    def __init__(self, place: Place, span: tuple[int, int], text: str, pattern: str) -> None:
        object.__setattr__(self, "place", place)  # written out: see dates.DateMatch
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "pattern", pattern)


@dataclass(slots=True, init=False)
class _Token:
    word: str
    start: int
    end: int
    capitalised: bool

    def __init__(self, word: str, start: int, end: int, capitalised: bool) -> None:
        self.word = word  # written out: see dates.DateMatch
        self.start = start
        self.end = end
        self.capitalised = capitalised


def find_place_mentions(text: str) -> list[PlaceMention]:
    """Find city and country mentions in free text.

    Args:
        text: any text; nothing in it makes this raise.

    Returns:
        Non-overlapping mentions sorted by position, each with the pattern that found it.
    """
    gazetteer = get_gazetteer()
    candidates: list[PlaceMention] = []
    for pair in PAIR.finditer(text):
        found = _pair(gazetteer, text, pair)
        if found is not None:
            candidates.append(found)
    if IN_WORD.search(text) is not None:
        for phrase in _phrases(text):
            found = _after_in(gazetteer, text, phrase)
            if found is not None:
                candidates.append(found)
    mentions = _without_overlaps(candidates)
    LOGGER.debug("%d place mentions in %d characters", len(mentions), len(text))
    return mentions


def _phrases(text: str) -> list[re.Match[str]]:
    """The name phrases, found by one regex; :func:`_tokens` splits one when needed."""
    return list(PHRASE.finditer(text))


def _tokens(text: str, start: int, end: int) -> list[_Token]:
    """The tokens of the name phrase at ``text[start:end]``."""
    tokens = []
    for match in TOKEN.finditer(text, start, end):
        word = match.group()
        tokens.append(_Token(word, match.start(), match.end(), word[0].isupper()))
    return tokens


def _one_word(phrase: str) -> bool:
    """Whether a name phrase is one token: most are, and need no splitting."""
    return " " not in phrase and "\t" not in phrase and "\u00a0" not in phrase


def _head_ends(text: str, start: int, end: int) -> list[int]:
    """Where the heads of the phrase at ``text[start:end]`` that end with a capitalised token end, longest
    (of at most MAX_NAME_WORDS tokens) first."""
    if _one_word(text[start:end]):
        return [end]
    return [token.end for token in reversed(_tokens(text, start, end)[:MAX_NAME_WORDS]) if token.capitalised]


def _tail_starts(text: str, start: int, end: int) -> list[int]:
    """Where the tails of the phrase at ``text[start:end]`` that start with a capitalised token start,
    longest (of at most MAX_NAME_WORDS tokens) first."""
    if _one_word(text[start:end]):
        return [start]
    return [token.start for token in _tokens(text, start, end)[-MAX_NAME_WORDS:] if token.capitalised]


def _pair(gazetteer: Gazetteer, text: str, pair: re.Match[str]) -> PlaceMention | None:
    """ "City (Country)", "City, Country", "City – Country", "City, ST", "City, State": a PAIR match."""
    first = first_start, first_end = pair.span()
    second_start, second_end = pair.span(SECOND)
    gap = text[first_end:second_start]
    # Only the first kind of PAIR_GAPS holds "(", only the second ",".
    shape = PAIR_GAPS[0][1] if "(" in gap else PAIR_GAPS[1][1] if "," in gap else PAIR_GAPS[2][1]
    tails = _tail_starts(text, first_start, first_end)
    for head_end in _head_ends(text, second_start, second_end):
        end = head_end
        if shape == PAREN_SHAPE:
            if text.startswith(")", end):  # most often; CLOSE_PAREN otherwise
                end += 1
            else:
                close = CLOSE_PAREN.match(text, end)
                if close is None:
                    continue
                end = close.end()
        found = _pair_with(gazetteer, text, first, tails, (second_start, head_end), shape, end)
        if found is not None:
            if found.pattern.endswith(("st", "state")):
                third = PHRASE.search(text, second_end)
                if third is not None:
                    found = _with_country(gazetteer, text, found, third.span())
            return found
    return None


def _pair_with(
    gazetteer: Gazetteer,
    text: str,
    first: tuple[int, int],
    tails: list[int],
    second: tuple[int, int],
    shape: str,
    end: int,
) -> PlaceMention | None:
    """The pair when the phrase head at span ``second`` is a US state, a Canadian or Australian province
    or state, or a country; a country alone if no city (a tail of the phrase at span ``first``, starting
    at one of ``tails``) precedes it."""
    name = text[second[0] : second[1]]
    state = gazetteer.us_state(name)
    if state is not None:
        kind = "st" if name.replace(".", "").isupper() else "state"
        found = _city_ending(gazetteer, text, tails, first[1], region=state)
        if found is not None:
            return _candidate(text, found[1], end, found[0], PAIR_PATTERNS[shape, kind])
    for code in gazetteer.province_countries(name):  # "Toronto, ON", "Sydney, NSW"
        found = _city_ending(gazetteer, text, tails, first[1], country=code)
        if found is not None:
            return _candidate(text, found[1], end, found[0], PAIR_PATTERNS[shape, "state"])
    country = gazetteer.country(name)
    if country is None:
        return None
    found = _city_ending(gazetteer, text, tails, first[1], country=country[0])
    if found is not None:
        return _candidate(text, found[1], end, found[0], PAIR_PATTERNS[shape, "country"])
    if _is_place(gazetteer, text, first, tails):  # a list: "China, Germany" or "Berlin, Paris, Spain"
        return None
    whole = gazetteer.country_place(country[0])
    if whole is None:
        return None
    return _candidate(text, second[0], second[1], whole, "country")


def _is_place(gazetteer: Gazetteer, text: str, phrase: tuple[int, int], tails: list[int]) -> bool:
    """Whether the phrase at span ``phrase`` ends with a country or a city (its ``tails``)."""
    last = phrase[0] if _one_word(text[phrase[0] : phrase[1]]) else _tokens(text, *phrase)[-1].start
    return (
        gazetteer.country(text[last : phrase[1]]) is not None
        or _city_ending(gazetteer, text, tails, phrase[1]) is not None
    )


def _city_ending(
    gazetteer: Gazetteer,
    text: str,
    tails: list[int],
    end: int,
    *,
    country: str | None = None,
    region: str | None = None,
) -> tuple[Place, int] | None:
    """The longest tail (``text[start:end]`` for a start of ``tails``) that names a city of the country or
    region, with its start."""
    for start in tails:
        place = gazetteer.city(text[start:end], country, region=region)
        if place is not None:
            return place, start
    return None


def _with_country(
    gazetteer: Gazetteer, text: str, found: PlaceMention, after: tuple[int, int]
) -> PlaceMention:
    """Extend "Austin, Texas" over a following ", USA" (the phrase at span ``after``)."""
    span_end = found.span[1]
    if COUNTRY_AFTER_STATE.fullmatch(text, span_end, after[0]) is None:
        return found
    country = gazetteer.country(text[after[0] : after[1]])
    if country is None or country[0] != found.place.country_code:
        return found
    return _candidate(text, found.span[0], after[1], found.place, found.pattern)


def _after_in(gazetteer: Gazetteer, text: str, phrase: re.Match[str]) -> PlaceMention | None:
    """ "in City", "held in City", "in Country": the phrase, or its tail after a leading "In"."""
    phrase_start = phrase.start()
    window_start = max(0, phrase_start - IN_WINDOW)
    tokens = _tokens(text, *phrase.span()) if text.startswith("In", phrase_start) else None
    if tokens is not None and tokens[0].word == "In" and len(tokens) > 1:
        before = text[window_start:phrase_start]
        tokens = tokens[2:] if tokens[1].word == "the" else tokens[1:]
    else:
        in_word = _in_before(text, window_start, phrase_start)
        if in_word is None:
            return None
        before = text[window_start : in_word.start()]
        tokens = tokens or _tokens(text, *phrase.span())
    if not tokens or not tokens[0].capitalised:
        return None
    held = EVENT_IN.search(before) is not None
    for length in range(min(len(tokens), MAX_NAME_WORDS), 0, -1):
        head = tokens[:length]
        if not head[-1].capitalised:
            continue
        name = text[head[0].start : head[-1].end]
        if _common_word(name):
            continue
        start, end = head[0].start, head[-1].end
        place = gazetteer.city(name)
        if place is not None and (held or place.population >= IN_CITY_MIN_POPULATION):
            return _candidate(text, start, end, place, "held in city" if held else "in city")
        country = gazetteer.country(name)
        if country is not None and not name.isupper():
            whole = gazetteer.country_place(country[0])
            if whole is not None:
                return _candidate(text, start, end, whole, "in country")
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


def _candidate(text: str, start: int, end: int, place: Place, pattern: str) -> PlaceMention:
    return PlaceMention(place, (start, end), text[start:end], pattern)


def _without_overlaps(candidates: list[PlaceMention]) -> list[PlaceMention]:
    """Keep the best-ranked, then longest, of overlapping mentions; sort the rest by position."""
    if len(candidates) < 2:
        return candidates
    kept: list[PlaceMention] = []
    ordered = sorted(candidates, key=lambda c: (PATTERN_RANKS[c.pattern], c.span[0] - c.span[1], c.span))
    for candidate in ordered:
        start, end = candidate.span
        if all(end <= other.span[0] or start >= other.span[1] for other in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda mention: mention.span)
