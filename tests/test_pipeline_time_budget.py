"""The per-report time budget: a report that outruns it gets E013 and the batch goes on; the
stages stop at their next deadline check, not at the end of the report (issue 14, item 3)."""

from __future__ import annotations

import time

import pytest

from sitrep import errors
from sitrep.config import Settings
from sitrep.document import Document
from sitrep.pipeline import Pipeline
from sitrep.pipeline.registry import STAGES, stage
from sitrep.records import Report

LOOPS: list[int] = []


@stage("test_runaway")
def _runaway(document: Document) -> None:
    """A stage whose loop never ends on a hostile report, but checks the deadline as it goes."""
    n = 0
    while "runaway" in document.text:
        document.check_deadline()
        n += 1
        LOOPS.append(n) if n % 100_000 == 0 else None


@pytest.fixture
def runaway_pipeline(pipeline) -> Pipeline:
    settings = Settings(stages=("places", "dates", "test_runaway", "counts", "detection",
                                "coreference"), time_budget=0.5)
    runaway = Pipeline(settings)
    runaway._nlp = pipeline.nlp  # share the loaded model
    return runaway


def test_pipeline_time_budget_stops_the_report_and_goes_on(runaway_pipeline) -> None:
    reports = [Report("before", "Two people were killed in Kharkiv on Monday."),
               Report("hostile", "This report is a runaway one. " * 20),
               Report("after", "Three soldiers were injured near Kherson on Tuesday.")]
    started = time.monotonic()
    results = list(runaway_pipeline.pipe(reports))
    elapsed = time.monotonic() - started
    assert [r.id for r in results] == ["before", "hostile", "after"]
    assert results[0].error is None and results[2].error is None
    assert results[1].error is not None and results[1].error.code == errors.TIME_BUDGET
    assert "test_runaway" in results[1].error.message and "0.5" in results[1].error.message
    assert elapsed < 10  # stopped inside the stage, at about its 0.5 s budget


def test_pipeline_time_budget_zero_is_off() -> None:
    document = Document(report=Report("x", "text"), doc=None)  # type: ignore[arg-type]
    document.check_deadline()  # no deadline: never raises
    document.deadline, document.budget = time.monotonic() - 1, 2.0
    with pytest.raises(errors.SitrepError) as info:
        document.check_deadline()
    assert info.value.code == errors.TIME_BUDGET and info.value.report_id == "x"


@pytest.mark.parametrize(("value", "expected"), [("12.5", 12.5), ("0", 0.0), ("", 30.0)])
def test_pipeline_time_budget_from_environment(monkeypatch, value, expected) -> None:
    monkeypatch.setenv("SITREP_TIME_BUDGET", value)
    assert Settings().time_budget == expected


@pytest.mark.parametrize("value", ["soon", "-1"])
def test_pipeline_time_budget_bad_environment_says_so(monkeypatch, value) -> None:
    monkeypatch.setenv("SITREP_TIME_BUDGET", value)
    with pytest.raises(ValueError, match="SITREP_TIME_BUDGET"):
        Settings()


def test_pipeline_default_time_budget_is_generous() -> None:
    """No report of the evaluation data comes near it (bench/time_budget.py measures them)."""
    assert Settings().time_budget >= 30


def test_pipeline_registry_keeps_test_stage_out_of_defaults() -> None:
    assert "test_runaway" in STAGES and "test_runaway" not in Settings().stages
