"""Organizer names from announcement prose: "organised by X", "co-organised with X", "driven by X and Y".

How it reads, in order:

1. A cue (:data:`CUES`) opens a list: "organised/organized by", "co-organised by/with", "hosted by",
   "presented by", "brought to you by", "an event/initiative of", "the (international) events of",
   "in partnership/collaboration with", "a collaboration between"; "driven/led/run by" only right
   after "initiative", "event", "project", ... (so "transformation driven by AI" gives nothing).
   "X organises/hosts the event" (:data:`ACTIVE_CUE`) names X. "powered by" is deliberately not a
   cue: it names sponsors and award brands far more often than organizers.
2. The list runs to the end of the clause (``.;:!?``, a line break or a stray parenthesis);
   parenthesised asides ("(EEA)", "(Horizon2020)") are dropped, the rest is split on ",", "and", "&".
3. Each item keeps only a capitalised proper name (:data:`NAME`: capitalised words, joined by "of",
   "for", "de", ...), after a leading "the". Items that are not names ("the local government",
   "6 EU-funded projects", "over 100 organisations") are skipped; a capitalised word that only
   modifies a common noun ("EU institutions") is skipped too; an item that starts a new clause
   ("will now be ...") ends the list.
4. "event ... from X" (:data:`FROM_CUE`, e.g. "the leading event for cities from Fira Barcelona")
   is weaker, so X must close the clause and be two words or more, or an acronym: "from cities
   across Europe", "speakers from EU institutions" and "from Germany" give nothing.

Names made only of generic words ("Conference Organizers", "Local Government") are dropped.
Results are deduplicated case-insensitively and kept in order of appearance.

"and" joins two names, except inside "X of <field> and <field>": when the part after "and" is made only
of field words (:data:`FIELD_WORDS`: "Ministry of Science and Technology", "Chamber of Commerce &
Industry") it stays in the name; "City of Lisbon and Urban Futures Network" stays two names.
"""

from __future__ import annotations

import re

# Upper-case letters of Latin scripts, for a case-sensitive name grammar that handles "Émilie", "Łódź".
_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
# "W4RES", "Baden-Württemberg", "U.S.": runs of word characters, joined by a "." that is followed by a
# word character or follows a lone capital (a run first: the search eats it in one step).
_CAP = rf"[{_UPPER}][\w'’&-]*(?:(?:\.(?=\w)|(?<=\b[A-Z])\.)[\w'’&-]*)*"
_CONNECTOR = r"(?:of(?:\s+the)?|for|de|del|della|di|du|des|da|do|dos|das|von|van|der|den|zu|y|et)"
NAME = re.compile(rf"{_CAP}(?:\s+(?:{_CONNECTOR}\s+)?{_CAP})*")

_HOST_NOUN = (
    r"(?:initiative|event|project|programme|program|platform|conference|forum|summit|congress|network)s?"
)
# The lookahead (the first two letters any cue can start with) comes first: it rejects most positions
# in one or two class tests, where trying every alternative at each word start costs twice as much.
_CUE = (
    r"(?=[abcefhijnopst][aehlnoruv\s])\b(?:"
    r"(?:co-?)?organi[sz]ed\s+by|co-?organi[sz]ed\s+with|(?:co-?)?hosted\s+by|presented\s+by"
    r"|brought\s+to\s+you\s+by|an?\s+(?:event|initiative)\s+(?:of|by)"
    r"|(?:an?|the)\s+(?:[a-z]+\s+)?events\s+of"
    rf"|{_HOST_NOUN}\s+(?:driven|led|run)\s+by"
    r"|in\s+(?:partnership|collaboration|cooperation)\s+with"
    r"|(?:collaboration|cooperation|partnership|joint\s+(?:effort|initiative)|collaborative\s+[a-z]+)"
    r"\s+between"
    r")"
)
CUES = re.compile(rf"(?i:{_CUE})\s+")
# The same on a fold-safe lower-cased copy (see FOLD_UNSAFE), where case-sensitive tests are cheaper.
LOWERED_CUES = re.compile(rf"{_CUE}\s+")
FROM_CUE = re.compile(
    r"(?i:\bevents?\s+(?:for|on|about|in))\s+(?:[a-z][\w-]*\s+){1,4}(?i:from)\s+(?:the\s+)?"
    rf"(?P<name>{NAME.pattern})(?=\s*(?:[.,;:!?)]|$))"
)
# Found verb first, then the name is read backwards within MAX_NAME_CHARS: anchoring a name pattern
# before the verb would rescan every capitalised run to its end (quadratic on long runs).
ACTIVE_CUE = re.compile(
    rf"\s+(?i:(?:organi[sz]es|hosts|is\s+organi[sz]ing|is\s+hosting)\s+(?:the|this)\s+{_HOST_NOUN})\b"
)

