"""Sources fetched over HTTP, against a server on 127.0.0.1: pages, feeds, URL lists, and the
limits (timeouts, size cap, redirects, robots.txt, per-host concurrency)."""

from __future__ import annotations

import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "sources"))
from feedserver import FeedServer, item_text, send  # noqa: E402

from sitrep import errors  # noqa: E402
from sitrep.records import Report  # noqa: E402
from sitrep.sources import read_paths, web  # noqa: E402
from sitrep.sources.web import Fetcher, WebSettings  # noqa: E402


@pytest.fixture
def server():
    with FeedServer(items=5) as s:
        yield s


@pytest.fixture(autouse=True)
def fetcher(monkeypatch):
    """A fetcher with short limits, used by every reader in the test."""
    f = Fetcher(WebSettings(read_timeout=0.5, connect_timeout=0.5, deadline=2.0,
                            max_bytes=200_000, max_redirects=3, per_host=2, robots_retry=0.1))
    monkeypatch.setattr(web, "_default", f)
    yield f
    f.close()


def _codes(items):
    return ["ok" if isinstance(i, Report) else i.code for i in items]


def test_sources_web_page_url_as_path(server) -> None:
    items = list(read_paths([f"{server.url}/item/2"]))
    assert _codes(items) == ["ok"]
    assert items[0].url == f"{server.url}/item/2" and items[0].title == "Item 2"
    assert "Item 2 from the wire service" in items[0].text and "Copyright" not in items[0].text


def test_sources_web_feed_url_fetches_each_entry_page(server) -> None:
    items = list(read_paths([f"{server.url}/feed.xml"]))
    assert _codes(items) == ["ok"] * 5
    assert items[0].url == f"{server.url}/item/4"  # newest first, as the feed lists them
    assert "Item 4 from the wire service" in items[0].text
    assert items[0].published == date(2024, 5, 1)  # the entry's date
    assert all(server.hits.get(f"/item/{n}") == 1 for n in range(5))


def test_sources_web_url_list_in_order_with_errors_in_place(server, tmp_path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# list\n{server.url}/item/1\n{server.url}/missing\n\n{server.url}/item/3\n")
    items = list(read_paths([], urls=str(urls)))
    assert _codes(items) == ["ok", errors.HTTP_STATUS, "ok"]
    assert [i.url for i in items if isinstance(i, Report)] == [f"{server.url}/item/1",
                                                                f"{server.url}/item/3"]


def test_sources_web_user_agent_names_sitrep(server) -> None:
    seen = {}

    def record(h):
        seen["ua"] = h.headers.get("User-Agent")
        send(h, 200, b"<html><body><p>" + item_text(1).encode() + b"</p></body></html>")

    server.routes["/ua"] = record
    list(read_paths([f"{server.url}/ua"]))
    assert seen["ua"].startswith("sitrep/")


def _hang(h):
    time.sleep(3)
    send(h, 200, b"late")


def _endless(h):
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    try:  # 5 GB, as fast as the reader takes it (it stops at its cap)
        chunk = b"<p>" + b"x" * 65536 + b"</p>"
        for _ in range(80_000):
            h.wfile.write(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass


def _loop(h):
    send(h, 302, b"", headers={"Location": "/loop"})


def _not_xml(h):
    send(h, 200, b"{\"this is\": \"json, not a feed\"}", "application/rss+xml")


@pytest.mark.parametrize("route, handler, code", [
    ("/hang", _hang, errors.FETCH_FAILED),
    ("/huge", _endless, errors.DOWNLOAD_TOO_LARGE),
    ("/loop", _loop, errors.TOO_MANY_REDIRECTS),
    ("/notxml", _not_xml, errors.BAD_FEED),
    ("/private/page", None, errors.ROBOTS_DISALLOWED),
])
def test_sources_web_bad_urls_are_per_item_errors(server, tmp_path, route, handler,
                                                  code) -> None:
    if handler is not None:
        server.routes[route] = handler
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server.url}{route}\n{server.url}/item/0\n")
    start = time.monotonic()
    items = list(read_paths([], urls=str(urls)))
    assert _codes(items) == [code, "ok"]
    assert time.monotonic() - start < 10


def test_sources_web_at_most_n_requests_per_host(server, fetcher, tmp_path) -> None:
    lock, now, peak = threading.Lock(), [0], [0]

    def slow(h):
        with lock:
            now[0] += 1
            peak[0] = max(peak[0], now[0])
        time.sleep(0.15)
        with lock:
            now[0] -= 1
        send(h, 200, b"<html><body><p>" + item_text(2).encode() + b"</p></body></html>")

    for n in range(8):
        server.routes[f"/slow/{n}"] = slow
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(f"{server.url}/slow/{n}\n" for n in range(8)))
    items = list(read_paths([], urls=str(urls)))
    assert _codes(items) == ["ok"] * 8
    assert peak[0] == fetcher.settings.per_host == 2


def test_sources_web_last_modified_is_the_date_when_the_page_gives_none(server) -> None:
    body = b"<html><body><article><p>" + item_text(3).encode() + b"</p></article></body></html>"
    server.routes["/dated"] = lambda h: send(
        h, 200, body, headers={"Last-Modified": "Tue, 07 May 2024 08:00:00 GMT"})
    [report] = read_paths([f"{server.url}/dated"], published=date(2020, 1, 1))
    assert report.published == date(2024, 5, 7)
