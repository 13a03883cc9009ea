"""Resolving toponyms: choosing each name's reading with the report's focus country, the
other places near it, addresses ("X, Y district, Z") and one sense per name per report.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import islice
from typing import TYPE_CHECKING, Any

from sitrep.document import Document
from sitrep.places.candidates import (
    DESCRIPTIVE,
    ROUTE_WORDS,
    STREET_WORDS,
    TYPED_MATCH,
    _candidates,
    typed_mention,
)
from sitrep.places.gazetteer import (
    ADMIN1,
    ADMIN2,
    CAPITAL,
    CONTINENT,
    COUNTRY,
    REGION,
    RIVER,
    TOWN,
    TYPE_WORDS,
    WATERS,
    Entry,
    Gazetteer,
    strip_type_words,
)
from sitrep.places.geocode import TRANSLIT_MATCH, TYPO_FACTOR, haversine, prior
from sitrep.places.names import name_key
from sitrep.places.recognise import (
    COMPASS_PARTS,
    MAJOR_REGION,
    NOT_PLACES,
    Toponym,
    _river_readings,
    demonym_country,
)

if TYPE_CHECKING:
    pass


def _sub_span(document: Document, gaz: Gazetteer, t: Toponym
              ) -> tuple[int, int, str, list[tuple[Entry, float]]] | None:
    """The place inside a longer name the gazetteer does not know: 'Henderson County Jail',
    'Western Massachusetts', 'Glendale Galleria', 'Battle of Richmond'. Longest part first."""
    span = document.doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None or len(span) < 2 or len(span) > 10 or _street(t.text):
        return None
    toks = list(span)
    best: tuple[tuple[float, ...], tuple[int, int, str, list[tuple[Entry, float]]]] | None = None
    for size in range(min(4, len(toks) - 1), 0, -1):
        for i in range(len(toks) - size + 1):
            part = toks[i:i + size]
            first, last = part[0], part[-1]
            if not (first.is_title or first.is_upper) or (
                    size == 1 and first.lower_ in DESCRIPTIVE) or first.lower_ in ("the", "of"):
                continue
            if i > 0 and toks[i - 1].lower_ not in DESCRIPTIVE:
                continue  # "Goz Beida", "Swat Valley": the tail of a name is not a name
            if last.lower_ in DESCRIPTIVE - {"county", "city", "state"} or last.is_punct:
                continue
            text = document.doc[first.i:last.i + 1].text
            lookup, _ = strip_type_words(text)
            if demonym_country(lookup) or text.casefold() in NOT_PLACES:
                continue
            # A lone word must be a place's own name, unless it follows a compass point: an
            # abbreviation no place owns ("D.C.", "Phila.") is then the place it names.
            lone = size == 1 and not (i > 0 and toks[i - 1].lower_ in COMPASS_PARTS)
            cands = [c for c in _candidates(gaz, text) if c[1] >= (1.0 if lone else 0.9)]
            if not cands:
                continue
            if lookup != text and all(m < 1.0 for _, m in cands):
                # "Springfield City Schools": one Springfield filing "Springfield City" as an
                # alternate name is no reason to drop every other Springfield.
                own = {e.id: (e, m) for e, m in _candidates(gaz, lookup) if m >= 1.0}
                cands = list(own.values()) + [c for c in cands if c[0].id not in own]
            big = max(cands, key=lambda c: prior(c[0]))[0]
            if size == 1 and big.level >= 4 and big.population < 1_000:
                continue
            rank = (float(size), prior(big))
            if best is None or rank > best[0]:
                best = (rank, (first.idx, last.idx + len(last.text), text, cands))
        if best is not None:
            return best[1]
    return None


def _street(text: str) -> bool:
    words = text.casefold().split()
    return bool(words) and (words[-1] in STREET_WORDS or words[0] in ROUTE_WORDS
                            or words[0].startswith("i-"))


def _kind_fit(kind: str | None, entry: Entry) -> float:
    if kind is None:
        # A bare name more often means the city than the division named after it.
        return -0.1 if entry.feature_code in (ADMIN1, ADMIN2) else 0.0
    if kind == RIVER:
        return 0.5 if entry.feature_code == RIVER else -0.5
    if kind == TOWN:
        return 0.2 if not entry.is_admin else -0.4
    # A "province" is a first-level division in most countries and a second-level one in
    # some (Burkina Faso's 45 provinces); a "district" the other way round (Uganda's): the
    # other level fits less, a town not at all.
    wanted, other = (ADMIN1, ADMIN2) if kind == ADMIN1 else (ADMIN2, ADMIN1)
    return 0.5 if entry.feature_code == wanted else 0.1 if entry.feature_code == other else -0.3


# The weights below were set by hand and then by scripts/tune_places.py (a coordinate search
# on the LGL dev split, GeoVirus held out; see docs/EVALUATION.md).
# Weights of a reading's size, its country's and its admin1's share of the report's places.
W_PRIOR, W_COUNTRY, W_ADMIN = 1.0, 0.7, 1.0
# Names whose own name nearly always means them (a state, not its namesake town).
REGION_CODES = frozenset({COUNTRY, ADMIN1, CONTINENT, REGION, *WATERS})
W_DEMONYM = 2.0  # country votes of each distinct demonym
# Weight of each other place of the report (up to three) that lies near a reading: a local
# paper's "Richmond" is the one beside its "Madison County" and "Berea".
W_NEAR, NEAR_KM = 0.25, 45.0
# Weight of the other names with a reading near a reading (see ``_support``), and the most
# readings of one name that take part.
W_SUPPORT, MAX_READINGS = 0.3, 40
# Support strong enough for a town to be read against a country or state of the same name
# ("Lebanon" beside its own "Boone County").
STRONG_SUPPORT = 0.6
# A small state or province blocks its namesake towns only in a report about its country
# (Berea district of Lesotho does not block Berea, Kentucky; Ontario always blocks).
REGION_SHARE = 0.2
# Rounds of reading every name against the others' readings; from round LIVE_FROM on, the
# neighbours of a reading are counted as they are at that moment (see ``_resolve``).
ROUNDS, LIVE_FROM = 4, 2
# Bonus of a bare name's readings in the division a typed mention of that name resolved to.
W_TYPED = 0.6
# Bonuses of a country's or state's own name, of a reading inside the place named after a
# comma ("Boone County, Ind."), and of a reading near a place with a clear reading.
W_OWN_REGION, W_CONTAINER, W_ANCHOR = 0.3, 0.8, 0.3
# How sharply a name's soft vote favours its likelier readings.
SOFT_SHARPNESS = 4.0


def _soft_votes(tops: list[Toponym]) -> dict[str, tuple[Counter[str], Counter[str]]]:
    """Country and admin1 weights of each name of the report: each name spreads one vote over
    its readings by how likely each is, so that "Paris" alone does not make a Tennessee paper
    French while "Paris, Memphis and Nashville" together make it American."""
    out: dict[str, tuple[Counter[str], Counter[str]]] = {}
    for t in tops:
        key = name_key(t.lookup)
        if not t.cands or key in out:
            continue  # a name repeated ten times is still one piece of evidence
        countries: Counter[str] = Counter()
        admins: Counter[str] = Counter()
        weights = [(e, math.exp(SOFT_SHARPNESS * (m + prior(e)))) for e, m in t.cands]
        total = sum(w for _, w in weights)
        explicit = 2.0 if any(e.feature_code == COUNTRY for e, m in t.cands if m >= 1.0) else 1.0
        for e, w in weights:
            if e.country_code:
                countries[e.country_code] += explicit * w / total
            if e.admin1_code and e.level >= 2:
                admins[e.admin1_code] += w / total
        out[key] = (countries, admins)
    return out


def _demonym_countries(document: Document) -> set[str]:
    out = set()
    for ent in document.doc.ents:
        if ent.label_ == "NORP" and len(ent) <= 2:
            cc = demonym_country(ent[-1].text)
            if cc:
                out.add(cc)
    return out


def _drop_unsupported_variants(tops: list[Toponym], soft: dict[str, tuple[Counter[str],
                               Counter[str]]], countries: Counter[str]) -> None:
    """A reading that only another romanisation or a misspelling links to the mention
    ("Harbour" for a Harbor abroad) stands only where the report's other names or peoples point
    to its country: an unknown English name is no village abroad. (A misspelt country or
    state, "Afganistan", stands on its own.)"""
    for t in tops:
        # Town readings by another romanisation (TRANSLIT_MATCH) or a misspelling (below
        # TYPO_FACTOR; an alternate name matches at TYPO_FACTOR or more).
        loose = [e.id for e, m in t.cands
                 if e.level > 2 and (m == TRANSLIT_MATCH or m < TYPO_FACTOR)]
        if not loose:
            continue
        others = countries.copy()
        own = name_key(t.lookup)
        if own in soft:
            others.subtract(soft[own][0])
        t.cands = [(e, m) for e, m in t.cands
                   if e.id not in loose or others[e.country_code or ""] > 0]


def _share(votes: Counter[str], key: str | None) -> float:
    total = sum(votes.values())
    return votes[key] / total if key and total > 0 else 0.0


def _score(t: Toponym, entry: Entry, match: float, countries: Counter[str],
           admins: Counter[str], container: list[tuple[Entry, float]] | None,
           anchors: Anchors, near: int = 0, region_named: bool = False,
           towns_inside: frozenset[str] = frozenset()) -> float:
    score = match + W_PRIOR * prior(entry) + _kind_fit(t.kind, entry)
    if entry.feature_code in REGION_CODES and match >= 1.0 and not (
            entry.level == 2 and (entry.admin1_code in towns_inside
                                  or entry.population < MAJOR_REGION)):
        # A country's or state's own name nearly always means it, unless a town of that name
        # lies in it: a bare "Istanbul" or "Kabul" is the city, not its province.
        score += W_OWN_REGION
    score += W_COUNTRY * _share(countries, entry.country_code)
    if entry.level >= 3 and not region_named:
        score += W_ADMIN * _share(admins, entry.admin1_code)
    if container and any(
            c.feature_code == COUNTRY and c.country_code == entry.country_code
            or c.feature_code == ADMIN1 and c.admin1_code == entry.admin1_code
            for c, _ in container):
        score += W_CONTAINER
    if entry.level >= 3 and not region_named and anchors.near(entry, name_key(t.lookup)):
        score += W_ANCHOR
    return score + W_NEAR * min(near, 3)


Vote = tuple[str, float, str | None, int]  # country, weight, admin1 code, the entry voted for


def _vote(entry: Entry) -> Vote:
    return (entry.country_code or "", 2.0 if entry.feature_code == COUNTRY else 1.0,
            entry.admin1_code, entry.id)


def _tally(cast: dict[str, list[Vote]], peoples: Counter[str]
           ) -> tuple[Counter[str], Counter[str], dict[int, list[str]]]:
    """The report's country and admin1 votes, and the names read as each entry."""
    countries = Counter(peoples)
    admins: Counter[str] = Counter()
    read_as: dict[int, list[str]] = {}
    for key, votes in cast.items():
        for cc, weight, code, eid in votes:
            countries[cc] += weight
            if code:
                admins[code] += weight
            read_as.setdefault(eid, []).append(key)
    return countries, admins, read_as


