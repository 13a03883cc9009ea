"""Stages ``places`` (geoparsing the report) and ``event_location`` (where each event happened).

``places`` finds toponyms (the model's GPE/LOC/FAC entities, plus capitalised gazetteer names the
model missed and descriptions such as "the Ukrainian capital"), resolves each to a gazetteer
entry using the report's focus country and the other places near it, and marks a place that
stands for its government ("Moscow said") as metonymy, so that no event is put there.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from sitrep.document import Document, EventDraft, PlaceMention
from sitrep.pipeline.factuality import cause_of_gathering
from sitrep.pipeline.kinds import KINDS
from sitrep.pipeline.registry import stage
from sitrep.places.gazetteer import (
    ADMIN1,
    ADMIN2,
    COUNTRY,
    TYPE_WORDS,
    Entry,
    Gazetteer,
    feature_level,
    strip_type_words,
)
from sitrep.places.geocode import haversine
from sitrep.places.index import get_gazetteer
from sitrep.places.lone_names import lone_town
from sitrep.places.mentions import find_places
from sitrep.places.resolve import _TYPE_ALTERNATION, ADDRESS_GAP
from sitrep.places.seats import COMPOUND_GAP
from sitrep.records import Location

if TYPE_CHECKING:
    pass


@stage("places", assigns=("places", "focus_country", "focus_admin1"), setup=get_gazetteer)
def places(document: Document) -> None:
    find_places(document)


# -- event location -------------------------------------------------------------------------------
def _country_location(gaz: Gazetteer, cc: str, admin1_code: str | None) -> Location | None:
    country = gaz.country(cc)
    if country is None:
        return None
    admin = gaz.admin1(admin1_code) if admin1_code else None
    point = admin or country
    return Location(name=point.name, geonameid=point.geonameid, lat=round(point.lat, 5),
                    lon=round(point.lon, 5), country=country.name, country_code=cc,
                    admin1=admin.name if admin else None, admin2=None, geo_precision=3,
                    where_prec=4 if admin else 6)


def _entry_location(gaz: Gazetteer, e: Entry) -> Location:
    """A place known only from a bare word: near it at best (``lone_town``)."""
    country = gaz.country(e.country_code)
    return Location(name=e.name, geonameid=e.geonameid, lat=round(e.lat, 5),
                    lon=round(e.lon, 5), country=country.name if country else None,
                    country_code=e.country_code, admin1=e.admin1, admin2=e.admin2,
                    geo_precision=2 if e.feature_code != ADMIN1 else 3,
                    where_prec=2 if e.feature_code != ADMIN1 else 4)


def _location(m: PlaceMention, precision: int | None = None) -> Location:
    p = m.place
    prec = precision or m.precision
    where = {1: 1, 2: 2, 3: 4}.get(prec, 4)
    if p.feature_code == COUNTRY:
        where = 6
    elif p.feature_code == ADMIN2:
        where = 3
    return Location(name=p.name or m.text, geonameid=p.geonameid, lat=p.lat, lon=p.lon,
                    country=m.country_name, country_code=p.country_code, admin1=p.admin1,
                    admin2=m.admin2, geo_precision=prec, where_prec=where)


# Dependencies by which a name modifies another noun ("Kentucky" of "a Kentucky grand jury").
MODIFIER_DEPS = frozenset({"compound", "poss", "nmod", "amod"})


def _attached(document: Document, m: PlaceMention, trigger: int) -> bool:
    """Whether the place hangs off the trigger in the parse ('struck X', 'attack in X')."""
    doc = document.doc
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not (0 <= trigger < len(doc)):
        return False
    tok = span.root
    if (tok.dep_ in MODIFIER_DEPS and tok.head.i != trigger and tok.head.lower_ not in TYPE_WORDS
            and not any(p.start <= tok.head.idx < p.end for p in document.places)):
        # "against Jakarta Governor X", "a Kentucky grand jury's decision": a title or a
        # modifier of another thing, not where it happened
        return False
    if tok.dep_ == "pobj" and tok.head.lower_ == "by":
        return False  # "a rally organised by the Washington State militia": who, not where
    targets = {trigger}
    trig = doc[trigger]
    if trig.dep_ == "dobj" and trig.head.pos_ == "VERB":
        targets.add(trig.head.i)  # the verb that carries the noun: "staged a protest in X"
    for _ in range(4):
        if tok.i in targets:
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return tok.i in targets


class _StateFit:
    """Whether a town lies in the state its sentence names, with every sentence's states read
    once (a long report names hundreds of places)."""

    def __init__(self, usable: list[PlaceMention]) -> None:
        self.states: dict[tuple[int, str | None], set[str]] = {}
        for p in usable:
            if p.place.feature_code == ADMIN1 and p.place.name:
                self.states.setdefault((p.sent, p.place.country_code), set()).add(p.place.name)
        self.towns: dict[int, list[PlaceMention]] = {}
        for p in usable:
            self.towns.setdefault(p.sent, []).append(p)
        self._some_fit: dict[int, bool] = {}

    def _in_state(self, m: PlaceMention) -> bool | None:
        if feature_level(m.place.feature_code, m.place.country_code) < 3:
            return None
        states = self.states.get((m.sent, m.place.country_code))
        return m.place.admin1 in states if states else None

    def fits(self, m: PlaceMention) -> bool:
        """False for a town outside the state its sentence names when another town of the
        sentence lies in it ("the State Capitol in Baton Rouge (Louisiana)": Capitola,
        California, is the misreading); state names that differ between sources leave every
        town as it was."""
        if self._in_state(m) is not False:
            return True
        if m.sent not in self._some_fit:
            self._some_fit[m.sent] = any(self._in_state(o) for o in self.towns.get(m.sent, []))
        return not self._some_fit[m.sent]


# A reading this unsure (the resolver's score) outside the report's home country is more likely
# a namesake abroad than the place: "a Molotov cocktail" read as Perm, "AL" (a party) as Ål.
DOUBTFUL_SCORE = 0.8


def home_country(usable: list[PlaceMention]) -> str | None:
    """The country the report's readings weigh most in, each by its score: a misreading abroad
    is unsure, so it weighs less than the report's own places even when they are fewer."""
    weight: Counter[str] = Counter()
    for m in usable:
        if m.place.country_code:
            weight[m.place.country_code] += m.place.score or 0.0
    return weight.most_common(1)[0][0] if weight else None


