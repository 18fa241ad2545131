"""One record per event: combine what several documents say about it.

Each document's statement about an event is a :class:`Claim`. :func:`merge_claims` recomputes the
catalog record from all of an event's claims, so re-reading a changed document simply replaces
its claim and the record follows.

Conflict policy, applied field by field (dates and place are each chosen as one group, so a start
from one source is never paired with an end from another):

0. **a moderator's edit** - a claim from the ``moderation`` extractor (document
   ``moderation:<actor>``, see :mod:`cityevents.catalog.moderation`) sets the fields named in its
   ``Source.fields`` outright, empty values and lists included, whatever the documents say; of two
   such claims the one seen later wins;
1. **structured over prose** - a value from a structured extractor (JSON-LD, iCalendar, CSV) beats
   a feed's, which beats one read from prose (text, HTML, PDF);
2. **specific over vague** - a date range with times beats a bare date, a city beats only a country,
   a longer name beats an acronym, a stated status beats the default;
3. **newer over older** - the document published (or, failing that, seen) later wins;
4. **first source** - otherwise the claim seen first keeps its value.

Whenever another claim states a different non-empty value, a :class:`Conflict` records both values,
their documents and the rule that decided. List fields (organizers, topics, aliases, figures) are
unions and never conflict; other names of the event become aliases.

Matching (:func:`same_event`) decides whether a newly read event is one the catalog already holds
under another id. It needs every one of:

* **dates within a day** of each other (both stated);
* **the same place**: city names equal after folding ("Neuchatel" / "Neuchâtel"); otherwise
  coordinates within ``SAME_PLACE_KM`` or, without coordinates, a near spelling ("Brussel" /
  "Brussels"); with no city on one side, the countries must not differ;
* **matching names**: equal once years, ordinals and punctuation are dropped ("Urban Future Global
  Conference 2024"), one the acronym of the other ("SCEWC" / "Smart City Expo World Congress 2023"),
  shared aliases, or a near-identical spelling;

and none of the reasons to keep events apart (:func:`distinct_reason`): one is ``part_of`` the
other, one name adds a regional marker ("... Changsha Stage"), or both state different editions.
Related events are linked instead: a stage to its parent via ``part_of``, and annual editions
(:func:`same_series`: the same name apart from years and ordinals, and the same place or an
organizer in common) under one ``series`` name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from difflib import SequenceMatcher
from typing import Any

from cityevents.catalog.db import haversine_km
from cityevents.catalog.records import jsonable
from cityevents.model import (
    YEAR_OR_ORDINAL,
    AttendanceMode,
    Conflict,
    Event,
    Figure,
    Source,
    Status,
    fold,
    normalise_name,
)

LOGGER = logging.getLogger(__name__)

RULE_STRUCTURED = "structured over prose"
RULE_SPECIFIC = "specific over vague"
RULE_NEWER = "newer over older"
RULE_FIRST = "first source"
RULE_EDITED = "moderator's edit"
EDIT_EXTRACTOR = "moderation"
RULES = (RULE_STRUCTURED, RULE_SPECIFIC, RULE_NEWER)

# Extractor kinds by how much their values are trusted; matched against the extractor's name
# segments, so "jsonld", "ingest.jsonld" and "jsonld.event" are all structured.
STRUCTURED_EXTRACTORS = frozenset({"jsonld", "json", "microdata", "rdfa", "ical", "ics", "icalendar", "csv", "api"})
FEED_EXTRACTORS = frozenset({"feed", "feeds", "rss", "atom"})

GROUPS: dict[str, tuple[str, ...]] = {
    "dates": ("start", "end", "start_time", "end_time"),
    "place": ("city", "region", "country", "country_code", "lat", "lon", "timezone"),
}
SINGLE_FIELDS = ("name", "venue", "description", "url", "status", "attendance_mode", "previous_start",
                 "part_of", "series", "edition")
UNION_FIELDS = ("organizers", "topics", "aliases", "figures")
# Chosen by the policy but not reported: other names become aliases; prose always differs a little.
UNREPORTED_FIELDS = frozenset({"name", "description"})
DEFAULTS: dict[str, Any] = {"status": Status.SCHEDULED, "attendance_mode": AttendanceMode.OFFLINE}
COORDINATE_TOLERANCE = 0.05  # degrees; two geocodings of one city rarely agree more closely
# Higher is more specific; compared as tuples.
SPECIFICITY: dict[str, Callable[[Event], tuple[int, ...]]] = {
    "dates": lambda e: (int(e.start is not None), int(e.start_time is not None),
                        int(e.end is not None), int(e.end_time is not None)),
    "place": lambda e: (int(bool(e.city)), int(e.lat is not None and e.lon is not None),
                        int(bool(e.region)), int(bool(e.country_code or e.country))),
    "name": lambda e: (len(normalise_name(e.name)),),
    "description": lambda e: (len(e.description),),
    "venue": lambda e: (len(e.venue or ""),),
}

MATCH_DAYS = 1  # starts this many days apart can still be one event (time zones, sloppy listings)
SAME_PLACE_KM = 30.0
NAME_SIMILARITY = 0.92  # SequenceMatcher ratio of normalised names: spelling variants only
CITY_SIMILARITY = 0.9
MIN_ACRONYM = 3
# Words skipped when taking initials: "European Week of Regions and Cities" -> EWRC as well as EWORAC.
ACRONYM_SKIP = frozenset({"of", "and", "the", "for", "on", "in", "de", "del", "la", "le", "des", "a", "an", "at"})
# Words a longer name may add and still name the same event: "European Week of Regions [and Cities]".
GENERIC_WORDS = frozenset({"and", "of", "the", "city", "cities", "annual", "international", "global", "conference",
                           "summit", "congress", "expo", "exhibition", "fair", "forum", "week", "event"})
# A name that adds one of these to another is a part of it (a regional stage), not the same event.
PART_MARKERS = frozenset({"stage", "chapter", "regional", "local", "satellite", "side", "fringe", "hub",
                          "pre", "post", "session", "track", "workshop", "day"})


@dataclass
class Claim:
    """What one document (through one extractor) states about an event."""

    event: Event
    source: Source


@dataclass
class Merged:
    """The merged record, the disagreements found, and which documents supplied each field."""

    event: Event
    conflicts: list[Conflict] = field(default_factory=list)
    provenance: dict[str, list[str]] = field(default_factory=dict)


def field_group(name: str) -> tuple[str, ...]:
    """The fields chosen together with ``name``: its group's, or ``name`` alone."""
    return next((names for names in GROUPS.values() if name in names), (name,))


