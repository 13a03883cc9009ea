"""How one report, its mentions and its merged events become rows, and how an event is rebuilt
from its mentions or a replaced report removed.

These are the per-report pieces of storing; ``bulk`` applies them a batch at a time and
``ingest`` drives the batches, so neither needs the other's internals.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, or_, select, update

from sitrep.records import DocumentResult, Report
from sitrep.store import merge
from sitrep.store.models import events, figures, mentions, reports

# Words of an event's members kept for free-text matching.
MAX_WORDS = 200
# The columns of an event row after its ids, in the order event_values gives them.
EVENT_COLUMNS = ("event_date", "disorder_type", "event_type", "sub_event_type", "plover_event",
                 "country_code", "actors", "lat", "lon", "geo_precision", "cell", "fatalities",
                 "n_sources", "words", "record", "updated_at")


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
    return dict(zip(EVENT_COLUMNS, event_values(record, words, now), strict=True))


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