# Words (lower case) without one of which CUES / FROM_CUE cannot match ("from" first: "event" is common).
CUE_WORDS = ("by", "with", "between", "event", "initiative")
FROM_CUE_WORDS = ("from", "event")
# The verbs without one of which ACTIVE_CUE cannot match (lower case), as two patterns with a literal
# start, which the search skips to far faster than it tests six words.
ORGANISES = re.compile("organi[sz](?:es|ing)")
HOSTS = re.compile("host(?:s|ing)")
# Under IGNORECASE "ı" and "ſ" match "i" and "s" but lower() keeps them, and "İ" lowers to two
# characters: with none of these, text.lower() has the patterns' letters where the text has them.
FOLD_UNSAFE = re.compile("[\u0130\u0131\u017f]")

# Written as single-character alternatives (the "." checked after it is read) so that the search can
# skip to the next of these characters instead of trying the pattern at every position.
CLAUSE_END = re.compile(r";|:|!|\?|\n|\.(?<!\b[A-Z]\.)(?=\s|$)")
PARENTHESISED = re.compile(r"\s*\([^()]*\)")
STRAY_PARENTHESIS = re.compile(r"[()]")
# The lookahead rejects most positions (letters) before the alternatives are tried.
LIST_SEPARATOR = re.compile(r"(?=[\s,])(?:\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+)")
LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
# A list item: stripped of whitespace and a leading "the" (never given back, as removing it came first),
# then its proper name, if any, in one match.
LIST_ITEM = re.compile(rf"\s*(?:(?:the|The|THE)\s+(?=\S))?+(?P<name>{NAME.pattern})?")
ACRONYM = re.compile(rf"[{_UPPER}0-9&-]{{2,}}")
FIRST_WORD = re.compile(r"[^\W\d_]+")

