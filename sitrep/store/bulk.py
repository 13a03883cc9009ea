"""Writing batches of reports in one transaction, merging against an in-memory block index.

Per-report transactions and per-event statements made merging slow (a few ms per event): each
mention re-read its block, and each join re-read and rewrote its whole event. Here a batch of
reports is written in one transaction, still all of a report or none of it (the batch commits
whole), with ids allocated up front so rows go in with ``executemany``:

- stored events are loaded once per block (day, grid cell, or day and country) into an
  :class:`EventCache`, which outlives the batch while no other process writes (a generation
  token in ``sitrep_meta`` tells) and is dropped when it grows too big;
- a join rebuilds the merged record from the members in memory, and the event's row is
  written once per batch, however many reports joined it; of its figure rows only the new
  members' are inserted and the update flags that reconciling changed are rewritten (a
  member's figures never change while it belongs to the event).

The decisions are the same as merging report by report: mentions are merged in input order,
compared with the same candidates (in id order) by :func:`sitrep.store.merge.compare`.
"""

from __future__ import annotations

import json
import math
import uuid
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)

from sitrep.records import DocumentResult, Report
from sitrep.store import merge, rows
from sitrep.store.db import dumps
from sitrep.store.models import IMPRECISE, events, figures, mentions, meta, reports
from sitrep.store.rows import EVENT_COLUMNS

GENERATION = "generation"
# The indexed columns of an event (see models.EventRow). A join seldom moves its event, and
# an UPDATE that leaves them out does not touch the event indexes.
PLACED = ("event_date", "country_code", "lat", "lon", "geo_precision", "cell")
# Days per cached block: a mention's window (a week either side) spans two or three.
BUCKET_DAYS = 16
# Dropped between batches past this many cached events and members (about 3 KB each).
MAX_CACHED = 150_000
PG_IDS_AT_ONCE = 64
# Degrees of latitude per km of great-circle distance (with a margin for rounding): points
# further apart in latitude than radius * this are further apart than the radius.
LATITUDE_PER_KM = 180.0 / (math.pi * 6371.0) * 1.000001


PLACED_AT = tuple(EVENT_COLUMNS.index(name) for name in PLACED)
KEPT_AT = tuple(i for i, name in enumerate(EVENT_COLUMNS) if name not in PLACED)
FIGURE_KINDS = ("fatalities", "injuries")
# A datetime for event_values where the caller sets updated_at itself.
UNUSED_TIME = datetime(2000, 1, 1)


def _sql_insert(table: str, names: Iterable[str]) -> str:
    names = list(names)
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"


def _sql_update(table: str, names: Iterable[str]) -> str:
    return f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?"


# SQLite statements of _flush_sqlite, with the columns in the order its tuples give them.
REPORT_INSERT = _sql_insert("reports", (
    "id", "document_id", "url", "content_hash", "source", "title", "published", "text", "result",
    "error_code", "ingested_at"))
EVENT_INSERT = _sql_insert("events", ("id", "event_id", *EVENT_COLUMNS))
EVENT_UPDATE_MOVED = _sql_update("events", EVENT_COLUMNS)
EVENT_UPDATE_KEPT = _sql_update("events", [EVENT_COLUMNS[i] for i in KEPT_AT])
MENTION_INSERT = _sql_insert("mentions", (
    "id", "report_id", "event_pk", "event_id", "record", "sentence", "figure_context", "reason"))
FIGURE_INSERT = _sql_insert("figures", (
    "id", "event_pk", "mention_id", "kind", "best", "low", "high", "qualifier", "civilians", "text",
    "published", "is_update"))
FIGURE_FLAG = "UPDATE figures SET is_update = ? WHERE id = ?"


def loads(value: Any) -> Any:
    """A JSON column read as text (SQLite) or already decoded by the driver (psycopg)."""
    return json.loads(value) if isinstance(value, str) else value


