"""The JSON Schema is generated from sitrep.records, checked in, and real output satisfies it."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from sitrep import errors, schema
from sitrep.api import extract, extract_batch
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


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema.load())


def _full_result() -> DocumentResult:
    event = Event(
        event_id="ev-1", event_date="2024-01-02", date_start="2024-01-02", date_end="2024-01-02",
        time_precision=1, disorder_type="Political violence",
        event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
        plover=Plover("ASSAULT", "aerial", ["military"]),
        actor1=Actor("Military Forces of Testland", 1, "TL"), actor2=Actor("Civilians", 7, None),
        location=Location("Town", 1, 50.0, 30.0, "Testland", "TL", "Region", "District", 1, 1),
        fatalities=Count(3, 3, None, "at_least", 2, "at least three"),
        sources=[Source("doc-1", "Wire", None, "2024-01-02")],
        evidence={"trigger": [(0, 5)]}, confidence=0.8,
    )
    claim = Claim("the army", "deny", "The army denied it.", (10, 29), Actor("Army", 1, "TL"),
                  "statement", ["ev-1"])
    place = Place(0, 4, "Town", "Town", 1, 50.0, 30.0, "TL", "Region", "PPL", 0.9)
    return DocumentResult("doc-1", None, [event], [claim], [place], None, "text",
                          {"killed": 3})


def test_schema_checked_in_file_is_generated() -> None:
    assert schema.SCHEMA_PATH.read_text(encoding="utf-8") == schema.render(), (
        "sitrep/data/document.schema.json is stale: run `make schema`")


def test_schema_matches_to_dict_keys() -> None:
    """Every key to_dict writes has a property, and every required property is written."""
    result = _full_result().to_dict()
    root = schema.document_schema()
    assert set(result) == set(root["properties"])
    defs = root["$defs"]
    samples = {"Event": result["events"][0], "Claim": result["claims"][0],
               "Place": result["places"][0], "Location": result["events"][0]["location"],
               "Count": result["events"][0]["fatalities"], "Actor": result["events"][0]["actor1"],
               "Plover": result["events"][0]["plover"], "Source": result["events"][0]["sources"][0]}
    for name, sample in samples.items():
        assert set(sample) == set(defs[name]["properties"]), name


def test_schema_accepts_a_full_result() -> None:
    _validator().validate(_full_result().to_dict())


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("events", 0, "sub_event_type"), "Drone strike"),
        (("events", 0, "plover", "event"), "ATTACK"),
        (("events", 0, "fatalities", "qualifier"), "roughly"),
        (("events", 0, "event_date"), "22/03/2023"),
        (("events", 0, "confidence"), 1.5),
        (("claims", 0, "stance"), "agree"),
        (("events", 0, "evidence", "trigger", 0), [1, 2, 3]),
        (("error",), {"code": "E001"}),
        (("unexpected",), 1),
    ],
)
def test_schema_rejects_off_contract_values(path, value) -> None:
    result = copy.deepcopy(_full_result().to_dict())
    target = result
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        _validator().validate(result)


def test_schema_validates_real_extract_output(pipeline, sample_text) -> None:
    result = extract(sample_text, "2023-03-22", pipeline=pipeline).to_dict()
    _validator().validate(json.loads(json.dumps(result)))


@pytest.mark.parametrize(
    "item",
    [
        {"id": "empty", "text": "   "},
        {"id": "binary", "text": "\x00\x01\x02 data"},
        {"id": "bad-date", "text": "Fighting resumed.", "published": "2023-02-30"},
        {"text": 5},
        errors.error(errors.BAD_JSON, report_id="line-9", line=9, detail="Expecting value"),
    ],
)
def test_schema_validates_error_results(pipeline, item) -> None:
    (result,) = list(extract_batch([item], pipeline=pipeline))
    data = json.loads(json.dumps(result.to_dict()))
    _validator().validate(data)
    assert data["error"]["code"].startswith("E")


def test_schema_error_info_is_closed() -> None:
    _validator().validate(DocumentResult("x", error=ErrorInfo("E001", "empty")).to_dict())
