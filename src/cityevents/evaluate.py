"""Score extracted events against hand-checked labels.

The matching rules are the project's published ones: a prediction pairs with a label when its
name matches (equal or containing after folding, else close by sequence ratio) with a bonus for the
right start day and place; pairs are taken best-first; an event is exactly right when its name,
start, end, country code and place (within 30 km, or the same city name) all are. Unlabelled
"optional" events a document mentions are neither credited nor counted against precision.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PLACE_TOLERANCE_KM = 30.0
PAIR_THRESHOLD = 0.85
NAME_OK = 0.8
FIELDS = ("name", "start", "end", "place", "country")
PATH_SEPARATORS = re.compile(r"[/\\]")
NAME_TOKEN = re.compile(r"[a-z0-9+]+")


@dataclass
class PRF:
    """Precision, recall and F1 from counts."""

    hits: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.hits / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    fields: dict[str, PRF]
    events: PRF
    exact: int
    gold: int
    predicted: int
    misses: list[str] = field(default_factory=list)


def load_gold(path: Path) -> dict[str, Any]:
    """The labelled documents of a gold file: ``{file name: {"events": [...], "optional": [...]}}``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, dict):
        raise ValueError("expected an object with a 'documents' object")
    return documents


def _folded(text: str | None) -> str:
    """Lower-case ASCII words (with "+" kept, "&" read as "and") joined by single spaces."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return " ".join(NAME_TOKEN.findall(ascii_text.replace("&", " and ")))


def name_similarity(predicted: str, label: dict[str, Any]) -> float:
    """1.0 for the same name (or one containing the other), else the best sequence ratio."""
    p = _folded(predicted)
    best = 0.0
    for candidate in [label["name"], *label.get("aliases", [])]:
        g = _folded(candidate)
        if not p or not g:
            continue
        if p == g or (len(g) >= 6 and g in p) or (len(p) >= 6 and p in g):
            return 1.0
        best = max(best, difflib.SequenceMatcher(None, p, g).ratio())
    return best


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _place_ok(pred: dict[str, Any], label: dict[str, Any]) -> bool:
    if pred.get("lat") is not None and pred.get("lon") is not None and label.get("lat") is not None:
        try:
            return _km((float(pred["lat"]), float(pred["lon"])), (label["lat"], label["lon"])) <= PLACE_TOLERANCE_KM
        except (TypeError, ValueError):
            return False
    return _folded(pred.get("city")) == _folded(label.get("city"))


def _field_checks(pred: dict[str, Any], label: dict[str, Any]) -> dict[str, bool]:
    start = str(pred.get("start") or "")[:10]
    end = str(pred.get("end") or pred.get("start") or "")[:10]
    return {
        "name": name_similarity(pred.get("name", ""), label) >= NAME_OK,
        "start": start == label["start"],
        "end": end == label["end"],
        "place": _place_ok(pred, label),
        "country": (pred.get("country_code") or "").upper() == (label.get("country_code") or "").upper(),
    }


def _document_of(pred: dict[str, Any]) -> str:
    return PATH_SEPARATORS.split(str(pred.get("source") or ""))[-1]


def _optional(pred: dict[str, Any], label: dict[str, Any]) -> bool:
    if label.get("name") and name_similarity(pred.get("name", ""), label) >= PAIR_THRESHOLD:
        return True
    return bool(label.get("start")) and str(pred.get("start", ""))[:10] == label["start"] and _place_ok(pred, label)


def score(gold: dict[str, Any], predicted: list[dict[str, Any]]) -> Report:
    """Pair predictions with labels per document and count what is right."""
    by_document: dict[str, list[dict[str, Any]]] = {}
    for pred in predicted:
        by_document.setdefault(_document_of(pred), []).append(pred)
    hits = dict.fromkeys(FIELDS, 0)
    n_gold = sum(len(entry["events"]) for entry in gold.values())
    n_pred = sum(len(preds) for doc, preds in by_document.items() if doc in gold)
    exact = 0
    misses: list[str] = []
    for doc, entry in gold.items():
        preds = by_document.get(doc, [])
        labels = entry["events"]
        pairs = []
        for li, label in enumerate(labels):
            for pi, pred in enumerate(preds):
                s = name_similarity(pred.get("name", ""), label)
                s += 0.5 * (str(pred.get("start", ""))[:10] == label["start"]) + 0.25 * _place_ok(pred, label)
                if s >= PAIR_THRESHOLD:
                    pairs.append((s, li, pi))
        used_labels: set[int] = set()
        used_preds: set[int] = set()
        for _, li, pi in sorted(pairs, reverse=True):
            if li in used_labels or pi in used_preds:
                continue
            used_labels.add(li)
            used_preds.add(pi)
            checks = _field_checks(preds[pi], labels[li])
            for name, ok in checks.items():
                hits[name] += ok
            if all(checks.values()):
                exact += 1
            else:
                misses.append(f"{doc}: {labels[li]['name']}: wrong {', '.join(k for k, v in checks.items() if not v)}")
        for li, label in enumerate(labels):
            if li not in used_labels:
                misses.append(f"{doc}: {label['name']}: missed")
        for pi, pred in enumerate(preds):
            if pi not in used_preds and any(_optional(pred, o) for o in entry.get("optional", [])):
                n_pred -= 1
    return Report(
        fields={name: PRF(hits[name], n_pred, n_gold) for name in FIELDS},
        events=PRF(exact, n_pred, n_gold),
        exact=exact,
        gold=n_gold,
        predicted=n_pred,
        misses=misses,
    )