@dataclass(slots=True)
class EventState:
    """A merged event as merging needs it; ``members`` (mention id -> mention) once joined."""

    pk: int
    event_id: str
    record: dict[str, Any]
    words: frozenset[str]
    members: dict[int, merge.Mention] | None = None
    day: int | None = None  # ordinal of event_date
    cell: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    precision: int = 3
    window: int = 1  # merge.day_window of the record
    # Each kind's figures in member order, as the last merged_record reconciled them.
    history: dict[str, list[merge.Figure]] = field(default_factory=dict)
    # The indexed columns (PLACED) as the database holds them, None when not known.
    placed: tuple[Any, ...] | None = None
    # The words column as SQLite stores it (JSON), None until written or when they changed.
    words_text: str | None = None
    # Whether ``words`` were made here from ``members`` (ingest.event_words).
    words_made: bool = False
    # The figure rows as stored: (mention id, kind) -> [figure row id, is_update]; None until
    # read. A join adds rows and flips update flags; it never rewrites the other rows.
    figure_rows: dict[tuple[int, str], list[Any]] | None = None
    # ``record`` with what it was made from (see merge.merged_with), None until rebuilt here.
    merged: merge.Merged | None = None
    candidate: merge.Candidate = field(init=False)

    def __post_init__(self) -> None:
        self.candidate = merge.Candidate(self.pk, self.event_id, self.record, self.words)

    @property
    def imprecise(self) -> bool:
        return self.precision >= 3 or self.cell is None


class EventCache:
    """Stored (and pending) events by block, with the blocks already read from the database.

    Blocks are (grid cell, BUCKET_DAYS days) and (country, BUCKET_DAYS days): a mention looks
    at a few of them and keeps the events whose day is within its window.
    """

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.states: dict[int, EventState] = {}
        self.by_cell: dict[tuple[int, int], set[int]] = {}
        # The same events again: exact-day ones by (cell, day) for the day before, the day
        # and the day after, the others by (cell, bucket), so a mention with an exact date
        # looks at one day instead of two buckets.
        self.exact_by_cell: dict[tuple[int, int], set[int]] = {}
        self.wide_by_cell: dict[tuple[int, int], set[int]] = {}
        self.by_country: dict[tuple[str, int], set[int]] = {}
        self.imprecise: dict[tuple[str, int], set[int]] = {}
        self.loaded_cells: set[tuple[int, int]] = set()
        self.loaded_country: set[tuple[str, int]] = set()
        self.loaded_imprecise: set[tuple[str, int]] = set()
        # (centre cell, bucket, country) whose neighbourhood is loaded (a shortcut).
        self.ready: set[tuple[int, int, str | None]] = set()
        self.members = 0

    @property
    def size(self) -> int:
        return len(self.states) + self.members

    def add(self, state: EventState) -> None:
        self.states[state.pk] = state
        self._index(state, add=True)

    def _keys(self, day: int | None, cell: int | None, country: str | None, window: int,
              imprecise: bool) -> Iterable[tuple[dict[Any, set[int]], tuple[Any, ...]]]:
        if day is None:
            return
        bucket = day // BUCKET_DAYS
        if cell is not None:
            yield self.by_cell, (cell, bucket)
            if window <= 1:  # under each day it matches, so a mention looks up one day
                yield self.exact_by_cell, (cell, day - 1)
                yield self.exact_by_cell, (cell, day)
                yield self.exact_by_cell, (cell, day + 1)
            else:
                yield self.wide_by_cell, (cell, bucket)
        if country:
            yield self.by_country, (country, bucket)
            if imprecise:
                yield self.imprecise, (country, bucket)

    def _index(self, state: EventState, add: bool,
               key: tuple[Any, ...] | None = None) -> None:
        """Add the state to (or drop it from) its blocks, or from the blocks of ``key``
        (day, cell, country, window, imprecise) where it was before."""
        where = key or (state.day, state.cell, state.country, state.window, state.imprecise)
        for index, key in self._keys(*where):
            if add:
                index.setdefault(key, set()).add(state.pk)
            else:
                index.get(key, set()).discard(state.pk)

    def update(self, state: EventState, record: dict[str, Any], words: frozenset[str]) -> None:
        """Give a state its new merged record and move it to its new blocks."""
        before = (state.day, state.cell, state.country, state.window, state.imprecise)
        if words != state.words:
            state.words, state.words_text = words, None
        state.record = record
        _set_block(state)
        state.candidate = merge.Candidate(state.pk, state.event_id, record, words)
        if before != (state.day, state.cell, state.country, state.window, state.imprecise):
            # Most joins leave the event where it was: its blocks are then unchanged.
            self._index(state, add=False, key=before)
            self._index(state, add=True)


