"""The API's typed models (pydantic), which FastAPI turns into the OpenAPI schema at /docs.

Records are codebook event records (``shared/contract/CODEBOOK.md``); the models name their
main fields and allow the rest, so a record written by a newer pipeline still validates.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Actor(Open):
    name: str | None = None
    inter: int | None = None
    country: str | None = None


class Count(Open):
    best: int | None = None
    low: int | None = None
    high: int | None = None
    qualifier: str | None = None
    civilians: int | None = None
    text: str | None = None


class Location(Open):
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    geo_precision: int | None = None


class Source(Open):
    document_id: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None


class EventRecord(Open):
    """A merged event; ``corrected`` is true when an analyst corrected a field, and
    ``corrected_fields`` keeps each such field's machine value."""

    event_id: str
    event_date: str | None = None
    disorder_type: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    location: Location | None = None
    fatalities: Count | None = None
    injuries: Count | None = None
    notes: str | None = None
    sources: list[Source] | None = None
    corrected: bool | None = None
    corrected_fields: dict[str, Any] | None = None


class EventPage(BaseModel):
    events: list[EventRecord]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page.")


class Span(BaseModel):
    field: str = Field(description="trigger, place, date, killed, injured, actors, weapon, "
                                   "target, or the record's own evidence key")
    key: str
    start: int
    end: int


class SourceReport(BaseModel):
    document_id: str
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    text: str
    report_event_id: str
    sentence: str | None = None
    spans: list[Span]
    how: dict[str, Any] | None = Field(None, description="Why it was merged (sitrep why).")


class Figure(BaseModel):
    kind: str
    document_id: str | None = None
    published: str | None = None
    best: int | None = None
    low: int | None = None
    high: int | None = None
    qualifier: str | None = None
    text: str | None = None
    update: bool


class Correction(BaseModel):
    id: int
    event_id: str
    field: str
    value: Any = None
    before: Any = None
    version: int
    active: bool
    author: str
    note: str
    created_at: str


class EventDetail(BaseModel):
    event_id: str
    event: EventRecord
    machine: EventRecord = Field(description="The record as the machine coded it.")
    not_event: bool
    sources: list[SourceReport]
    claims: list[dict[str, Any]]
    figures: list[Figure]
    corrections: list[Correction]
    versions: dict[str, int] = Field(description="Each corrected field's version, for "
                                                 "expected_version.")


class CorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str = Field(description="event_type, sub_event_type, disorder_type, event_date, "
                                   "location, actor1, actor2, fatalities, injuries, not_event, "
                                   "split ({document_id}) or merge ({into})")
    value: Any = None
    note: str = Field("", max_length=4000)
    author: str | None = Field(None, max_length=128)
    expected_version: int | None = Field(None, ge=0, le=1_000_000)
    expected_value: Any = None
    check_value: bool = Field(False, description="Compare expected_value with the current "
                                                 "value (409 when it changed).")


class Bucket(BaseModel):
    key: str | None
    events: int
    fatalities: int


class Stats(BaseModel):
    events: int
    fatalities: int
    by_day: list[Bucket]
    by_type: list[Bucket]
    by_country: list[Bucket]


class LineResult(BaseModel):
    line: int
    id: str | None
    status: Literal["stored", "replaced", "unchanged", "failed"]
    events: int = 0
    error: dict[str, Any] | None = None


class IngestResult(BaseModel):
    results: list[LineResult]
    stored: int
    failed: int


class ReportOut(BaseModel):
    document_id: str
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    text: str
    error_code: str | None = None
    events: list[str] = Field(description="Merged events the report supports.")
    result: dict[str, Any]


class Health(BaseModel):
    status: Literal["ok"]
    schema_version: str | None


class Version(BaseModel):
    sitrep: str
    schema_version: str


class Problem(BaseModel):
    detail: str
