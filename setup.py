"""Compile the text-extraction modules with mypyc, unless CITYEVENTS_PURE_PYTHON is set.

Extraction is the throughput-critical path (bench/extract.py): compiled, the same sources run about
1.4 times as fast. Everything else stays plain Python, and so does extraction when the variable is
set (the build then needs no C compiler).
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import Extension, setup

EXTRACTION_MODULES = sorted(
    str(path) for path in Path("src/cityevents/extract").glob("*.py") if path.name != "__init__.py"
)


def extensions() -> list[Extension]:
    """The compiled extraction modules, or none when CITYEVENTS_PURE_PYTHON is set."""
    if os.environ.get("CITYEVENTS_PURE_PYTHON"):
        return []
    from mypyc.build import mypycify

    return mypycify(["--config-file=pyproject.toml", *EXTRACTION_MODULES], opt_level="3")


setup(ext_modules=extensions())
