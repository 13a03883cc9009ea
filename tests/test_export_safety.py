"""Exports are safe to open in a spreadsheet: no cell runs as a formula (issue 14, item 2)."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "store"))
from fixtures import load  # noqa: E402

from sitrep.cli import main  # noqa: E402
from sitrep.exporters import FORMULA_START, export, safe_cell  # noqa: E402
from sitrep.records import Report  # noqa: E402
from sitrep.store import ingest, open_store, query_events  # noqa: E402

stubs = load("stubs")
HOSTILE = ['=HYPERLINK("http://evil.example","click")', "@SUM(1+1)*cmd|' /C calc'!A0",
           "+cmd", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("safety") / "e.db")
    store = open_store(path)
    reports = [Report(HOSTILE[2], "Kharkiv strike", date(2024, 5, 10), HOSTILE[0], HOSTILE[1]),
               Report("b", "Kharkiv strike", date(2024, 5, 10), HOSTILE[3], None),
               Report("c", "Gao clash", date(2024, 5, 12), HOSTILE[4], HOSTILE[5])]
    table = {HOSTILE[2]: [stubs.event(HOSTILE[2], day="2024-05-10", killed=6)],
             "b": [stubs.event("b", day="2024-05-11", kind="clash", killed=8, place="Odesa",
                               actor="=cmd|' /C calc'!A0")],
             "c": [stubs.event("c", place="Gao", day="2024-05-12", kind="clash", killed=3)]}
    ingest(store, reports, extractor=stubs.table_extractor(table))
    return path


def _assert_safe(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START) or safe_cell(cell) == cell, cell


@pytest.mark.parametrize("name", ["acled-csv", "ucdp-csv"])
def test_export_csv_neutralises_formulas(db: str, name: str) -> None:
    out = io.BytesIO()
    export(query_events(open_store(db, create=False)), name, out)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode())))
    _assert_safe(rows)
    text = out.getvalue().decode()
    assert "'=HYPERLINK(" in text or "'@SUM" in text or "'+cmd" in text


def test_export_cli_events_csv_neutralises_formulas(db: str, capsys) -> None:
    assert main(["events", "--db", db, "--format", "csv"]) == 0
    out = capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(out)))
    _assert_safe(rows)
    assert "'=cmd|" in out


def test_export_cli_extract_csv_neutralises_formulas(tmp_path, capsys, pipeline) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"id": "=1+1", "text": "Two people were killed in Kharkiv."})
                    + "\n", encoding="utf-8")
    main(["extract", str(path), "--format", "csv"])
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[1][0] == "'=1+1"
    _assert_safe(rows)


@pytest.mark.parametrize("value", [-3.5, "-3.5", "-12", "+4", "2024-05-10", "1e-3", 0, None,
                                   "Kharkiv", "", "'quoted"])
def test_export_safe_cell_keeps_data(value: object) -> None:
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", HOSTILE + ["-", "=", "@", "-cmd", "+ 1"])
def test_export_safe_cell_quotes_formulas(value: str) -> None:
    assert safe_cell(value) == ("'" + value).replace("\r", "\n")
