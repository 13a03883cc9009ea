"""Every reader path and every exporter against the hostile-input corpus (tests/data/hostile,
written by its make_corpus.py; manifest.json says what each input must become)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "store"))
from fixtures import load  # noqa: E402

from sitrep import errors  # noqa: E402
from sitrep.exporters import EXPORTERS, FORMULA_START, export, safe_cell  # noqa: E402
from sitrep.records import Report  # noqa: E402
from sitrep.sources import read_paths, read_stream  # noqa: E402
from sitrep.store import ingest, open_store, query_events  # noqa: E402

stubs = load("stubs")
HOSTILE = Path(__file__).parent / "data" / "hostile"
MANIFEST = json.loads((HOSTILE / "manifest.json").read_text(encoding="utf-8"))
ENTRIES = {entry["file"]: entry for entry in MANIFEST}


def outcome(item: Report | errors.SitrepError) -> str:
    if isinstance(item, errors.SitrepError):
        return f"error:{item.code}"
    return "report:sha1" if item.id.startswith("sha1:") else f"report:{item.id}"


def read(name: str, how: str) -> list[Report | errors.SitrepError]:
    path = HOSTILE / name
    if how == "file":
        return list(read_paths([str(path)]))
    with path.open("rb") as stream:  # stdin: no name, no suffix, no size
        return list(read_stream(stream, "<stdin>"))


def test_hostile_corpus_is_complete() -> None:
    on_disk = {p.name for p in HOSTILE.iterdir()} - {"manifest.json", "make_corpus.py"}
    assert on_disk == set(ENTRIES)


@pytest.mark.parametrize("how", ["file", "stdin"])
@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_hostile_readers(name: str, how: str) -> None:
    items = read(name, how)
    assert [outcome(i) for i in items] == ENTRIES[name]["expect"], ENTRIES[name]["note"]
    for item in items:
        if isinstance(item, Report):
            assert item.text.strip()
            assert "\x00" not in item.text and "\ufeff" not in item.text[:1]


def _all_reports() -> list[Report]:
    reports: list[Report] = []
    for name in sorted(ENTRIES):
        reports += [i for i in read(name, "file") if isinstance(i, Report)]
    return reports


@pytest.fixture(scope="module")
def hostile_records(tmp_path_factory) -> list[dict]:
    """Every report of the corpus stored with one event, its fields kept as they came."""
    store = open_store(str(tmp_path_factory.mktemp("hostile") / "h.db"))
    reports = _all_reports()
    table = {r.id: [stubs.event(r.id, day="2024-05-10", killed=1)] for r in reports}
    ingest(store, reports, extractor=stubs.table_extractor(table))
    records = list(query_events(store))
    assert records
    return records


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_hostile_exporters(hostile_records: list[dict], name: str) -> None:
    out = io.BytesIO()
    n = export(hostile_records, name, out)
    data = out.getvalue()
    if EXPORTERS[name].suffix == ".csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        assert len(rows) == n + 1
        assert len({len(row) for row in rows}) == 1  # no row split by a stray CR or quote
        for row in rows:
            for cell in row:
                assert not cell.startswith(FORMULA_START) or safe_cell(cell) == cell, cell
    elif name == "geojson":
        collection = json.loads(data)
        assert collection["type"] == "FeatureCollection" and len(collection["features"]) == n
    elif name == "parquet":
        import pyarrow.parquet as pq

        assert pq.read_table(io.BytesIO(data)).num_rows == n


def test_hostile_pipeline_small_inputs(pipeline) -> None:
    """Every small input of the corpus through the pipeline: a result for each, in order, each
    either coded or a coded error, within the time budget."""
    items = []
    for name in sorted(ENTRIES):
        if (HOSTILE / name).stat().st_size <= 25_000:
            items += read(name, "file")
    results = list(pipeline.pipe(items))
    assert len(results) == len(items)
    for item, result in zip(items, results, strict=True):
        if isinstance(item, Report):
            assert result.id == item.id
        if result.error is not None:
            assert result.error.code in errors.MESSAGES
            assert result.error.code != errors.TIME_BUDGET
