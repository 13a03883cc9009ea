"""Geocoding place strings and geoparsing raw text, over the gazetteer.

``geocode`` reads a query the way UCDP and ACLED write locations ("Duma town, Duma district, Rif
Dimashq governorate, Syria"): the first part names the place, the later parts narrow it down.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

from sitrep.gazetteer import (
    ADMIN1,
    ADMIN2,
    ALTERNATE,
    COUNTRY,
    DERIVED,
    TOWN,
    Entry,
    Gazetteer,
    get_gazetteer,
    name_key,
    strip_type_words,
    us_state_abbreviations,
)
from sitrep.records import Place

MAX_QUERY = 300
FIELDS = ("query", "name", "geonameid", "lat", "lon", "country_code", "admin1", "admin2",
          "feature_code", "score")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPLIT = re.compile(r"\s*[,;/]\s*|\s+-\s+|\s*\(\s*|\s*\)\s*")


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
    pop = math.log10(entry.population + 1) / 7.0  # 10 million -> 1.0
    if entry.feature_code == ADMIN1:
        return 0.35 + 0.4 * pop
    if entry.feature_code == ADMIN2:
        return 0.2 + 0.3 * pop
    return min(0.95, pop + (0.15 if entry.feature_code == "PPLC" else 0.0))


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
            out.setdefault(e.id, (e, 0.85))
    if fuzzy and (not out or (country and not any(e.country_code == country
                                                   for e, _ in out.values()))):
        for e, ratio in gaz.fuzzy(name, country=country):
            out.setdefault(e.id, (e, 0.75 * ratio))
    return list(out.values())


def _name_match(quality: int, someone_owns: bool) -> float:
    if quality == ALTERNATE:
        return 0.75 if someone_owns else 0.9
    return 0.8 if quality == DERIVED else 1.0


def _clean(query: str) -> str:
    text = unicodedata.normalize("NFC", query[:MAX_QUERY * 4])
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


def geocode(query: str, gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    """Resolve one place string to the best gazetteer entry; null fields when none fits."""
    if not isinstance(query, str):
        return _empty(str(query))
    return dict(_geocode_cached(query, id(gazetteer) if gazetteer else 0, gazetteer))


@lru_cache(maxsize=50_000)
def _geocode_cached(query: str, _gaz_id: int, gazetteer: Gazetteer | None
                    ) -> tuple[tuple[str, Any], ...]:
    try:
        return tuple(_geocode(query, gazetteer or get_gazetteer()).items())
    except Exception:  # a query must never take a batch down
        return tuple(_empty(query).items())


def _geocode(query: str, gaz: Gazetteer) -> dict[str, Any]:
    text = _clean(query)
    parts = [p for p in (_SPLIT.split(text) if text else []) if p and any(c.isalnum() for c in p)]
    if not parts:
        return _empty(query)
    # "Alexandria, La.": a newspaper state abbreviation narrows to that state.
    states = us_state_abbreviations()
    for i in range(1, len(parts)):
        state = gaz.admin1(states.get(parts[i]) or states.get(parts[i] + "."))
        if state is not None:
            parts[i] = state.name
            if not any(gaz.lookup(p) and gaz.lookup(p)[0].feature_code == COUNTRY
                       for p in parts[i + 1:]):
                parts.append("United States")
    # The last part names the country when it is one.
    country: Entry | None = None
    for i in range(len(parts) - 1, 0, -1):
        hits = [e for e in gaz.lookup(parts[i]) if e.feature_code == COUNTRY]
        if hits:
            country = hits[0]
            parts = parts[:i] + parts[i + 1:]
            break
    cc = country.country_code if country else None
    stripped = [strip_type_words(p) for p in parts]
    context = stripped[1:]
    admin_codes: set[str] = set()
    admin_keys: set[str] = set()
    for name, _kind in context:
        codes = gaz.admin_codes_for(name)
        admin_codes |= {c for c in codes if cc is None or c.startswith(cc + ".")}
        admin_keys.add(name_key(name))

    best: tuple[float, Entry] | None = None
    # Try the named place first; if it is unknown, fall back to the next, wider part.
    for depth, (name, kind) in enumerate(stripped):
        if not name:
            continue
        for entry, match in candidates(gaz, name, fuzzy=True, country=cc,
                                       own_names=len(stripped) == 1):
            score = match + 0.25 * prior(entry) + _kind_fit(kind, entry)
            if cc:
                score += 0.6 if entry.country_code == cc else -0.6
            if depth + 1 < len(stripped):
                if entry.admin1_code in admin_codes:
                    score += 0.4
                if entry.admin2 and _key(entry.admin2) in admin_keys:
                    score += 0.2
            score -= 0.35 * depth
            if best is None or score > best[0]:
                best = (score, entry)
        if best is not None and best[0] > 0.9 - 0.35 * depth:
            break
    if best is None or (cc and best[1].country_code != cc):
        if country is not None:
            return _result(query, country, 0.3)
        return _empty(query)
    score, entry = best
    return _result(query, entry, score / 2.2)


def _key(name: str) -> str:
    return name_key(strip_type_words(name)[0])


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


def geoparse(text: str) -> list[Place]:
    """Every place mention in raw text, resolved (parses with the spaCy model)."""
    from sitrep.document import Document
    from sitrep.nlp import load_model
    from sitrep.pipeline.places import find_places
    from sitrep.records import Report

    if not isinstance(text, str) or not text.strip():
        return []
    doc = load_model()(text)
    document = Document(report=Report(id="geoparse", text=text), doc=doc)
    find_places(document)
    return [m.place for m in document.places]
