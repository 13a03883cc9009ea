"""Gazetteer reads: the JSON-list and IN-list forms of a lookup agree, a geocoding query's reads
share one transaction that ends with it, and the folding of names is the plain definition."""

from __future__ import annotations

import time
import unicodedata
from itertools import groupby
from pathlib import Path

import pytest
from conftest import small_index

from sitrep.places.gazetteer import READ_LINGER_S, Gazetteer
from sitrep.places.geocode import geocode
from sitrep.places.names import name_key, romanise, translit_form

# Made-up settlements: several share a consonant skeleton or sit one typo apart, in two
# countries, so that spellings, misspellings and country filters all have something to choose.
ROWS = [
    ("Velyka Dymerka", 50.59, 30.91, "Velikaya Dymerka|Welyka Dymerka", "UA", 5000),
    ("Mala Dymerka", 50.61, 30.88, "Malaya Dymerka", "UA", 800),
    ("Dymirka", 49.10, 31.20, "", "UA", 300),
    ("Kholodnyi Yar", 49.05, 32.10, "Kholodny Yar|Cholodnyj Jar", "UA", 1200),
    ("Kholodnyy Yar", 48.30, 35.10, "", "RU", 900),
    ("Stepanivka", 47.90, 34.40, "Stepanovka", "UA", 2100),
    ("Stepanovka", 51.20, 36.80, "", "RU", 1500),
    ("Stiepanivka", 46.80, 33.70, "", "UA", 400),
    ("Novohryhorivka", 47.50, 35.20, "Novogrigorovka|Novohrihorivka", "UA", 3100),
    ("Novogrigoryevka", 45.10, 39.90, "", "RU", 2600),
    ("Sosnivka", 50.10, 24.20, "Sosnovka", "UA", 9000),
    ("Sosnovka", 53.20, 41.10, "", "RU", 7000),
]

QUERIES = [
    ("Velyka Dymerka", None), ("Welika Dimerka", "UA"), ("Velyka Dymreka", "UA"),
    ("Kholodnij Jar", None), ("Holodnyi Yar", "UA"), ("Kholodnyi Yar", "RU"),
    ("Stepanivka", None), ("Stepanovka", "UA"), ("Stiepanivka", "RU"), ("Stepanivkaa", "UA"),
    ("Novohryhorivka", None), ("Novogrigorevka", "RU"), ("Novohryhorivak", "UA"),
    ("Sosnivka", "RU"), ("Sosnowka", None), ("Dymerka", "UA"), ("Nowhere", "UA"),
]


@pytest.fixture
def index(tmp_path: Path) -> Path:
    return small_index(tmp_path, [
        {"name": name, "lat": lat, "lon": lon, "alt_names": alts, "id": i, "country_code": cc,
         "feature_code": "PPL", "population": pop}
        for i, (name, lat, lon, alts, cc, pop) in enumerate(ROWS)])


def _reads(gaz: Gazetteer, name: str, country: str | None) -> tuple[list, list]:
    spellings = [(h.entry.name, h.entry.country_code, h.key, h.quality)
                 for h in gaz.spellings(name, country)]
    fuzzy = [(h.entry.name, h.entry.country_code, h.key, h.quality, round(sim, 9))
             for h, sim in gaz.fuzzy_hits(name, country)]
    return spellings, fuzzy


@pytest.mark.parametrize(("name", "country"), QUERIES)
def test_gazetteer_lookup_paths_json_and_in_lists_agree(index: Path, name: str,
                                                       country: str | None) -> None:
    by_json = Gazetteer(index)
    by_in = Gazetteer(index)
    by_in._json = False  # as on an SQLite without the JSON functions
    try:
        assert _reads(by_json, name, country) == _reads(by_in, name, country)
    finally:
        by_json.close()
        by_in.close()


def test_gazetteer_lookup_paths_find_misspellings(index: Path) -> None:
    gaz = Gazetteer(index)
    try:
        found = {(h.entry.name, h.entry.country_code) for h, _ in gaz.fuzzy_hits(
            "Novohryhorivak", "UA")}
        assert ("Novohryhorivka", "UA") in found
        assert all(cc == "UA" for _, cc in found)
    finally:
        gaz.close()


@pytest.mark.parametrize("query", [
    "Velyka Dymerka, Ukraine", "Welika Dimerka", "Stepanovka, Russia", "Sosnowka", "Nowhere",
    "", "???",
])
def test_gazetteer_lookup_paths_query_reads_end_their_transaction(index: Path,
                                                                 query: str) -> None:
    gaz = Gazetteer(index)
    try:
        with gaz.reading():
            with gaz.reading():  # nested, as a caller inside a batch would
                gaz.spellings("Stepanivka", "UA")
                assert gaz.conn.in_transaction
            assert gaz.conn.in_transaction  # the outer context still holds it
        assert _ends_soon(gaz)
        geocode(query, gazetteer=gaz)
        assert _ends_soon(gaz)
    finally:
        gaz.close()


def _ends_soon(gaz: Gazetteer) -> bool:
    """Whether the read transaction ends within a few lingering periods, as another process
    writing the index needs."""
    deadline = time.monotonic() + 10 * READ_LINGER_S + 0.5
    while time.monotonic() < deadline:
        with gaz._lock:
            if not gaz.conn.in_transaction:
                return True
        time.sleep(READ_LINGER_S / 4)
    return False


def _plain_name_key(name: str) -> str:
    """name_key as first written: a character loop over the decomposed text (Cyrillic
    romanised first)."""
    import re

    if name.isascii():
        text = name.lower().replace("'", "").replace("`", "")
    else:
        undecomposed = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
                                      "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "æ": "ae",
                                      "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th",
                                      "ð": "d", "Ð": "D"})
        text = unicodedata.normalize("NFKD", romanise(name).translate(undecomposed))
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = re.sub(r"[\'’ʼ`´ʹ‘]", "", text.casefold())
    return re.sub(r"[\W_]+", "", text)


@pytest.mark.parametrize("name", [
    "Svyatohirs’k", "Ḩalab", "Şa‘dah", "Ch’obī", "Técpan de Galeana", "Diyarbakır",
    "Київ", "Ærøskøbing", "a\u0301\u0301b", "Straße", "İstanbul", "Ⅻ", "ﬁre", "Zaporiz'ka",
])
def test_gazetteer_lookup_paths_name_key_is_the_plain_fold(name: str) -> None:
    assert name_key(name) == _plain_name_key(name)


@pytest.mark.parametrize("key", [
    "zaporizhzhia", "kharkiv", "mykolajiw", "shchastia", "novoaaaidar", "ssschhh", "xx", "a",
    "lviv", "ternopill", "mariupool",
])
def test_gazetteer_lookup_paths_translit_form_folds_runs(key: str) -> None:
    out = key
    for src, dst in [("shch", "s"), ("sch", "s"), ("kh", "h"), ("zh", "z"), ("ts", "c"),
                     ("tz", "c"), ("ch", "c"), ("sh", "s"), ("ph", "f"), ("gh", "h")]:
        out = out.replace(src, dst)
    out = out.translate(str.maketrans({"g": "h", "w": "v", "j": "i", "y": "i", "q": "k",
                                       "x": "ks"}))
    assert translit_form(key) == "".join(c for c, _ in groupby(out))
