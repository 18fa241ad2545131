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
from typing import Final

from cityevents.extract.casefold import lowers_plainly

# Upper-case letters of Latin scripts, for a case-sensitive name grammar that handles "Émilie", "Łódź".
_UPPER: Final = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
# "W4RES", "Baden-Württemberg", "U.S.": runs of word characters, joined by a "." that is followed by a
# word character or follows a lone capital (a run first: the search eats it in one step).
_CAP: Final = rf"[{_UPPER}][\w'’&-]*(?:(?:\.(?=\w)|(?<=\b[A-Z])\.)[\w'’&-]*)*"
_CONNECTOR: Final = r"(?:of(?:\s+the)?|for|de|del|della|di|du|des|da|do|dos|das|von|van|der|den|zu|y|et)"
NAME: Final = re.compile(rf"{_CAP}(?:\s+(?:{_CONNECTOR}\s+)?{_CAP})*")
# NAME as the last part of a pattern, where it never has to give characters back: possessive repeats skip
# the search's bookkeeping for backtracking (backtracking could not make a shorter name match anyway), the
# "." of an abbreviation is read before its two conditions are tried, and the ASCII word characters come
# first in the character class, where a bitmap finds them before the Unicode \w lookup.
_NAME_CHAR: Final = r"[A-Za-z0-9_\w'’&-]"
_FINAL_CAP: Final = rf"[{_UPPER}]{_NAME_CHAR}*+(?:\.(?:(?=\w)|(?<=\b[A-Z]\.)){_NAME_CHAR}*+)*+"
_FINAL_NAME: Final = rf"{_FINAL_CAP}(?:\s++(?:{_CONNECTOR}\s++)?+{_FINAL_CAP})*+"

