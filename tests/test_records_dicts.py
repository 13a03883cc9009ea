"""Flat records (counts, locations, sources, places) become dicts field by field, without
``dataclasses.asdict``'s deep copy, and give exactly what it gave."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from sitrep.records import (
    Actor,
    Claim,
    Count,
    DocumentResult,
    ErrorInfo,
    Event,
    Location,
    Place,
    Plover,
    Source,
)


def strike(event_id: str, **kw) -> Event:
    base = dict(
        event_id=event_id, event_date="2024-05-10", date_start="2024-05-09",
        date_end="2024-05-10", time_precision=1, disorder_type="Political violence",
        event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
        plover=Plover("ASSAULT", "aerial", ["military"]),
        actor1=Actor("Military Forces of Russia (2000-)", 8, "RU"),
        actor2=Actor("Civilians (Ukraine)", 7, "UA"), assoc_actor_1=["Air Force"],
        interaction=87, civilian_targeting=True, weapons=["drone", "missile"],
        targets=["apartment block"],
        location=Location("Odesa", 698740, 46.48, 30.73, "Ukraine", "UA", "Odesa Oblast",
                          None, 1, 1),
        fatalities=Count(8, 8, 10, "range", 3, "eight to ten killed"),
        injuries=Count(None, None, None, "unknown", None, "many wounded"),
        notes="Drone strike on Odesa port; “eight” dead — café hit.",
        sources=[Source("r1", "Sea Monitor", "https://sea.example/1", "2024-05-10"),
                 Source("r2", None, None, None)],
        evidence={"trigger": [(10, 15)], "fatalities": [(30, 41), (50, 52)]},
        confidence=0.87654)
    base.update(kw)
    return Event(**base)


RESULTS = [
    DocumentResult("wire-1", date(2024, 5, 10), [strike("wire-1-e1")], text="..."),
    DocumentResult("local-2", None, [strike("local-2-e1", actor1=None, actor2=None,
                                            location=Location(), sources=[], evidence={},
                                            fatalities=Count.none()),
                                     strike("local-2-e2", plover=Plover("PROTEST"))]),
    DocumentResult(
        "ngo-3", date(2023, 3, 22), [strike("ngo-3-e1", fatalities=Count(5, 5, 5, "at_least"))],
        claims=[Claim("the ministry", "deny", "It denied the strike.", (3, 20),
                      Actor("Government of Ukraine", 1, "UA"), "statement", ["ngo-3-e1"])],
        places=[Place(0, 5, "Odesa", "Odesa", 698740, 46.48, 30.73, "UA", "18", "PPLA", 0.9),
                Place(7, 12, "Gao", None)],
        counts={"killed": [{"best": 5}]}),
    DocumentResult("broken-4", date(2024, 1, 1), error=ErrorInfo("E002", "empty text")),
    DocumentResult("odd-5", date(2024, 1, 2), [strike("odd-5-e1", location=Location(
        "Łódź \ud800", None, 51.76, 19.46, "Poland", "PL", admin1=None, geo_precision=2))]),
]


def _reference(result: DocumentResult) -> dict:
    """The codebook dict built with ``dataclasses.asdict`` for every flat record: what
    ``to_dict`` gave before it read flat records field by field."""
    out = result.to_dict()
    for record, event in zip(out["events"], result.events, strict=True):
        for name in ("location", "fatalities", "injuries"):
            record[name] = dataclasses.asdict(getattr(event, name))
        record["sources"] = [dataclasses.asdict(s) for s in event.sources]
    out["places"] = [dataclasses.asdict(p) for p in result.places]
    return out


@pytest.mark.parametrize("result", RESULTS, ids=[r.id for r in RESULTS])
def test_records_document_dict_same_as_asdict(result):
    fast = result.to_dict()
    assert fast == _reference(result)
    assert json.dumps(fast) == json.dumps(_reference(result))


@pytest.mark.parametrize("event", [e for r in RESULTS for e in r.events],
                         ids=lambda e: e.event_id)
def test_records_flat_dicts_keep_field_order(event):
    for record in (event.location, event.fatalities, event.injuries, *event.sources):
        assert list(record.to_dict().items()) == list(dataclasses.asdict(record).items())


def test_records_flat_dict_is_a_copy():
    """Changing the dict leaves the record as it was."""
    count = Count(3, 3, 4, "range", None, "three or four")
    out = count.to_dict()
    out["best"] = 99
    assert count.best == 3 and count.to_dict()["best"] == 3


@pytest.mark.parametrize("value", [
    RESULTS[0].to_dict(), RESULTS[4].to_dict(), {"text": "Łódź “quoted” café"},
    {"lone": "\udc80 surrogate"}, ["a", 1, 2.5, None, True, {"k": []}], "plain", 3, None,
])
def test_records_db_dumps_same_as_json_dumps(value):
    """The store's shared encoders write what ``json.dumps`` writes: UTF-8 text, escaped only
    where UTF-8 cannot hold it."""
    from sitrep.store.db import dumps

    try:
        expected = json.dumps(value, ensure_ascii=False)
        expected.encode("utf-8")
    except UnicodeEncodeError:
        expected = json.dumps(value)
    assert dumps(value) == expected
