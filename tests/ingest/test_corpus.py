"""Every file of the shared real-world corpora (icalendar and feedparser test suites, fuzz
inputs included) is read without a crash: events, or a CityEventsError with a one-line message."""

from __future__ import annotations

import logging
import time
import warnings
from pathlib import Path

import pytest

from cityevents.errors import CityEventsError
from cityevents.ingest import read_document

NOT_DOCUMENTS = {"README.md", "LICENSE", "LICENSE.rst"}
TIME_BUDGET = 60.0  # seconds for the whole corpus


def test_corpus_never_crashes(shared_dir: Path) -> None:
    corpora = shared_dir / "corpora"
    if not corpora.is_dir():
        pytest.skip(f"{corpora} is absent")
    files = sorted(p for p in corpora.rglob("*") if p.is_file() and p.name not in NOT_DOCUMENTS)
    assert len(files) > 1000
    crashes: list[str] = []
    counts = {"events": 0, "empty": 0, "error": 0}
    started = time.monotonic()
    logging.disable(logging.CRITICAL)  # thousands of per-file notes would drown the report
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # icalendar warns about guessed vendor TZIDs
            for path in files:
                try:
                    events = read_document(path.read_bytes(), source=str(path))
                except CityEventsError as exc:
                    counts["error"] += 1
                    message = str(exc)
                    if not message or "\n" in message:
                        crashes.append(f"{path.relative_to(corpora)}: message not one line: {message!r}")
                except Exception as exc:  # noqa: BLE001 - collecting every crash is the point of this test
                    crashes.append(f"{path.relative_to(corpora)}: {type(exc).__name__}: {exc}")
                else:
                    counts["events" if events else "empty"] += 1
    finally:
        logging.disable(logging.NOTSET)
    elapsed = time.monotonic() - started
    print(f"corpus: {len(files)} files in {elapsed:.1f}s: {counts}")
    assert not crashes, f"{len(crashes)} crash(es):\n" + "\n".join(crashes)
    assert counts["events"] > 0
    assert elapsed < TIME_BUDGET
