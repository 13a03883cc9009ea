"""The gazetteer index: normalised and transliteration keys, user tiers, rebuild on corruption."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sitrep.places import gazetteer, index
from sitrep.places.build import create_empty
from sitrep.places.gazetteer import strip_type_words
from sitrep.places.index import load
from sitrep.places.names import name_key, translit_key

DATA = Path(__file__).parent / "data" / "gazetteer"
CSV_MAP = {"name": "title_en", "alt_names": "title_local+community_en", "admin1": "region_en",
           "admin2": "district_en", "id": "code"}


@pytest.mark.parametrize(("a", "b"), [
    ("Svyatohirs'k", "Svyatohirsk"), ("Bila Tserkva", "Bila-Tserkva"), ("São Paulo", "Sao Paulo"),
    ("Kramators’k", "KRAMATORSK"), ("Ḩalab", "Halab"),
])
def test_gazetteer_name_key_folds_spelling(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Kiev", "Kyiv"), ("Zaporozhye", "Zaporizhzhia"), ("Kharkov", "Kharkiv"),
    ("Svyatohirs'k", "Sviatogirsk"), ("Odessa", "Odesa"), ("Dnepr", "Dnipro"),
    ("Lugansk", "Luhansk"),
])
def test_gazetteer_translit_key_meets_variants(a: str, b: str) -> None:
    assert translit_key(name_key(a)) == translit_key(name_key(b))


@pytest.mark.parametrize(("a", "b"), [("Kyiv", "Kerch"), ("Mosul", "Basra"), ("Homs", "Hama")])
def test_gazetteer_translit_key_keeps_distinct_names_apart(a: str, b: str) -> None:
    assert translit_key(name_key(a)) != translit_key(name_key(b))


@pytest.mark.parametrize(("text", "name", "kind"), [
    ("Kharkiv Oblast", "Kharkiv", "ADM1"), ("Duma town", "Duma", "PPL"),
    ("Jabal Saman district", "Jabal Saman", "ADM2"), ("the city of Izium", "Izium", "PPL"),
    ("Rif Dimashq governorate", "Rif Dimashq", "ADM1"), ("Mosul", "Mosul", None),
])
def test_gazetteer_strip_type_words(text: str, name: str, kind: str | None) -> None:
    assert strip_type_words(text) == (name, kind)


def test_gazetteer_load_csv_with_map_is_idempotent(tmp_path: Path) -> None:
    gaz = create_empty(tmp_path / "g.sqlite")
    added = load(DATA / "settlements.csv", "csv", mapping=CSV_MAP, country="UA", gazetteer=gaz)
    assert added == 3
    assert load(DATA / "settlements.csv", "csv", mapping=CSV_MAP, country="UA",
                gazetteer=gaz) == 0
    assert gaz.count() == 3
    hit = gaz.lookup("Verkhnia Sosnivka")[0]
    assert (hit.country_code, hit.admin2, round(hit.lat, 3)) == ("UA", "Bohodukhivskyi", 49.731)
    # alt_names fed by two headers
    assert gaz.lookup("Bilokamianska")[0].name == "Bilokamianka"
    assert gaz.lookup("Stepove Druhe")[0].name == "Stepove-Druhe"


def test_gazetteer_load_geonames_dump(tmp_path: Path) -> None:
    gaz = create_empty(tmp_path / "g.sqlite")
    assert load(DATA / "dump.txt", "geonames", gazetteer=gaz) == 2
    assert load(DATA / "dump.txt", "geonames", gazetteer=gaz) == 0
    hit = gaz.lookup("Qaryat an Nakhil")[0]
    assert (hit.geonameid, hit.country_code, hit.population) == (99000001, "SY", 420)
    assert gaz.lookup_translit("Tall Rumana")[0].geonameid == 99000002


def test_gazetteer_load_rejects_unknown_format(tmp_path: Path) -> None:
    gaz = create_empty(tmp_path / "g.sqlite")
    with pytest.raises(ValueError):
        load(DATA / "dump.txt", "shapefile", gazetteer=gaz)


def test_gazetteer_embedded_tier_has_places_divisions_and_countries(real_home: Path) -> None:
    gaz = index.get_gazetteer(real_home)
    kinds = {e.feature_code for e in gaz.lookup("Kharkiv")}
    assert "ADM1" in kinds and "PPL" in kinds
    assert any(e.feature_code == "PCLI" for e in gaz.lookup("Syria"))
    assert any(e.feature_code == "CONT" for e in gaz.lookup("Africa"))
    assert gaz.admin_codes_for("Donetsk Oblast") == gaz.admin_codes_for("Donetska")


def test_gazetteer_cold_open_is_fast(real_home: Path) -> None:
    path = index.index_path(real_home)
    start = time.perf_counter()
    gaz = gazetteer.Gazetteer(path)
    assert gaz.lookup("Mosul")
    assert time.perf_counter() - start < 1.0
    gaz.close()


@pytest.mark.parametrize("content", [b"this is not sqlite", b""])
def test_gazetteer_corrupt_index_is_rebuilt(tmp_path: Path, content: bytes,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def small_build(path: Path) -> None:
        create_empty(path).close()
        gaz = gazetteer.Gazetteer(path)
        load(DATA / "dump.txt", "geonames", gazetteer=gaz)
        gaz.close()

    monkeypatch.setattr(index, "build", small_build)
    home = tmp_path / "home"
    home.mkdir()
    (home / index.INDEX_NAME).write_bytes(content)
    gaz = index.get_gazetteer(home)
    try:
        assert gaz.lookup("Tal Rummana")
    finally:
        gaz.close()
        index._OPEN.pop(index.index_path(home), None)
