"""Audience and scale figures: "almost 20.000 participants", "over 4,000 senior decision makers".

The rule is transparent and whitelist-free on the label side, whitelist-based on what is counted:

1. A number is read in digits only: ``20.000`` / ``20,000`` / ``20 000`` (a separator followed by
   exactly three digits groups thousands, European or English style), ``1.5 million``, ``4k``.
   Spelled-out numbers ("ten cities", "five other cities") are not read: in announcements they
   almost always describe the programme, not its audience.
2. The words right after it (up to five, no punctuation in between) must reach a *counted noun* from
   :data:`COUNTED_NOUNS`, the audience/scale vocabulary (participants, speakers, exhibitors, sessions,
   partners, countries, entries, ...). Anything else is a descriptive count and ignored:
   "3 categories", "11 Demonstration Projects", "13 business sectors", "450 billion yuan".
3. The label is that noun phrase, lower-cased, with filler (:data:`FILLER`) dropped:
   "senior level decision makers" -> "senior decision makers", "national entries" stays.
   A modifier from :data:`DESCRIPTIVE` ("other", "main", ...) marks a descriptive count: skipped.
4. Never figures: years ("In 2022 participants ..."), dates ("3-4 October"), ordinals ("9th",
   "21st century"), percentages ("40% of GDP"), money ("$5 million", "450 billion yuan"),
   durations ("2-day", "3 years"). A bare 19xx/20xx after one of :data:`YEAR_PRECEDERS`, or
   after a capitalised word that itself follows a word, is a year: "the Smart Mobility Summit 2021
   brings together mayors" names the event, it does not count mayors. "Meet 2000 delegates"
   (the capitalised word opens the sentence) and qualified numbers ("over 2000 delegates") count.
5. ``year`` is the year stated nearest to the figure in the same sentence as a time or an edition
   ("In 2022 reached ...", "during the year 2021", "the 2022 edition"). Years in names ("the 2023
   Awards") or bounding a period ("since 2013", "by 2030") are not read; "last year's edition"
   states no year, so ``year`` stays None.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from cityevents.model import Figure

# Written form -> canonical qualifier. "500+" reads as "over 500".
QUALIFIERS: dict[str, str] = {
    "almost": "almost",
    "nearly": "nearly",
    "over": "over",
    "well over": "over",
    "just over": "over",
    "upwards of": "over",
    "in excess of": "over",
    "more than": "more than",
    "up to": "up to",
    "around": "around",
    "about": "about",
    "some": "some",
    "approximately": "approximately",
    "approx.": "approximately",
    "roughly": "roughly",
    "circa": "around",
    "ca.": "around",
    "at least": "at least",
    "close to": "close to",
    "less than": "less than",
    "fewer than": "less than",
    "+": "over",
}

# Counted nouns (as they appear, lower case) -> the canonical plural used in labels.
COUNTED_NOUNS: dict[str, str] = {
    word: word
    for word in (
        "participants attendees visitors delegates speakers exhibitors sessions partners countries "
        "cities startups leaders entries workshops talks mayors companies sponsors brands investors "
        "journalists experts panelists panellists panels presentations keynotes masterclasses "
        "municipalities regions nations nationalities stakeholders representatives people guests "
        "registrants professionals executives innovators buyers members winners finalists submissions "
        "applications pitches seminars roundtables stands booths hackathons demos"
    ).split()
} | {"persons": "people", "scaleups": "scaleups"}

# Two-word counted nouns (tokens joined by a space, hyphens split) -> canonical label head.
COUNTED_BIGRAMS: dict[str, str] = {
    "decision makers": "decision makers",
    "policy makers": "policy makers",
    "start ups": "startups",
    "scale ups": "scaleups",
    "side events": "side events",
}
COUNTED_SINGLE_WORDS: dict[str, str] = {"policymakers": "policy makers", "decisionmakers": "decision makers"}
# Every counted noun by its tokens, lower case, joined by a space -> its canonical label head.
COUNTED_HEADS: dict[str, str] = COUNTED_NOUNS | COUNTED_SINGLE_WORDS | COUNTED_BIGRAMS

# Modifiers that do not change what is counted.
FILLER = frozenset({"level", "high", "top", "record", "total", "overall", "unique", "strong"})
# Modifiers that make a count descriptive ("five other European cities", "3 main partners").
DESCRIPTIVE = frozenset({"other", "more", "additional", "further", "main", "different", "distinct"})
# Words that end the noun phrase before a counted noun is reached ("20 of the participants").
PHRASE_STOPS = frozenset(
    "of and or the a an to in on at for from by with per than as who that which are were is was will "
    "have has had be been across into over under between among each".split()
)
# A bare four-digit number after these words is a year, not a count ("In 2022 participants ...").
YEAR_PRECEDERS = frozenset("in since the of by until till from for to during year edition and or".split())

SCALES: dict[str, int] = {"thousand": 1_000, "k": 1_000, "million": 1_000_000, "mln": 1_000_000,
                          "billion": 1_000_000_000, "bn": 1_000_000_000}
CURRENCY_SIGNS = frozenset("$€£¥₹")

MAX_WORDS = 5
MAX_MODIFIERS = 3
QUALIFIER_WINDOW = 40
YEAR_WINDOW = 30


def _letter(char: str) -> str:
    """``char`` as a pattern matching each character that ``str.lower()`` folds to it.

    Explicit classes, not re.IGNORECASE: sre skips a branch whose first class fails without entering
    it, and re.IGNORECASE also folds "ſ", "ı" and "İ", which ``str.lower()`` leaves alone.
    """
    if not char.isalpha():
        return re.escape(char)
    # The Kelvin sign is the only character outside A-Z that str.lower() turns into an ASCII letter.
    kelvin = "\u212a" if char == "k" else ""
    return f"[{char}{char.upper()}{kelvin}]"


def _trie(words: Iterable[str]) -> str:
    """An alternation of lower-case ``words`` in any case, as a trie: one branch per next letter."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(words):
        by_first.setdefault(word[:1], []).append(word[1:])
    branches = [_letter(first) + _trie(rests) for first, rests in by_first.items() if first]
    if not branches:
        return ""
    pattern = f"(?:{'|'.join(branches)})"
    return f"{pattern}?" if "" in by_first else pattern


