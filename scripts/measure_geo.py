"""Measure sitrep's geocoder and geoparser on the shared evaluation data (read in place).

Usage: python scripts/measure_geo.py [EVAL_DIR] [--geocode-only|--geoparse-only] [--limit N]
                                     [--country NAME]

``--country Ukraine`` scores only the geocoding rows of that country (the figure for a loaded
national settlement list: run it with SITREP_HOME pointing at an index the list was loaded into).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from sitrep.api import geoparse
from sitrep.places.geocode import geocode, haversine


def _rows(path: Path, limit: int | None) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return rows[:limit] if limit else rows


def measure_geocode(path: Path, limit: int | None, country: str | None = None) -> None:
    rows = _rows(path, limit)
    if country:
        rows = [r for r in rows if r.get("country") == country]
    errors, hits = [], 0
    t = time.perf_counter()
    for row in rows:
        out = geocode(row["query"])
        if out["lat"] is None:
            errors.append(20000.0)
            continue
        d = haversine(out["lat"], out["lon"], row["lat"], row["lon"])
        errors.append(d)
        hits += d <= 25
    secs = time.perf_counter() - t
    if not rows:
        return
    print(f"geocode {path.name}{' ' + country if country else ''}: n={len(rows)} "
          f"within25km={hits / max(len(rows), 1):.3f} median_km={statistics.median(errors):.1f} "
          f"({len(rows) / secs:.0f} q/s cold)")


def measure_geoparse(path: Path, limit: int | None) -> None:
    rows = _rows(path, limit)
    tp = fp = fn = 0
    close = matched = 0
    t = time.perf_counter()
    for row in rows:
        pred = geoparse(row["text"])
        gold = row["toponyms"]
        used: set[int] = set()
        for g in gold:
            hit = next((i for i, p in enumerate(pred) if i not in used
                        and p.start < g["end"] and g["start"] < p.end), None)
            if hit is None:
                fn += 1
                continue
            used.add(hit)
            tp += 1
            p = pred[hit]
            if g.get("lat") is not None and p.lat is not None:
                matched += 1
                close += haversine(p.lat, p.lon, float(g["lat"]), float(g["lon"])) <= 161
            elif g.get("lat") is not None:
                matched += 1
        fp += len(pred) - len(used)
    prec, rec = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * prec * rec / max(prec + rec, 1e-9)
    print(f"geoparse {path.name}: docs={len(rows)} P={prec:.3f} R={rec:.3f} F1={f1:.3f} "
          f"Acc@161={close / max(matched, 1):.3f} recall@161={close / max(tp + fn, 1):.3f} "
          f"({time.perf_counter() - t:.1f}s)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("eval_dir", nargs="?", default="/work/shared/eval")
    ap.add_argument("--geocode-only", action="store_true")
    ap.add_argument("--geoparse-only", action="store_true")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--country", help="score only geocoding rows whose country is this")
    args = ap.parse_args()
    base = Path(args.eval_dir)
    if not args.geoparse_only:
        measure_geocode(base / "geocode" / "cir_ukraine_dev.jsonl", args.limit, args.country)
        measure_geocode(base / "geocode" / "ucdp_dev.jsonl", args.limit, args.country)
    if not args.geocode_only:
        measure_geoparse(base / "geo" / "lgl.jsonl", args.limit)
        measure_geoparse(base / "geo" / "geovirus.jsonl", args.limit)


if __name__ == "__main__":
    main()
