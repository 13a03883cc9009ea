"""The store's fast document encoder gives exactly ``DocumentResult.to_dict`` (and its JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass
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
from sitrep.store import encode


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


@dataclass
class Extra:
    """A value that is not a scalar, inside a flat record: the encoder must copy it too."""

    tags: list[str]


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


@pytest.mark.parametrize("result", RESULTS, ids=[r.id for r in RESULTS])
def test_store_encode_same_as_to_dict(result):
    fast = encode.document_dict(result)
    assert fast == result.to_dict()
    assert json.dumps(fast) == json.dumps(result.to_dict())


@pytest.mark.parametrize("event", [e for r in RESULTS for e in r.events],
                         ids=lambda e: e.event_id)
def test_store_encode_event_same_as_to_dict(event):
    assert list(encode.event_dict(event).items()) == list(event.to_dict().items())


def test_store_encode_copies_what_is_not_a_scalar():
    """A flat record holding a list falls back to asdict: the dict owns its own copy."""
    extra = Extra(["a", "b"])
    out = encode.flat_dict(extra)
    extra.tags.append("c")
    assert out == {"tags": ["a", "b"]}


@pytest.mark.parametrize("value", [
    RESULTS[0].to_dict(), RESULTS[4].to_dict(), {"text": "Łódź “quoted” café"},
    {"lone": "\udc80 surrogate"}, ["a", 1, 2.5, None, True, {"k": []}], "plain", 3, None,
])
def test_store_encode_json_text_same_as_db_dumps(value):
    from sitrep.store.db import dumps

    assert encode.json_text(value) == dumps(value)
