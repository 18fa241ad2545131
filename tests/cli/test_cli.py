"""The command line, end to end through Typer's runner: output forms, catalog round trips, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cityevents.cli import app

RUNNER = CliRunner()
LISTING = """Smart events in 2024

Harbour Data Summit

  • Rotterdam (the Netherlands), 9-10 April 2024

The Harbour Data Summit is organised by the Port of Rotterdam. It covers digital twins and open data.

Alpine Mobility Days

  • Innsbruck (Austria), 14-16 May 2024

Alpine Mobility Days bring together transit agencies; in 2023 almost 2.500 participants attended.
"""
REQUIRED_KEYS = {"name", "start", "end", "city", "country", "country_code", "lat", "lon", "timezone",
                 "organizers", "topics", "figures", "description", "source"}


@pytest.fixture()
def listing(tmp_path: Path) -> Path:
    path = tmp_path / "listing.txt"
    path.write_text(LISTING, encoding="utf-8")
    return path


def run(*args: str):
    return RUNNER.invoke(app, list(args), catch_exceptions=False)


def test_extract_json_has_the_published_form(listing: Path) -> None:
    result = run("extract", str(listing), "--format", "json")
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)
    assert [e["name"] for e in events] == ["Harbour Data Summit", "Alpine Mobility Days"]
    assert all(REQUIRED_KEYS <= set(e) for e in events)
    assert events[0]["source"] == str(listing)
    assert (events[1]["start"], events[1]["end"], events[1]["country_code"]) == ("2024-05-14", "2024-05-16", "AT")


def test_extract_other_formats(listing: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("extract", str(listing), "-f", "csv").stdout)))
    assert [r["city"] for r in rows] == ["Rotterdam", "Innsbruck"]
    lines = run("extract", str(listing), "-f", "jsonl").stdout.strip().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["name"] == "Harbour Data Summit"
    assert run("extract", str(listing), "-f", "ics").stdout.count("BEGIN:VEVENT") == 2


def test_bad_inputs_give_one_clear_line_each(tmp_path: Path, listing: Path) -> None:
    binary = tmp_path / "image.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("extract", str(listing), str(binary), str(empty), str(tmp_path / "missing.txt"))
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)) == 2  # the good document still counts
    assert "Traceback" not in result.output
    for name in ("image.bin", "empty.txt", "missing.txt"):
        assert name in result.stderr


def test_a_document_without_events_is_noted_not_failed(tmp_path: Path) -> None:
    quiet = tmp_path / "policy.txt"
    quiet.write_text("The council approved its open data policy. It takes effect in 2025.", encoding="utf-8")
    result = run("extract", str(quiet))
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert "policy.txt: no event found" in result.stderr


def test_an_empty_folder_is_reported_not_silently_empty(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / ".hidden.txt").write_text("Harbour Data Summit, Rotterdam, 9 April 2024", encoding="utf-8")
    result = run("extract", str(folder))
    assert result.exit_code == 1 and json.loads(result.stdout) == []
    assert "drafts: the folder holds no documents" in result.stderr


def test_bad_option_values_are_usage_errors(listing: Path) -> None:
    result = run("extract", str(listing), "--published", "yesterday")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    result = run("list", "--db", "mysql://localhost/events")
    assert result.exit_code == 2 and "unsupported database" in result.output and "'mysql'" in result.output


def test_ingest_is_idempotent_and_lists(listing: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "catalog.db")
    first = run("ingest", str(listing), "--db", db)
    assert first.exit_code == 0 and "new 2, updated 0, unchanged 0, failed 0" in first.stdout
    again = run("ingest", str(listing), "--db", db)
    assert "new 0, updated 0, unchanged 2, failed 0" in again.stdout
    listed = json.loads(run("list", "--db", db, "--format", "json").stdout)
    assert [e["name"] for e in listed] == ["Harbour Data Summit", "Alpine Mobility Days"]
    assert json.loads(run("list", "--db", db, "-f", "json", "--country", "AT").stdout)[0]["city"] == "Innsbruck"
    assert json.loads(run("list", "--db", db, "-f", "json", "--from", "2024-05-01").stdout)[0]["city"] == "Innsbruck"
    found = json.loads(run("search", "digital twins", "--db", db, "-f", "json").stdout)
    assert [e["name"] for e in found] == ["Harbour Data Summit"]
    shown = run("show", listed[0]["id"], "--db", db)
    assert "Port of Rotterdam" in shown.stdout and str(listing) in shown.stdout
    assert run("show", "nope", "--db", db).exit_code == 1


@pytest.mark.parametrize("content", ["not json", "[1, 2]", "{}", '{"documents": []}'])
def test_eval_rejects_what_is_not_a_gold_file(listing: Path, tmp_path: Path, content: str) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(content)
    result = run("eval", str(gold), str(listing))
    assert result.exit_code == 2 and "not a gold file" in result.stderr


def test_eval_scores_like_the_shared_tool(listing: Path, tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"documents": {"listing.txt": {"events": [
        {"name": "Harbour Data Summit", "start": "2024-04-09", "end": "2024-04-10", "city": "Rotterdam",
         "country_code": "NL", "lat": 51.92, "lon": 4.48},
        {"name": "Alpine Mobility Days", "start": "2024-05-14", "end": "2024-05-15", "city": "Innsbruck",
         "country_code": "AT", "lat": 47.26, "lon": 11.39},
    ]}}}))
    result = run("eval", str(gold), str(listing))
    assert result.exit_code == 0
    assert "exact=1/2 predicted=2" in result.stdout


def test_read_commands_do_not_create_a_catalog(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    for args in (["list"], ["search", "expo"], ["show", "abc"]):
        result = run(*args, "--db", str(missing))
        assert result.exit_code == 1 and "no catalog at" in result.stderr
    assert not missing.exists()
