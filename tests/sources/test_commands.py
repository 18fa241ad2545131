"""The `sources` sub-app and `refresh` command through Typer's test runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from cityevents.catalog import open_catalog
from cityevents.catalog.sources import SourceRegistry
from cityevents.commands.sources import app as sources_app
from cityevents.commands.sources import refresh_command

ICS = "text/calendar; charset=utf-8"


@pytest.fixture
def cli() -> typer.Typer:
    """The commands mounted as cli.py mounts them."""
    root = typer.Typer()
    root.add_typer(sources_app, name="sources")
    root.command("refresh")(refresh_command)
    return root


@pytest.fixture
def run(cli: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Invoke the CLI against a catalog in tmp_path (via CITYEVENTS_DB) with a private cache dir."""
    monkeypatch.setenv("CITYEVENTS_DB", str(tmp_path / "catalog.db"))
    monkeypatch.setenv("CITYEVENTS_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args))


def test_add_list_remove(run: Callable[..., Any], tmp_path: Path) -> None:
    added = run("sources", "add", "https://Example.org/cal.ics", "--every", "1d12h")
    assert added.exit_code == 0, added.output
    assert added.stdout == "added https://example.org/cal.ics, fetched every 1d12h\n"
    assert run("sources", "add", "https://example.org/feed.xml").exit_code == 0  # default: every 6h

    listed = run("sources", "list")
    assert listed.exit_code == 0
    for text in ("url", "every", "last success", "last error", "events", "https://example.org/cal.ics",
                 "1d12h", "6h", "never", "2 source(s)"):
        assert text in listed.stdout

    removed = run("sources", "remove", "https://example.org/cal.ics")
    assert (removed.exit_code, removed.stdout) == (0, "removed https://example.org/cal.ics\n")
    with open_catalog(str(tmp_path / "catalog.db")) as catalog:
        assert [s.url for s in SourceRegistry(catalog).list()] == ["https://example.org/feed.xml"]


def test_db_option_wins_over_the_environment(run: Callable[..., Any], tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    assert run("sources", "add", "https://example.org/cal.ics", "--db", str(other)).exit_code == 0
    assert "no sources" in run("sources", "list").stdout
    assert "https://example.org/cal.ics" in run("sources", "list", "--db", str(other)).stdout


def test_mistakes_are_one_clear_line(run: Callable[..., Any]) -> None:
    bad_interval = run("sources", "add", "https://example.org/", "--every", "6 hours")
    assert bad_interval.exit_code == 2
    assert "'6 hours' is not an interval" in " ".join(bad_interval.stderr.split())

    bad_url = run("sources", "add", "ftp://example.org/events")
    assert bad_url.exit_code == 1
    assert bad_url.stderr == ("error: 'ftp://example.org/events': "
                              "a source must be an http:// or https:// URL (got ftp:)\n")

    run("sources", "add", "https://example.org/")
    duplicate = run("sources", "add", "https://example.org/")
    assert (duplicate.exit_code, duplicate.stderr) == (
        1, "error: https://example.org/ is already a source (every 6h); remove it first to change it\n")

    missing = run("sources", "remove", "https://example.org/nothing")
    assert (missing.exit_code, missing.stderr) == (1, "error: https://example.org/nothing is not a source\n")


def test_pause_and_resume(run: Callable[..., Any]) -> None:
    run("sources", "add", "https://example.org/")
    assert run("sources", "pause", "https://example.org/").exit_code == 0
    assert "6h (paused)" in run("sources", "list").stdout
    assert run("sources", "resume", "https://example.org/").exit_code == 0
    assert "(paused)" not in run("sources", "list").stdout


def test_refresh_is_quiet_on_success_and_fails_loudly(run: Callable[..., Any], site: Any,
                                                      calendar: Callable[..., bytes]) -> None:
    site.pages["/cal.ics"] = (200, calendar(), ICS)
    run("sources", "add", site.url("/cal.ics"))

    quiet = run("refresh", "--allow-private")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    listed = run("sources", "list").stdout
    assert "never" not in listed and " 2 " in listed  # a success time and two events

    run("sources", "add", site.url("/gone"))  # the server answers 404
    failed = run("refresh", "--allow-private", "--verbose")
    assert failed.exit_code == 1
    assert failed.stderr == f"error: {site.url('/gone')}: HTTP 404 Not Found\n"
    assert failed.stdout == "1 source(s) fetched: 0 read, 0 unchanged, 1 failed; 1 not due\n"

    forced = run("refresh", "--allow-private", "--verbose", "--force")
    assert forced.exit_code == 1
    assert f"{site.url('/cal.ics')}: unchanged, 2 event(s), 0 new, 0 updated\n" in forced.stdout


def test_refresh_keeps_the_ssrf_guard_by_default(run: Callable[..., Any], site: Any,
                                                 calendar: Callable[..., bytes]) -> None:
    site.pages["/cal.ics"] = (200, calendar(), ICS)
    run("sources", "add", site.url("/cal.ics"))
    blocked = run("refresh")
    assert blocked.exit_code == 1
    assert "refusing to connect to 127.0.0.1" in blocked.stderr
    assert site.hits == {}
