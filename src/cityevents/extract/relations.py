"""How an event relates to others: a stage or side event *part of* a parent, an edition of a *series*.

"2023 Smart Expo · Lyon Stage" is part of "Smart Expo" (a related event, never the same one);
"the U.S. edition of Smart Expo" and "Smart Expo 2024" are editions of the series "Smart Expo".
"""

from __future__ import annotations

import re
from typing import Final

NAME_PHRASE: Final = r"(?:\d{4}\s+)?[A-Z][\w&+'’\-]*(?:\s+(?:[A-Z0-9][\w&+'’\-]*|of|for|and|&|on|the|in|de|du))*"
CHILD_WORDS: Final = r"(?:Stage|Edition|Chapter|Satellite|Side[- ]Events?|Pavilion|Track|Hub|Pre-?Event|Fringe)"
STAGE_SEPARATORS: Final = "·|:–—"  # a stage's name holds one; testing for them is cheaper than the pattern
# One class scan of a non-ASCII name instead of a substring scan per separator.
STAGE_SEPARATOR: Final = re.compile(f"[{STAGE_SEPARATORS}]")
STAGE_NAME: Final = re.compile(
    rf"^(?P<parent>.+?)\s*[{STAGE_SEPARATORS}]\s*(?P<child>.*\b{CHILD_WORDS})$", re.IGNORECASE
)
PART_OF_PHRASE: Final = re.compile(
    rf"\b(?:sub-venue|side[- ]event|satellite(?: event)?|stage|chapter|pre-event|fringe event)\s+of\s+(?:the\s+)?"
    rf"(?P<parent>{NAME_PHRASE})"
)
EDITION_OF: Final = re.compile(rf"\b(?:edition|version|spin-off|offshoot)\s+of\s+(?:the\s+)?(?P<series>{NAME_PHRASE})")
# Each pattern above needs an "of" right after (but for whitespace) a word ending in one of these
# (case-sensitive, like the patterns). Descriptions hold one or two "of"s: looking behind each is far
# cheaper than a substring scan per word, let alone a regex scan of a description without a match.
PART_OF_ENDINGS: Final = ("sub-venue", "event", "satellite", "stage", "chapter")
EDITION_ENDINGS: Final = ("edition", "version", "spin-off", "offshoot")


def _after_last_of(endings: tuple[str, ...]) -> tuple[str, ...]:
    """Each ending after its last "of" ("spin-off" -> "f"): what text between two "of"s can show of it."""
    return tuple(ending.rsplit("of", 1)[-1] for ending in endings)


PART_OF_TAILS: Final = _after_last_of(PART_OF_ENDINGS)
EDITION_TAILS: Final = _after_last_of(EDITION_ENDINGS)
# A year or ordinal, "\b(?:(?:19|20)\d{2}|\d+(?:st|nd|rd|th))\b" under IGNORECASE, written to start with a
# digit (the "\b" before it checked behind) so that the search skips to the next digit instead of trying
# every position; the suffix classes hold exactly what IGNORECASE matches ("ſ" is an "s").
YEARS_AND_ORDINALS: Final = re.compile(
    r"\d(?<!\w\d)(?:(?<=1)9\d{2}|(?<=2)0\d{2}|\d*(?:[sSſ][tT]|[nN][dD]|[rR][dD]|[tT][hH]))\b"
)
ACRONYM_IN_PARENS: Final = re.compile(r"\s*\([^)]*\)")


def bare_title(name: str) -> str:
    """The name without years, ordinals and parenthesised acronyms: "9th Expo (EX) 2024" -> "Expo"."""
    text = ACRONYM_IN_PARENS.sub(" ", name) if "(" in name else name
    text = YEARS_AND_ORDINALS.sub(" ", text)
    return " ".join(text.split()).strip(" -–—·|:,")


def find_parent(name: str, text: str) -> str | None:
    """The event this one is a stage or side event of, from its name first, else its description."""
    # Of the separators only ":" and "|" are ASCII: two substring tests settle an ASCII name for less
    # than a class scan.
    has_separator = ":" in name or "|" in name or (not name.isascii() and STAGE_SEPARATOR.search(name))
    match = STAGE_NAME.match(name) if has_separator else None
    if match:
        parent = bare_title(match.group("parent"))
        if parent:
            return parent
    match = PART_OF_PHRASE.search(text) if _of_follows(text, PART_OF_ENDINGS, PART_OF_TAILS) else None
    if match:
        return bare_title(match.group("parent")) or None
    return None


def find_series(name: str, text: str, edition: str | None) -> str | None:
    """The recurring event this is an edition of."""
    match = EDITION_OF.search(text) if _of_follows(text, EDITION_ENDINGS, EDITION_TAILS) else None
    if match:
        series = bare_title(match.group("series"))
        if series and series.lower() != bare_title(name).lower():
            return series
    if edition:
        return bare_title(name) or None
    return None


def _of_follows(text: str, endings: tuple[str, ...], tails: tuple[str, ...]) -> bool:
    """Whether some "of" in ``text`` comes after a word ending in one of ``endings`` and whitespace only.

    ``tails`` are the endings after their last "of" (see :func:`_after_last_of`).
    """
    # One split in C finds every "of", cheaper than a find() call per "of". Where the text before an "of"
    # ends in an ending, the piece between it and the "of" before ends in its tail; only then (rarely)
    # does the whole text need a look.
    pieces = text.split("of")
    del pieces[-1]
    for piece in pieces:
        if piece.rstrip().endswith(tails):
            return _of_follows_each(text, endings)
    return False


def _of_follows_each(text: str, endings: tuple[str, ...]) -> bool:
    """:func:`_of_follows`, looking behind each "of" in the whole text."""
    of = text.find("of")
    while of >= 0:
        # A bounded look behind keeps long texts linear; only whitespace runs of some 50 characters need more.
        before = text[max(0, of - 64) : of].rstrip()
        if len(before) < 16:
            before = text[:of].rstrip()
        if before.endswith(endings):
            return True
        of = text.find("of", of + 2)
    return False