_HOST_NOUN: Final = (
    r"(?:initiative|event|project|programme|program|platform|conference|forum|summit|congress|network)s?"
)
# The lookahead (the first two letters any cue can start with) comes first: it rejects most positions
# in one or two class tests, where trying every alternative at each word start costs twice as much.
_CUE: Final = (
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
CUES: Final = re.compile(rf"(?i:{_CUE})\s+")
# The same on a fold-safe lower-cased copy (see casefold), where case-sensitive tests are cheaper, less
# the word boundary before it: one alternative per first letter, in CUES' order, with possessive repeats
# (a run of spaces or letters is always followed by a letter or a space, so giving part back never helps).
_LED_BY: Final = r"s?\s++(?:driven|led|run)\s++by"
_LOWERED_CUE: Final = (
    r"(?:a(?:n?\s++(?:event|initiative)\s++(?:of|by)|n?\s++(?:[a-z]++\s++)?events\s++of)"
    r"|brought\s++to\s++you\s++by"
    rf"|co(?:-?organi[sz]ed\s++by|-?organi[sz]ed\s++with|-?hosted\s++by|(?:nference|ngress){_LED_BY}"
    r"|(?:llaboration|operation|llaborative\s++[a-z]++)\s++between)"
    rf"|event{_LED_BY}"
    rf"|forum{_LED_BY}"
    r"|hosted\s++by"
    rf"|i(?:nitiative{_LED_BY}|n\s++(?:partnership|collaboration|cooperation)\s++with)"
    r"|joint\s++(?:effort|initiative)\s++between"
    rf"|network{_LED_BY}"
    r"|organi[sz]ed\s++by"
    rf"|p(?:resented\s++by|(?:roject|rogramme|rogram|latform){_LED_BY}|artnership\s++between)"
    rf"|summit{_LED_BY}"
    r"|the\s++(?:[a-z]++\s++)?events\s++of"
    r")\s++"
)
# A cue at the start of a text, and one after a non-word character (that is, at a word boundary): the
# search for that character skips along the letters far faster than trying a cue at each of them.
LOWERED_CUE: Final = re.compile(_LOWERED_CUE)
CUE_AFTER_BREAK: Final = re.compile(rf"\W{_LOWERED_CUE}")
FROM_CUE: Final = re.compile(
    r"(?i:\bevents?\s+(?:for|on|about|in))\s+(?:[a-z][\w-]*\s+){1,4}(?i:from)\s+(?:the\s+)?"
    rf"(?P<name>{NAME.pattern})(?=\s*(?:[.,;:!?)]|$))"
)
# Found verb first, then the name is read backwards within MAX_NAME_CHARS: anchoring a name pattern
# before the verb would rescan every capitalised run to its end (quadratic on long runs).
ACTIVE_CUE: Final = re.compile(
    rf"\s+(?i:(?:organi[sz]es|hosts|is\s+organi[sz]ing|is\s+hosting)\s+(?:the|this)\s+{_HOST_NOUN})\b"
)

# Words (lower case) without one of which CUES cannot match; FROM_CUE cannot without "from" and "event".
CUE_WORDS: Final = ("by", "with", "between", "event", "initiative")
# The verbs without one of which ACTIVE_CUE cannot match (lower case), as two patterns with a literal
# start, which the search skips to far faster than it tests six words.
ORGANISES: Final = re.compile("organi[sz](?:es|ing)")
HOSTS: Final = re.compile("host(?:s|ing)")

# Written as single-character alternatives (the "." checked after it is read) so that the search can
# skip to the next of these characters instead of trying the pattern at every position.
CLAUSE_END: Final = re.compile(r";|:|!|\?|\n|\.(?<!\b[A-Z]\.)(?=\s|$)")
PARENTHESISED: Final = re.compile(r"\s*\([^()]*\)")
STRAY_PARENTHESIS: Final = re.compile(r"[()]")
# The lookahead rejects most positions (letters) before the alternatives are tried.
LIST_SEPARATOR: Final = re.compile(r"(?=[\s,])(?:\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+)")
LEADING_ARTICLE: Final = re.compile(r"^(?:the|The|THE)\s+")
# A list item: stripped of whitespace and a leading "the" (never given back, as removing it came first),
# then its proper name, if any, in one match.
LIST_ITEM: Final = re.compile(rf"\s*(?:(?:the|The|THE)\s+(?=\S))?+(?P<name>{_FINAL_NAME})?")
# The common item, a bare name ending at a separator (LIST_SEPARATOR, with possessive repeats) or at the
# end of the list, in one match: no separator can start inside a name, so the one after it ends its item.
BARE_NAME_ITEM: Final = re.compile(
    rf"\s*+(?:(?:the|The|THE)\s++(?=\S))?+(?P<name>{_FINAL_NAME})"
    r"(?:\s*+,\s*+(?:(?:and|&)\s++)?+|\s++(?:and|&)\s++|\s*+\Z)"
)
ACRONYM: Final = re.compile(rf"[{_UPPER}0-9&-]{{2,}}")
FIRST_WORD: Final = re.compile(r"[^\W\d_]+")

# A lower-case word that can follow a name without the name being a modifier ("City of X for the
# 2023 edition", "ICLEI, which ...") or that starts a new clause when it opens a list item.
CLAUSE_WORDS: Final = frozenset(
    "will would is are was were has have had be been being which who whose that this these those it its "
    "their they we for in at on to with as since during under from by through together alongside jointly "
    "where while when but also now then both each within across after before until".split()
)
# Names made only of these words are generic, not names of organizers.
GENERIC_WORDS: Final = frozenset(
    "the a local regional national government governments conference conferences organizers organisers "
    "organizing organising committee committees city cities municipality municipalities partner partners "
    "team teams event events organisation organisations organization organizations project projects "
    "institution institutions association company companies sponsor sponsors our their its".split()
)
MAX_LIST_CHARS: Final = 300
# "Organiser: Delta Cities Network" / "Hosted by: ..." on a line of its own, as event pages write it.
LABELLED: Final = re.compile(
    r"^[ \t]*(?:organi[sz]ers?|organi[sz]ed\s+by|hosts?|hosted\s+by|presented\s+by)[ \t]*:[ \t]*(?P<names>\S[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
MAX_NAME_CHARS: Final = 120
# Fields of activity that institutions are "of" ("Ministry of Communications and Information Technology").
FIELD_WORDS: Final = frozenset(
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
    # Substring tests on a lower-cased copy rule out cues far faster than a regex scan.
    lowered: str | None
    if text.isascii():
        lowered = text.lower()
    elif not lowers_plainly(text):
        lowered = None
    else:
        # Where text.lower() has the patterns' letters, so has a copy with only its ASCII letters
        # lower-cased (every other character lowers to a non-ASCII one of the same kind, word or space);
        # bytes.lower() makes that copy for a fraction of what str.lower() costs on non-ASCII text.
        lowered = text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    starts = _cue_ends(text, lowered)
    found = _other_mentions(text, lowered)
    if found:
        found.extend([(start, index, name)
                      for start in starts for index, name in enumerate(_names_in_list(text, start))])
        raw_names = [name for _, _, name in sorted(found)]
    else:  # the cue lists alone come in text order already
        raw_names = [name for start in starts for name in _names_in_list(text, start)]
    names: list[str] = []
    seen: set[str] = set()
    for raw in raw_names:
        # A name starts and ends with a non-space; printable, it has no whitespace but " ".
        name = raw if raw.isprintable() and "  " not in raw else " ".join(raw.split())
        key = name.casefold()
        # The last word rules out most names before the whole name is lower-cased and split: a word that
        # lower-cases to a (plain ASCII) generic word case-folds to the same.
        if key not in seen and not (key[key.rfind(" ") + 1 :] in GENERIC_WORDS
                                    and GENERIC_WORDS.issuperset(name.lower().split())):
            seen.add(key)
            names.append(name)
    return names


def _other_mentions(text: str, lowered: str | None) -> list[tuple[int, int, str]]:
    """Names found by FROM_CUE, ACTIVE_CUE and LABELLED, as (offset of the list, index in the list, name)."""
    found: list[tuple[int, int, str]] = []
    if lowered is None or ("from" in lowered and "event" in lowered):
        for match in FROM_CUE.finditer(text):
            name = match["name"]
            if " " in name or ACRONYM.fullmatch(name):
                found.append((match.start("name"), 0, name))
    if lowered is None or _has_active_verb(lowered):
        for match in ACTIVE_CUE.finditer(text):
            verb = match.start()
            subject = [m for m in NAME.finditer(text, max(0, verb - MAX_NAME_CHARS), verb) if m.end() == verb]
            if subject:
                found.append((subject[0].start(), 0, LEADING_ARTICLE.sub("", subject[0].group())))
    for match in LABELLED.finditer(text) if ":" in text else ():
        found.extend([(match.start("names"), index, name)
                      for index, name in enumerate(_names_in_list(text, match.start("names")))])
    return found


def _has_active_verb(lowered: str) -> bool:
    """Whether ``lowered`` has a verb of ACTIVE_CUE (see ORGANISES, HOSTS)."""
    # Substring tests skip along far faster than a regex search: the search for "organi..." starts at the
    # first "organi" (common in "organised by"), and "host" is rare.
    organi = lowered.find("organi")
    if organi >= 0 and ORGANISES.search(lowered, organi):
        return True
    return "host" in lowered and HOSTS.search(lowered) is not None


def _cue_ends(text: str, lowered: str | None) -> list[int]:
    """Where each match of ``CUES.finditer(text)`` ends, found by searching only where a cue word is.

    A cue holds a cue word and never spans a ".", nor does its match look past one; so from the next cue
    word on, only its sentence needs searching.
    """
    if lowered is None:
        return [cue.end() for cue in CUES.finditer(text)]
    ends: list[int] = []
    position = 0
    words: tuple[str, ...] | list[str] = CUE_WORDS
    while True:
        word = -1
        present: list[str] = []  # a word missing after this position is not looked for again
        for cue_word in words:
            index = lowered.find(cue_word, position)
            if index >= 0:
                present.append(cue_word)
                if word < 0 or index < word:
                    word = index
        if word < 0:
            return ends
        words = present
        end = lowered.find(".", word)
        end = end if end >= 0 else len(text)
        start = max(position, lowered.rfind(".", 0, word) + 1)  # 0, or after a "." or a cue's last space
        if start:
            cue = CUE_AFTER_BREAK.search(lowered, start - 1, end)
        else:
            cue = LOWERED_CUE.match(lowered, 0, end) or CUE_AFTER_BREAK.search(lowered, 0, end)
        position = cue.end() if cue else end
        if cue:
            ends.append(position)


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
    position = 0  # where the current item starts, as if split by LIST_SEPARATOR
    while True:
        bare = BARE_NAME_ITEM.match(segment, position)
        if bare:
            names.append(bare[1])  # the name
            position = bare.end()
            if position == len(segment):  # any item left is empty
                break
            continue
        separator = LIST_SEPARATOR.search(segment, position)
        item_end = separator.start() if separator else len(segment)
        if not _read_item(segment, position, item_end, names):
            break
        if separator is None:
            break
        position = separator.end()
    return _rejoined_fields(names, segment) if len(names) > 1 else names


def _read_item(segment: str, start: int, end: int, names: list[str]) -> bool:
    """Add the name of the list item ``segment[start:end]`` to ``names``, if any; whether the list goes on."""
    parsed = LIST_ITEM.match(segment, start, end)
    assert parsed is not None  # every part of the pattern is optional
    name = parsed["name"]
    if name is None:
        first = FIRST_WORD.match(segment, parsed.end(), end)
        return not (first and first.group() in CLAUSE_WORDS)
    rest = segment[parsed.end() : end].strip()
    follower = FIRST_WORD.match(rest) if rest else None
    if follower and follower.group().islower() and not _ends_noun_phrase(follower.group()):
        return True
    names.append(name)
    return not rest


def _rejoined_fields(names: list[str], segment: str) -> list[str]:
    """Names the list split at an "and" inside "X of <field> and <field>", joined again."""
    joined: list[str] = []
    for name in names:
        # The last word rules out most names before the whole name is lower-cased and split.
        if (joined and " of " in joined[-1] and name.rsplit(None, 1)[-1].lower() in FIELD_WORDS
                and FIELD_WORDS.issuperset(name.lower().split())):
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
