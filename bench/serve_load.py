"""Load on ``sitrep serve`` (issue 16): GET /api/events latency under concurrency, and the
page's first load in headless Chromium.

Usage: python bench/serve_load.py [--events 100000] [--connections 50] [--seconds 30]
       [--db-dir DIR] [--no-browser]
Targets: a page of 100 events with a 30-day filter, 50 concurrent connections for 30 s on
100,000 events: p99 < 200 ms, no errors; the page interactive in < 1.5 s, < 1 MB transferred
before any event data. Only ever talks to 127.0.0.1 (the server it starts itself).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.server.background import free_port  # noqa: E402
from sitrep.store import count_events, open_store  # noqa: E402
from sitrep.store import merge as merging  # noqa: E402

CITIES = [(49.99, 36.23, "UA"), (46.48, 30.73, "UA"), (36.20, 37.13, "SY"), (16.27, -0.04, "ML"),
          (2.04, 45.34, "SO"), (15.35, 44.21, "YE"), (9.03, 38.74, "ET"), (31.5, 34.47, "PS")]
KINDS = [("Shelling/artillery/missile attack", "Explosions/Remote violence"),
         ("Air/drone strike", "Explosions/Remote violence"), ("Armed clash", "Battles"),
         ("Attack", "Violence against civilians"), ("Peaceful protest", "Protests")]
START, DAYS = date(2024, 1, 1), 365


def build(path: Path, n: int) -> float:
    """n merged events with full records (about 1 KB each) over a year, inserted directly."""
    from event_rows import insert_events

    store = open_store(str(path))
    have = count_events(store, not_events=True)
    if have >= n:
        return 0.0
    started = time.perf_counter()
    rng = random.Random(16)
    now = datetime.now(UTC).replace(tzinfo=None)

    def rows() -> Iterator[dict]:
        for i in range(have, n):
            lat, lon, cc = CITIES[i % len(CITIES)]
            lat, lon = lat + rng.uniform(-2, 2), lon + rng.uniform(-2, 2)
            day = (START + timedelta(days=rng.randrange(DAYS))).isoformat()
            sub, etype = KINDS[i % len(KINDS)]
            killed = rng.choice((0, 0, 1, 2, 3, 5, 8, 12, 30))
            precision = rng.choice((1, 1, 1, 2, 3))
            actor = f"Military Forces of {cc}"
            record = {
                "event_id": f"b-{i}", "event_date": day, "date_start": day, "date_end": day,
                "time_precision": 1, "disorder_type": "Political violence", "event_type": etype,
                "sub_event_type": sub, "plover": {"event": "ASSAULT", "mode": None, "context": []},
                "actor1": {"name": actor, "inter": 1, "country": cc}, "actor2": None,
                "assoc_actor_1": [], "assoc_actor_2": [], "interaction": 10,
                "civilian_targeting": False, "weapons": ["missile"], "targets": ["market"],
                "location": {"name": f"site {i % 7000}", "geonameid": None, "lat": lat, "lon": lon,
                             "country": None, "country_code": cc, "admin1": f"Region {i % 40}",
                             "admin2": None, "geo_precision": precision, "where_prec": precision},
                "fatalities": {"best": killed, "low": killed, "high": killed,
                               "qualifier": "exact", "civilians": None, "text": f"{killed} killed"},
                "injuries": {"best": 0, "low": 0, "high": 0, "qualifier": "none",
                             "civilians": None, "text": ""},
                "notes": f"On {day}, {actor}: {sub.lower()} near site {i % 7000}. "
                         f"{killed} fatalities.",
                "sources": [{"document_id": f"d{i}", "source": "Outlet", "url": None,
                             "published": day}],
                "evidence": {"trigger": [[0, 10]]}, "confidence": 0.7}
            yield {"event_id": f"b-{i}", "event_date": date.fromisoformat(day),
                   "disorder_type": "Political violence", "event_type": etype,
                   "sub_event_type": sub, "plover_event": "ASSAULT", "country_code": cc,
                   "actors": actor, "lat": lat, "lon": lon, "geo_precision": precision,
                   "cell": merging.grid_cell(lat, lon), "fatalities": killed,
                   "n_sources": 1, "words": [], "record": record, "updated_at": now}

    insert_events(store, rows())
    store.dispose()
    return time.perf_counter() - started


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a process (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(db: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "SITREP_TOKEN": "bench-token", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "sitrep", "serve", "--db", str(db),
                                "--host", "127.0.0.1", "--port", str(port)], env=env,
                               stderr=subprocess.DEVNULL)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


async def fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str,
                target: str) -> tuple[int, bytes]:
    """One GET on a kept-alive connection: status and body. A few lines of HTTP/1.1 instead
    of a general client, whose own CPU (2.5 ms a request with httpx, more than the server's)
    would be timed as the server's latency on a 2-core machine."""
    writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:]
                                                             if h)}
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"]))
    body = bytearray()  # chunked
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        body += await reader.readexactly(size + 2)
        del body[-2:]
    await reader.readuntil(b"\r\n")
    return status, bytes(body)


