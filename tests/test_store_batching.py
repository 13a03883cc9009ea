"""Batched ingest: the same events, reasons and figures as storing reports one call at a time;
other writers seen between batches; duplicates, replacements and failures inside a batch."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "store"))
from fixtures import BACKENDS, GAO_CLASH, db_url, load  # noqa: E402

from sitrep.records import Report  # noqa: E402
from sitrep.store import StoreError, counts, ingest, open_store, query_events, why  # noqa: E402
from sitrep.store import errors as store_errors  # noqa: E402
from sitrep.store.db import Store  # noqa: E402
from sitrep.store.query import query_event_texts  # noqa: E402

stubs = load("stubs")
ev = stubs.event

# (report id, published, source, text, [event kwargs]) - outlets covering strikes, look-alikes
# and a toll that changes over three days.
STORIES = {
    "kharkiv-toll": [
        ("a", "2024-05-10", "Northwire", "Missile hits Kharkiv apartment block, eight killed.",
         [dict(killed=8, targets=["apartment block"])]),
        ("b", "2024-05-10", "Kharkiv Today", "Ten dead in Kharkiv missile strike on flats.",
         [dict(killed=10, targets=["flats"])]),
        ("c", "2024-05-11", "Northwire", "The death toll from the Kharkiv missile strike rose "
         "to nine.", [dict(killed=9, killed_text="rose to nine", day="2024-05-10")]),
    ],
    "two-cities-two-days": [
        ("a", "2024-05-10", "Northwire", "Drone strike on Odesa port; missile hits Kharkiv.",
         [dict(place="Odesa", kind="drone", killed=2, targets=["port"]),
          dict(killed=3, targets=["hospital"])]),
        ("b", "2024-05-11", "Sea Monitor", "Drone attack on the port of Odesa.",
         [dict(place="Odesa", kind="drone", day="2024-05-10", killed=2, targets=["port"],
               offset=(0.03, 0.02))]),
        ("c", "2024-05-11", "Kharkiv Today", "Hospital in Kharkiv hit by a missile.",
         [dict(killed=4, targets=["hospital"], day="2024-05-10")]),
        ("d", "2024-05-12", "Kharkiv Today", "Missile strike on Kharkiv power station.",
         [dict(killed=0, targets=["power station"], day="2024-05-12")]),
    ],
    # Two of three outlets date it a day later, so the event moves to 11 May; a report of
    # 12 May then finds it only in its new day's block.
    "date-moves": [
        ("a", "2024-05-10", "Northwire", "Missile strike on a Kharkiv hospital.",
         [dict(killed=2, targets=["hospital"])]),
        ("b", "2024-05-11", "Kharkiv Today", "Hospital in Kharkiv struck by a missile.",
         [dict(killed=3, targets=["hospital"])]),
        ("c", "2024-05-11", "Sea Monitor", "A missile hit a Kharkiv clinic overnight.",
         [dict(killed=3, targets=["clinic"])]),
        ("d", "2024-05-12", "Northwire", "The toll of the Kharkiv hospital strike rose to 4.",
         [dict(killed=4, killed_text="rose to 4", targets=["hospital"])]),
    ],
    "sahel-regions": [
        *GAO_CLASH,
        ("c", "2024-05-12", "Sahel Wire", "Protest in Gao over the clashes.",
         [dict(place="Gao", kind="protest", actor="Protesters (Mali)", actor_country="ML",
               day="2024-05-12")]),
    ],
}


def prepared(items):
    table, reports = {}, []
    for rid, published, source, text, specs in items:
        reports.append(Report(rid, text, date.fromisoformat(published), source,
                              f"https://{source.lower().replace(' ', '')}.example/{rid}"))
        table[rid] = [ev(rid, n, text=text, **{"day": published, **spec})
                      for n, spec in enumerate(specs)]
    return reports, stubs.table_extractor(table)


def snapshot(store) -> list:
    """Everything a user sees: records, and why's reports, reasons and figure history."""
    out = []
    for record in query_events(store):
        explanation = why(store, record["event_id"])
        out.append((record, [(r["document_id"], r["how"]) for r in explanation["reports"]],
                    explanation["figures"]))
    return out


