"""Stages ``places`` (geoparsing the report) and ``event_location`` (where each event happened).

``places`` finds toponyms (the model's GPE/LOC/FAC entities, plus capitalised gazetteer names the
model missed and descriptions such as "the Ukrainian capital"), resolves each to a gazetteer
entry using the report's focus country and the other places near it, and marks a place that
stands for its government ("Moscow said") as metonymy, so that no event is put there.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from sitrep.document import Document, EventDraft, PlaceMention
from sitrep.gazetteer import (
    ADMIN1,
    ADMIN2,
    CONTINENT,
    COUNTRY,
    TOWN,
    Entry,
    Gazetteer,
    capital_of,
    get_gazetteer,
    name_key,
    strip_type_words,
    us_state_abbreviations,
)
from sitrep.geo import candidates, entry_place, haversine, prior
from sitrep.pipeline.kinds import KINDS
from sitrep.pipeline.registry import stage
from sitrep.records import Location

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Verbs whose subject is a place acting as an agent, not a location, are most verbs; these are
# the ones a place can be the subject of and stay a location ("Kharkiv lies", "the town saw").
LOCATIVE_SUBJECT_VERBS = frozenset({
    "be", "lie", "sit", "border", "remain", "see", "experience", "suffer", "host", "have",
    "receive", "get", "become", "lose", "come", "fall", "stand", "shake", "burn", "face",
    "locate", "situate", "witness", "endure", "record", "go",
})
AGENT_NOUNS = frozenset({
    "official", "authority", "government", "leader", "diplomat", "minister", "ministry",
    "spokesman", "spokeswoman", "spokesperson", "regime", "administration", "envoy",
    "president", "prime", "leadership", "military", "commander", "embassy", "delegation",
})
POSSESSED_AGENT = frozenset({
    "proposal", "plan", "decision", "position", "policy", "government", "military", "army",
    "leader", "president", "foreign", "claim", "demand", "offer", "response", "stance",
    "ambassador", "minister", "envoy", "war", "invasion", "aggression", "offensive",
})
NOT_PLACES = frozenset({"west", "east", "north", "south", "the west", "the east", "earth",
                        "world", "the world"})
LOCATIVE_PREPS = frozenset({"in", "at", "near", "from", "into", "outside", "around", "across",
                            "throughout", "within", "towards", "toward", "on", "to", "of",
                            "through", "over", "along", "between", "inside", "off"})
DEMONYM_SUFFIXES = ("ians", "ian", "ean", "ans", "an", "ese", "ish", "is", "i", "ic", "n")
_DIRECTION = r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?"
RELATIVE = re.compile(
    r"(?:\b(?P<rel>near|nearby|outside|around|close to|next to|"
    r"(?:on\s+)?the\s+(?:outskirts|suburbs|edge)\s+of|outskirts\s+of|suburbs?\s+of|"
    r"(?:\d[\d,.]*|some|about|around|roughly|nearly|almost)?\s*-?\s*"
    r"(?:km|kms|kilometres?|kilometers?|miles?)\s+(?:\(\s*\d+\s*\w+\s*\)\s+)?"
    rf"(?:{_DIRECTION}\s+)?(?:of|from)|"
    rf"{_DIRECTION}\s+of|{_DIRECTION}\s+part\s+of|"
    r"(?:in|on)\s+the\s+" + _DIRECTION + r"\s+(?:part\s+of\s+)?)\s+(?:the\s+)?)$",
    re.IGNORECASE)
DESCRIPTIVE_CAPITAL = re.compile(r"\b(?:the\s+)?([A-Z][a-z]+)\s+capital\b")


@dataclass
class Toponym:
    """A recognised mention before resolution."""

    start: int
    end: int
    text: str
    lookup: str  # the name to look up, type words stripped
    kind: str | None  # ADMIN1/ADMIN2/TOWN when the text says so
    sent: int
    root: int  # token index of the mention's head
    entity: bool
    fixed: Entry | None = None  # resolved by description ("the Ukrainian capital")
    cands: list[tuple[Entry, float]] = field(default_factory=list)
    best: Entry | None = None
    score: float = 0.0


# -- recognition ----------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def demonym_country(word: str) -> str | None:
    """'Ukrainian' -> 'UA', 'American' -> 'US'; None when ``word`` is not a country adjective.

    The stem must be nearly the whole of a country's name ("Canad-ian", "Chin-ese"): a loose
    prefix match turns "Republican" into a republic and "American" into American Samoa.
    """
    key = name_key(word)
    if len(key) < 4:
        return None
    countries = _country_keys()
    if key in countries:
        return None
    for suffix in DEMONYM_SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 4:
            stem = key[: -len(suffix)]
            hits = {cc for ck, cc in countries.items()
                    if ck.startswith(stem) and len(ck) - len(stem) <= 3}
            if len(hits) == 1:
                return hits.pop()
    return None


@lru_cache(maxsize=1)
def _country_keys() -> dict[str, str]:
    """Every name the gazetteer gives a country (its own and common English ones)."""
    gaz = get_gazetteer()
    with gaz._lock:
        rows = gaz.conn.execute(
            "SELECT n.key, p.country_code FROM names n JOIN places p ON p.id = n.pid "
            "WHERE p.feature_code = ? AND n.q = 0", (COUNTRY,)).fetchall()
    return {key: cc for key, cc in rows if cc}


def _recognise(document: Document, gaz: Gazetteer) -> list[Toponym]:
    doc = document.doc
    found: list[Toponym] = []
    taken: set[int] = set()
    for ent in doc.ents:
        if ent.label_ == "NORP":
            # CLI.md: toponyms, not demonyms. "Ukrainian" names a country's people, and the
            # actors stage reads it from the parse; it is never a place mention.
            continue
        if ent.label_ == "ORG":
            found += _org_place(document, gaz, ent)
            continue
        if ent.label_ not in ENTITY_LABELS:
            continue
        taken.update(range(ent.start, ent.end))
        text = ent.text
        if ent[0].lower_ == "the":
            ent = ent[1:]
            if not len(ent):
                continue
            text = ent.text
        if ent[-1].tag_ == "POS" or ent[-1].text in ("'s", "’s"):
            ent = ent[:-1]
            if not len(ent):
                continue
            text = ent.text
        if text.casefold() in NOT_PLACES or not any(c.isalpha() for c in text):
            continue
        if len(ent) == 1 and demonym_country(text):
            continue  # "Ukrainian": a demonym, never a place
        lookup, kind = strip_type_words(text)
        if ent.end < len(doc) and doc[ent.end].lower_ in _TYPE_TOKENS:
            kind = kind or _TYPE_TOKENS[doc[ent.end].lower_]
        found.append(Toponym(ent.start_char, ent.end_char, text, lookup, kind,
                             document.sent_index(ent.start_char), ent.root.i, True))
    found += _missed_names(document, gaz, taken)
    found += _descriptions(document, gaz)
    found = _state_abbreviations(document, gaz, found)
    found.sort(key=lambda t: t.start)
    return found


_TYPE_TOKENS = {"oblast": ADMIN1, "province": ADMIN1, "governorate": ADMIN1, "region": ADMIN1,
                "state": ADMIN1, "district": ADMIN2, "raion": ADMIN2, "county": ADMIN2}


def _missed_names(document: Document, gaz: Gazetteer, taken: set[int]) -> list[Toponym]:
    """Capitalised names the model left out that the gazetteer knows as sizeable places."""
    doc = document.doc
    out: list[Toponym] = []
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if i in taken or tok.pos_ != "PROPN" or not tok.is_title or (
                tok.ent_type_ and not _lone_object(tok)):
            i += 1
            continue
        j = i
        while j < n and j - i < 3 and doc[j].pos_ == "PROPN" and doc[j].is_title and j not in taken:
            j += 1
        matched = False
        for end in range(j, i, -1):
            span = doc[i:end]
            lookup, kind = strip_type_words(span.text)
            if end < n and doc[end].lower_ in _TYPE_TOKENS:
                kind = _TYPE_TOKENS[doc[end].lower_]
                span = doc[i:end + 1]
            if demonym_country(lookup):
                continue
            hits = gaz.lookup(lookup)
            if not hits:
                continue
            locative = i > 0 and doc[i - 1].lower_ in LOCATIVE_PREPS
            big = max(hits, key=prior)
            if tok.ent_type_ and big.feature_code != COUNTRY and big.population < 500_000 and not (
                    locative and big.population >= 20_000):
                continue  # the model saw a person or group: only a sizeable town after "in" wins
            if (big.feature_code in (COUNTRY, ADMIN1, CONTINENT) or kind is not None
                    or big.population >= 100_000 or (locative and big.population >= 5_000)):
                out.append(Toponym(span.start_char, span.end_char, span.text, lookup, kind,
                                   document.sent_index(span.start_char), span.root.i, False))
                i = span.end
                matched = True
                break
        if not matched:
            i += 1
    return out


def _org_place(document: Document, gaz: Gazetteer, ent: Span) -> list[Toponym]:
    """The place that names a local institution: 'Mansfield Police Department', 'Douglas County
    Sheriff's Office', 'the Minnesota House'. The institution sits in (and acts for) the place."""
    toks = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
    for n in range(min(3, len(toks) - 1), 0, -1):
        head = toks[:n]
        if not all(t.is_title or t.is_upper for t in head):
            continue
        if toks[n].lower_ not in INSTITUTION_WORDS:
            continue
        span = document.doc[head[0].i:head[-1].i + 1]
        lookup, kind = strip_type_words(span.text)
        hits = gaz.lookup(span.text) or gaz.lookup(lookup)
        if not hits or demonym_country(lookup):
            continue
        big = max(hits, key=prior)
        if big.level >= 4 and big.population < 1_000 and kind is None:
            continue
        return [Toponym(span.start_char, span.end_char, span.text, lookup, kind,
                        document.sent_index(span.start_char), span.root.i, True)]
    return []


# Words that follow a place's name in the name of an institution based there.
INSTITUTION_WORDS = frozenset({
    "police", "sheriff", "sheriff's", "fire", "city", "county", "department", "mayor", "council",
    "state", "public", "community", "district", "high", "school", "schools", "board", "house",
    "senate", "jail", "regional", "municipal", "township", "town", "village", "circuit",
    "superior", "court", "chamber", "hospital", "medical", "memorial", "area", "parish",
    "national", "army", "highway", "detention", "university", "college", "library",
    "department's", "coroner", "attorney", "health", "housing", "water", "electric", "airport",
    "port", "zoo", "museum", "museum's", "planning", "metro", "transit", "legislature",
    "assembly", "parliament", "government", "ministry", "federation", "association",
    "volunteer", "emergency", "rescue", "sanitation", "utilities", "parks",
})


@lru_cache(maxsize=1)
def _abbreviation_pattern() -> re.Pattern[str]:
    abbrs = sorted(us_state_abbreviations(), key=len, reverse=True)
    alts = "|".join(re.escape(a) for a in abbrs)
    # "Alexandria, La." and a legislator's "R-Ill."; the full stop keeps "La" and "Pa" out.
    return re.compile(rf"(?:,\s*|\b[DRI]-)(?P<abbr>{alts})(?![\w.])")


def _state_abbreviations(document: Document, gaz: Gazetteer, found: list[Toponym]
                         ) -> list[Toponym]:
    """US newspaper state abbreviations as ADM1 mentions; an entity over one is re-pointed."""
    table = us_state_abbreviations()
    for m in _abbreviation_pattern().finditer(document.text):
        entry = gaz.admin1(table.get(m.group("abbr")))
        if entry is None:
            continue
        start, end = m.span("abbr")
        over = [t for t in found if t.start < end and start < t.end]
        if over:
            for t in over:
                if t.start >= start - 1 and t.end <= end + 1:
                    t.fixed, t.kind = entry, ADMIN1
            continue
        span = document.doc.char_span(start, end, alignment_mode="expand")
        root = span.root.i if span is not None else 0
        found.append(Toponym(start, end, m.group("abbr"), entry.name, ADMIN1,
                             document.sent_index(start), root, False, fixed=entry))
    found.sort(key=lambda t: t.start)
    return found


def _lone_object(tok: Token) -> bool:
    """A one-word PERSON/ORG/NORP entity that is the object of a verb or preposition ("left Kyiv"):
    the small model often tags well-known cities so; the gazetteer check decides."""
    return (tok.ent_type_ in ("PERSON", "ORG", "NORP") and tok.ent_iob_ == "B"
            and (tok.i + 1 >= len(tok.doc) or tok.doc[tok.i + 1].ent_iob_ != "I")
            and tok.dep_ in ("dobj", "pobj"))


def _descriptions(document: Document, gaz: Gazetteer) -> list[Toponym]:
    """'the Ukrainian capital' -> that country's capital city."""
    out: list[Toponym] = []
    for m in DESCRIPTIVE_CAPITAL.finditer(document.text):
        cc = demonym_country(m.group(1))
        if cc is None:
            continue
        entry = capital_of(gaz, cc)
        if entry is None:
            continue
        span = document.doc.char_span(m.start(), m.end(), alignment_mode="expand")
        root = span.root.i if span is not None else 0
        out.append(Toponym(m.start(), m.end(), m.group(0), entry.name, TOWN,
                           document.sent_index(m.start()), root, False, fixed=entry))
    return out