_LETTER = r"[^\W\d_]"
# Where a TOKEN ends: neither a letter nor an apostrophe and a letter follow.
_TOKEN_END = rf"(?!{_LETTER}|['’]{_LETTER})"
# A TOKEN, atomic so that backtracking never splits one ("x'participants" is not "participants").
_TOKEN = rf"(?>{_LETTER}+(?:['’]{_LETTER}+)?)"
_SPACE = r"[ \t\u00a0]+"  # between words: a phrase has no punctuation
_GAP = rf"(?:[\d_'’-]+(?:{_SPACE})?|{_SPACE})"  # between tokens: "start-ups", "start ups", "e2e"
_MODIFIER = rf"(?!{_trie(PHRASE_STOPS | DESCRIPTIVE)}{_TOKEN_END}){_TOKEN}"
_COUNTED = "|".join(
    [f"{_trie([first])}{_TOKEN_END}{_GAP}{_trie([second])}" for first, second in map(str.split, COUNTED_BIGRAMS)]
    + [_trie(COUNTED_NOUNS.keys() | COUNTED_SINGLE_WORDS.keys())]
)
# Tokens up to the first counted one, none of them a stop or descriptive word: the lazy repeat tries
# the counted nouns at each token in turn. MAX_WORDS and MAX_MODIFIERS are counted in _label.
_PHRASE = rf"(?P<modifiers>{_SPACE}(?:{_MODIFIER}{_GAP})*?)(?P<noun>(?:{_COUNTED}){_TOKEN_END})"

# The number comes first in the pattern so the scan only stops at digits; the qualifier before it
# is read backwards from the number (an optional leading group would be tried at every position).
# Its first digit is the pattern's very first item, the left-edge test a lookbehind just after it:
# a pattern that opens with a character class lets sre skip to the next digit without trying a match.
# The counted noun phrase is a lookahead: most numbers have none and fail here, not in Python.
FIGURE = re.compile(
    r"(?P<num>\d(?<![\w$€£¥₹.,/#+:–-]\d)"
    r"(?:\d{0,2}(?P<sep>[.,\u00a0\u202f ])\d{3}(?:(?P=sep)\d{3})*(?![\d])|\d*(?:[.,]\d+)?))"
    r"(?:\s+(?P<scale>(?i:thousand|million|mln|billion|bn))\b|(?P<k>[kK])\b)?"
    r"(?P<plus>\+)?"
    rf"(?=(?P<phrase>{_PHRASE}))"
)
TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
NON_DIGIT = re.compile(r"\D")

# Patterns ending at a given position are matched on the text before it, reversed (see _reversed):
# one anchored try, where a search would start a try at every position of the window.
QUALIFIER_BEFORE = re.compile(
    r"\s+(?P<qual>(?i:"
    + "|".join(
        re.escape(q[::-1]).replace(r"\ ", r"\s+") for q in sorted(QUALIFIERS, key=len, reverse=True) if q != "+"
    )
    + r"))(?=[^\w.])"
)
# The word before a number and the gap after it; for a name, only spaces between them and a word
# before it ("Mobility Summit 2021").
WORD_BEFORE = re.compile(r"(?:(?P<space>[ \t\u00a0]+)|\W*)(?P<word>[^\W\d_]+)(?P<after_word>[ \t\u00a0]+\w)?")
_YEAR = r"(?:19|20)\d{2}(?![\w%]|[.,]\d|[–/-]\d)"
YEAR = re.compile(_YEAR)
# Only a year that names a time or an edition counts ("In 2022", "the 2022 edition"): a year in a
# name ("the 2023 Awards") or bounding a period ("since 2013", "by 2030") does not.
TIME_BEFORE = re.compile(r"\s+(?:(?i:raey)\s+(?i:eht)\s+)?(?i:ni|gnirud|tuohguorht)(?=\W)")
EDITION = re.compile(rf"(?<![\w.,/–-]){_YEAR}(?:['’]s)?\s+(?i:edition)\b")
# One character class first lets sre jump from candidate to candidate; the lookbehinds tell which.
SENTENCE_BREAK = re.compile(r"[.!?\n](?:(?<=\n)(?:\s*\n|(?=\s*[•*·▪–-]\s))|(?<!\n)(?=[\"”’)]?\s))")