def _doubtful_abroad(m: PlaceMention, home: str | None) -> bool:
    return (home is not None and m.place.country_code != home
            and (m.place.score or 0.0) < DOUBTFUL_SCORE)


def _cause_place(document: Document, m: PlaceMention) -> bool:
    """Whether a place is what a gathering is about; read once a report, not once an event."""
    causes: set[tuple[int, int]] | None = document.extras.get("_cause_places")
    if causes is None:
        causes = set()
        for p in document.places:
            span = document.doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is not None and cause_of_gathering(span.root):
                causes.add((p.start, p.end))
        document.extras["_cause_places"] = causes
    return (m.start, m.end) in causes


def _rank(document: Document, event: EventDraft, claimed: set[int]) -> PlaceMention | None:
    usable = [m for m in document.places if m.role != "metonymy" and m.resolved]
    state_fit = _StateFit(usable)
    home = home_country(usable)
    trigger_toks = {mn.token for mn in event.mentions}
    best: tuple[tuple[float, ...], PlaceMention] | None = None
    scope = event.scope
    for m in usable:
        if m.sent not in scope:
            continue
        attached = any(_attached(document, m, t) for t in trigger_toks)
        if id(m) in claimed and not attached and m.sent in event.sents:
            continue  # the place of another event told in the same sentence
        tier = 3.0 if attached else (2.0 if m.sent in event.sents else 1.0)
        level = min(feature_level(m.place.feature_code, m.place.country_code), 2)
        specific = 1 if m.precision == 1 else 0
        # (a doubtful reading abroad counts as no finer than a region; a place a gathering
        # is about, "in solidarity with the demonstrators in Portland", is no place of it)
        rank = (float(not _cause_place(document, m)),
                float(level >= 2 and not _doubtful_abroad(m, home)),
                tier - (0.5 if id(m) in claimed else 0),
                float(state_fit.fits(m)), float(specific), -float(scope.index(m.sent)),
                float(level))
        if best is None or rank > best[0]:
            best = (rank, m)
    return best[1] if best else None



