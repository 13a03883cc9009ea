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
