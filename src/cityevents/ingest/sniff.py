"""Tell what a document is, and turn its bytes into text.

:func:`sniff_format` looks at the content first (magic bytes, the XML root element,
``BEGIN:VCALENDAR``, JSON, ``<html``, ``%PDF``, a CSV header) and falls back on the
file extension or the declared content type when the content is not decisive.
:func:`decode` honours a byte-order mark, then the charset the transport declared, then UTF-8,
then the charset the document declares, then charset-normalizer's best guess.
"""

from __future__ import annotations

import codecs
import csv
import json
import logging
import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import charset_normalizer

from cityevents.errors import InputError, UnsupportedFormat
from cityevents.model import fold

LOGGER = logging.getLogger(__name__)

PDF = "pdf"
ICAL = "ical"
FEED = "feed"
HTML = "html"
JSONLD = "jsonld"
CSV = "csv"
TEXT = "text"

SNIFF_BYTES = 8192
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# XML without a byte-order mark announces a wide encoding by the shape of "<?" (XML 1.0, appendix F).
XML_WIDE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)
BINARY_MAGIC: dict[bytes, str] = {
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or an office document)",
    b"\x1f\x8b": "a gzip archive",
    b"BZh": "a bzip2 archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\xd0\xcf\x11\xe0": "a legacy office document",
    b"\x7fELF": "an executable",
    b"MZ": "an executable",
    b"RIFF": "a media file",
    b"OggS": "a media file",
    b"ID3": "an audio file",
    b"SQLite format 3": "an SQLite database",
}
EXTENSIONS: dict[str, str] = {
    ".pdf": PDF,
    ".ics": ICAL,
    ".ical": ICAL,
    ".ifb": ICAL,
    ".jcal": ICAL,
    ".rss": FEED,
    ".atom": FEED,
    ".rdf": FEED,
    ".xml": FEED,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".json": JSONLD,
    ".jsonld": JSONLD,
    ".csv": CSV,
    ".tsv": CSV,
    ".txt": TEXT,
    ".text": TEXT,
    ".md": TEXT,
}
CONTENT_TYPES: dict[str, str] = {
    "application/pdf": PDF,
    "text/calendar": ICAL,
    "application/calendar+json": ICAL,
    "application/rss+xml": FEED,
    "application/atom+xml": FEED,
    "application/rdf+xml": FEED,
    "application/xml": FEED,
    "text/xml": FEED,
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "application/ld+json": JSONLD,
    "application/json": JSONLD,
    "text/csv": CSV,
    "text/tab-separated-values": CSV,
    "text/plain": TEXT,
    "text/markdown": TEXT,
}
FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel", "rdf:rdf"})
XML_PROLOGUE = re.compile(
    r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL | re.IGNORECASE
)
ROOT_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
HTML_TAG = re.compile(r"<(?:html|head|body|div|p|h[1-6]|ul|ol|table|article|section|main)\b", re.IGNORECASE)
JCAL = re.compile(r'\[\s*"v[a-z]+"\s*,', re.IGNORECASE)  # ["vcalendar", ...] or a bare ["vevent", ...]
CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
XML_ENCODING = re.compile(rb"\A[^>]{0,200}?encoding\s*=\s*[\"']([\w.:-]+)[\"']")
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def decode(data: bytes, *, declared: str | None = None) -> str:
    """Bytes to text.

    Args:
        data: the document.
        declared: a charset the transport or the document itself declared.

    Returns:
        The text, without a byte-order mark.

    Raises:
        InputError: empty, binary or undecodable data.
    """
    if not data.strip():
        raise InputError("empty document")
    encoding = wide_encoding(data)
    if encoding:
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise InputError(f"undecodable text: not valid {encoding}") from exc
    ensure_not_binary(data)
    for candidate in (declared, "utf-8", declared_charset(data)):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            LOGGER.debug("charset %s does not fit, trying the next", candidate)
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError("undecodable text: no character encoding fits")
    LOGGER.debug("decoded as %s (guessed)", best.encoding)
    return str(best)


