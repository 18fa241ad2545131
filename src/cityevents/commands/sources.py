"""``cityevents sources ...`` and ``cityevents refresh``: pages, feeds and calendars fetched on a schedule.

    cityevents sources add https://example.org/events.ics --every 6h
    cityevents sources list
    cityevents refresh            # from cron; silent unless a source fails (then exit code 1)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import typer
from rich.table import Table

from cityevents.commands import OUT, AllowPrivateOption, DbOption, fail, user_errors

app = typer.Typer(
    help="Pages, feeds and calendars that `cityevents refresh` fetches on a schedule.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EVERY_HELP = 'How often to fetch it: "30m", "6h", "1d", "2w", "1d12h".'
UrlArgument = Annotated[str, typer.Argument(help="An http:// or https:// URL.", show_default=False)]


def _interval(text: str) -> timedelta:
    from cityevents.catalog.sources import parse_interval
    from cityevents.errors import InputError

    try:
        return parse_interval(text)
    except InputError as error:
        raise typer.BadParameter(str(error), param_hint="--every") from None


@app.command()
def add(
    url: UrlArgument,
    every: Annotated[str, typer.Option("--every", metavar="INTERVAL", help=EVERY_HELP)] = "6h",
    db: DbOption = None,
) -> None:
    """Add a source; the next `cityevents refresh` fetches it."""
    from cityevents.catalog import open_catalog
    from cityevents.catalog.sources import SourceRegistry, format_interval

    interval = _interval(every)
    with user_errors(), open_catalog(db) as catalog:
        source = SourceRegistry(catalog).add(url, interval)
    OUT.print(f"added {source.url}, fetched every {format_interval(source.every)}", highlight=False)


@app.command("list")
def list_sources(db: DbOption = None) -> None:
    """Every source with its interval, last success, last error and event count."""
    from cityevents.catalog import open_catalog
    from cityevents.catalog.sources import SourceRegistry, format_interval

    with user_errors(), open_catalog(db) as catalog:
        found = SourceRegistry(catalog).list()
    if not found:
        OUT.print("no sources; add one with `cityevents sources add URL --every 6h`", highlight=False)
        return
    table = Table(header_style="bold")
    for column in ("url", "every", "last success", "last error", "events"):
        table.add_column(column, overflow="fold", justify="right" if column == "events" else "left")
    for source in found:
        every = format_interval(source.every) + ("" if source.enabled else " (paused)")
        events = "" if source.last_event_count is None else str(source.last_event_count)
        table.add_row(source.url, every, _when(source.last_success_at), source.last_error or "", events)
    OUT.print(table)
    OUT.print(f"{len(found)} source(s)", highlight=False)


@app.command()
def remove(url: UrlArgument, db: DbOption = None) -> None:
    """Remove a source; the events it brought stay in the catalog."""
    from cityevents.catalog import open_catalog
    from cityevents.catalog.sources import SourceRegistry

    with user_errors(), open_catalog(db) as catalog:
        SourceRegistry(catalog).remove(url)
    OUT.print(f"removed {url}", highlight=False)


@app.command()
def pause(url: UrlArgument, db: DbOption = None) -> None:
    """Stop fetching a source without forgetting it (see `resume`)."""
    _set_enabled(url, False, db)


@app.command()
def resume(url: UrlArgument, db: DbOption = None) -> None:
    """Fetch a paused source again from the next refresh on."""
    _set_enabled(url, True, db)


def refresh_command(
    db: DbOption = None,
    allow_private: AllowPrivateOption = False,
    force: Annotated[bool, typer.Option("--force", help="Fetch every source, due or not.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Report each source and totals.")] = False,
) -> None:
    """Fetch the sources that are due and update the catalog; silent unless a source fails (exit 1)."""
    from cityevents.catalog import open_catalog
    from cityevents.ingest.fetch import Fetcher
    from cityevents.refresh import refresh
    from cityevents.settings import Settings

    with (
        user_errors(),
        open_catalog(db) as catalog,
        Fetcher(cache_dir=Settings.from_env().cache_dir, allow_private=allow_private) as fetcher,
    ):
        report = refresh(catalog, fetcher, force=force)
    for outcome in report.outcomes:
        if outcome.error is not None:
            fail(outcome.message)
        elif verbose:
            OUT.print(f"{outcome.url}: {outcome.status}, {outcome.events} event(s), "
                      f"{outcome.new} new, {outcome.updated} updated", highlight=False)
    if verbose:
        counts = report.counts
        OUT.print(f"{len(report.outcomes)} source(s) fetched: {counts['read']} read, "
                  f"{counts['unchanged']} unchanged, {counts['failed']} failed; {report.not_due} not due",
                  highlight=False)
    raise typer.Exit(1 if report.failed else 0)


def _set_enabled(url: str, enabled: bool, db: str | None) -> None:
    from cityevents.catalog import open_catalog
    from cityevents.catalog.sources import SourceRegistry

    with user_errors(), open_catalog(db) as catalog:
        SourceRegistry(catalog).set_enabled(url, enabled)
    OUT.print(f"{'resumed' if enabled else 'paused'} {url}", highlight=False)


def _when(moment: datetime | None) -> str:
    return "never" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")
