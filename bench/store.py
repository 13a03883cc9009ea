"""Benchmarks of the event store (issue 6): ingest overhead, merge speed, query latency.

Usage: python bench/store.py [ingest|merge|query|all] [--corpus PATH] [--limit N]
       [--merge-events N] [--query-events N] [--db-dir DIR]
Targets: ingest >= 80% of bare extract throughput; merging 100,000 synthetic events < 60 s;
``events`` p95 < 50 ms on 1,000,000 stored events (SQLite) with a date range and a bbox.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.records import Actor, Count, DocumentResult, Event, Location, Plover, Report  # noqa
from sitrep.store import EventFilter, ingest, open_store, query_events  # noqa: E402
from sitrep.store import merge as merging  # noqa: E402


def corpus_path(arg: str | None) -> Path:
    base = Path(arg or os.environ.get("SITREP_EVAL_DATA") or ROOT.parent / "shared" / "eval")
    return base if base.suffix == ".jsonl" else base / "bench" / "news_corpus.jsonl"


def bench_ingest(path: Path, limit: int, db_dir: Path) -> dict:
    from sitrep.api import default_pipeline, extract_batch
    from sitrep.sources import report_from_dict

    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    rows = rows[:limit] if limit else rows
    reports = [report_from_dict(r, line=n) for n, r in enumerate(rows, 1)]
    _ = default_pipeline().nlp  # load the model outside the timings
    list(extract_batch(reports[:8]))
    started = time.perf_counter()
    extracted = list(extract_batch(reports))
    bare = time.perf_counter() - started
    store = open_store(str(db_dir / "ingest.db"))
    started = time.perf_counter()
    stats = ingest(store, reports)
    stored = time.perf_counter() - started
    return {"reports": len(reports), "events": sum(len(r.events) for r in extracted),
            "extract_s": round(bare, 2), "ingest_s": round(stored, 2),
            "ingest_share_of_extract_throughput": round(bare / stored, 3),
            "target": ">= 0.80", "stored": stats.stored}


CITIES = [(49.99, 36.23, "UA"), (46.48, 30.73, "UA"), (48.45, 34.98, "UA"), (36.20, 37.13, "SY"),
          (35.93, 36.63, "SY"), (16.27, -0.04, "ML"), (2.04, 45.34, "SO"), (15.35, 44.21, "YE"),
          (33.51, 36.29, "SY"), (12.65, -8.0, "ML"), (9.03, 38.74, "ET"), (31.5, 34.47, "PS")]
KINDS = [("Shelling/artillery/missile attack", "Explosions/Remote violence", "missile"),
         ("Air/drone strike", "Explosions/Remote violence", "drone"),
         ("Armed clash", "Battles", "firearm")]
TARGETS = ["apartment building", "hospital", "market", "power station", "school", "checkpoint"]


def synthetic(n_events: int, seed: int = 7) -> Iterator[tuple[Report, DocumentResult]]:
    """n_events report events; about three reports per real event, a year of days."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    real = max(1, n_events // 3)
    for i in range(n_events):
        k = rng.randrange(real)
        r = random.Random(k)
        lat, lon, cc = CITIES[k % len(CITIES)]
        lat, lon = lat + r.uniform(-1.5, 1.5), lon + r.uniform(-1.5, 1.5)
        day = start + timedelta(days=r.randrange(365))
        sub, etype, weapon = KINDS[r.randrange(len(KINDS))]
        killed = r.randrange(0, 20) + rng.randrange(0, 3)
        text = f"A {weapon} attack on a {TARGETS[r.randrange(len(TARGETS))]} near site {k}."
        event = Event(
            event_id=f"syn-{i}", event_date=day.isoformat(), date_start=day.isoformat(),
            date_end=day.isoformat(), time_precision=1, disorder_type="Political violence",
            event_type=etype, sub_event_type=sub, plover=Plover("ASSAULT"),
            actor1=Actor(f"Military Forces of {cc}", 1, cc), weapons=[weapon],
            targets=[TARGETS[r.randrange(len(TARGETS))]],
            location=Location(name=f"site {k}", lat=lat + rng.uniform(-0.01, 0.01),
                              lon=lon + rng.uniform(-0.01, 0.01), country_code=cc,
                              geo_precision=1),
            fatalities=Count(killed, killed, killed, "exact", None, f"{killed} killed"),
            evidence={"trigger": [(0, 10)]}, confidence=0.7)
        report = Report(f"rep-{i}", text, day + timedelta(days=rng.randrange(2)),
                        f"Outlet {i % 9}", f"https://news.example/{i}")
        yield report, DocumentResult(id=report.id, published=report.published, events=[event],
                                     text=text)


