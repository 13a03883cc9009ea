"""Document results as codebook dicts, the same as ``DocumentResult.to_dict`` but faster.

``to_dict`` builds flat records (locations, counts, sources, places) with
``dataclasses.asdict``, which deep-copies every value and cost more than merging the event when
storing a batch. Here a flat record whose values are all scalars is read field by field; any
other record falls back to ``asdict``, so the output is always the one ``to_dict`` gives (a test
holds the two equal on rich results).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from sitrep.records import DocumentResult, Event

_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}


def flat_dict(obj: Any) -> dict[str, Any]:
    """``dataclasses.asdict(obj)`` for a dataclass of scalars, without the deep copy."""
    kind = type(obj)
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(obj))
    out = {name: getattr(obj, name) for name in names}
    for value in out.values():
        if type(value) not in _SCALARS:
            return dataclasses.asdict(obj)
    return out


def event_dict(event: Event) -> dict[str, Any]:
    """``event.to_dict()``: the codebook record of one event."""
    return {
        "event_id": event.event_id,
        "event_date": event.event_date,
        "date_start": event.date_start,
        "date_end": event.date_end,
        "time_precision": event.time_precision,
        "disorder_type": event.disorder_type,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "plover": event.plover.to_dict(),
        "actor1": event.actor1.to_dict() if event.actor1 else None,
        "actor2": event.actor2.to_dict() if event.actor2 else None,
        "assoc_actor_1": list(event.assoc_actor_1),
        "assoc_actor_2": list(event.assoc_actor_2),
        "interaction": event.interaction,
        "civilian_targeting": event.civilian_targeting,
        "weapons": list(event.weapons),
        "targets": list(event.targets),
        "location": flat_dict(event.location),
        "fatalities": flat_dict(event.fatalities),
        "injuries": flat_dict(event.injuries),
        "notes": event.notes,
        "sources": [flat_dict(s) for s in event.sources],
        "evidence": {k: [list(s) for s in v] for k, v in event.evidence.items()},
        "confidence": round(event.confidence, 3),
    }


def document_dict(result: DocumentResult) -> dict[str, Any]:
    """``result.to_dict()``: the codebook document result."""
    out: dict[str, Any] = {
        "id": result.id,
        "published": result.published.isoformat() if result.published else None,
        "events": [event_dict(e) for e in result.events],
        "claims": [c.to_dict() for c in result.claims],
        "places": [flat_dict(p) for p in result.places],
        "error": result.error.to_dict() if result.error else None,
    }
    if result.counts:
        out["counts"] = result.counts
    return out


_UTF8 = json.JSONEncoder(ensure_ascii=False)
_ASCII = json.JSONEncoder()


def json_text(value: Any) -> str:
    """``sitrep.store.db.dumps``: UTF-8 JSON text, escaped where UTF-8 cannot hold it (lone
    surrogates). One encoder serves every call: ``json.dumps`` with options builds a new one
    each time, which cost a tenth of encoding a record."""
    out = _UTF8.encode(value)
    if not out.isascii():
        try:
            out.encode("utf-8")
        except UnicodeEncodeError:
            return _ASCII.encode(value)
    return out
