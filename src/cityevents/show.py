"""A plain-text account of one event: every field, its sources and the conflicts between them."""

from __future__ import annotations

from cityevents.model import Event


def _dates(event: Event) -> str:
    if event.start is None:
        return "unknown"
    if event.end is None or event.end == event.start:
        return event.start.isoformat()
    return f"{event.start.isoformat()} – {event.end.isoformat()}"


def describe(event: Event) -> str:
    """Lines of "label: value" for a terminal."""
    place = ", ".join(p for p in (event.venue, event.city, event.region, event.country) if p)
    rows = [
        ("id", event.id),
        ("name", event.name),
        ("also called", ", ".join(event.aliases)),
        ("dates", _dates(event)),
        ("place", place),
        ("coordinates", f"{event.lat:.4f}, {event.lon:.4f}" if event.lat is not None and event.lon is not None else ""),
        ("time zone", event.timezone or ""),
        ("status", event.status.value),
        ("attendance", event.attendance_mode.value),
        ("organizers", "; ".join(event.organizers)),
        ("topics", ", ".join(event.topics)),
        ("part of", event.part_of or ""),
        ("series", event.series or ""),
        ("url", event.url or ""),
    ]
    lines = [f"{label:12s} {value}" for label, value in rows if value]
    for figure in event.figures:
        qualifier = f"{figure.qualifier} " if figure.qualifier else ""
        year = f" (in {figure.year})" if figure.year else ""
        lines.append(f"{'figure':12s} {qualifier}{figure.value:,} {figure.label}{year}")
    if event.description:
        lines += ["", event.description[:1200]]
    lines += ["", "sources:"]
    for source in event.sources:
        span = f" chars {source.span[0]}-{source.span[1]}" if source.span else ""
        fields = ", ".join(sorted(source.fields))
        lines.append(f"  {source.document}{span} via {source.extractor} at {source.seen_at:%Y-%m-%d %H:%M}")
        if fields:
            lines.append(f"    fields: {fields}")
    if event.conflicts:
        lines += ["", "conflicts:"]
        for conflict in event.conflicts:
            lines.append(
                f"  {conflict.field}: kept {conflict.kept!r} from {conflict.kept_source} over {conflict.other!r} "
                f"from {conflict.other_source} ({conflict.rule})"
            )
    return "\n".join(lines)
