"""bench/suite.py's page: the ratio against bare spaCy, and failures shown rather than hidden."""

from __future__ import annotations

import importlib.util
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _suite() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("bench_suite", ROOT / "bench" / "suite.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _results(**override: dict) -> dict:
    base = {
        "spacy": {"median_s": 2.0, "peak_rss_mib": 300.0},
        "extract": {"median_s": 3.0, "peak_rss_mib": 400.0, "failed": 0},
        "geocode": {"median_s": 0.5, "peak_rss_mib": 100.0},
        "cold": {"median_s": 1.25, "peak_rss_mib": 350.0, "command": "sitrep extract x.txt"},
        "geoparse": {"median_s": 0.3, "parse_times": [1.0, 1.2, 1.4], "peak_rss_mib": 300.0},
        "gazetteer": {"build": {"median_s": 42.0, "places": 210_000, "peak_rss_mib": 450.0},
                      "open": {"median_s": 0.61, "peak_rss_mib": 40.0}},
    }
    return {**base, **override}


def test_eval_bench_reports_ratio_and_rates() -> None:
    texts = ["one two three four"] * 10  # 10 docs, 40 words
    page = _suite().render(_results(), texts, ["q"] * 50, ("texts", "queries"), 3, "make bench")
    assert "**1.50x**" in page  # 3.0 s / 2.0 s
    assert "5.0 docs/s, 20 words/s" in page  # bare spaCy: 10 docs, 40 words in 2 s
    assert "100.0 queries/s" in page
    assert "1.25 s" in page
    assert "median of 3 runs" in page
    assert "25.0%" in page  # places 0.3 s over the median parse 1.2 s
    assert "42.0 s, 210,000 places" in page and "0.61 s" in page


@pytest.mark.parametrize("broken", ["build", "open"])
def test_eval_bench_gazetteer_failure_is_written(broken: str) -> None:
    gaz = {"build": {"median_s": 1.0, "places": 5, "peak_rss_mib": 1.0},
           "open": {"median_s": 0.5, "peak_rss_mib": 1.0}}
    gaz[broken] = {"error": "sqlite3.DatabaseError: file is not a database"}
    page = _suite().render(_results(gazetteer=gaz), ["a b"], ["q"], ("t", "q"), 1, "make bench")
    assert "failed: sqlite3.DatabaseError" in page


@pytest.mark.parametrize("broken", ["extract", "geocode", "cold", "geoparse"])
def test_eval_bench_failure_is_written_not_crashed(broken: str) -> None:
    results = _results(**{broken: {"error": "ImportError: no module"}})
    page = _suite().render(results, ["a b"], ["q"], ("t", "q"), 1, "make bench")
    assert "failed: ImportError: no module" in page
    if broken == "extract":
        assert "**n/a**" in page


def test_eval_bench_fallback_inputs_without_data(tmp_path: Path) -> None:
    texts, queries, text_source, query_source = _suite().load_inputs(tmp_path / "absent", 7)
    assert len(texts) == 7 and queries
    assert "built-in" in text_source and "built-in" in query_source
