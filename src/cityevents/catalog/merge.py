"""One record per event: combine what several documents say about it.

Each document's statement about an event is a :class:`Claim`. :func:`merge_claims` recomputes the
catalog record from all of an event's claims, so re-reading a changed document simply replaces
its claim and the record follows.

Conflict policy, applied field by field (dates and place are each chosen as one group, so a start
from one source is never paired with an end from another):

1. **structured over prose** - a value from a structured extractor (JSON-LD, iCalendar, CSV) beats
   a feed's, which beats one read from prose (text, HTML, PDF);
2. **specific over vague** - a date range with times beats a bare date, a city beats only a country,
   a longer name beats an acronym, a stated status beats the default;
3. **newer over older** - the document published (or, failing that, seen) later wins;
4. **first source** - otherwise the claim seen first keeps its value.

Whenever another claim states a different non-empty value, a :class:`Conflict` records both values,
their documents and the rule that decided. List fields (organizers, topics, aliases, figures) are
unions and never conflict; other names of the event become aliases.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from cityevents.catalog.records import jsonable
from cityevents.model import AttendanceMode, Conflict, Event, Figure, Source, Status, fold, normalise_name

LOGGER = logging.getLogger(__name__)

RULE_STRUCTURED = "structured over prose"
RULE_SPECIFIC = "specific over vague"
RULE_NEWER = "newer over older"
RULE_FIRST = "first source"
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
    merged.aliases = _aliases(merged, claims)
    if not merged.aliases:
        provenance.pop("aliases", None)
    return Merged(event=merged, conflicts=conflicts, provenance={k: v for k, v in provenance.items() if v})


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
    candidates = [claim for claim in claims if any(_stated(name, getattr(claim.event, name)) for name in names)]
    if not candidates:
        for name in names:
            values[name] = getattr(claims[0].event, name)
        return
    ranked = [(_key(group, names, claim), index, claim) for index, claim in enumerate(candidates)]
    # Highest key wins; among equal keys the claim seen first (lowest index).
    best_key, _, best = max(ranked, key=lambda item: (item[0], -item[1]))
    for name in names:
        values[name] = getattr(best.event, name)
        if _stated(name, values[name]):
            provenance[name] = [best.source.document]
    for key, _, other in ranked:
        if other is best:
            continue
        rule = next((rule for rule, a, b in zip(RULES, best_key, key) if a != b), RULE_FIRST)
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


def _union(name: str, claims: Sequence[Claim]) -> tuple[list[Any], list[str]]:
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
