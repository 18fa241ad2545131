"""Compile the text-extraction modules with mypyc, unless CITYEVENTS_PURE_PYTHON is set.

Extraction is the throughput-critical path (see bench/extract.py); compiled, it runs about a
quarter faster with the same code. Everything else stays plain Python, and so does extraction when
no C compiler is at hand or the variable is set.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup

COMPILED = sorted(
    str(path.relative_to("src"))
    for path in Path("src/cityevents/extract").glob("*.py")
    if path.name != "__init__.py"
)


def extensions() -> list:
    if os.environ.get("CITYEVENTS_PURE_PYTHON"):
        return []
    from mypyc.build import mypycify

    return mypycify(["--config-file=pyproject.toml", *(f"src/{p}" for p in COMPILED)], opt_level="3")


setup(ext_modules=extensions())
