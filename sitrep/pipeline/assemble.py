"""Writing the codebook records from what the stages found.

This is the only place that turns ``EventDraft``s into ``Event``s, so ids, confidence and notes
are computed one way for every event, and links between claims and events (made over draft
indices by the stages) become links over event ids.
"""

from __future__ import annotations

import hashlib

from sitrep.document import Document, EventDraft
from sitrep.pipeline.actor_refs import interaction_code
from sitrep.pipeline.kinds import KINDS
from sitrep.records import (
    ACLED_TYPES,
    Claim,
    Count,
    DocumentResult,
    Event,
    Location,
    Place,
    Plover,
    Source,
)

# How much an event's confidence keeps when its figures are implausible or contradict each other.
DOUBT_FACTOR = 0.6


def event_id(document: Document, draft: EventDraft) -> str:
    """Stable: the same report text and trigger give the same id."""
    t = draft.trigger
    key = f"{document.report.id}|{t.start}|{t.end}|{draft.kind}"
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def confidence(draft: EventDraft) -> float:
    """How sure we are this is a real, specific, correctly coded event."""
    weight = max(m.weight for m in draft.mentions)
    score = 0.35 + 0.3 * weight
    score += 0.15 * (draft.type_score or 0.5)
    if draft.location and draft.location.geo_precision in (1, 2):
        score += 0.1
    if draft.date_start is not None:
        score += 0.05
    if draft.actor1 is not None:
        score += 0.05
    if any(m.role == "brief" for m in draft.mentions):
        score *= 0.8  # found by the report-level classifier, not by a trigger
    return max(0.0, min(1.0, score))


def _count_phrase(count: Count | None, noun: str) -> str:
    """'At least 8 fatalities.', 'More than 20 injuries.', '4-7 fatalities.'"""
    if count is None or count.qualifier == "none":
        return ""
    if count.qualifier == "unknown" or count.best is None:
        return f"{noun.capitalize()}: number unknown."
    if count.qualifier == "range" and count.low is not None and count.high is not None:
        return f"{count.low}-{count.high} {noun}."
    n = count.best
    if count.qualifier == "more_than" and count.low is not None:
        n = count.low - 1  # "more than 20" is stored with low 21
    elif count.qualifier == "up_to" and count.high is not None:
        n = count.high
    prefix = {"at_least": "At least ", "more_than": "More than ", "approximately": "About ",
              "up_to": "Up to "}.get(count.qualifier, "")
    singular = {"fatalities": "fatality", "injuries": "injury"}.get(noun, noun)
    return f"{prefix}{n} {singular if n == 1 and count.qualifier != 'more_than' else noun}."


def notes(document: Document, draft: EventDraft, doubts: list[str] | None = None) -> str:
    """A one-sentence summary in ACLED's style, built only from coded fields; then what the
    coder doubted (an implausible or contradicted figure, an impossible date), so a reader of
    the notes column sees why the confidence is low."""
    when = f"On {draft.date_start:%-d %B %Y}, " if draft.date_start else ""
    who = draft.actor1.name if draft.actor1 else "unidentified actors"
    what = (draft.sub_event_type or (draft.plover.event if draft.plover else draft.kind))
    what = what.lower().replace("/", " or ")
    parts = [f"{when}{who}: {what}"]
    if draft.weapons:
        parts.append(f" using {', '.join(draft.weapons)}")
    if draft.targets:
        parts.append(f" on {', '.join(draft.targets)}")
    if draft.actor2:
        hostile = draft.sub_event_type is not None or (draft.plover and draft.plover.event in {
            "ASSAULT", "COERCE", "THREATEN", "SANCTION", "ACCUSE", "PROTEST"})
        parts.append(f" {'against' if hostile else 'with'} {draft.actor2.name}")
    if draft.location and draft.location.name:
        loc = draft.location
        where = loc.name
        if loc.admin1 and loc.admin1 != loc.name:
            where = f"{loc.name} ({loc.admin1})"
        near = "near " if loc.geo_precision == 2 else ""
        parts.append(f" {'in ' if not near else ''}{near}{where}")
    text = "".join(parts) + "."
    tail = " ".join(x for x in (_count_phrase(draft.fatalities, "fatalities"),
                                _count_phrase(draft.injuries, "injuries")) if x)
    doubted = f" Doubts: {'; '.join(doubts)}." if doubts else ""
    return (text[0].upper() + text[1:] + (" " + tail if tail else "")).strip() + doubted