def _without(countries: Counter[str], admins: Counter[str], votes: list[Vote]
             ) -> tuple[Counter[str], Counter[str]]:
    """The report's country and admin1 votes less ``votes``."""
    countries, admins = countries.copy(), admins.copy()
    for cc, weight, code, _ in votes:
        countries[cc] -= weight
        if code:
            admins[code] -= weight
    return countries, admins


class Anchors:
    """Places whose reading is clear, to anchor ambiguous names near them.

    One anchor a name and reading (a name repeated a thousand times is one anchor), filed in
    cells of 1.5 degrees so a reading is compared with the anchors around it only, and each
    answer kept for the rounds (the anchors do not change): without these, a report that
    repeats its names, or names very many, took time quadratic in its toponyms.
    """

    CELL = 1.5  # degrees: "near" needs less than 1.5 degrees of latitude apart and 150 km
    COLUMNS = 240  # 360 / CELL

    def __init__(self) -> None:
        self.anchors: dict[tuple[str, int], Entry] = {}
        self.cells: dict[tuple[int, int], list[tuple[str, Entry]]] = {}
        self.answers: dict[tuple[int, str], bool] = {}

    def add(self, own: str, entry: Entry) -> None:
        if (own, entry.id) in self.anchors:
            return
        self.anchors[(own, entry.id)] = entry
        cell = (math.floor(entry.lat / self.CELL), math.floor(entry.lon / self.CELL))
        self.cells.setdefault((cell[0], cell[1] % self.COLUMNS), []).append((own, entry))

    def _columns(self, entry: Entry) -> range | list[int]:
        """The cell columns within 150 km of ``entry`` (twice that, to be safe)."""
        lat = min(abs(entry.lat) + self.CELL, 89.0)
        span = 2 * 150 / (111.32 * math.cos(math.radians(lat)))
        if span >= 180:
            return range(self.COLUMNS)
        col, k = math.floor(entry.lon / self.CELL), math.ceil(span / self.CELL) + 1
        return [c % self.COLUMNS for c in range(col - k, col + k + 1)]

    def near(self, entry: Entry, own: str) -> bool:
        """Whether a place with a clear reading (not this name) lies within 150 km."""
        key = (entry.id, own)
        found = self.answers.get(key)
        if found is None:
            row = math.floor(entry.lat / self.CELL)
            found = self.answers[key] = any(
                k != own and abs(a.lat - entry.lat) < 1.5
                and haversine(a.lat, a.lon, entry.lat, entry.lon) < 150
                for r in (row - 1, row, row + 1) for c in set(self._columns(entry))
                for k, a in self.cells.get((r, c), ()))
        return found