def _set_block(state: EventState) -> None:
    record = state.record
    location = record.get("location") or {}
    day = merge.parse_day(record.get("event_date"))
    state.day = day.toordinal() if day else None
    state.lat, state.lon = location.get("lat"), location.get("lon")
    state.cell = merge.grid_cell(state.lat, state.lon)
    state.country = location.get("country_code")
    state.precision = merge.precision(record)
    state.window = merge.day_window(record)


# Blocks are read with driver SQL: SQLAlchemy re-renders an expanding IN on every execution,
# which cost more than the query. {p} is the driver's placeholder. Cells and the country's
# imprecise events are two queries: ORed in one, SQLite read every row of the days. A block is
# read as ids first, from the index alone (most of its events are cached already), then the
# rows of the events not cached.
_IDS = "SELECT id FROM events WHERE event_date BETWEEN {p} AND {p} AND "
IDS_CELLS = _IDS + "cell IN ({cells})"
# Matches the partial index ix_events_imprecise (its WHERE, as written there).
IDS_IMPRECISE = _IDS + "country_code = {p} AND (" + IMPRECISE + ")"
IDS_COUNTRY = _IDS + "country_code = {p}"
LOAD_FIGURES = ("SELECT id, event_pk, mention_id, kind, is_update FROM figures"
                " WHERE event_pk IN ({ids})")
LOAD_ROWS = ("SELECT id, event_id, record, words, " + ", ".join(PLACED)
             + " FROM events WHERE id IN ({ids})")
ROWS_AT_ONCE = 500
VALUES_AT_ONCE = 500


