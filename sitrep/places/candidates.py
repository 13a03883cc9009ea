"""A name's candidate readings: the gazetteer's entries for it, with the match quality, minus
those no report means by it (streets, routes, descriptive words), cached per process.

Recognition asks here whether a name is a place at all; resolution ranks what comes back.
"""

from __future__ import annotations

from functools import lru_cache

from sitrep.places.gazetteer import TYPE_WORDS, Entry, Gazetteer, strip_type_words
from sitrep.places.geocode import TRANSLIT_MATCH, candidates
from sitrep.places.names import name_key

# Descriptive words that open a name without being one ("Western Massachusetts", "Historic
# Dublin"): a sub-span search must not settle on them.
DESCRIPTIVE = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeast", "northwest", "southeast", "southwest", "upper", "lower", "greater", "historic",
    "downtown", "old", "new", "great", "grand", "best", "first", "little", "big", "mid", "inner",
    "outer", "metro", "st", "st.", "saint", "mount", "mt.", "lake", "port", "fort", "city",
    "county", "state", "the", "of", "and", "in", "at", "on", "for", "republic", "democratic",
    "united", "kingdom", "federal", "islamic", "people's", "valley", "river", "mountains",
    "island", "islands", "sea", "bay", "gulf", "hills", "coast", "n.", "s.", "e.", "w.",
})
# The last word of a street, road or highway name: GeoNames' town tier holds none of them, and
# a street is not a settlement to resolve ("Main Street", "Highway 19", "Interstate 75").
STREET_WORDS = frozenset({
    "street", "st.", "road", "rd.", "avenue", "ave.", "boulevard", "blvd.", "drive", "dr.",
    "lane", "ln.", "highway", "hwy.", "parkway", "pkwy.", "way", "court", "ct.", "pike",
    "trail", "circle", "terrace", "expressway", "freeway", "turnpike", "bypass", "alley",
})
ROUTE_WORDS = frozenset({"interstate", "route", "highway", "i", "sr", "state route", "us"})


def _filter_candidates(text: str, cands: list[tuple[Entry, float]]) -> list[tuple[Entry, float]]:
    """Drop readings that only an alternate or transliterated name links to the mention when
    they are unlikely: airport codes and abbreviations filed as alternates ("MRS" for Marseille,
    "DAY" for Dayton) against a short word, a typo alternate of a bigger place's own name
    ("Minneota" for Minnesota), and loose consonant-skeleton matches between unrelated names."""
    key = name_key(text)
    abbreviation = text.replace(".", "").isupper()
    owned = [e.population for e, m in cands if m >= 1.0]
    top_owned = max(owned, default=-1)
    out = []
    for e, m in cands:
        if m < 1.0:
            if len(key) < 5 and not abbreviation:
                continue
            if top_owned >= 0 and m < 0.9 and e.population <= top_owned:
                continue
            if m == TRANSLIT_MATCH and not _spelling_close(key, name_key(e.name)):
                continue
        out.append((e, m))
    return out


@lru_cache(maxsize=20_000)
def _spelling_close(a: str, b: str) -> bool:
    """Romanisation variants share their first letter and most of their letters
    (Kharkov/Kharkiv); unrelated names that share a consonant skeleton do not."""
    from difflib import SequenceMatcher

    return bool(a and b) and a[0] == b[0] and SequenceMatcher(None, a, b).ratio() >= 0.75


def _candidates(gaz: Gazetteer, text: str, variants: bool = False
                ) -> list[tuple[Entry, float]]:
    """Readings of ``text``; other romanisations only with ``variants`` (a model-tagged
    toponym), as their look-up costs more than an exact one."""
    return list(_cached_candidates(gaz, text, variants))


@lru_cache(maxsize=20_000)
def _cached_candidates(gaz: Gazetteer, text: str, variants: bool
                       ) -> tuple[tuple[Entry, float], ...]:
    if not gaz.lookup_scored(text) and not (variants and _romanised(text)):
        return ()  # spelling variants are for romanised names, not "Tointon Family Stadium"
    return tuple(_filter_candidates(text, candidates(gaz, text)))


# Words a name does not end on: the model cut "Trinidad and Tobago" or "the Democratic
# Republic of the Congo" short.
OPEN_ENDS = frozenset({"and", "of", "the", "de", "&"})
# What may join a name's words, where the model often stops: "Trinidad and Tobago", "Deir
# ez-Zor", "Ras al-Ain", "Stratford-upon-Avon".
NAME_JOINS = OPEN_ENDS | frozenset({
    "-", "al", "el", "ez", "es", "ed", "ad", "ar", "as", "ash", "at", "az", "an", "en", "er",
    "bin", "ibn", "abu", "umm", "la", "le", "di", "da", "del", "dos", "upon", "on", "sur"})


def _romanised(text: str) -> bool:
    """Whether a name the gazetteer lacks may be another romanisation of one it holds: one or
    two capitalised words, no English function or facility words (Kharkov, Sviatohirsk)."""
    words = text.split()
    return 1 <= len(words) <= 2 and all(
        (w[:1].isupper() or w.partition("-")[0] in NAME_JOINS)  # "Ras al-Ain"
        and w.casefold().strip(".,") not in ROMAN_STOP for w in words)


# Words that mark an English name, which no romanisation of a foreign one contains.
ROMAN_STOP = frozenset({
    "the", "of", "and", "city", "county", "hall", "park", "school", "center", "centre",
    "street", "road", "avenue", "river", "lake", "creek", "valley", "island", "bay", "mount",
    "fort", "port", "north", "south", "east", "west", "new", "old", "saint", "st", "jail",
    "court", "church", "airport", "station", "bridge", "hospital", "college", "university",
})


# The least match of a typed name ("X regency") that may still be read near its state: a name
# derived from an alternate by its type word ("Deiyai" of "Deiyai Regency", the English name
# of Kabupaten Deiyai).
TYPED_MATCH = 0.8


def typed_mention(text: str, start: int, end: int, kind: str | None) -> bool:
    """Whether a type word ends the name at ``text[start:end]`` or follows it ("Nduga Regency",
    whichever part the tagger took): then a division's alternate name is good enough."""
    if kind is not None or strip_type_words(text[start:end])[1] is not None:
        return True
    after = text[end:end + 24].split(maxsplit=1)
    return bool(after) and after[0].casefold().strip(".,;)") in TYPE_WORDS
