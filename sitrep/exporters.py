"""Export formats for merged events, as plugins on one hook: ``@exporter(name)``.

Each exporter takes codebook event records and a binary output stream. Built in: ``acled-csv``
(ACLED's column names in ACLED's order, CLI.md), ``ucdp-csv`` (UCDP GED's names: best, low,
high, where_prec, date_prec, ...), ``geojson`` (a FeatureCollection of points, the records as
properties) and ``parquet`` (flat columns plus the record as JSON, through pyarrow).

Every CSV cell passes ``safe_cell``: text that a spreadsheet would run as a formula (it starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'`` (OWASP's advice
against CSV injection); numbers, negative ones included, and dates are written as they are.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import IO, Any

Record = dict[str, Any]
ExportFunction = Callable[[Iterable[Record], IO[bytes]], int]


@dataclass(frozen=True)
class Exporter:
    name: str
    function: ExportFunction
    suffix: str
    description: str


EXPORTERS: dict[str, Exporter] = {}


def exporter(name: str, suffix: str, description: str) -> Callable[[ExportFunction],
                                                                    ExportFunction]:
    """Register an export format (the built-in ones use this same hook)."""

    def register(function: ExportFunction) -> ExportFunction:
        EXPORTERS[name] = Exporter(name, function, suffix, description)
        return function

    return register


def export(records: Iterable[Record], format: str, out: IO[bytes]) -> int:
    """Write ``records`` in ``format`` to a binary stream; returns how many were written."""
    if format not in EXPORTERS:
        from sitrep.store import errors

        raise errors.error(errors.BAD_FORMAT, name=format, known=", ".join(sorted(EXPORTERS)))
    return EXPORTERS[format].function(records, out)


# --- shared helpers ---------------------------------------------------------------------------

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]
UCDP_COLUMNS = [
    "id", "relid", "year", "type_of_violence", "dyad_name", "side_a", "side_b",
    "source_article", "source_date", "where_prec", "where_coordinates", "adm_1", "adm_2",
    "latitude", "longitude", "geom_wkt", "country", "iso", "region", "event_clarity",
    "date_prec", "date_start", "date_end", "deaths_civilians", "deaths_unknown", "best", "high",
    "low", "injuries_best", "injuries_low", "injuries_high",
]

# ACLED's regions by ISO 3166-1 alpha-2 code.
_REGIONS = {
    "Western Africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG",
    "Middle Africa": "AO CM CF TD CG CD GQ GA ST",
    "Eastern Africa": "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW SD",
    "Southern Africa": "BW SZ LS NA ZA",
    "Northern Africa": "DZ EG LY MA TN EH",
    "Middle East": "BH IR IQ IL JO KW LB OM PS QA SA SY TR AE YE CY",
    "Caucasus and Central Asia": "AM AZ GE KZ KG TJ TM UZ",
    "South Asia": "AF BD BT IN MV NP PK LK",
    "Southeast Asia": "BN KH TL ID LA MY MM PH SG TH VN",
    "East Asia": "CN HK JP KP KR MN MO TW",
    "Central America": "BZ CR SV GT HN MX NI PA",
    "Caribbean": "AI AG AW BS BB VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT "
                 "TC VI",
    "South America": "AR BO BR CL CO EC FK GF GY PY PE SR UY VE",
    "North America": "CA US GL BM PM",
    "Oceania": "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF",
}
REGION_OF = {code: region for region, codes in _REGIONS.items() for code in codes.split()}


def region(country_code: str | None) -> str:
    if not country_code:
        return ""
    return REGION_OF.get(country_code.upper(), "Europe" if _is_european(country_code) else "")


def _is_european(code: str) -> bool:
    return code.upper() in set(
        "AL AD AT BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG HU IS IE IM IT JE XK LV LI LT LU "
        "MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SE CH UA GB VA AX".split())


@lru_cache(maxsize=512)
def _country(code: str | None) -> tuple[str, int | None]:
    """(name, ISO 3166-1 numeric) for an alpha-2 code."""
    if not code:
        return "", None
    import pycountry

    found = pycountry.countries.get(alpha_2=code.upper())
    if found is None:
        return code, None
    name = getattr(found, "common_name", None) or found.name
    return name, int(found.numeric)


def _year(record: Record) -> int | None:
    day = record.get("event_date")
    return int(day[:4]) if day else None


def _actor(record: Record, key: str) -> Record:
    return record.get(key) or {}


def _sources(record: Record) -> str:
    names = [s.get("source") or s.get("document_id") for s in record.get("sources") or []]
    return "; ".join(dict.fromkeys(n for n in names if n))


def _count(record: Record, kind: str) -> Record:
    return record.get(kind) or {}


# What a spreadsheet reads as a formula, and the numbers that look like one but are data.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: text starting with a formula
    character gets a leading ``'``; numbers (``-3.5`` as a number or as text) stay as they are.
    A carriage return inside text becomes a newline: Python's csv module quotes a cell only for
    the characters of its line terminator, and a bare CR left unquoted splits the row.
    Every CSV writer of sitrep (these exporters and the CLI's ``--format csv``) uses it."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        value = "'" + value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _csv(rows: Iterable[list[Any]], header: list[str], out: IO[bytes]) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    n = 0
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
        n += 1
    text.flush()
    text.detach()
    return n


def _timestamp(record: Record) -> int:
    published = [s.get("published") for s in record.get("sources") or [] if s.get("published")]
    day = max(published) if published else record.get("event_date")
    try:
        return int(datetime.combine(date.fromisoformat(day), datetime.min.time(),
                                    tzinfo=UTC).timestamp())
    except (TypeError, ValueError):
        return 0


# --- ACLED ------------------------------------------------------------------------------------


def acled_row(record: Record) -> list[Any]:
    location = record.get("location") or {}
    a1, a2 = _actor(record, "actor1"), _actor(record, "actor2")
    name, iso = _country(location.get("country_code"))
    return [
        record.get("event_id"), record.get("event_date"), _year(record),
        record.get("time_precision"), record.get("disorder_type"), record.get("event_type"),
        record.get("sub_event_type"), a1.get("name"), "; ".join(record.get("assoc_actor_1") or []),
        a1.get("inter"), a2.get("name"), "; ".join(record.get("assoc_actor_2") or []),
        a2.get("inter"), record.get("interaction"),
        "Civilian targeting" if record.get("civilian_targeting") else "",
        iso, region(location.get("country_code")), location.get("country") or name,
        location.get("admin1"), location.get("admin2"), "", location.get("name"),
        location.get("lat"), location.get("lon"), location.get("geo_precision"),
        _sources(record), "", record.get("notes"),
        _count(record, "fatalities").get("best") or 0, "", _timestamp(record),
    ]


@exporter("acled-csv", ".csv", "ACLED's columns in ACLED's order")
def export_acled(records: Iterable[Record], out: IO[bytes]) -> int:
    """Only events with an ACLED event type: a diplomatic visit or a criminal shooting (PLOVER
    only, ``event_type`` null) has no row in a file read next to ACLED's; GeoJSON and Parquet
    keep every event."""
    return _csv((acled_row(r) for r in records if r.get("event_type")), ACLED_COLUMNS, out)


# --- UCDP GED ---------------------------------------------------------------------------------

# ACLED geo_precision -> UCDP where_prec (1 exact place, 2 within 25 km, 4 first-order region).
WHERE_PREC = {1: 1, 2: 2, 3: 4}
# ACLED time_precision -> UCDP date_prec (1 exact day, 3 within a week, 4 within a month).
DATE_PREC = {1: 1, 2: 3, 3: 4}


def type_of_violence(record: Record) -> int | None:
    """UCDP's 1 state-based, 2 non-state, 3 one-sided; None outside political violence."""
    if record.get("disorder_type") != "Political violence":
        return None
    if record.get("civilian_targeting") or _actor(record, "actor2").get("inter") == 7:
        return 3
    inters = {_actor(record, k).get("inter") for k in ("actor1", "actor2")}
    return 1 if 1 in inters else 2


