"""The event store: reports, their extractions and merged events (SQLite or PostgreSQL).

The Python API behind ``sitrep ingest``, ``events``, ``export`` and ``why``::

    from sitrep.store import open_store, ingest, query_events
    store = open_store("sitrep.db")
    ingest(store, read_paths(["reports.jsonl"]))
    for event in query_events(store, since=date(2023, 3, 1), country="UA"):
        ...
"""

from __future__ import annotations

import importlib
from typing import Any

# Imported on first use, so that ``sitrep --help`` and ``sitrep extract`` don't pay for SQLAlchemy.
_EXPORTS = {
    "Store": "db", "open_store": "db", "resolve_url": "db", "StoreError": "errors",
    "IngestStats": "ingest", "content_hash": "ingest", "counts": "ingest", "ingest": "ingest",
    "EventFilter": "query", "count_events": "query", "get_event": "query",
    "query_events": "query", "why": "query",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sitrep.store' has no attribute {name!r}")
    return getattr(importlib.import_module(f"sitrep.store.{_EXPORTS[name]}"), name)
