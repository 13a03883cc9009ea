"""Analyst corrections: stored beside the machine coding, used by queries, kept on re-merge."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "store"))
from fixtures import BACKENDS, db_url, load  # noqa: E402

from sitrep.records import Report  # noqa: E402
from sitrep.store import corrections, ingest, open_store, query_events, why  # noqa: E402
from sitrep.store.errors import StoreError  # noqa: E402

stubs = load("stubs")


def strike(rid: str, killed: int, day: str = "2024-05-01", place: str = "Kharkiv"):
    report = Report(rid, f"Missile strike on {place}: {killed} killed.", date.fromisoformat(day),
                    f"Outlet {rid}", f"https://news.example/{rid}")
    return report, [stubs.event(rid, place=place, day=day, kind="missile", killed=killed,
                                killed_text=f"{killed} killed", text=report.text)]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    s = open_store(db_url(request.param, tmp_path))
    yield s
    s.dispose()


def put(store, *items) -> None:
    table = {r.id: events for r, events in items}
    ingest(store, [r for r, _ in items], extractor=stubs.table_extractor(table))


def only(store, **filters):
    found = list(query_events(store, **filters))
    assert len(found) == 1, found
    return found[0]


def test_store_corrections_field_kept_beside_machine_value(store):
    put(store, strike("a", 8))
    event = only(store)
    row = corrections.correct(store, event["event_id"], "fatalities", 9, author="ana",
                              note="hospital list", expected_version=0)
    assert row["before"] == 8 and row["version"] == 1
    corrected = only(store)
    assert corrected["fatalities"]["best"] == 9 and corrected["corrected"] is True
    assert corrected["corrected_fields"]["fatalities"]["machine_value"] == 8
    assert only(store, min_fatalities=9)["event_id"] == event["event_id"]
    assert corrections.machine_record(corrected)["fatalities"]["best"] == 8


def test_store_corrections_survive_remerge(store):
    put(store, strike("a", 8))
    event_id = only(store)["event_id"]
    corrections.correct(store, event_id, "event_type", "Battles", author="ana")
    put(store, strike("b", 10))  # joins the event and rewrites it
    event = only(store)
    assert len(event["sources"]) == 2
    assert event["event_type"] == "Battles"
    assert event["corrected_fields"]["event_type"]["machine_value"] == \
        "Explosions/Remote violence"


def test_store_corrections_conflict_and_bad_input(store):
    put(store, strike("a", 8))
    event_id = only(store)["event_id"]
    corrections.correct(store, event_id, "fatalities", 9, author="ana", expected_version=0)
    with pytest.raises(StoreError) as caught:
        corrections.correct(store, event_id, "fatalities", 10, author="bo", expected_version=0)
    assert caught.value.code == "S012"
    with pytest.raises(StoreError) as caught:
        corrections.correct(store, event_id, "colour", "red", author="bo")
    assert caught.value.code == "S010"
    with pytest.raises(StoreError) as caught:
        corrections.correct(store, event_id, "fatalities", -1, author="bo")
    assert caught.value.code == "S011"
    with pytest.raises(StoreError) as caught:
        corrections.correct(store, "nope", "fatalities", 1, author="bo")
    assert caught.value.code == "S007"
    assert only(store)["fatalities"]["best"] == 9
    assert [c["version"] for c in corrections.history(store, event_id)] == [1]


def test_store_corrections_not_event_split_merge(store):
    put(store, strike("a", 8), strike("b", 9))
    event = only(store)
    assert len(event["sources"]) == 2
    split = corrections.correct(store, event["event_id"], "split", {"document_id": "b"},
                                author="ana", note="different strike")
    assert len(list(query_events(store))) == 2
    new_id = split["value"]["event_id"]
    assert [s["document_id"] for s in why(store, new_id)["event"]["sources"]] == ["b"]
    put(store, strike("c", 9))  # a new report merging in does not undo the split
    assert [len(e["sources"]) for e in query_events(store)].count(1) >= 1
    assert "b" not in [s["document_id"] for s in why(store, event["event_id"])["event"]
                       ["sources"]]
    corrections.correct(store, new_id, "merge", {"into": event["event_id"]}, author="ana")
    merged = only(store)
    assert {s["document_id"] for s in merged["sources"]} == {"a", "b", "c"}
    corrections.correct(store, merged["event_id"], "not_event", True, author="ana")
    assert list(query_events(store)) == []
    assert len(list(query_events(store, not_events=True))) == 1
    exported = list(corrections.export(store))
    assert [r["field"] for r in exported] == ["split", "merge", "not_event"]


def test_store_corrections_of_two_fields_keep_both_machine_values(store):
    put(store, strike("a", 8))
    event_id = only(store)["event_id"]
    corrections.correct(store, event_id, "location", {"name": "Kharkiv centre", "lat": 49.99,
                                                      "lon": 36.25}, author="ana")
    corrections.correct(store, event_id, "fatalities", 9, author="ana")
    put(store, strike("b", 8))  # a merge rewrites the event
    event = only(store)
    assert len(event["sources"]) == 2
    assert event["location"]["name"] == "Kharkiv centre" and event["fatalities"]["best"] == 9
    machine = corrections.machine_record(event)
    assert machine["location"]["name"] == "Kharkiv" and machine["fatalities"]["best"] == 8
    assert only(store, bbox=(36.24, 49.98, 36.26, 49.992))["event_id"] == event_id