def find_figures(text: str) -> list[Figure]:
    """Find audience and scale figures in ``text``.

    Args:
        text: free text, typically one event's description.

    Returns:
        The figures in order of appearance, each with the label of what is counted, its value,
        the qualifier ("almost", "over", ...) and the year it describes when the sentence says so.
    """
    figures: list[Figure] = []
    breaks: list[int] | None = None
    for match in FIGURE.finditer(text):
        value = _value(match)
        if value is None or _after_currency(text, match.start()):
            continue
        label = _label(match)
        if label is None:
            continue
        before = QUALIFIER_BEFORE.match(_reversed(text, match.start() - QUALIFIER_WINDOW, match.start()))
        qual = before["qual"][::-1] if before else None
        start = match.start() - before.end("qual") if before else match.start()
        if _is_year(text, match, qual):
            continue
        qualifier = qual or ("+" if match["plus"] else None)
        if breaks is None:
            breaks = [m.end() for m in SENTENCE_BREAK.finditer(text)]
        figures.append(
            Figure(
                label=label,
                value=value,
                qualifier=QUALIFIERS[" ".join(qualifier.lower().split())] if qualifier else None,
                year=_stated_year(text, start, breaks),
                text=text[start : match.end("noun")],
            )
        )
    return figures


def _reversed(text: str, start: int, end: int) -> str:
    """``text[start:end]`` reversed, then the character before it as context (a space at the start).

    A match may not take that last character: it only stands in for a lookbehind at ``start``.
    """
    start = max(0, start)
    return text[start - 1 : end][::-1] if start else text[:end][::-1] + " "


def _value(match: re.Match[str]) -> int | float | None:
    """The number's value, or None for a fraction that is not a scaled amount ("2.5 visitors")."""
    raw = match["num"]
    if match["sep"]:
        number: float = int(NON_DIGIT.sub("", raw))
    elif "." in raw or "," in raw:
        if not (match["scale"] or match["k"]):
            return None
        number = float(raw.replace(",", "."))
    else:
        number = int(raw)
    scale = (match["scale"] or match["k"] or "").lower()
    number *= SCALES.get(scale, 1)
    return int(number) if float(number).is_integer() else number


def _after_currency(text: str, start: int) -> bool:
    return text[max(0, start - 2) : start].strip()[-1:] in CURRENCY_SIGNS


def _label(match: re.Match[str]) -> str | None:
    """The counted noun phrase without filler; None past MAX_WORDS words or MAX_MODIFIERS modifiers."""
    if len(match["phrase"].split()) > MAX_WORDS:  # the second word of "decision makers" may be the sixth
        return None
    modifiers: list[str] = []
    for token in TOKEN.findall(match["modifiers"]):
        if len(modifiers) == MAX_MODIFIERS:
            return None
        token = token.lower().replace("’", "'")
        if token not in FILLER:
            modifiers.append(token)
    return " ".join([*modifiers, COUNTED_HEADS[" ".join(TOKEN.findall(match["noun"].lower()))]])


def _is_year(text: str, match: re.Match[str], qualifier: str | None) -> bool:
    """A bare 19xx/20xx after "in", "since", "the", ... or in a name ("Summit 2021") is a year."""
    raw = match["num"]
    if qualifier or match["sep"] or match["scale"] or match["k"] or len(raw) != 4:
        return False
    if not 1900 <= int(raw) <= 2099:
        return False
    before = WORD_BEFORE.match(text[max(0, match.start() - YEAR_WINDOW) : match.start()][::-1])
    if before is None:
        return False
    word = before["word"][::-1]
    if word.lower() in YEAR_PRECEDERS:
        return True
    return bool(before["space"] and before["after_word"]) and word[0].isupper()


def _stated_year(text: str, position: int, breaks: list[int]) -> int | None:
    """The year stated nearest to ``position`` within its sentence, if any."""
    index = bisect_right(breaks, position)
    start = breaks[index - 1] if index else 0
    end = breaks[index] if index < len(breaks) else len(text)
    best: tuple[int, int] | None = None
    for cue, year in _stated_years(text, start, end):
        distance = abs(cue - position)
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None


def _stated_years(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where ``text[start:end]`` states a year as a time or an edition, and which year."""
    cues: list[tuple[int, int]] = []
    for year in YEAR.finditer(text, start, end):
        time = TIME_BEFORE.match(_reversed(text, start, year.start()))
        if time is not None:
            cues.append((year.start() - time.end(), int(year[0])))
        elif EDITION.match(text, year.start(), end):
            cues.append((year.start(), int(year[0])))
    return cues
