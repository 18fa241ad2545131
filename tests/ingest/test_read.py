"""read_document dispatch and read_path: one result per file, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityevents.errors import CityEventsError, InputError, UnsupportedFormat
from cityevents.ingest import read_document, read_path

LISTING = "<html><body><ul><li>Smart Mobility Week - 4-6 May 2027, Lyon, France</li></ul></body></html>"


def test_every_sample_is_read(data_dir: Path) -> None:
    results = dict(read_path(data_dir))
    mine = {path: result for path, result in results.items() if Path(path).parent.name in FORMATS}
    assert len(mine) >= 12
    for path, result in mine.items():
        assert isinstance(result, list), f"{path}: {result}"
        assert result or path.endswith("empty.rss"), f"{path}: no events"


FORMATS = {"html", "feeds", "ical", "csv", "text"}


def test_content_type_charset_is_honoured() -> None:
    page = LISTING.replace("Lyon", "Besançon").encode("latin-1")
    [event] = read_document(
        page, source="https://example.org/x", content_type="text/html; charset=ISO-8859-1"
    )
    assert event.city == "Besançon"


def test_read_path_reports_bad_files_and_skips_hidden_ones(tmp_path: Path) -> None:
    (tmp_path / "good.html").write_text(LISTING, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "broken.ics").write_bytes(b"BEGIN:VCALENDAR\r\n\x01\x02garbage")
    (tmp_path / ".hidden.html").write_text(LISTING, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "latin1.txt").write_bytes("Café Urbain - 3 juin 2027".encode("latin-1"))

    results = dict(read_path(tmp_path))
    assert sorted(Path(p).name for p in results) == [
        "broken.ics",
        "empty.txt",
        "good.html",
        "image.png",
        "latin1.txt",
    ]
    by_name = {Path(p).name: r for p, r in results.items()}
    assert isinstance(by_name["good.html"], list) and by_name["good.html"][0].city == "Lyon"
    assert isinstance(by_name["empty.txt"], InputError) and "empty" in str(by_name["empty.txt"])
    assert isinstance(by_name["image.png"], UnsupportedFormat)
    assert isinstance(by_name["broken.ics"], CityEventsError)
    assert isinstance(by_name["latin1.txt"], list)


def test_read_path_on_a_missing_path(tmp_path: Path) -> None:
    [(_, error)] = list(read_path(tmp_path / "nope"))
    assert isinstance(error, InputError) and "no such" in str(error)


def test_read_path_on_a_single_file(tmp_path: Path) -> None:
    file = tmp_path / "one.html"
    file.write_text(LISTING, encoding="utf-8")
    [(path, events)] = list(read_path(file))
    assert path == str(file) and isinstance(events, list)


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe\x00", b"\x00\x00\x00\x00", b"PK\x03\x04zipzip", b"%PDF-", b"[1, 2", b"{}", b"<rss"],
)
def test_odd_inputs_raise_only_cityevents_errors(data: bytes) -> None:
    try:
        read_document(data, source="x")
    except CityEventsError:
        pass
