"""Geoparsing: recognising toponyms (span overlap) and resolving them (Acc@161).

Matching is one-to-one: a gold toponym and a predicted place match when their spans overlap,
each is used at most once, and larger overlaps are paired first. So two predictions over one
gold toponym give one match and one false positive, and one prediction spanning two toponyms
("Kherson, Ukraine" as one place) recognises only one of them. Gold toponyms without coordinates
count for recognition but not for resolution.

Where the gazetteer can say so, a matched toponym resolved more than 161 km off is split by
whether any place of that name lies within 161 km of gold: if none does, no choice among the
readings could have been right (the place is missing from the gazetteer), and the best Acc@161
that ranking alone can reach is given beside the figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from sitrep.evaluation.common import (
    MAX_ERROR_KM,
    Case,
    Score,
    distance_km,
    has_coords,
    median_km,
    prf,
    share,
    snippet,
)

TASK = "geoparse"
ACC_KM = 161.0  # 100 miles, the customary geoparsing threshold

FIGURES = {
    "precision": "precision (recognition)",
    "recall": "recall (recognition)",
    "f1": "F1 (recognition)",
    "acc161": "Acc@161 over matched toponyms",
    "recall161": "end-to-end recall@161",
    "median_error_km": "median error km, matched (unresolved = ∞)",
    "wrong_no_reading_near": "wrong, no reading of the name within 161 km in the gazetteer",
    "wrong_reading_near": "wrong, a reading within 161 km existed",
    "acc161_ceiling": "Acc@161 if every name with a reading near gold were resolved right",
    "gold_toponyms": "gold toponyms",
    "predicted_places": "predicted places",
    "matched": "matched toponyms",
}


def _span(obj: dict[str, Any]) -> tuple[int, int]:
    return int(obj["start"]), int(obj["end"])


def match(gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]]
          ) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index) of overlapping spans, one-to-one, largest first."""
    candidates = []
    for gi, g in enumerate(gold):
        gs, ge = _span(g)
        for pi, p in enumerate(predicted):
            ps, pe = _span(p)
            overlap = min(ge, pe) - max(gs, ps)
            if overlap > 0:
                candidates.append((-overlap, gi, pi))
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, gi, pi in sorted(candidates):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


ReadingNear = Callable[[str, float, float, float], bool]


def score(rows: Sequence[dict[str, Any]], predictions: Sequence[Sequence[dict[str, Any]] | None],
          dataset: str = "", reading_near: ReadingNear | None = None) -> Score:
    """Score predicted places (dicts with start/end/lat/lon, aligned with ``rows``).

    ``reading_near(name, lat, lon, km)`` asks the gazetteer whether a place of that name lies
    within ``km`` of a point; without it the split of wrong resolutions is n/a.
    """
    n_gold = n_pred = n_match = 0
    resolvable_gold = 0  # gold toponyms with coordinates
    matched_resolvable = 0
    within = 0
    errors_km: list[float] = []
    cases: list[Case] = []
    failed = 0
    no_reading = with_reading = 0
    for row, places in zip(rows, predictions, strict=True):
        if places is None:
            failed += 1
            places = []
        gold = [t for t in row.get("toponyms") or [] if isinstance(t, dict)]
        text = row.get("text", "")
        rid = str(row.get("id"))
        n_gold += len(gold)
        n_pred += len(places)
        resolvable_gold += sum(has_coords(t) for t in gold)
        pairs = match(gold, places)
        n_match += len(pairs)
        for gi, pi in pairs:
            km = distance_km(gold[gi], places[pi])
            if km is None:
                continue
            matched_resolvable += 1
            errors_km.append(km)
            if km <= ACC_KM:
                within += 1
                continue
            cases.append(_case(rid, text, gold[gi], places[pi], km))
            if reading_near is not None:
                names = {str(places[pi].get("text") or ""), _gold_text(gold[gi], text)}
                if any(n and reading_near(n, float(gold[gi]["lat"]), float(gold[gi]["lon"]),
                                          ACC_KM) for n in names):
                    with_reading += 1
                else:
                    no_reading += 1
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        cases += [_case(rid, text, g, None, MAX_ERROR_KM)
                  for gi, g in enumerate(gold) if gi not in matched_g]
        cases += [_case(rid, text, None, p, MAX_ERROR_KM)
                  for pi, p in enumerate(places) if pi not in matched_p]
    p, r, f = prf(n_match, n_pred, n_gold)
    figures: dict[str, Any] = {
        "precision": p, "recall": r, "f1": f,
        "acc161": share(within, matched_resolvable),
        "recall161": share(within, resolvable_gold),
        "median_error_km": median_km(errors_km),
        "wrong_no_reading_near": no_reading if reading_near else None,
        "wrong_reading_near": with_reading if reading_near else None,
        "acc161_ceiling": (share(matched_resolvable - no_reading, matched_resolvable)
                           if reading_near else None),
        "gold_toponyms": n_gold, "predicted_places": n_pred, "matched": n_match,
    }
    score_ = Score(TASK, dataset, len(rows), figures, cases=cases)
    if failed:
        score_.notes.append(f"{failed} texts could not be geoparsed (counted as no places)")
    return score_


def _gold_text(gold: dict[str, Any], text: str) -> str:
    return str(gold.get("text") or text[int(gold["start"]):int(gold["end"])])


def _describe(place: dict[str, Any] | None) -> str:
    if place is None:
        return "—"
    where = (f"{place['lat']:.2f},{place['lon']:.2f}" if has_coords(place) else "unresolved")
    name = place.get("name") or place.get("text") or ""
    return f"{place.get('text', '')!s} → {name} ({where})"


def _case(rid: str, text: str, gold: dict[str, Any] | None, pred: dict[str, Any] | None,
          km: float) -> Case:
    anchor = gold or pred or {}
    severity = MAX_ERROR_KM if math.isinf(km) else km
    kind = "missed" if pred is None else "spurious" if gold is None else f"{km:.0f} km off"
    if pred is not None and gold is not None and math.isinf(km):
        kind = "unresolved"
    start, end = (_span(anchor) if anchor else (None, None))
    return Case(rid, severity, _describe(gold), f"{_describe(pred)} [{kind}]",
                snippet(text, start, end))
