"""PDF and plain text go through the free-text engine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fpdf import FPDF

from cityevents.errors import InputError
from cityevents.ingest import pdf, read_document


def make_pdf(path: Path, lines: list[str], *, password: str | None = None) -> bytes:
    """A small PDF with one line per paragraph."""
    document = FPDF()
    if password:
        document.set_encryption(owner_password="owner", user_password=password)
    document.add_page()
    document.set_font("helvetica", size=12)
    for line in lines:
        document.multi_cell(0, 8, line)
        document.ln(4)
    document.output(str(path))
    return path.read_bytes()


PROGRAMME = [
    "Urban Innovation Programme 2027",
    "The Smart Harbour Conference takes place on 12-13 May 2027 in Gdansk, Poland.",
    "It is organised by the Port of Gdansk Authority.",
]


def test_pdf_text_reaches_the_engine(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "programme.pdf", PROGRAMME)
    events = read_document(data, source="programme.pdf")
    harbour = next(e for e in events if "Smart Harbour Conference" in e.name)
    assert (harbour.start, harbour.end, harbour.city) == (date(2027, 5, 12), date(2027, 5, 13), "Gdańsk")


def test_encrypted_pdf_is_an_input_error(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "secret.pdf", PROGRAMME, password="s3cret")
    with pytest.raises(InputError, match="encrypted"):
        pdf.parse(data, source="secret.pdf")


def test_corrupt_pdf_is_an_input_error(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "programme.pdf", PROGRAMME)
    with pytest.raises(InputError):
        read_document(data[: len(data) // 3], source="broken.pdf")
    with pytest.raises(InputError, match="PDF"):
        read_document(b"%PDF-1.4\n garbage \x00\x01", source="x.pdf")


def test_press_release_text(read_sample) -> None:  # type: ignore[no-untyped-def]
    [summit] = read_sample("text/press_release.txt")
    assert summit.name == "Nordic Circular Cities Summit"
    assert (summit.start, summit.end, summit.city) == (date(2027, 4, 22), date(2027, 4, 23), "Copenhagen")
    assert "City of Copenhagen" in summit.organizers


def test_text_needs_content() -> None:
    with pytest.raises(InputError, match="empty"):
        read_document(b"\n\n   \n", source="notes.txt")
