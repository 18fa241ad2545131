"""Server-rendered HTML pages: home, calendar, map, event, city and topic.

Every page reads the same query parameters as the API through
:func:`cityevents.web.params.parse_event_query` and links to its feed twins with the same filter.
Templates autoescape everything; the only markup built here is the event's JSON-LD, written with
:func:`cityevents.export.script_safe_json` so no string in it can end its ``<script>`` element.
"""

from __future__ import annotations

import calendar
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from cityevents.catalog import EventQuery, Page
from cityevents.catalog.similarity import similar_cities
from cityevents.errors import CityEventsError, InputError, NotFound
from cityevents.export import event_jsonld, script_safe_json
from cityevents.export.common import event_times, first_day, last_day, safe_url
from cityevents.extract.topics import TAXONOMY
from cityevents.model import Event
from cityevents.web.params import country_name, describe_query, get_catalog, parse_event_query

router = APIRouter()

TEMPLATES_DIR = Path(__file__).with_name("templates")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CALENDAR_LIMIT = 1000  # events drawn in one month grid
MAP_LIMIT = 2000  # markers drawn on one map
# Query parameters that filter (as opposed to order or page); feed links carry exactly these.
FILTERS = (
    "q",
    "from",
    "to",
    "country",
    "city",
    "topic",
    "organizer",
    "status",
    "near",
    "radius_km",
    "bbox",
    "updated_since",
)
FEEDS = (("ics", "iCalendar"), ("rss", "RSS"), ("atom", "Atom"))
WORLD = (-180.0, -60.0, 180.0, 84.0)  # (west, south, east, north) of the offline outline, land.svg
TILE_SIZE = 256
MAP_WIDTH_PX = 1024  # the width tiles are chosen for
MAX_TILE_ZOOM = 18


# -- formatting helpers (also template filters) -----------------------------------------------------


def path_segment(value: str) -> str:
    """``value`` quoted for use as one URL path segment ("/" included)."""
    return quote(value, safe="")


def format_day(day: date | None) -> str:
    """ "Tue 3 Oct 2023"."""
    return f"{day:%a} {day.day} {day:%b %Y}" if day else "date unknown"


def date_range(event: Event) -> str:
    """ "3–5 Oct 2023", "30 Sep – 2 Oct 2023", or one day."""
    start, end = first_day(event), last_day(event)
    if start is None or end is None:
        return "date unknown"
    if start == end:
        return format_day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"


def time_range(event: Event) -> str:
    """ "14:00–17:30 (Europe/Helsinki)" when the source gave times, else ""."""
    times = event_times(event)
    if times is None:
        return ""
    start, end = times
    text = f"{start:%H:%M}" + (f"–{end:%H:%M}" if end is not None and end.date() == start.date() else "")
    zone = event.timezone or (start.tzname() if start.tzinfo else None)
    return f"{text} ({zone})" if zone else text


def topic_label(topic_id: str) -> str:
    """The taxonomy label for a topic id, or the id itself."""
    topic = TAXONOMY.get(topic_id)
    return topic.label if topic else topic_id


def updated_label(moment: datetime | None) -> str:
    """ "2024-01-05 14:03 UTC" for a record's timestamp."""
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "unknown"


def with_params(path: str, params: Mapping[str, str], **changes: str | None) -> str:
    """``path`` with the query ``params`` after ``changes`` (a ``None`` value removes the name)."""
    merged = {name: value for name, value in params.items() if value}
    for name, value in changes.items():
        name = name.rstrip("_")  # from_ -> from
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    return f"{path}?{urlencode(merged)}" if merged else path


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        segment=path_segment,
        date_range=date_range,
        day=format_day,
        country=country_name,
        topic_label=topic_label,
        safe_url=safe_url,
        time_range=time_range,
        first_day=first_day,
        updated=updated_label,
    )
    env.globals.update(FEEDS=FEEDS, TAXONOMY=TAXONOMY)
    return env


TEMPLATES = Jinja2Templates(env=_environment())


# -- what pages share ---------------------------------------------------------------------------


def given_params(request: Request) -> dict[str, str]:
    """The non-empty query parameters of the request."""
    return {name: value.strip() for name, value in request.query_params.items() if value.strip()}


