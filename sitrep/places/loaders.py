"""Loading user tiers into the index: GeoNames dumps (places, alternate names) and p-coded
settlement lists as CSV with a column mapping (``sitrep gazetteer load``).

Downloading a country's dumps is ``sitrep.places.download``; loading them is here.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from sitrep.places.build import _Builder
from sitrep.places.gazetteer import ADMIN1, ALTERNATE, TOWN, Gazetteer, _indexable
from sitrep.places.names import name_key, translit_key

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


def load_into(gaz: Gazetteer, path: str | Path, format: str = "geonames",
              mapping: dict[str, str] | None = None, country: str | None = None) -> int:
    """Add places from a GeoNames dump or a CSV; returns how many new places were added (for an
    alternateNamesV2 file: how many new names).

    Rows are keyed by their id (or name and point), so loading a file twice adds nothing.
    """
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
