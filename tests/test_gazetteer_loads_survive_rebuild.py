"""Files a user loaded into the gazetteer are loaded again when a new sitrep version rebuilds
the index: an analyst's national settlement list must not vanish with an upgrade."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import pytest

from sitrep.places import gazetteer, index, tables
from sitrep.places.build import create_empty
from sitrep.places.index import load

DATA = Path(__file__).parent / "data" / "gazetteer"
SETTLEMENTS = {"id": "code", "name": "title_en", "alt_names": "community_en",
               "admin1": "region_en", "admin2": "district_en"}


def _small_build(path: Path) -> None:
    """The embedded tier, made small: one GeoNames dump."""
    create_empty(path).close()
    gaz = gazetteer.Gazetteer(path)
    gaz.conn.execute("DELETE FROM loads")  # the embedded tier is not a user's load
    load(DATA / "dump.txt", "geonames", gazetteer=gaz)
    gaz.conn.execute("DELETE FROM loads")
    gaz.conn.commit()
    gaz.close()


def _outdate(home: Path) -> None:
    conn = sqlite3.connect(index.index_path(home))
    conn.execute("UPDATE meta SET v = '1' WHERE k = 'schema'")
    conn.commit()
    conn.close()


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(index, "build", _small_build)
    yield home
    gaz = index._OPEN.pop(index.index_path(home), None)
    if gaz is not None:
        gaz.close()


def _reopen(home: Path) -> gazetteer.Gazetteer:
    gaz = index._OPEN.pop(index.index_path(home), None)
    if gaz is not None:
        gaz.close()
    return index.get_gazetteer(home)


def test_gazetteer_loads_survive_rebuild(home: Path, tmp_path: Path) -> None:
    user_file = tmp_path / "settlements.csv"
    shutil.copy(DATA / "settlements.csv", user_file)
    gaz = index.get_gazetteer(home)
    assert not gaz.lookup("Bilokamianka")
    assert load(user_file, "csv", mapping=SETTLEMENTS, country="UA", gazetteer=gaz) > 0
    _outdate(home)
    gaz = _reopen(home)
    hits = gaz.lookup("Bilokamianka")
    assert hits and hits[0].country_code == "UA"
    assert gaz.lookup("Bilokamianska")  # the mapping came back with the file
    assert gaz.lookup("Tal Rummana")  # the rebuilt embedded tier


def test_gazetteer_rebuild_says_which_loads_are_gone(home: Path, tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    user_file = tmp_path / "settlements.csv"
    shutil.copy(DATA / "settlements.csv", user_file)
    load(user_file, "csv", mapping=SETTLEMENTS, country="UA",
         gazetteer=index.get_gazetteer(home))
    user_file.unlink()
    _outdate(home)
    with caplog.at_level(logging.WARNING, logger="sitrep.places"):
        gaz = _reopen(home)
    assert not gaz.lookup("Bilokamianka") and gaz.lookup("Tal Rummana")
    assert str(user_file) in caplog.text and "sitrep gazetteer load" in caplog.text


def test_gazetteer_rebuilt_when_shipped_tables_change(home: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing a table the index is built from (a region added to regions.tsv) rebuilds it."""
    index.get_gazetteer(home)
    data = tmp_path / "data"
    shutil.copytree(tables.DATA_DIR, data)
    with open(data / "regions.tsv", "a", encoding="utf-8") as fh:
        fh.write("Made-up Region\t10\t10\t\tRGN\t1000\t\t\n")
    monkeypatch.setattr(tables, "DATA_DIR", data)
    tables.build_version.cache_clear()
    try:
        assert not index._valid(index.index_path(home))
    finally:
        monkeypatch.undo()
        tables.build_version.cache_clear()
    assert index._valid(index.index_path(home))