async def load(base: str, connections: int, seconds: float, max_requests: int) -> dict:
    """``connections`` clients, each on its own kept-alive connection, sending its next
    request when the last one answered."""
    from urllib.parse import urlencode, urlsplit

    rng = random.Random(5)
    timings: list[float] = []
    errors: dict[str, int] = {}
    stop = time.monotonic() + seconds
    sent = 0
    where = urlsplit(base)
    host, port = where.hostname or "127.0.0.1", where.port or 80

    async def client() -> None:
        nonlocal sent
        reader, writer = await asyncio.open_connection(host, port)
        try:
            await fetch(reader, writer, host, "/api/events?limit=1")  # connected and warm
            while time.monotonic() < stop and sent < max_requests:
                sent += 1
                since = START + timedelta(days=rng.randrange(DAYS - 30))
                query = urlencode({"since": since.isoformat(),
                                   "until": (since + timedelta(days=30)).isoformat(),
                                   "limit": 100})
                t = time.perf_counter()
                try:
                    status, body = await fetch(reader, writer, host, f"/api/events?{query}")
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                timings.append(time.perf_counter() - t)
                # A full page: each record holds its "event_id" once (counted, not parsed: the
                # client's JSON decoding would be timed as the server's latency).
                if not (status == 200 and body.startswith(b'{"events"')
                        and body.count(b'"event_id"') == 100):
                    errors[str(status)] = errors.get(str(status), 0) + 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    took = time.perf_counter() - started
    timings.sort()

    def pct(p: float) -> float:
        return round(1000 * timings[min(len(timings) - 1, int(len(timings) * p))], 1)

    return {"requests": len(timings), "seconds": round(took, 1),
            "requests_per_s": round(len(timings) / took, 1), "errors": sum(errors.values()),
            "error_kinds": errors, "p50_ms": pct(0.50), "p95_ms": pct(0.95),
            "p99_ms": pct(0.99), "max_ms": round(1000 * timings[-1], 1), "target_p99_ms": 200}