def _event(document: Document, draft: EventDraft, doubts: list[str] | None = None) -> Event:
    report = document.report
    default_type, default_plover = KINDS.get(draft.kind, ("Other", "OTHER"))
    if draft.sub_event_type is None and draft.event_type is None and draft.plover is None:
        draft.sub_event_type = default_type
    if draft.sub_event_type and not draft.event_type:
        draft.event_type, draft.disorder_type = ACLED_TYPES[draft.sub_event_type]
    plover = draft.plover or Plover(default_plover)
    for m in draft.mentions:
        draft.add_evidence("trigger", (m.start, m.end))
    start = draft.date_start
    end = draft.date_end or start
    draft.confidence = draft.confidence or confidence(draft)
    return Event(
        event_id=draft.event_id,
        event_date=start.isoformat() if start else None,
        date_start=start.isoformat() if start else None,
        date_end=end.isoformat() if end else None,
        time_precision=draft.time_precision if start else None,
        disorder_type=draft.disorder_type,
        event_type=draft.event_type,
        sub_event_type=draft.sub_event_type,
        plover=plover,
        actor1=draft.actor1,
        actor2=draft.actor2,
        assoc_actor_1=list(draft.assoc_actor_1),
        assoc_actor_2=list(draft.assoc_actor_2),
        interaction=interaction_code(draft.actor1.inter if draft.actor1 else None,
                                     draft.actor2.inter if draft.actor2 else None),
        civilian_targeting=draft.civilian_targeting,
        weapons=list(draft.weapons),
        targets=list(draft.targets),
        location=draft.location or Location(),
        fatalities=draft.fatalities or Count.none(),
        injuries=draft.injuries or Count.none(),
        notes=notes(document, draft, doubts),
        sources=[Source(document_id=report.id, source=report.source, url=report.url,
                        published=report.published.isoformat() if report.published else None)],
        evidence={k: sorted(v) for k, v in draft.evidence.items()},
        confidence=draft.confidence,
    )


def assemble(document: Document) -> DocumentResult:
    drop = set(document.extras.get("drop_events", ()))
    kept = [(i, d) for i, d in enumerate(document.events) if i not in drop]
    ids: dict[int, str] = {}
    events: list[Event] = []
    count_doubts: dict[int, list[str]] = document.extras.get("count_doubts", {})
    date_doubts: dict[int, list[str]] = document.extras.get("date_doubts", {})
    for i, draft in kept:
        draft.event_id = draft.event_id or event_id(document, draft)
        ids[i] = draft.event_id
        doubts = [*date_doubts.get(i, ()), *count_doubts.get(i, ())]
        if doubts and not draft.confidence:
            # an implausible figure or an impossible date: the event is coded, with less trust
            draft.confidence = round(confidence(draft) * DOUBT_FACTOR, 6)
        events.append(_event(document, draft, doubts))
    links: dict[int, list[int]] = document.extras.get("claim_events", {})
    claims: list[Claim] = []
    for ci, cm in enumerate(document.claims):
        claim = cm.claim
        claim.event_ids = [ids[e] for e in links.get(ci, []) if e in ids]
        claims.append(claim)
    places = [Place(**{**p.place.to_dict(), "start": p.start, "end": p.end, "text": p.text})
              for p in document.places]
    totals: dict[str, dict[str, object]] = {}
    for _, draft in kept:
        for name, count in draft.extra_counts.items():
            if count.best is not None:
                entry = totals.setdefault(name, {"best": 0, "text": []})
                entry["best"] = int(entry["best"]) + count.best  # type: ignore[call-overload]
                entry["text"].append(count.text)  # type: ignore[union-attr]
    return DocumentResult(
        id=document.report.id, published=document.report.published, events=events,
        claims=claims, places=places, counts=totals,
    )