def _one_sense(tops: list[Toponym], raw: dict[int, float]) -> None:
    """One name, one place per report: bare mentions of a name take the reading of its most
    confident bare mention (a headline's "Springfield" is the body's "Springfield")."""
    groups: dict[str, list[Toponym]] = {}
    for t in tops:
        if t.kind is None and t.fixed is None and t.best is not None:
            groups.setdefault(name_key(t.lookup), []).append(t)
    for group in groups.values():
        if len(group) < 2:
            continue
        lead = max(group, key=lambda t: raw.get(id(t), 0.0))
        for t in group:
            if t.best is not lead.best and any(e is lead.best for e, _ in t.cands):
                t.best, t.score = lead.best, lead.score


# What lies between the parts of an address ("Boya area, Federally Administered Tribal Areas,
# Pakistan", "the Safi sub-district of Mohmand", "Sidoarjo city (East Java province)"): type
# words and "of" (not "of" alone: "the Nice of Russia"), or a comma or an opening bracket after
# at most two type words, followed by at most two parts that are no place of their own.
_TYPE_ALTERNATION = "|".join(sorted(map(re.escape, TYPE_WORDS), key=len, reverse=True))
_PART_BREAK = r"\s*(?:,\s*\(?|\()\s*"
ADDRESS_GAP = re.compile(rf"(?P<of>(?:\s+(?i:{_TYPE_ALTERNATION})){{1,2}})\s+of\s+|"
                         rf"(?P<types>(?:\s+(?i:{_TYPE_ALTERNATION})){{0,2}}){_PART_BREAK}"
                         rf"(?:[A-Z][^,.;:!?()\n]{{0,50}}{_PART_BREAK}){{0,2}}")