def wide_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark or a wide XML signature announces, if any."""
    for mark, encoding in BOMS:
        if data.startswith(mark):
            return encoding
    for signature, encoding in XML_WIDE_SIGNATURES:
        if data.startswith(signature):
            return encoding
    return None


def ensure_not_binary(data: bytes) -> None:
    """Raise :class:`InputError` for data that is plainly not text."""
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise UnsupportedFormat(f"binary data: looks like {what}")
    if b"\x00" in data[:SNIFF_BYTES] and wide_encoding(data) is None:
        raise InputError("binary data: the document contains NUL bytes")


def declared_charset(data: bytes) -> str | None:
    """The charset an XML declaration or an HTML ``<meta>`` names, if any."""
    head = data[:2048]
    match = XML_ENCODING.search(head) or META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header."""
    match = CHARSET_PARAM.search(content_type or "")
    return match.group(1) if match else None


def sniff_format(data: bytes, *, source: str = "", content_type: str | None = None) -> str:
    """The reader a document needs: one of ``pdf ical feed html jsonld csv text``.

    Args:
        data: the document.
        source: its path or URL, whose extension is a hint.
        content_type: a Content-Type header, another hint.

    Returns:
        The format name.

    Raises:
        InputError: empty or binary data.
        UnsupportedFormat: data in a format no reader handles.
    """
    if not data.strip():
        raise InputError("empty document")
    if data.lstrip()[:5] == b"%PDF-":
        return PDF
    hinted = format_hint(source, content_type)
    if hinted == PDF:
        raise InputError("corrupt PDF: the %PDF header is missing")
    encoding = wide_encoding(data)
    if encoding is None:
        ensure_not_binary(data)
    head = data[: SNIFF_BYTES * 2].decode(encoding or "utf-8", "replace").lstrip("\ufeff").lstrip()
    return content_format(head, data) or hinted or TEXT


def format_hint(source: str, content_type: str | None) -> str | None:
    """The format the extension or the content type suggests."""
    if content_type:
        media_type = content_type.split(";")[0].strip().lower()
        if media_type in CONTENT_TYPES:
            return CONTENT_TYPES[media_type]
    path = urlsplit(source).path if "://" in source else source
    return EXTENSIONS.get(PurePosixPath(path).suffix.lower())


def content_format(head: str, data: bytes) -> str | None:
    """The format the first characters prove, or None when they prove nothing."""
    if head[:15].upper() == "BEGIN:VCALENDAR":
        return ICAL
    if head[:1] in "{[":
        return json_format(head, data)
    if head[:1] == "<":
        return markup_format(head)
    if looks_like_csv(head):
        return CSV
    return None


def json_format(head: str, data: bytes) -> str | None:
    """jCal arrays go to the iCalendar reader, other JSON to the JSON-LD reader."""
    if JCAL.match(head):
        return ICAL
    try:
        json.loads(data)
    except ValueError:
        return None
    return JSONLD


def markup_format(head: str) -> str | None:
    """Feeds by their root element; HTML by its tags."""
    body = head[XML_PROLOGUE.match(head).end() :]  # type: ignore[union-attr]  # the pattern matches ""
    root = ROOT_TAG.match(body)
    if root:
        name = root.group(1).lower()
        if name == "html":
            return HTML
        if name in FEED_ROOTS or name.endswith(":rdf"):
            return FEED
    if re.match(r"<!doctype\s+html", head, re.IGNORECASE) or HTML_TAG.search(head):
        return HTML
    return None


def looks_like_csv(head: str) -> bool:
    """A first line that is a header with a name column and a date column."""
    from cityevents.ingest.tabular import COLUMN_FIELD

    first_line = head.split("\n", 1)[0].strip()
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t|")
    except csv.Error:
        return False
    fields = {COLUMN_FIELD.get(fold(cell)) for cell in next(csv.reader([first_line], dialect))}
    return {"name", "start"} <= fields