def filter_params(params: Mapping[str, str]) -> dict[str, str]:
    """Only the filters (no sort, limit or cursor): what feed and facet links carry."""
    return {name: params[name] for name in FILTERS if name in params}


def feed_links(params: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label, URL) of the iCalendar, RSS and Atom feeds for a filter."""
    return [(label, with_params(f"/feeds/events.{ext}", filter_params(params))) for ext, label in FEEDS]


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A page from a template; every page gets the request, today and the current path."""
    return TEMPLATES.TemplateResponse(
        request, template, {"today": date.today(), **context}, status_code=status
    )


def page_or_error(request: Request, build: Callable[[], Response]) -> Response:
    """The page ``build`` makes, or an HTML error page for a library error (bad filter, not found)."""
    try:
        return build()
    except CityEventsError as error:
        if error.status >= 500:
            raise
        return render(
            request,
            "error.html",
            {"title": "Not found" if error.status == 404 else "Bad request", "message": str(error)},
            status=error.status,
        )


def list_context(request: Request, params: dict[str, str], query: EventQuery, page: Page) -> dict[str, Any]:
    """What every paged list of events needs: the page, its next/first links and the feed links."""
    path = request.url.path
    return {
        "page": page,
        "params": params,
        "feeds": feed_links(params),
        "next_url": with_params(path, params, cursor=page.next_cursor) if page.next_cursor else None,
        "first_url": with_params(path, params, cursor=None) if query.cursor else None,
        "description": describe_query(query),
    }


# -- home -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: its label, count, the link selecting it, and whether it is selected."""

    label: str
    count: int
    url: str
    selected: bool


@router.get("/", response_class=HTMLResponse, name="home")
def home(request: Request) -> Response:
    """Upcoming events (or any window given by ``from``/``to``), with search, facets and paging."""
    return page_or_error(request, lambda: _home(request))


def _home(request: Request) -> Response:
    params = given_params(request)
    today = date.today()
    upcoming = "from" not in params and "to" not in params
    effective = {**params, "from": today.isoformat()} if upcoming else params
    query = parse_event_query(effective, default_limit=PAGE_SIZE, max_limit=MAX_PAGE_SIZE)
    catalog = get_catalog(request)
    page = catalog.query(query)
    facet_query = replace(query, cursor=None)
    facets = {
        "Country": _facet(params, "country", catalog.facets("country", facet_query), country_name),
        "Topic": _facet(params, "topic", catalog.facets("topic", facet_query), topic_label),
        "Month": _month_facet(params, catalog.facets("month", facet_query)),
    }
    context = list_context(request, params, query, page)
    past_url = with_params(
        "/", filter_params(params), from_=None, to=(today - timedelta(days=1)).isoformat(), sort="-start"
    )
    context.update(
        facets=facets,
        upcoming=upcoming,
        past_url=past_url,
        topics=sorted(TAXONOMY.values(), key=lambda topic: topic.label),
        countries=catalog.facets("country"),
    )
    return render(request, "home.html", context)


def _facet(
    params: Mapping[str, str], name: str, counts: Iterable[tuple[str, int]], label: Callable[[str], str]
) -> list[FacetValue]:
    base = filter_params(params)
    selected = params.get(name, "").casefold()
    return [
        FacetValue(label(value), count, with_params("/", base, **{name: value}), value.casefold() == selected)
        for value, count in counts
    ]


def _month_facet(params: Mapping[str, str], counts: Iterable[tuple[str, int]]) -> list[FacetValue]:
    base = filter_params(params)
    values = []
    for month, count in counts:
        first, last = month_bounds(month)
        selected = params.get("from") == first.isoformat() and params.get("to") == last.isoformat()
        values.append(
            FacetValue(
                f"{first:%B %Y}",
                count,
                with_params("/", base, from_=first.isoformat(), to=last.isoformat()),
                selected,
            )
        )
    return values