# -- resolution -----------------------------------------------------------------------------------
def _kind_fit(kind: str | None, entry: Entry) -> float:
    if kind is None:
        # A bare name more often means the city than the division named after it.
        return -0.1 if entry.feature_code in (ADMIN1, ADMIN2) else 0.0
    if kind == TOWN:
        return 0.2 if not entry.is_admin else -0.4
    if kind == ADMIN1:
        return 0.5 if entry.feature_code == ADMIN1 else -0.3
    return 0.5 if entry.feature_code == ADMIN2 else -0.3


# Weights of a reading's size, its country's and its admin1's share of the report's places.
W_PRIOR, W_COUNTRY, W_ADMIN = 1.0, 0.7, 0.8


def _soft_votes(tops: list[Toponym]) -> tuple[Counter[str], Counter[str]]:
    """Country and admin1 weights over the report: each mention spreads one vote over its
    readings by how likely each is, so that "Paris" alone does not make a Tennessee paper French
    while "Paris, Memphis and Nashville" together make it American."""
    countries: Counter[str] = Counter()
    admins: Counter[str] = Counter()
    seen: set[str] = set()
    for t in tops:
        if not t.cands or name_key(t.lookup) in seen:
            continue  # a name repeated ten times is still one piece of evidence
        seen.add(name_key(t.lookup))
        weights = [(e, math.exp(4.0 * (m + prior(e)))) for e, m in t.cands]
        total = sum(w for _, w in weights)
        explicit = 2.0 if any(e.feature_code == COUNTRY for e, m in t.cands if m >= 1.0) else 1.0
        for e, w in weights:
            if e.country_code:
                countries[e.country_code] += explicit * w / total
            if e.admin1_code and e.level >= 2:
                admins[e.admin1_code] += w / total
    return countries, admins


