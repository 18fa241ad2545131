"""The two documents the project started from: every labelled event exactly right, nothing extra."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityevents.evaluate import load_gold, score
from cityevents.extract.engine import extract_events


@pytest.fixture(scope="module")
def seed_results(shared_dir: Path):
    gold = load_gold(shared_dir / "gold" / "seeds.json")
    predicted = {}
    for name in gold:
        path = shared_dir / "seeds" / name
        predicted[name] = extract_events(path.read_text(encoding="utf-8"), source=str(path))
    return gold, predicted


def test_every_seed_event_exact(seed_results) -> None:
    gold, predicted = seed_results
    report = score(gold, [e.to_dict() for events in predicted.values() for e in events])
    assert report.misses == []
    assert (report.exact, report.gold, report.predicted) == (report.gold, 18, 18)


def test_seed_relations_and_figures(seed_results) -> None:
    """Where the labels give organizers, figures or a parent event, extraction finds them."""
    gold, predicted = seed_results
    checked = 0
    for name, entry in gold.items():
        for label in entry["events"]:
            event = next(e for e in predicted[name] if e.start.isoformat() == label["start"]
                         and (e.country_code or "") == label["country_code"])
            if "part_of" in label:
                assert event.part_of == label["part_of"]
                checked += 1
            for expected in label.get("figures", []):
                values = {(f.value, f.qualifier, f.year) for f in event.figures}
                assert (expected["value"], expected.get("qualifier"), expected.get("year")) in values
                checked += 1
    assert checked >= 6
