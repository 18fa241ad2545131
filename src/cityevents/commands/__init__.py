"""Command groups of the ``cityevents`` CLI, each a thin Typer layer over the library.

The options and error handling they share live here, so that every group reads ``--db`` and reports
library errors the same way (one line on standard error, exit code 1).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from cityevents.errors import CityEventsError

OUT = Console(soft_wrap=True)
ERR = Console(stderr=True, soft_wrap=True)


def _checked_db(value: str | None) -> str | None:
    """A ``--db`` value whose scheme the catalog cannot open is a usage error (exit code 2)."""
    from cityevents.settings import database_url

    if value is not None and value.strip():
        try:
            database_url(value)
        except CityEventsError as error:
            raise typer.BadParameter(str(error)) from None
    return value


DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="CITYEVENTS_DB", callback=_checked_db,
                 help="Catalog: a file path or a database URL (sqlite:///..., postgresql://...)."),
]
AllowPrivateOption = Annotated[
    bool, typer.Option("--allow-private", help="Let URLs reach private and loopback addresses.")
]


def fail(message: str) -> None:
    """Print one error line on standard error."""
    ERR.print(f"[red]error:[/red] {escape(message)}", highlight=False)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a library error raised in the block into one line on standard error and exit code 1."""
    try:
        yield
    except CityEventsError as error:
        fail(str(error))
        raise typer.Exit(1) from None
