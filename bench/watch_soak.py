"""Soak test of ``sitrep watch``: a local feed publishes items over time through a server that
fails a share of requests; the watcher is SIGKILLed halfway and restarted; at the end every
item must be stored exactly once.

    python bench/watch_soak.py                    # 1,000 items, 20 % failures, one SIGKILL
    python bench/watch_soak.py --items 200 --rate 100

The watcher runs in a child process (so it can be killed) with a stub extractor (the pipeline's
cost is not what is measured) and the real store. Loopback only; bounded by ``--timeout``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data" / "sources"))

# Short limits so failures are retried within the run's time.
CHILD_ENV = {"SITREP_READ_TIMEOUT": "2", "SITREP_CONNECT_TIMEOUT": "2",
             "SITREP_FETCH_DEADLINE": "5", "SITREP_ROBOTS_RETRY": "0.2"}


def child(db: str, sources: str, state: str, every: float) -> None:
    """The watcher: stub extraction (no events), the real store and state file."""
    from sitrep.records import DocumentResult
    from sitrep.store import open_store
    from sitrep.store.watch import Watcher, read_sources

    def stub(reports):  # type: ignore[no-untyped-def]
        for report in reports:
            yield DocumentResult(id=report.id, published=report.published)

    watcher = Watcher(open_store(db), read_sources(sources), state, every, extractor=stub,
                      max_backoff=every * 4)
    watcher.install_signal_handlers()
    watcher.run()
    watcher.save()


def stored_urls(db: str) -> list[str]:
    if not Path(db).exists():
        return []
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as connection:
            return [row[0] for row in connection.execute("SELECT url FROM reports")]
    except sqlite3.OperationalError:  # not created yet
        return []


def spawn(db: str, sources: str, state: str, every: float, log: Path) -> subprocess.Popen:
    env = {**os.environ, **CHILD_ENV, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, __file__, "--child", "--db", db, "--sources", sources,
         "--state", state, "--every", str(every)],
        env=env, stdout=subprocess.DEVNULL, stderr=log.open("ab"))


def soak(items: int = 1000, rate: float = 50.0, fail_rate: float = 0.2, every: float = 0.2,
         timeout: float = 240.0, workdir: str | None = None) -> dict[str, object]:
    """Run the soak; returns the figures (and whether every item was stored exactly once)."""
    from feedserver import FeedServer

    folder = Path(workdir or tempfile.mkdtemp(prefix="sitrep-soak-"))
    db, state = str(folder / "soak.db"), str(folder / "state.json")
    log = folder / "watch.log"
    started = time.monotonic()
    with FeedServer(items=items, rate=rate, window=max(200, int(rate * 30)),
                    fail_rate=fail_rate) as server:
        sources = folder / "sources.txt"
        sources.write_text(f"{server.url}/feed.xml\n", encoding="utf-8")
        proc = spawn(db, str(sources), state, every, log)
        killed_at = None
        try:
            while time.monotonic() - started < timeout:
                time.sleep(0.2)
                count = len(stored_urls(db))
                if killed_at is None and count >= items // 2:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
                    killed_at = count
                    proc = spawn(db, str(sources), state, every, log)
                if count >= items and server.published() >= items:
                    break
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                status = proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                status = proc.wait()
        hits = dict(server.hits)
    urls = stored_urls(db)
    wanted = {f"{server.url}/item/{n}" for n in range(items)}
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return {
        "items": items, "fail_rate": fail_rate, "stored": len(urls),
        "distinct": len(set(urls)), "missing": len(wanted - set(urls)),
        "duplicates": len(urls) - len(set(urls)), "killed_at": killed_at,
        "clean_exit": status == 0, "seconds": round(time.monotonic() - started, 1),
        "requests": sum(hits.values()), "page_requests": sum(
            v for k, v in hits.items() if k.startswith("/item/")),
        "poll_lines": sum(1 for line in lines if "new," in line),
        "exactly_once": set(urls) == wanted and len(urls) == items,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50.0, help="items published a second")
    parser.add_argument("--fail-rate", type=float, default=0.2)
    parser.add_argument("--every", type=float, default=0.2)
    parser.add_argument("--timeout", type=float, default=240.0)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--sources", help=argparse.SUPPRESS)
    parser.add_argument("--state", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import logging

        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
        for noisy in ("httpx", "httpcore", "alembic"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        child(args.db, args.sources, args.state, args.every)
        return
    result = soak(args.items, args.rate, args.fail_rate, args.every, args.timeout)
    print(json.dumps(result, indent=2))
    sys.exit(0 if result["exactly_once"] else 1)


if __name__ == "__main__":
    main()
