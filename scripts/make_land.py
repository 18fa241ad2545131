"""Write land.svg, the offline map's base layer: land cells on an equirectangular grid.

Each cell is land when timezonefinder (an installed dependency) puts its centre in a named time
zone rather than an ocean zone ("Etc/GMT+3"). Its data is timezone-boundary-builder, derived from
OpenStreetMap and licensed ODbL 1.0; the SVG is a produced work and carries that attribution.
Run from the repository root: ``.venv/bin/python scripts/make_land.py``.
"""

from __future__ import annotations

from pathlib import Path

from timezonefinder import TimezoneFinder

STEP = 0.5  # degrees per cell
NORTH, SOUTH = 84, -60  # the map's extent; Antarctica's time zones are rough boxes, so it is left out
OUT = Path(__file__).resolve().parents[1] / "src" / "cityevents" / "web" / "static" / "map" / "land.svg"
ATTRIBUTION = "Land from timezone-boundary-builder, © OpenStreetMap contributors, ODbL 1.0"


def land_rows(step: float) -> list[list[tuple[int, int]]]:
    """For each row of cells from north to south, the [first, last) columns of each run of land."""
    finder = TimezoneFinder()
    columns, rows = int(360 / step), int((NORTH - SOUTH) / step)
    result: list[list[tuple[int, int]]] = []
    for row in range(rows):
        lat = NORTH - (row + 0.5) * step
        runs: list[tuple[int, int]] = []
        start: int | None = None
        for column in range(columns + 1):
            zone = finder.timezone_at(lat=lat, lng=-180 + (column + 0.5) * step) if column < columns else None
            land = zone is not None and not zone.startswith("Etc/")
            if land and start is None:
                start = column
            elif not land and start is not None:
                runs.append((start, column))
                start = None
        result.append(runs)
    return result


def rectangles(rows: list[list[tuple[int, int]]]) -> list[tuple[int, int, int, int]]:
    """(column, row, width, height) rectangles: a run repeated on the rows below grows downwards."""
    done: list[tuple[int, int, int, int]] = []
    open_: dict[tuple[int, int], int] = {}  # run -> first row
    for row, runs in enumerate([*rows, []]):
        current = set(runs)
        for run in [run for run in open_ if run not in current]:
            first = open_.pop(run)
            done.append((run[0], first, run[1] - run[0], row - first))
        for run in runs:
            open_.setdefault(run, row)
    return done


def main() -> None:
    """Compute the grid and write the SVG, in degrees: x = longitude, y = -latitude."""
    parts = [
        f"M{-180 + x * STEP:g} {-NORTH + y * STEP:g}h{w * STEP:g}v{h * STEP:g}h{-w * STEP:g}z"
        for x, y, w, h in rectangles(land_rows(STEP))
    ]
    OUT.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-180 {-NORTH} 360 {NORTH - SOUTH}" '
        'preserveAspectRatio="none">'
        f"<title>{ATTRIBUTION}</title>"
        f'<path fill="#d9e4cf" shape-rendering="crispEdges" d="{"".join(parts)}"/></svg>\n'
    )


if __name__ == "__main__":
    main()