# Parts of an address read after its first: more than any address has, and a bound on the
# work in a long comma-separated list of names (each name would read the rest of the list).
MAX_ADDRESS_PARTS = 12


def _address(text: str, tops: list[Toponym], i: int) -> tuple[str | None, Entry | None]:
    """The country and the admin1 division named by the parts of an address after ``tops[i]``
    (read up to the country, which ends an address). After another town, a state counts only
    if the first part is typed as a part of a town ("Arabi neighborhood, Mosul, Nineveh"):
    "Denver, Indianapolis, Louisville, Ky." is a list, and Louisville's state is not Denver's."""
    end, admin1, typed, listed = tops[i].end, None, tops[i].kind is not None, False
    for u in tops[i + 1:i + 1 + MAX_ADDRESS_PARTS]:
        gap = ADDRESS_GAP.fullmatch(text, end, u.start)
        if gap is None:
            break
        typed = typed or bool(gap.group("of") or gap.group("types"))
        end = u.end
        if u.best is None or u.vote_only:
            continue
        if u.best.feature_code == COUNTRY:
            # A state read in another country is a misreading ("Caracas, Capital, Venezuela"
            # is no Danish Capital Region).
            cc = u.best.country_code
            return cc, admin1 if admin1 is not None and admin1.country_code == cc else None
        if u.best.level >= 3:
            listed = listed or not typed
        elif u.best.level == 2 and u.best.admin1_code and admin1 is None and not listed:
            admin1 = u.best
    return None, admin1


# How far from the point of the state an address names a town of the name may lie when GeoNames
# files it in another state: a neighbour's town near the border, not one across the country.
NEIGHBOUR_STATE_KM = 300.0


