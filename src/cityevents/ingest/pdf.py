"""PDF documents -> events: the text of every page, then the free-text engine."""

from __future__ import annotations

import io
import logging
from datetime import date

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from cityevents.errors import InputError
from cityevents.extract.engine import extract_events
from cityevents.model import Event

LOGGER = logging.getLogger(__name__)


def parse(data: bytes, *, source: str, published: date | None = None) -> list[Event]:
    """Events in a PDF.

    Args:
        data: the PDF file.
        source: its path or URL.
        published: its publication date, the anchor for year-less dates.

    Returns:
        The events the engine finds in the text of all pages.

    Raises:
        InputError: encrypted, corrupt or text-less PDFs.
    """
    text = pdf_text(data)
    if not text.strip():
        raise InputError("PDF without extractable text (a scanned image?)")
    return extract_events(text, source=source, published=published)


def pdf_text(data: bytes) -> str:
    """The text of every page, pages separated by blank lines."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not opens_without_password(reader):
            raise InputError("encrypted PDF: a password is needed")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except PdfReadError as exc:
        raise InputError(f"corrupt PDF: {exc}") from exc
    except Exception as exc:  # pypdf raises many types on damaged files; all mean "unreadable"
        raise InputError(f"corrupt PDF: {type(exc).__name__}: {exc}") from exc
    return "\n\n".join(page.strip() for page in pages if page.strip())


def opens_without_password(reader: PdfReader) -> bool:
    """Whether an encrypted PDF opens with the empty user password (owner-only protection)."""
    try:
        return bool(reader.decrypt(""))
    except Exception as exc:  # noqa: BLE001 - unsupported ciphers raise pypdf's DependencyError or NotImplementedError
        LOGGER.info("cannot decrypt PDF: %s", exc)
        return False
