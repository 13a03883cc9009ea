"""Watching feeds and URL lists: poll, ingest only new items, survive failures, resume.

``sitrep watch SOURCES.txt`` runs ``Watcher.run``. A sources file has one source a line:
a feed URL (or a page URL, recognised by content), a local feed file, or ``urls PATH`` for a
list of page URLs (read again at every poll, so appending to it adds work). ``#`` starts a
comment.

Every poll of a source logs one line (new, skipped, failed). A source that fails as a whole
(DNS, connection, HTTP error, not a feed) is polled again after a backoff that doubles with each
failure (up to ``max_backoff``); an item whose page could not be fetched (a transient error) is
tried again at the next polls, up to ``MAX_ATTEMPTS``. What was seen is written to a small JSON
state file after every poll (atomically), with the feeds' ETag and Last-Modified, so a restart
neither fetches nor codes seen items again; items whose URL is stored are skipped unfetched
too, so even a watcher killed between a commit and its state write stores nothing twice.
SIGTERM and SIGINT stop it cleanly: the item in hand is finished (its batch committed), no new
one is started, the state is written.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitrep import errors
from sitrep.records import DocumentResult, Report
from sitrep.sources.feeds import Entry, entry_report, looks_like_feed, parse_feed
from sitrep.sources.urls import ordered, url_lines
from sitrep.sources.web import Fetcher, is_url
from sitrep.store import bulk
from sitrep.store.db import Store
from sitrep.store.dedup import Dedup
from sitrep.store.ingest import Extractor, ingest

log = logging.getLogger("sitrep.watch")

# Errors worth trying the item again for: the network, the server, robots.txt unreachable.
TRANSIENT = frozenset({errors.FETCH_FAILED, errors.HTTP_STATUS})
MAX_ATTEMPTS = 20
# Transient failures are also retried at once, this many times, ``RETRY_DELAY`` s apart
# (times the try): most 5xx answers and resets are gone a moment later.
RETRIES_IN_POLL = 2
RETRY_DELAY = 0.2
# Seen item keys kept per source: far more than any feed shows at once.
MAX_SEEN = 20_000
WORKERS = 8


def parse_every(value: str) -> float:
    """'15m', '30s', '2h', '1d' or plain seconds, as seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value)
    if not match:
        raise ValueError(f"'{value}' is not a duration such as 30s, 15m or 2h")
    return float(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match[2]]


@dataclass
class Source:
    kind: str  # "feed" (a feed or page, by content) or "urls" (a list of page URLs)
    target: str

    @property
    def name(self) -> str:
        return self.target if self.kind == "feed" else f"urls {self.target}"


def read_sources(path: str | Path) -> list[Source]:
    sources = []
    for line in Path(path).read_text(encoding="utf-8-sig").splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("urls "):
            sources.append(Source("urls", line[5:].strip()))
        else:
            sources.append(Source("feed", line))
    return sources


@dataclass
class SourceState:
    seen: list[str] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_poll: float = 0.0
    attempts: dict[str, int] = field(default_factory=dict)


@dataclass
class PollStats:
    new: int = 0
    skipped: int = 0
    failed: int = 0
    error: str | None = None


