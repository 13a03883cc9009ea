"""A local HTTP server for source and watch tests: a feed publishing items over time, its pages,
and misbehaving URLs (hanging, endless, redirecting forever, not XML). Loopback only.
"""

from __future__ import annotations

import random
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PLACES = ["Kharkiv", "Odesa", "Kherson", "Dnipro", "Aleppo", "Idlib", "Gao", "Mogadishu"]


def item_text(n: int) -> str:
    """A distinct article for item ``n`` (different words, so no two are near-duplicates)."""
    place = PLACES[n % len(PLACES)]
    words = " ".join(f"w{n}x{k}" for k in range(40))
    return (f"{place}; {n % 7 + 1} killed; missile\nItem {n} from the wire service. "
            f"Officials in {place} described the strike on item {n}. {words}.")


class FeedServer:
    """``items`` items appear at ``rate`` a second from ``start()`` (all at once when ``rate`` is
    None, so a test never races the clock); the feed shows the newest ``window``; ``fail_rate`` of
    requests (feed, pages, robots.txt) answer 503."""

    def __init__(self, items: int = 50, rate: float | None = None, window: int = 200,
                 fail_rate: float = 0.0, seed: int = 17) -> None:
        self.items, self.rate, self.window, self.fail_rate = items, rate, window, fail_rate
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.t0 = time.monotonic()
        self.hits: dict[str, int] = {}
        self.routes: dict[str, Any] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                server.handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        self.t0 = time.monotonic()
        return self

    def __exit__(self, *_: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def published(self) -> int:
        if self.rate is None:
            return self.items
        return min(self.items, int((time.monotonic() - self.t0) * self.rate) + 1)

    def feed(self) -> bytes:
        top = self.published()
        entries = []
        for n in range(top - 1, max(top - self.window, 0) - 1, -1):
            entries.append(
                f"<item><title>Item {n}</title><link>{self.url}/item/{n}</link>"
                f"<guid>{self.url}/item/{n}</guid>"
                f"<pubDate>{formatdate(1714550400 + n * 60, usegmt=True)}</pubDate>"
                f"<description>Summary of item {n}.</description></item>")
        return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
                + "".join(entries) + "</channel></rss>").encode()

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?", 1)[0]
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            fail = self.fail_rate and self.random.random() < self.fail_rate
        if path in self.routes:
            self.routes[path](h)
            return
        if fail:
            return _send(h, 503, b"busy", "text/plain")
        if path == "/robots.txt":
            return _send(h, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path == "/feed.xml":
            return _send(h, 200, self.feed(), "application/rss+xml")
        if path.startswith("/item/"):
            n = int(path.rsplit("/", 1)[1])
            if n >= self.published():
                return _send(h, 404, b"not yet", "text/plain")
            body = (f"<html><head><title>Item {n}</title></head><body><nav>Home | World</nav>"
                    f"<article><h1>Item {n}</h1><p>{item_text(n)}</p></article>"
                    f"<footer>Copyright</footer></body></html>")
            return _send(h, 200, body.encode(), "text/html; charset=utf-8")
        _send(h, 404, b"no such page", "text/plain")


def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str,
          headers: dict[str, str] | None = None) -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(body)


def send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str = "text/html",
         headers: dict[str, str] | None = None) -> None:
    _send(h, status, body, ctype, headers)
