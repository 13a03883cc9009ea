"""``sitrep spark-extract`` in ``local[2]``: the events, claims and errors of one process.

Needs PySpark (the ``spark`` extra) and a Java runtime; CI installs both (.ci/run), and the tests
are skipped, saying which is missing, only where one is absent.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from conflict_corpus import reports, write_jsonl

from sitrep.cli import main

HAVE_JAVA = bool(shutil.which("java") or os.environ.get("JAVA_HOME"))
HAVE_PYSPARK = importlib.util.find_spec("pyspark") is not None
needs_spark = pytest.mark.skipif(
    not (HAVE_JAVA and HAVE_PYSPARK),
    reason="spark-extract needs " + " and ".join(
        [what for what, have in (("PySpark (pip install '.[spark]')", HAVE_PYSPARK),
                                 ("a Java runtime (openjdk-17-jre-headless)", HAVE_JAVA))
         if not have]))

N_REPORTS = 200


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    rows = reports(N_REPORTS)
    return write_jsonl(tmp_path_factory.mktemp("spark") / "reports.jsonl", rows), rows


@pytest.fixture(scope="module")
def spark_run(corpus: tuple[Path, list[dict[str, Any]]]) -> tuple[int, Path]:
    path, _ = corpus
    output = path.parent / "out.parquet"
    status = main(["spark-extract", "--input", str(path), "--output", str(output),
                   "--master", "local[2]", "--partitions", "3"])
    return status, output


def _dataset(folder: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(folder).to_pylist()


@needs_spark
def test_spark_extract_events_equal_single_process(corpus, spark_run, pipeline) -> None:
    from sitrep.api import extract_batch
    from sitrep.exporters import flat_row

    _, rows = corpus
    status, output = spark_run
    assert status == 1  # the corpus has broken reports, which fail in their places
    results = list(extract_batch(rows, pipeline=pipeline))
    expected = [flat_row(e.to_dict()) for r in results for e in r.events]
    got = _dataset(output / "events")
    assert len(got) == len(expected) > 100

    def key(row: dict[str, Any]) -> str:
        return row["record"]

    assert sorted(got, key=key) == sorted(expected, key=key)
    claims = _dataset(output / "claims")
    assert sorted(json.loads(c["record"])["text"] for c in claims) == sorted(
        c.text for r in results for c in r.claims)
    errors = {e["report_id"]: (e["code"], e["input"]) for e in _dataset(output / "errors")}
    assert errors == {r.id: (r.error.code, f"line {n}") for n, r in enumerate(results, 1)
                      if r.error is not None}


@needs_spark
def test_spark_extract_keeps_the_export_columns(spark_run) -> None:
    import pyarrow.parquet as pq

    from sitrep.exporters import parquet_schema

    _, output = spark_run
    schema = pq.read_schema(next((output / "events").glob("*.parquet")))
    assert schema.names == parquet_schema().names
    for name in ("event_date", "fatalities_best", "sources", "latitude"):
        assert schema.field(name).type.equals(parquet_schema().field(name).type) or (
            name == "sources" and str(schema.field(name).type).startswith("list<"))


def test_spark_extract_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["spark-extract", "--input", str(tmp_path / "none.jsonl"),
                   "--output", str(tmp_path / "out")])
    assert status == 2
    assert "no such file" in capsys.readouterr().err


def test_spark_extract_without_pyspark_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", reports(2))
    monkeypatch.setitem(__import__("sys").modules, "pyspark", None)
    status = main(["spark-extract", "--input", str(path), "--output", str(tmp_path / "out")])
    assert status == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'sitrep[spark]'" in err


@needs_spark
def test_spark_extract_reads_parquet_and_warc(tmp_path: Path, spark_run) -> None:
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rows = reports(6, broken=False)
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "reports.parquet")
    with open(tmp_path / "crawl.warc.gz", "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for row in rows:
            html = (f"<html><head><title>{row['id']}</title></head><body><article><p>"
                    f"{row['text']}</p></article></body></html>").encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            record = writer.create_warc_record(f"https://news.example/{row['id']}", "response",
                                               payload=io.BytesIO(html), http_headers=headers)
            writer.write_record(record)
    counts = {}
    for name in ("reports.parquet", "crawl.warc.gz"):
        output = tmp_path / f"{name}.out"
        assert main(["spark-extract", "--input", str(tmp_path / name), "--output", str(output),
                     "--master", "local[2]"]) == 0
        events = _dataset(output / "events")
        counts[name] = len(events)
        assert not _dataset(output / "errors")
    assert counts["reports.parquet"] >= 5
    assert counts["crawl.warc.gz"] >= 5