@pytest.fixture(params=BACKENDS)
def url(request, tmp_path):
    return db_url(request.param, tmp_path)


@pytest.mark.parametrize("story", list(STORIES))
def test_store_batching_same_as_one_report_at_a_time(story, url, tmp_path):
    reports, extractor = prepared(STORIES[story])
    batched = open_store(url)
    ingest(batched, reports, extractor=extractor)
    together = snapshot(batched)
    batched.dispose()
    one = open_store(str(tmp_path / "one.db"))
    for report in reports:
        ingest(one, [report], extractor=extractor)
    assert together == snapshot(one)


def test_store_batching_sees_other_writers_between_batches(url, monkeypatch):
    """Another writer stores a report between two batches of one long ingest: the events
    this ingest cached are read again, so the third report joins the event of all three."""
    from sitrep.store import ingest as ingest_module

    monkeypatch.setattr(sys.modules["sitrep.store.ingest"], "BATCH_REPORTS", 1)
    reports, extractor = prepared(STORIES["kharkiv-toll"])
    first, second = open_store(url), Store(url)

    def interleaved(items):
        for n, result in enumerate(extractor(items)):
            if n == 1:  # the first report's batch is written: another process writes now
                ingest_module(second, reports[1:2], extractor=extractor)
            yield result

    stats = ingest_module(first, [reports[0], reports[2]], extractor=interleaved)
    assert stats.joined == 1
    [event] = query_events(first)
    assert [s["document_id"] for s in event["sources"]] == ["a", "b", "c"]
    assert event["fatalities"]["best"] == 9
    assert counts(first)["figures"] == 3
    second.dispose()
    first.dispose()


@pytest.mark.parametrize("story", list(STORIES))
def test_store_batching_duplicates_in_one_input_stored_once(story, url):
    reports, extractor = prepared(STORIES[story])
    store = open_store(url)
    stats = ingest(store, reports + reports[:2], extractor=extractor)
    assert (stats.stored, stats.unchanged) == (len(reports), 2)
    assert counts(store)["reports"] == len(reports)
    store.dispose()


def test_store_batching_replacement_inside_one_batch(url):
    store = open_store(url)
    old = Report("r1", "Kharkiv; 4 killed; missile\nFirst version.", date(2024, 5, 10), "Wire",
                 "https://wire.example/story")
    new = Report("r1", "Kharkiv; 6 killed; missile\nCorrected.", date(2024, 5, 10), "Wire",
                 "https://wire.example/story")
    # Two versions in one input: the second is refused (E014), not a replacement that a rerun
    # would undo and redo (issue 14); the corrected version replaces in a run of its own.
    stats = ingest(store, [old, new], extractor=stubs.stub_extractor)
    assert (stats.stored, stats.replaced, stats.failed) == (1, 0, 1)
    assert stats.errors[0][1] == "E014"
    assert ingest(store, [old, new], extractor=stubs.stub_extractor).stored == 0
    stats = ingest(store, [new], extractor=stubs.stub_extractor)
    assert (stats.stored, stats.replaced) == (1, 1)
    assert counts(store)["reports"] == 1 and counts(store)["mentions"] == 1
    [event] = query_events(store)
    assert event["fatalities"]["best"] == 6
    store.dispose()


def test_store_batching_failure_keeps_the_reports_before_it(tmp_path):
    path = tmp_path / "full.db"
    small = Store(str(path))
    ingest(small, [Report("r0", "Odesa; 1 killed; drone\n", date(2024, 5, 9), "Wire")],
           extractor=stubs.stub_extractor)
    small.dispose()
    import sqlite3

    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    store = Store(str(path), sqlite_pragmas={"max_page_count": pages + 3})
    batch = [Report("r1", "Kharkiv; 2 killed; missile\nShort.", date(2024, 5, 10), "Wire"),
             Report("r2", "Kharkiv; 3 killed; missile\n" + "x" * 300_000, date(2024, 5, 10),
                    "Wire")]
    with pytest.raises(StoreError) as info:
        ingest(store, batch, extractor=stubs.stub_extractor)
    assert info.value.code == store_errors.DB_FULL
    store.dispose()
    after = counts(open_store(str(path)))
    assert after["reports"] == 2 and after["mentions"] == 2


