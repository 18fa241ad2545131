"""Extraction quality on the project's own labelled announcements, scored like the seeds.

A pinned floor, not a snapshot: the engine may get better, never worse.
"""

from __future__ import annotations

from pathlib import Path

from cityevents.evaluate import load_gold, score
from cityevents.extract.engine import extract_events

DATA = Path(__file__).resolve().parents[1] / "data" / "announcements"
EXACT_FLOOR = 160
PRECISION_FLOOR = 0.98


def test_announcements_score_floor() -> None:
    gold = load_gold(DATA / "gold.json")
    predicted = []
    for name in gold:
        path = DATA / name
        predicted += [e.to_dict() for e in extract_events(path.read_text(encoding="utf-8"), source=str(path))]
    report = score(gold, predicted)
    assert report.gold >= 163 and len(gold) >= 71
    assert report.exact >= EXACT_FLOOR, "\n".join(report.misses)
    assert report.events.precision >= PRECISION_FLOOR, report.misses


def test_documents_without_events_give_none() -> None:
    gold = load_gold(DATA / "gold.json")
    empty = [name for name, entry in gold.items() if not entry["events"]]
    assert len(empty) >= 3
    for name in empty:
        assert extract_events((DATA / name).read_text(encoding="utf-8"), source=name) == []
