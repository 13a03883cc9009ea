"""Stages stay linear on adversarial repetition: four times the text takes well under sixteen
times as long (issue 14, item 3). Each stage is timed alone, the parse left out."""

from __future__ import annotations

import time

import pytest

from sitrep.document import Document
from sitrep.records import Report

CASES = [
    ("detection", "killed ", 500),
    ("places", "Kharkiv, Kyiv, Odesa, Aleppo, Gao and Mogadishu. ", 60),
    ("places", "Kharkiv, ", 400),
    ("dates", "3 March 2023, ", 500),
]


def _stage_seconds(pipeline, name: str, text: str) -> float:
    document = Document(report=Report(id="x", text=text), doc=pipeline.nlp(text))
    best = float("inf")
    for _ in range(2):
        for info in pipeline.stages:
            if info.name == name:
                started = time.perf_counter()
                info.func(document)
                best = min(best, time.perf_counter() - started)
                break
            if _ == 0:
                info.func(document)
    return best


@pytest.mark.parametrize(("stage", "unit", "n"), CASES)
def test_pipeline_stage_time_is_linear(pipeline, stage: str, unit: str, n: int) -> None:
    small = _stage_seconds(pipeline, stage, unit * n)
    large = _stage_seconds(pipeline, stage, unit * (4 * n))
    # Linear is 4x; quadratic 16x. Allow noise on a shared machine, and tiny times.
    assert large < 9 * max(small, 0.02), (stage, small, large)


def test_places_many_distinct_names_stay_linear(pipeline) -> None:
    """A report naming hundreds of different places (not one repeated): four times the names,
    well under sixteen times the time."""
    import random

    import pycountry

    names = sorted({s.name for s in pycountry.subdivisions
                    if s.name.isascii() and s.name.replace(" ", "").isalpha()})
    random.Random(1).shuffle(names)

    def text(n: int) -> str:
        chunk = names[:n]
        return " ".join(f"Fighting was reported in {a} and {b} on Monday."
                        for a, b in zip(chunk[::2], chunk[1::2], strict=True))

    small = _stage_seconds(pipeline, "places", text(300))
    large = _stage_seconds(pipeline, "places", text(1200))
    assert large < 9 * max(small, 0.02), (small, large)


def test_places_anchor_cells_match_a_full_scan() -> None:
    """Anchors filed in cells answer as a scan of every anchor would (poles, antimeridian)."""
    import random
    from types import SimpleNamespace

    from sitrep.places.geocode import haversine
    from sitrep.places.resolve import Anchors

    rng = random.Random(3)
    for _ in range(50):
        anchors, points = Anchors(), []
        for i in range(40):
            lat = rng.uniform(-89.9, 89.9) if i % 3 == 0 else rng.uniform(40, 42)
            lon = rng.uniform(-180, 180) if i % 3 == 0 else rng.choice([1, -1]) * rng.uniform(
                179, 180)
            entry = SimpleNamespace(id=i, lat=lat, lon=lon)
            points.append((f"n{i % 15}", entry))
            anchors.add(f"n{i % 15}", entry)  # type: ignore[arg-type]
        for j in range(20):
            query = SimpleNamespace(id=1000 + j, lat=rng.uniform(38, 44) if j % 2 else
                                    rng.uniform(-89.9, 89.9), lon=rng.uniform(-180, 180))
            own = f"n{j % 20}"
            scan = any(k != own and abs(a.lat - query.lat) < 1.5
                       and haversine(a.lat, a.lon, query.lat, query.lon) < 150
                       for k, a in points)
            assert anchors.near(query, own) == scan  # type: ignore[arg-type]
