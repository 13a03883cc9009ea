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
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from sitrep.errors import SitrepError
from sitrep.records import DocumentResult, Report
from sitrep.store import bulk, corrections, merge
from sitrep.store.db import Store
from sitrep.store.errors import StoreError
from sitrep.store.models import events, figures, mentions, reports

log = logging.getLogger(__name__)

Extractor = Callable[[Iterable[Report]], Iterator[DocumentResult]]
MAX_WORDS = 200
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
            # Analyst corrections of the events this batch rewrote (moved reports: the
            # cache no longer matches the stored events).
            if corrections.reapply(connection):
                self.cache.clear()
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


def _previous_version(connection: Connection, report: Report) -> int | None:
    key = reports.c.url == report.url if report.url else (
        (reports.c.document_id == report.id) & reports.c.url.is_(None))
    return connection.execute(select(reports.c.id).where(key).order_by(
        reports.c.id.desc())).scalar()


def report_row(report: Report, result: DocumentResult, digest: str,
               document: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report's row; ``document`` is ``result.to_dict()`` when the caller has it."""
    document = dict(document or result.to_dict())
    document["events"] = [e["event_id"] for e in document["events"]]  # stored in mentions
    return {"document_id": report.id, "url": report.url, "content_hash": digest,
            "source": report.source, "title": report.title, "published": report.published,
            "text": report.text, "result": document,
            "error_code": result.error.code if result.error else None,
            "ingested_at": datetime.now(UTC).replace(tzinfo=None)}


def make_mention(record: dict[str, Any], report: Report, text: str | None) -> merge.Mention:
    evidence = record.get("evidence") or {}
    trigger = (evidence.get("trigger") or [None])[0]
    context = {kind: merge.sentence_around(text, (evidence.get(kind) or [None])[0])
               for kind in ("fatalities", "injuries")}
    record = dict(record)
    record["sources"] = [{"document_id": report.id, "source": report.source, "url": report.url,
                          "published": report.published.isoformat() if report.published
                          else None}]
    return merge.Mention(record=record, document_id=report.id, source=report.source,
                         url=report.url, published=report.published,
                         sentence=merge.sentence_around(text, trigger) or record.get("notes", ""),
                         figure_context={k: v for k, v in context.items() if v})


# --- merging ----------------------------------------------------------------------------------


def candidates(connection: Connection, mention: merge.Mention,
               exclude: set[int]) -> list[merge.Candidate]:
    """The stored events a mention could be: its block, never the whole table."""
    window = merge.block_window(mention)
    location = mention.record.get("location") or {}
    country = location.get("country_code")
    if window is None:
        return []
    lat, lon = location.get("lat"), location.get("lon")
    where = [events.c.event_date.between(*window)]
    if merge.precision(mention.record) >= 3 or lat is None or lon is None:
        if not country:
            return []
        where.append(events.c.country_code == country)
    else:
        near = events.c.cell.in_(merge.neighbour_cells(lat, lon, merge.RADIUS_KM[2]))
        where.append(or_(near, (events.c.country_code == country) & or_(
            events.c.geo_precision >= 3, events.c.cell.is_(None))) if country else near)
    rows = connection.execute(select(events.c.id, events.c.event_id, events.c.record,
                                     events.c.words).where(*where).order_by(events.c.id)).all()
    return [merge.Candidate(pk=r.id, event_id=r.event_id, record=r.record,
                            words=frozenset(r.words or ())) for r in rows if r.id not in exclude]


def event_words(members: Iterable[merge.Mention]) -> list[str]:
    """The content words an event is compared on: its mentions' sentences (capped)."""
    return sorted(set().union(*(m.words for m in members)))[:MAX_WORDS]


def event_values(record: dict[str, Any], words: list[str],
                 now: datetime | None = None) -> tuple[Any, ...]:
    """An event's row (EVENT_COLUMNS) from its merged record; ``now``: the transaction's time."""
    location = record.get("location") or {}
    actors = [(record.get(k) or {}).get("name") for k in ("actor1", "actor2")]
    actors += list(record.get("assoc_actor_1") or []) + list(record.get("assoc_actor_2") or [])
    lat, lon = location.get("lat"), location.get("lon")
    return (merge.parse_day(record.get("event_date")), record.get("disorder_type"),
            record.get("event_type"), record.get("sub_event_type"),
            (record.get("plover") or {}).get("event"), location.get("country_code"),
            "|".join(a for a in actors if a), lat, lon, merge.precision(record),
            merge.grid_cell(lat, lon), (record.get("fatalities") or {}).get("best"),
            len(record.get("sources") or []), words, record,
            now or datetime.now(UTC).replace(tzinfo=None))


def event_columns(record: dict[str, Any], words: list[str],
                  now: datetime | None = None) -> dict[str, Any]:
    return dict(zip(bulk.EVENT_COLUMNS, event_values(record, words, now), strict=True))


def figure_rows(event_pk: int, members: dict[int, merge.Mention],
                history: dict[str, list[merge.Figure]] | None = None) -> list[dict[str, Any]]:
    """The history of an event's figures, one row per report figure, update flags set
    (``history``: the figures ``merge.merged_record`` reconciled for these members)."""
    rows = []
    for kind in ("fatalities", "injuries"):
        if history is not None and kind in history:
            listed = history[kind]
        else:
            listed = merge.figures(list(members.values()), kind)
            merge.reconcile(listed)  # sets the update flags
        for (mention_pk, _), figure in zip(members.items(), listed, strict=True):
            count = figure.count
            if count.get("qualifier") in (None, "none"):
                continue
            rows.append({"event_pk": event_pk, "mention_id": mention_pk, "kind": kind,
                         "best": count.get("best"), "low": count.get("low"),
                         "high": count.get("high"), "qualifier": count.get("qualifier"),
                         "civilians": count.get("civilians"), "text": count.get("text") or "",
                         "published": figure.published,
                         "is_update": figure.update})
    return rows


# Built once: building the statement on every join cost more than running it.
MEMBERS = (select(mentions.c.id, mentions.c.record, mentions.c.sentence,
                  mentions.c.figure_context, reports.c.document_id, reports.c.source,
                  reports.c.url, reports.c.published)
           .join(reports, reports.c.id == mentions.c.report_id)
           .where(mentions.c.event_pk == bindparam("event_pk")).order_by(mentions.c.id))


def event_members(connection: Connection, event_pk: int) -> dict[int, merge.Mention]:
    rows = connection.execute(MEMBERS, {"event_pk": event_pk}).all()
    return {r.id: merge.Mention(record=r.record, document_id=r.document_id, source=r.source,
                                url=r.url, published=_day(r.published), sentence=r.sentence,
                                figure_context=r.figure_context or {}) for r in rows}


def _day(value: Any) -> date | None:
    return merge.parse_day(value)


def refresh_event(connection: Connection, event_pk: int, event_id: str) -> None:
    """Rebuild one merged event from its mentions (or drop it when none is left)."""
    members = event_members(connection, event_pk)
    connection.execute(delete(figures).where(figures.c.event_pk == event_pk))
    if not members:
        connection.execute(delete(events).where(events.c.id == event_pk))
        return
    record = merge.merged_record(event_id, list(members.values()))
    connection.execute(update(events).where(events.c.id == event_pk).values(
        **event_columns(record, event_words(members.values()))))
    rows = figure_rows(event_pk, members)
    if rows:
        connection.execute(insert(figures), rows)


def delete_report(connection: Connection, report_pk: int) -> None:
    """Remove a report's extraction and rebuild the events it supported."""
    affected = connection.execute(
        select(mentions.c.event_pk, events.c.event_id).join(events, events.c.id ==
                                                            mentions.c.event_pk)
        .where(mentions.c.report_id == report_pk).distinct()).all()
    mention_ids = select(mentions.c.id).where(mentions.c.report_id == report_pk)
    connection.execute(delete(figures).where(figures.c.mention_id.in_(mention_ids)))
    connection.execute(delete(mentions).where(mentions.c.report_id == report_pk))
    connection.execute(delete(reports).where(reports.c.id == report_pk))
    for event_pk, event_id in affected:
        refresh_event(connection, event_pk, event_id)


def counts(store: Store) -> dict[str, int]:
    """How many reports, mentions, events and figures the store holds."""
    with store.read() as connection:
        return {table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (reports, mentions, events, figures)}