def merge_claims(claims: Sequence[Claim]) -> Merged:
    """Combine claims about one event into one record under the module's conflict policy.

    Args:
        claims: at least one claim, in the order they were first seen.

    Returns:
        The merged event (without sources), its conflicts and field-level provenance.

    Raises:
        ValueError: when ``claims`` is empty.
    """
    if not claims:
        raise ValueError("merge_claims needs at least one claim")
    values: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    provenance: dict[str, list[str]] = {}
    for group, names in [*GROUPS.items(), *((name, (name,)) for name in SINGLE_FIELDS)]:
        _choose(group, names, claims, values, conflicts, provenance)
    for name in UNION_FIELDS:
        values[name], provenance[name] = _union(name, claims)
    merged = Event(**values)
    if _edit(("aliases",), claims) is None:
        merged.aliases = _aliases(merged, claims)
    if not merged.aliases:
        provenance.pop("aliases", None)
    return Merged(event=merged, conflicts=conflicts, provenance={k: v for k, v in provenance.items() if v})


def same_event(a: Event, b: Event) -> bool:
    """Whether two extracted or stored events are the same occurrence (see the module docstring)."""
    if distinct_reason(a, b) is not None:
        return False
    return names_match(a, b)


def distinct_reason(a: Event, b: Event) -> str | None:
    """Why two events cannot be one, or ``None`` when nothing keeps them apart.

    Args:
        a, b: the events to compare.

    Returns:
        A short reason ("dates differ", "different places", "part of", "regional edition",
        "different editions", "undated") or ``None``.
    """
    if a.start is None or b.start is None:
        return "undated"
    if abs((a.start - b.start).days) > MATCH_DAYS:
        return "dates differ"
    if not same_place(a, b):
        return "different places"
    if _is_part(a, b) or _is_part(b, a):
        return "part of"
    if a.edition and b.edition and fold(a.edition) != fold(b.edition):
        return "different editions"
    return None