def _finest_part(document: Document, m: PlaceMention | None) -> PlaceMention | None:
    """The finest resolved part of the address ``m`` ends: the parse may hang the state or
    the country of "rockets hit Sderot, Southern, Israel" on the verb, but the place is Sderot
    (a part counts when it lies in ``m``: same country, and same state if ``m`` is one)."""
    if m is None or not m.resolved:
        return m
    level = feature_level(m.place.feature_code, m.place.country_code)
    before = sorted((p for p in document.places if p.end <= m.start), key=lambda p: -p.start)
    best, start = m, m.start
    for p in before:
        if (ADDRESS_GAP.fullmatch(document.text, p.end, start) is None
                and NAMED_PART_GAP.fullmatch(document.text, p.end, start) is None
                and COMPOUND_GAP.fullmatch(document.text, p.end, start) is None):
            break
        start = p.start
        p_level = feature_level(p.place.feature_code, p.place.country_code)
        if (p.resolved and p.role != "metonymy" and p.place.country_code == m.place.country_code
                and (p_level > level or p_level >= 3)
                and (m.place.feature_code != ADMIN1 or p.place.admin1 == m.place.admin1)):
            # an address names its place first: "Noakhali city, Noakhali Sadar (Chittagong)"
            # is Noakhali, whatever the later parts read as
            best = p
    return best


# The rest of a longer name before its type words and the bracketed address that follows
# ("Pabna" of "Pabna Sadar upazila (Rajshahi)": the gazetteer knows the first word).
NAMED_PART_GAP = re.compile(
    rf"\s+[A-Z][\w'’-]*(?:\s+(?i:{_TYPE_ALTERNATION})){{1,2}}\s*\(\s*")

# How far apart the towns of a report may lie for it to be about one place ("a military station
# at Ratnu Chak in Jammu").
ONE_PLACE_KM = 25.0
# How far from a town a place said to lie in it may be read ("the State Capitol in Baton Rouge"
# read as Capitola, California, is a misreading): a wide town's edge, not another region.
INSIDE_KM = 60.0
# How far from the town or district that follows it in an address a place may be read (a
# district's point is its towns' middle, tens of km from its edge).
PART_KM = 100.0


def _containers(document: Document, m: PlaceMention) -> list[tuple[PlaceMention, bool]]:
    """The places ``m`` is said to lie in, each with whether it is a later part of ``m``'s
    address ("Lada (Diffa, Diffa)", "Sidoarjo city, East Java") rather than the place of an
    "in" hung on it ("the Capitol in Baton Rouge")."""
    found: list[tuple[PlaceMention, bool]] = []
    end = m.end
    for p in sorted((p for p in document.places if p.start >= m.end), key=lambda p: p.start):
        if ADDRESS_GAP.fullmatch(document.text, end, p.start) is None:
            break
        found.append((p, True))
        end = p.end
    doc = document.doc
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is not None:
        last = span.end  # with the type words after the name ("Mine Gone village in X")
        # or the rest of a landmark's name ("Alamo Plaza in San Antonio")
        while last < len(doc) and (doc[last].lower_ in TYPE_WORDS or (
                doc[last].is_title and doc[last].pos_ == "PROPN")):
            last += 1
        for p in document.places:
            other = doc.char_span(p.start, p.end, alignment_mode="expand")
            if (other is not None and p.start > m.end and other.root.head.lower_ == "in"
                    and other.root.head.head.i in range(span.start, last)
                    and all(p is not q for q, _ in found)):
                found.append((p, False))
    return [(p, part) for p, part in found
            if p.resolved and p.role != "metonymy" and p.place.lat is not None]


def _lies_in(m: PlaceMention, c: PlaceMention, address_part: bool) -> bool:
    """Whether ``m``'s reading may lie in ``c``: the same country, and near ``c`` when ``c`` is
    a town ``m`` is said to be in (an address's later parts may be a district or a division
    read as its namesake town: "Akhaura upazila (Brahmanbaria, Chittagong)")."""
    a, b = m.place, c.place
    if a.country_code != b.country_code:
        return False
    if address_part or feature_level(b.feature_code, b.country_code) < 4 or a.lat is None:
        return True
    return haversine(a.lat, a.lon, b.lat, b.lon) <= INSIDE_KM