def ucdp_row(record: Record) -> list[Any]:
    location = record.get("location") or {}
    a1, a2 = _actor(record, "actor1"), _actor(record, "actor2")
    name, iso = _country(location.get("country_code"))
    fatalities, injuries = _count(record, "fatalities"), _count(record, "injuries")
    lat, lon = location.get("lat"), location.get("lon")
    where_prec = location.get("where_prec") or WHERE_PREC.get(location.get("geo_precision") or 0)
    sources = record.get("sources") or []
    side_a, side_b = a1.get("name") or "", a2.get("name") or ""
    known_civilians = fatalities.get("civilians")
    return [
        record.get("event_id"), ";".join(s.get("document_id", "") for s in sources),
        _year(record), type_of_violence(record),
        f"{side_a} - {side_b}" if side_a and side_b else side_a or side_b, side_a, side_b,
        "; ".join(s.get("url") or s.get("source") or s.get("document_id", "") for s in sources),
        min((s["published"] for s in sources if s.get("published")), default=None),
        where_prec, ", ".join(p for p in (location.get("name"), location.get("admin1"),
                                          location.get("country") or name) if p),
        location.get("admin1"), location.get("admin2"), lat, lon,
        f"POINT ({lon} {lat})" if lat is not None and lon is not None else None,
        location.get("country") or name, iso, region(location.get("country_code")),
        1 if len(sources) > 1 or record.get("confidence", 0) >= 0.5 else 2,
        DATE_PREC.get(record.get("time_precision") or 0), record.get("date_start"),
        record.get("date_end"), known_civilians,
        (fatalities.get("best") or 0) - (known_civilians or 0),
        fatalities.get("best"), fatalities.get("high"), fatalities.get("low"),
        injuries.get("best"), injuries.get("low"), injuries.get("high"),
    ]