CALENDAR_YEARS = (1000, 9998)  # the grid reaches a week past the month, and date ends at 9999


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a "YYYY-MM" month.

    Raises:
        InputError: when ``month`` is not of that form.
    """
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        raise InputError(f"month: {month!r} is not a month (YYYY-MM)") from None
    if not CALENDAR_YEARS[0] <= year <= CALENDAR_YEARS[1]:
        raise InputError(f"month: {month!r} is outside the calendar ({CALENDAR_YEARS[0]} to {CALENDAR_YEARS[1]})")
    return first, first.replace(day=calendar.monthrange(year, number)[1])


# -- calendar -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """An event's stretch within one week: first column (1-7), how many days, lane, and cut ends."""

    event: Event
    column: int
    span: int
    lane: int
    continues_before: bool
    continues_after: bool


@dataclass
class Week:
    """Seven days and the event bars laid over them, in lanes."""

    days: list[date]
    bars: list[Bar] = field(default_factory=list)

    @property
    def lanes(self) -> int:
        """How many lanes of bars the week needs."""
        return max((bar.lane for bar in self.bars), default=-1) + 1


@router.get("/calendar", response_class=HTMLResponse, name="calendar")
def month_calendar(request: Request) -> Response:
    """A month grid (``month=YYYY-MM``, default this month) of events matching the filters."""
    return page_or_error(request, lambda: _calendar(request))


def _calendar(request: Request) -> Response:
    params = given_params(request)
    first, last = month_bounds(params.get("month") or f"{date.today():%Y-%m}")
    grid_start = first - timedelta(days=first.weekday())
    grid_end = last + timedelta(days=6 - last.weekday())
    filters = filter_params(params)
    window = {
        **filters,
        "from": grid_start.isoformat(),
        "to": grid_end.isoformat(),
        "limit": str(CALENDAR_LIMIT),
    }
    query = parse_event_query(window, max_limit=CALENDAR_LIMIT)
    page = get_catalog(request).query(query)
    weeks = lay_out(grid_start, grid_end, page.events)
    previous = (first - timedelta(days=1)).strftime("%Y-%m")
    following = (last + timedelta(days=1)).strftime("%Y-%m")
    shown = {**filters, "month": f"{first:%Y-%m}"}
    return render(
        request,
        "calendar.html",
        {
            "month": first,
            "weeks": weeks,
            "page": page,
            "truncated": page.next_cursor is not None,
            "previous_url": with_params("/calendar", shown, month=previous),
            "next_url": with_params("/calendar", shown, month=following),
            "this_month_url": with_params("/calendar", shown, month=None),
            "list_url": with_params("/", filters, from_=first.isoformat(), to=last.isoformat()),
            "feeds": feed_links(filters),
            "params": shown,
            "weekdays": list(calendar.day_abbr),
            "description": describe_query(replace(query, date_from=None, date_to=None)),
        },
    )


def lay_out(grid_start: date, grid_end: date, events: Iterable[Event]) -> list[Week]:
    """Weeks from ``grid_start`` (a Monday) to ``grid_end``, each event a bar per week it touches.

    Bars go to the first lane free on all their days; longer events first, so they stay on top.
    """
    dated = [(first_day(e), last_day(e), e) for e in events]
    ordered = sorted(
        ((s, e, ev) for s, e, ev in dated if s is not None and e is not None),
        key=lambda item: (item[0], -(item[1] - item[0]).days, item[2].name),
    )
    weeks = []
    monday = grid_start
    while monday <= grid_end:
        sunday = monday + timedelta(days=6)
        week = Week(days=[monday + timedelta(days=offset) for offset in range(7)])
        taken: list[set[int]] = []  # lane -> columns used
        for start, end, event in ordered:
            if start > sunday or end < monday:
                continue
            lo, hi = max(start, monday), min(end, sunday)
            columns = set(range((lo - monday).days, (hi - monday).days + 1))
            lane = next((i for i, used in enumerate(taken) if not used & columns), len(taken))
            if lane == len(taken):
                taken.append(set())
            taken[lane] |= columns
            week.bars.append(
                Bar(event, (lo - monday).days + 1, len(columns), lane, start < monday, end > sunday)
            )
        weeks.append(week)
        monday += timedelta(days=7)
    return weeks


# -- map ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """An event placed on the map, in the map's own coordinates."""

    event: Event
    x: float
    y: float


@dataclass(frozen=True)
class Tile:
    """A base-map tile image and where it goes."""

    url: str
    x: float
    y: float
    size: float


@router.get("/map", response_class=HTMLResponse, name="map")
def event_map(request: Request) -> Response:
    """A marker per event with coordinates, over tiles when configured, else the offline outline."""
    return page_or_error(request, lambda: _map(request))