def _within_part(gaz: Gazetteer, m: PlaceMention, part: PlaceMention) -> bool:
    """Whether ``m``'s reading may lie in the address part after it, read as any place of its
    name in that country: a division named like its town ("Merti town (Isiolo North, Isiolo)",
    "Waynesboro (Franklin, Pennsylvania)") holds towns far from the town."""
    a = m.place
    readings = [part.place, *(e for e in gaz.lookup(strip_type_words(part.text)[0])
                              if e.country_code == a.country_code)]
    for e in readings:
        level = feature_level(e.feature_code, e.country_code)
        if level <= 1 or level == 2 and e.admin1 == a.admin1:
            return True
        if level >= 3 and e.lat is not None and haversine(a.lat, a.lon, e.lat, e.lon) <= PART_KM:
            return True
    return False


# A list goes on after its last name ("Nakuru, Kikuyu, Nyeri and Eldoret"); an address does not.
_LIST_GOES_ON = re.compile(r"\s*(?:,\s*)?(?:and|or)\s", re.IGNORECASE)


def _misread_before(document: Document, m: PlaceMention, parts: list[PlaceMention]) -> bool:
    """Whether ``m`` is a namesake read far from the town or district that follows it in its
    address ("Kembangan sub-district, Kebomas district, Gresik regency": a Kembangan 100 km
    from Kebomas), so that the address part is the better reading of where it lies."""
    part = parts[0]
    a, b = m.place, part.place
    if (feature_level(b.feature_code, b.country_code) < 3 or a.lat is None or b.lat is None
            or a.country_code != b.country_code
            or _LIST_GOES_ON.match(document.text, parts[-1].end)):
        return False
    return not _within_part(get_gazetteer(), m, part)


def _consistent(document: Document, m: PlaceMention) -> PlaceMention:
    """``m``, or the finest place it is said to lie in when its reading cannot lie there (a
    town read on another continent than its district), unless that one is the misreading
    (it lies outside the report's country and ``m`` does not)."""
    containers = _containers(document, m)
    wrong = [c for c, part in containers if not _lies_in(m, c, part)]
    parts = [c for c, part in containers if part]
    if not wrong and parts and _misread_before(document, m, parts):
        # (only when the address is otherwise consistent: a part read abroad is the
        # likelier misreading, handled above)
        wrong = [parts[0]]
    focus = document.focus_country
    parts = [c.place.country_code for c, part in containers if part]
    if not (len(parts) >= 2 and parts.count(parts[-1]) >= 2):
        # (an address of two or more parts in one country outweighs the report's focus:
        # "Mirpur upazila (Kushtia, Khulna)" is not Mirpur in India)
        wrong = [c for c in wrong if not focus or c.place.country_code == focus
                 or m.place.country_code != focus]
    if not wrong:
        return m
    return max(wrong, key=lambda c: (feature_level(c.place.feature_code, c.place.country_code),
                                     -c.start))


def _scene(document: Document, event: EventDraft) -> PlaceMention | None:
    """The finest place of the nearest sentence before the event's that names one: a report
    sets the scene and then tells what happened there ("near X village (Y Township, Z State),
    five gunmen stopped a car. A member was shot dead.")."""
    first = min(event.scope, default=0)
    for sent in range(first - 1, -1, -1):
        here = [p for p in document.places if p.sent == sent and p.resolved
                and p.role != "metonymy" and p.place.lat is not None]
        if here:
            best = max(here, key=lambda p: (feature_level(p.place.feature_code,
                                                          p.place.country_code), -p.start))
            return _consistent(document, best)
    return None


def _only_town(document: Document) -> PlaceMention | None:
    """The report's first town when all the towns it names lie within ``ONE_PLACE_KM`` of it."""
    towns = [p for p in document.places if p.resolved and p.role != "metonymy"
             and p.place.lat is not None
             and feature_level(p.place.feature_code, p.place.country_code) >= 3]
    if not towns:
        return None
    first = min(towns, key=lambda p: p.start)
    if all(haversine(first.place.lat, first.place.lon, p.place.lat, p.place.lon) <= ONE_PLACE_KM
           for p in towns):
        return first
    return None

# A bracket that holds an address's later parts, up to ``m``; and the name it follows.
_OPEN_ADDRESS = re.compile(r"\(\s*(?:[A-Z][^(),]{0,40},\s*){0,2}$")
_NAME_END = re.compile(rf"([A-Z][\w'’-]*)(?:\s+(?i:{_TYPE_ALTERNATION}))*\s*$")


