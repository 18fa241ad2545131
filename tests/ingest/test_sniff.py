"""Format sniffing and decoding: content first, extension and content type as hints."""

from __future__ import annotations

import codecs

import pytest

from cityevents.errors import InputError, UnsupportedFormat
from cityevents.ingest.sniff import decode, sniff_format


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "ical"),
        (b'["vcalendar", [], []]', "ical"),
        (b'<?xml version="1.0"?>\n<!-- a comment -->\n<rss version="2.0"><channel/></rss>', "feed"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>', "feed"),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>', "feed"),
        (b"<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html"),
        (b"<div><h2>Events</h2><ul><li>One</li></ul></div>", "html"),
        (b'{"@context": "https://schema.org", "@type": "Event", "name": "X"}', "jsonld"),
        (b"Event Name;Start Date;City\nExpo;2027-05-01;Oslo\n", "csv"),
        (b"Smart City Week takes place on 3 May 2027 in Oslo, Norway.", "text"),
    ],
)
def test_content_decides(data: bytes, expected: str) -> None:
    assert sniff_format(data, source="download.bin") == expected


def test_content_beats_a_wrong_extension() -> None:
    assert sniff_format(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", source="events.html") == "ical"


@pytest.mark.parametrize(
    ("source", "content_type", "expected"),
    [
        ("https://example.org/cal.ics", None, "ical"),
        ("notes.md", None, "text"),
        ("export", "text/csv; charset=utf-8", "csv"),
        ("page", "text/html", "html"),
        ("https://example.org/feed.xml?page=2", None, "feed"),
    ],
)
def test_hints_decide_when_the_content_does_not(source: str, content_type: str | None, expected: str) -> None:
    assert sniff_format(b"just some words", source=source, content_type=content_type) == expected


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_empty_input_is_an_input_error(data: bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        sniff_format(data, source="x.txt")


def test_binary_input_is_refused() -> None:
    with pytest.raises(UnsupportedFormat, match="PNG"):
        sniff_format(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", source="poster.txt")
    with pytest.raises(InputError, match="NUL"):
        sniff_format(b"abc\x00\x01\x02def", source="x.txt")


def test_pdf_extension_without_pdf_content() -> None:
    with pytest.raises(InputError, match="PDF"):
        sniff_format(b"<html>not a pdf</html>", source="report.pdf")


def test_decode_honours_byte_order_marks() -> None:
    text = "Smart City Tag, Köln"
    assert decode(codecs.BOM_UTF8 + text.encode()) == text
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == text
    assert decode(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == text


def test_decode_uses_declared_charsets() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body>Café – Zürich</body></html>'
    assert "Café – Zürich" in decode(page.encode("windows-1252"))
    assert decode("Zürich".encode("latin-1"), declared="latin-1") == "Zürich"


def test_decode_guesses_when_nothing_is_declared() -> None:
    text = "Die Veranstaltung für Bürgerinnen und Bürger findet in München statt. Größere Säle." * 3
    assert decode(text.encode("cp1252")) == text


def test_decode_reads_wide_xml_without_a_bom() -> None:
    xml = '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"></rss>'
    assert decode(xml.encode("utf-16-le")) == xml
