"""``sitrep watch``: new items once, restarts without refetching, failing sources back off,
clean stops on SIGTERM, and a small soak (failing server, SIGKILL halfway)."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent / "data" / "sources"))
sys.path.insert(0, str(ROOT / "bench"))
from feedserver import FeedServer  # noqa: E402

from sitrep.records import DocumentResult  # noqa: E402
from sitrep.sources.web import Fetcher, WebSettings  # noqa: E402
from sitrep.store import counts, open_store  # noqa: E402
from sitrep.store.watch import Source, Watcher, parse_every, read_sources  # noqa: E402


def stub(reports):
    for report in reports:
        yield DocumentResult(id=report.id, published=report.published)


@pytest.fixture
def fetcher():
    f = Fetcher(WebSettings(read_timeout=1, connect_timeout=1, deadline=3, robots_retry=0.1))
    yield f
    f.close()


def _watcher(tmp_path, sources, fetcher, **kw) -> Watcher:
    store = open_store(str(tmp_path / "w.db"))
    return Watcher(store, sources, tmp_path / "state.json", every=0.05, extractor=stub,
                   fetcher=fetcher, max_backoff=0.2, **kw)


def test_watch_every_parses_durations() -> None:
    assert [parse_every(v) for v in ("30s", "15m", "2h", "90")] == [30, 900, 7200, 90]
    with pytest.raises(ValueError):
        parse_every("soon")


def test_watch_sources_file(tmp_path) -> None:
    path = tmp_path / "sources.txt"
    path.write_text("# feeds\nhttps://a.example/rss\nurls lists/pages.txt  # pages\n\n")
    assert read_sources(path) == [Source("feed", "https://a.example/rss"),
                                  Source("urls", "lists/pages.txt")]


def test_watch_new_items_once_and_restart_resumes_without_refetching(
        tmp_path, fetcher, caplog) -> None:
    caplog.set_level(logging.INFO, logger="sitrep.watch")
    with FeedServer(items=30) as server:
        source = Source("feed", f"{server.url}/feed.xml")
        first = _watcher(tmp_path, [source], fetcher)
        stats = first.poll(source)
        assert (stats.new, stats.skipped, stats.failed) == (30, 0, 0)
        assert f"{source.name}: 30 new, 0 skipped, 0 failed" in caplog.text
        page_hits = sum(v for k, v in server.hits.items() if k.startswith("/item/"))
        again = _watcher(tmp_path, [source], fetcher)  # a restart: state from the file
        stats = again.poll(source)
        assert (stats.new, stats.skipped) == (0, 30)
        assert sum(v for k, v in server.hits.items() if k.startswith("/item/")) == page_hits
        assert counts(again.store)["reports"] == 30


def test_watch_lost_state_still_stores_nothing_twice(tmp_path, fetcher) -> None:
    with FeedServer(items=10) as server:
        source = Source("feed", f"{server.url}/feed.xml")
        _watcher(tmp_path, [source], fetcher).poll(source)
        (tmp_path / "state.json").unlink()
        stats = _watcher(tmp_path, [source], fetcher).poll(source)
        assert (stats.new, stats.skipped) == (0, 10)
        assert not any(v > 1 for k, v in server.hits.items() if k.startswith("/item/"))


def test_watch_failing_sources_back_off_and_the_rest_go_on(tmp_path, fetcher, caplog) -> None:
    caplog.set_level(logging.INFO, logger="sitrep.watch")
    with FeedServer(items=5) as server:
        server.routes["/bad.xml"] = lambda h: h.wfile.write(b"HTTP/1.0 200 OK\r\n\r\nnot xml")
        sources = [Source("feed", "http://nonexistent.invalid/feed.xml"),
                   Source("feed", f"{server.url}/bad.xml"),
                   Source("feed", f"{server.url}/feed.xml")]
        watcher = _watcher(tmp_path, sources, fetcher)
        watcher.run(max_polls=1)
        states = [watcher.state[s.name] for s in sources]
        assert [s.failures for s in states] == [1, 1, 0]
        assert counts(watcher.store)["reports"] == 5
        assert "E024" in caplog.text and "E021" in caplog.text and "retry in" in caplog.text
        saved = json.loads((tmp_path / "state.json").read_text())
        assert saved["sources"][sources[0].name]["failures"] == 1


def test_watch_url_list_source(tmp_path, fetcher) -> None:
    with FeedServer(items=4) as server:
        urls = tmp_path / "pages.txt"
        urls.write_text(f"{server.url}/item/0\n{server.url}/item/1\n")
        source = Source("urls", str(urls))
        watcher = _watcher(tmp_path, [source], fetcher)
        assert watcher.poll(source).new == 2
        with urls.open("a") as f:
            f.write(f"{server.url}/item/2\n{server.url}/nowhere\n")
        stats = watcher.poll(source)
        assert (stats.new, stats.skipped, stats.failed) == (1, 2, 1)


def test_watch_sigterm_stops_cleanly(tmp_path) -> None:
    with FeedServer(items=3) as server:
        sources = tmp_path / "sources.txt"
        sources.write_text(f"{server.url}/feed.xml\n")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "sitrep", "-v", "watch", str(sources), "--every", "1s",
             "--db", str(tmp_path / "w.db")], env=env, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        state = tmp_path / "sources.txt.state.json"
        while not state.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        assert "3 new, 0 skipped, 0 failed" in err
        assert len(json.loads(state.read_text())["sources"][f"{server.url}/feed.xml"]
                   ["seen"]) == 3


def test_watch_soak_small(tmp_path) -> None:
    import watch_soak

    result = watch_soak.soak(items=120, rate=60, fail_rate=0.2, every=0.1, timeout=90,
                             workdir=str(tmp_path))
    assert result["killed_at"] is not None
    assert result["exactly_once"], result
