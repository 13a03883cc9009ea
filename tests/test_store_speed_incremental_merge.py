"""Adding one mention to a merged event (merge.merged_with) gives the record a rebuild gives."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from sitrep.store import merge
from sitrep.store.db import dumps

PLACES = [("Kramatorsk", 48.72, 37.56, "UA"), ("Sloviansk", 48.85, 37.6, "UA"),
          ("Idlib", 35.93, 36.63, "SY")]
WEAPONS = ["missile", "drone", "artillery", "rifle"]
TARGETS = ["apartment block", "school", "market", "bridge", "checkpoint"]
QUALIFIERS = ["exact", "at_least", "approximately", "unknown", "none", "range"]
SENTENCES = ["The toll rose to {n} on Sunday.", "{n} people were killed in the attack.",
             "Officials said {n} died.", ""]


def count(rng: random.Random) -> dict[str, Any]:
    qualifier = rng.choice(QUALIFIERS)
    best = None if qualifier in ("unknown", "none") else rng.randrange(0, 15)
    low = best if best is None or rng.random() < 0.6 else max(0, best - rng.randrange(3))
    high = best if best is None or rng.random() < 0.6 else best + rng.randrange(3)
    return {"best": best, "low": low, "high": high, "qualifier": qualifier,
            "civilians": rng.choice([None, 0, 2]), "text": f"{best} killed" if best else ""}


def maybe(rng: random.Random, value: Any, share: float = 0.8) -> Any:
    return value if rng.random() < share else None


def mention(rng: random.Random, n: int, varied: int = 0) -> merge.Mention:
    """A report's event with most fields varied: some missing, some repeated across reports."""
    name, lat, lon, cc = rng.choice(PLACES)
    day = date(2024, 3, 1) + timedelta(days=rng.randrange(4))
    precision = rng.choice([1, 1, 2, 3])
    record: dict[str, Any] = {
        "event_id": f"r{n}-1",
        "event_date": maybe(rng, day.isoformat()),
        "date_start": maybe(rng, (day - timedelta(days=rng.randrange(3))).isoformat(), 0.5),
        "date_end": maybe(rng, (day + timedelta(days=rng.randrange(3))).isoformat(), 0.5),
        "time_precision": rng.choice([1, 1, 2]),
        "event_type": "Explosions/Remote violence",
        "sub_event_type": rng.choice(["Air/drone strike", "Shelling/artillery/missile attack"]),
        "actor1": maybe(rng, {"name": rng.choice(["Military Forces of Russia", "Unidentified"]),
                              "inter": 8, "country": "RU"}, 0.6),
        "actor2": rng.choice([{}, None, {"name": "Civilians", "inter": 7, "country": cc}]),
        "assoc_actor_1": rng.sample(["Wagner Group", "Akhmat"], rng.randrange(3)),
        "assoc_actor_2": [],
        "civilian_targeting": rng.random() < 0.5,
        "weapons": rng.sample(WEAPONS, rng.randrange(3)),
        "targets": rng.sample(TARGETS, rng.randrange(3)),
        "location": {"name": name, "lat": None if precision == 3 and rng.random() < 0.5
                     else lat + rng.uniform(-0.05, 0.05), "lon": lon, "country_code": cc,
                     "geo_precision": precision},
        "fatalities": count(rng),
        "injuries": count(rng) if rng.random() < 0.5 else
        {"best": 0, "low": 0, "high": 0, "qualifier": "none", "civilians": None, "text": ""},
        "notes": "",
        # Varied, most joins make the record again; the same, most add to it.
        "confidence": rng.choice([0.5, 0.7, 0.7, 0.9, float(rng.randrange(3)) / 4])
        if varied == 0 else 0.7 - 0.01 * (varied == 2 and rng.random() < 0.2),
    }
    if varied == 0 and rng.random() < 0.1:
        record["confidence"] = float("nan")
    if rng.random() < 0.15:
        del record["event_date"]
    document = f"doc-{rng.randrange(n + 1)}" if rng.random() < 0.2 else f"doc-{n}"
    published = maybe(rng, day + timedelta(days=rng.randrange(3)), 0.9)
    context = {kind: rng.choice(SENTENCES).format(n=rng.randrange(20))
               for kind in ("fatalities", "injuries") if rng.random() < 0.5}
    return merge.Mention(record=record, document_id=document, source=f"Outlet {n % 3}",
                         url=maybe(rng, f"https://news.example/{document}", 0.7),
                         published=published, sentence=f"Sentence {n}.",
                         figure_context={k: v for k, v in context.items() if v})


def history_rows(history: dict[str, list[merge.Figure]]) -> list[tuple[Any, ...]]:
    return [(kind, f.document_id, f.stored, f.update) for kind in sorted(history)
            for f in history[kind]]


@pytest.mark.parametrize("seed", range(60))
def test_merged_with_matches_a_rebuild(seed: int) -> None:
    """Each mention added to the previous result equals the record made from all of them:
    same JSON text (key order included), same figure history and update flags."""
    rng = random.Random(seed)
    varied = seed % 3
    members = [mention(rng, 0, varied)]
    built = merge.merge_mentions("ev-1", members, {})
    for n in range(1, 12):
        members.append(mention(rng, n, varied))
        added_history: dict[str, list[merge.Figure]] = {}
        added = merge.merged_with(built, "ev-1", members, added_history)
        added_rows = history_rows(added_history)  # (flags: the rebuild sets them again)
        history: dict[str, list[merge.Figure]] = {}
        rebuilt = merge.merged_record("ev-1", members, history)
        assert dumps(added.record) == dumps(rebuilt)
        assert added_rows == history_rows(history)
        built = added


@pytest.mark.parametrize("confidences", [(0.9, 0.7, 0.7, 0.5), (0.5, 0.7, 0.9), (0.7, 0.7, 0.7)])
def test_merged_with_follows_the_lead_record(confidences: tuple[float, ...]) -> None:
    """A more confident mention takes the lead (coding, confidence) as a rebuild would."""
    rng = random.Random(5)
    members: list[merge.Mention] = []
    built = None
    for n, confidence in enumerate(confidences):
        m = mention(rng, n)
        m.record["confidence"] = confidence
        m.record["sub_event_type"] = f"type {n}"
        members.append(m)
        built = merge.merge_mentions("ev-2", members) if built is None \
            else merge.merged_with(built, "ev-2", members)
    assert built is not None
    lead = max(range(len(confidences)), key=lambda i: (confidences[i], -i))
    assert built.record["sub_event_type"] == f"type {lead}"
    assert built.record["confidence"] == max(confidences)
    assert dumps(built.record) == dumps(merge.merged_record("ev-2", members))