def _share(votes: Counter[str], key: str | None) -> float:
    total = sum(votes.values())
    return votes[key] / total if key and total else 0.0


def _score(t: Toponym, entry: Entry, match: float, countries: Counter[str],
           admins: Counter[str], container: list[tuple[Entry, float]] | None,
           anchors: list[tuple[str, Entry]]) -> float:
    score = match + W_PRIOR * prior(entry) + _kind_fit(t.kind, entry)
    if entry.feature_code in (COUNTRY, ADMIN1, CONTINENT) and match >= 1.0:
        score += 0.3  # a country's or state's own name nearly always means it
    score += W_COUNTRY * _share(countries, entry.country_code)
    if entry.level >= 3:
        score += W_ADMIN * _share(admins, entry.admin1_code)
    if container and any(
            c.feature_code == COUNTRY and c.country_code == entry.country_code
            or c.feature_code == ADMIN1 and c.admin1_code == entry.admin1_code
            for c, _ in container):
        score += 0.8
    own = name_key(t.lookup)
    if entry.level >= 3 and any(k != own and haversine(
            a.lat, a.lon, entry.lat, entry.lon) < 150 for k, a in anchors):
        score += 0.3
    return score


def _resolve(document: Document, gaz: Gazetteer, tops: list[Toponym]) -> None:
    for t in tops:
        if t.fixed is not None:
            t.cands = [(t.fixed, 1.0)]
        elif not t.cands:
            # "Kansas City" and "Henry County" are names in their own right: only strip the
            # type word when the whole name is unknown.
            whole = t.text[4:] if t.text.lower().startswith("the ") else t.text
            t.cands = [c for c in candidates(gaz, whole) if c[1] >= 1.0] if (
                whole != t.lookup) else []
            t.cands = t.cands or candidates(gaz, t.lookup)
    countries, admins = _soft_votes(tops)
    # Places whose reading is clear anchor the ambiguous ones near them.
    anchors: list[tuple[str, Entry]] = []
    for t in tops:
        towns = [c for c, _ in t.cands if c.level >= 2]
        if towns and (len(towns) == 1 or len({c.country_code for c in towns}) == 1):
            anchors.append((name_key(t.lookup), max(towns, key=lambda c: c.population)))
    # Two rounds: rank readings by fit to the soft focus, then again by fit to the focus the
    # first round's readings give (a Minnesota paper's "Alexandria" after its "Douglas County").
    for round_ in range(2):
        for idx, t in enumerate(tops):
            nxt = tops[idx + 1] if idx + 1 < len(tops) else None
            container = None
            if (nxt is not None and 0 < nxt.start - t.end <= 3
                    and "," in document.text[t.end:nxt.start]):
                container = nxt.cands
            best: tuple[float, Entry] | None = None
            for entry, match in t.cands:
                score = _score(t, entry, match, countries, admins, container, anchors)
                if best is None or score > best[0]:
                    best = (score, entry)
            if best is not None:
                t.best, t.score = best[1], min(1.0, best[0] / 2.5)
        if round_ == 0:
            countries = Counter()
            admins = Counter()
            seen = set()
            for t in tops:
                if (t.best is None or not t.best.country_code
                        or name_key(t.lookup) in seen):
                    continue
                seen.add(name_key(t.lookup))
                countries[t.best.country_code] += 2.0 if t.best.feature_code == COUNTRY else 1.0
                if t.best.admin1_code:
                    admins[t.best.admin1_code] += 1.0
    counts = Counter(t.best.country_code for t in tops if t.best and t.best.country_code)
    document.focus_country = counts.most_common(1)[0][0] if counts else None
    # A region is the report's focus only when (nearly) all the distinct towns it names lie in it:
    # a report on Kyiv, Zaporizhzhia and a village in Kyiv Oblast has no focus region.
    towns = {t.best.geonameid: t.best.admin1_code for t in tops if t.best and t.best.level >= 3
             and t.best.country_code == document.focus_country and t.best.admin1_code}
    admin = Counter(towns.values())
    top = admin.most_common(1)[0] if admin else None
    document.focus_admin1 = top[0] if top and top[1] / len(towns) >= 0.67 else None


