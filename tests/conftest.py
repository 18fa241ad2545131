"""Suite-wide fixtures, and the rule that CI may not skip what it installed.

Tests marked ``postgres`` or ``browser`` may skip locally when the component is absent; with
CITYEVENTS_REQUIRE_PG=1 or CITYEVENTS_REQUIRE_BROWSER=1 (set by .ci/run) such a skip is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REQUIRED = {"postgres": "CITYEVENTS_REQUIRE_PG", "browser": "CITYEVENTS_REQUIRE_BROWSER"}


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared folder (seeds, gold labels, corpora); skips when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: shared seeds and corpora are not available here")
    return SHARED


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if not report.skipped:
        return
    for marker, variable in REQUIRED.items():
        if item.get_closest_marker(marker) and os.environ.get(variable) == "1":
            report.outcome = "failed"
            report.longrepr = f"{item.nodeid}: skipped, but {variable}=1 requires it to run ({report.longrepr})"