@pytest.mark.parametrize("place,name", [("Kharkiv", "Харків"), ("Aleppo", "حلب"),
                                        ("Gao", "Gao – Tombouctou")])
def test_store_batching_texts_are_the_records(place, name, url):
    store = open_store(url)
    event = ev("r1", place=place, killed=2)
    event.location.name = name
    report = Report("r1", f"{place} strike", date(2024, 5, 10), "Wire")
    ingest(store, [report], extractor=stubs.table_extractor({"r1": [event]}))
    [text] = query_event_texts(store)
    assert json.loads(text) == next(iter(query_events(store)))
    assert name in text  # printed as UTF-8, not \\u escapes
    store.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("start", ["0001", "0002"])
def test_store_batching_older_schema_gets_the_blocking_index(backend, start, tmp_path):
    from sqlalchemy import create_engine, inspect

    from sitrep.store.bulk import IDS_IMPRECISE
    from sitrep.store.db import head_revision, migrate, resolve_url

    url = resolve_url(db_url(backend, tmp_path))
    engine = create_engine(url)
    with engine.begin() as connection:
        migrate(connection, start)
    engine.dispose()
    store = open_store(url)
    assert store.revision() == head_revision()
    with store.read() as connection:
        names = {ix["name"] for ix in inspect(connection).get_indexes("events")}
        assert "ix_events_imprecise" in names
        if backend == "sqlite":
            plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + IDS_IMPRECISE.format(
                p="?"), ("2024-05-01", "2024-05-16", "UA")).all()
            assert "ix_events_imprecise" in str(plan)
    store.dispose()


# The region-level report first, the town-level one later: the merged event moves to the town.
MOVES = [GAO_CLASH[1], (GAO_CLASH[0][0], "2024-05-11", *GAO_CLASH[0][2:])]


def row_columns(store) -> list[tuple]:
    """Each stored event's indexed columns, and the same computed from its record."""
    from sqlalchemy import select

    from sitrep.store.bulk import PLACED
    from sitrep.store.models import events
    from sitrep.store.rows import event_columns

    out = []
    with store.read() as connection:
        for row in connection.execute(select(events)).mappings():
            expected = event_columns(row["record"], row["words"])
            out.append((tuple(row[n] for n in PLACED), tuple(expected[n] for n in PLACED),
                        row["n_sources"], expected["n_sources"]))
    return out


@pytest.mark.parametrize("story", [*STORIES, "moves"])
@pytest.mark.parametrize("how", ["one-batch", "batch-per-report", "ingest-per-report"])
def test_store_batching_event_columns_follow_the_record(story, how, url, monkeypatch):
    """A join rewrites the indexed columns only when they change: they always match the
    merged record, whether the event was cached by this ingest or read from the database."""
    reports, extractor = prepared(MOVES if story == "moves" else STORIES[story])
    store = open_store(url)
    if how == "batch-per-report":
        monkeypatch.setattr(sys.modules["sitrep.store.ingest"], "BATCH_REPORTS", 1)
    if how == "ingest-per-report":
        for report in reports:
            ingest(store, [report], extractor=extractor)
    else:
        ingest(store, reports, extractor=extractor)
    rows = row_columns(store)
    assert rows and all(stored == expected and n == m for stored, expected, n, m in rows)
    if story == "moves":
        [event] = query_events(store)
        assert len(event["sources"]) == 2 and event["location"]["geo_precision"] == 2
    store.dispose()


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("story", ["kharkiv-toll", "date-moves"])
def test_store_batching_collector_state_restored(story, enabled, url, monkeypatch):
    """The collector is off while merging and back as the caller had it afterwards, also
    when an ingest of several batches fails half way."""
    import gc

    monkeypatch.setattr(sys.modules["sitrep.store.ingest"], "BATCH_REPORTS", 1)
    reports, extractor = prepared(STORIES[story])
    seen = []

    def watched(items):
        for result in extractor(items):
            seen.append(gc.isenabled())
            yield result

    def failing(items):
        for n, result in enumerate(watched(items)):
            if n == 2:
                raise RuntimeError("extraction failed")
            yield result

    store = open_store(url)
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(RuntimeError):
            ingest(store, reports, extractor=failing)
        assert gc.isenabled() == enabled
        assert counts(store)["reports"] == 2  # the batches before the failure are kept
        ingest(store, reports, extractor=watched)
        assert gc.isenabled() == enabled and seen and not any(seen)
    finally:
        gc.enable()
    assert counts(store)["reports"] == len(reports)
    store.dispose()