# -- roles ----------------------------------------------------------------------------------------
def _role(document: Document, t: Toponym) -> str:
    """'metonymy' when the place stands for its government or people, else 'location'."""
    doc = document.doc
    if not (0 <= t.root < len(doc)):
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


def find_places(document: Document) -> None:
    """Recognise, resolve and write ``document.places`` and the report's focus."""
    gaz = get_gazetteer()
    tops = _recognise(document, gaz)
    _resolve(document, gaz, tops)
    countries = gaz.countries()
    mentions: list[PlaceMention] = []
    for t in tops:
        locative = _locative(document, t)
        if t.best is None and not (t.entity and locative):
            continue
        if (t.best is not None and not locative and t.best.level == 4
                and t.best.population < 100_000 and t.best.country_code != document.focus_country):
            continue  # a small foreign town named like a person the model took for a place
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


def _locative(document: Document, t: Toponym) -> bool:
    doc = document.doc
    tok = doc[t.root] if 0 <= t.root < len(doc) else None
    return tok is not None and tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS


@stage("places", assigns=("places", "focus_country", "focus_admin1"))
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


def _attached(document: Document, m: PlaceMention, trigger: int) -> bool:
    """Whether the place hangs off the trigger in the parse ('struck X', 'attack in X')."""
    doc = document.doc
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not (0 <= trigger < len(doc)):
        return False
    tok = span.root
    for _ in range(4):
        if tok.i == trigger:
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return tok.i == trigger


