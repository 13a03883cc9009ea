"""Shared by the store and server benchmarks: synthetic event rows written straight into the
events table (no merging), a transaction per batch."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any


def insert_events(store: Any, rows: Iterable[dict[str, Any]], batch: int = 20_000) -> None:
    from sqlalchemy import insert

    from sitrep.store.models import events

    rows = iter(rows)
    while chunk := list(islice(rows, batch)):
        with store.write() as connection:
            connection.execute(insert(events), chunk)
