"""Extraction throughput and memory, against dateparser.search_dates on the same text.

    python bench/extract.py [--mb 5] [--peer-kb 100] [--rounds 3]

Prints whether the extraction modules run compiled (setup.py builds them with mypyc), MB/s of full
extraction (dates, places, names, organizers, figures, topics) over a generated corpus of at least
5 MB, and again with the gazetteer's lookup cache off (as if no place name ever repeated), the peak
memory traced while extracting corpora of 1x, 2x and 4x the base size (it should stay flat:
documents are streamed), and in the same run the throughput of ``dateparser.search_dates`` — which
only finds dates — on a slice of that corpus (it is too slow to run on all of it). All are timed in
alternating rounds and each keeps its best round, so that a busy moment of the machine flatters
none. The ratio is the headline: target >= 100x.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import documents  # noqa: E402

from cityevents.extract import engine, gazetteer  # noqa: E402
from cityevents.extract.engine import extract_events  # noqa: E402
from cityevents.extract.gazetteer import get_gazetteer  # noqa: E402

MB = 1024 * 1024


def extraction_rate(docs: list[str]) -> tuple[float, int]:
    """MB/s and events found over ``docs``."""
    size = sum(len(d.encode()) for d in docs)
    events = 0
    started = time.perf_counter()
    for i, doc in enumerate(docs):
        events += len(extract_events(doc, source=f"bench-{i}.txt"))
    elapsed = time.perf_counter() - started
    return size / MB / elapsed, events


def uncached_rate(docs: list[str]) -> float:
    """MB/s with the gazetteer's lookup cache kept to one entry: every place name looked up afresh, as in
    text whose places never repeat (this corpus names 20 cities, so nearly every lookup is a hit)."""
    saved = gazetteer.LOOKUP_CACHE_SIZE
    gazetteer.LOOKUP_CACHE_SIZE = 1
    get_gazetteer().forget_lookups()
    try:
        return extraction_rate(docs)[0]
    finally:
        gazetteer.LOOKUP_CACHE_SIZE = saved


def peak_memory(total_bytes: int) -> float:
    """Peak traced MiB while streaming a corpus through extraction (results are counted, not kept)."""
    gc.collect()
    tracemalloc.start()
    for i, doc in enumerate(documents(total_bytes)):
        extract_events(doc, source=f"bench-{i}.txt")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / MB


def dateparser_rate(text: str) -> float:
    """MB/s of ``search_dates`` on ``text``, paragraph by paragraph (its faster mode: whole documents
    measured slower)."""
    from dateparser.search import search_dates

    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    started = time.perf_counter()
    for paragraph in paragraphs:
        search_dates(paragraph, languages=["en"])
    return len(text.encode()) / MB / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size for the throughput run (MB)")
    parser.add_argument("--peer-kb", type=float, default=100.0, help="text given to dateparser (KB)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating timed rounds; each side's best counts")
    args = parser.parse_args()

    compiled = Path(engine.__file__).suffix != ".py"
    build = "compiled with mypyc" if compiled else "uncompiled Python"
    print(f"extraction modules: {build} ({engine.__file__})")
    started = time.perf_counter()
    get_gazetteer()
    print(f"gazetteer load: {time.perf_counter() - started:.2f} s (once per process)")

    from dateparser.search import search_dates

    search_dates("warm-up on 3 May 2024", languages=["en"])
    docs = list(documents(int(args.mb * MB)))
    sample = "\n\n".join(documents(int(args.peer_kb * 1024)))  # the first documents of the same corpus
    rate = peer = uncached = 0.0
    events = 0
    for _ in range(args.rounds):
        ours, events = extraction_rate(docs)
        rate, peer = max(rate, ours), max(peer, dateparser_rate(sample))
        uncached = max(uncached, uncached_rate(docs))
    size = sum(len(d.encode()) for d in docs)
    print(f"cityevents extract: {size / MB:.2f} MB, {events} events, {rate:.2f} MB/s (best of {args.rounds})")
    print(f"  without the gazetteer's lookup cache: {uncached:.2f} MB/s")

    base = int(args.mb * MB / 4)
    peaks = [(factor, peak_memory(base * factor)) for factor in (1, 2, 4)]
    for factor, peak in peaks:
        print(f"peak traced memory, {base * factor / MB:.2f} MB corpus: {peak:.1f} MiB")
    print(f"memory growth 4x corpus vs 1x: {peaks[-1][1] / peaks[0][1]:.2f}x")

    print(f"dateparser.search_dates (dates only): {peer:.4f} MB/s on {args.peer_kb:.0f} KB, "
          f"best of {args.rounds}")
    print(f"ratio: cityevents is {rate / peer:.0f}x dateparser's throughput "
          f"({uncached / peer:.0f}x without the lookup cache)")


if __name__ == "__main__":
    main()
