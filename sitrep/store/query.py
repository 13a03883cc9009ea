"""Reading merged events back: filters for ``sitrep events`` and the Python API, and ``why``.

Filters on the date and the bounding box select ids from the ``(event_date, lon, lat)``
index alone, so a date range and a bbox read only the rows that match; the other filters narrow
what that returns. ``sitrep events --format jsonl`` prints the stored JSON text as it is.
Events come back as codebook records (``sources`` lists every supporting report).
"""

from __future__ import annotations

import difflib
import gc
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import Any

from sqlalchemy import Select, Text, func, or_, select, true, type_coerce

from sitrep.records import ACLED_TYPES, PLOVER_EVENTS
from sitrep.store import errors
from sitrep.store.db import Store
from sitrep.store.models import events, figures, mentions, reports

# Matches the partial index's condition (``not_event = 1`` on SQLite), so the planner uses it.
NOT_EVENT = events.c.not_event == true()


@dataclass
class EventFilter:
    """The filters of ``sitrep events``; every one optional, all of them ANDed."""

    since: date | None = None
    until: date | None = None
    country: str | None = None
    type: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    actor: str | None = None
    min_fatalities: int | None = None
    limit: int | None = None
    # Events an analyst marked as not an event (sitrep.store.corrections) are left out.
    not_events: bool = False


