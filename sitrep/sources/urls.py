"""Page URLs (as a PATH) and URL lists (``--urls FILE``, one URL a line).

Each URL is fetched through ``sitrep.sources.web`` (timeouts, size cap, redirects, robots.txt,
per-host limit) and read by content like a file: a feed gives its entries, an HTML page its
article, anything else its text. The HTTP Last-Modified date becomes ``published`` when the page
gives none. A list is fetched ``workers`` at a time (still at most ``per_host`` to one host) and
its results come back in the list's order; blank lines and ``#`` comments are skipped.
"""

from __future__ import annotations

import dataclasses
import io
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import IO, TypeVar

from sitrep import errors
from sitrep.config import Settings
from sitrep.records import Report
from sitrep.sources.feeds import looks_like_feed
from sitrep.sources.web import Fetcher, default_fetcher, is_url

log = logging.getLogger("sitrep.sources")

Items = Iterator[Report | errors.SitrepError]
WORKERS = 8
T = TypeVar("T")
R = TypeVar("R")


def read_url(url: str, published: date | None, settings: Settings,
             read_stream: Callable[..., Items], fetcher: Fetcher | None = None) -> Items:
    """The reports of one URL (one page, or a feed's entries), errors in their place."""
    if not is_url(url):
        yield errors.error(errors.FETCH_FAILED, report_id=url, url=url,
                           detail="not an http(s) URL")
        return
    fetcher = fetcher or default_fetcher()
    try:
        page = fetcher.fetch(url)
    except errors.SitrepError as exc:
        log.warning("%s: %s %s", url, exc.code, exc.message)
        yield exc
        return
    ctype = page.content_type.lower()
    if any(t in ctype for t in ("rss", "atom", "/xml")) and not looks_like_feed(page.body[:4096]):
        exc = errors.error(errors.BAD_FEED, report_id=url, source=url,
                           detail=f"served as {ctype.split(';')[0]} but not XML")
        log.warning("%s: %s %s", url, exc.code, exc.message)
        yield exc
        return
    suffix = ".html" if "html" in ctype else ""
    for item in read_stream(io.BytesIO(page.body), page.url, page.last_modified or published,
                            suffix=suffix, settings=settings, size=len(page.body)):
        if isinstance(item, Report) and item.url is None:
            item = dataclasses.replace(item, url=page.url)
        yield item


def url_lines(stream: IO[str] | Iterable[str]) -> Iterator[str]:
    for line in stream:
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def read_url_list(path: str, published: date | None, settings: Settings,
                  read_stream: Callable[..., Items], fetcher: Fetcher | None = None,
                  workers: int = WORKERS) -> Items:
    """The reports of every URL in a list file ("-" for stdin), in the list's order."""
    import sys

    if path == "-":
        yield from read_urls(url_lines(sys.stdin), published, settings, read_stream, fetcher,
                             workers)
        return
    with Path(path).open(encoding="utf-8-sig", errors="replace") as lines:
        yield from read_urls(url_lines(lines), published, settings, read_stream, fetcher,
                             workers)


def read_urls(urls: Iterable[str], published: date | None, settings: Settings,
              read_stream: Callable[..., Items], fetcher: Fetcher | None = None,
              workers: int = WORKERS) -> Items:
    """Fetch ``workers`` URLs at a time, results in input order."""
    fetcher = fetcher or default_fetcher()

    def one(url: str) -> list[Report | errors.SitrepError]:
        return list(read_url(url, published, settings, read_stream, fetcher))

    for items in ordered(one, urls, workers):
        yield from items


def ordered(work: Callable[[T], R], inputs: Iterable[T], workers: int = WORKERS) -> Iterator[R]:
    """``work`` over ``inputs`` in ``workers`` threads, results in input order, a bounded
    window ahead (so a long list is never all in flight, and a consumer that stops early
    leaves nothing queued)."""
    window: deque[Future[R]] = deque()
    with ThreadPoolExecutor(max_workers=max(workers, 1), thread_name_prefix="sitrep-fetch") as pool:
        try:
            for item in inputs:
                window.append(pool.submit(work, item))
                if len(window) >= workers * 2:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
        finally:
            for future in window:
                future.cancel()