def _fit_addresses(document: Document, tops: list[Toponym]) -> None:
    """A town that opens an address ("Arabi neighborhood, Mosul, Nineveh, Iraq", "Bara tehsil,
    Khyber, ..., Pakistan") lies in the state and country the address names: its reading moves
    to a namesake there, and with none there the name stays unresolved, not a town a continent
    away (Arabi in Ethiopia, Bara in Nigeria)."""
    for i, t in enumerate(tops):
        if t.best is None or t.best.level < 2 or t.fixed is not None:
            continue
        country, admin1 = _address(document.text, tops, i)
        if t.best.level == 2:
            # A state moves to its namesake in the address's country ("Southern, Israel",
            # "Punjab, India"); with none there it is a list ("Texas, Mexico and Canada").
            if country and t.best.country_code != country:
                there = [(e, m) for e, m in t.cands if e.country_code == country
                         and e.level == 2]
                if there:
                    t.best = _likeliest(there)
            continue
        in_country = [(e, m) for e, m in t.cands if country is None or e.country_code == country]
        inside = [(e, m) for e, m in in_country
                  if admin1 is None or e.admin1_code == admin1.admin1_code]
        if not inside and admin1 is not None:
            # GeoNames may file a town in a neighbouring state ("Slavutych, Kyiv Oblast"): its
            # own name near the state still holds; a loose reading or a namesake across the
            # country does not ("Blooming Grove, Pennsylvania" is none in Texas or Illinois).
            # A state split since keeps its name in its parts' names ("Wamena, Papua province"
            # is in Papua Pegunungan, split from Papua in 2022).
            least = TYPED_MATCH if typed_mention(document.text, t.start, t.end, t.kind) else 1.0
            inside = [(e, m) for e, m in in_country if m >= least and (haversine(
                e.lat, e.lon, admin1.lat, admin1.lon) <= NEIGHBOUR_STATE_KM or (
                    e.admin1 or "").startswith(f"{admin1.name} "))]
        if any(e is t.best for e, _ in inside):
            continue
        if inside:
            t.best = _likeliest(inside)
        else:
            t.best, t.score = None, 0.0


def _likeliest(cands: list[tuple[Entry, float]]) -> Entry:
    """The reading a bare name most likely means, by its match and size alone."""
    return max(cands, key=lambda c: c[1] + prior(c[0]))[0]


def _km(lat_a: Any, lon_a: Any, lat_b: Any, lon_b: Any) -> Any:
    """Great-circle km between points given in radians, as numpy arrays broadcast together
    (readings down, places across)."""
    import numpy as np

    a = (np.sin((lat_b - lat_a) / 2) ** 2
         + np.cos(lat_a) * np.cos(lat_b) * np.sin((lon_b - lon_a) / 2) ** 2)
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _read_towns(tops: list[Toponym]) -> dict[str, Entry]:
    """Each name's reading (its first mention's) where that is a town or a district."""
    points: dict[str, Entry] = {}
    for t in tops:
        if t.best is not None and t.best.level >= 3:
            points.setdefault(name_key(t.lookup), t.best)
    return points


# Distinct names up to which late rounds read neighbours and votes live (see _resolve), and
# neighbours and support are weighed at all: their work grows with the square of the names.
MAX_LIVE_NAMES = 300
# Mentions of one name looked at for its town reading: a name's first mentions read alike.
FIRST_MENTIONS = 8


def _current_towns(by_name: dict[str, list[Toponym]]) -> dict[str, Entry]:
    """``_read_towns`` a name at a time: the reading of each name's first mention (of its
    first FIRST_MENTIONS) that is read as a town or a district."""
    points: dict[str, Entry] = {}
    for key, mentions in by_name.items():
        for t in islice(mentions, FIRST_MENTIONS):
            if t.best is not None and t.best.level >= 3:
                points[key] = t.best
                break
    return points


def _neighbours(tops: list[Toponym]) -> dict[tuple[int, str], int]:
    """For each reading of each ambiguous name, how many other names of the report are read
    (so far) as places within NEAR_KM of it. One vectorised pass over the report."""
    import numpy as np

    points = _read_towns(tops)
    pairs = {(e.id, name_key(t.lookup)): e for t in tops if len(t.cands) > 1
             for e, _ in t.cands if e.level >= 2}
    if len(points) < 2 or not pairs or len(points) > MAX_LIVE_NAMES:
        return {}  # past MAX_LIVE_NAMES names the matrix grows with their square: left out
    keys = list(points)
    plat = np.radians([points[k].lat for k in keys])
    plon = np.radians([points[k].lon for k in keys])
    items = list(pairs.items())
    clat = np.radians([e.lat for _, e in items])[:, None]
    clon = np.radians([e.lon for _, e in items])[:, None]
    within = _km(clat, clon, plat, plon) < NEAR_KM
    index = {k: i for i, k in enumerate(keys)}
    out: dict[tuple[int, str], int] = {}
    same = np.array([e.id for _, e in items])[:, None] == np.array(
        [points[k].id for k in keys])[None, :]
    within &= ~same  # a reading is no neighbour of itself read for another name
    for row, ((eid, own), _) in enumerate(items):
        n = int(within[row].sum())
        if own in index and within[row, index[own]]:
            n -= 1
        if n:
            out[(eid, own)] = n
    return out


