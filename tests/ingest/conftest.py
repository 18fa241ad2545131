"""Shared helpers for the ingest tests: where the sample documents live, and how to read one."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityevents.ingest import read_document
from cityevents.model import Event

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def read_sample():
    """Read tests/data/<relative path> through read_document, as the CLI would."""

    def read(relative: str, **kwargs: object) -> list[Event]:
        path = DATA / relative
        return read_document(path.read_bytes(), source=str(path), **kwargs)  # type: ignore[arg-type]

    return read


@pytest.fixture
def data_dir() -> Path:
    """tests/data."""
    return DATA