def same_place(a: Event, b: Event) -> bool:
    """Same city (spelling variants allowed), nearby coordinates, or no contradiction between countries."""
    distance = haversine_km(a.lat, a.lon, b.lat, b.lon)
    city_a, city_b = fold(a.city), fold(b.city)
    if city_a and city_b:
        if city_a == city_b:
            return True
        if distance is not None:
            return distance <= SAME_PLACE_KM
        return SequenceMatcher(None, city_a, city_b).ratio() >= CITY_SIMILARITY
    if distance is not None:
        return distance <= SAME_PLACE_KM
    code_a, code_b = (a.country_code or "").upper(), (b.country_code or "").upper()
    return not (code_a and code_b and code_a != code_b)


def names_match(a: Event, b: Event) -> bool:
    """Whether any name or alias of one event names the other (years, acronyms, spelling aside)."""
    forms_a = [normalise_name(name) for name in (a.name, *a.aliases)]
    forms_b = [normalise_name(name) for name in (b.name, *b.aliases)]
    for x in filter(None, forms_a):
        for y in filter(None, forms_b):
            if x == y or is_acronym(x, y) or is_acronym(y, x):
                return True
            added = _added_words(x, y) | _added_words(y, x)
            similar = min(len(x), len(y)) >= 8 and SequenceMatcher(None, x, y).ratio() >= NAME_SIMILARITY
            if similar and added.isdisjoint(PART_MARKERS):
                return True
            if added and added <= GENERIC_WORDS and (_in_order(x, y) or _in_order(y, x)):
                return True
    return False


def is_acronym(short: str, long: str) -> bool:
    """Whether ``short`` spells the initials of ``long``: "SCEWC" and "Smart City Expo World Congress"."""
    letters = fold(short).replace(" ", "")
    words = normalise_name(long).split()
    if len(letters) < MIN_ACRONYM or len(words) < MIN_ACRONYM or " " in fold(short):
        return False
    initials = {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in ACRONYM_SKIP)}
    return letters in initials


def same_series(a: Event, b: Event) -> bool:
    """Whether two events are editions of one recurring event: same name (years aside) and place or organizer."""
    if normalise_name(a.series or a.name) != normalise_name(b.series or b.name):
        return False
    organizers = {fold(name) for name in a.organizers} & {fold(name) for name in b.organizers}
    return bool(organizers) or same_place(a, b)


def series_name(name: str) -> str:
    """The name of the recurring event an edition belongs to: "Smart City Asia 2023" -> "Smart City Asia"."""
    return " ".join(YEAR_OR_ORDINAL.sub(" ", name).split()).strip(" -–·,:") or name


def _is_part(child: Event, parent: Event) -> bool:
    """``child`` names ``parent`` as its whole, or is the parent's name plus a regional marker."""
    parent_names = {normalise_name(name) for name in (parent.name, *parent.aliases)}
    if child.part_of and normalise_name(child.part_of) in parent_names:
        return True
    city_words = set(fold(child.city).split())
    for child_name in {normalise_name(name) for name in (child.name, *child.aliases)}:
        for parent_name in parent_names:
            if not parent_name or parent_name == child_name or parent_name not in child_name:
                continue
            added = _added_words(child_name, parent_name)
            if added & PART_MARKERS or (city_words and city_words <= added):
                return True
    return False


def _in_order(shorter: str, longer: str) -> bool:
    """Whether the words of ``shorter`` occur in ``longer`` in the same order."""
    remaining = iter(longer.split())
    return all(word in remaining for word in shorter.split())


def _added_words(longer: str, shorter: str) -> set[str]:
    return set(longer.split()) - set(shorter.split())


def extractor_rank(extractor: str) -> int:
    """2 for structured extractors, 1 for feeds, 0 for prose."""
    segments = set(fold(extractor).split())
    if segments & STRUCTURED_EXTRACTORS:
        return 2
    if segments & FEED_EXTRACTORS:
        return 1
    return 0