def _near_now(cands: list[tuple[Entry, float]], own: str, by_name: dict[str, list[Toponym]]
              ) -> dict[int, int]:
    """How many other names are read, right now, as places within NEAR_KM of each reading.

    ``by_name`` holds each name's mentions in order: the readings are taken a name at a time
    (``_current_towns``), not by walking every mention for every mention.
    """
    import numpy as np

    points = _current_towns(by_name)
    points.pop(own, None)
    ents = [e for e, _ in cands if e.level >= 2]
    if not points or not ents:
        return {}
    plat = np.radians([p.lat for p in points.values()])
    plon = np.radians([p.lon for p in points.values()])
    clat = np.radians([e.lat for e in ents])[:, None]
    clon = np.radians([e.lon for e in ents])[:, None]
    within = _km(clat, clon, plat, plon) < NEAR_KM
    within &= np.array([e.id for e in ents])[:, None] != np.array(
        [p.id for p in points.values()])[None, :]
    counts = within.sum(axis=1)
    return {e.id: int(n) for e, n in zip(ents, counts, strict=True) if n}


def _support(tops: list[Toponym]) -> dict[tuple[int, str], float]:
    """For each reading of each ambiguous name, the other names of the report that have some
    reading near it, each weighted by how few readings it has: "Paris" and "Henry County" in
    one report pull each other to Tennessee, where both have a reading, before either is
    resolved. Readings are capped per name (biggest first) to keep this one small matrix."""
    import numpy as np

    per_name: dict[str, list[Entry]] = {}
    for t in tops:
        key = name_key(t.lookup)
        if key in per_name or not t.cands:
            continue
        ents = sorted((e for e, _ in t.cands if e.level >= 2), key=prior, reverse=True)
        if ents:
            per_name[key] = ents[:MAX_READINGS]
    if (len(per_name) < 2 or len(per_name) > MAX_LIVE_NAMES
            or all(len(v) == 1 for v in per_name.values())):
        return {}  # past MAX_LIVE_NAMES names the matrices grow with their square: left out
    keys = list(per_name)
    name_of = np.array([i for i, k in enumerate(keys) for _ in per_name[k]])
    ents = [e for k in keys for e in per_name[k]]
    lat = np.radians(np.array([e.lat for e in ents], dtype=np.float32))
    lon = np.radians(np.array([e.lon for e in ents], dtype=np.float32))
    close = np.clip(1.0 - _km(lat[:, None], lon[:, None], lat[None, :], lon[None, :]) / NEAR_KM,
                    0.0, 1.0)
    # One place read for two names is no support: "Mecca" and "Medina" in one report are two
    # places, not an Ohio town that files one as the other's alternate name.
    ids = np.array([e.id for e in ents])
    close[ids[:, None] == ids[None, :]] = 0.0
    # close[i, j] reduced to: how near to reading i is name n's nearest reading?
    by_name = np.zeros((len(ents), len(keys)), dtype=np.float32)
    for n in range(len(keys)):
        by_name[:, n] = close[:, name_of == n].max(axis=1)
    weight = np.array([1.0 / (1.0 + math.log(len(per_name[k]))) for k in keys],
                      dtype=np.float32)
    by_name[np.arange(len(ents)), name_of] = 0.0
    scores = by_name @ weight
    out: dict[tuple[int, str], float] = {}
    for i, e in enumerate(ents):
        if scores[i] > 0 and len(per_name[keys[name_of[i]]]) > 1:
            out[(e.id, keys[name_of[i]])] = float(scores[i])
    return out


def _lookup_candidates(gaz: Gazetteer, t: Toponym) -> list[tuple[Entry, float]]:
    if t.kind == RIVER:
        # "the bank of the Dnipro", "the Jordan river": the river, though a city or a country
        # owns the bare name (and would hide a reading only an alternate name gives).
        rivers = [(e, 1.0) for e in _river_readings(gaz, t.lookup)]
        if rivers:
            return rivers
    # "Kansas City" and "Henry County" are names in their own right: only strip the type word
    # when the whole name is unknown.
    whole = t.text[4:] if t.text.lower().startswith("the ") else t.text
    cands = [c for c in _candidates(gaz, whole) if c[1] >= 1.0] if whole != t.lookup else []
    cands = cands or _candidates(gaz, t.lookup, variants=t.entity)
    if t.entity and not any(c.isupper() for c in t.text):
        # A name in lower case ("the east bank", "the front line") is a description: a
        # country, state or region of that name at most, never a town.
        cands = [c for c in cands if c[0].level <= 2]
    return cands