class Ids:
    """Primary keys handed out before the rows are written (the writer holds the lock)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.next: dict[str, int] = {}
        self.free: dict[str, deque[int]] = {}

    def take(self, table: Table) -> int:
        if self.postgres:
            pool = self.free.setdefault(table.name, deque())
            if not pool:
                pool.extend(self.connection.execute(text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                    "FROM generate_series(1, :n)"), {"t": table.name, "n": PG_IDS_AT_ONCE}
                ).scalars())
            return pool.popleft()
        if table.name not in self.next:
            self.next[table.name] = self.connection.execute(
                select(func.coalesce(func.max(table.c.id), 0))).scalar_one() + 1
        value = self.next[table.name]
        self.next[table.name] = value + 1
        return value


def read_generation(connection: Connection) -> str | None:
    return connection.execute(select(meta.c.value).where(meta.c.key == GENERATION)).scalar()


def write_generation(connection: Connection, previous: str | None) -> str:
    """Mark the database as changed by this writer, so other writers drop their caches."""
    token = uuid.uuid4().hex
    if previous is None:
        connection.execute(insert(meta).values(key=GENERATION, value=token))
    else:
        connection.execute(update(meta).where(meta.c.key == GENERATION).values(value=token))
    return token


@dataclass
class Outcome:
    """What happened to one report of a batch (applied to the stats once the batch commits)."""

    status: str
    mentions: int = 0
    joined: int = 0
    new_events: int = 0


class BatchMerge:
    """One batch's transaction: reports in input order, their events merged, rows at flush."""

    def __init__(self, connection: Connection, cache: EventCache) -> None:
        self.connection = connection
        self.cache = cache
        self.ids = Ids(connection)
        self.sqlite = connection.dialect.name == "sqlite"
        # Dicts by column name, or on SQLite tuples of the driver's values (see _flush_sqlite).
        self.report_rows: list[Any] = []
        self.mention_rows: list[Any] = []
        self.new_events: dict[int, None] = {}
        self.dirty: dict[int, None] = {}
        self.taken: set[str] = set()
        self.checked: set[str] = set()

    # --- reports ------------------------------------------------------------------------------

    def store(self, batch: list[tuple[Report, DocumentResult, str]]) -> list[Outcome]:
        stored = column_in(self.connection, "SELECT content_hash FROM reports WHERE content_hash",
                           [digest for _, _, digest in batch])
        previous = self._previous_keys([report for report, _, _ in batch])
        self._prefetch_event_ids(result for _, result, _ in batch)
        written: set[tuple[str, str]] = set()
        outcomes = []
        for report, result, digest in batch:
            if digest in stored:  # stored before (another process), or twice in this input
                outcomes.append(Outcome("unchanged"))
                continue
            stored.add(digest)
            status = "stored"
            key = version_key(report)
            if key in previous or key in written:
                self.flush()
                old = rows._previous_version(self.connection, report)
                if old is not None:
                    rows.delete_report(self.connection, old)
                    # Rebuilding its events inserted figure rows with the next free ids (on
                    # SQLite the ones this batch would hand out next): read them again.
                    self.ids.next.pop(figures.name, None)
                    status = "replaced"
                    self.cache.clear()  # events were rebuilt outside the cache
                    self.taken.clear()
                    self.checked.clear()
            written.add(key)
            outcomes.append(self.store_report(report, result, digest, status))
        self.flush()
        return outcomes

    def _previous_keys(self, batch: list[Report]) -> set[tuple[str, str]]:
        urls = [r.url for r in batch if r.url]
        documents = [r.id for r in batch if not r.url]
        keys: set[tuple[str, str]] = set()
        if urls:
            keys.update(("url", u) for u in column_in(
                self.connection, "SELECT url FROM reports WHERE url", urls))
        if documents:
            keys.update(("id", d) for d in column_in(
                self.connection, "SELECT document_id FROM reports WHERE url IS NULL AND "
                "document_id", documents))
        return keys

    def store_report(self, report: Report, result: DocumentResult, digest: str,
                     status: str) -> Outcome:
        report_pk = self.ids.take(reports)
        document = result.to_dict()  # once: the report row and mentions share it
        records = document["events"]
        row = rows.report_row(report, result, digest, document)
        if self.sqlite:
            published = row["published"]
            self.report_rows.append((
                report_pk, row["document_id"], row["url"], row["content_hash"], row["source"],
                row["title"], date.isoformat(published) if published is not None else None,
                row["text"], dumps(row["result"]), row["error_code"],
                _timestamp(row["ingested_at"])))
        else:
            self.report_rows.append({"id": report_pk, **row})
        outcome = Outcome(status)
        used: set[int] = set()
        for record in records:
            mention = rows.make_mention(record, report, result.text or report.text)
            outcome.mentions += 1
            if self.merge(report_pk, mention, used):
                outcome.joined += 1
            else:
                outcome.new_events += 1
        return outcome

    # --- merging ------------------------------------------------------------------------------

    def merge(self, report_pk: int, mention: merge.Mention, used: set[int]) -> bool:
        """Join the best matching event, or start a new one. True when it joined."""
        best: tuple[merge.Decision, EventState] | None = None
        for state in self.candidates(mention, used):
            decision = merge.compare(mention, state.candidate)
            if decision.merge and (best is None or decision.score > best[0].score):
                best = (decision, state)
        mention_pk = self.ids.take(mentions)
        if best is None:
            state = self._new_event(mention, mention_pk)
            reason: dict[str, Any] = {"seed": True}
        else:
            decision, state = best
            self._join(state, mention_pk, mention)
            reason = {"joined": state.event_id, **decision.to_dict()}
        used.add(state.pk)
        if self.sqlite:
            self.mention_rows.append((
                mention_pk, report_pk, state.pk, mention.record.get("event_id", ""),
                dumps(mention.record), mention.sentence, dumps(mention.figure_context),
                dumps(reason)))
        else:
            self.mention_rows.append({
                "id": mention_pk, "report_id": report_pk, "event_pk": state.pk,
                "event_id": mention.record.get("event_id", ""), "record": mention.record,
                "sentence": mention.sentence, "figure_context": mention.figure_context,
                "reason": reason})
        return best is not None

    def candidates(self, mention: merge.Mention, exclude: set[int]) -> list[EventState]:
        """The events of the mention's block (as ``ingest.candidates`` finds them), by id,
        less those whose day or place is too far for :func:`merge.compare` to accept."""
        window = merge.block_window(mention)
        if window is None:
            return []
        location = mention.record.get("location") or {}
        country = location.get("country_code")
        lat, lon = location.get("lat"), location.get("lon")
        first, last = window[0].toordinal(), window[1].toordinal()
        buckets = range(first // BUCKET_DAYS, last // BUCKET_DAYS + 1)
        cache = self.cache
        found: set[int] = set()
        precision, limit = mention.precision, merge.day_window(mention.record)
        if precision >= 3 or lat is None or lon is None:
            if not country:
                return []
            missing = [b for b in buckets if (country, b) not in cache.loaded_country]
            if missing:
                self._load(missing, (), country, everything=True)
            for b in buckets:
                found.update(cache.by_country.get((country, b), ()))
        else:
            centre = merge.grid_cell(lat, lon) or 0
            cells = merge.cell_neighbourhood(centre, merge.RADIUS_KM[2])
            exact = limit <= 1
            by_cell = cache.wide_by_cell if exact else cache.by_cell
            for b in buckets:
                if (centre, b, country) not in cache.ready:
                    todo = [c for c in cells if (c, b) not in cache.loaded_cells]
                    country_todo = bool(country) and (country, b) not in \
                        cache.loaded_imprecise and (country, b) not in cache.loaded_country
                    if todo or country_todo:
                        self._load([b], todo, country if country_todo else None)
                    cache.ready.add((centre, b, country))
                if by_cell:  # (dict.get mapped over the keys: this loop ran a million times)
                    found.update(*filter(None, map(by_cell.get, [(c, b) for c in cells])))
                if country:
                    found.update(cache.imprecise.get((country, b), ()))
            if exact:  # events with exact dates match on the same or an adjacent day only
                today = mention.day.toordinal()  # type: ignore[union-attr]
                found.update(*filter(None, map(cache.exact_by_cell.get,
                                               [(c, today) for c in cells])))
        day = mention.day.toordinal()  # type: ignore[union-attr]
        located = lat is not None and lon is not None
        states = cache.states
        radius_km = merge.RADIUS_KM
        out = []
        for pk in sorted(found - exclude):
            state = states[pk]
            other = state.day
            if not (first <= other <= last  # type: ignore[operator]
                    and abs(other - day) <= max(limit, state.window)):  # type: ignore
                continue
            # Too far for compare's place check (the same distance, computed the same way),
            # or farther apart in latitude alone (a lower bound of the distance) by a margin.
            if located and state.lat is not None and state.lon is not None:
                radius = radius_km[max(precision, state.precision)]
                if abs(state.lat - lat) > radius * LATITUDE_PER_KM or \
                        merge.haversine_km(lat, lon, state.lat, state.lon) > radius:
                    continue
            out.append(state)
        return out

    def _load(self, buckets: list[int], cells: Iterable[int], country: str | None,
              everything: bool = False) -> None:
        """Read blocks of stored events into the cache (those not cached already): the cells'
        events, and the country's imprecise events (or all of them, ``everything``)."""
        cells = list(cells)
        cache = self.cache
        p = "?" if self.sqlite else "%s"
        queries: list[tuple[str, tuple[Any, ...]]] = []
        if cells:
            queries.append((IDS_CELLS.format(p=p, cells=", ".join([p] * len(cells))),
                            tuple(cells)))
        if country:
            queries.append(((IDS_COUNTRY if everything else IDS_IMPRECISE).format(p=p),
                            (country,)))
        missing: dict[int, None] = {}
        for bucket in buckets:
            first = date.fromordinal(bucket * BUCKET_DAYS)
            last = date.fromordinal(bucket * BUCKET_DAYS + BUCKET_DAYS - 1)
            days: tuple[Any, ...] = (first.isoformat(), last.isoformat()) if self.sqlite \
                else (first, last)
            for sql, params in queries:
                for (pk,) in self.connection.exec_driver_sql(sql, (*days, *params)):
                    if pk not in cache.states:
                        missing[pk] = None
            cache.loaded_cells.update((c, bucket) for c in cells)
            if country:
                (cache.loaded_country if everything else cache.loaded_imprecise).add(
                    (country, bucket))
        pks = list(missing)
        for at in range(0, len(pks), ROWS_AT_ONCE):
            chunk = pks[at:at + ROWS_AT_ONCE]
            rows = self.connection.exec_driver_sql(
                LOAD_ROWS.format(ids=", ".join([p] * len(chunk))), tuple(chunk)).all()
            for pk, event_id, record, words, day, *placed in rows:
                state = EventState(pk, event_id, loads(record), frozenset(loads(words) or ()),
                                   placed=(merge.parse_day(day), *placed))
                _set_block(state)
                cache.add(state)

    def _new_event(self, mention: merge.Mention, mention_pk: int) -> EventState:
        event_id = self._unique_event_id(mention.record.get("event_id") or "event")
        members = {mention_pk: mention}
        history: dict[str, list[merge.Figure]] = {}
        merged = merge.merge_mentions(event_id, [mention], history)
        state = EventState(self.ids.take(events), event_id, merged.record,
                           frozenset(rows.event_words(members.values())),
                           members=members, history=history, words_made=True,
                           figure_rows={}, merged=merged)
        _set_block(state)
        self.cache.add(state)
        self.cache.members += 1
        self.new_events[state.pk] = None
        return state

    def _join(self, state: EventState, mention_pk: int, mention: merge.Mention) -> None:
        if state.members is None:
            state.members = rows.event_members(self.connection, state.pk)
            self.cache.members += len(state.members)
            state.merged = None  # its record was read, not made here: made again in full
        state.members[mention_pk] = mention
        self.cache.members += 1
        members = list(state.members.values())
        state.history = {}
        words = state.words
        # Below the cap, words made here are all its mentions' words: only new ones change
        # them (words read from the database are made again, as a rebuild would).
        if not state.words_made or len(words) >= rows.MAX_WORDS \
                or not mention.words <= words:
            words = frozenset(rows.event_words(members))
            state.words_made = True
        # The new member is the last of ``members`` (dicts keep insertion order).
        merged = merge.merge_mentions(state.event_id, members, state.history) \
            if state.merged is None \
            else merge.merged_with(state.merged, state.event_id, members, state.history)
        state.merged = merged
        self.cache.update(state, merged.record, words)
        if state.pk not in self.new_events:
            self.dirty[state.pk] = None

    def _prefetch_event_ids(self, results: Iterable[DocumentResult]) -> None:
        wanted = {e.event_id or "event" for r in results for e in r.events} - self.checked
        if wanted:
            self.taken.update(column_in(self.connection,
                                        "SELECT event_id FROM events WHERE event_id",
                                        sorted(wanted)))
            self.checked.update(wanted)

    def _unique_event_id(self, event_id: str) -> str:
        candidate, n = event_id, 1
        while candidate in self.taken or (candidate not in self.checked and self.connection.execute(
                select(events.c.id).where(events.c.event_id == candidate)).first() is not None):
            n += 1
            candidate = f"{event_id}-{n}"
        self.taken.add(candidate)
        return candidate

    # --- writing ------------------------------------------------------------------------------

    def flush(self) -> None:
        """Write what the batch changed: reports, events, mentions, then the figures."""
        states = self.cache.states
        now = datetime.now(UTC).replace(tzinfo=None)
        figure_rows, flags = self._figure_changes()
        if self.sqlite:
            self._flush_sqlite(_timestamp(now), figure_rows, flags)
        else:
            self._insert(reports, self.report_rows)
            self._insert(events, [
                {"id": pk, "event_id": states[pk].event_id, **self._columns(states[pk], now)[0]}
                for pk in self.new_events])
            moved, kept = [], []
            for pk in self.dirty:
                columns, before = self._columns(states[pk], now)
                if before == states[pk].placed:
                    for name in PLACED:
                        del columns[name]
                    kept.append({"id": pk, **columns})
                else:
                    moved.append({"id": pk, **columns})
            self._update(events, moved)
            self._update(events, kept)
            self._insert(mentions, self.mention_rows)
            self._insert(figures, [
                {"id": figure_pk, "event_pk": pk, "mention_id": mention_pk, "kind": kind,
                 **dict(zip(("best", "low", "high", "qualifier", "civilians", "text",
                             "published"), stored, strict=True)), "is_update": flag}
                for figure_pk, pk, mention_pk, kind, stored, flag in figure_rows])
            self._update(figures, [{"id": figure_pk, "is_update": flag}
                                   for flag, figure_pk in flags])
        for pk in (*self.new_events, *self.dirty):
            states[pk].history = {}  # written; the next join reconciles the figures again
        self.report_rows, self.mention_rows = [], []
        self.new_events, self.dirty = {}, {}

    def _figure_changes(self) -> tuple[list[tuple[Any, ...]], list[tuple[bool, int]]]:
        """The figure rows to add (id, event, mention, kind, Figure.stored, is_update) and the
        update flags to change (is_update, id) for the events the batch made or joined.

        Rebuilding an event's figures wrote every row again on each join (most of a commit's
        pages); a mention's figures never change while it belongs to its event, so only new
        members' rows are added, in member order (figure ids keep following mention ids within
        an event), and only the flags that reconciling turned are updated.
        """
        states = self.cache.states
        unknown = [pk for pk in self.dirty if states[pk].figure_rows is None]
        if unknown:
            self._read_figures(unknown)
        rows: list[tuple[Any, ...]] = []
        flags: list[tuple[bool, int]] = []
        take = self.ids.take
        for pk in (*self.new_events, *self.dirty):
            state = states[pk]
            members = state.members or {}
            history = state.history
            written = state.figure_rows
            assert written is not None
            for kind in FIGURE_KINDS:
                listed = history.get(kind)
                if listed is None:
                    listed = merge.figures(list(members.values()), kind)
                    merge.reconcile(listed)  # sets the update flags
                for mention_pk, figure in zip(members, listed, strict=True):
                    stored = figure.stored
                    if stored is None:
                        continue
                    flag = figure.update
                    row = written.get((mention_pk, kind))
                    if row is None:
                        figure_pk = take(figures)
                        written[mention_pk, kind] = [figure_pk, flag]
                        rows.append((figure_pk, pk, mention_pk, kind, stored, flag))
                    elif row[1] != flag:
                        row[1] = flag
                        flags.append((flag, row[0]))
        return rows, flags

    def _read_figures(self, pks: list[int]) -> None:
        """The stored figure rows of events read from the database (see figure_rows)."""
        states = self.cache.states
        p = "?" if self.sqlite else "%s"
        for pk in pks:
            states[pk].figure_rows = {}
        for at in range(0, len(pks), ROWS_AT_ONCE):
            chunk = pks[at:at + ROWS_AT_ONCE]
            for figure_pk, event_pk, mention_pk, kind, flag in self.connection.exec_driver_sql(
                    LOAD_FIGURES.format(ids=", ".join([p] * len(chunk))), tuple(chunk)):
                states[event_pk].figure_rows[mention_pk, kind] = [  # type: ignore[index]
                    figure_pk, bool(flag)]

    def _flush_sqlite(self, stamp: str, figure_rows: list[tuple[Any, ...]],
                      flags: list[tuple[bool, int]]) -> None:
        """``flush`` with rows built as the driver takes them (the values SQLAlchemy's SQLite
        dialect stores: JSON text, ISO dates and timestamps, 0/1), without the dicts."""
        execute, states = self.connection.exec_driver_sql, self.cache.states
        if self.report_rows:
            execute(REPORT_INSERT, self.report_rows)
        if self.new_events:
            rows = []
            for pk in self.new_events:
                state = states[pk]
                rows.append((pk, state.event_id, *self._sqlite_event(state, stamp)))
            execute(EVENT_INSERT, rows)
        moved, kept = [], []
        for pk in self.dirty:
            state = states[pk]
            before = state.placed
            values = self._sqlite_event(state, stamp)
            if before == state.placed:
                kept.append((*[values[i] for i in KEPT_AT], pk))
            else:
                moved.append((*values, pk))
        if moved:
            execute(EVENT_UPDATE_MOVED, moved)
        if kept:
            execute(EVENT_UPDATE_KEPT, kept)
        if self.mention_rows:
            execute(MENTION_INSERT, self.mention_rows)
        if figure_rows:
            rows = []
            for figure_pk, pk, mention_pk, kind, stored, flag in figure_rows:
                published = stored[6]
                rows.append((figure_pk, pk, mention_pk, kind, *stored[:6],
                             date.isoformat(published) if published is not None else None,
                             int(flag)))
            execute(FIGURE_INSERT, rows)
        if flags:
            execute(FIGURE_FLAG, [(int(flag), figure_pk) for flag, figure_pk in flags])

    def _sqlite_event(self, state: EventState, stamp: str) -> tuple[Any, ...]:
        """The event's row (EVENT_COLUMNS) as SQLite stores it; sets ``state.placed``."""
        if state.words_text is None:
            state.words_text = dumps(sorted(state.words))
        values = rows.event_values(state.record, (), UNUSED_TIME)
        day = values[0]
        state.placed = tuple(values[i] for i in PLACED_AT)
        return (date.isoformat(day) if day is not None else None, *values[1:13],
                state.words_text, dumps(state.record), stamp)

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """PostgreSQL (SQLite's rows go in through _flush_sqlite)."""
        if rows:
            self.connection.execute(insert(table), rows)

    def _update(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Rows by ``id``, every row giving the same columns (PostgreSQL, as _insert)."""
        if rows:
            self.connection.execute(update(table).where(table.c.id == bindparam("pk")),
                                    [{"pk": row.pop("id"), **row} for row in rows])

    def _columns(self, state: EventState, now: datetime
                 ) -> tuple[dict[str, Any], tuple[Any, ...] | None]:
        """The event's row, and its indexed columns as the database had them before."""
        columns = rows.event_columns(state.record, sorted(state.words), now)
        before, state.placed = state.placed, tuple(columns[name] for name in PLACED)
        return columns, before


def _timestamp(value: Any) -> str:
    """As SQLAlchemy stores a DateTime in SQLite ("%Y-%m-%d %H:%M:%S.%f"), but faster."""
    if type(value) is datetime and value.tzinfo is None and value.year >= 1000:
        return value.isoformat(" ", "microseconds")
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def column_in(connection: Connection, query: str, values: list[Any]) -> set[Any]:
    """The first column of ``query`` + `` IN (values)``, run with driver SQL (SQLAlchemy's
    expanding IN, rendered again on every execution, cost more than these lookups)."""
    p = "?" if connection.dialect.name == "sqlite" else "%s"
    found: set[Any] = set()
    for at in range(0, len(values), VALUES_AT_ONCE):
        chunk = tuple(values[at:at + VALUES_AT_ONCE])
        found.update(row[0] for row in connection.exec_driver_sql(
            f"{query} IN ({', '.join([p] * len(chunk))})", chunk))
    return found


def version_key(report: Report) -> tuple[str, str]:
    """Which stored report a report replaces: the same URL, else the same id without a URL."""
    return ("url", report.url) if report.url else ("id", report.id)


def expired(cache: EventCache) -> bool:
    return cache.size > MAX_CACHED
