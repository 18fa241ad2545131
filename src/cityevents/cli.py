"""The ``cityevents`` command: a thin layer over the library.

Exit codes: 0 when every document was read, 1 when some could not be (the others still count),
2 for a usage mistake. Errors are one line each on standard error, never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from cityevents.commands import ERR, OUT, AllowPrivateOption, DbOption, fail
from cityevents.commands import sources as sources_commands
from cityevents.commands import tokens as token_commands
from cityevents.errors import CityEventsError
from cityevents.model import Event
from cityevents.pipeline import Extraction

app = typer.Typer(
    help="Turn smart-city event announcements into one clean, searchable catalog.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(sources_commands.app, name="sources", help="Sources to keep current: add, list, pause, remove.")
app.command("refresh")(sources_commands.refresh_command)
app.add_typer(token_commands.app, name="token", help="API tokens for moderators and admins: create, list, revoke.")


class ExtractFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    ics = "ics"


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    ics = "ics"


PublishedOption = Annotated[
    str | None, typer.Option("--published", help="Publication date (YYYY-MM-DD) that anchors year-less dates.")
]


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD", param_hint=option) from None


def _emit(events: list[Event], fmt: str) -> None:
    from cityevents.export import render

    sys.stdout.write(render(events, fmt))


def _report(result: Extraction) -> bool:
    """One line on stderr for a document that failed or held no event; True when it failed."""
    if result.error is not None:
        fail(str(result.error))
        return True
    if not result.events:
        ERR.print(f"[yellow]note:[/yellow] {escape(result.document.name)}: no event found", highlight=False)
    return False


def _fetcher(allow_private: bool):
    from cityevents.ingest.fetch import Fetcher
    from cityevents.pipeline import Document
    from cityevents.settings import Settings

    fetcher = Fetcher(cache_dir=Settings.from_env().cache_dir, allow_private=allow_private)

    def fetch(url: str) -> Document:
        try:
            result = fetcher.fetch(url)
        except CityEventsError as error:
            return Document(url, error=error)
        return Document(url, data=result.data, content_type=result.content_type)

    return fetch


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or URLs to read.")],
    fmt: Annotated[ExtractFormat, typer.Option("--format", "-f", help="Output format.")] = ExtractFormat.json,
    published: PublishedOption = None,
    allow_private: AllowPrivateOption = False,
) -> None:
    """Print the events found in documents; touches no database."""
    from cityevents.pipeline import extract_document, iter_documents

    anchor = _parse_day(published, "--published")
    events: list[Event] = []
    failed = 0
    for document in iter_documents(paths, _fetcher(allow_private)):
        result = extract_document(document, published=anchor)
        failed += _report(result)
        events.extend(result.events)
    _emit(events, fmt.value)
    raise typer.Exit(1 if failed else 0)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or URLs to read into the catalog.")],
    db: DbOption = None,
    published: PublishedOption = None,
    allow_private: AllowPrivateOption = False,
) -> None:
    """Read documents into the catalog: new events are added, known ones updated, nothing duplicated."""
    from cityevents.pipeline import count_documents, extract_document, iter_documents

    catalog = _open(db, create=True)
    anchor = _parse_day(published, "--published")
    totals = {"new": 0, "updated": 0, "unchanged": 0, "failed": 0}
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=ERR, transient=True,
        disable=not ERR.is_terminal,
    ) as progress:
        task = progress.add_task("ingesting", total=count_documents(paths))
        for document in iter_documents(paths, _fetcher(allow_private)):
            progress.update(task, description=document.name[-40:])
            result = extract_document(document, published=anchor)
            if _report(result):
                totals["failed"] += 1
                if document.error is None:
                    catalog.record_failure(document.name, str(result.error))
            else:
                outcome = catalog.ingest_document(document.name, result.events, content_hash=document.content_hash)
                totals["new"] += outcome.new
                totals["updated"] += outcome.updated
                totals["unchanged"] += outcome.unchanged
            progress.advance(task)
    OUT.print(
        f"new {totals['new']}, updated {totals['updated']}, unchanged {totals['unchanged']}, "
        f"failed {totals['failed']} document(s)",
        highlight=False,
    )
    raise typer.Exit(1 if totals["failed"] else 0)


def _open(db: str | None, *, create: bool = False):
    """The catalog; a read-only command refuses a SQLite file that does not exist (a typo would
    otherwise create an empty catalog and list nothing)."""
    import sqlalchemy as sa

    from cityevents.catalog import open_catalog
    from cityevents.settings import Settings, database_url

    url = database_url(db) if db else Settings.from_env().database_url
    parsed = sa.make_url(url)
    if not create and parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        fail(f"no catalog at {parsed.database}; `cityevents ingest ... --db {parsed.database}` creates one")
        raise typer.Exit(1)
    return open_catalog(url)


def _query_options(
    text: str | None,
    date_from: str | None,
    date_to: str | None,
    country: str | None,
    city: str | None,
    topic: str | None,
    limit: int,
):
    from cityevents.catalog import EventQuery
    from cityevents.extract.topics import TAXONOMY

    if topic is not None and topic not in TAXONOMY:
        raise typer.BadParameter(f"unknown topic {topic!r}; `cityevents topics` lists them", param_hint="--topic")
    return EventQuery(
        q=text,
        date_from=_parse_day(date_from, "--from"),
        date_to=_parse_day(date_to, "--to"),
        country=country,
        city=city,
        topic=topic,
        limit=limit,
    )


FromOption = Annotated[str | None, typer.Option("--from", help="Events ending on or after this day (YYYY-MM-DD).")]
ToOption = Annotated[str | None, typer.Option("--to", help="Events starting on or before this day (YYYY-MM-DD).")]
CountryOption = Annotated[str | None, typer.Option(help="ISO country code or country name.")]
CityOption = Annotated[str | None, typer.Option(help="City name.")]
TopicOption = Annotated[str | None, typer.Option(help="Topic id, e.g. mobility (see `cityevents topics`).")]
LimitOption = Annotated[int, typer.Option(min=1, max=10000, help="At most this many events.")]
ListFormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]


def _print_events(events: list[Event], fmt: ListFormat, total: int) -> None:
    if fmt is not ListFormat.table:
        _emit(events, fmt.value)
        return
    table = Table(show_lines=False, header_style="bold")
    for column in ("id", "dates", "name", "place", "topics"):
        table.add_column(column, overflow="fold")
    for event in events:
        dates = str(event.start or "?") + ("" if event.end in (None, event.start) else f" – {event.end}")
        place = ", ".join(p for p in (event.city, event.country_code) if p)
        table.add_row(event.id, dates, event.name, place, ", ".join(event.topics[:3]))
    OUT.print(table)
    OUT.print(f"{len(events)} of {total} event(s)", highlight=False)


@app.command("list")
def list_events(
    db: DbOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    country: CountryOption = None,
    city: CityOption = None,
    topic: TopicOption = None,
    limit: LimitOption = 100,
    fmt: ListFormatOption = ListFormat.table,
) -> None:
    """List catalog events, soonest first, with optional filters."""
    page = _open(db).query(_query_options(None, date_from, date_to, country, city, topic, limit))
    _print_events(page.events, fmt, page.count)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to look for in names, descriptions, places and organizers.")],
    db: DbOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    country: CountryOption = None,
    city: CityOption = None,
    topic: TopicOption = None,
    limit: LimitOption = 100,
    fmt: ListFormatOption = ListFormat.table,
) -> None:
    """Full-text search of the catalog."""
    page = _open(db).query(_query_options(text, date_from, date_to, country, city, topic, limit))
    _print_events(page.events, fmt, page.count)


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(help="An event id from `list` or `search`.")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a summary.")] = False,
) -> None:
    """One event with every field, its sources and any conflicts between them."""
    event = _open(db).get(event_id)
    if event is None:
        fail(f"no event with id {event_id!r}")
        raise typer.Exit(1)
    if as_json:
        OUT.print_json(json.dumps(event.to_dict()))
        return
    from cityevents.show import describe

    OUT.print(describe(event), highlight=False)


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold labels (the shared/gold JSON form).", exists=True, dir_okay=False)],
    paths: Annotated[list[str], typer.Argument(help="Documents to extract and score.")],
    published: PublishedOption = None,
) -> None:
    """Per-field precision, recall and F1 of extraction against hand-checked labels."""
    from cityevents.evaluate import load_gold, score
    from cityevents.pipeline import extract_document, iter_documents

    try:
        labels = load_gold(gold)
    except ValueError as error:
        fail(f"{gold}: not a gold file ({error})")
        raise typer.Exit(2) from None
    anchor = _parse_day(published, "--published")
    events = [e for d in iter_documents(paths) for e in extract_document(d, published=anchor).events]
    report = score(labels, [e.to_dict() for e in events])
    table = Table(header_style="bold")
    for column in ("field", "precision", "recall", "F1"):
        table.add_column(column, justify="right" if column != "field" else "left")
    for name, prf in report.fields.items():
        table.add_row(name, f"{prf.precision:.3f}", f"{prf.recall:.3f}", f"{prf.f1:.3f}")
    table.add_row("event (exact)", f"{report.events.precision:.3f}", f"{report.events.recall:.3f}", f"{report.events.f1:.3f}")
    OUT.print(table)
    OUT.print(f"exact={report.exact}/{report.gold} predicted={report.predicted}", highlight=False)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the web UI in a browser once it is up.")] = False,
) -> None:
    """Serve the web UI, the REST API (/api, OpenAPI at /api/openapi.json) and the feeds."""
    from cityevents.settings import Settings, database_url
    from cityevents.web.server import serve as run

    run(database_url(db) if db else Settings.from_env().database_url, host=host, port=port, open_browser=open_browser)


@app.command()
def topics() -> None:
    """The smart-city topic taxonomy: ids to use with --topic, and what each covers."""
    from cityevents.extract.topics import TAXONOMY

    table = Table(header_style="bold")
    for column in ("id", "label", "covers"):
        table.add_column(column, overflow="fold")
    for topic in TAXONOMY.values():
        table.add_row(topic.id, topic.label, topic.description)
    OUT.print(table)


def main() -> None:
    """Console entry point: library errors and failed output become one clean line and exit code 1."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except CityEventsError as error:
        fail(str(error))
        sys.exit(1)
    except BrokenPipeError:  # e.g. `cityevents list | head`: the reader has gone, nothing to say
        sys.stderr.close()
        sys.exit(1)
    except OSError as error:
        fail(f"cannot write the output: {error.strerror or error}")
        sys.exit(1)
