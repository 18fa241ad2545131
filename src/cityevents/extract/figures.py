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
   durations ("2-day", "3 years").
5. ``year`` is the year stated nearest to the figure in the same sentence as a time or an edition
   (:data:`STATED_YEAR`: "In 2022 reached ...", "the 2022 edition"). Years in names ("the 2023
   Awards") or bounding a period ("since 2013", "by 2030") are not read; "last year's edition"
   states no year, so ``year`` stays None.
"""

from __future__ import annotations

import re
from bisect import bisect_right

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
} | {"persons": "people", "scaleups": "scaleups", "scale-ups": "scaleups"}

# Two-word counted nouns (tokens joined by a space, hyphens split) -> canonical label head.
COUNTED_BIGRAMS: dict[str, str] = {
    "decision makers": "decision makers",
    "policy makers": "policy makers",
    "start ups": "startups",
    "scale ups": "scaleups",
    "side events": "side events",
}
COUNTED_SINGLE_WORDS: dict[str, str] = {"policymakers": "policy makers", "decisionmakers": "decision makers"}

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

_QUALIFIER_ALT = "|".join(
    re.escape(q).replace(r"\ ", r"\s+") for q in sorted(QUALIFIERS, key=len, reverse=True) if q != "+"
)
_WORD = r"[^\W\d_][\w'’-]*"

# The number comes first in the pattern so the scan only stops at digits; the qualifier before it
# is read from a short window behind (an optional leading group would be tried at every position).
# Its first digit is the pattern's very first item, the left-edge test a lookbehind just after it:
# a pattern that opens with a character class lets sre skip to the next digit without trying a match.
FIGURE = re.compile(
    r"(?P<num>\d(?<![\w$€£¥₹.,/#+:–-]\d)"
    r"(?:\d{0,2}(?P<sep>[.,\u00a0\u202f ])\d{3}(?:(?P=sep)\d{3})*(?![\d])|\d*(?:[.,]\d+)?))"
    r"(?:\s+(?P<scale>(?i:thousand|million|mln|billion|bn))\b|(?P<k>[kK])\b)?"
    r"(?P<plus>\+)?"
    rf"(?=(?P<words>(?:[ \t\u00a0]+{_WORD}){{1,5}}))"
)
QUALIFIER_BEFORE = re.compile(rf"(?<![\w.])(?P<qual>(?i:{_QUALIFIER_ALT}))\s+\Z")
QUALIFIER_WINDOW = 40
TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
NON_DIGIT = re.compile(r"\D")
_YEAR = r"(?P<year{n}>(?:19|20)\d{{2}})(?![\w%]|[.,]\d|[–/-]\d)"
# Only a year that names a time or an edition counts ("In 2022", "the 2022 edition"): a year in a
# name ("the 2023 Awards") or bounding a period ("since 2013", "by 2030") does not.
STATED_YEAR = re.compile(
    rf"(?i:\b(?:in|during|throughout)\s+(?:the\s+year\s+)?){_YEAR.format(n=1)}"
    rf"|(?<![\w.,/–-]){_YEAR.format(n=2)}(?:['’]s)?\s+(?i:edition)\b"
)
PREVIOUS_WORD = re.compile(r"([^\W\d_]+)\W*$")
SENTENCE_BREAK = re.compile(r"[.!?](?=[\"”’)]?\s)|\n\s*\n|\n(?=\s*[•*·▪–-]\s)")

MAX_MODIFIERS = 3


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
        # The cheap and most selective tests first: most numbers count nothing ("since 2015 it").
        value = _value(match)
        if value is None or _after_currency(text, match.start("num")):
            continue
        phrase = _counted_phrase(match)
        if phrase is None:
            continue
        before = QUALIFIER_BEFORE.search(text, max(0, match.start() - QUALIFIER_WINDOW), match.start())
        qual = before["qual"] if before else None
        start = before.start() if before else match.start()
        if _is_year(text, match, qual):
            continue
        label, words_end = phrase
        qualifier = qual or ("+" if match["plus"] else None)
        if breaks is None:
            breaks = [m.end() for m in SENTENCE_BREAK.finditer(text)]
        figures.append(
            Figure(
                label=label,
                value=value,
                qualifier=QUALIFIERS[" ".join(qualifier.lower().split())] if qualifier else None,
                year=_stated_year(text, start, breaks),
                text=text[start:words_end],
            )
        )
    return figures


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


def _is_year(text: str, match: re.Match[str], qualifier: str | None) -> bool:
    """A bare 19xx/20xx after "in", "since", "the", ... names a year, not a count."""
    raw = match["num"]
    if qualifier or match["sep"] or match["scale"] or match["k"] or len(raw) != 4:
        return False
    if not 1900 <= int(raw) <= 2099:
        return False
    before = PREVIOUS_WORD.search(text, max(0, match.start() - 30), match.start())
    return before is not None and before[1].lower() in YEAR_PRECEDERS


def _after_currency(text: str, start: int) -> bool:
    return text[max(0, start - 2) : start].strip()[-1:] in CURRENCY_SIGNS


def _counted_phrase(match: re.Match[str]) -> tuple[str, int] | None:
    """The label and the end offset of the counted noun phrase after the number, if any."""
    offset = match.start("words")
    modifiers: list[str] = []
    tokens = [(t.group().lower().replace("’", "'"), offset + t.end()) for t in TOKEN.finditer(match["words"])]
    for index, (token, end) in enumerate(tokens):
        if index + 1 < len(tokens) and f"{token} {tokens[index + 1][0]}" in COUNTED_BIGRAMS:
            head, end = COUNTED_BIGRAMS[f"{token} {tokens[index + 1][0]}"], tokens[index + 1][1]
        elif token in COUNTED_NOUNS or token in COUNTED_SINGLE_WORDS:
            head = COUNTED_NOUNS.get(token) or COUNTED_SINGLE_WORDS[token]
        elif token in PHRASE_STOPS or token in DESCRIPTIVE or len(modifiers) == MAX_MODIFIERS:
            return None
        else:
            if token not in FILLER:
                modifiers.append(token)
            continue
        return " ".join([*modifiers, head]), end
    return None


def _stated_year(text: str, position: int, breaks: list[int]) -> int | None:
    """The year stated nearest to ``position`` within its sentence, if any."""
    index = bisect_right(breaks, position)
    start = breaks[index - 1] if index else 0
    end = breaks[index] if index < len(breaks) else len(text)
    best: tuple[int, int] | None = None
    for cue in STATED_YEAR.finditer(text, start, end):
        year = cue["year1"] or cue["year2"]
        distance = abs(cue.start() - position)
        if best is None or distance < best[0]:
            best = (distance, int(year))
    return best[1] if best else None