# A lower-case word that can follow a name without the name being a modifier ("City of X for the
# 2023 edition", "ICLEI, which ...") or that starts a new clause when it opens a list item.
CLAUSE_WORDS = frozenset(
    "will would is are was were has have had be been being which who whose that this these those it its "
    "their they we for in at on to with as since during under from by through together alongside jointly "
    "where while when but also now then both each within across after before until".split()
)
# Names made only of these words are generic, not names of organizers.
GENERIC_WORDS = frozenset(
    "the a local regional national government governments conference conferences organizers organisers "
    "organizing organising committee committees city cities municipality municipalities partner partners "
    "team teams event events organisation organisations organization organizations project projects "
    "institution institutions association company companies sponsor sponsors our their its".split()
)
MAX_LIST_CHARS = 300
# "Organiser: Delta Cities Network" / "Hosted by: ..." on a line of its own, as event pages write it.
LABELLED = re.compile(
    r"^[ \t]*(?:organi[sz]ers?|organi[sz]ed\s+by|hosts?|hosted\s+by|presented\s+by)[ \t]*:[ \t]*(?P<names>\S[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
MAX_NAME_CHARS = 120
# Fields of activity that institutions are "of" ("Ministry of Communications and Information Technology").
FIELD_WORDS = frozenset(
    "technology technologies information communication communications industry industries innovation trade "
    "commerce development planning transport transportation infrastructure research education science "
    "sciences culture environment energy housing health economy finance affairs works water mobility tourism "
    "sport sports digital urban rural regional public social climate agriculture security safety justice "
    "employment labour labor welfare heritage arts design engineering technical".split()
)


def find_organizers(text: str) -> list[str]:
    """Find the names of the organizations that organise, host or drive an event.

    Args:
        text: free text, typically one event's description.

    Returns:
        Proper names in order of appearance, without a leading "the" or a trailing "(ACRONYM)",
        deduplicated case-insensitively.
    """
    found: list[tuple[int, int, str]] = []  # (offset of the list, index in the list, name)
    # Substring tests on a lower-cased copy rule out cues far faster than a regex scan.
    lowered = text.lower() if text.isascii() or not FOLD_UNSAFE.search(text) else None
    for start in _cue_ends(text, lowered):
        found.extend([(start, index, name) for index, name in enumerate(_names_in_list(text, start))])
    if lowered is None or all(map(lowered.__contains__, FROM_CUE_WORDS)):
        for match in FROM_CUE.finditer(text):
            name = match["name"]
            if " " in name or ACRONYM.fullmatch(name):
                found.append((match.start("name"), 0, name))
    if lowered is None or ORGANISES.search(lowered) or HOSTS.search(lowered):
        for match in ACTIVE_CUE.finditer(text):
            verb = match.start()
            subject = [m for m in NAME.finditer(text, max(0, verb - MAX_NAME_CHARS), verb) if m.end() == verb]
            if subject:
                found.append((subject[0].start(), 0, LEADING_ARTICLE.sub("", subject[0].group())))
    for match in LABELLED.finditer(text) if ":" in text else ():
        found.extend([(match.start("names"), index, name)
                      for index, name in enumerate(_names_in_list(text, match.start("names")))])
    names: list[str] = []
    seen: set[str] = set()
    for _, _, raw in sorted(found):
        name = " ".join(raw.split())
        key = name.casefold()
        if key not in seen and not _is_generic(name):
            seen.add(key)
            names.append(name)
    return names


def _cue_ends(text: str, lowered: str | None) -> list[int]:
    """Where each match of ``CUES.finditer(text)`` ends, found by searching only where a cue word is.

    A cue holds a cue word and never spans a ".", nor does its match look past one; so from the next cue
    word on, only its sentence needs searching.
    """
    if lowered is None:
        return [cue.end() for cue in CUES.finditer(text)]
    ends: list[int] = []
    position = 0
    while (word := _next_cue_word(lowered, position)) >= 0:
        end = lowered.find(".", word)
        end = end if end >= 0 else len(text)
        cue = LOWERED_CUES.search(lowered, max(position, lowered.rfind(".", 0, word) + 1), end)
        if cue:
            ends.append(cue.end())
        position = cue.end() if cue else end
    return ends


def _next_cue_word(lowered: str, start: int) -> int:
    """Where the first cue word at or after ``start`` is, or -1."""
    first = -1
    for word in CUE_WORDS:
        index = lowered.find(word, start)
        if index >= 0 and (first < 0 or index < first):
            first = index
    return first


def _names_in_list(text: str, start: int) -> list[str]:
    """The proper names in the list that starts at ``start``."""
    end_match = CLAUSE_END.search(text, start, start + MAX_LIST_CHARS)
    segment = text[start : end_match.start() if end_match else start + MAX_LIST_CHARS]
    if "(" in segment or ")" in segment:
        segment = PARENTHESISED.sub("", segment)
        stray = STRAY_PARENTHESIS.search(segment)
        if stray:
            segment = segment[: stray.start()]
    names: list[str] = []
    for item in LIST_SEPARATOR.split(segment):
        parsed = LIST_ITEM.match(item)
        assert parsed is not None  # every part of the pattern is optional
        name = parsed["name"]
        if name is None:
            first = FIRST_WORD.match(item, parsed.end())
            if first and first.group() in CLAUSE_WORDS:
                break
            continue
        rest = item[parsed.end() :].strip()
        follower = FIRST_WORD.match(rest) if rest else None
        if follower and follower.group().islower() and not _ends_noun_phrase(follower.group()):
            continue
        names.append(name)
        if rest:
            break
    return _rejoined_fields(names, segment)


def _rejoined_fields(names: list[str], segment: str) -> list[str]:
    """Names the list split at an "and" inside "X of <field> and <field>", joined again."""
    joined: list[str] = []
    for name in names:
        if joined and " of " in joined[-1] and FIELD_WORDS.issuperset(name.lower().split()):
            whole = next((f"{joined[-1]}{conj}{name}" for conj in (" and ", " & ")
                          if f"{joined[-1]}{conj}{name}" in segment), None)
            if whole is not None:
                joined[-1] = whole
                continue
        joined.append(name)
    return joined


def _ends_noun_phrase(word: str) -> bool:
    """Whether ``word`` after a name shows the name was complete (a verb, adverb or function word)."""
    return word in CLAUSE_WORDS or word.endswith(("ed", "ly"))


def _is_generic(name: str) -> bool:
    return GENERIC_WORDS.issuperset(name.lower().split())