def bench_merge(n: int, db_dir: Path) -> dict:
    pairs = list(synthetic(n))
    results = {r.id: d for r, d in pairs}

    def extractor(items: Iterable[Report]) -> Iterator[DocumentResult]:
        return (results[r.id] for r in items)

    store = open_store(str(db_dir / "merge.db"))
    # The input is built up front (outside the timing); a real ingest streams it. Frozen, its
    # million objects are not walked by every full garbage collection during the timing.
    gc.collect()
    gc.freeze()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        stats = ingest(store, (r for r, _ in pairs), extractor=extractor)
    finally:
        gc.unfreeze()
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    # cpu_s: this process's CPU time, the fairer figure on a machine shared with other jobs.
    return {"events": n, "seconds": round(took, 1), "cpu_s": round(cpu, 1),
            "merged_into": stats.new_events, "joined": stats.joined, "target_s": 60}


def _load_query_events(store, n: int, rng: random.Random) -> None:
    """n merged events with full codebook records (about 1 KB of JSON each), no merging."""
    from event_rows import insert_events

    _, result = next(synthetic(1))
    template = result.events[0].to_dict()
    now = datetime.now(UTC).replace(tzinfo=None)

    def rows() -> Iterator[dict]:
        for i in range(n):
            lat, lon, cc = CITIES[i % len(CITIES)]
            lat, lon = lat + rng.uniform(-3, 3), lon + rng.uniform(-3, 3)
            day = date(2020, 1, 1) + timedelta(days=rng.randrange(5 * 365))
            sub, etype, weapon = KINDS[i % 3]
            record = {**template, "event_id": f"q-{i}", "event_date": day.isoformat(),
                      "date_start": day.isoformat(), "date_end": day.isoformat(),
                      "event_type": etype, "sub_event_type": sub, "weapons": [weapon],
                      "location": {**template["location"], "name": f"site {i % 5000}", "lat": lat,
                                   "lon": lon, "country_code": cc},
                      "fatalities": {**template["fatalities"], "best": i % 11, "low": i % 11,
                                     "high": i % 11},
                      "sources": [{"document_id": f"d{i}", "source": "Outlet", "url": None,
                                   "published": day.isoformat()}]}
            yield {"event_id": f"q-{i}", "event_date": day, "event_type": etype,
                   "sub_event_type": sub, "country_code": cc, "actors": "",
                   "lat": lat, "lon": lon, "geo_precision": 1,
                   "cell": merging.grid_cell(lat, lon), "fatalities": i % 11,
                   "n_sources": 1, "words": [], "record": record, "updated_at": now}

    insert_events(store, rows())


def _percentiles(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {"p50_ms": round(1000 * timings[len(timings) // 2], 2),
            "p95_ms": round(1000 * timings[int(len(timings) * 0.95) - 1], 2),
            "max_ms": round(1000 * timings[-1], 2)}


def bench_query(n: int, db_dir: Path, queries: int = 2000) -> dict:
    """Time date range + bbox queries on n stored events; the database is built once and
    reused from ``--db-dir`` (building 1,000,000 events takes minutes)."""
    from sitrep.store import count_events
    from sitrep.store.query import query_event_texts

    store = open_store(str(db_dir / "query.db"))
    rng = random.Random(3)
    stored = count_events(store)
    load_s = None
    if stored < n:
        started = time.perf_counter()
        _load_query_events(store, n - stored, rng)
        load_s = round(time.perf_counter() - started, 1)
        stored = count_events(store)
    windows = []
    for _ in range(queries):
        since = date(2020, 1, 1) + timedelta(days=rng.randrange(5 * 365 - 30))
        lat, lon, _ = CITIES[rng.randrange(len(CITIES))]
        windows.append(EventFilter(since=since, until=since + timedelta(days=30),
                                   bbox=(lon - 1, lat - 1, lon + 1, lat + 1)))
    out: dict = {"events": stored, "load_s": load_s, "queries": queries, "target_ms": 50}
    for name, run in (("records", lambda w: list(query_events(store, w))),
                      ("jsonl_text", lambda w: list(query_event_texts(store, w)))):
        run(windows[0])  # warm the statement cache and the pages
        timings, sizes = [], []
        for where in windows:
            t = time.perf_counter()
            sizes.append(len(run(where)))
            timings.append(time.perf_counter() - t)
        out[name] = {"rows_median": statistics.median(sizes), **_percentiles(timings)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", default="all",
                        choices=["ingest", "merge", "query", "all"])
    parser.add_argument("--corpus")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--merge-events", type=int, default=100_000)
    parser.add_argument("--query-events", type=int, default=1_000_000)
    parser.add_argument("--db-dir")
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args(argv)
    db_dir = Path(args.db_dir or tempfile.mkdtemp(prefix="sitrep-bench-"))
    db_dir.mkdir(parents=True, exist_ok=True)
    out = {}
    if args.what in ("ingest", "all"):
        path = corpus_path(args.corpus)
        out["ingest"] = (bench_ingest(path, args.limit, db_dir) if path.exists()
                         else f"no corpus at {path}; skipped")
    if args.what in ("merge", "all"):
        out["merge"] = bench_merge(args.merge_events, db_dir)
    if args.what in ("query", "all"):
        out["query"] = bench_query(args.query_events, db_dir, args.queries)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