def _map(request: Request) -> Response:
    params = given_params(request)
    filters = filter_params(params)
    # A bounding box of the whole world selects exactly the events that have coordinates.
    query = parse_event_query(
        {"bbox": "-180,-90,180,90", **filters, "limit": str(MAP_LIMIT)}, max_limit=MAP_LIMIT
    )
    page = get_catalog(request).query(query)
    located = [event for event in page.events if event.lat is not None and event.lon is not None]
    tile_url = request.app.state.settings.tile_url
    project = mercator if tile_url else equirectangular
    markers = [Marker(event, *project(event.lat, event.lon)) for event in located]  # type: ignore[arg-type]
    box = view_box([(m.x, m.y) for m in markers], tiled=bool(tile_url))
    context: dict[str, Any] = {
        "markers": markers,
        "view": box,
        "radius": box[2] / 200,
        "truncated": page.next_cursor is not None,
        "tiles": tiles(tile_url, box) if tile_url else [],
        "tile_host": urlsplit(tile_url).netloc,
        "graticule": [] if tile_url else graticule(),
        "world": WORLD,
        "params": filters,
        "feeds": feed_links(filters),
        "description": describe_query(replace(query, bbox=None)),
        "list_url": with_params("/", filters),
    }
    return render(request, "map.html", context)


def equirectangular(lat: float, lon: float) -> tuple[float, float]:
    """Map coordinates in degrees (x east, y down), latitude held within the outline's extent."""
    _, south, _, north = WORLD
    return lon, -min(max(lat, south), north)


def mercator(lat: float, lon: float) -> tuple[float, float]:
    """Web Mercator in zoom-0 pixels (0 to 256), the tiles' projection."""
    lat = min(max(lat, -85.0), 85.0)
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2
    return (lon + 180) / 360 * TILE_SIZE, y * TILE_SIZE


def view_box(points: list[tuple[float, float]], *, tiled: bool) -> tuple[float, float, float, float]:
    """(x, y, width, height) showing every point with a margin, at 2:1, within the world's extent."""
    if tiled:
        world = (0.0, TILE_SIZE * 0.1, float(TILE_SIZE), TILE_SIZE * 0.8)
    else:
        west, south, east, north = WORLD
        world = (west, -north, east - west, north - south)
    if not points:
        return world
    xs, ys = [x for x, _ in points], [y for _, y in points]
    width = max(max(xs) - min(xs), 2 * (max(ys) - min(ys)), world[2] / 12) * 1.3
    width = min(width, world[2])
    height = min(width / 2, world[3])
    x = min(max((min(xs) + max(xs) - width) / 2, world[0]), world[0] + world[2] - width)
    y = min(max((min(ys) + max(ys) - height) / 2, world[1]), world[1] + world[3] - height)
    return x, y, width, height


def graticule() -> list[tuple[str, float]]:
    """Meridians and parallels every 30 degrees, as ("x" or "y", map coordinate)."""
    _, south, _, north = WORLD
    lines = [("x", float(lon)) for lon in range(-150, 180, 30)]
    return lines + [("y", -float(lat)) for lat in range(-30, 90, 30) if south < lat < north]


