"""From resolved toponyms to the report's place mentions: which names are kept, their role in
the sentence (a place that stands for its government is metonymy), relation and precision.

``find_places`` is the places package's entry point for a parsed document.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitrep.document import Document, PlaceMention
from sitrep.places.addresses import bracketed_addresses, typed_names
from sitrep.places.candidates import STREET_WORDS
from sitrep.places.gazetteer import TYPE_WORDS, Entry
from sitrep.places.geocode import entry_place, haversine
from sitrep.places.index import get_gazetteer
from sitrep.places.names import name_key
from sitrep.places.peoples import regional_adjective
from sitrep.places.recognise import (
    AGENT_NOUNS,
    COMPASS_PARTS,
    LOCATIVE_PREPS,
    LOCATIVE_SUBJECT_VERBS,
    NOT_PLACES,
    POSSESSED_AGENT,
    RELATIVE,
    Toponym,
    _recognise,
    _surnames,
)
from sitrep.places.resolve import _resolve, _street
from sitrep.places.seats import seat_before_itself

if TYPE_CHECKING:
    pass


# -- roles ----------------------------------------------------------------------------------------
# A typed name and a comma before a place: the place is a later part of an address ("in Paletwa
# township, Chin state, the army clashed"), whatever the parse made of it.
_AFTER_TYPED_PART = re.compile(
    r"[A-Z][\w'’-]*\s+(?i:" + "|".join(sorted(map(re.escape, TYPE_WORDS), key=len, reverse=True))
    + r")\s*,\s*$")


def _role(document: Document, t: Toponym) -> str:
    """'metonymy' when the place stands for its government or people, else 'location'."""
    doc = document.doc
    if not (0 <= t.root < len(doc)):
        return "location"
    if _AFTER_TYPED_PART.search(document.text, max(0, t.start - 60), t.start):
        return "location"
    tok = doc[t.root]
    head = tok.head
    if tok.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX") and head.lemma_ not in (
            LOCATIVE_SUBJECT_VERBS):
        return "metonymy"
    if tok.dep_ == "poss" and (head.ent_type_ in ("PERSON", "ORG")
                               or head.lemma_.lower() in POSSESSED_AGENT):
        return "metonymy"
    if tok.dep_ == "compound" and head.lemma_.lower() in AGENT_NOUNS:
        return "metonymy"
    if tok.dep_ == "pobj" and head.lower_ in ("in", "from") and head.head.lemma_.lower() in (
            AGENT_NOUNS):
        return "metonymy"  # "officials in Moscow"
    return "location"


def _relation(document: Document, t: Toponym) -> str | None:
    sent = document.sentences[t.sent] if document.sentences else None
    lo = max(sent.start_char if sent is not None else 0, t.start - 80)
    m = RELATIVE.search(document.text[lo:t.start])
    if m is None:
        return None
    rel = re.sub(r"\s+", " ", m.group("rel").strip().lower())
    rel = re.sub(r"^(?:[\d,.]+|some|about|around|roughly|nearly|almost)\s*-?\s*", "", rel)
    return rel


def _precision(entry: Entry | None, relation: str | None) -> int:
    if entry is None or entry.level <= 2:
        return 3
    if entry.level == 3:
        return 2
    return 2 if relation else 1


# How near one of the report's other towns a town read inside a longer, unknown name must lie.
PART_KM = 100.0


def _stray_part(document: Document, t: Toponym, tops: list[Toponym]) -> bool:
    """Whether a town read inside a longer name the gazetteer lacks lies outside the state and
    far from the towns of every other place of the report: then the longer name is a landmark
    or a business named after a person or a distant city ("Hyde Park", "Kingston Hospital",
    "the Tokyo Grill" of a Texas report), not a place of the report. A town next to the
    report's places is its own ("Springfield Mall" in a Springfield report); a division the
    text types ("Orange County Sheriff's Office") or a compass part ("S. Phila.") is one
    wherever it lies."""
    e = t.best
    if e is None or e.level < 3 or t.kind is not None:
        return False
    before = document.text[max(0, t.start - 12):t.start].split()
    if before and before[-1].casefold() in COMPASS_PARTS:
        return False
    own = name_key(t.lookup)
    others = [o.best for o in tops if o is not t and o.best is not None and not o.vote_only
              and name_key(o.lookup) != own]
    return bool(others) and not any(
        e.admin1_code and o.admin1_code == e.admin1_code
        or o.level >= 3 and haversine(e.lat, e.lon, o.lat, o.lon) <= PART_KM for o in others)


def find_places(document: Document) -> None:
    """Recognise, resolve and write ``document.places`` and the report's focus."""
    gaz = get_gazetteer()
    tops = _recognise(document, gaz)
    tops += bracketed_addresses(document, gaz, tops)
    tops += typed_names(document, gaz, tops)
    tops.sort(key=lambda t: t.start)
    _resolve(document, gaz, tops)
    seat_before_itself(document, gaz, tops)
    countries = gaz.countries()
    mentions: list[PlaceMention] = []
    surnames = _surnames(document)
    for t in tops:
        if t.vote_only or t.text.casefold() in NOT_PLACES:
            continue
        if _before_street(document, t):
            continue  # "Cooper" in "North Cooper Street", "Rye" in "Rye Court"
        if _dated_month(document, t):
            continue  # "between August 25 and September 5": a date, not August in Georgia
        locative = _locative(document, t)
        if t.best is None and not (t.entity and locative and not _street(t.text)):
            continue
        if t.text in surnames and (t.best is None or t.best.level >= 3):
            continue  # "Farrin" after "police chief Henry Farrin": the person, not a town
        if (t.best is not None and not locative and t.best.level == 4
                and t.best.population < 100_000 and t.best.country_code != document.focus_country):
            continue  # a small foreign town named like a person the model took for a place
        if t.best is not None and t.kind is None and regional_adjective(gaz, t.text):
            continue  # "Papuan students": a people, not Papayan in Java
        if t.partial and _stray_part(document, t, tops):
            continue  # "Tokyo" of "the Tokyo Grill" in a Texas report
        relation = _relation(document, t)
        e = t.best
        country = countries.get(e.country_code or "") if e else None
        mentions.append(PlaceMention(
            start=t.start, end=t.end, text=t.text,
            place=entry_place(t.start, t.end, t.text, e, t.score if e else None),
            sent=t.sent, role=_role(document, t),
            precision=_precision(e, relation),
            relation=relation, admin2=e.admin2 if e else None,
            country_name=country.name if country else None,
            population=e.population if e else 0))
    document.places = mentions


MONTHS = frozenset(("january", "february", "march", "april", "may", "june", "july", "august",
                    "september", "october", "november", "december"))


def _dated_month(document: Document, t: Toponym) -> bool:
    """Whether ``t`` is a month's name with a day or a year beside it ("August 25", "5 May")."""
    if t.text.casefold() not in MONTHS:
        return False
    before = document.text[max(0, t.start - 8):t.start].split()
    after = document.text[t.end:t.end + 8].replace(",", " ").split()
    return bool(before and before[-1].rstrip(",.").isdigit()
                or after and after[0].rstrip(",.").rstrip("stndrh").isdigit())


def _before_street(document: Document, t: Toponym) -> bool:
    m = _NEXT_WORD.match(document.text, t.end)
    return m is not None and m.group(1).casefold() in STREET_WORDS


_NEXT_WORD = re.compile(r"\s+([A-Z][a-z]*\.?)")





def _locative(document: Document, t: Toponym) -> bool:
    doc = document.doc
    tok = doc[t.root] if 0 <= t.root < len(doc) else None
    return tok is not None and tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS
