"""Targets (files, folders, URLs) -> documents -> events -> catalog.

The CLI and the refresh job both go through here, so a document is read, extracted and stored
the same way whoever asks. A bad document yields its error and the batch goes on.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cityevents.errors import CityEventsError, InputError
from cityevents.ingest import read_document
from cityevents.model import Event

LOGGER = logging.getLogger(__name__)

URL_PREFIXES = ("http://", "https://")


@dataclass
class Document:
    """One input as read: its name as given, its bytes (or the error that stopped reading)."""

    name: str
    data: bytes = b""
    content_type: str | None = None
    error: CityEventsError | None = None

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Extraction:
    """What one document gave: its events, or the error that stopped it."""

    document: Document
    events: list[Event] = field(default_factory=list)
    error: CityEventsError | None = None


def is_url(target: str) -> bool:
    return target.lower().startswith(URL_PREFIXES)


def iter_documents(targets: list[str], fetch: Callable[[str], Document] | None = None) -> Iterator[Document]:
    """Every document the targets name: files as given, folders walked (hidden files skipped), URLs fetched."""
    for target in targets:
        if is_url(target):
            if fetch is None:
                yield Document(target, error=InputError(f"{target}: fetching URLs is not enabled here"))
            else:
                yield fetch(target)
            continue
        path = Path(target)
        if path.is_dir():
            files = folder_files(path)
            if not files:
                yield Document(target, error=InputError(f"{target}: the folder holds no documents"))
            for child in files:
                yield _read_file(child, str(child))
        elif path.exists():
            yield _read_file(path, target)
        else:
            yield Document(target, error=InputError(f"{target}: no such file, folder or URL"))


def folder_files(folder: Path) -> list[Path]:
    """The files under ``folder`` in name order; hidden files and folders are skipped."""
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def count_documents(targets: list[str]) -> int:
    """How many documents :func:`iter_documents` will yield (URLs count one each)."""
    total = 0
    for target in targets:
        path = Path(target)
        if not is_url(target) and path.is_dir():
            total += max(1, len(folder_files(path)))
        else:
            total += 1
    return total


def extract_document(document: Document, *, published: date | None = None) -> Extraction:
    """Read one document's events; a user-facing error is returned, never raised."""
    if document.error is not None:
        return Extraction(document, error=document.error)
    try:
        events = read_document(
            document.data, source=document.name, published=published, content_type=document.content_type
        )
    except CityEventsError as error:
        if not str(error).startswith(document.name):
            error = type(error)(f"{document.name}: {error}")
        return Extraction(document, error=error)
    return Extraction(document, events=events)


def _read_file(path: Path, name: str) -> Document:
    try:
        return Document(name, data=path.read_bytes())
    except OSError as error:
        return Document(name, error=InputError(f"{name}: cannot read ({error.strerror})"))