def tiles(template: str, box: tuple[float, float, float, float]) -> list[Tile]:
    """The tiles covering the view at a zoom where they show at about their own size."""
    x, y, width, height = box
    zoom = min(max(round(math.log2(MAP_WIDTH_PX / width)), 0), MAX_TILE_ZOOM)
    size = TILE_SIZE / 2**zoom
    count = 2**zoom
    found = []
    for column in range(max(int(x // size), 0), min(int((x + width) // size) + 1, count)):
        for row in range(max(int(y // size), 0), min(int((y + height) // size) + 1, count)):
            url = (
                template.replace("{z}", str(zoom))
                .replace("{x}", str(column))
                .replace("{y}", str(row))
                .replace("{s}", "abc"[(column + row) % 3])
            )
            found.append(Tile(url, column * size, row * size, size))
    return found


# -- one event ------------------------------------------------------------------------------------


@router.get("/events/{event_id}", response_class=HTMLResponse, name="event_page")
def event_page(request: Request, event_id: str) -> Response:
    """Every field of an event, its figures, sources, conflicts, related events and JSON-LD."""
    return page_or_error(request, lambda: _event(request, event_id))


def _event(request: Request, event_id: str) -> Response:
    catalog = get_catalog(request)
    event = catalog.get(event_id)
    if event is None:
        raise NotFound(f"no event {event_id!r}")
    if event.id != event_id:  # found under an id it was extracted with before merging
        return RedirectResponse(f"/events/{path_segment(event.id)}", status_code=301)
    page_url = str(request.url_for("event_page", event_id=event.id))
    jsonld = Markup(script_safe_json(event_jsonld(event, url=page_url)))  # safe inside <script>
    subscribe = []
    if event.city:
        subscribe.append((f"events in {event.city}", {"city": event.city}))
    subscribe += [(f"events about {topic_label(topic)}", {"topic": topic}) for topic in event.topics]
    return render(
        request,
        "event.html",
        {
            "event": event,
            "related": catalog.related(event.id),
            "jsonld": jsonld,
            "ics_url": f"/events/{path_segment(event.id)}.ics",
            "subscriptions": [(label, feed_links(params)) for label, params in subscribe],
            "provenance": sorted(event.provenance.items()),
        },
    )


# -- cities and topics ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CityProfile:
    """What the catalog's events say about a city."""

    name: str
    country_code: str | None
    lat: float | None
    lon: float | None
    timezone: str | None
    topics: list[tuple[str, int]]
    count: int


@router.get("/cities/{name:path}", response_class=HTMLResponse, name="city_page")
def city_page(request: Request, name: str) -> Response:
    """A city's profile and its events (all filters apply)."""
    return page_or_error(request, lambda: _city(request, name))


def _city(request: Request, name: str) -> Response:
    catalog = get_catalog(request)
    everything = catalog.query(EventQuery(city=name, limit=MAX_PAGE_SIZE))
    if not everything.count:
        raise NotFound(f"no events in a city called {name!r}")
    params = given_params(request)
    query = parse_event_query({**params, "city": name}, default_limit=PAGE_SIZE, max_limit=MAX_PAGE_SIZE)
    context = list_context(request, {**params, "city": name}, query, catalog.query(query))
    context.update(
        profile=city_profile(
            name, everything.events, catalog.facets("topic", EventQuery(city=name)), everything.count
        ),
        all_url=with_params(request.url.path, {}) if params else None,
        similar=similar_cities(catalog, name),
    )
    return render(request, "city.html", context)


def city_profile(name: str, events: list[Event], topics: list[tuple[str, int]], count: int) -> CityProfile:
    """The city's most stated country, coordinates and time zone among its events, and its topic mix."""

    def most_common(values: Iterable[Any]) -> Any:
        found = Counter(value for value in values if value is not None).most_common(1)
        return found[0][0] if found else None

    point = most_common(
        (round(e.lat, 3), round(e.lon, 3)) if e.lat is not None and e.lon is not None else None
        for e in events
    )
    spelled = most_common(e.city for e in events) or name
    return CityProfile(
        spelled,
        most_common(e.country_code for e in events),
        point[0] if point else None,
        point[1] if point else None,
        most_common(e.timezone for e in events),
        topics,
        count,
    )


@router.get("/topics/{topic_id}", response_class=HTMLResponse, name="topic_page")
def topic_page(request: Request, topic_id: str) -> Response:
    """A topic of the taxonomy and its events (all filters apply)."""
    return page_or_error(request, lambda: _topic(request, topic_id))


def _topic(request: Request, topic_id: str) -> Response:
    topic = TAXONOMY.get(topic_id)
    if topic is None:
        raise NotFound(f"no topic {topic_id!r}; see /api/topics for the list")
    catalog = get_catalog(request)
    params = {**given_params(request), "topic": topic_id}
    query = parse_event_query(params, default_limit=PAGE_SIZE, max_limit=MAX_PAGE_SIZE)
    context = list_context(request, params, query, catalog.query(query))
    context.update(
        topic=topic,
        countries=catalog.facets("country", EventQuery(topic=topic_id)),
        cities=catalog.facets("city", EventQuery(topic=topic_id))[:10],
    )
    return render(request, "topic.html", context)
