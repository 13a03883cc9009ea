"""The gazetteer and geo commands hand the CLI's options to the library unchanged."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from sitrep.cli import main
from sitrep.cli.gazetteer import parse_mapping


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("name=name_en", {"name": "name_en"}),
        ("name=name_en,alt_names=name_ua+hromada_en,id=pcode",
         {"name": "name_en", "alt_names": "name_ua+hromada_en", "id": "pcode"}),
        (" admin1 = oblast_en , ", {"admin1": "oblast_en"}),
        (None, {}),
    ],
)
def test_cli_gazetteer_parse_mapping(value, expected) -> None:
    assert parse_mapping(value) == expected


def test_cli_gazetteer_load_calls_library(tmp_path: Path, capsys, monkeypatch) -> None:
    calls = []
    fake = types.ModuleType("sitrep.places.index")
    fake.load = lambda *args: calls.append(args) or 3
    monkeypatch.setitem(sys.modules, "sitrep.places.index", fake)
    path = tmp_path / "places.csv"
    path.write_text("name_en,lat,lon\nTestville,50.1,30.2\n", encoding="utf-8")
    status = main(["gazetteer", "load", str(path), "--format", "csv", "--map", "name=name_en",
                   "--country", "ua"])
    assert status == 0
    assert calls == [(str(path), "csv", {"name": "name_en"}, "UA")]
    assert "3" in capsys.readouterr().out


def test_cli_geocode_reads_stdin_and_fills_fields(capsys, monkeypatch) -> None:
    fake = types.ModuleType("sitrep.places.geocode")
    fake.geocode = lambda q: {"name": q.split(",")[0], "lat": 1.0, "lon": 2.0} if "," in q else {}
    monkeypatch.setitem(sys.modules, "sitrep.places.geocode", fake)
    monkeypatch.setattr(sys, "stdin", ["Alpha, Region\n", "\n", "Nowhere\n"])
    status = main(["geocode"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 0
    assert [r["query"] for r in lines] == ["Alpha, Region", "Nowhere"]
    assert lines[0]["name"] == "Alpha" and lines[1]["geonameid"] is None
    assert set(lines[1]) >= {"query", "name", "geonameid", "lat", "lon", "country_code", "admin1",
                             "admin2", "feature_code", "score"}


def test_cli_geocode_empty_argument_gives_a_null_row(capsys, monkeypatch) -> None:
    fake = types.ModuleType("sitrep.places.geocode")
    fake.geocode = lambda q: {"name": q, "lat": 1.0, "lon": 2.0}
    monkeypatch.setitem(sys.modules, "sitrep.places.geocode", fake)
    status = main(["geocode", "Alpha", "", "Beta"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 0
    assert [r["query"] for r in lines] == ["Alpha", "", "Beta"]
    assert lines[1]["name"] is None and lines[1]["lat"] is None and lines[2]["name"] == "Beta"