def first_load(base: str, runs: int = 3) -> dict:
    """Headless Chromium: time to an interactive map with its events drawn (best of a
    fresh-profile ``runs``), and the bytes transferred before the first event data."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    results = []
    for _ in range(runs):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--window-size=1400,900"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            driver.get(base + "/")
            deadline = time.monotonic() + 30
            while not driver.execute_script("return window.sitrep && window.sitrep.firstReady"):
                if time.monotonic() > deadline:
                    raise RuntimeError("the map never became ready")
                time.sleep(0.05)
            ready_ms = driver.execute_script("return window.sitrep.firstReady")
            entries = driver.execute_script(
                "return performance.getEntriesByType('resource').map(e => "
                "[e.name, e.transferSize || e.encodedBodySize])")
            nav = driver.execute_script(
                "const n = performance.getEntriesByType('navigation')[0];"
                "return n.transferSize || n.encodedBodySize")
        finally:
            driver.quit()
        before = nav + sum(size for name, size in entries
                           if "/api/events" not in name and "/api/stats" not in name)
        results.append({"interactive_ms": round(ready_ms), "bytes_before_event_data": before})
    best = min(results, key=lambda r: r["interactive_ms"])
    return {**best, "runs": [r["interactive_ms"] for r in results], "target_ms": 1500,
            "target_bytes": 1_000_000}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--db-dir")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--write-doc", action="store_true",
                        help="Record the figures in docs/BENCHMARKS.md (its serve section).")
    args = parser.parse_args(argv)
    db_dir = Path(args.db_dir or tempfile.mkdtemp(prefix="sitrep-serve-bench-"))
    db_dir.mkdir(parents=True, exist_ok=True)
    db = db_dir / "serve.db"
    out: dict = {"events": args.events, "build_s": round(build(db, args.events), 1)}
    port = free_port()
    server = start_server(db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
        try:  # the client's event loop: uvloop when installed (as the server's)
            import uvloop
            run = uvloop.run
        except ImportError:
            run = asyncio.run
        out["api_events"] = api = run(load(base, args.connections, args.seconds,
                                           args.max_requests))
        per = max(1, api["requests"])
        api["server_cpu_ms_per_request"] = round(
            1000 * (cpu_seconds(server.pid) - server_cpu) / per, 2)
        api["client_cpu_ms_per_request"] = round(
            1000 * (time.process_time() - client_cpu) / per, 2)
        api["load_average"] = [round(v, 1) for v in os.getloadavg()]
        if not args.no_browser and Path("/usr/bin/chromedriver").exists():
            out["first_load"] = first_load(base)
    finally:
        server.terminate()
        server.wait(10)
    print(json.dumps(out, indent=2))
    if args.write_doc:
        write_doc(out, ROOT / "docs" / "BENCHMARKS.md", args)
    return 0


DOC_START, DOC_END = "<!-- serve_load:start -->", "<!-- serve_load:end -->"


def write_doc(out: dict, path: Path, args: argparse.Namespace) -> None:
    """Replace (or append) the serve section of docs/BENCHMARKS.md."""
    api, first = out["api_events"], out.get("first_load") or {}
    load_avg = " / ".join(f"{v:.1f}" for v in api.get("load_average") or os.getloadavg())
    lines = [
        DOC_START, "## sitrep serve (`python bench/serve_load.py --write-doc`)", "",
        f"Measured {date.today().isoformat()} on the 2-core development machine, shared with "
        f"other jobs (load average at the end: {load_avg}). {out['events']:,} synthetic events "
        "(full records, a year of days); `sitrep serve` in its own process on 127.0.0.1; an "
        "asyncio client (plain HTTP/1.1, kept-alive connections) in this process.", "",
        "| measure | result | target |", "|---|---|---|",
        f"| `GET /api/events`, page of 100, random 30-day filter, {args.connections} "
        f"connections for {api['seconds']} s | p50 {api['p50_ms']} ms, p95 {api['p95_ms']} ms, "
        f"**p99 {api['p99_ms']} ms**; {api['requests']} requests "
        f"({api['requests_per_s']}/s), {api['errors']} errors | p99 < 200 ms, no errors |",
        f"| CPU a request (same run) | server {api['server_cpu_ms_per_request']} ms, client "
        f"{api['client_cpu_ms_per_request']} ms | |"]
    if first:
        lines.append(f"| page first load to an interactive map with its events (headless "
                     f"Chromium, fresh profile; best of {len(first['runs'])}: "
                     f"{', '.join(map(str, first['runs']))} ms) | **{first['interactive_ms']} "
                     f"ms**, {first['bytes_before_event_data']:,} bytes before event data | "
                     "< 1.5 s, < 1 MB |")
    capacity = 1000 / api["server_cpu_ms_per_request"]
    lines += ["", f"Little's law: {args.connections} connections / {api['requests_per_s']} "
              f"requests a second = {args.connections / api['requests_per_s'] * 1000:.0f} ms "
              "on average, so the latency is the queue for the CPU; the server's CPU time a "
              f"request would answer {capacity:.0f} requests a second on a core of its own.",
              "", "Read responses are cached per server process while the store's write "
              "generation is unchanged (`SITREP_SERVE_CACHE`, 512 responses; 0 turns it "
              "off); the 335 possible windows of the run are each computed once. Run with "
              "`SITREP_SERVE_CACHE=0` for the uncached figure.", DOC_END, ""]
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if DOC_START in text:
        text = (text[:text.index(DOC_START)]
                + text[text.index(DOC_END) + len(DOC_END):].lstrip("\n"))
    path.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
