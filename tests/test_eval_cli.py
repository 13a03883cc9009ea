"""``sitrep eval`` commands, the runner's use of the product, and ``make eval``'s report."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sitrep.cli.eval import build_app
from sitrep.evaluation import runner
from sitrep.evaluation.common import read_jsonl
from sitrep.evaluation.report import TaskResult, render

DATA = Path(__file__).parent / "data" / "eval"
ROOT = Path(__file__).resolve().parents[1]
cli = CliRunner()


@pytest.mark.parametrize(
    ("task", "figure", "expected"),
    [
        ("typing", "weighted_f1", 0.5),
        ("geoparse", "recall", 0.8),
        ("geocode", "within25", 0.4),
        ("casualties", "killed_exact", 0.6),
    ],
)
def test_eval_cli_scores_saved_predictions(tmp_path: Path, task: str, figure: str,
                                           expected: float) -> None:
    out = tmp_path / "figures.json"
    result = cli.invoke(build_app(), [
        task, str(DATA / f"{task}_gold.jsonl"), "--predictions", str(DATA / f"{task}_pred.jsonl"),
        "--json", str(out), "--errors", "2",
    ])
    assert result.exit_code == 0, result.output
    assert "worst cases" in result.output
    saved = json.loads(out.read_text())
    assert saved["task"] == task
    [dataset] = saved["datasets"]
    assert dataset["dataset"].endswith(f"{task}_gold.jsonl")
    assert dataset["rows"] == len(read_jsonl(DATA / f"{task}_gold.jsonl"))
    assert dataset["figures"][figure] == pytest.approx(expected, abs=1e-4)
    assert len(saved["worst"]) == 2


def test_eval_cli_pools_several_files(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    gold = str(DATA / "typing_gold.jsonl")
    result = cli.invoke(build_app(), ["typing", gold, gold, "--predictions",
                                      str(DATA / "typing_pred.jsonl"), "--json", str(out)])
    assert result.exit_code == 0, result.output
    datasets = json.loads(out.read_text())["datasets"]
    assert [d["dataset"] for d in datasets][-1] == "all"
    assert datasets[-1]["rows"] == 20
    assert datasets[-1]["figures"]["weighted_f1"] == pytest.approx(0.5)


@pytest.mark.parametrize("args", [["typing", "no-such-file.jsonl"],
                                  ["geocode", str(DATA / "geocode_gold.jsonl"),
                                   "--predictions", "missing.jsonl"]])
def test_eval_cli_unreadable_path_is_usage_error(args: list[str]) -> None:
    result = cli.invoke(build_app(), args)
    assert result.exit_code == 2


def test_eval_cli_reports_missing_product(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sitrep.places.geocode", None)  # its import now fails
    result = cli.invoke(build_app(), ["geocode", str(DATA / "geocode_gold.jsonl")])
    assert result.exit_code == 1
    assert "sitrep.places.geocode.geocode" in result.output


def test_eval_cli_empty_gold_file() -> None:
    result = cli.invoke(build_app(), ["casualties", str(DATA / "empty.jsonl"),
                                      "--predictions", str(DATA / "casualties_pred.jsonl")])
    assert result.exit_code == 0, result.output
    assert "n/a" in result.output


class _Result:
    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload

    def to_dict(self) -> dict[str, Any]:
        return self.payload


def _fake_product(monkeypatch: pytest.MonkeyPatch, seen: list[dict[str, Any]]) -> None:
    """Stand-ins for sitrep.api / sitrep.geo / sitrep.gazetteer that answer from the pred files."""
    docs = {**{r["id"]: r for r in read_jsonl(DATA / "typing_pred.jsonl")},
            **{r["id"]: r for r in read_jsonl(DATA / "casualties_pred.jsonl")}}
    places = {r["id"]: r["places"] for r in read_jsonl(DATA / "geoparse_pred.jsonl")}
    texts = {r["text"]: r["id"] for r in read_jsonl(DATA / "geoparse_gold.jsonl")}
    coded = {r["query"]: r for r in read_jsonl(DATA / "geocode_pred.jsonl")}

    def extract_batch(reports: list[dict[str, Any]]) -> Any:
        for report in reports:
            seen.append(report)
            yield _Result(docs[report["id"]])

    def geocode_query(query: str) -> dict[str, Any]:
        if query not in coded:
            raise LookupError(query)  # a failing query is a miss, not a crash
        return coded[query]

    geo = types.ModuleType("sitrep.places.geocode")
    geo.geocode = geocode_query  # type: ignore[attr-defined]
    gazetteer = types.ModuleType("sitrep.places.index")
    gazetteer.has_name = lambda name: name != "Delta"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sitrep.places.geocode", geo)
    monkeypatch.setitem(sys.modules, "sitrep.places.index", gazetteer)
    monkeypatch.setattr("sitrep.api.geoparse", lambda text: places[texts[text]])
    monkeypatch.setattr("sitrep.api.extract_batch", extract_batch)


def test_eval_runner_calls_product_without_leaking_gold(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []
    _fake_product(monkeypatch, seen)
    [score] = runner.evaluate("casualties", [DATA / "casualties_gold.jsonl"])
    assert score.figures["killed_exact"] == pytest.approx(3 / 5)
    assert {frozenset(r) for r in seen} == {frozenset({"id", "text"})}  # no gold date or counts


def test_eval_runner_geocode_counts_absent_names(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_product(monkeypatch, [])
    [score] = runner.evaluate("geocode", [DATA / "geocode_gold.jsonl"])
    assert score.figures["within25"] == pytest.approx(0.4)
    assert score.figures["absent_from_gazetteer"] == 1


def _load_make_eval() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("make_eval", ROOT / "scripts" / "make_eval.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_eval_without_data_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    output = tmp_path / "EVALUATION.md"
    code = _load_make_eval().main(["--data", str(tmp_path / "absent"), "--output", str(output)])
    assert code == 0
    assert not output.exists()
    assert "no evaluation data" in capsys.readouterr().out


def test_make_eval_writes_one_table_per_task(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_product(monkeypatch, [])
    data = tmp_path / "eval"
    for task, folder in [("typing", "typing"), ("geoparse", "geo"), ("geocode", "geocode"),
                         ("casualties", "casualties")]:
        (data / folder).mkdir(parents=True)
        shutil.copy(DATA / f"{task}_gold.jsonl", data / folder / "dev.jsonl")
    output = tmp_path / "EVALUATION.md"
    code = _load_make_eval().main(["--data", str(data), "--output", str(output)])
    assert code == 0
    page = output.read_text()
    assert page.count("| figure |") == 4
    assert "| weighted F1 (25 ACLED types) | 0.500 |" in page
    assert "**0.839**" in page and "**0.966**" in page
    assert "scripts/make_eval.py" in page


def test_eval_report_says_why_a_task_was_not_measured() -> None:
    page = render([TaskResult("geoparse", problem="not available yet: no geoparser")],
                  command="make eval", data_dir="../shared/eval")
    assert "Not measured: not available yet: no geoparser." in page
    assert "Acc@161" in page