def _rank(document: Document, event: EventDraft, claimed: set[int]) -> PlaceMention | None:
    usable = [m for m in document.places if m.role != "metonymy" and m.resolved]
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
        level = 0 if m.place.feature_code in (CONTINENT, COUNTRY) else (
            1 if m.place.feature_code == ADMIN1 else 2)
        specific = 1 if m.precision == 1 else 0
        rank = (float(level >= 2), tier - (0.5 if id(m) in claimed else 0), float(specific),
                -float(scope.index(m.sent)), float(level))
        if best is None or rank > best[0]:
            best = (rank, m)
    return best[1] if best else None


# Events outside ACLED's scope (diplomacy) happen anywhere: no fallback to the report's focus.
OUT_OF_SCOPE_KINDS = frozenset(k for k, (sub, _) in KINDS.items() if sub is None)


def locate_event(document: Document, event: EventDraft, claimed: set[int]) -> PlaceMention | None:
    """Pick the place where ``event`` happened and set ``event.location``."""
    m = _rank(document, event, claimed)
    if m is not None and m.place.feature_code not in (CONTINENT, COUNTRY, ADMIN1):
        # "a dormitory near Kyiv ... in the city of X, south of the capital": the named town
        # beats the anchor of a relative expression.
        if m.relation:
            towns = [o for o in document.places if o.sent in event.scope and o.role != "metonymy"
                     and o.resolved and not o.relation and o.precision == 1 and o is not m
                     and o.place.lat is not None and m.place.lat is not None
                     and haversine(o.place.lat, o.place.lon, m.place.lat, m.place.lon) < 150]
            if towns:
                m = towns[0]
        event.location = _location(m)
        event.add_evidence("location", (m.start, m.end))
        claimed.add(id(m))
        return m
    if event.kind in OUT_OF_SCOPE_KINDS and (m is None or not any(
            _attached(document, m, mn.token) for mn in event.mentions)):
        return None  # a meeting's place is not guessed from the report's focus
    gaz = get_gazetteer()
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
