"""The event store: reports, their extractions and merged events (SQLite or PostgreSQL).

The Python API behind ``sitrep ingest``, ``events``, ``export`` and ``why``::

    from sitrep.store import open_store, ingest, query_events
    store = open_store("sitrep.db")
    ingest(store, read_paths(["reports.jsonl"]))
    for event in query_events(store, since=date(2023, 3, 1), country="UA"):
        ...
"""

from __future__ import annotations

from sitrep.store.db import Store, open_store, resolve_url
from sitrep.store.errors import StoreError
from sitrep.store.ingest import IngestStats, content_hash, counts, ingest
from sitrep.store.query import EventFilter, count_events, get_event, query_events, why

__all__ = [
    "EventFilter", "IngestStats", "Store", "StoreError", "content_hash", "count_events",
    "counts", "get_event", "ingest", "open_store", "query_events", "resolve_url", "why",
]
