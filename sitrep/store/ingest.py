"""Storing reports and their extractions, merging their events into the stored ones.

One transaction per report: its row, its mentions, the events they created or joined and the
figures, or nothing (a kill half way leaves the report unstored, and a rerun stores it once).
A report already stored with the same content hash is skipped before extraction; a changed
report with the same URL (or, without a URL, the same id) replaces the old extraction. Merging
is incremental: a new mention is compared with the stored events of its block (a date window and
the grid cells around it, or its country when its location is imprecise) and joins the best one,
whose record alone is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from sitrep.errors import SitrepError
from sitrep.records import DocumentResult, Report
from sitrep.store import merge
from sitrep.store.db import Store
from sitrep.store.models import events, figures, mentions, reports

log = logging.getLogger(__name__)

Extractor = Callable[[Iterable[Report]], Iterator[DocumentResult]]
MAX_WORDS = 200


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


def content_hash(report: Report) -> str:
    """What makes two reports the same report: text and the metadata given with it."""
    payload = json.dumps([report.text, report.published.isoformat() if report.published else None,
                          report.url, report.source, report.title], ensure_ascii=False)
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
    with each result and what happened to it (stored, replaced, unchanged, failed).
    """
    stats = IngestStats()
    pending: deque[tuple[Report, str]] = deque()

    def todo() -> Iterator[Report]:
        for item in items:
            stats.reports += 1
            if isinstance(item, SitrepError):
                stats.failed += 1
                stats.errors.append((item.report_id or "?", item.code, item.message))
                continue
            digest = content_hash(item)
            if is_stored(store, digest):
                stats.unchanged += 1
                if on_result is not None:
                    on_result(DocumentResult(id=item.id, published=item.published), "unchanged")
                continue
            pending.append((item, digest))
            yield item

    for result in (extractor or default_extractor)(todo()):
        report, digest = pending.popleft()
        outcome = store_result(store, report, result, digest, stats)
        if result.error is not None:
            stats.failed += 1
            stats.errors.append((result.id, result.error.code, result.error.message))
            outcome = "failed"
        if on_result is not None:
            on_result(result, outcome)
    return stats


def is_stored(store: Store, digest: str) -> bool:
    with store.read() as connection:
        return connection.execute(
            select(reports.c.id).where(reports.c.content_hash == digest)).first() is not None


def store_result(store: Store, report: Report, result: DocumentResult, digest: str,
                 stats: IngestStats) -> str:
    """Store one report and merge its events, in one transaction. Returns what happened."""
    try:
        with store.write() as connection:
            if connection.execute(select(reports.c.id).where(
                    reports.c.content_hash == digest)).first() is not None:
                stats.unchanged += 1  # another process stored it while this one extracted
                return "unchanged"
            outcome = "stored"
            old = _previous_version(connection, report)
            if old is not None:
                delete_report(connection, old)
                outcome = "replaced"
            report_pk = _insert_report(connection, report, result, digest)
            used: set[int] = set()
            for record in (e.to_dict() for e in result.events):
                mention = make_mention(record, report, result.text or report.text)
                joined = merge_mention(connection, report_pk, mention, used)
                stats.mentions += 1
                if joined:
                    stats.joined += 1
                else:
                    stats.new_events += 1
    except IntegrityError:  # PostgreSQL: a concurrent ingest stored the same content first
        stats.unchanged += 1
        return "unchanged"
    if outcome == "replaced":
        stats.replaced += 1
    stats.stored += 1
    return outcome


def _previous_version(connection: Connection, report: Report) -> int | None:
    key = reports.c.url == report.url if report.url else (
        (reports.c.document_id == report.id) & reports.c.url.is_(None))
    return connection.execute(select(reports.c.id).where(key).order_by(
        reports.c.id.desc())).scalar()


def _insert_report(connection: Connection, report: Report, result: DocumentResult,
                   digest: str) -> int:
    document = result.to_dict()
    document["events"] = [e["event_id"] for e in document["events"]]  # stored in mentions
    return connection.execute(insert(reports).values(
        document_id=report.id, url=report.url, content_hash=digest, source=report.source,
        title=report.title, published=report.published, text=report.text, result=document,
        error_code=result.error.code if result.error else None,
        ingested_at=datetime.now(UTC).replace(tzinfo=None),
    ).returning(reports.c.id)).scalar_one()


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
                                     events.c.words).where(*where)).all()
    return [merge.Candidate(pk=r.id, event_id=r.event_id, record=r.record,
                            words=frozenset(r.words or ())) for r in rows if r.id not in exclude]