def _stands_in(document: Document, m: PlaceMention) -> bool:
    """Whether ``m`` is a later part of the address of a place the gazetteer lacks ("X village
    (Macomia, Cabo Delgado)"): then it stands in for that place, near it, not at it."""
    text = document.text
    for p in document.places:
        if p.end <= m.start and not p.resolved and p.role != "metonymy" and (
                ADDRESS_GAP.fullmatch(text, p.end, m.start) is not None):
            return True
    bracket = _OPEN_ADDRESS.search(text, max(0, m.start - 90), m.start)
    if bracket is None:
        return False
    name = _NAME_END.search(text, max(0, bracket.start() - 60), bracket.start())
    return name is not None and not any(
        q.resolved and q.start <= name.start(1) < q.end for q in document.places)


# How a country or city takes part in diplomacy rather than hosts it: "China urged the United
# States", "talks with Russia", "aid to Ukraine" name parties, not venues.
PARTY_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "iobj", "dative", "conj", "appos"})
PARTY_PREPS = frozenset({"with", "to", "from", "by", "against", "for", "between", "toward",
                         "towards", "on"})


def _party(document: Document, m: PlaceMention) -> bool:
    """Whether a diplomatic event's place is one of its parties ("urged Washington")."""
    span = document.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    return tok.dep_ in PARTY_DEPS or (tok.dep_ == "pobj" and tok.head.lower_ in PARTY_PREPS)


# Events outside ACLED's scope (diplomacy) happen anywhere: no fallback to the report's focus.
OUT_OF_SCOPE_KINDS = frozenset(k for k, (sub, _) in KINDS.items() if sub is None)


def locate_event(document: Document, event: EventDraft, claimed: set[int]) -> PlaceMention | None:
    """Pick the place where ``event`` happened and set ``event.location``."""
    m = _finest_part(document, _rank(document, event, claimed))
    if m is not None:
        m = _consistent(document, m)
    if m is not None and feature_level(m.place.feature_code, m.place.country_code) >= 3:
        # "a dormitory near Kyiv ... in the city of X, south of the capital": the named town
        # beats the anchor of a relative expression.
        if m.relation:
            # (not the places it lies in: "near Merti town (Isiolo)" is not in Isiolo town)
            inside = {id(c) for c, _ in _containers(document, m)}
            towns = [o for o in document.places if o.sent in event.scope and o.role != "metonymy"
                     and o.resolved and not o.relation and o.precision == 1 and o is not m
                     and id(o) not in inside
                     and o.place.lat is not None and m.place.lat is not None
                     and haversine(o.place.lat, o.place.lon, m.place.lat, m.place.lon) < 150]
            if towns:
                m = towns[0]
        event.location = _location(m, precision=2 if _stands_in(document, m) else None)
        event.add_evidence("location", (m.start, m.end))
        claimed.add(id(m))
        return m
    if event.kind in OUT_OF_SCOPE_KINDS and (m is None or _party(document, m) or not any(
            _attached(document, m, mn.token) for mn in event.mentions)):
        return None  # a meeting's place is not guessed from the report's focus
    if m is None:
        only = _only_town(document)
        if only is not None:
            # A report that names one town (or a few a short way apart) tells where an event
            # told without a place happened, if less surely than a place in its clause.
            event.location = _location(only, precision=2)
            event.add_evidence("location", (only.start, only.end))
            return only
        m = _scene(document, event)
        if m is not None and feature_level(m.place.feature_code, m.place.country_code) >= 3:
            event.location = _location(m, precision=max(m.precision, 2))
            event.add_evidence("location", (m.start, m.end))
            return m
    gaz = get_gazetteer()
    if m is None and not any(p.resolved for p in document.places):
        lone = lone_town(document, gaz)
        if lone is not None:
            entry, start, end = lone
            event.location = _entry_location(gaz, entry)
            event.add_evidence("location", (start, end))
            return None
    cc = document.focus_country
    if m is not None and m.place.country_code:
        cc = m.place.country_code
    if m is not None and m.place.feature_code == ADMIN1:
        event.location = _location(m, precision=3)
        event.add_evidence("location", (m.start, m.end))
        return m
    if cc:
        admin = document.focus_admin1 if cc == document.focus_country else None
        loc = _country_location(gaz, cc, admin)
        if loc is not None:
            event.location = loc
            if m is not None:
                event.add_evidence("location", (m.start, m.end))
    return m


@stage("event_location", requires=("places", "events"), assigns=("events.location",))
def event_location(document: Document) -> None:
    claimed: set[int] = set()
    for event in document.events:
        locate_event(document, event, claimed)
