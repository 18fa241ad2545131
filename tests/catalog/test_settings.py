"""Settings from the environment and database URL normalisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityevents.errors import CatalogError
from cityevents.settings import DEFAULT_DB, Settings, database_url


def test_settings_default_when_environment_is_empty() -> None:
    settings = Settings.from_env({})
    assert settings.db == DEFAULT_DB == "sqlite:///./cityevents.db"
    assert settings.database_url == "sqlite:///./cityevents.db"
    assert settings.cache_dir == Path("~/.cache/cityevents").expanduser()


def test_settings_read_from_environment(tmp_path: Path) -> None:
    settings = Settings.from_env({"CITYEVENTS_DB": "postgresql://u@h/db", "CITYEVENTS_CACHE_DIR": str(tmp_path)})
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.cache_dir == tmp_path


def test_plain_path_becomes_absolute_sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert database_url("events.db") == f"sqlite:///{tmp_path / 'events.db'}"
    assert database_url(str(tmp_path / "x.db")) == f"sqlite:////{str(tmp_path / 'x.db').lstrip('/')}"


def test_home_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert database_url("~/events.db") == f"sqlite:///{tmp_path / 'events.db'}"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///./cityevents.db", "sqlite:///./cityevents.db"),
        ("sqlite:////var/lib/events.db", "sqlite:////var/lib/events.db"),
        ("postgresql://postgres@127.0.0.1:5432/test", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
        ("postgres://u:p@db/events", "postgresql+psycopg://u:p@db/events"),
        ("postgresql+psycopg://u@db/events", "postgresql+psycopg://u@db/events"),
        ("  postgresql://u@db/events  ", "postgresql+psycopg://u@db/events"),
    ],
)
def test_urls_are_normalised(given: str, expected: str) -> None:
    assert database_url(given) == expected


def test_none_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYEVENTS_DB", "postgresql://x@y/z")
    assert database_url(None) == "postgresql+psycopg://x@y/z"
    monkeypatch.delenv("CITYEVENTS_DB")
    assert database_url(None) == DEFAULT_DB


def test_unsupported_scheme_is_a_catalog_error() -> None:
    with pytest.raises(CatalogError, match="mysql"):
        database_url("mysql://u@h/db")


def test_web_settings_come_from_the_environment() -> None:
    settings = Settings.from_env({"CITYEVENTS_TILE_URL": " https://t.example.org/{z}/{x}/{y}.png ",
                                  "CITYEVENTS_SECRET": "s3cret"})
    assert (settings.tile_url, settings.secret) == ("https://t.example.org/{z}/{x}/{y}.png", "s3cret")
    assert "s3cret" not in repr(settings)
    assert (Settings.from_env({}).tile_url, Settings.from_env({}).secret) == ("", "")
