"""What every scorer shares: reading gold files, distances, the score and error-case records.

Scorers are pure functions over gold rows and predictions lined up with them, so they can be
tested on hand-written files without running the pipeline.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EARTH_RADIUS_KM = 6371.0088
# Half the Earth's circumference: the error charged to a place that was not resolved at all.
MAX_ERROR_KM = math.pi * EARTH_RADIUS_KM

Figure = float | int | None


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Gold rows of one file; blank lines are skipped, a bad line stops with its number."""
    rows: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise TypeError(f"{path}:{n}: not a JSON object")
            rows.append(row)
    return rows


def has_coords(obj: dict[str, Any] | None) -> bool:
    return bool(obj) and _number(obj.get("lat")) and _number(obj.get("lon"))  # type: ignore[union-attr]


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_km(gold: dict[str, Any], predicted: dict[str, Any] | None) -> float | None:
    """Error in km; None when gold has no coordinates, inf when the prediction has none."""
    if not has_coords(gold):
        return None
    if predicted is None or not has_coords(predicted):
        return math.inf
    return haversine_km(gold["lat"], gold["lon"], predicted["lat"], predicted["lon"])


def share(hits: int, total: int) -> float | None:
    """A proportion, or None (shown as n/a) when nothing was there to count."""
    return hits / total if total else None


def median_km(values: Sequence[float]) -> float | None:
    """Median that keeps inf (unresolved) values in, so it cannot flatter low coverage."""
    if not values:
        return None
    return float(statistics.median(sorted(values)))


def snippet(text: str, start: int | None = None, end: int | None = None, width: int = 70) -> str:
    """The text around a span (the span in [brackets]), or the opening of the text."""
    text = text or ""
    if start is None or end is None:
        flat = " ".join(text.split())
        return flat if len(flat) <= 2 * width else flat[: 2 * width - 1] + "…"
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    out = f"{'…' if start > width else ''}{left}[{text[start:end]}]{right}"
    out += "…" if end + width < len(text) else ""
    return " ".join(out.split())


@dataclass
class Case:
    """One error for ``--errors``: gold and predicted side by side, worst first by severity."""

    id: str
    severity: float
    gold: str
    predicted: str
    context: str

    def to_dict(self) -> dict[str, Any]:
        sev = None if math.isinf(self.severity) else round(self.severity, 3)
        return {"id": self.id, "severity": sev, "gold": self.gold,
                "predicted": self.predicted, "context": self.context}


@dataclass
class Score:
    """The figures of one task on one dataset (or on several pooled)."""

    task: str
    dataset: str
    rows: int
    figures: dict[str, Figure]
    cases: list[Case] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # e.g. per-label figures, JSON only

    def worst(self, n: int) -> list[Case]:
        return sorted(self.cases, key=lambda c: -c.severity)[:n]

    def to_dict(self) -> dict[str, Any]:
        figures = {k: _json_figure(v) for k, v in self.figures.items()}
        return {"task": self.task, "dataset": self.dataset, "rows": self.rows,
                "figures": figures, "notes": list(self.notes), "details": self.details}


def _json_figure(value: Figure) -> Figure:
    if isinstance(value, float):
        return None if not math.isfinite(value) else round(value, 4)
    return value


def format_figure(name: str, value: Figure) -> str:
    """Shares as 0.000, kilometres with one decimal, counts as integers; None as n/a."""
    if value is None:
        return "n/a"
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    if isinstance(value, int):
        return str(value)
    if name.endswith("_km"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float | None, float | None, float | None]:
    """Precision, recall, F1; an undefined F1 (no gold and no prediction) stays None."""
    p = share(tp, n_pred)
    r = share(tp, n_gold)
    if p is None and r is None:
        return None, None, None
    pv, rv = p or 0.0, r or 0.0
    f = 2 * pv * rv / (pv + rv) if pv + rv else 0.0
    return p, r, f


def by_id(predictions: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(p.get("id")): p for p in predictions if isinstance(p, dict)}
