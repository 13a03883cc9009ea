"""Geocoding place strings and geoparsing raw text, over the gazetteer.

``geocode`` reads a query the way UCDP and ACLED write locations ("Duma town, Duma district, Rif
Dimashq governorate, Syria"): the first part names the place, the later parts narrow it down.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Levenshtein

from sitrep.places.gazetteer import (
    ADMIN1,
    ADMIN2,
    ALTERNATE,
    COUNTRY,
    DERIVED,
    ON_CHANGE,
    PRIMARY,
    REGION,
    TOWN,
    WATERS,
    Entry,
    Gazetteer,
    strip_type_words,
)
from sitrep.places.index import get_gazetteer
from sitrep.places.names import name_key, translit_key
from sitrep.places.tables import us_state_abbreviations
from sitrep.records import Place

_similarity = Levenshtein.normalized_similarity  # ``spelling_similarity`` without its frame

MAX_QUERY = 300
FIELDS = ("query", "name", "geonameid", "lat", "lon", "country_code", "admin1", "admin2",
          "feature_code", "score")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Separators between a query's parts: a comma, semicolon, slash or bracket with the spaces
# around it, or a dash between spaces. Written to start with one character class (the second
# character decides which kind by looking back at the first), so that the regex engine skips
# ahead to candidates instead of trying a match at every position.
_SPLIT = re.compile(r"[\s,،;/()](?:(?<=[,،;/()])\s*|(?<=\s)\s*(?:[,،;/()]\s*|-\s+))")
_ALNUM = re.compile(r"[^\W_]")  # \w is str.isalnum() or "_"


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def prior(entry: Entry) -> float:
    """How likely a bare mention means this entry: bigger and higher-level places win."""
    if entry.feature_code == COUNTRY:
        return 1.0
    if entry.feature_code == "CONT":
        return 0.9
    if entry.feature_code in WATERS:
        return 0.8
    pop = math.log10(entry.population + 1) / 7.0  # 10 million -> 1.0
    if entry.feature_code == REGION and not entry.country_code:
        return 0.8 + 0.1 * min(pop, 1.0)
    if entry.feature_code in (ADMIN1, REGION):
        return 0.35 + 0.4 * pop
    if entry.feature_code == ADMIN2:
        return 0.2 + 0.3 * pop
    return min(0.95, pop + (0.15 if entry.feature_code == "PPLC" else 0.0))


# How well a name matched a reading, below an exact own name (1.0): another romanisation of it
# ("Kharkov" for Kharkiv), and the factor on a misspelling's similarity.
TRANSLIT_MATCH = 0.85
TYPO_FACTOR = 0.75


def candidates(gaz: Gazetteer, name: str, fuzzy: bool = False, country: str | None = None,
               own_names: bool = True) -> list[tuple[Entry, float]]:
    """Entries ``name`` can mean, each with how well the name matched (1 exact).

    A place's own name beats another place's alternate name: GeoNames files old and foreign
    names as alternates ("Jerusalem" for a Maryland village), which must not win a bare mention
    of the real one. Structured queries narrow by their admin parts instead (``own_names``
    False): there a romanisation filed as an alternate is as good as the main name.
    """
    scored = gaz.lookup_scored(name)
    exact = [e for e, _ in scored]
    own = any(q != ALTERNATE for _, q in scored)
    out = {e.id: (e, _name_match(q, own) if own_names else 1.0) for e, q in scored}
    if not exact or (country and not any(e.country_code == country for e in exact)):
        for e in gaz.lookup_translit(name):
            out.setdefault(e.id, (e, TRANSLIT_MATCH))
    if fuzzy and (not out or (country and not any(e.country_code == country
                                                   for e, _ in out.values()))):
        for e, ratio in gaz.fuzzy(name, country=country):
            out.setdefault(e.id, (e, TYPO_FACTOR * ratio))
    return list(out.values())


def _structured_candidates(gaz: Gazetteer, name: str, country: str | None,
                           admin_codes: frozenset[str], own_names: bool, fuzzy: bool = True
                           ) -> dict[int, tuple[Entry, float]]:
    """Candidates for one part of a geocoding query, from the indexed read of its spellings.

    Other romanisations of the name (same consonant skeleton) count by how alike their letters
    are ("Bairak" beats "Birky" for "Bayrak"); the query's own parts then decide among them.
    Misspellings are looked up only when no spelling fits the query's country and division.
    """
    key = name_key(name)
    keys, qualities, pids, entries = gaz.spelling_rows(name, country)
    own = False  # whether some place has the name as its own: read for bare names only
    if own_names:
        for hit_key, quality in zip(keys, qualities, strict=True):
            if hit_key == key and quality != ALTERNATE:
                own = True
                break
    # (Latin keys only: Arabic writes "Aleppo" in three letters, "حلب", with no vowels.)
    skip_alternates = own_names and len(key) <= 3 and key.isascii()
    out: dict[int, tuple[Entry, float]] = {}
    # Several places share a spelling ("Novoselivka"): its likeness is worked out once.
    alike: dict[str, float] = {}
    for hit_key, quality, pid, entry in zip(keys, qualities, pids, entries, strict=True):
        if skip_alternates and quality == ALTERNATE:
            continue  # "Act" is a word, not the "ACT" of some place's alternate names
        if hit_key == key:
            match = _name_match(quality, own) if own_names else (
                0.9 if quality == ALTERNATE else 1.0)
        else:
            known_alike = alike.get(hit_key)
            if known_alike is None:
                known_alike = alike[hit_key] = 0.75 + 0.2 * _similarity(key, hit_key)
            match = known_alike
        known = out.get(pid)
        if known is None or match > known[1]:  # every match is above 0
            out[pid] = (entry, match)

    if country and admin_codes:
        prefix = country + "."
        for c in admin_codes:
            if not c.startswith(prefix):
                # The division is in another country than the query says: the place may be
                # too.
                for e, q in gaz.lookup_scored(name):
                    if e.admin1_code in admin_codes and e.id not in out:
                        out[e.id] = (e, 0.9 if q == ALTERNATE else 1.0)
                break

    if not fuzzy:
        return out
    for e, _ in out.values():
        if (country is None or e.country_code == country) and (
                not admin_codes or e.admin1_code in admin_codes):
            break  # a spelling fits the query's country and division
    else:
        for h, sim in gaz.fuzzy_hits(name, country):
            match = TYPO_FACTOR * sim
            if match > out.get(h.entry.id, (h.entry, 0.0))[1]:
                out[h.entry.id] = (h.entry, match)
    return out


def _name_match(quality: int, someone_owns: bool) -> float:
    if quality == ALTERNATE:
        return 0.75 if someone_owns else 0.9
    return 0.8 if quality == DERIVED else 1.0


def _clean(query: str) -> str:
    text = query[:MAX_QUERY * 4]
    if text.isascii() and text.isprintable():
        # Most queries: printable ASCII is already NFC and holds no control character.
        return text[:MAX_QUERY].strip()
    text = unicodedata.normalize("NFC", text)
    return _CONTROL.sub(" ", text)[:MAX_QUERY].strip()


def _empty(query: str) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(FIELDS)
    out["query"] = query
    return out


def _result(query: str, entry: Entry, score: float) -> dict[str, Any]:
    return {"query": query, "name": entry.name, "geonameid": entry.geonameid,
            "lat": round(entry.lat, 5), "lon": round(entry.lon, 5),
            "country_code": entry.country_code, "admin1": entry.admin1, "admin2": entry.admin2,
            "feature_code": entry.feature_code, "score": round(max(0.0, min(1.0, score)), 3)}


def _kind_fit(kind: str | None, entry: Entry) -> float:
    if kind is None:
        return 0.0
    if kind == TOWN:
        return 0.15 if not entry.is_admin else -0.3
    if kind == ADMIN1:
        return 0.3 if entry.feature_code == ADMIN1 else (-0.05 if entry.is_admin else -0.15)
    if kind == ADMIN2:
        return 0.3 if entry.feature_code == ADMIN2 else (0.0 if entry.is_admin else -0.1)
    return 0.0


# Sites that monitoring maps name after the settlement they stand by ("Voznesensk airbase",
# "Oskil reservoir"): the settlement is the best point the gazetteer has for them.
_SITES = frozenset((
    "airbase", "airfield", "airport", "aerodrome", "reservoir", "dam", "bridge", "station",
    "port", "plant", "refinery", "depot", "checkpoint", "crossing", "outskirts", "suburbs",
    "vicinity", "environs", "npp", "hpp", "tpp", "base", "junction"))
_ADJECTIVAL = re.compile(r"(?:s?k(?:yi|yy|iy|ij|ii|i|a|e|o|aya|oye|iy)|s?kyj|s?kyi)$")


def _strip_site(name: str) -> tuple[str, bool]:
    words = name.split()
    site = False
    while len(words) > 1 and words[-1].casefold() in _SITES:
        words, site = words[:-1], True
    return " ".join(words), site


@lru_cache(maxsize=20_000)
def division_key(name: str) -> str:
    """A loose key for a raion or district: "Beryslavskyi", "Beryslav district" and
    "Beryslavs'kyi raion" meet."""
    key = name_key(strip_type_words(name)[0])
    stem = _ADJECTIVAL.sub("", key)
    return translit_key(stem if len(stem) >= 3 else key)


def geocode(query: str, gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    """Resolve one place string to the best gazetteer entry; null fields when none fits."""
    if not isinstance(query, str):
        return _empty(str(query))
    return dict(_geocode_cached(query, id(gazetteer) if gazetteer else 0, gazetteer))


@lru_cache(maxsize=50_000)
def _geocode_cached(query: str, _gaz_id: int, gazetteer: Gazetteer | None) -> dict[str, Any]:
    """The answer, shared by every call for the query: ``geocode`` hands out copies."""
    try:
        gaz = gazetteer or get_gazetteer()
        with gaz.reading():
            return _geocode(query, gaz)
    except Exception:  # a query must never take a batch down
        return _empty(query)


ON_CHANGE.append(_geocode_cached.cache_clear)  # a loaded file can change any answer


# What a query's later parts say: its country, the names and kinds of the other parts (a US
# state abbreviation spelt out), the admin1 codes each names (after an empty set for the named
# place), the district keys of those naming no admin1 division, and all the codes together.
_Context = tuple[Entry | None, tuple[tuple[str, str | None], ...], tuple[frozenset[str], ...],
                 frozenset[str], frozenset[str]]


@lru_cache(maxsize=20_000)
def _context(gaz: Gazetteer, tail: tuple[str, ...]) -> _Context:
    """The later parts of a query read once for every query that ends the same way
    ("..., Kharkiv Oblast, Ukraine"): they do not depend on the place it names first."""
    parts = ["", *tail]  # the named place's slot, which nothing here reads
    # "Alexandria, La.": a newspaper state abbreviation narrows to that state.
    states = us_state_abbreviations()
    for i in range(1, len(parts)):
        state = gaz.admin1(states.get(parts[i]) or states.get(parts[i] + "."))
        if state is not None:
            parts[i] = state.name
            if not any(gaz.country_named(p) for p in parts[i + 1:]):
                parts.append("United States")
    # The last part names the country when it is one.
    country: Entry | None = None
    for i in range(len(parts) - 1, 0, -1):
        country = gaz.country_named(parts[i])
        if country is not None:
            parts = parts[:i] + parts[i + 1:]
            break
    cc = country.country_code if country else None
    context = [strip_type_words(p) for p in parts[1:]]
    part_codes: list[frozenset[str]] = [frozenset()]
    division_keys: set[str] = set()
    for name, kind in context:
        found: frozenset[str] = frozenset()
        if kind != TOWN:
            # A division named in another country than the query's ("Taganrog, Rostov Oblast,
            # Ukraine") still places the query there: the country part is the likelier slip.
            found = gaz.admin_codes_for(name, cc) or (
                gaz.admin_codes_named(name) if cc and len(name) >= 4 else frozenset())
        part_codes.append(found)
        if not found:  # a part that is no admin1 division may be a raion or district
            division_keys.add(division_key(name))
    codes = frozenset().union(*part_codes)
    return country, tuple(context), tuple(part_codes), frozenset(division_keys), codes


ON_CHANGE.append(_context.cache_clear)


def _own_or_stripped(gaz: Gazetteer, part: str) -> tuple[str, str | None]:
    """The name to look up and the kind its type word says. "District of Columbia" and "Walker
    County" are some place's own name: looked up whole, not as "Columbia" or "Walker"."""
    name, kind = strip_type_words(part)
    if name != part and gaz.is_own_name(part):
        return part, kind
    return name, kind