def _resolve(document: Document, gaz: Gazetteer, tops: list[Toponym]) -> None:
    for t in tops:
        if t.fixed is not None:
            t.cands = [(t.fixed, 1.0)]
        elif not t.cands:
            t.cands = _lookup_candidates(gaz, t)
            if not t.cands and t.entity:
                found = _sub_span(document, gaz, t)
                if found is not None:
                    t.start, t.end, t.text, t.cands = found
                    t.partial = True
                    t.lookup, t.kind = strip_type_words(t.text)
    soft = _soft_votes(tops)
    countries: Counter[str] = Counter()
    admins: Counter[str] = Counter()
    for c, a in soft.values():
        countries.update(c)
        admins.update(a)
    # Demonyms are no places, but they say which country a report is about ("Russian troops"
    # make its "St. Petersburg" the Russian one).
    peoples = Counter({cc: W_DEMONYM for cc in _demonym_countries(document)})
    countries.update(peoples)
    all_countries, all_admins = countries, admins
    _drop_unsupported_variants(tops, soft, countries)
    cast: dict[str, list[Vote]] = {}
    last: dict[str, Vote] = {}  # the previous round's readings
    read_as: dict[int, list[str]] = {}  # entry id -> the names read as it (last round)
    # Places whose reading is clear anchor the ambiguous ones near them.
    anchors = Anchors()
    for t in tops:
        towns = [c for c, _ in t.cands if c.level >= 2]
        if towns and (len(towns) == 1 or len({c.country_code for c in towns}) == 1):
            anchors.add(name_key(t.lookup), max(towns, key=lambda c: c.population))
    by_name: dict[str, list[Toponym]] = {}
    for t in tops:
        by_name.setdefault(name_key(t.lookup), []).append(t)
    # Live late rounds cost a pass over the report's names for each mention: past this many
    # names (a gazetteer pasted as a report) they read neighbours and votes once a round.
    live_rounds = len(by_name) <= MAX_LIVE_NAMES
    # Rounds: rank readings by fit to the soft focus, then again by fit to the focus the
    # previous round's readings give (a Minnesota paper's "Alexandria" after its "Douglas County").
    neighbours: dict[tuple[int, str], int] = {}
    support = _support(tops)
    typed: dict[str, str] = {}
    town_codes: dict[str, str] = {}
    town_code_counts: Counter[str] = Counter()
    raw: dict[int, float] = {}
    for round_ in range(ROUNDS):
        for idx, t in enumerate(tops):
            document.check_deadline()
            nxt = tops[idx + 1] if idx + 1 < len(tops) else None
            container = None
            if (nxt is not None and 0 < nxt.start - t.end <= 3
                    and "," in document.text[t.end:nxt.start]):
                container = nxt.cands
            best: tuple[float, Entry] | None = None
            own = name_key(t.lookup)
            countries, admins = all_countries, all_admins
            if round_ == 0 and own in soft:
                countries, admins = all_countries.copy(), all_admins.copy()
                countries.subtract(soft[own][0])
                admins.subtract(soft[own][1])
            elif own in cast:
                # Leave the name's own vote out: "Jordan" must not vote itself a country.
                countries, admins = _without(all_countries, all_admins, cast[own])
            # A country's or state's own name is not outvoted by a namesake town's neighbours
            # ("Mexico" beside New York places stays the country).
            regions = [e for e, m in t.cands if m >= 1.0 and (e.level == 1 or e.level == 2 and (
                e.population >= MAJOR_REGION or _share(countries, e.country_code) >= REGION_SHARE))]
            towns_inside = frozenset(e.admin1_code for e, m in t.cands
                                     if e.level == 4 and m >= 1.0 and e.admin1_code)
            live = None
            if round_ >= LIVE_FROM and len(t.cands) > 1 and live_rounds:
                # Late rounds read neighbours as they are now, names before this one
                # included: two names that each follow the other's previous reading
                # ("Richmond" and "Madison County") would otherwise swap states every round.
                live = _near_now(t.cands, own, by_name)
            best_town: tuple[float, Entry] | None = None
            best_blocked = False
            for entry, match in t.cands:
                # ...unless the town lies in it: Kabul city in Kabul province.
                named_region = bool(regions) and not any(
                    r.country_code == entry.country_code and (
                        r.level == 1 or r.admin1_code == entry.admin1_code) for r in regions)
                if live is not None:
                    near = live.get(entry.id, 0)
                else:
                    near = neighbours.get((entry.id, own), 0) if neighbours else 0
                local = W_SUPPORT * min(support.get((entry.id, own), 0.0), 2.0)
                blocked = named_region and entry.level >= 3
                votes = (countries, admins)
                echo = [k for k in dict.fromkeys(read_as.get(entry.id, ())) if k != own]
                if echo:
                    # Another name read as this very place ("Medina" for an Ohio town that files
                    # "Mecca" as an alternate) is no evidence that this name means it too.
                    votes = _without(countries, admins, [
                        v for k in echo for v in cast[k] if v[3] == entry.id])
                score = _score(t, entry, match, *votes, container, anchors,
                               0 if blocked else near, named_region, towns_inside)
                if blocked:
                    # Against the region, a town has only strong support; against its
                    # namesake towns, it has all its context ("Lebanon" beside "Warren County"
                    # is the Ohio one once the country has lost).
                    free = _score(t, entry, match, *votes, container, anchors, near, False,
                                  towns_inside) + local
                    if best_town is None or free > best_town[0]:
                        best_town = (free, entry)
                    if local < W_SUPPORT * STRONG_SUPPORT:
                        local = 0.0
                score += local
                if entry.level == 2 and town_codes:
                    # A state's towns vouch for it: "Georgia" beside Atlanta and Macon (the
                    # name's own town reading does not).
                    # (counted once a round: a list of the others for every reading was
                    # quadratic in the names of the report)
                    mine = town_codes.get(own)
                    n_others = len(town_codes) - (own in town_codes)
                    if n_others:
                        same = town_code_counts[entry.admin1_code] - (
                            mine is not None and mine == entry.admin1_code)
                        score += W_ADMIN * same / n_others
                if t.kind is None and entry.admin1_code and entry.admin1_code == typed.get(own):
                    score += W_TYPED
                if best is None or score > best[0]:
                    best, best_blocked = (score, entry), blocked
            if (best is not None and best_town is not None and best_blocked
                    and best[1].feature_code != CAPITAL):
                best = best_town
            if best is not None:
                t.best, t.score = best[1], min(1.0, best[0] / 2.5)
                raw[id(t)] = best[0]
                if round_ >= LIVE_FROM and best[1].country_code and live_rounds:
                    # Late rounds also vote at once (averaged with the round before): the
                    # next name reads this one as it is now, so that a pair that would swap
                    # readings every round ("Mecca" and "Medina") settles on one sense.
                    votes_now = [_vote(best[1])] + ([last[own]] if own in last else [])
                    cast[own] = [(cc, w / len(votes_now), code, eid)
                                 for cc, w, code, eid in votes_now]
                    all_countries, all_admins, read_as = _tally(cast, peoples)
        if round_ < ROUNDS - 1:
            neighbours = _neighbours(tops)
            # "the Province of Ontario" or "Henry County, Tenn." says which one the bare
            # "Ontario" or "Henry County" of the same report is.
            town_codes = {name_key(t.lookup): t.best.admin1_code for t in reversed(tops)
                          if t.best is not None and t.best.level >= 3 and t.best.admin1_code}
            town_code_counts = Counter(town_codes.values())
            typed = {name_key(t.lookup): t.best.admin1_code for t in tops
                     if t.best is not None and t.best.admin1_code and (
                         t.kind is not None or t.fixed is not None) and t.best.level <= 3}
            # Each round's readings vote, averaged with the round before: two names that
            # pull each other back and forth ("Mecca" and "Medina", each with a namesake town
            # abroad) settle instead of swapping every round.
            now: dict[str, Vote] = {}
            for t in tops:
                key = name_key(t.lookup)
                if t.best is None or not t.best.country_code or key in now:
                    continue
                now[key] = _vote(t.best)
            share = 0.5 if round_ else 1.0
            cast = {}
            for readings in (now, last) if round_ else (now,):
                for k, (cc, w, code, eid) in readings.items():
                    cast.setdefault(k, []).append((cc, w * share, code, eid))
            last = now
            all_countries, all_admins, read_as = _tally(cast, peoples)
    _one_sense(tops, raw)
    _fit_addresses(document, tops)
    counts = Counter(t.best.country_code for t in tops if t.best and t.best.country_code)
    document.focus_country = counts.most_common(1)[0][0] if counts else None
    # A region is the report's focus only when (nearly) all the distinct towns it names lie in it:
    # a report on Kyiv, Zaporizhzhia and a village in Kyiv Oblast has no focus region.
    towns = {t.best.geonameid: t.best.admin1_code for t in tops if t.best and t.best.level >= 3
             and t.best.country_code == document.focus_country and t.best.admin1_code}
    admin = Counter(towns.values())
    top = admin.most_common(1)[0] if admin else None
    document.focus_admin1 = top[0] if top and top[1] / len(towns) >= 0.67 else None
