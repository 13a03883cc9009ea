"""Producing predictions with sitrep itself and handing them to the pure scorers.

The product is imported lazily, so the scorers work (and are tested) without the pipeline, and
a missing part of the product is reported as such instead of as a crash.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sitrep.evaluation import casualties, geocode, geoparse, typing
from sitrep.evaluation.common import Score, by_id, read_jsonl

SCORERS: dict[str, Callable[..., Score]] = {
    "typing": typing.score,
    "geoparse": geoparse.score,
    "geocode": geocode.score,
    "casualties": casualties.score,
}
FIGURES: dict[str, dict[str, str]] = {
    "typing": typing.FIGURES,
    "geoparse": geoparse.FIGURES,
    "geocode": geocode.FIGURES,
    "casualties": casualties.FIGURES,
}
TASKS = tuple(SCORERS)

Progress = Callable[[str], None]
PROGRESS_EVERY = 50


class Unavailable(RuntimeError):
    """The part of sitrep a task measures cannot be imported or run yet."""


def _document_results(rows: Sequence[dict[str, Any]], progress: Progress | None = None
                      ) -> list[dict[str, Any] | None]:
    try:
        from sitrep.api import extract_batch
    except ImportError as exc:
        raise Unavailable(f"sitrep.api.extract_batch cannot be imported ({exc})") from exc
    # Only id, text and a publication date go in: the gold event date must not leak into input.
    reports: list[dict[str, Any]] = []
    for r in rows:
        report = {"id": str(r.get("id")), "text": r.get("text") or ""}
        if r.get("published"):
            report["published"] = r["published"]
        reports.append(report)
    out: list[dict[str, Any] | None] = []
    try:
        for n, result in enumerate(extract_batch(reports), 1):
            out.append(result.to_dict())
            if progress and n % PROGRESS_EVERY == 0:  # a stuck report shows as a stalled count
                progress(f"  {n}/{len(reports)} reports")
    except ImportError as exc:
        raise Unavailable(f"the extraction pipeline cannot run ({exc})") from exc
    return out


def _places(rows: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]] | None]:
    try:
        from sitrep.api import geoparse as run_geoparse
    except ImportError as exc:
        raise Unavailable(f"sitrep.api.geoparse cannot be imported ({exc})") from exc
    out: list[list[dict[str, Any]] | None] = []
    for row in rows:
        try:
            places = run_geoparse(row.get("text") or "")
        except Exception:
            out.append(None)
            continue
        out.append([p.to_dict() if hasattr(p, "to_dict") else dict(p) for p in places])
    return out


def _geocodes(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any] | None]:
    try:
        from sitrep.places.geocode import geocode as run_geocode
    except ImportError as exc:
        raise Unavailable(f"sitrep.places.geocode.geocode cannot be imported ({exc})") from exc
    out: list[dict[str, Any] | None] = []
    for row in rows:
        try:
            out.append(run_geocode(str(row.get("query") or "")))
        except Exception:
            out.append(None)
    return out


def gazetteer_has_name() -> Callable[[str], bool] | None:
    """Whether the loaded gazetteer knows a name: ``sitrep.places.index.has_name`` when offered,
    else exact or transliterated lookup in ``get_gazetteer()``; None when neither exists."""
    try:
        gazetteer = importlib.import_module("sitrep.places.index")
    except ImportError:
        return None
    has_name = getattr(gazetteer, "has_name", None)
    if callable(has_name):
        return has_name  # type: ignore[no-any-return]
    get = getattr(gazetteer, "get_gazetteer", None)
    if not callable(get):
        return None
    try:
        gaz = get()
    except Exception:  # noqa: BLE001 - no gazetteer means no figure, not a failed evaluation
        return None
    if not hasattr(gaz, "lookup"):
        return None
    translit = getattr(gaz, "lookup_translit", None)
    return lambda name: bool(gaz.lookup(name) or (translit and translit(name)))


def gazetteer_reading_near() -> geoparse.ReadingNear | None:
    """Whether the gazetteer holds a place of a name (as the geoparser looks names up) within
    some km of a point; None when the product's gazetteer is not there."""
    try:
        from sitrep.places.geocode import candidates, haversine
        from sitrep.places.index import get_gazetteer

        gaz = get_gazetteer()
    except Exception:  # noqa: BLE001 - no gazetteer means no figure, not a failed evaluation
        return None

    def near(name: str, lat: float, lon: float, km: float) -> bool:
        return any(haversine(e.lat, e.lon, lat, lon) <= km
                   for e, _ in candidates(gaz, name, fuzzy=True))
    return near


def predict(task: str, rows: Sequence[dict[str, Any]], progress: Progress | None = None
            ) -> list[Any]:
    if task in ("typing", "casualties"):
        return _document_results(rows, progress)
    if task == "geoparse":
        return _places(rows)
    if task == "geocode":
        return _geocodes(rows)
    raise ValueError(f"unknown task {task!r}")


def from_file(task: str, rows: Sequence[dict[str, Any]], path: str | Path) -> list[Any]:
    """Predictions saved earlier (``sitrep extract|geoparse|geocode --format jsonl``), by id."""
    saved = read_jsonl(path)
    if task == "geocode":
        keyed = by_id(saved) if all("id" in s for s in saved) else {
            str(s.get("query")): s for s in saved}
        key = "id" if all("id" in s for s in saved) else "query"
        return [keyed.get(str(r.get(key))) for r in rows]
    keyed = by_id(saved)
    if task == "geoparse":
        return [(keyed[str(r.get("id"))].get("places") or []) if str(r.get("id")) in keyed
                else None for r in rows]
    return [keyed.get(str(r.get("id"))) for r in rows]


def evaluate(task: str, paths: Sequence[str | Path], *, predictions: str | Path | None = None,
             limit: int | None = None, progress: Progress | None = None) -> list[Score]:
    """One score per file, then a pooled one when there are several files."""
    if task not in SCORERS:
        raise ValueError(f"unknown task {task!r} (one of {', '.join(TASKS)})")
    scorer = SCORERS[task]
    extra: dict[str, Any] = {}
    if task == "geocode":
        extra["has_name"] = gazetteer_has_name()
    if task == "geoparse":
        extra["reading_near"] = gazetteer_reading_near()
    scores: list[Score] = []
    pooled_rows: list[dict[str, Any]] = []
    pooled_preds: list[Any] = []
    for path in paths:
        rows = read_jsonl(path)[:limit] if limit else read_jsonl(path)
        started = time.perf_counter()
        if progress:
            progress(f"{task}: {Path(path).name}: {len(rows)} rows")
        preds = (from_file(task, rows, predictions) if predictions
                 else predict(task, rows, progress))
        seconds = time.perf_counter() - started
        score = scorer(rows, preds, dataset=str(path), **extra)
        score.details["seconds"] = round(seconds, 2)
        if progress:
            progress(f"{task}: {Path(path).name}: done in {seconds:.1f}s")
        scores.append(score)
        pooled_rows += rows
        pooled_preds += preds
    if len(scores) > 1:
        pooled = scorer(pooled_rows, pooled_preds, dataset="all", **extra)
        pooled.details["seconds"] = round(sum(s.details["seconds"] for s in scores), 2)
        scores.append(pooled)
    return scores
