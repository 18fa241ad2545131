"""Free text -> events. The entry point is :func:`cityevents.extract.engine.extract_events`.

An install compiles this package's modules with mypyc (see setup.py). In a source tree the compiled
modules sit beside their sources and Python imports them first, so a source edited since the last
build would not run: importing the package then fails, saying what to rebuild.
"""

from pathlib import Path

_PACKAGE = Path(__file__).parent


def stale_compiled_modules(package: Path) -> list[str]:
    """The sources in ``package`` newer than their compiled modules, in a source tree (src/...)."""
    if package.parents[1].name != "src":
        return []  # installed from a wheel: sources and compiled modules were written together
    return sorted(
        source.name
        for compiled in package.glob("*.so")
        if (source := package / f"{compiled.name.split('.')[0]}.py").exists()
        and source.stat().st_mtime > compiled.stat().st_mtime
    )


if _stale := stale_compiled_modules(_PACKAGE):
    raise ImportError(
        f"cityevents.extract: {', '.join(_stale)} changed after they were compiled; rebuild with "
        f"`make install` (or `pip install -e .`), or delete the compiled modules in {_PACKAGE} (*.so) "
        "to run the sources uncompiled"
    )
