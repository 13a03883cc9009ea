"""Geocoding place strings: share within 25 km and median error.

A query with no prediction (nothing matched, null coordinates, or a failure) is a miss for the
share and an error of ∞ for the median, so the headline median cannot improve by answering
fewer queries; it becomes ∞ once more than half go unresolved. The median over resolved queries
alone is given beside it, with the share resolved. Rows whose gold has no coordinates are left
out of every figure except ``rows``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from sitrep.evaluation.common import (
    MAX_ERROR_KM,
    Case,
    Score,
    distance_km,
    has_coords,
    median_km,
    share,
)

TASK = "geocode"
WITHIN_KM = 25.0

FIGURES = {
    "within25": "share within 25 km",
    "median_error_km": "median error km (unresolved = ∞)",
    "median_error_resolved_km": "median error km, resolved only",
    "resolved": "share resolved",
    "scored": "queries with gold coordinates",
    "absent_from_gazetteer": "queries whose place is not in the gazetteer",
}

# Lower-case feature words UCDP appends to a name ("X village", "Y town"): not part of the name,
# unlike a capitalised one ("New Town").
_FEATURE_SUFFIX = re.compile(
    r"\s+(village|town|city|district|province|governorate|region|area|camp|county|state|"
    r"municipality|neighbou?rhood|prefecture|department|oblast|raion|commune)$",
)


def query_place_name(query: str) -> str:
    """The place a query names: its first comma-separated part without a trailing feature word."""
    head = (query or "").split(",")[0].strip()
    stripped = _FEATURE_SUFFIX.sub("", head).strip()
    return stripped or head


def score(rows: Sequence[dict[str, Any]], predictions: Sequence[dict[str, Any] | None],
          dataset: str = "", has_name: Callable[[str], bool] | None = None) -> Score:
    """Score geocoder outputs (dicts with lat/lon, aligned with ``rows``).

    ``has_name`` asks the gazetteer whether it knows a name; without it that figure is n/a.
    """
    errors: list[float] = []
    cases: list[Case] = []
    for row, pred in zip(rows, predictions, strict=True):
        km = distance_km(row, pred)
        if km is None:
            continue
        errors.append(km)
        if km > WITHIN_KM:
            severity = MAX_ERROR_KM if math.isinf(km) else km
            cases.append(Case(str(row.get("id")), severity,
                              f"{row['lat']:.3f},{row['lon']:.3f}", _describe(pred, km),
                              str(row.get("query", ""))))
    resolved = [e for e in errors if not math.isinf(e)]
    absent: int | None = None
    notes: list[str] = []
    if has_name is not None:
        absent = sum(not has_name(query_place_name(str(r.get("query", "")))) for r in rows)
    else:
        notes.append("the gazetteer cannot say which names it holds; absent count not given")
    figures: dict[str, Any] = {
        "within25": share(sum(e <= WITHIN_KM for e in errors), len(errors)),
        "median_error_km": median_km(errors),
        "median_error_resolved_km": median_km(resolved),
        "resolved": share(len(resolved), len(errors)),
        "scored": len(errors),
        "absent_from_gazetteer": absent,
    }
    return Score(TASK, dataset, len(rows), figures, cases=cases, notes=notes)


def _describe(pred: dict[str, Any] | None, km: float) -> str:
    if pred is None or not has_coords(pred):
        return "unresolved"
    name = pred.get("name") or "?"
    cc = pred.get("country_code") or ""
    return f"{name} {cc} {pred['lat']:.3f},{pred['lon']:.3f} ({km:.0f} km off)"
