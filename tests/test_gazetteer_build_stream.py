"""Building the gazetteer index: cities read piecewise, divisions keyed by how literally they are
named, old index formats rebuilt."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from sitrep.places import gazetteer, index
from sitrep.places.build import create_empty
from sitrep.places.index import load
from sitrep.places.tables import _stream_cities

DATA = Path(__file__).parent / "data" / "gazetteer"


def _cities(n: int) -> dict[str, dict]:
    return {str(1000 + i): {"geonameid": 1000 + i, "name": f"Town {i} \"Ő\"",
                            "latitude": i / 10, "longitude": -i / 10, "countrycode": "ZZ",
                            "population": 500 + i, "alternatenames": [f"Alt {i}", "ÿ"]}
            for i in range(n)}


@pytest.mark.parametrize("chunk", [7, 64, 1000, 1 << 20])
@pytest.mark.parametrize("spacing", [False, True])
def test_gazetteer_build_stream_reads_every_city(tmp_path: Path, chunk: int,
                                                 spacing: bool) -> None:
    cities = _cities(40)
    path = tmp_path / "cities.json"
    path.write_text(json.dumps(cities, indent=2 if spacing else None), encoding="utf-8")
    assert list(_stream_cities(path, chunk=chunk)) == list(cities.values())


def test_gazetteer_build_stream_empty_object(tmp_path: Path) -> None:
    path = tmp_path / "cities.json"
    path.write_text("{}", encoding="utf-8")
    assert list(_stream_cities(path, chunk=3)) == []


def test_gazetteer_build_admin_keys_prefer_literal_names(real_home: Path) -> None:
    gaz = index.get_gazetteer(real_home)
    oblast = gaz.admin_codes_for("Kyiv Oblast", "UA")
    assert len(oblast) == 1
    assert gaz.admin_codes_for("Kyivska", "UA") == oblast
    assert gaz.admin_codes_for("Oblast Kyiv", "UA") == oblast
    assert gaz.admin_codes_for("Zaporizhia Oblast", "UA") == gaz.admin_codes_for(
        "Zaporizhzhia Oblast", "UA")
    assert gaz.admin_codes_for("Donestk oblast", "UA") == gaz.admin_codes_for("Donetsk", "UA")


def test_gazetteer_build_loaded_divisions_narrow_queries(tmp_path: Path) -> None:
    gaz = create_empty(tmp_path / "g.sqlite")
    load(DATA / "divisions.txt", "geonames", gazetteer=gaz)
    south = gaz.admin_codes_for("Southmark Oblast")
    assert south == frozenset({"ZZ.02"})
    assert gaz.admin_codes_for("Southmarska") == south


def test_gazetteer_build_old_format_is_rebuilt(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Path] = []

    def small_build(path: Path) -> None:
        built.append(path)
        create_empty(path).close()
        g = gazetteer.Gazetteer(path)
        load(DATA / "dump.txt", "geonames", gazetteer=g)
        g.close()

    home = tmp_path / "home"
    home.mkdir()
    small_build(index.index_path(home))
    conn = sqlite3.connect(index.index_path(home))
    conn.execute("UPDATE meta SET v = '1' WHERE k = 'schema'")
    conn.commit()
    conn.close()
    built.clear()
    monkeypatch.setattr(index, "build", small_build)
    gaz = index.get_gazetteer(home)
    try:
        assert built and gaz.lookup("Tal Rummana")
    finally:
        gaz.close()
        index._OPEN.pop(index.index_path(home), None)
