"""``sitrep events`` filters, in the Python API and on the command line."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "store"))
from fixtures import BACKENDS, db_url, load  # noqa: E402

from sitrep.records import Report  # noqa: E402
from sitrep.store import count_events, ingest, open_store, query_events  # noqa: E402

stubs = load("stubs")
SPECS = [  # (id, place, day, kind, killed, actor)
    ("k1", "Kharkiv", "2024-05-01", "missile", 4, "Military Forces of Russia"),
    ("o1", "Odesa", "2024-05-03", "drone", 0, "Military Forces of Russia"),
    ("a1", "Aleppo", "2024-05-05", "clash", 12, "Military Forces of Syria"),
    ("g1", "Gao", "2024-06-01", "clash", 30, "JNIM: Group for Support of Islam and Muslims"),
    ("m1", "Mogadishu", "2024-06-02", "protest", 0, "Protesters (Somalia)"),
]


def fill(store) -> None:
    table, reports = {}, []
    for rid, place, day, kind, killed, actor in SPECS:
        reports.append(Report(rid, f"{place} {kind}", date.fromisoformat(day), "Wire"))
        table[rid] = [stubs.event(rid, place=place, day=day, kind=kind, killed=killed,
                                  actor=actor, actor_country=None)]
    ingest(store, reports, extractor=stubs.table_extractor(table))


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    s = open_store(db_url(request.param, tmp_path))
    fill(s)
    yield s
    s.dispose()


@pytest.mark.parametrize("filters,expected", [
    ({}, ["Kharkiv", "Odesa", "Aleppo", "Gao", "Mogadishu"]),
    ({"since": date(2024, 5, 3)}, ["Odesa", "Aleppo", "Gao", "Mogadishu"]),
    ({"until": date(2024, 5, 3)}, ["Kharkiv", "Odesa"]),
    ({"country": "ua"}, ["Kharkiv", "Odesa"]),
    ({"type": "Battles"}, ["Aleppo", "Gao"]),
    ({"type": "air/drone strike"}, ["Odesa"]),
    ({"type": "Demonstrations"}, ["Mogadishu"]),
    ({"bbox": (30.0, 45.0, 40.0, 51.0)}, ["Kharkiv", "Odesa"]),
    ({"bbox": (30.0, 45.0, 40.0, 51.0), "since": date(2024, 5, 2)}, ["Odesa"]),
    ({"actor": "russia"}, ["Kharkiv", "Odesa"]),
    ({"actor": "jnim"}, ["Gao"]),
    ({"min_fatalities": 10}, ["Aleppo", "Gao"]),
    ({"limit": 2}, ["Kharkiv", "Odesa"]),
    ({"bbox": (170.0, -10.0, -170.0, 10.0)}, []),
])
def test_store_query_filters(store, filters, expected):
    assert [e["location"]["name"] for e in query_events(store, **filters)] == expected
    if "limit" not in filters:
        assert count_events(store, **filters) == len(expected)


@pytest.fixture
def cli(tmp_path):
    from sitrep import cli as main_cli
    from sitrep.cli.store import register

    if "events" not in {c.name or c.callback.__name__ for c in main_cli.app.registered_commands}:
        register(main_cli.app)
    return main_cli.main


def test_store_query_cli_formats(cli, tmp_path, capsys):
    path = str(tmp_path / "q.db")
    fill(open_store(path))
    assert cli(["events", "--db", path, "--format", "jsonl", "--country", "UA"]) == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["location"]["name"] for r in records] == ["Kharkiv", "Odesa"]
    from sitrep.schema import load as load_schema

    event_schema = load_schema()["$defs"]["Event"]
    import jsonschema

    for record in records:
        jsonschema.validate(record, {**load_schema(), **event_schema})
    assert cli(["events", "--db", path, "--format", "csv", "--min-fatalities", "10"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["location"] for r in rows] == ["Aleppo", "Gao"]
    assert cli(["events", "--db", path, "--format", "table"]) == 0
    assert "Mogadishu" in capsys.readouterr().out


@pytest.mark.parametrize("args", [["--bbox", "1,2,3"], ["--since", "yesterday"],
                                  ["--country", "Ukraine"], ["--bbox", "0,50,10,40"]])
def test_store_query_cli_usage_errors(cli, tmp_path, capsys, args):
    path = str(tmp_path / "q.db")
    open_store(path).dispose()
    assert cli(["events", "--db", path, *args]) == 2
    assert capsys.readouterr().err.startswith("sitrep: error:")


def test_store_query_cli_missing_database(cli, tmp_path, capsys):
    assert cli(["events", "--db", str(tmp_path / "none.db")]) == 2  # a usage error (issue 14)
    assert "S005" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("collector", [True, False])
def test_store_query_decodes_in_chunks(store, monkeypatch: pytest.MonkeyPatch,
                                       collector: bool) -> None:
    """Records decoded a chunk at a time are the same records, in order, and the garbage
    collector is as the caller left it, even when the caller stops early."""
    import gc

    from sitrep.store import query

    whole = list(query_events(store))
    monkeypatch.setattr(query, "DECODE_CHUNK", 2)
    was = gc.isenabled()
    try:
        gc.enable() if collector else gc.disable()
        assert list(query_events(store)) == whole
        assert gc.isenabled() is collector
        first = query_events(store)
        assert next(first) == whole[0]
        assert gc.isenabled() is collector  # paused only while a chunk is decoded
        first.close()
    finally:
        gc.enable() if was else gc.disable()
