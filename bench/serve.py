"""Serving benchmark: requests/s and p50/p99 latency of the web app over 100,000 events in SQLite.

    .venv/bin/python bench/serve.py          # build (or reuse) the catalog, start uvicorn, measure
    .venv/bin/python bench/serve.py --events 20000 --requests 200

The catalog is generated with a seeded random generator and loaded through the real write path,
``Catalog.ingest_document``, one document per 100 events (matching, merging, full text and all;
each event states its own edition, so that none is merged into another); it is kept in the temp
directory and reused by later runs. The app runs on uvicorn (one process) in a subprocess on
127.0.0.1; load comes from a thread pool of httpx clients in this process, and also from ``wrk``
when it is installed. No request sends ``If-None-Match``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx

from cityevents.catalog import EventQuery, open_catalog
from cityevents.extract.topics import TAXONOMY
from cityevents.model import Event, Source

CITIES = [  # city, country, ISO code, lat, lon, IANA zone
    ("Helsinki", "Finland", "FI", 60.17, 24.94, "Europe/Helsinki"),
    ("Berlin", "Germany", "DE", 52.52, 13.40, "Europe/Berlin"),
    ("Munich", "Germany", "DE", 48.14, 11.58, "Europe/Berlin"),
    ("Hamburg", "Germany", "DE", 53.55, 9.99, "Europe/Berlin"),
    ("Barcelona", "Spain", "ES", 41.39, 2.17, "Europe/Madrid"),
    ("Madrid", "Spain", "ES", 40.42, -3.70, "Europe/Madrid"),
    ("Lisbon", "Portugal", "PT", 38.72, -9.14, "Europe/Lisbon"),
    ("Amsterdam", "the Netherlands", "NL", 52.37, 4.90, "Europe/Amsterdam"),
    ("Rotterdam", "the Netherlands", "NL", 51.92, 4.48, "Europe/Amsterdam"),
    ("Paris", "France", "FR", 48.86, 2.35, "Europe/Paris"),
    ("Lyon", "France", "FR", 45.76, 4.84, "Europe/Paris"),
    ("Milan", "Italy", "IT", 45.46, 9.19, "Europe/Rome"),
    ("Vienna", "Austria", "AT", 48.21, 16.37, "Europe/Vienna"),
    ("Zürich", "Switzerland", "CH", 47.37, 8.54, "Europe/Zurich"),
    ("Copenhagen", "Denmark", "DK", 55.68, 12.57, "Europe/Copenhagen"),
    ("Oslo", "Norway", "NO", 59.91, 10.75, "Europe/Oslo"),
    ("Stockholm", "Sweden", "SE", 59.33, 18.07, "Europe/Stockholm"),
    ("Tallinn", "Estonia", "EE", 59.44, 24.75, "Europe/Tallinn"),
    ("Kraków", "Poland", "PL", 50.06, 19.94, "Europe/Warsaw"),
    ("Dublin", "Ireland", "IE", 53.35, -6.26, "Europe/Dublin"),
    ("London", "United Kingdom", "GB", 51.51, -0.13, "Europe/London"),
    ("New York", "United States", "US", 40.71, -74.01, "America/New_York"),
    ("Austin", "United States", "US", 30.27, -97.74, "America/Chicago"),
    ("Toronto", "Canada", "CA", 43.65, -79.38, "America/Toronto"),
    ("São Paulo", "Brazil", "BR", -23.55, -46.63, "America/Sao_Paulo"),
    ("Bogotá", "Colombia", "CO", 4.71, -74.07, "America/Bogota"),
    ("Nairobi", "Kenya", "KE", -1.29, 36.82, "Africa/Nairobi"),
    ("Cape Town", "South Africa", "ZA", -33.92, 18.42, "Africa/Johannesburg"),
    ("Dubai", "United Arab Emirates", "AE", 25.20, 55.27, "Asia/Dubai"),
    ("Pune", "India", "IN", 18.52, 73.86, "Asia/Kolkata"),
    ("Singapore", "Singapore", "SG", 1.35, 103.82, "Asia/Singapore"),
    ("Seoul", "South Korea", "KR", 37.57, 126.98, "Asia/Seoul"),
    ("Tokyo", "Japan", "JP", 35.68, 139.69, "Asia/Tokyo"),
    ("Melbourne", "Australia", "AU", -37.81, 144.96, "Australia/Melbourne"),
    ("Auckland", "New Zealand", "NZ", -36.85, 174.76, "Pacific/Auckland"),
]
PREFIXES = ["Smart", "Future", "Urban", "Digital", "Resilient", "Green", "Connected", "Open", "Circular",
            "Civic"]
CORES = ["Cities", "Mobility", "Energy", "Data", "Infrastructure", "Government", "Water", "Streets",
         "Housing"]
KINDS = ["Summit", "Forum", "Expo", "Congress", "Week", "Conference", "Days", "Fair", "Lab", "Meetup"]
SENTENCES = [
    "Sessions cover electric buses, shared micromobility and safer streets for cyclists.",
    "Speakers will discuss open data platforms, artificial intelligence and digital twins.",
    "The programme tackles heatwaves, flood protection and climate adaptation plans.",
    "Energy communities, district heating and positive energy districts are on the agenda.",
    "Workshops look at e-government services, digital identity and citizen participation.",
    "Exhibitors show sensors, IoT networks and privacy-preserving analytics for cities.",
    "Urban farming, food deserts and green roofs feature in the afternoon tracks.",
    "Mayors and planners compare affordable housing programmes and zoning reforms.",
]
TOPICS = sorted(TAXONOMY)
DOCUMENT_SIZE = 100  # events per generated source document

# What each scenario requests; the ICS feed's filter matches well over 1,000 events. Every "ics cold"
# request asks for another limit, so none is served from the app's cache of rendered feeds, while
# "ics polled" repeats one subscription URL, as calendar apps do.
SCENARIOS = {
    "api filtered": "/api/events?country=DE&topic=mobility&from=2024-01-01&limit=50",
    "api full-text": "/api/events?q=digital%20twins%20-heatwaves&limit=50",
    "ics cold": "/feeds/events.ics?country=DE&from=2020-01-01&limit={limit}",
    "ics polled": "/feeds/events.ics?country=DE&from=2020-01-01",
}
FEED_MAX = 1000  # "ics cold" request n asks for FEED_MAX - n events: a distinct feed each time


@dataclass
class Result:
    """Latencies of one scenario under load."""

    name: str
    requests: int
    concurrency: int
    seconds: float
    latencies: list[float]
    body_bytes: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def generate(count: int, seed: int = 20240601) -> list[Event]:
    """``count`` varied events with distinct ids: places, topics, organizers, all-day and timed."""
    rng = random.Random(seed)
    organizers = [f"{rng.choice(PREFIXES)} {rng.choice(CORES)} Association {n}" for n in range(2000)]
    made: dict[str, Event] = {}
    serial = 0
    while len(made) < count:
        serial += 1
        city, country, code, lat, lon, zone = rng.choice(CITIES)
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(365 * 15))
        name = f"{rng.choice(PREFIXES)} {rng.choice(CORES)} {rng.choice(KINDS)} {city} #{serial}"
        event = Event(name=name, start=start, end=start + timedelta(days=rng.choice((0, 0, 1, 2, 3))),
                      city=city, country=country, country_code=code, lat=lat + rng.uniform(-0.2, 0.2),
                      lon=lon + rng.uniform(-0.2, 0.2), timezone=zone,
                      topics=rng.sample(TOPICS, rng.randint(1, 3)),
                      organizers=rng.sample(organizers, rng.randint(0, 2)),
                      description=" ".join(rng.sample(SENTENCES, 3)),
                      url=f"https://example.org/events/{serial}", edition=str(serial))
        if rng.random() < 0.3:  # a timed one-day event, in its city's zone
            event.end = event.start
            event.start_time = datetime(start.year, start.month, start.day, rng.randint(8, 18), 0)
            event.end_time = event.start_time + timedelta(hours=rng.randint(1, 8))
        made.setdefault(event.id, event)
    return list(made.values())


def bulk_load(url: str, generated: list[Event]) -> None:
    """Ingest the events as documents of ``DOCUMENT_SIZE`` events each, printing the pace now and then."""
    started = time.perf_counter()
    with open_catalog(url) as catalog:
        for number, offset in enumerate(range(0, len(generated), DOCUMENT_SIZE)):
            document = f"https://example.org/listing-{number}.html"
            batch = generated[offset:offset + DOCUMENT_SIZE]
            for event in batch:
                event.sources = [Source(document=document, extractor="bench")]
            catalog.ingest_document(document, batch, content_hash=str(number))
            if (number + 1) % 100 == 0:
                print(f"  {offset + len(batch):,} events ingested in {time.perf_counter() - started:.0f} s",
                      flush=True)


def catalog_for(count: int, path: Path) -> str:
    """A catalog of ``count`` generated events at ``path``, built unless one is already there."""
    url = str(path)
    if path.exists():
        with open_catalog(url) as catalog:
            if catalog.query(EventQuery(limit=1)).count == count:
                print(f"reusing {path} ({count:,} events)")
                return url
        path.unlink()
    started = time.perf_counter()
    generated = generate(count)
    bulk_load(url, generated)
    print(f"built {path}: {count:,} events in {time.perf_counter() - started:.1f} s")
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    """uvicorn serving ``create_app()`` over the catalog, once it answers /api/health."""
    env = {**os.environ, "CITYEVENTS_DB": url}
    command = [sys.executable, "-m", "uvicorn", "--factory", "cityevents.web.app:create_app",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError("uvicorn did not answer within 60 s")


def load(base: str, name: str, path: str, requests: int, concurrency: int) -> Result:
    """``requests`` GETs of ``path`` from ``concurrency`` threads, each with its own connection."""
    local = threading.local()
    clients: list[httpx.Client] = []

    def one(number: int) -> tuple[float, int]:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(base_url=base, timeout=60)
            clients.append(client)
        started = time.perf_counter()
        response = client.get(path.replace("{limit}", str(FEED_MAX - number)))
        elapsed = time.perf_counter() - started
        response.raise_for_status()
        return elapsed, len(response.content)

    for warm in range(3):  # warm up: lazy imports, the first connection (cold feeds: other limits)
        one(requests + warm)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        measured = list(pool.map(one, range(requests)))
    seconds = time.perf_counter() - started
    for client in clients:
        client.close()
    return Result(name, requests, concurrency, seconds, [latency for latency, _ in measured], measured[0][1])


def run_wrk(base: str, path: str, seconds: int, connections: int) -> dict[str, str] | None:
    """Requests/s and latency percentiles from wrk, when it is installed."""
    wrk = shutil.which("wrk")
    if wrk is None or "{" in path:  # wrk repeats one URL; varying ones are measured by load() only
        return None
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "--latency", base + path]
    output = subprocess.run(command,
                            capture_output=True, text=True, check=True).stdout
    found: dict[str, str] = {}
    for label, pattern in (("rate", r"Requests/sec:\s+([\d.]+)"), ("p50", r"\s50%\s+([\d.]+\w+)"),
                           ("p99", r"\s99%\s+([\d.]+\w+)"), ("errors", r"Non-2xx or 3xx responses:\s+(\d+)")):
        match = re.search(pattern, output)
        found[label] = match.group(1) if match else "0" if label == "errors" else "?"
    return found


def count_vevents(base: str, path: str) -> int:
    return httpx.get(base + path, timeout=60).text.count("BEGIN:VEVENT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="catalog size")
    parser.add_argument("--db", type=Path, help="SQLite file (default: reused file in the temp directory)")
    parser.add_argument("--requests", type=int, default=120, help="requests per API scenario")
    parser.add_argument("--feed-requests", type=int, default=20, choices=range(1, 98), metavar="1..97",
                        help="requests of each ~1,000-event ICS scenario")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--wrk-seconds", type=int, default=5, help="duration of each wrk run (if wrk exists)")
    args = parser.parse_args()

    path = args.db or Path(tempfile.gettempdir()) / f"cityevents-bench-serve-{args.events}.db"
    url = catalog_for(args.events, path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(url, port)
    try:
        print(f"ICS feed holds {count_vevents(base, SCENARIOS['ics polled'])} events")
        results = [load(base, name, scenario, args.feed_requests if name.startswith("ics") else args.requests,
                        args.concurrency) for name, scenario in SCENARIOS.items()]
        wrk = {name: run_wrk(base, scenario, args.wrk_seconds, args.concurrency)
               for name, scenario in SCENARIOS.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"\n{args.events:,} events, SQLite, uvicorn (1 process) on 127.0.0.1, {os.cpu_count()} CPUs, "
          f"httpx thread pool of {args.concurrency}")
    print(f"{'scenario':<18}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'body KB':>9}")
    for result in results:
        print(f"{result.name:<18}{result.requests:>9}{result.rate:>9.1f}{result.percentile(50):>9.1f}"
              f"{result.percentile(99):>9.1f}{result.body_bytes / 1024:>9.1f}")
    if any(wrk.values()):
        print(f"\nwrk -t2 -c{args.concurrency} -d{args.wrk_seconds}s")
        print(f"{'scenario':<18}{'req/s':>9}{'p50':>10}{'p99':>10}{'non-2xx':>9}")
        for name, figures in wrk.items():
            if figures:
                print(f"{name:<18}{figures['rate']:>9}{figures['p50']:>10}{figures['p99']:>10}"
                      f"{figures['errors']:>9}")
    else:
        print("\n(wrk is not installed: apt-get install wrk for a second opinion)")


if __name__ == "__main__":
    main()
