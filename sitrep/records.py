"""The record types of the codebook (``shared/contract/CODEBOOK.md``), in one place.

Every stage, reader, store and exporter uses these classes; nothing else defines its own copy of
a field. ``to_dict`` gives exactly the codebook's JSON, so the JSON Schema generated from these
classes (``sitrep.schema``) is the contract made executable.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

Span = tuple[int, int]

# ACLED's disorder, event and sub-event types (ACLED codebook 2023), spelled as ACLED spells them.
ACLED_TYPES: dict[str, tuple[str, str]] = {
    # sub_event_type: (event_type, disorder_type)
    "Government regains territory": ("Battles", "Political violence"),
    "Non-state actor overtakes territory": ("Battles", "Political violence"),
    "Armed clash": ("Battles", "Political violence"),
    "Excessive force against protesters": ("Protests", "Demonstrations"),
    "Protest with intervention": ("Protests", "Demonstrations"),
    "Peaceful protest": ("Protests", "Demonstrations"),
    "Violent demonstration": ("Riots", "Demonstrations"),
    "Mob violence": ("Riots", "Demonstrations"),
    "Chemical weapon": ("Explosions/Remote violence", "Political violence"),
    "Air/drone strike": ("Explosions/Remote violence", "Political violence"),
    "Suicide bomb": ("Explosions/Remote violence", "Political violence"),
    "Shelling/artillery/missile attack": ("Explosions/Remote violence", "Political violence"),
    "Remote explosive/landmine/IED": ("Explosions/Remote violence", "Political violence"),
    "Grenade": ("Explosions/Remote violence", "Political violence"),
    "Sexual violence": ("Violence against civilians", "Political violence"),
    "Attack": ("Violence against civilians", "Political violence"),
    "Abduction/forced disappearance": ("Violence against civilians", "Political violence"),
    "Agreement": ("Strategic developments", "Strategic developments"),
    "Arrests": ("Strategic developments", "Strategic developments"),
    "Change to group/activity": ("Strategic developments", "Strategic developments"),
    "Disrupted weapons use": ("Strategic developments", "Strategic developments"),
    "Headquarters or base established": ("Strategic developments", "Strategic developments"),
    "Looting/property destruction": ("Strategic developments", "Strategic developments"),
    "Non-violent transfer of territory": ("Strategic developments", "Strategic developments"),
    "Other": ("Strategic developments", "Strategic developments"),
}

# ACLED's actor types (the "inter" codes).
INTER_CODES: dict[int, str] = {
    1: "State forces",
    2: "Rebel groups",
    3: "Political militias",
    4: "Identity militias",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}

PLOVER_EVENTS = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    "OTHER",
)

STANCES = ("assert", "deny", "blame", "claim_responsibility", "report")
QUALIFIERS = (
    "exact", "at_least", "more_than", "approximately", "up_to", "range", "unknown", "none",
)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass
class Report:
    """One input report, as a reader hands it to the pipeline."""

    id: str
    text: str
    published: date | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _scalar_fields(record: Any) -> dict[str, Any]:
    """A flat record (its fields all scalars) as a dict. ``dataclasses.asdict`` deep-copies
    every value, which cost more than merging the event when a store writes a batch."""
    names = _FIELD_NAMES.get(type(record))
    if names is None:
        names = _FIELD_NAMES[type(record)] = tuple(f.name for f in dataclasses.fields(record))
    return {name: getattr(record, name) for name in names}


@dataclass
class Actor:
    name: str
    inter: int | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "inter": self.inter, "country": self.country}


@dataclass
class Count:
    """A casualty figure as reported: UCDP's low/high range around ACLED's conservative best."""

    best: int | None = 0
    low: int | None = 0
    high: int | None = 0
    qualifier: str = "none"
    civilians: int | None = None
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return _scalar_fields(self)

    @classmethod
    def none(cls) -> Count:
        """No report of casualties: zero, which is not the same as unknown."""
        return cls(best=0, low=0, high=0, qualifier="none", text="")


@dataclass
class Location:
    name: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    geo_precision: int | None = None
    where_prec: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return _scalar_fields(self)


@dataclass
class Plover:
    event: str
    mode: str | None = None
    context: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"event": self.event, "mode": self.mode, "context": list(self.context)}


@dataclass
class Source:
    document_id: str
    source: str | None = None
    url: str | None = None
    published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _scalar_fields(self)


@dataclass
class Event:
    event_id: str
    event_date: str | None
    date_start: str | None
    date_end: str | None
    time_precision: int | None
    disorder_type: str | None
    event_type: str | None
    sub_event_type: str | None
    plover: Plover
    actor1: Actor | None = None
    actor2: Actor | None = None
    assoc_actor_1: list[str] = field(default_factory=list)
    assoc_actor_2: list[str] = field(default_factory=list)
    interaction: int | None = None
    civilian_targeting: bool = False
    weapons: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    location: Location = field(default_factory=Location)
    fatalities: Count = field(default_factory=Count.none)
    injuries: Count = field(default_factory=Count.none)
    notes: str = ""
    sources: list[Source] = field(default_factory=list)
    evidence: dict[str, list[Span]] = field(default_factory=dict)
    confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "event_date": self.event_date,
            "date_start": self.date_start,
            "date_end": self.date_end,
            "time_precision": self.time_precision,
            "disorder_type": self.disorder_type,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "plover": self.plover.to_dict(),
            "actor1": self.actor1.to_dict() if self.actor1 else None,
            "actor2": self.actor2.to_dict() if self.actor2 else None,
            "assoc_actor_1": list(self.assoc_actor_1),
            "assoc_actor_2": list(self.assoc_actor_2),
            "interaction": self.interaction,
            "civilian_targeting": self.civilian_targeting,
            "weapons": list(self.weapons),
            "targets": list(self.targets),
            "location": self.location.to_dict(),
            "fatalities": self.fatalities.to_dict(),
            "injuries": self.injuries.to_dict(),
            "notes": self.notes,
            "sources": [s.to_dict() for s in self.sources],
            "evidence": {k: [list(s) for s in v] for k, v in self.evidence.items()},
            "confidence": round(self.confidence, 3),
        }


@dataclass
class Claim:
    claimant: str
    stance: str
    text: str
    span: Span
    claimant_actor: Actor | None = None
    channel: str | None = None
    event_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "claimant": self.claimant,
            "claimant_actor": self.claimant_actor.to_dict() if self.claimant_actor else None,
            "stance": self.stance,
            "channel": self.channel,
            "event_ids": list(self.event_ids),
            "text": self.text,
            "span": list(self.span),
        }


@dataclass
class Place:
    """A place mention (``sitrep geoparse``) and the GeoNames entry it resolves to."""

    start: int
    end: int
    text: str
    name: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    feature_code: str | None = None
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return _scalar_fields(self)


@dataclass
class ErrorInfo:
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass
class DocumentResult:
    id: str
    published: date | None = None
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    error: ErrorInfo | None = None
    # Not in the codebook's document result, kept for stores and users of the Python API.
    text: str | None = field(default=None, repr=False)
    counts: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "published": _iso(self.published),
            "events": [e.to_dict() for e in self.events],
            "claims": [c.to_dict() for c in self.claims],
            "places": [p.to_dict() for p in self.places],
            "error": self.error.to_dict() if self.error else None,
        }
        if self.counts:
            out["counts"] = self.counts
        return out
