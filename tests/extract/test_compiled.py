"""The extraction modules are compiled at install (setup.py), and a stale build is refused."""

import os
from pathlib import Path

import pytest

from cityevents.extract import engine, stale_compiled_modules


@pytest.mark.skipif(
    bool(os.environ.get("CITYEVENTS_PURE_PYTHON")), reason="CITYEVENTS_PURE_PYTHON: installed uncompiled"
)
def test_the_installed_extraction_modules_are_compiled() -> None:
    assert Path(engine.__file__).suffix == ".so"


def _module_pair(package: Path, source_newer: bool) -> None:
    package.mkdir(parents=True)
    source, compiled = package / "dates.py", package / "dates.cpython-311-x86_64-linux-gnu.so"
    source.write_text("")
    compiled.write_bytes(b"")
    older, newer = 1_700_000_000, 1_700_000_100
    os.utime(source, (newer, newer) if source_newer else (older, older))
    os.utime(compiled, (older, older) if source_newer else (newer, newer))


def test_a_source_edited_after_its_build_is_reported(tmp_path: Path) -> None:
    package = tmp_path / "src" / "cityevents" / "extract"
    _module_pair(package, source_newer=True)
    assert stale_compiled_modules(package) == ["dates.py"]


def test_a_fresh_build_is_not_reported(tmp_path: Path) -> None:
    package = tmp_path / "src" / "cityevents" / "extract"
    _module_pair(package, source_newer=False)
    assert stale_compiled_modules(package) == []


def test_an_installed_package_is_not_checked(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "cityevents" / "extract"
    _module_pair(package, source_newer=True)
    assert stale_compiled_modules(package) == []
