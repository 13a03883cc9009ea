"""Reading events over HTTP: lists with cursors, GeoJSON for the map, exports, stats, and one
event with everything an analyst checks it against (sources, evidence spans, claims, toll
history, merge reasons, corrections).

Lists send the stored JSON text of each record as it is (no decoding and re-encoding), which
is what keeps a page of 100 events cheap; the filters are ``sitrep events``'s
(``sitrep.store.query``), so the CLI and the API select the same events.
"""

from __future__ import annotations

import base64
import binascii
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import Text, and_, cast, func, or_, select

from sitrep.server import models
from sitrep.server.shared import cached, state
from sitrep.store.errors import NO_EVENT, error
from sitrep.store.models import events, mentions, reports
from sitrep.store.query import RECORD_TEXT, EventFilter, _select, filter_terms, parse_bbox

router = APIRouter(tags=["events"])
PROBLEMS = {422: {"model": models.Problem, "description": "An invalid parameter (named)."}}
MAX_PAGE = 1000
MAX_POINTS = 20_000


@dataclass
class ApiFilter(EventFilter):
    """``sitrep events``'s filters and the API's free text."""

    text: str | None = None


async def event_filter(
    since: Annotated[date | None, Query(description="Events on or after this day.")] = None,
    until: Annotated[date | None, Query(description="Events on or before this day.")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$",
                                         description="ISO 3166-1 alpha-2 code.")] = None,
    type: Annotated[str | None, Query(max_length=64, description=(
        "ACLED event, sub-event or disorder type, or PLOVER event (case-insensitive)."))] = None,
    bbox: Annotated[str | None, Query(description="W,S,E,N in degrees.",
                                      max_length=100)] = None,
    actor: Annotated[str | None, Query(max_length=200,
                                       description="Part of an actor's name.")] = None,
    min_fatalities: Annotated[int | None, Query(ge=0, le=1_000_000_000)] = None,
    q: Annotated[str | None, Query(max_length=200, description=(
        "Free text over the record: notes, locations, actors (case-insensitive)."))] = None,
) -> ApiFilter:
    box = None
    if bbox is not None:
        try:
            box = parse_bbox(bbox)
        except ValueError as exc:
            raise HTTPException(422, f"bbox: '{bbox}': {exc}") from None
    return ApiFilter(since=since, until=until, country=country, type=type or None, bbox=box,
                     actor=actor or None, min_fatalities=min_fatalities, text=q or None)


Filters = Annotated[ApiFilter, Depends(event_filter)]
SORTS = {"date": events.c.event_date, "fatalities": events.c.fatalities}


def _query(columns: list[Any], where: ApiFilter) -> Any:
    query = _select(columns, replace(where, limit=None)).order_by(None)
    if where.text:
        query = query.where(func.lower(cast(events.c.record, Text)).contains(
            where.text.lower(), autoescape=True))
    return query


