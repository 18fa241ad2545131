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
   Awards"), bounding a period ("since 2013", "by 2030") or of a founding ("founded in 2013",
   :data:`FOUNDING_WORDS`) are not read; "last year's edition"
   states no year, so ``year`` stays None.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Final, NamedTuple

from cityevents.model import Figure, fold

# Written form -> canonical qualifier. "500+" reads as "over 500".
QUALIFIERS: Final[dict[str, str]] = {
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

# Qualifiers as usually written -> canonical: one look-up where _canonical_qualifier normalises first.
WRITTEN_QUALIFIERS: Final[dict[str, str]] = {
    form: canonical
    for written, canonical in QUALIFIERS.items()
    for form in (written, written.capitalize(), written.title(), written.upper())
}

# Counted nouns (as they appear, lower case) -> the canonical plural used in labels.
COUNTED_NOUNS: Final[dict[str, str]] = {
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
COUNTED_BIGRAMS: Final[dict[str, str]] = {
    "decision makers": "decision makers",
    "policy makers": "policy makers",
    "start ups": "startups",
    "scale ups": "scaleups",
    "side events": "side events",
}
COUNTED_SINGLE_WORDS: Final[dict[str, str]] = {"policymakers": "policy makers", "decisionmakers": "decision makers"}
# Every counted noun by its tokens, lower case, joined by a space -> its canonical label head.
COUNTED_HEADS: Final[dict[str, str]] = COUNTED_NOUNS | COUNTED_SINGLE_WORDS | COUNTED_BIGRAMS

# Modifiers that do not change what is counted.
FILLER: Final = frozenset({"level", "high", "top", "record", "total", "overall", "unique", "strong"})
# Modifiers that make a count descriptive ("five other European cities", "3 main partners").
DESCRIPTIVE: Final = frozenset({"other", "more", "additional", "further", "main", "different", "distinct"})
# Words that end the noun phrase before a counted noun is reached ("20 of the participants").
PHRASE_STOPS: Final = frozenset(
    "of and or the a an to in on at for from by with per than as who that which are were is was will "
    "have has had be been across into over under between among each".split()
)
# "In 2022", "during the year 2021": a year stated as a time.
TIME_WORDS: Final = ("in", "during", "throughout")
# "founded in 2013" dates the organisation, not the figure ("... and has since grown to 5,000 visitors").
FOUNDING_WORDS: Final = (
    "founded", "established", "launched", "created", "started", "set up", "inaugurated", "first held"
)
# A bare four-digit number after these words is a year, not a count ("In 2022 participants ...").
YEAR_PRECEDERS: Final = frozenset("in since the of by until till from for to during year edition and or".split())

SCALES: Final[dict[str, int]] = {"thousand": 1_000, "k": 1_000, "million": 1_000_000, "mln": 1_000_000,
                          "billion": 1_000_000_000, "bn": 1_000_000_000}
CURRENCY_SIGNS: Final = frozenset("$€£¥₹")

MAX_WORDS: Final = 5
MAX_MODIFIERS: Final = 3
QUALIFIER_WINDOW: Final = 40
YEAR_WINDOW: Final = 30


def _any_case(char: str) -> str:
    """``char`` as a pattern for each character that ``str.lower()`` turns into it.

    A class, not re.IGNORECASE, which also takes "ſ", "ı" and "İ" for "s" and "i": str.lower() does not.
    """
    if not char.isalpha():
        return re.escape(char)
    # The Kelvin sign is the only character outside A-Z that str.lower() makes an ASCII letter.
    kelvin = "\u212a" if char == "k" else ""
    return f"[{char}{char.upper()}{kelvin}]"


def _trie(words: Iterable[str], letter: Callable[[str], str]) -> str:
    """An alternation of ``words`` as a trie, each letter written by ``letter``.

    A trie tests each next letter once, where a flat alternation tests it once per word.
    """
    by_first: dict[str, list[str]] = {}
    for word in sorted(words):
        by_first.setdefault(word[:1], []).append(word[1:])
    branches = [letter(first) + _trie(rests, letter) for first, rests in by_first.items() if first]
    if not branches:
        return ""
    pattern = f"(?:{'|'.join(branches)})"
    return f"{pattern}?" if "" in by_first else pattern


class _Classes(NamedTuple):
    """How FIGURE writes its character classes and words for the text it scans."""

    digits: str  # inside a character class
    letter: str
    space: str  # what \s matches
    word: Callable[[str], str]  # a word's letter
    scale: Callable[[str], str]  # the alternation of SCALES words
    flags: re.RegexFlag


# Any text: Unicode classes, and words in any case that str.lower() reads as theirs.
_UNICODE: Final = _Classes(r"\d", r"[^\W\d_]", r"\s", _any_case, lambda words: f"(?i:{words})", re.NOFLAG)
# ASCII text (most of it), scanned translated by ASCII_SCAN: lower case, and every digit a "0", so
# that FIGURE opens with a literal, which sre finds by a tight loop where a class costs a test per
# character (the number's digits are read from the text itself). On it these classes and re.ASCII's
# \w and \b match what the Unicode ones do (the space class lists \x1c-\x1f, which Unicode \s takes),
# each a byte test rather than a Unicode database look-up, and the words are plain lower-case letters.
_ASCII_SCANNED: Final = _Classes(
    "0", "[a-z]", r"[ \t\n\r\f\v\x1c-\x1f]", re.escape, lambda words: words, re.ASCII
)
ASCII_SCAN: Final = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ123456789", b"abcdefghijklmnopqrstuvwxyz000000000")
_SPACE: Final = r"[ \t\u00a0]"  # between words: a phrase has no punctuation


# FIGURE: the number comes first in the pattern so the scan only stops at digits; the qualifier
# before it is read backwards from the number (an optional leading group would be tried at every
# position). Its first digit is the pattern's very first item, the left-edge tests lookbehinds just
# after it: a pattern that opens with a class or a literal lets sre skip to the next digit without
# trying a match. ``money`` notes a currency sign one space before: such a number is still consumed,
# so that its other digits are not read again. The number is atomic: fewer digits would leave a
# digit or a separator and a digit next, where nothing after it matches. The counted noun phrase is
# a lookahead: most numbers fail in the pattern, and the scan goes on right after the number. The
# phrase is its tokens up to the first counted one, none of them a stop or descriptive word: the
# lazy repeat tries the counted nouns at each token in turn. MAX_WORDS and MAX_MODIFIERS are counted
# in _label. Optional parts are written "(?:x|)", not "x?", which sre runs as a repeat it allocates.
def _figure(classes: _Classes) -> re.Pattern[str]:
    """FIGURE written with ``classes``."""
    digit, letter, space, word = f"[{classes.digits}]", classes.letter, classes.space, classes.word
    # Where a token ends: neither a letter nor an apostrophe and a letter follow.
    token_end = rf"(?!{letter}|['’]{letter})"
    # A token, atomic so that backtracking never splits one ("x'participants" is not "participants").
    token = rf"(?>{letter}+(?:['’]{letter}+|))"
    # Between tokens: "start-ups", "start ups", "e2e".
    gap = rf"(?:[{classes.digits}_'’-]+{_SPACE}*|{_SPACE}+)"
    modifier = rf"(?!{_trie(PHRASE_STOPS | DESCRIPTIVE, word)}{token_end}){token}"
    counted = "|".join(
        [
            f"{_trie([first], word)}{token_end}{gap}{_trie([second], word)}"
            for first, second in map(str.split, COUNTED_BIGRAMS)
        ]
        + [_trie(COUNTED_NOUNS.keys() | COUNTED_SINGLE_WORDS.keys(), word)]
    )
    currency = "".join(map(re.escape, sorted(CURRENCY_SIGNS)))
    return re.compile(
        rf"(?P<num>{digit}(?<![\w{currency}.,/#+:–-]{digit})(?:(?P<money>(?<=[{currency}]{space}{digit}))|)"
        rf"(?>{digit}{{0,2}}(?P<sep>[.,\u00a0\u202f ]){digit}{{3}}(?:(?P=sep){digit}{{3}})*(?!{digit})"
        rf"|{digit}*(?:[.,]{digit}+|)))"
        rf"(?:{space}+(?P<scale>{classes.scale('thousand|million|mln|billion|bn')})\b|(?P<k>[kK])\b|)"
        r"(?:(?P<plus>\+)|)"
        rf"(?=(?P<phrase>(?P<modifiers>{_SPACE}+(?:{modifier}{gap})*?)(?P<noun>(?:{counted}){token_end})))",
        classes.flags,
    )


FIGURE: Final = _figure(_UNICODE)
FIGURE_ASCII: Final = _figure(_ASCII_SCANNED)
TOKEN: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _backwards(phrases: Iterable[str]) -> str:
    """An alternation of ``phrases`` spelled backwards, longest first, any white space between words."""
    return "|".join(re.escape(p[::-1]).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


def _backwards_letter(char: str) -> str:
    """``char`` of a phrase spelled backwards as a pattern: any white space between words."""
    return r"\s+" if char == " " else re.escape(char)


# Patterns for what ends at a position are matched on the text before it, reversed (see _backwards_text):
# one anchored try, where a search would start a try at each position before it (see _backwards_text).
# The qualifiers are a trie: its greedy tails find the longest one that ends before the number.
QUALIFIER_BEFORE: Final = re.compile(
    rf"\s++(?=(?i:[{re.escape(''.join({q[-1] for q in QUALIFIERS if q != '+'}))}]))"
    rf"(?P<qual>(?i:{_trie((q[::-1] for q in QUALIFIERS if q != '+'), _backwards_letter)}))(?=[^\w.])"
)
# The word before a number and the gap after it; for a name, only spaces between them and a word
# before it ("Mobility Summit 2021").
WORD_BEFORE: Final = re.compile(r"(?:(?P<space>[ \t\u00a0]+)|\W*)(?P<word>[^\W\d_]+)(?P<after_word>[ \t\u00a0]+\w)?")
_YEAR: Final = r"(?:19|20)\d{2}(?![\w%]|[.,]\d|[–/-]\d)"
YEAR: Final = re.compile(_YEAR)
# Only a year that names a time or an edition counts ("In 2022", "the 2022 edition"): a year in a
# name ("the 2023 Awards") or bounding a period ("since 2013", "by 2030") does not.
TIME_BEFORE: Final = re.compile(rf"\s+(?:(?i:{_backwards(['the year'])})\s+)?(?i:{_backwards(TIME_WORDS)})(?=\W)")
FOUNDED_BEFORE: Final = re.compile(rf"\s+(?i:{_backwards(FOUNDING_WORDS)})(?!\w)")
EDITION: Final = re.compile(rf"(?<![\w.,/–-]){_YEAR}(?:['’]s)?\s+(?i:edition)\b")
# One character class first lets sre jump from candidate to candidate; the lookbehinds tell which.
# A break is decided by the characters around it, so a scan may start anywhere outside white space.
SENTENCE_BREAK: Final = re.compile(r"[.!?\n](?:(?<=\n)(?:\s*\n|(?=\s*[•*·▪–-]\s))|(?<!\n)(?=[\"”’)]?\s))")
# The last break before a position, in one match: the greedy prefix backtracks from the position.
LAST_SENTENCE_BREAK: Final = re.compile(rf"(?s:.*){SENTENCE_BREAK.pattern}")


def find_figures(text: str) -> list[Figure]:
    """Find audience and scale figures in ``text``.

    Args:
        text: free text, typically one event's description.

    Returns:
        The figures in order of appearance, each with the label of what is counted, its value,
        the qualifier ("almost", "over", ...) and the year it describes when the sentence says so.
    """
    figures: list[Figure] = []
    years = _StatedYears(text)
    backwards, size = years.backwards, len(text)
    if text.isascii():  # see _ASCII_SCANNED
        matches = FIGURE_ASCII.finditer(text.encode().translate(ASCII_SCAN).decode())
    else:
        matches = FIGURE.finditer(text)
    for match in matches:
        _, money, sep, scale, k, plus, phrase, modifiers, noun = match.groups()  # one call, not nine
        if money is not None:
            continue
        number = match.start()
        raw = text[number : match.end("num")]
        value = _value(raw, sep, scale or k)
        if value is None:
            continue
        # The QUALIFIER_WINDOW characters before the number backwards, and one more (see _backwards_text).
        before = QUALIFIER_BEFORE.match(backwards, size - number, size - number + QUALIFIER_WINDOW + 1)
        if before is None and _is_year(backwards, size - number, raw, sep or scale or k):
            continue
        label = _label(phrase, modifiers, noun)
        if label is None:
            continue
        if before is None:
            start, qualifier = number, QUALIFIERS["+"] if plus else None
        else:
            start = size - before.end("qual")
            qualifier = _canonical_qualifier(before["qual"][::-1])
        figures.append(Figure(label, value, qualifier, years.nearest(start), text[start : match.end("noun")]))
    return figures


class _StatedYears:
    """The years stated in the sentences of one text, read only for the sentences holding a figure."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.backwards = _backwards_text(text)
        self.start = self.end = 0  # the sentence last read and the years it states
        self.cues: list[tuple[int, int]] = []

    def nearest(self, position: int) -> int | None:
        """The year stated nearest to ``position`` within its sentence, if any."""
        if not self.start <= position < self.end:
            self.start, self.end = _sentence(self.text, position)
            self.cues = _stated_years(self.text, self.backwards, self.start, self.end)
        year, distance = None, len(self.text)
        for cue, stated in self.cues:
            if abs(cue - position) < distance:
                year, distance = stated, abs(cue - position)
        return year


def _sentence(text: str, position: int) -> tuple[int, int]:
    """The sentence around ``position`` (not white space): between the SENTENCE_BREAK ends on either side.

    Every newline of a run that has a break ends it at the run's last newline, so the last break
    before ``position`` found by backtracking ends where a scan from the start of the text puts it.
    """
    last = LAST_SENTENCE_BREAK.match(text, 0, position)
    following = SENTENCE_BREAK.search(text, position)
    return last.end() if last else 0, following.end() if following else len(text)


def _backwards_text(text: str) -> str:
    """``text`` reversed, then a space: what ends at ``text[:i]`` is read from ``len(text) - i`` on.

    The patterns matched on it end in a lookahead, standing in for a lookbehind at the start of what
    they read: it needs one more character, so a match may look at that last one (the space stands in
    before the text's start) but never take it. Reversed once per text, read with pos and endpos.
    """
    return text[::-1] + " "


def _canonical_qualifier(written: str) -> str | None:
    """The canonical qualifier; spellings that only case-insensitive matching equates ("ſome") fold to it."""
    return (
        WRITTEN_QUALIFIERS.get(written)
        or QUALIFIERS.get(" ".join(written.lower().split()))
        or QUALIFIERS.get(fold(written))
    )


def _value(raw: str, sep: str | None, scale: str | None) -> int | float | None:
    """The number's value, or None for a fraction that is not a scaled amount ("2.5 visitors")."""
    if sep:
        number: int | float = int(raw.replace(sep, ""))
    elif "." in raw or "," in raw:
        if not scale:
            return None
        number = float(raw.replace(",", "."))
    else:
        number = int(raw)
    if not scale:
        return number
    number *= SCALES.get(fold(scale), 1)  # fold, not lower(): "İ" lowers to "i" and a combining dot
    return int(number) if float(number).is_integer() else number


def _label(phrase: str, modifiers: str, noun: str) -> str | None:
    """The counted noun phrase without filler; None past MAX_WORDS words or MAX_MODIFIERS modifiers."""
    if len(phrase.split()) > MAX_WORDS:  # the second word of "decision makers" may be the sixth
        return None
    noun = noun.lower()
    # A two-word noun may be written "decision-makers" or "decision  makers": keyed by its tokens.
    head = COUNTED_HEADS.get(noun) or COUNTED_HEADS[" ".join(TOKEN.findall(noun))]
    if modifiers.isspace():
        return head
    kept: list[str] = []
    for token in TOKEN.findall(modifiers):
        if len(kept) == MAX_MODIFIERS:
            return None
        token = token.lower().replace("’", "'")
        if token not in FILLER:
            kept.append(token)
    return " ".join([*kept, head])


def _is_year(backwards: str, position: int, raw: str, scaled: str | None) -> bool:
    """An unqualified bare 19xx/20xx after "in", "since", "the", ... or in a name ("Summit 2021").

    ``position`` is where the text before the number starts in ``backwards``; ``scaled`` is the
    thousands separator, scale or "k" read with it, if any.
    """
    if scaled or len(raw) != 4 or not 1900 <= int(raw) <= 2099:
        return False
    before = WORD_BEFORE.match(backwards, position, min(position + YEAR_WINDOW, len(backwards) - 1))
    if before is None:
        return False
    space, word, after_word = before.groups()
    word = word[::-1]
    if word.lower() in YEAR_PRECEDERS:
        return True
    return bool(space and after_word) and word[0].isupper()


def _stated_years(text: str, backwards: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where ``text[start:end]`` states a year as a time or an edition, and which year."""
    cues: list[tuple[int, int]] = []
    size = len(text)
    limit = size - start + 1  # the sentence backwards, and one more (see _backwards_text)
    for year in YEAR.finditer(text, start, end):
        time = TIME_BEFORE.match(backwards, size - year.start(), limit)
        if time is not None:
            if not FOUNDED_BEFORE.match(backwards, time.end(), limit):
                cues.append((size - time.end(), int(year[0])))
        elif EDITION.match(text, year.start(), end):
            cues.append((year.start(), int(year[0])))
    return cues
