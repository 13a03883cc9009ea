"""A geocoding process's read transaction outlives a query by a short, bounded time: another
connection (as another process running ``sitrep gazetteer load`` would) still writes the index
while queries stream, the reader sees the write soon after, and closing mid-linger is clean."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from conftest import small_index

from sitrep.places.gazetteer import READ_LINGER_S, Gazetteer
from sitrep.places.geocode import geocode

ROWS = [
    ("Velyka Dymerka", 50.59, 30.91, "UA", 5000), ("Stepanivka", 47.90, 34.40, "UA", 2100),
    ("Stepanovka", 51.20, 36.80, "RU", 1500), ("Sosnivka", 50.10, 24.20, "UA", 9000),
    ("Kholodnyi Yar", 49.05, 32.10, "UA", 1200), ("Novohryhorivka", 47.50, 35.20, "UA", 3100),
]
# Distinct first-time queries, so every one reads the index rather than a cache.
QUERIES = [f"{name}{suffix}" for name, *_ in ROWS
           for suffix in ("", ", Ukraine", ", Russia", " village", ", Kyiv Oblast", "a", "x")]


@pytest.fixture
def index(tmp_path: Path) -> Path:
    return small_index(tmp_path, [
        {"name": name, "lat": lat, "lon": lon, "id": i, "country_code": cc, "feature_code": "PPL",
         "population": pop}
        for i, (name, lat, lon, cc, pop) in enumerate(ROWS)])


def _write_meta(path: Path, value: str, timeout: float) -> float:
    """Seconds another connection took to commit a write to the index."""
    started = time.monotonic()
    conn = sqlite3.connect(str(path), timeout=timeout)
    try:
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('probe', ?)", (value,))
        conn.commit()
    finally:
        conn.close()
    return time.monotonic() - started


def _in_transaction(gaz: Gazetteer) -> bool:
    with gaz._lock:
        return gaz.conn.in_transaction


@pytest.mark.parametrize("query", ["Velyka Dymerka", "Stepanovka, Russia", "Nowhere", "???"])
def test_gazetteer_read_linger_ends_after_a_query(index: Path, query: str) -> None:
    gaz = Gazetteer(index)
    try:
        geocode(query, gazetteer=gaz)
        deadline = time.monotonic() + 20 * READ_LINGER_S + 1.0
        while _in_transaction(gaz) and time.monotonic() < deadline:
            time.sleep(READ_LINGER_S / 4)
        assert not _in_transaction(gaz)
        # Nothing holds the file: a writer that may not wait at all commits.
        assert _write_meta(index, query, timeout=0.0) < 1.0
    finally:
        gaz.close()


@pytest.mark.parametrize("threads", [1, 2])
def test_gazetteer_read_linger_writer_is_not_starved(index: Path, threads: int) -> None:
    """Queries without pause never hold the lock past the linger: a writer gets in."""
    gaz = Gazetteer(index)
    stop = threading.Event()
    errors: list[BaseException] = []

    def stream(offset: int) -> None:
        i = offset
        try:
            while not stop.is_set():
                geocode(f"{QUERIES[i % len(QUERIES)]} {i}", gazetteer=gaz)
                i += threads
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    workers = [threading.Thread(target=stream, args=(k,)) for k in range(threads)]
    for w in workers:
        w.start()
    try:
        time.sleep(5 * READ_LINGER_S)
        waited = _write_meta(index, "written", timeout=5.0)
        assert waited < 2.0
        # The reader sees the other connection's write once its transaction has turned over.
        deadline = time.monotonic() + 2.0
        seen = None
        while time.monotonic() < deadline:
            seen = gaz._fetch("SELECT v FROM meta WHERE k = 'probe'", ())
            if seen:
                break
            time.sleep(READ_LINGER_S)
        assert seen == [("written",)]
    finally:
        stop.set()
        for w in workers:
            w.join()
        gaz.close()
    assert not errors


def test_gazetteer_read_linger_reads_share_the_lingering_transaction(index: Path) -> None:
    gaz = Gazetteer(index)
    try:
        with gaz.reading():
            gaz.spellings("Stepanivka", "UA")
            began = gaz._began_at
        assert _in_transaction(gaz) or time.monotonic() - began >= READ_LINGER_S
        with gaz.reading():
            gaz.spellings("Sosnivka", "UA")
            # Opened again only if the first had aged out meanwhile.
            assert gaz._began_at == began or time.monotonic() - began >= READ_LINGER_S
    finally:
        gaz.close()


def test_gazetteer_read_linger_close_while_lingering(index: Path) -> None:
    gaz = Gazetteer(index)
    geocode("Velyka Dymerka, Ukraine", gazetteer=gaz)
    gaz.close()  # the watcher finds the index closed and stops
    deadline = time.monotonic() + 20 * READ_LINGER_S + 1.0
    while time.monotonic() < deadline and any(
            t.name == "gazetteer-read-end" for t in threading.enumerate()):
        time.sleep(READ_LINGER_S / 4)
    assert not any(t.name == "gazetteer-read-end" for t in threading.enumerate())
    assert _write_meta(index, "after close", timeout=0.0) < 1.0