def _cursor(value: Any, pk: int) -> str:
    raw = json.dumps([value.isoformat() if isinstance(value, date) else value, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _uncursor(cursor: str, sort: str) -> tuple[Any, int]:
    try:
        value, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if value is None:
            pass
        elif sort == "date":
            value = date.fromisoformat(value)
        elif isinstance(value, bool) or not isinstance(value, int):
            raise ValueError
        if isinstance(pk, bool) or not isinstance(pk, int):
            raise ValueError
        return value, pk
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise HTTPException(422, "cursor: not a cursor this endpoint gave") from None


@router.get("/api/events", response_model=models.EventPage, responses=PROBLEMS)
async def list_events(
    request: Request, where: Filters,
    sort: Annotated[Literal["date", "-date", "fatalities", "-fatalities"],
                    Query(description="Order; '-' for descending.")] = "date",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Merged events, a page at a time (``next_cursor`` gets the next)."""
    after = _uncursor(cursor, sort.lstrip("-")) if cursor else None
    store = state(request).store
    return await cached(request, lambda: _page(store, where, sort, limit, after),
                        "application/json")


def _page(store: Any, where: ApiFilter, sort: str, limit: int,
          after: tuple[Any, int] | None) -> bytes:
    column = SORTS[sort.lstrip("-")]
    descending = sort.startswith("-")
    # Keys first, then only the page's records. The keys come in index order (ix_events_date
    # for the date sort) and the query stops after the page; missing values (no date, no
    # toll) sort first, last when descending, on SQLite and PostgreSQL alike.
    query = select(events.c.id, column.label("key")).where(*_terms(where))
    if after:
        value, pk = after
        nulls = column.is_(None)
        if descending:
            later = (and_(nulls, events.c.id < pk) if value is None else
                     or_(column < value, and_(column == value, events.c.id < pk), nulls))
        else:
            later = (or_(column.is_not(None), and_(nulls, events.c.id > pk)) if value is None
                     else or_(column > value, and_(column == value, events.c.id > pk)))
        query = query.where(later)
    order = ((column.desc().nulls_last(), events.c.id.desc()) if descending
             else (column.asc().nulls_first(), events.c.id))
    query = query.order_by(*order).limit(limit + 1)
    with store.read() as connection:
        rows = connection.execute(query).all()
        more = len(rows) > limit
        rows = rows[:limit]
        found = dict(connection.execute(select(events.c.id, RECORD_TEXT).where(
            events.c.id.in_([r.id for r in rows]))).all()) if rows else {}
    texts = [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
             for v in (found[r.id] for r in rows)]
    next_cursor = _cursor(rows[-1].key, rows[-1].id) if more else None
    return ('{"events":[' + ",".join(texts) + '],"next_cursor":' + json.dumps(next_cursor)
            + "}").encode()


def _terms(where: ApiFilter) -> list[Any]:
    terms = filter_terms(where, direct=True)
    if where.text:
        terms.append(func.lower(cast(events.c.record, Text)).contains(where.text.lower(),
                                                                      autoescape=True))
    return terms


@router.get("/api/events.geojson", responses={
    200: {"content": {"application/geo+json": {}},
          "description": "A FeatureCollection of points with the properties the map draws."},
    **PROBLEMS})
async def events_geojson(request: Request, where: Filters,
                         limit: Annotated[int, Query(ge=1, le=MAX_POINTS)] = 5000) -> Response:
    """Located events as map points, newest first (``truncated`` when more matched)."""
    store = state(request).store
    return await cached(request, lambda: _points(store, where, limit), "application/geo+json")


def _points(store: Any, where: ApiFilter, limit: int) -> bytes:
    columns = [events.c.event_id, events.c.event_date, events.c.event_type,
               events.c.sub_event_type, events.c.plover_event, events.c.fatalities,
               events.c.geo_precision, events.c.lat, events.c.lon, events.c.country_code,
               events.c.corrected]
    query = _query(columns, where).where(events.c.lat.is_not(None), events.c.lon.is_not(None))
    query = query.order_by(events.c.event_date.desc(), events.c.id.desc()).limit(limit + 1)
    with store.read() as connection:
        rows = connection.execute(query).all()
    features = [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
        "properties": {"event_id": r.event_id,
                       "event_date": r.event_date.isoformat() if r.event_date else None,
                       "event_type": r.event_type or r.plover_event,
                       "sub_event_type": r.sub_event_type, "fatalities": r.fatalities,
                       "geo_precision": r.geo_precision, "country_code": r.country_code,
                       "corrected": bool(r.corrected)}} for r in rows[:limit]]
    return json.dumps({"type": "FeatureCollection", "features": features,
                       "truncated": len(rows) > limit}, ensure_ascii=False,
                      separators=(",", ":")).encode()


EXPORT_TYPES = {"acled-csv": "text/csv", "ucdp-csv": "text/csv",
                "geojson": "application/geo+json", "parquet": "application/vnd.apache.parquet"}


@router.get("/api/export", responses={200: {"content": {t: {} for t in set(
    EXPORT_TYPES.values())}, "description": "The events in the format, as a download."},
    **PROBLEMS})
def export(request: Request, where: Filters,
           format: Annotated[Literal["acled-csv", "ucdp-csv", "geojson", "parquet"],
                             Query(description="As `sitrep export --format`.")]) -> Response:
    """The filtered events through ``sitrep export``'s writers, streamed back."""
    from sitrep.exporters import EXPORTERS
    from sitrep.exporters import export as write
    from sitrep.store.query import query_events

    store = state(request).store
    ids = select(events.c.id).where(events.c.id.in_(_query([events.c.id], where)))
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    records = _records_by_ids(store, ids) if where.text else query_events(store, where)
    write(records, format, spool)
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            while chunk := spool.read(1 << 16):
                yield chunk

    name = f"sitrep-events{EXPORTERS[format].suffix}"
    return StreamingResponse(chunks(), media_type=EXPORT_TYPES[format],
                             headers={"content-disposition": f'attachment; filename="{name}"'})


def _records_by_ids(store: Any, ids: Any) -> Iterator[dict[str, Any]]:
    with store.read() as connection:
        for (record,) in connection.execute(select(events.c.record).where(events.c.id.in_(ids))
                                            .order_by(events.c.event_date, events.c.id)):
            yield record


@router.get("/api/stats", response_model=models.Stats, responses=PROBLEMS)
async def stats(request: Request, where: Filters) -> Response:
    """Counts and fatalities by day, type and country for the filters."""
    store = state(request).store
    return await cached(request, lambda: json.dumps(_stats(store, where)).encode(),
                        "application/json")


def _stats(store: Any, where: ApiFilter) -> dict[str, Any]:
    kind = func.coalesce(events.c.event_type, events.c.plover_event)
    # One pass grouped by all three, summed up here: three grouped queries read it thrice.
    query = _query([events.c.event_date, kind.label("kind"), events.c.country_code,
                    func.count().label("n"),
                    func.coalesce(func.sum(events.c.fatalities), 0).label("killed")], where)
    query = query.group_by(events.c.event_date, kind, events.c.country_code)
    with store.read() as connection:
        rows = connection.execute(query).all()
    buckets: dict[str, dict[Any, list[int]]] = {"by_day": {}, "by_type": {}, "by_country": {}}
    for row in rows:
        day = row.event_date.isoformat() if isinstance(row.event_date, date) else row.event_date
        for name, key in (("by_day", day), ("by_type", row.kind),
                          ("by_country", row.country_code)):
            bucket = buckets[name].setdefault(key, [0, 0])
            bucket[0] += row.n
            bucket[1] += int(row.killed)
    out: dict[str, Any] = {
        name: [{"key": k, "events": n, "fatalities": f}
               for k, (n, f) in sorted(found.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))]
        for name, found in buckets.items()}
    out["events"] = sum(b["events"] for b in out["by_type"])
    out["fatalities"] = sum(b["fatalities"] for b in out["by_type"])
    return out


# Evidence keys of the codebook record and the fields the page highlights them as.
SPAN_FIELDS = {"trigger": "trigger", "location": "place", "event_date": "date",
               "fatalities": "killed", "injuries": "injured", "actor1": "actors",
               "actor2": "actors", "assoc_actor_1": "actors", "assoc_actor_2": "actors",
               "weapons": "weapon", "targets": "target"}


def spans(evidence: dict[str, Any] | None, text: str) -> list[dict[str, Any]]:
    """The record's evidence as spans within the report text (out-of-range ones dropped)."""
    out = []
    for key, found in (evidence or {}).items():
        for span in found or ():
            if (isinstance(span, list | tuple) and len(span) == 2
                    and all(isinstance(v, int) for v in span)
                    and 0 <= span[0] < span[1] <= len(text)):
                out.append({"field": SPAN_FIELDS.get(key, key), "key": key,
                            "start": span[0], "end": span[1]})
    return sorted(out, key=lambda s: (s["start"], s["end"]))


@router.get("/api/events/{event_id}", response_model=models.EventDetail,
            responses={404: {"model": models.Problem, "description": "No such event."}})
def event_detail(request: Request, event_id: str) -> dict[str, Any]:
    """The merged record and everything behind it: its reports with their text and evidence
    spans, claims, toll history, merge reasons, and corrections (the machine record too)."""
    from sitrep.store.corrections import history, machine_record
    from sitrep.store.query import why

    store = state(request).store
    explained = why(store, event_id)
    event_id = explained["event_id"]
    with store.read() as connection:
        pk = connection.execute(select(events.c.id, events.c.not_event)
                                .where(events.c.event_id == event_id)).first()
        if pk is None:
            raise error(NO_EVENT, event_id=event_id, db=store.display)
        members = connection.execute(
            select(mentions.c.event_id, mentions.c.record, reports.c.text, reports.c.title,
                   reports.c.result)
            .join(reports, reports.c.id == mentions.c.report_id)
            .where(mentions.c.event_pk == pk.id)).all()
    by_mention = {m.event_id: m for m in members}
    sources, claims = [], []
    for entry in explained["reports"]:
        member = by_mention.get(entry["report_event_id"])
        if member is None:
            continue
        text = member.text or ""
        sources.append({**entry, "title": member.title, "text": text,
                        "spans": spans((member.record or {}).get("evidence"), text)})
        for claim in (member.result or {}).get("claims") or []:
            linked = claim.get("event_ids") or []
            if not linked or entry["report_event_id"] in linked:
                claims.append({**claim, "document_id": entry["document_id"]})
    corrections = history(store, event_id)
    record = explained["event"]
    return {"event_id": event_id, "event": record, "machine": machine_record(record),
            "not_event": bool(pk.not_event), "sources": sources, "claims": claims,
            "figures": explained["figures"], "corrections": corrections,
            "versions": {c["field"]: c["version"] for c in corrections if c["active"]}}