def _geocode(query: str, gaz: Gazetteer) -> dict[str, Any]:
    text = _clean(query)
    parts = [p for p in (_SPLIT.split(text) if text else []) if _ALNUM.search(p)]
    if not parts:
        return _empty(query)
    country, context, part_codes, division_keys, codes = _context(gaz, tuple(parts[1:]))
    cc = country.country_code if country else None
    stripped = [_own_or_stripped(gaz, parts[0]), *context]

    best: tuple[float, Entry] | None = None
    # A structured query names its place precisely: size only breaks ties there.
    size_weight = 0.25 if len(stripped) == 1 else 0.1
    # Try the named place first; if it is unknown, fall back to the next, wider part.
    for depth, (name, kind) in enumerate(stripped):
        if not name:
            continue
        bare, site = _strip_site(name)
        if site and not any(q == PRIMARY for _, q in gaz.lookup_scored(name)):
            name = bare  # "Kakhovka Reservoir" is a place of its own; "Oskil reservoir" is not
        else:
            site = False
        kind = TOWN if site and kind is None else kind
        later = depth + 1 < len(stripped)
        narrow = later and codes
        penalty = 0.35 * depth
        cands: Iterable[tuple[Entry, float]]
        if depth and part_codes[depth] and kind != ADMIN2:
            # A wider part that names a division: the division itself, no name search.
            found_admin = (gaz.admin1(c) for c in part_codes[depth])
            cands = [(e, 1.0) for e in found_admin if e is not None]
        else:
            cands = _structured_candidates(
                gaz, name, cc, codes if later else frozenset(), len(stripped) == 1,
                fuzzy=not depth).values()
        for entry, match in cands:
            score = match + size_weight * prior(entry)
            if kind is not None:
                score += _kind_fit(kind, entry)
            in_admin = later and entry.admin1_code in codes
            if cc:
                score += 0.6 if entry.country_code == cc else (-0.1 if in_admin else -0.6)
            if narrow:
                score += 0.5 if in_admin else (-0.2 if entry.admin1_code else 0.0)
            if later and division_keys and entry.admin2 \
                    and division_key(entry.admin2) in division_keys:
                score += 0.25
            score -= penalty
            # Equal scores (two places filing the same alternate name): the bigger place.
            if best is None or score > best[0] or (
                    score == best[0] and entry.population > best[1].population):
                best = (score, entry)
        if best is not None and best[0] > 0.9 - 0.35 * depth:
            break
    if best is None or (cc and best[1].country_code != cc and best[1].admin1_code not in codes):
        if country is not None:
            return _result(query, country, 0.3)
        return _empty(query)
    score, entry = best
    return _result(query, entry, score / 2.2)


def entry_place(start: int, end: int, text: str, entry: Entry | None, score: float | None
                ) -> Place:
    """A codebook Place for a mention, resolved or not."""
    if entry is None:
        return Place(start=start, end=end, text=text)
    return Place(start=start, end=end, text=text, name=entry.name, geonameid=entry.geonameid,
                 lat=round(entry.lat, 5), lon=round(entry.lon, 5),
                 country_code=entry.country_code, admin1=entry.admin1,
                 feature_code=entry.feature_code,
                 score=None if score is None else round(max(0.0, min(1.0, score)), 3))
