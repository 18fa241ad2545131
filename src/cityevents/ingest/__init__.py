"""Documents (bytes) -> events, one reader per format.

:func:`read_document` sniffs what a document is and hands it to its reader;
:func:`read_path` reads files and folders, one result per document, never raising for a
bad file. Each reader module exposes
``parse(data: bytes, *, source: str, published: date | None = None) -> list[Event]``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from cityevents.errors import CityEventsError, InputError
from cityevents.ingest import feeds, html, ical, jsonld, pdf, sniff, tabular, text
from cityevents.model import Event

__all__ = ["READERS", "read_document", "read_path"]

LOGGER = logging.getLogger(__name__)

Reader = Callable[..., list[Event]]
READERS: dict[str, Reader] = {
    sniff.PDF: pdf.parse,
    sniff.ICAL: ical.parse,
    sniff.FEED: feeds.parse,
    sniff.HTML: html.parse,
    sniff.JSONLD: jsonld.parse,
    sniff.CSV: tabular.parse,
    sniff.TEXT: text.parse,
}
SELF_DECODING = frozenset({sniff.PDF, sniff.FEED})  # these read the bytes themselves


def read_document(
    data: bytes, *, source: str, published: date | None = None, content_type: str | None = None
) -> list[Event]:
    """The events in one document, whatever its format.

    Args:
        data: the document's bytes.
        source: its path or URL (the extension is a format hint; events cite it).
        published: its publication date when known from elsewhere (anchors year-less dates).
        content_type: a Content-Type header (a format hint; its charset is honoured).

    Returns:
        The events found; [] when a readable document announces none.

    Raises:
        InputError: empty, binary, undecodable or malformed input.
        UnsupportedFormat: a format no reader handles.
    """
    kind = sniff.sniff_format(data, source=source, content_type=content_type)
    charset = sniff.charset_of(content_type)
    if charset and kind not in SELF_DECODING:
        data = sniff.decode(data, declared=charset).encode("utf-8")
    LOGGER.debug("%s: read as %s", source, kind)
    return READERS[kind](data, source=source, published=published)


def read_path(path: str | Path) -> Iterator[tuple[str, list[Event] | CityEventsError]]:
    """Read a file, or every non-hidden file under a folder (sorted).

    Yields:
        (the file's path, its events or the error that stopped it), one per file.
    """
    root = Path(path)
    if not root.exists():
        yield str(root), InputError(f"no such file or folder: {root}")
        return
    files = (
        [root]
        if root.is_file()
        else sorted(p for p in root.rglob("*") if p.is_file() and not hidden(p, root))
    )
    for file in files:
        yield str(file), read_file(file)


def read_file(file: Path) -> list[Event] | CityEventsError:
    """One file's events, or the error that stopped it."""
    try:
        return read_document(file.read_bytes(), source=str(file))
    except OSError as exc:
        return InputError(f"cannot read {file}: {exc.strerror or exc}")
    except CityEventsError as exc:
        return exc
    except Exception as exc:  # a reader bug must not stop a folder import; it is logged in full
        LOGGER.exception("%s: unexpected failure", file)
        return InputError(f"{file}: could not be read ({type(exc).__name__}: {exc})")


def hidden(file: Path, root: Path) -> bool:
    """A dot-file, or a file inside a dot-folder below the root."""
    return any(part.startswith(".") for part in file.relative_to(root).parts)
