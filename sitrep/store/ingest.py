"""Storing reports and their extractions, merging their events into the stored ones.

Every report is stored whole or not at all: its row, its mentions, the events they created or
joined and the figures. Extracted reports are written in batches, one transaction each (up to
BATCH_REPORTS reports, or what BATCH_SECONDS of extraction gives), so a kill loses at most the
batch being extracted and never leaves half a report; a rerun stores the rest once. A batch
that fails is retried report by report, so the reports before a failing one are kept.
A report already stored with the same content hash is skipped before extraction; a changed
report with the same URL (or, without a URL, the same id) replaces the old extraction. Merging
is incremental: a new mention is compared with the stored events of its block (a date window and
the grid cells around it, or its country when its location is imprecise) and joins the best one,
whose record alone is rebuilt (see ``sitrep.store.bulk``).
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from sitrep.errors import DUPLICATE_ID, SitrepError, error
from sitrep.records import DocumentResult, ErrorInfo, Report
from sitrep.store import bulk, corrections
from sitrep.store.db import Store
from sitrep.store.dedup import Dedup
from sitrep.store.errors import StoreError
from sitrep.store.models import events, figures, mentions, reports

log = logging.getLogger(__name__)

Extractor = Callable[[Iterable[Report]], Iterator[DocumentResult]]
# A batch commits at this many reports, or when a report arrives this long after its first.
# Larger batches share more of each commit's pages (index leaves, event rows joined twice):
# at 1,024, merging 100,000 events took a third less commit time and a tenth less CPU than 256,
# and at 4,096 half the commit and insert time of 1,024 (10.5 -> 4.8 s of commits). The count
# only binds a fast extractor (stored results, a test's table): the pipeline codes about a
# hundred reports a second, so BATCH_SECONDS ends its batches first.
BATCH_REPORTS = 4096
BATCH_SECONDS = 0.25
# Reports read ahead to check their content hashes in one query (the pipeline codes 32 at a
# time; each check is a read transaction, which cost more than merging when done per 32).
LOOKAHEAD = 128


@dataclass
class IngestStats:
    """What an ingest did, for the CLI summary and the API."""

    reports: int = 0
    stored: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: int = 0
    duplicates: int = 0  # near or exact copies of stored reports, kept as extra sources
    mentions: int = 0
    joined: int = 0
    new_events: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "errors"}


# json.dumps(..., ensure_ascii=False), without building an encoder for every report.
_HASHED = json.JSONEncoder(ensure_ascii=False)


def content_hash(report: Report) -> str:
    """What makes two reports the same report: text and the metadata given with it."""
    payload = _HASHED.encode([report.text,
                              report.published.isoformat() if report.published else None,
                              report.url, report.source, report.title])
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def default_extractor(items: Iterable[Report]) -> Iterator[DocumentResult]:
    from sitrep.api import extract_batch

    return extract_batch(items)


def ingest(store: Store, items: Iterable[Report | SitrepError], *,
           extractor: Extractor | None = None,
           on_result: Callable[[DocumentResult, str], None] | None = None,
           dedup: Dedup | None = None) -> IngestStats:
    """Store reports (skipping unchanged ones before extraction) and merge their events.

    ``extractor`` turns reports into document results in input order (default: the sitrep
    pipeline); tests and programs with their own coding pass theirs. ``on_result`` is called
    once for every input, in input order, with its result and what happened to it (stored,
    replaced, unchanged, failed, duplicate), once the transaction holding it has committed:
    inputs that never became a report and reports refused before extraction included; copies
    of stored reports found by ``dedup`` are "duplicate" (kept as extra sources, not coded).

    Every input is counted once: ``reports == stored + unchanged + failed + duplicates``. A
    report whose id (or URL) came earlier in the same input with another text is refused (E014)
    rather than replacing it, so a rerun of the same input stores the same reports and changes
    nothing; a report stored with an error is failed again on a rerun, with its stored error.
    """
    stats = IngestStats()
    pending: deque[tuple[Report, str, int]] = deque()
    ordered = InOrder(on_result)
    committed: deque[int] = deque()  # input positions of the reports handed to the writer
    writer = BatchWriter(store, stats, lambda r, status: ordered.put(committed.popleft(), r,
                                                                     status), dedup)
    first_seen: dict[tuple[str, str], tuple[str, int]] = {}

    def failed(n: int, result: DocumentResult) -> None:
        assert result.error is not None
        stats.failed += 1
        stats.errors.append((result.id, result.error.code, result.error.message))
        ordered.put(n, result, "failed")

    def refused_duplicate(report: Report, digest: str, n: int) -> bool:
        key = bulk.version_key(report)
        first_digest, first = first_seen.setdefault(key, (digest, n))
        if first_digest == digest:
            return False
        exc = error(DUPLICATE_ID, what=key[0], key=key[1], first=first + 1)
        failed(n, DocumentResult(id=report.id, published=report.published, error=exc.info()))
        return True

    def todo() -> Iterator[Report]:
        position = 0
        while chunk := list(islice(source, LOOKAHEAD)):
            fresh: list[tuple[Report, str, int]] = []
            for item in chunk:
                n, position = position, position + 1
                stats.reports += 1
                if isinstance(item, SitrepError):
                    failed(n, DocumentResult(id=item.report_id or f"input-{n + 1}",
                                             error=item.info()))
                    continue
                digest = content_hash(item)
                if not refused_duplicate(item, digest, n):
                    fresh.append((item, digest, n))
            stored = stored_errors(store, [digest for _, digest, _ in fresh])
            new: list[tuple[Report, str, int]] = []
            for report, digest, n in fresh:
                if digest not in stored:
                    new.append((report, digest, n))
                    continue
                result = DocumentResult(id=report.id, published=report.published,
                                        error=stored[digest])
                if result.error is not None:
                    failed(n, result)
                else:
                    skipped(n, report, "unchanged")
            found = (dedup.check(store, [(r, d) for r, d, _ in new]) if dedup is not None
                     else [None] * len(new))
            copies = []
            for (report, digest, n), match in zip(new, found, strict=True):
                if match is not None:
                    copies.append((report, digest, n, match))
                    continue
                pending.append((report, digest, n))
                yield report
            if dedup is not None and copies:
                dedup.store_copies(store, [(r, d, m) for r, d, _, m in copies
                                           if m.how != "seen"])
                for report, _, n, match in copies:
                    skipped(n, report, "unchanged" if match.how == "seen" else "duplicate")

    def skipped(n: int, report: Report, status: str) -> None:
        if status == "duplicate":
            stats.duplicates += 1
        else:
            stats.unchanged += 1
        ordered.put(n, DocumentResult(id=report.id, published=report.published), status)

    source = iter(items)
    batch: list[tuple[Report, DocumentResult, str]] = []
    opened = 0.0
    with young_collections() as collect:
        for result in (extractor or default_extractor)(todo()):
            report, digest, n = pending.popleft()
            committed.append(n)
            if not batch:
                opened = time.monotonic()
            batch.append((report, result, digest))
            if len(batch) >= BATCH_REPORTS or time.monotonic() - opened >= BATCH_SECONDS:
                writer.write(batch)
                batch = []
                collect()
        if batch:
            writer.write(batch)
        if dedup is not None:
            dedup.flush(store)
        writer.cache.clear()  # freed before the collector resumes, rather than walked by it
    return stats


class InOrder:
    """Hands outcomes to ``on_result`` in input order, holding back those that arrive early
    (an unchanged report is known before the reports ahead of it are extracted and stored)."""

    def __init__(self, on_result: Callable[[DocumentResult, str], None] | None) -> None:
        self.on_result = on_result
        self.next = 0
        self.waiting: dict[int, tuple[DocumentResult, str]] = {}

    def put(self, n: int, result: DocumentResult, status: str) -> None:
        if self.on_result is None:
            return
        self.waiting[n] = (result, status)
        while self.next in self.waiting:
            self.on_result(*self.waiting.pop(self.next))
            self.next += 1


def stored_errors(store: Store, digests: list[str]) -> dict[str, ErrorInfo | None]:
    """Which of these content hashes are stored, with the error each was stored with."""
    if not digests:
        return {}
    with store.read() as connection:
        found = connection.execute(select(reports.c.content_hash, reports.c.error_code).where(
            reports.c.content_hash.in_(digests))).all()
        failed = [digest for digest, code in found if code is not None]
        results = dict(connection.execute(select(reports.c.content_hash, reports.c.result).where(
            reports.c.content_hash.in_(failed))).all()) if failed else {}
    out: dict[str, ErrorInfo | None] = {}
    for digest, code in found:
        if code is None:
            out[digest] = None
            continue
        document = results.get(digest)
        if isinstance(document, str):
            document = json.loads(document)
        message = ((document or {}).get("error") or {}).get("message") or ""
        out[digest] = ErrorInfo(code, message)
    return out


def stored_hashes(store: Store, digests: list[str]) -> set[str]:
    """Which of these content hashes are stored (one query for a chunk of reports)."""
    if not digests:
        return set()
    with store.read() as connection:
        return bulk.column_in(connection, "SELECT content_hash FROM reports WHERE content_hash",
                              digests)


def is_stored(store: Store, digest: str) -> bool:
    return bool(stored_hashes(store, [digest]))


class BatchWriter:
    """Writes batches of extracted reports, one transaction each, keeping the event cache
    between batches while this process is the only writer."""

    def __init__(self, store: Store, stats: IngestStats,
                 on_result: Callable[[DocumentResult, str], None] | None,
                 dedup: Dedup | None = None) -> None:
        self.store = store
        self.dedup = dedup
        self.stats = stats
        self.on_result = on_result
        self.cache = bulk.EventCache()
        self.generation: str | None = None

    def write(self, batch: list[tuple[Report, DocumentResult, str]]) -> None:
        try:
            outcomes = self._transaction(batch)
        except BaseException as exc:
            self.cache.clear()
            self.generation = None
            if not isinstance(exc, StoreError):
                raise
            if len(batch) > 1:  # store the reports before the failing one, then fail there
                for one in batch:
                    self.write([one])
                return
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            # PostgreSQL: a concurrent ingest stored the same content first.
            outcomes = [bulk.Outcome("unchanged")]
        for (_, result, _), outcome in zip(batch, outcomes, strict=True):
            self._count(result, outcome)

    def _transaction(self, batch: list[tuple[Report, DocumentResult, str]]
                     ) -> list[bulk.Outcome]:
        with self.store.write() as connection:
            seen = bulk.read_generation(connection)
            if seen is None or seen != self.generation or bulk.expired(self.cache):
                self.cache.clear()  # another process wrote since this one's last batch
            outcomes = bulk.BatchMerge(connection, self.cache).store(batch)
            if self.dedup is not None:
                self.dedup.record(connection, batch)
            # Analyst corrections of the events this batch rewrote (moved reports: the
            # cache no longer matches the stored events).
            if corrections.reapply(connection):
                self.cache.clear()
            self.generation = bulk.write_generation(connection, seen)
        return outcomes

    def _count(self, result: DocumentResult, outcome: bulk.Outcome) -> None:
        stats, status = self.stats, outcome.status
        # Each report counted once: a report stored with its error (so a rerun need not code it
        # again) is failed, not stored.
        if result.error is not None:
            stats.failed += 1
            stats.errors.append((result.id, result.error.code, result.error.message))
            status = "failed"
        elif status == "unchanged":
            stats.unchanged += 1
        else:
            stats.stored += 1
            stats.replaced += status == "replaced"
            stats.mentions += outcome.mentions
            stats.joined += outcome.joined
            stats.new_events += outcome.new_events
        if self.on_result is not None:
            self.on_result(result, status)


# Batches between full collections while ingesting (see young_collections).
FULL_COLLECTION_EVERY = 1024


@contextmanager
def young_collections() -> Iterator[Callable[[], object]]:
    """Keep the garbage collector off the event cache while ingesting.

    The event cache grows by every batch and lives as long as the ingest; collections walked
    it again and again (automatic full ones, a sixth of the merge time), and even collecting
    only the young generations after each batch walked every object the batch added to it
    (most of them stay: the cache), up to a tenth of the merge time. Here the collector is
    off, and ``collect`` freezes what the batch left (``gc.freeze``: moved aside in constant
    time, never walked); the few reference cycles a batch leaves (some dozens of objects)
    wait for the full collection every ``FULL_COLLECTION_EVERY`` batches, or for the end of
    the ingest, when everything is unfrozen (also what the caller froze) and the automatic
    collector resumes. Nothing changes when the caller turned the collector off.
    """
    enabled = gc.isenabled()
    gc.disable()
    batches = 0

    def collect() -> None:
        nonlocal batches
        batches += 1
        if batches % FULL_COLLECTION_EVERY == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    try:
        yield collect if enabled else (lambda: None)
    finally:
        if enabled:
            if batches:
                gc.unfreeze()
            gc.enable()


def counts(store: Store) -> dict[str, int]:
    """How many reports, mentions, events and figures the store holds."""
    with store.read() as connection:
        return {table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (reports, mentions, events, figures)}