def merge_mention(connection: Connection, report_pk: int, mention: merge.Mention,
                  used: set[int]) -> bool:
    """Join the best matching stored event, or start a new one. True when it joined."""
    best: tuple[merge.Decision, merge.Candidate] | None = None
    for candidate in candidates(connection, mention, used):
        decision = merge.compare(mention, candidate)
        if decision.merge and (best is None or decision.score > best[0].score):
            best = (decision, candidate)
    if best is None:
        event_pk = _new_event(connection, report_pk, mention)
        used.add(event_pk)
        return False
    decision, candidate = best
    _insert_mention(connection, report_pk, candidate.pk, mention,
                    {"joined": candidate.event_id, **decision.to_dict()})
    refresh_event(connection, candidate.pk, candidate.event_id)
    used.add(candidate.pk)
    return True


def _insert_mention(connection: Connection, report_pk: int, event_pk: int,
                    mention: merge.Mention, reason: dict[str, Any]) -> int:
    return connection.execute(insert(mentions).values(
        report_id=report_pk, event_pk=event_pk, event_id=mention.record.get("event_id", ""),
        record=mention.record, sentence=mention.sentence, figure_context=mention.figure_context,
        reason=reason).returning(mentions.c.id)).scalar_one()


def _unique_event_id(connection: Connection, event_id: str) -> str:
    candidate, n = event_id, 1
    while connection.execute(select(events.c.id).where(
            events.c.event_id == candidate)).first() is not None:
        n += 1
        candidate = f"{event_id}-{n}"
    return candidate


def _new_event(connection: Connection, report_pk: int, mention: merge.Mention) -> int:
    event_id = _unique_event_id(connection, mention.record.get("event_id") or "event")
    record = merge.merged_record(event_id, [mention])
    event_pk = connection.execute(insert(events).values(
        event_id=event_id, **_event_columns(record, [mention])).returning(
        events.c.id)).scalar_one()
    mention_pk = _insert_mention(connection, report_pk, event_pk, mention, {"seed": True})
    _insert_figures(connection, event_pk, {mention_pk: mention}, record)
    return event_pk


def _event_columns(record: dict[str, Any], members: list[merge.Mention]) -> dict[str, Any]:
    location = record.get("location") or {}
    actors = [(record.get(k) or {}).get("name") for k in ("actor1", "actor2")]
    actors += list(record.get("assoc_actor_1") or []) + list(record.get("assoc_actor_2") or [])
    words = sorted(set().union(*(m.words for m in members)))[:MAX_WORDS]
    return {
        "event_date": merge.parse_day(record.get("event_date")),
        "disorder_type": record.get("disorder_type"),
        "event_type": record.get("event_type"),
        "sub_event_type": record.get("sub_event_type"),
        "plover_event": (record.get("plover") or {}).get("event"),
        "country_code": location.get("country_code"),
        "actors": "|".join(a for a in actors if a),
        "lat": location.get("lat"), "lon": location.get("lon"),
        "geo_precision": merge.precision(record),
        "cell": merge.grid_cell(location.get("lat"), location.get("lon")),
        "fatalities": (record.get("fatalities") or {}).get("best"),
        "n_sources": len(record.get("sources") or []),
        "words": words, "record": record,
        "updated_at": datetime.now(UTC).replace(tzinfo=None),
    }


def _insert_figures(connection: Connection, event_pk: int, members: dict[int, merge.Mention],
                    record: dict[str, Any]) -> None:
    rows = []
    for kind in ("fatalities", "injuries"):
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
    if rows:
        connection.execute(insert(figures), rows)


def event_members(connection: Connection, event_pk: int) -> dict[int, merge.Mention]:
    rows = connection.execute(
        select(mentions.c.id, mentions.c.record, mentions.c.sentence, mentions.c.figure_context,
               reports.c.document_id, reports.c.source, reports.c.url, reports.c.published)
        .join(reports, reports.c.id == mentions.c.report_id)
        .where(mentions.c.event_pk == event_pk).order_by(mentions.c.id)).all()
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
        **_event_columns(record, list(members.values()))))
    _insert_figures(connection, event_pk, members, record)


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