@exporter("ucdp-csv", ".csv", "UCDP GED-style columns (best, low, high, where_prec, date_prec)")
def export_ucdp(records: Iterable[Record], out: IO[bytes]) -> int:
    return _csv((ucdp_row(r) for r in records), UCDP_COLUMNS, out)


# --- GeoJSON ----------------------------------------------------------------------------------


def feature(record: Record) -> Record:
    location = record.get("location") or {}
    lat, lon = location.get("lat"), location.get("lon")
    geometry = ({"type": "Point", "coordinates": [lon, lat]}
                if lat is not None and lon is not None else None)
    return {"type": "Feature", "id": record.get("event_id"), "geometry": geometry,
            "properties": record}


@exporter("geojson", ".geojson", "a GeoJSON FeatureCollection of points")
def export_geojson(records: Iterable[Record], out: IO[bytes]) -> int:
    out.write(b'{"type": "FeatureCollection", "features": [')
    n = 0
    for record in records:
        out.write((",\n" if n else "\n").encode())
        out.write(json.dumps(feature(record), ensure_ascii=False).encode("utf-8"))
        n += 1
    out.write(b"\n]}\n")
    return n


# --- Parquet ----------------------------------------------------------------------------------


def flat_row(record: Record) -> Record:
    location = record.get("location") or {}
    fatalities, injuries = _count(record, "fatalities"), _count(record, "injuries")
    a1, a2 = _actor(record, "actor1"), _actor(record, "actor2")

    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return {
        "event_id": record.get("event_id"), "event_date": day(record.get("event_date")),
        "date_start": day(record.get("date_start")), "date_end": day(record.get("date_end")),
        "time_precision": record.get("time_precision"),
        "disorder_type": record.get("disorder_type"), "event_type": record.get("event_type"),
        "sub_event_type": record.get("sub_event_type"),
        "plover_event": (record.get("plover") or {}).get("event"),
        "actor1": a1.get("name"), "inter1": a1.get("inter"), "actor2": a2.get("name"),
        "inter2": a2.get("inter"), "interaction": record.get("interaction"),
        "civilian_targeting": bool(record.get("civilian_targeting")),
        "location": location.get("name"), "country_code": location.get("country_code"),
        "country": location.get("country"), "admin1": location.get("admin1"),
        "admin2": location.get("admin2"), "latitude": location.get("lat"),
        "longitude": location.get("lon"), "geo_precision": location.get("geo_precision"),
        "fatalities_best": fatalities.get("best"), "fatalities_low": fatalities.get("low"),
        "fatalities_high": fatalities.get("high"), "injuries_best": injuries.get("best"),
        "injuries_low": injuries.get("low"), "injuries_high": injuries.get("high"),
        "n_sources": len(record.get("sources") or []),
        "sources": [s.get("document_id") for s in record.get("sources") or []],
        "notes": record.get("notes"), "confidence": record.get("confidence"),
        # An analyst corrected a field (sitrep.store.corrections; the record keeps both).
        "corrected": bool(record.get("corrected")),
        "record": json.dumps(record, ensure_ascii=False),
    }


def parquet_schema() -> Any:
    import pyarrow as pa

    s, i, f = pa.string(), pa.int32(), pa.float64()
    return pa.schema([
        ("event_id", s), ("event_date", pa.date32()), ("date_start", pa.date32()),
        ("date_end", pa.date32()), ("time_precision", i), ("disorder_type", s),
        ("event_type", s), ("sub_event_type", s), ("plover_event", s), ("actor1", s),
        ("inter1", i), ("actor2", s), ("inter2", i), ("interaction", i),
        ("civilian_targeting", pa.bool_()), ("location", s), ("country_code", s),
        ("country", s), ("admin1", s), ("admin2", s), ("latitude", f), ("longitude", f),
        ("geo_precision", i), ("fatalities_best", i), ("fatalities_low", i),
        ("fatalities_high", i), ("injuries_best", i), ("injuries_low", i),
        ("injuries_high", i), ("n_sources", i), ("sources", pa.list_(s)), ("notes", s),
        ("confidence", f), ("corrected", pa.bool_()), ("record", s),
    ])


@exporter("parquet", ".parquet", "Apache Parquet, flat columns plus the record as JSON")
def export_parquet(records: Iterable[Record], out: IO[bytes], batch: int = 50_000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        rows: list[Record] = []
        for record in records:
            rows.append(flat_row(record))
            if len(rows) >= batch:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                n += len(rows)
                rows = []
        if rows or not n:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n