class Watcher:
    """Polls sources into a store; see the module docstring."""

    def __init__(self, store: Store, sources: list[Source], state_path: str | Path,
                 every: float = 900.0, *, extractor: Extractor | None = None,
                 fetcher: Fetcher | None = None, max_backoff: float = 3600.0,
                 published: date | None = None, workers: int = WORKERS) -> None:
        self.store = store
        self.sources = sources
        self.state_path = Path(state_path)
        self.every = every
        self.extractor = extractor
        self.fetcher = fetcher
        self.max_backoff = max_backoff
        self.published = published
        self.workers = workers
        self.stop = threading.Event()
        self.state: dict[str, SourceState] = self._load()

    # --- state --------------------------------------------------------------------------------

    def _load(self) -> dict[str, SourceState]:
        try:
            raw = json.loads(self.state_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("state file %s unreadable (%s); starting afresh", self.state_path, exc)
            return {}
        return {name: SourceState(**s) for name, s in raw.get("sources", {}).items()}

    def save(self) -> None:
        """Write the state file whole or not at all (a kill mid-write keeps the old one)."""
        tmp = self.state_path.with_name(self.state_path.name + ".tmp")
        data = {"version": 1, "sources": {n: asdict(s) for n, s in self.state.items()}}
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.state_path)

    # --- running ------------------------------------------------------------------------------

    def run(self, max_polls: int | None = None) -> None:
        """Poll every source when due until stopped (or after ``max_polls`` rounds)."""
        rounds = 0
        while not self.stop.is_set():
            for source in self.sources:
                if self.stop.is_set():
                    break
                state = self.state.setdefault(source.name, SourceState())
                if state.next_poll <= time.time():
                    self.poll(source)
            rounds += 1
            if max_polls is not None and rounds >= max_polls:
                break
            due = min((self.state[s.name].next_poll for s in self.sources), default=0.0)
            self.stop.wait(max(0.0, min(due - time.time(), self.every)) or 0.05)

    def install_signal_handlers(self) -> None:
        """SIGTERM and SIGINT set the stop flag (the main thread finishes what it holds)."""
        def handler(signum: int, _frame: Any) -> None:
            log.warning("signal %d: stopping after the report in hand", signum)
            self.stop.set()

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)

    def poll(self, source: Source) -> PollStats:
        state = self.state.setdefault(source.name, SourceState())
        stats = PollStats()
        try:
            if source.kind == "urls":
                items = self._url_items(source)
            else:
                items = self._feed_items(source, state)
            self._ingest(source, state, items, stats)
        except errors.SitrepError as exc:
            stats.error = f"{exc.code} {exc.message}"
        if stats.error is None:
            state.failures = 0
            state.next_poll = time.time() + self.every
        else:
            state.failures += 1
            backoff = min(self.every * 2 ** state.failures, self.max_backoff)
            state.next_poll = time.time() + backoff
            stats.error += f" (retry in {backoff:g} s)"
        self.save()
        line = (f"{source.name}: {stats.new} new, {stats.skipped} skipped, "
                f"{stats.failed} failed")
        log.info(line + (f"; source failed: {stats.error}" if stats.error else ""))
        return stats

    # --- what a source offers -----------------------------------------------------------------

    def _fetcher(self) -> Fetcher:
        if self.fetcher is None:
            from sitrep.sources.web import default_fetcher

            self.fetcher = default_fetcher()
        return self.fetcher

    def _feed_items(self, source: Source, state: SourceState) -> list[tuple[str, Any]]:
        """(key, entry) for every entry the source offers now; [] when unchanged (304)."""
        if not is_url(source.target):
            try:
                entries = parse_feed(Path(source.target).read_bytes(), source.target)
            except OSError as exc:
                raise errors.error(errors.UNREADABLE, path=source.target,
                                   detail=exc.strerror or str(exc)) from None
        else:
            headers = {}
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
            page = self._fetcher().fetch(source.target, headers)
            if page.status == 304:
                return []
            data = page.body
            if not looks_like_feed(data[:4096]) and "html" in page.content_type.lower():
                # a page to watch, not a feed: the page itself is the one item
                return [(page.url, page)]
            entries = parse_feed(data, source.target)
            # remembered only for a feed that parsed: a broken answer must not be a 304 later
            state.etag = page.headers.get("etag")
            state.last_modified = page.headers.get("last-modified")
        # feeds list the newest first: ingest in publication order
        return [(entry.key, entry) for entry in reversed(entries)]

    def _url_items(self, source: Source) -> list[tuple[str, Any]]:
        try:
            with open(source.target, encoding="utf-8-sig", errors="replace") as lines:
                return [(url, url) for url in url_lines(lines)]
        except OSError as exc:
            raise errors.error(errors.UNREADABLE, path=source.target,
                               detail=exc.strerror or str(exc)) from None

    def _report(self, source: Source, key: str, item: Any) -> Report | errors.SitrepError:
        """Fetch and read one item (run in a worker thread), retrying transient failures."""
        for attempt in range(RETRIES_IN_POLL + 1):
            result = self._report_once(source, key, item)
            if not isinstance(result, errors.SitrepError) or result.code not in TRANSIENT:
                break
            if self.stop.wait(RETRY_DELAY * (attempt + 1)):
                break
        return result

    def _report_once(self, source: Source, key: str, item: Any) -> Report | errors.SitrepError:
        if self.stop.is_set():
            return errors.error(errors.FETCH_FAILED, report_id=key, url=key, detail="stopping")
        try:
            if isinstance(item, Entry):
                return entry_report(item, source.target, self.published, self._fetcher())
            from sitrep.sources.html import html_to_report
            from sitrep.sources.text import decode

            page = item if not isinstance(item, str) else self._fetcher().fetch(item)
            report = html_to_report(decode(page.body), None, source.name,
                                    page.last_modified or self.published)
            return Report(id=report.id, text=report.text, published=report.published,
                          source=report.source, url=key, title=report.title)
        except errors.SitrepError as exc:
            exc.report_id = exc.report_id or key
            return exc

    # --- ingesting ----------------------------------------------------------------------------

    def _ingest(self, source: Source, state: SourceState, items: list[tuple[str, Any]],
                stats: PollStats) -> None:
        seen = set(state.seen)
        fresh = [(k, i) for k, i in items if k not in seen]
        stats.skipped = len(items) - len(fresh)
        stored = self._stored_urls([_url_of(k, i) for k, i in fresh])
        done: list[str] = []
        for key, item in fresh:
            if _url_of(key, item) in stored:
                stats.skipped += 1
                done.append(key)
        fresh = [(k, i) for k, i in fresh if _url_of(k, i) not in stored]
        keys: dict[str, str] = {}

        def reports() -> Iterator[Report | errors.SitrepError]:
            work = ordered(lambda pair: (pair[0], self._report(source, *pair)), fresh,
                           self.workers)
            for key, result in work:
                if self.stop.is_set():
                    break
                if isinstance(result, errors.SitrepError):
                    self._failed(state, key, result, stats, done)
                    continue
                keys[result.id] = key
                yield result

        def on_result(result: DocumentResult, status: str) -> None:
            key = keys.get(result.id)
            if key is None:
                return
            if status in ("stored", "replaced"):
                stats.new += 1
            elif status == "failed":
                stats.failed += 1
            else:
                stats.skipped += 1
            done.append(key)

        try:
            ingest(self.store, reports(), extractor=self.extractor, on_result=on_result,
                   dedup=Dedup(by_url=True))
        finally:
            for key in done:
                state.attempts.pop(key, None)
            state.seen = (state.seen + [k for k in dict.fromkeys(done) if k not in seen]
                          )[-MAX_SEEN:]

    def _failed(self, state: SourceState, key: str, exc: errors.SitrepError, stats: PollStats,
                done: list[str]) -> None:
        stats.failed += 1
        if exc.code in TRANSIENT and not self.stop.is_set():
            tries = state.attempts.get(key, 0) + 1
            state.attempts[key] = tries
            if tries < MAX_ATTEMPTS:
                log.debug("%s: %s %s (try %d; again next poll)", key, exc.code, exc.message,
                          tries)
                return
        if not self.stop.is_set():
            log.warning("%s: %s %s; not tried again", key, exc.code, exc.message)
            done.append(key)

    def _stored_urls(self, urls: list[str | None]) -> set[str]:
        wanted = [u for u in urls if u]
        if not wanted:
            return set()
        with self.store.read() as connection:
            return (bulk.column_in(connection, "SELECT url FROM reports WHERE url", wanted)
                    | bulk.column_in(connection, "SELECT url FROM report_copies WHERE url",
                                     wanted))


def _url_of(key: str, item: Any) -> str | None:
    if isinstance(item, Entry):
        return item.link
    return key if is_url(key) else None


def watch(store: Store, sources_path: str | Path, *, every: float = 900.0,
          state_path: str | Path | None = None, extractor: Extractor | None = None,
          once: bool = False, published: date | None = None,
          on_start: Callable[[Watcher], None] | None = None) -> Watcher:
    """Watch the sources of a file until SIGTERM/SIGINT (or one round with ``once``)."""
    sources = read_sources(sources_path)
    watcher = Watcher(store, sources, state_path or f"{sources_path}.state.json", every,
                      extractor=extractor, published=published)
    if on_start is not None:
        on_start(watcher)
    watcher.run(max_polls=1 if once else None)
    watcher.save()
    return watcher