def stored_rows(store) -> tuple[list, list]:
    """The events and figures as stored (without figure ids and update times)."""
    with store.read() as connection:
        events = connection.exec_driver_sql(
            "SELECT id, event_id, event_date, disorder_type, event_type, sub_event_type, "
            "plover_event, country_code, actors, lat, lon, geo_precision, cell, fatalities, "
            "n_sources, words, record FROM events ORDER BY id").all()
        figures = connection.exec_driver_sql(
            "SELECT event_pk, mention_id, kind, best, low, high, qualifier, civilians, text, "
            "published, is_update FROM figures ORDER BY event_pk, mention_id, kind").all()
    return [tuple(r) for r in events], [tuple(r) for r in figures]


@pytest.mark.parametrize("story", [*STORIES, "moves"])
@pytest.mark.parametrize("batch", [1, 256])
def test_store_batching_rows_as_a_rebuild_writes_them(story, batch, url, monkeypatch):
    """The rows a batch writes (on SQLite built for the driver, words kept from join to join)
    are those that rebuilding each event from its stored mentions writes through SQLAlchemy."""
    from sqlalchemy import select

    from sitrep.store.models import events
    from sitrep.store.rows import refresh_event

    monkeypatch.setattr(sys.modules["sitrep.store.ingest"], "BATCH_REPORTS", batch)
    reports, extractor = prepared(MOVES if story == "moves" else STORIES[story])
    store = open_store(url)
    ingest(store, reports, extractor=extractor)
    batched = stored_rows(store)
    with store.write() as connection:
        for pk, event_id in connection.execute(select(events.c.id, events.c.event_id)).all():
            refresh_event(connection, pk, event_id)
    assert batched[0] and batched[1]
    assert stored_rows(store) == batched
    store.dispose()


def figure_rows_by_mention(store) -> dict[tuple[int, str], tuple[int, int, bool]]:
    """(mention id, kind) -> (figure row id, event, is_update)."""
    with store.read() as connection:
        rows = connection.exec_driver_sql(
            "SELECT mention_id, kind, id, event_pk, is_update FROM figures").all()
    return {(m, kind): (pk, event, bool(flag)) for m, kind, pk, event, flag in rows}


@pytest.mark.parametrize("split", [1, 2])
def test_store_batching_joins_keep_figure_rows(split, url):
    """A join adds its report's figure rows and rewrites only the update flags reconciling
    changed: the rows stored before keep their ids, also when a later ingest reads the event
    back from the database, and an event's ids follow its mentions' order (``why``)."""
    # Another event's figures stored in between: the event's rows are not the last ones.
    gao = [("z", *GAO_CLASH[0][1:])]
    reports, extractor = prepared(STORIES["kharkiv-toll"][:split] + gao
                                  + STORIES["kharkiv-toll"][split:])
    store = open_store(url)
    ingest(store, reports[:split + 1], extractor=extractor)
    before = figure_rows_by_mention(store)
    ingest(store, reports[split + 1:], extractor=extractor)
    after = figure_rows_by_mention(store)
    assert len(after) > len(before) > 0
    assert all(after[key][:2] == row[:2] for key, row in before.items())
    by_event: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for (mention, kind), (pk, event, _) in after.items():
        by_event.setdefault((event, kind), []).append((pk, mention))
    for rows in by_event.values():
        assert [m for _, m in sorted(rows)] == sorted(m for _, m in rows)
    # The later report that says the toll rose is an update; the first report never is.
    kharkiv = after[min(after)][1]
    flags = [row[2] for key, row in sorted(after.items())
             if key[1] == "fatalities" and row[1] == kharkiv]
    assert flags[-1] and not flags[0]
    store.dispose()