def _choose(
    group: str,
    names: tuple[str, ...],
    claims: Sequence[Claim],
    values: dict[str, Any],
    conflicts: list[Conflict],
    provenance: dict[str, list[str]],
) -> None:
    edit = _edit(names, claims)
    candidates = [claim for claim in claims
                  if claim is edit or any(_stated(name, getattr(claim.event, name)) for name in names)]
    if not candidates:
        for name in names:
            values[name] = getattr(claims[0].event, name)
        return
    ranked = [(_key(group, names, claim), index, claim) for index, claim in enumerate(candidates)]
    # Highest key wins; among equal keys the claim seen first (lowest index).
    best_key, _, best = max(ranked, key=lambda item: (item[0], -item[1]))
    if edit is not None:
        best = edit
    for name in names:
        values[name] = getattr(best.event, name)
        if best is edit or _stated(name, values[name]):
            provenance[name] = [best.source.document]
    for key, _, other in ranked:
        if other is best:
            continue
        rule = RULE_EDITED if best is edit else next(
            (rule for rule, a, b in zip(RULES, best_key, key) if a != b), RULE_FIRST)
        for name in names:
            kept, theirs = getattr(best.event, name), getattr(other.event, name)
            if name in UNREPORTED_FIELDS or not _stated(name, kept) or not _stated(name, theirs):
                continue
            if _same(kept, theirs):
                continue
            conflicts.append(Conflict(field=name, kept=jsonable(kept), other=jsonable(theirs),
                                      kept_source=best.source.document, other_source=other.source.document,
                                      rule=rule))


def _key(group: str, names: tuple[str, ...], claim: Claim) -> tuple[int, tuple[int, ...], int]:
    source = claim.source
    extractor = max((extractor_rank(source.fields.get(name, source.extractor)) for name in names), default=0)
    return extractor, _specificity(group, claim.event), _recency(source)


def _specificity(group: str, event: Event) -> tuple[int, ...]:
    rule = SPECIFICITY.get(group)
    if rule is not None:
        return rule(event)
    return (int(_stated(group, getattr(event, group))),)


def _recency(source: Source) -> int:
    when: date | datetime = source.published or source.seen_at
    return when.toordinal()


def _stated(name: str, value: Any) -> bool:
    if value is None or value == "" or value == []:
        return False
    return name not in DEFAULTS or value != DEFAULTS[name]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return fold(a) == fold(b)
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= COORDINATE_TOLERANCE
    return bool(a == b)


def _edit(names: tuple[str, ...], claims: Sequence[Claim]) -> Claim | None:
    """The latest moderator's claim that sets any of ``names``, if one does."""
    edits = [claim for claim in claims if claim.source.extractor == EDIT_EXTRACTOR
             and any(name in claim.source.fields for name in names)]
    return max(edits, key=lambda claim: claim.source.seen_at, default=None)


def _union(name: str, claims: Sequence[Claim]) -> tuple[list[Any], list[str]]:
    edit = _edit((name,), claims)
    if edit is not None:
        return list(getattr(edit.event, name)), [edit.source.document]
    ranked = sorted(enumerate(claims), key=lambda item: (_key(name, (name,), item[1])[::2], -item[0]), reverse=True)
    items: list[Any] = []
    seen: set[Any] = set()
    documents: list[str] = []
    for _, claim in ranked:
        for item in getattr(claim.event, name):
            identity = _identity(item)
            if identity in seen:
                continue
            seen.add(identity)
            items.append(replace(item) if isinstance(item, Figure) else item)
            if claim.source.document not in documents:
                documents.append(claim.source.document)
    return items, documents


def _identity(item: Any) -> Any:
    if isinstance(item, Figure):
        return (fold(item.label), item.value, item.year)
    return fold(str(item))


def _aliases(merged: Event, claims: Sequence[Claim]) -> list[str]:
    """Stated aliases, then the other names claims used (years and ordinals ignored), never the name."""
    name = fold(merged.name)
    aliases = [alias for alias in merged.aliases if fold(alias) != name]
    known = {normalise_name(merged.name), *(normalise_name(alias) for alias in aliases)}
    for claim in claims:
        key = normalise_name(claim.event.name)
        if key and key not in known:
            known.add(key)
            aliases.append(claim.event.name)
    return aliases
