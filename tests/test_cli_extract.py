"""The extract command's contract (CLI.md): formats, exit codes, stdin. Not event content."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep import errors
from sitrep.cli import main

ROOT = Path(__file__).resolve().parents[1]
REPORTS = [
    {"id": "wire-1", "text": "Government troops clashed with rebels near the northern town on "
                             "Monday, leaving at least five soldiers dead, the army said.",
     "published": "2024-03-05"},
    {"id": "local-1", "text": "Hundreds of residents marched peacefully through the city centre "
                              "on Saturday to protest against rising fuel prices."},
    {"id": "ngo-1", "text": "The organisation condemned an air strike on a clinic in the "
                            "district, which killed two health workers and injured four patients."},
]


def _run(args: list[str], capsys: pytest.CaptureFixture[str],
         monkeypatch: pytest.MonkeyPatch | None = None, stdin: str | None = None
         ) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def _jsonl(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    return _jsonl(tmp_path, [json.dumps(r) for r in REPORTS])


def test_cli_extract_jsonl_one_object_per_input(good_file, capsys, pipeline) -> None:
    status, out, _ = _run(["extract", str(good_file), "--format", "jsonl"], capsys)
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == len(REPORTS)
    results = [json.loads(line) for line in lines]
    assert [r["id"] for r in results] == [r["id"] for r in REPORTS]
    assert all(r["error"] is None and isinstance(r["events"], list) for r in results)


def test_cli_extract_bad_lines_exit_1_in_place(tmp_path, capsys, pipeline) -> None:
    path = _jsonl(tmp_path, [json.dumps(REPORTS[0]), "{broken", json.dumps({"id": "e", "text": ""}),
                             json.dumps({"id": "d", "text": "x", "published": "2023-02-29"}),
                             json.dumps(REPORTS[1])])
    status, out, err = _run(["extract", str(path), "-f", "jsonl"], capsys)
    assert status == 1
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in results] == ["wire-1", "line-2", "e", "d", "local-1"]
    assert [(r["error"] or {}).get("code") for r in results] == [
        None, errors.BAD_JSON, errors.EMPTY_TEXT, errors.BAD_DATE, None]
    assert "Traceback" not in err


def test_cli_extract_stdin(capsys, monkeypatch, pipeline) -> None:
    status, out, _ = _run(["extract", "--format", "jsonl", "--published", "2024-01-02"], capsys,
                          monkeypatch, stdin=REPORTS[1]["text"])
    assert status == 0
    (result,) = [json.loads(line) for line in out.splitlines()]
    assert result["published"] == "2024-01-02" and result["id"].startswith("sha1:")


def test_cli_extract_stdin_dash_jsonl(capsys, monkeypatch, pipeline) -> None:
    data = "".join(json.dumps(r) + "\n" for r in REPORTS)
    status, out, _ = _run(["extract", "-", "-f", "jsonl"], capsys, monkeypatch, stdin=data)
    assert status == 0 and len(out.splitlines()) == len(REPORTS)


def test_cli_extract_json_array(good_file, capsys, pipeline) -> None:
    status, out, _ = _run(["extract", str(good_file), "--format", "json"], capsys)
    assert status == 0
    results = json.loads(out)
    assert isinstance(results, list)
    assert [r["id"] for r in results] == ["wire-1", "local-1", "ngo-1"]


def test_cli_extract_csv(good_file, capsys, pipeline) -> None:
    status, out, _ = _run(["extract", str(good_file), "--format", "csv"], capsys)
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    header = out.splitlines()[0].split(",")
    assert {"id", "event_date", "sub_event_type", "fatalities", "injuries"} <= set(header)
    assert {row["id"] for row in rows} <= {r["id"] for r in REPORTS}


def test_cli_extract_table_is_plain_when_piped(tmp_path, capsys, pipeline) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORTS[0]["text"], encoding="utf-8")
    status, out, _ = _run(["extract", str(path), "--format", "table"], capsys)
    assert status == 0
    assert "date" in out and "killed" in out and "\x1b[" not in out


def test_cli_extract_default_format_is_jsonl_when_piped(good_file, capsys, pipeline) -> None:
    status, out, _ = _run(["extract", str(good_file)], capsys)
    assert status == 0 and all(json.loads(line) for line in out.splitlines())


@pytest.mark.parametrize(
    "args",
    [
        ["extract", "--format", "xml"],
        ["extract", "--bogus"],
        ["extract", "--published", "2023-02-30", "samples/strikes-2023-03-22.txt"],
        ["extract", "--published", "22/03/2023", "samples/strikes-2023-03-22.txt"],
        ["extract", "no/such/file.txt"],
        ["extract", "--urls", "no/such/urls.txt"],  # a folder (samples) is read since #17
        ["no-such-command"],
        ["gazetteer", "load", "x.csv", "--format", "csv", "--map", "name"],
        ["gazetteer", "load", "x.csv", "--country", "Ukraine"],
    ],
)
def test_cli_usage_errors_exit_2_with_one_line(args, capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    status, out, err = _run(args, capsys)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_missing_feature_module_is_a_usage_error(capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "sitrep.places.geocode", None)  # its import now fails
    status, _, err = _run(["geocode", "Kyiv"], capsys)
    assert status == 2 and "not available" in err


def test_cli_internal_error_is_one_line(capsys, monkeypatch) -> None:
    def boom(*_args, **_kwargs):
        raise RuntimeError("stage exploded")

    monkeypatch.setattr("sitrep.api.extract_batch", boom)
    status, out, err = _run(["extract", "samples/strikes-2023-03-22.txt"], capsys)
    assert status == 1 and "Traceback" not in err and "stage exploded" in err


def test_cli_version(capsys) -> None:
    from sitrep import __version__

    status, out, _ = _run(["--version"], capsys)
    assert status == 0 and out.strip() == f"sitrep {__version__}"


def test_cli_python_m_usage_error_without_traceback() -> None:
    proc = subprocess.run([sys.executable, "-m", "sitrep", "extract", "--format", "xml"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("sitrep: error:") and "Traceback" not in proc.stderr


def test_cli_python_m_extract_stdin_jsonl() -> None:
    data = "".join(json.dumps(r) + "\n" for r in REPORTS) + "not json\n"
    proc = subprocess.run([sys.executable, "-m", "sitrep", "extract", "--format", "jsonl"],
                          cwd=ROOT, input=data, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(REPORTS) + 1
    assert json.loads(lines[-1])["id"] == "line-4"


def test_cli_stage_failure_is_a_per_report_error_without_traceback(
        tmp_path, capsys, monkeypatch, pipeline) -> None:
    from sitrep.pipeline.registry import StageInfo

    def explode(document) -> None:
        raise ValueError("bad offsets")

    monkeypatch.setattr(pipeline, "stages", [StageInfo("explode", explode, (), ()),
                                             *pipeline.stages])
    path = _jsonl(tmp_path, [json.dumps(REPORTS[0])])
    status, out, err = _run(["extract", str(path), "-f", "jsonl"], capsys)
    assert status == 1
    (result,) = [json.loads(line) for line in out.splitlines()]
    assert result["id"] == "wire-1" and result["error"]["code"] == errors.STAGE_FAILED
    assert "Traceback" not in err and "bad offsets" in err
