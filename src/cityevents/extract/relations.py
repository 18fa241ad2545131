"""How an event relates to others: a stage or side event *part of* a parent, an edition of a *series*.

"2023 Smart Expo · Lyon Stage" is part of "Smart Expo" (a related event, never the same one);
"the U.S. edition of Smart Expo" and "Smart Expo 2024" are editions of the series "Smart Expo".
"""

from __future__ import annotations

import re

NAME_PHRASE = r"(?:\d{4}\s+)?[A-Z][\w&+'’\-]*(?:\s+(?:[A-Z0-9][\w&+'’\-]*|of|for|and|&|on|the|in|de|du))*"
CHILD_WORDS = r"(?:Stage|Edition|Chapter|Satellite|Side[- ]Events?|Pavilion|Track|Hub|Pre-?Event|Fringe)"
STAGE_SEPARATORS = "·|:–—"  # a stage's name holds one; testing for them is cheaper than the pattern
# One class scan of the name instead of a substring scan per separator.
STAGE_SEPARATOR = re.compile(f"[{STAGE_SEPARATORS}]")
STAGE_NAME = re.compile(
    rf"^(?P<parent>.+?)\s*[{STAGE_SEPARATORS}]\s*(?P<child>.*\b{CHILD_WORDS})$", re.IGNORECASE
)
PART_OF_PHRASE = re.compile(
    rf"\b(?:sub-venue|side[- ]event|satellite(?: event)?|stage|chapter|pre-event|fringe event)\s+of\s+(?:the\s+)?"
    rf"(?P<parent>{NAME_PHRASE})"
)
EDITION_OF = re.compile(rf"\b(?:edition|version|spin-off|offshoot)\s+of\s+(?:the\s+)?(?P<series>{NAME_PHRASE})")
# Each pattern above needs an "of" right after (but for whitespace) a word ending in one of these
# (case-sensitive, like the patterns). Descriptions hold one or two "of"s: looking behind each is far
# cheaper than a substring scan per word, let alone a regex scan of a description without a match.
PART_OF_ENDINGS = ("sub-venue", "event", "satellite", "stage", "chapter")
EDITION_ENDINGS = ("edition", "version", "spin-off", "offshoot")
# A year or ordinal, "\b(?:(?:19|20)\d{2}|\d+(?:st|nd|rd|th))\b" under IGNORECASE, written to start with a
# digit (the "\b" before it checked behind) so that the search skips to the next digit instead of trying
# every position; the suffix classes hold exactly what IGNORECASE matches ("ſ" is an "s").
YEARS_AND_ORDINALS = re.compile(
    r"\d(?<!\w\d)(?:(?<=1)9\d{2}|(?<=2)0\d{2}|\d*(?:[sSſ][tT]|[nN][dD]|[rR][dD]|[tT][hH]))\b"
)
ACRONYM_IN_PARENS = re.compile(r"\s*\([^)]*\)")


def bare_title(name: str) -> str:
    """The name without years, ordinals and parenthesised acronyms: "9th Expo (EX) 2024" -> "Expo"."""
    text = ACRONYM_IN_PARENS.sub(" ", name) if "(" in name else name
    text = YEARS_AND_ORDINALS.sub(" ", text)
    return " ".join(text.split()).strip(" -–—·|:,")


def find_parent(name: str, text: str) -> str | None:
    """The event this one is a stage or side event of, from its name first, else its description."""
    match = STAGE_NAME.match(name) if STAGE_SEPARATOR.search(name) else None
    if match:
        parent = bare_title(match.group("parent"))
        if parent:
            return parent
    match = PART_OF_PHRASE.search(text) if _of_follows(text, PART_OF_ENDINGS) else None
    if match:
        return bare_title(match.group("parent")) or None
    return None


def find_series(name: str, text: str, edition: str | None) -> str | None:
    """The recurring event this is an edition of."""
    match = EDITION_OF.search(text) if _of_follows(text, EDITION_ENDINGS) else None
    if match:
        series = bare_title(match.group("series"))
        if series and series.lower() != bare_title(name).lower():
            return series
    if edition:
        return bare_title(name) or None
    return None


def _of_follows(text: str, endings: tuple[str, ...]) -> bool:
    """Whether some "of" in ``text`` comes after a word ending in one of ``endings`` and whitespace only."""
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
