"""The extraction modules are compiled at install (setup.py), and a stale build is refused."""

import dataclasses
import inspect
import os
from datetime import date
from pathlib import Path

import pytest

from cityevents.extract import engine, stale_compiled_modules
from cityevents.extract.dates import DateMatch, Dateline, DurationMatch
from cityevents.extract.gazetteer import Place
from cityevents.extract.names import CleanName
from cityevents.extract.places import PlaceMention
from cityevents.extract.segment import Anchor, Block, Line

# Built for every date, place, line and event found: their __init__ is written out so that it compiles.
RESULT_CLASSES = (DateMatch, DurationMatch, Dateline, Place, PlaceMention, CleanName, Line, Anchor, Block)
COMPILED_ONLY = pytest.mark.skipif(
    bool(os.environ.get("CITYEVENTS_PURE_PYTHON")), reason="CITYEVENTS_PURE_PYTHON: installed uncompiled"
)


@COMPILED_ONLY
def test_the_installed_extraction_modules_are_compiled() -> None:
    assert Path(engine.__file__).suffix == ".so"


@COMPILED_ONLY
@pytest.mark.parametrize("cls", RESULT_CLASSES, ids=lambda cls: cls.__name__)
def test_result_classes_are_built_by_compiled_code(cls: type) -> None:
    # A dataclass's generated __init__ is a Python function even in a compiled module, and costs about
    # 20 times a compiled one.
    assert not inspect.isfunction(cls.__init__)


def test_frozen_results_stay_frozen_and_replaceable() -> None:
    when = DateMatch(date(2025, 3, 3), date(2025, 3, 4), (0, 9), "3-4 March", True, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        when.start = date(2026, 3, 3)  # type: ignore[misc]
    later = dataclasses.replace(when, end=date(2025, 3, 5))
    assert later == DateMatch(date(2025, 3, 3), date(2025, 3, 5), (0, 9), "3-4 March", True, None)
    assert hash(when) != hash(later) and when != later
    place = Place("Lyon", None, "France", "FR", 45.75, 4.85, "Europe/Paris")
    assert place.population == 0 and dataclasses.replace(place, population=5).population == 5
    assert CleanName("Expo").aliases == [] and CleanName("Expo").aliases is not CleanName("Expo").aliases


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
