"""Names in Arabic, Greek, Hebrew and other scripts: found as written, the way local reports,
Telegram channels and national lists write them (Cyrillic is romanised: see the Cyrillic
tests)."""

from __future__ import annotations

import pytest

from sitrep.places.gazetteer import Gazetteer
from sitrep.places.geocode import geocode, haversine
from sitrep.places.names import name_key


@pytest.mark.parametrize(("a", "b"), [
    ("الرقة", "الرقه"),  # teh marbuta written as heh
    ("أعزاز", "اعزاز"),  # alef with hamza, and without
    ("إدلب", "ادلب"),
    ("حَلَب", "حلب"),  # vowel signs
    ("مدينة", "مديـنة"),  # tatweel
    ("کرمان", "كرمان"),  # Persian keheh and Arabic kaf
])
def test_gazetteer_arabic_spellings_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b) and name_key(a)


def test_gazetteer_other_scripts_keep_their_letters() -> None:
    assert name_key("Χανιά") == "χανια"
    assert name_key("ירושלים") == "ירושלים"
    assert name_key("Diyarbakır") == "diyarbakir"  # Latin names as before


SETTLEMENTS = [
    ("Tall Rifat", 36.47, 37.10, "تل رفعت", "SY", 20000),
    ("Marib", 15.46, 45.33, "مأرب", "YE", 40000),
    ("Act Town", 10.0, 10.0, "Act", "XX", 900),
]


@pytest.mark.parametrize(("query", "name"), [
    ("تل رفعت", "Tall Rifat"), ("مارب", "Marib"), ("مأرب", "Marib")])
def test_gazetteer_loaded_list_found_in_its_script(settlements: Gazetteer, query: str, name: str
                                                   ) -> None:
    """A settlement list's local names are indexed too, not only its Latin ones."""
    assert [e.name for e in settlements.lookup(query)] == [name]


@pytest.mark.parametrize(("query", "lat", "lon"), [
    ("حلب", 36.20, 37.16),  # three letters: no vowels are written
    ("إدلب، سوريا", 35.93, 36.63),  # the Arabic comma parts a query too
    ("الفاشر", 13.63, 25.35),
    ("صنعاء", 15.35, 44.21),
    ("Χανιά", 35.51, 24.03),
    ("ירושלים", 31.77, 35.22),
])
def test_geocode_queries_in_other_scripts(query: str, lat: float, lon: float) -> None:
    out = geocode(query)
    assert out["lat"] is not None and haversine(out["lat"], out["lon"], lat, lon) < 25, out


def test_geocode_short_latin_word_is_still_no_alternate_name() -> None:
    assert geocode("Act")["name"] is None
