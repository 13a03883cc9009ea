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

from sitrep.errors import SitrepError
from sitrep.records import DocumentResult, Report
from sitrep.store import bulk
from sitrep.store.db import Store
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
           on_result: Callable[[DocumentResult, str], None] | None = None) -> IngestStats:
    """Store reports (skipping unchanged ones before extraction) and merge their events.

    ``extractor`` turns reports into document results in input order (default: the sitrep
    pipeline); tests and programs with their own coding pass theirs. ``on_result`` is called
    with each result and what happened to it (stored, replaced, unchanged, failed), once the
    transaction holding it has committed.
    """
    stats = IngestStats()
    pending: deque[tuple[Report, str]] = deque()
    writer = BatchWriter(store, stats, on_result)

    def todo() -> Iterator[Report]:
        while chunk := list(islice(source, LOOKAHEAD)):
            fresh: list[tuple[Report, str]] = []
            for item in chunk:
                stats.reports += 1
                if isinstance(item, SitrepError):
                    stats.failed += 1
                    stats.errors.append((item.report_id or "?", item.code, item.message))
                    continue
                fresh.append((item, content_hash(item)))
            stored = stored_hashes(store, [digest for _, digest in fresh])
            for report, digest in fresh:
                if digest in stored:
                    stats.unchanged += 1
                    if on_result is not None:
                        on_result(DocumentResult(id=report.id, published=report.published),
                                  "unchanged")
                    continue
                pending.append((report, digest))
                yield report

    source = iter(items)
    batch: list[tuple[Report, DocumentResult, str]] = []
    opened = 0.0
    with young_collections() as collect:
        for result in (extractor or default_extractor)(todo()):
            report, digest = pending.popleft()
            if not batch:
                opened = time.monotonic()
            batch.append((report, result, digest))
            if len(batch) >= BATCH_REPORTS or time.monotonic() - opened >= BATCH_SECONDS:
                writer.write(batch)
                batch = []
                collect()
        if batch:
            writer.write(batch)
        writer.cache.clear()  # freed before the collector resumes, rather than walked by it
    return stats


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
                 on_result: Callable[[DocumentResult, str], None] | None) -> None:
        self.store = store
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
            self.generation = bulk.write_generation(connection, seen)
        return outcomes

    def _count(self, result: DocumentResult, outcome: bulk.Outcome) -> None:
        stats, status = self.stats, outcome.status
        if status == "unchanged":
            stats.unchanged += 1
        else:
            stats.stored += 1
            stats.replaced += status == "replaced"
            stats.mentions += outcome.mentions
            stats.joined += outcome.joined
            stats.new_events += outcome.new_events
        if result.error is not None:
            stats.failed += 1
            stats.errors.append((result.id, result.error.code, result.error.message))
            status = "failed"
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