@lru_cache(maxsize=1)
def event_types() -> dict[str, str]:
    """Every name ``EventFilter.type`` matches, lower-cased, to its spelling: ACLED disorder,
    event and sub-event types and PLOVER events."""
    names = [*ACLED_TYPES, *(t for pair in ACLED_TYPES.values() for t in pair), *PLOVER_EVENTS]
    return {name.lower(): name for name in names}


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, and XK (Kosovo), which ACLED and GeoNames use."""
    import pycountry

    return frozenset({c.alpha_2 for c in pycountry.countries} | {"XK"})


def check_filter(where: EventFilter) -> None:
    """Refuse a filter that cannot match anything, saying why (S013, a usage error): an unknown
    type or country (with the closest valid values), an empty date range. The CLI and the API
    call this before querying, and every query does, so no one gets an empty answer instead."""
    if where.since and where.until and where.since > where.until:
        raise errors.error(errors.BAD_QUERY, option="--since/--until",
                           detail=f"the range {where.since} to {where.until} is empty "
                                  "(since is after until)")
    if where.type is not None and where.type.lower() not in event_types():
        raise errors.error(errors.BAD_QUERY, option="--type",
                           detail=f"'{where.type}' is not an event type; "
                                  + _closest(where.type, list(event_types().values())))
    if where.country is not None and where.country.upper() not in country_codes():
        raise errors.error(errors.BAD_QUERY, option="--country",
                           detail=f"'{where.country}' is not an ISO 3166-1 alpha-2 country "
                                  "code; " + _closest(where.country.upper(),
                                                      sorted(country_codes()), all_=False))


def _closest(value: str, valid: list[str], all_: bool = True) -> str:
    """'did you mean ...' with the closest valid values; the whole list where none is close."""
    lowered = {v.lower(): v for v in valid}
    close = difflib.get_close_matches(value.lower(), list(lowered), n=5, cutoff=0.5)
    close += [v for v in lowered if value.lower() in v and v not in close][: 5 - len(close)]
    if close:
        return "did you mean: " + ", ".join(lowered[c] for c in close)
    if all_:
        return "valid values: " + ", ".join(valid)
    return "valid values are two-letter codes such as " + ", ".join(valid[:8]) + ", ..."


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``W,S,E,N`` in degrees; raises ValueError with what is wrong."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 4:
        raise ValueError("expected W,S,E,N (four numbers)")
    west, south, east, north = (float(p) for p in parts)
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError("longitudes must be in -180..180, latitudes in -90..90, S <= N")
    return west, south, east, north


def filter_terms(where: EventFilter, direct: bool = False) -> list[Any]:
    """The filter as WHERE terms. Date and bbox pick ids from the covering (event_date, lon,
    lat) index alone, and only the matching rows are read: filtering in one query, SQLite's
    planner took the (event_date, cell) index and read every row of the date range (20x slower
    on 1M events). ``direct`` leaves them as plain terms, for a query that reads a page in
    index order (``ix_events_date``) and stops there."""
    check_filter(where)
    spatial = []
    if where.since:
        spatial.append(events.c.event_date >= where.since)
    if where.until:
        spatial.append(events.c.event_date <= where.until)
    if where.bbox:
        west, south, east, north = where.bbox
        lon = (events.c.lon.between(west, east) if west <= east
               else or_(events.c.lon >= west, events.c.lon <= east))  # across the antimeridian
        spatial += [lon, events.c.lat.between(south, north)]
    terms = spatial if direct or not spatial else [
        events.c.id.in_(select(events.c.id).where(*spatial))]
    if not where.not_events:  # ids from the small partial index ix_events_not_event
        terms.append(events.c.id.not_in(select(events.c.id).where(NOT_EVENT)))
    if where.country:
        terms.append(events.c.country_code == where.country.upper())
    if where.type:
        wanted = where.type.lower()
        terms.append(or_(*(func.lower(c) == wanted for c in (
            events.c.event_type, events.c.sub_event_type, events.c.disorder_type,
            events.c.plover_event))))
    if where.actor:
        terms.append(func.lower(events.c.actors).contains(where.actor.lower(), autoescape=True))
    if where.min_fatalities is not None:
        terms.append(events.c.fatalities >= where.min_fatalities)
    return terms


def _select(columns: list[Any], where: EventFilter) -> Select[Any]:
    query = select(*columns).where(*filter_terms(where))
    query = query.order_by(events.c.event_date, events.c.id)
    if where.limit:
        query = query.limit(where.limit)
    return query


# The stored record as the database holds it: JSON text on SQLite (decoded, or not at all, by
# the caller), already a dict where the driver decodes JSON columns (psycopg on PostgreSQL).
RECORD_TEXT = type_coerce(events.c.record, Text).label("record")


def query_events(store: Store, where: EventFilter | None = None, **filters: Any
                 ) -> Iterator[dict[str, Any]]:
    """Merged events as codebook records, oldest first (``filters`` build an EventFilter).

    Records are decoded a chunk at a time with the garbage collector paused: decoding makes
    thousands of dicts, none of them cyclic, and the collections they set off cost more than
    the decoding.
    """
    rows = _records(store, where or EventFilter(**filters))
    while chunk := list(islice(rows, DECODE_CHUNK)):
        enabled = gc.isenabled()
        gc.disable()
        try:
            decoded = [json.loads(v) if isinstance(v, str) else v for v in chunk]
        finally:
            if enabled:
                gc.enable()
        yield from decoded


DECODE_CHUNK = 512


def query_event_texts(store: Store, where: EventFilter | None = None, **filters: Any
                      ) -> Iterator[str]:
    """The same events as JSON text, one record a string: ``sitrep events --format jsonl``
    prints the stored text as it is instead of decoding and re-encoding every record."""
    for value in _records(store, where or EventFilter(**filters)):
        yield value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _records(store: Store, where: EventFilter) -> Iterator[Any]:
    with store.read() as connection:
        for (value,) in connection.execute(_select([RECORD_TEXT], where)):
            yield value


def count_events(store: Store, where: EventFilter | None = None, **filters: Any) -> int:
    where = where or EventFilter(**filters)
    with store.read() as connection:
        inner = _select([events.c.id], where).order_by(None).subquery()
        return connection.execute(select(func.count()).select_from(inner)).scalar_one()


def get_event(store: Store, event_id: str) -> dict[str, Any]:
    with store.read() as connection:
        record = connection.execute(select(events.c.record).where(
            events.c.event_id == event_id)).scalar()
    if record is None:
        raise errors.error(errors.NO_EVENT, event_id=event_id, db=store.display)
    return record


def why(store: Store, event_id: str) -> dict[str, Any]:
    """The reports merged into an event, how each joined, and the history of its figures.

    An id of one report's event (a mention) finds the merged event that holds it.
    """
    with store.read() as connection:
        row = connection.execute(select(events.c.id, events.c.event_id, events.c.record).where(
            events.c.event_id == event_id)).first()
        if row is None:
            row = connection.execute(
                select(events.c.id, events.c.event_id, events.c.record)
                .join(mentions, mentions.c.event_pk == events.c.id)
                .where(mentions.c.event_id == event_id)).first()
        if row is None:
            raise errors.error(errors.NO_EVENT, event_id=event_id, db=store.display)
        members = connection.execute(
            select(mentions.c.id, mentions.c.event_id, mentions.c.reason, mentions.c.sentence,
                   mentions.c.record, reports.c.document_id, reports.c.source, reports.c.url,
                   reports.c.published)
            .join(reports, reports.c.id == mentions.c.report_id)
            .where(mentions.c.event_pk == row.id).order_by(mentions.c.id)).all()
        history = connection.execute(
            select(figures, reports.c.document_id)
            .join(mentions, mentions.c.id == figures.c.mention_id)
            .join(reports, reports.c.id == mentions.c.report_id)
            .where(figures.c.event_pk == row.id)
            .order_by(figures.c.kind, figures.c.published, figures.c.id)).all()
    return {
        "event_id": row.event_id,
        "event": row.record,
        "reports": [{
            "document_id": m.document_id, "source": m.source, "url": m.url,
            "published": m.published.isoformat() if m.published else None,
            "report_event_id": m.event_id, "sentence": m.sentence,
            "fatalities": (m.record.get("fatalities") or {}).get("best"),
            "how": m.reason,
        } for m in members],
        "figures": [{
            "kind": f.kind, "document_id": f.document_id,
            "published": f.published.isoformat() if f.published else None,
            "best": f.best, "low": f.low, "high": f.high, "qualifier": f.qualifier,
            "text": f.text, "update": f.is_update,
        } for f in history],
    }


def why_text(explanation: dict[str, Any]) -> str:
    """``sitrep why`` for people: the event, then each report and why it was merged."""
    event = explanation["event"]
    location = event.get("location") or {}
    fatalities = event.get("fatalities") or {}
    lines = [f"{explanation['event_id']}: {event.get('event_date')} "
             f"{event.get('sub_event_type') or (event.get('plover') or {}).get('event')} in "
             f"{location.get('name')}, {location.get('country_code')} - fatalities best "
             f"{fatalities.get('best')} (low {fatalities.get('low')}, high "
             f"{fatalities.get('high')}), {len(explanation['reports'])} report(s)", ""]
    for n, report in enumerate(explanation["reports"], 1):
        lines.append(f"{n}. {report['document_id']} ({report['source'] or 'unknown source'}, "
                     f"{report['published'] or 'undated'}) {report['url'] or ''}".rstrip())
        if report["sentence"]:
            lines.append(f"   \"{report['sentence']}\"")
        how = report["how"] or {}
        if how.get("seed"):
            lines.append("   first report of this event")
        else:
            lines.append(f"   merged with {how.get('joined')} (score {how.get('score')}):")
            lines.extend(f"     - {name}: {reason}"
                         for name, reason in (how.get("reasons") or {}).items())
    if explanation["figures"]:
        lines += ["", "figures over time:"]
        for f in explanation["figures"]:
            lines.append(f"  {f['kind']:<10} {f['published'] or 'undated':<10} best {f['best']} "
                         f"(low {f['low']}, high {f['high']}, {f['qualifier']}) "
                         f"{'update ' if f['update'] else ''}'{f['text']}' [{f['document_id']}]")
    return "\n".join(lines)
