"""Exports: ACLED's columns in ACLED's order, UCDP GED's ranges, GeoJSON, Parquet."""

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

from sitrep.exporters import ACLED_COLUMNS, EXPORTERS, export  # noqa: E402
from sitrep.records import Report  # noqa: E402
from sitrep.store import StoreError, ingest, open_store, query_events  # noqa: E402

stubs = load("stubs")
ACLED_ORDER = ("event_id_cnty event_date year time_precision disorder_type event_type "
               "sub_event_type actor1 assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 "
               "interaction civilian_targeting iso region country admin1 admin2 admin3 location "
               "latitude longitude geo_precision source source_scale notes fatalities tags "
               "timestamp").split()


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("export") / "e.db")
    store = open_store(path)
    reports = [Report("a", "Kharkiv strike", date(2024, 5, 10), "Northwire", "https://n/a"),
               Report("b", "Kharkiv strike", date(2024, 5, 11), "Ledger", "https://l/b"),
               Report("c", "Aleppo clash", date(2024, 5, 12), "Syria Wire", "https://s/c")]
    table = {"a": [stubs.event("a", day="2024-05-10", killed=6, qualifier="at_least")],
             "b": [stubs.event("b", day="2024-05-10", killed=8)],
             "c": [stubs.event("c", place="Aleppo", day="2024-05-12", kind="clash", killed=3,
                               actor="Military Forces of Syria", actor_country="SY")]}
    ingest(store, reports, extractor=stubs.table_extractor(table))
    return list(query_events(store))


def run(records, name):
    out = io.BytesIO()
    n = export(records, name, out)
    return n, out.getvalue()


def test_export_acled_columns_in_order(records):
    n, data = run(records, "acled-csv")
    rows = list(csv.reader(io.StringIO(data.decode())))
    assert rows[0] == ACLED_ORDER == ACLED_COLUMNS
    assert n == len(rows) - 1 == 2
    kharkiv = dict(zip(rows[0], rows[1], strict=True))
    assert kharkiv["fatalities"] == "8"
    assert kharkiv["iso"] == "804" and kharkiv["country"] == "Ukraine"
    assert kharkiv["region"] == "Europe"
    assert kharkiv["source"] == "Northwire; Ledger"
    assert kharkiv["civilian_targeting"] == "Civilian targeting"
    aleppo = dict(zip(rows[0], rows[2], strict=True))
    assert aleppo["region"] == "Middle East" and aleppo["civilian_targeting"] == ""


def test_export_acled_leaves_out_events_outside_acled(records):
    visit = {**records[0], "event_id": "visit", "disorder_type": None, "event_type": None,
             "sub_event_type": None, "plover": {"event": "CONSULT", "mode": None, "context": []}}
    n, data = run([visit, *records], "acled-csv")
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert n == len(rows) == len(records)
    assert all(row["event_type"] for row in rows)
    n_geo, geo = run([visit, *records], "geojson")
    assert n_geo == len(records) + 1


def test_export_ucdp_ranges_and_precision(records):
    _, data = run(records, "ucdp-csv")
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert {"best", "low", "high", "where_prec", "date_prec"} <= set(rows[0])
    assert (rows[0]["best"], rows[0]["low"], rows[0]["high"]) == ("8", "6", "8")
    assert rows[0]["where_prec"] == "1" and rows[0]["date_prec"] == "1"
    assert rows[0]["type_of_violence"] == "3" and rows[1]["type_of_violence"] == "1"


def test_export_geojson_points(records):
    _, data = run(records, "geojson")
    collection = json.loads(data)
    assert collection["type"] == "FeatureCollection"
    first = collection["features"][0]
    assert first["geometry"]["coordinates"] == [pytest.approx(36.2304), pytest.approx(49.9935)]
    assert first["properties"]["event_id"] == records[0]["event_id"]


def test_export_parquet_reads_back(records):
    import pyarrow.parquet as pq

    _, data = run(records, "parquet")
    table = pq.read_table(io.BytesIO(data))
    assert table.num_rows == 2
    assert table.column("fatalities_best").to_pylist() == [8, 3]
    assert table.column("event_date").to_pylist()[0] == date(2024, 5, 10)
    assert json.loads(table.column("record")[0].as_py()) == records[0]


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_export_empty(name):
    n, data = run([], name)
    assert n == 0 and data


def test_export_unknown_format():
    with pytest.raises(StoreError):
        export([], "xlsx", io.BytesIO())


@pytest.mark.parametrize("name", ["acled-csv", "ucdp-csv", "geojson", "parquet"])
def test_export_cli_writes_file(name, tmp_path, records):
    from sitrep import cli as main_cli
    from sitrep.cli.store import register

    if "export" not in {c.name or c.callback.__name__ for c in main_cli.app.registered_commands}:
        register(main_cli.app)
    path = str(tmp_path / "c.db")
    store = open_store(path)
    ingest(store, [Report("a", "Kharkiv strike", date(2024, 5, 10), "W")],
           extractor=stubs.table_extractor({"a": [stubs.event("a", killed=2)]}))
    output = tmp_path / f"out.{name}"
    assert main_cli.main(["export", "--format", name, "--db", path, "-o", str(output)]) == 0
    assert output.stat().st_size > 0
