"""Analyst corrections of merged events: stored beside the machine coding, never over it.

A correction row keeps the field, the new value, the value before, who, when and why. The
event's stored record is the corrected one, so every query and export reads one column; its
``corrected_fields`` hold each corrected field's machine value, and ``corrected`` says so. A
merge that rewrites an event (a new report joining, a report replaced) writes the machine record
and a new ``updated_at``; ``reapply`` (called by ingest in the same transaction) finds events
whose ``corrected_at`` no longer matches and applies their corrections again, so corrections
survive re-ingesting and re-merging.

Splitting a report out of an event and merging two events are corrections too: they name the
report events (mention ids such as ``doc-1-e1``) and the event that must hold them, and
``reapply`` moves them back there when a merge put them elsewhere.

Concurrent corrections of one field are detected with the field's version (or the value the
analyst saw): a mismatch is a CONFLICT error, nothing written.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sitrep.store import errors
from sitrep.store.db import Store
from sitrep.store.models import corrections, events, mentions


@dataclass(frozen=True)
class Field:
    """A correctable field: the record keys it sets, how its value is checked and written."""

    keys: tuple[str, ...]
    check: Callable[[Any], Any]
    write: Callable[[dict[str, Any], Any], None]
    read: Callable[[dict[str, Any]], Any]


def _text(limit: int) -> Callable[[Any], Any]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise ValueError(f"expected a non-empty string of at most {limit} characters")
        return value.strip()

    return check


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
        raise ValueError("expected a whole number from 0 to 1000000")
    return value


def _day(value: Any) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ValueError("expected a YYYY-MM-DD date") from None


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


LOCATION_KEYS = ("name", "lat", "lon", "country_code", "admin1", "geo_precision")


def _location(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not value or set(value) - set(LOCATION_KEYS):
        raise ValueError(f"expected an object with some of {', '.join(LOCATION_KEYS)}")
    out = dict(value)
    for key, low, high in (("lat", -90, 90), ("lon", -180, 180)):
        if key in out and (isinstance(out[key], bool) or not isinstance(out[key], int | float)
                           or not low <= out[key] <= high):
            raise ValueError(f"{key} must be a number in {low}..{high}")
    if ("lat" in out) != ("lon" in out):
        raise ValueError("lat and lon go together")
    code = out.get("country_code")
    if code is not None and not (isinstance(code, str) and re.fullmatch(r"[A-Za-z]{2}", code)):
        raise ValueError("country_code must be two letters")
    if code:
        out["country_code"] = code.upper()
    if "geo_precision" in out and out["geo_precision"] not in (1, 2, 3):
        raise ValueError("geo_precision must be 1, 2 or 3")
    for key in ("name", "admin1"):
        if key in out and not (isinstance(out[key], str) and len(out[key]) <= 200):
            raise ValueError(f"{key} must be a string")
    return out


def _set(key: str) -> Callable[[dict[str, Any], Any], None]:
    def write(record: dict[str, Any], value: Any) -> None:
        record[key] = value

    return write


def _get(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: record.get(key)


def _write_date(record: dict[str, Any], value: str) -> None:
    record.update(event_date=value, date_start=value, date_end=value, time_precision=1)


def _write_location(record: dict[str, Any], value: dict[str, Any]) -> None:
    record["location"] = {**(record.get("location") or {}), **value}


def _read_location(record: dict[str, Any]) -> dict[str, Any]:
    location = record.get("location") or {}
    return {k: location.get(k) for k in LOCATION_KEYS}


def _write_actor(key: str) -> Callable[[dict[str, Any], Any], None]:
    def write(record: dict[str, Any], value: str) -> None:
        record[key] = {**(record.get(key) or {}), "name": value}

    return write


def _read_actor(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: (record.get(key) or {}).get("name")


def _write_count(key: str) -> Callable[[dict[str, Any], Any], None]:
    def write(record: dict[str, Any], value: int) -> None:
        record[key] = {**(record.get(key) or {}), "best": value, "low": value, "high": value,
                       "qualifier": "exact"}

    return write


def _read_count(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: (record.get(key) or {}).get("best")


FIELDS: dict[str, Field] = {
    "event_type": Field(("event_type",), _text(64), _set("event_type"), _get("event_type")),
    "sub_event_type": Field(("sub_event_type",), _text(64), _set("sub_event_type"),
                            _get("sub_event_type")),
    "disorder_type": Field(("disorder_type",), _text(64), _set("disorder_type"),
                           _get("disorder_type")),
    "event_date": Field(("event_date", "date_start", "date_end", "time_precision"), _day,
                        _write_date, _get("event_date")),
    "location": Field(("location",), _location, _write_location, _read_location),
    "actor1": Field(("actor1",), _text(200), _write_actor("actor1"), _read_actor("actor1")),
    "actor2": Field(("actor2",), _text(200), _write_actor("actor2"), _read_actor("actor2")),
    "fatalities": Field(("fatalities",), _count, _write_count("fatalities"),
                        _read_count("fatalities")),
    "injuries": Field(("injuries",), _count, _write_count("injuries"), _read_count("injuries")),
    "not_event": Field(("not_event",), _flag, _set("not_event"),
                       lambda record: bool(record.get("not_event"))),
}
# Structural corrections: they move report events between merged events.
STRUCTURAL = ("split", "merge")
KNOWN = (*FIELDS, *STRUCTURAL)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _decoded(value: Any) -> Any:
    """A JSON column read as text (never the case for sitrep's JSON-typed reads, kept safe)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def machine_record(record: dict[str, Any]) -> dict[str, Any]:
    """The record without its corrections: each corrected field back to its machine value,
    unless a merge has changed the field since (then the merge's value is the machine's)."""
    out = copy.deepcopy(record)
    fixed = out.pop("corrected_fields", None) or {}
    out.pop("corrected", None)
    for name, info in fixed.items():
        spec = FIELDS.get(name)
        if spec is not None and _shows(spec, out, info.get("value")):
            for key in spec.keys:
                if info["machine"].get(key) is None:
                    out.pop(key, None)
                else:
                    out[key] = info["machine"][key]
    return out


def _shows(spec: Field, record: dict[str, Any], value: Any) -> bool:
    """Whether the record still shows the corrected value (writing it again changes nothing)."""
    trial = {key: copy.deepcopy(record.get(key)) for key in spec.keys}
    spec.write(trial, value)
    return all(trial.get(key) == record.get(key) for key in spec.keys)


def corrected_record(record: dict[str, Any], active: list[dict[str, Any]]) -> dict[str, Any]:
    """The machine record with the active field corrections applied, each one's machine value
    kept in ``corrected_fields``."""
    out = machine_record(record)
    fixed: dict[str, Any] = {}
    for row in active:
        spec = FIELDS.get(row["field"])
        if spec is None:
            continue
        fixed[row["field"]] = {
            "value": row["value"], "machine_value": spec.read(out),
            "machine": {key: copy.deepcopy(out.get(key)) for key in spec.keys},
            "version": row["version"], "author": row["author"], "note": row["note"],
            "at": row["created_at"]}
        spec.write(out, row["value"])
    if fixed:
        out["corrected"] = True
        out["corrected_fields"] = fixed
    return out


def _rows(connection: Connection, event_id: str, active_only: bool = True
          ) -> list[dict[str, Any]]:
    query = select(corrections).where(corrections.c.event_id == event_id)
    if active_only:
        query = query.where(corrections.c.active.is_(True))
    return [_row(r) for r in connection.execute(query.order_by(corrections.c.id)).mappings()]


def _row(row: Any) -> dict[str, Any]:
    out = dict(row)
    created = out["created_at"]
    out["created_at"] = created.isoformat() if isinstance(created, datetime) else created
    out["active"] = bool(out["active"])
    return out


def apply(connection: Connection, event_pk: int) -> None:
    """Write the event's corrected record and columns (or its machine record, none left)."""
    from sitrep.store.rows import event_columns

    row = connection.execute(select(events.c.event_id, events.c.record, events.c.words)
                             .where(events.c.id == event_pk)).first()
    if row is None:
        return
    active = [r for r in _rows(connection, row.event_id) if r["field"] in FIELDS]
    record = corrected_record(_decoded(row.record), active)
    now = _now()
    columns = event_columns(record, _decoded(row.words) or [], now)
    connection.execute(update(events).where(events.c.id == event_pk).values(
        **columns, corrected=bool(active), not_event=bool(record.get("not_event")),
        corrected_at=now))


def _event(connection: Connection, event_id: str, store: Store | None = None) -> Any:
    row = connection.execute(select(events.c.id, events.c.record)
                             .where(events.c.event_id == event_id)).first()
    if row is None:
        raise errors.error(errors.NO_EVENT, event_id=event_id,
                           db=store.display if store else "the store")
    return row


def correct(store: Store, event_id: str, field: str, value: Any, *, author: str,
            note: str = "", expected_version: int | None = None,
            expected_value: Any = None, check_value: bool = False) -> dict[str, Any]:
    """Correct one field of a merged event (or split/merge it); returns the stored correction.

    ``expected_version`` (the field's version the analyst saw, 0 for never corrected) or,
    with ``check_value``, ``expected_value`` guard against a concurrent correction.
    """
    if field not in KNOWN:
        raise errors.error(errors.NO_FIELD, field=field, known=", ".join(KNOWN))
    with store.write() as connection:
        row = _event(connection, event_id, store)
        record = _decoded(row.record)
        if field in FIELDS:
            try:
                value = FIELDS[field].check(value)
            except ValueError as exc:
                raise errors.error(errors.BAD_VALUE, field=field, detail=exc) from None
            before = FIELDS[field].read(record)
        else:
            before = None
        current = connection.execute(
            select(corrections.c.id, corrections.c.version)
            .where(corrections.c.event_id == event_id, corrections.c.field == field,
                   corrections.c.active.is_(True))).first()
        version = current.version if current else 0
        if ((expected_version is not None and expected_version != version)
                or (check_value and field in FIELDS and expected_value != before)):
            raise errors.error(errors.CONFLICT, field=field, event_id=event_id,
                               version=version, value=json.dumps(before))
        if field == "split":
            value = _split(connection, row.id, event_id, value)
        elif field == "merge":
            value = _merge(connection, row.id, event_id, value, store)
        if current is not None:
            connection.execute(update(corrections).where(corrections.c.id == current.id)
                               .values(active=False))
        new = {"event_id": event_id, "field": field, "value": value, "before": before,
               "version": version + 1, "active": True, "author": author[:128],
               "note": note, "created_at": _now()}
        pk = connection.execute(insert(corrections).values(**new)).inserted_primary_key[0]
        if field in FIELDS:
            apply(connection, row.id)
        _changed(connection)
    return _row({"id": pk, **new})


def _changed(connection: Connection) -> None:
    """Tell a running ingest that the events changed under its cache."""
    from sitrep.store import bulk

    bulk.write_generation(connection, bulk.read_generation(connection))


def _mention_ids(connection: Connection, event_pk: int) -> dict[str, str]:
    """The event's report events: mention event id -> report document id."""
    from sitrep.store.models import reports

    rows = connection.execute(select(mentions.c.event_id, reports.c.document_id)
                              .join(reports, reports.c.id == mentions.c.report_id)
                              .where(mentions.c.event_pk == event_pk)).all()
    return {r.event_id: r.document_id for r in rows}


def _split(connection: Connection, event_pk: int, event_id: str, value: Any) -> dict[str, Any]:
    """Move one report (``{"document_id": ...}``) out of the event into a new event."""
    members = _mention_ids(connection, event_pk)
    document = value.get("document_id") if isinstance(value, dict) else None
    moving = sorted(m for m, d in members.items() if d == document)
    if not moving:
        raise errors.error(errors.BAD_VALUE, field="split",
                           detail=f"expected {{\"document_id\": ...}} naming one of the event's "
                                  f"reports ({', '.join(sorted(set(members.values())))})")
    if len(moving) == len(members):
        raise errors.error(errors.BAD_VALUE, field="split",
                           detail="the event has no other report to stay behind")
    n = 1 + connection.execute(select(corrections.c.id).where(
        corrections.c.event_id == event_id, corrections.c.field == "split")).all().__len__()
    target = f"{event_id}-split{n}"
    out = {"document_id": document, "mentions": moving, "event_id": target}
    _enforce(connection, out)
    return out


def _merge(connection: Connection, event_pk: int, event_id: str, value: Any,
           store: Store) -> dict[str, Any]:
    """Merge the event into another (``{"into": EVENT_ID}``): it then holds every report."""
    into = value.get("into") if isinstance(value, dict) else None
    if not isinstance(into, str) or into == event_id:
        raise errors.error(errors.BAD_VALUE, field="merge",
                           detail="expected {\"into\": OTHER_EVENT_ID}")
    _event(connection, into, store)
    out = {"into": into, "event_id": into,
           "mentions": sorted(_mention_ids(connection, event_pk))}
    _enforce(connection, out)
    return out


def _enforce(connection: Connection, assignment: dict[str, Any]) -> bool:
    """Put the named report events into the assigned event; True when any moved."""
    from sitrep.store.rows import refresh_event

    target_id = assignment["event_id"]
    moving = connection.execute(select(mentions.c.id, mentions.c.event_pk).where(
        mentions.c.event_id.in_(assignment["mentions"]))).all()
    target = connection.execute(select(events.c.id).where(events.c.event_id == target_id)
                                ).scalar()
    stray = [m for m in moving if m.event_pk != target]
    if not stray:
        return False
    if target is None:
        target = connection.execute(insert(events).values(
            event_id=target_id, actors="", n_sources=0, words=[], record={},
            updated_at=_now())).inserted_primary_key[0]
    left = {m.event_pk for m in stray}
    connection.execute(update(mentions).where(mentions.c.id.in_([m.id for m in stray]))
                       .values(event_pk=target))
    for pk in [*sorted(left), target]:
        event_id = connection.execute(select(events.c.event_id).where(events.c.id == pk)
                                      ).scalar()
        if event_id is not None:
            refresh_event(connection, pk, event_id)
            apply(connection, pk)
    return True


def reapply(connection: Connection) -> bool:
    """Apply the corrections of events a merge rewrote since (in the caller's transaction).

    Returns True when report events were moved back (the caller's event cache is stale)."""
    moved = False
    structural = connection.execute(select(corrections.c.value).where(
        corrections.c.active.is_(True), corrections.c.field.in_(STRUCTURAL))
        .order_by(corrections.c.id)).scalars().all()
    for value in structural:
        moved |= _enforce(connection, value)
    corrected = select(corrections.c.event_id).where(corrections.c.active.is_(True),
                                                     corrections.c.field.in_(tuple(FIELDS)))
    stale = connection.execute(select(events.c.id).where(
        events.c.event_id.in_(corrected),
        (events.c.corrected_at.is_(None)) | (events.c.corrected_at != events.c.updated_at))
    ).scalars().all()
    for pk in stale:
        apply(connection, pk)
    return moved


def history(store: Store, event_id: str) -> list[dict[str, Any]]:
    """Every correction of an event, the superseded ones included, oldest first."""
    with store.read() as connection:
        return _rows(connection, event_id, active_only=False)


def export(store: Store) -> Iterator[dict[str, Any]]:
    """Every correction with the event's machine and corrected values, for training data."""
    with store.read() as connection:
        rows = [_row(r) for r in connection.execute(
            select(corrections).order_by(corrections.c.id)).mappings()]
        records = dict(connection.execute(select(events.c.event_id, events.c.record).where(
            events.c.event_id.in_({r["event_id"] for r in rows}))).all()) if rows else {}
    for row in rows:
        record = _decoded(records.get(row["event_id"])) or {}
        row["sources"] = [s.get("document_id") for s in record.get("sources") or []]
        row["machine"] = machine_record(record) if record else None
        yield row
