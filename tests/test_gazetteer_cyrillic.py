"""Cyrillic names: a Ukrainian or Russian spelling finds the place its Latin name files, as
Telegram posts and national settlement lists write them."""

from __future__ import annotations

import pytest

from sitrep.places.gazetteer import Gazetteer
from sitrep.places.names import name_key, romanise


@pytest.mark.parametrize(("cyrillic", "latin"), [
    ("Київ", "Kyiv"), ("Харків", "Kharkiv"), ("Запоріжжя", "Zaporizhzhia"),
    ("Миколаїв", "Mykolaiv"), ("Білокам'янка", "Bilokamianka"), ("Ізюм", "Izium"),
    ("Єнакієве", "Yenakiieve"), ("Ялта", "Yalta"),  # Ukraine's national system
    ("Харьков", "Kharkov"), ("Киев", "Kiev"), ("Мариуполь", "Mariupol"),
    ("Москва", "Moskva"),  # BGN/PCGN Russian
])
def test_gazetteer_cyrillic_keys_meet_latin_names(cyrillic: str, latin: str) -> None:
    assert name_key(cyrillic) == name_key(latin)


@pytest.mark.parametrize("text", ["Kyiv", "Zaporizhzhia Oblast", "Ñuñoa", "القدس", ""])
def test_gazetteer_romanise_leaves_other_scripts(text: str) -> None:
    assert romanise(text) == text


SETTLEMENTS = [
    # A settlement list as a national agency publishes it: Latin and local names.
    ("Bilokamianka", 48.51, 37.20, "Білокам'янка", "UA", 900),
    ("Verkhnia Sosnivka", 49.73, 35.92, "Верхня Соснівка", "UA", 400),
    ("Sosnovka", 53.20, 41.10, "Сосновка", "RU", 7000),
]


@pytest.mark.parametrize(("query", "name"), [
    ("Білокам'янка", "Bilokamianka"), ("Білокамʼянка", "Bilokamianka"),
    ("Верхня Соснівка", "Verkhnia Sosnivka"), ("Сосновка", "Sosnovka"),
    ("Верхняя Сосновка", "Verkhnia Sosnivka"),  # the Russian spelling, by its skeleton
])
def test_gazetteer_cyrillic_queries_find_places(settlements: Gazetteer, query: str, name: str
                                                ) -> None:
    hits = settlements.lookup(query) or [h.entry for h in settlements.spellings(query, None)] or [
        h.entry for h, _ in settlements.fuzzy_hits(query, None)]
    assert hits and hits[0].name == name


@pytest.mark.parametrize(("query", "lat", "lon"), [
    ("Харків", 49.98, 36.25), ("Одеса", 46.48, 30.74), ("Бахмут, Донецька область", 48.59, 38.0),
    ("Херсон", 46.64, 32.61),
])
def test_geocode_cyrillic_queries(query: str, lat: float, lon: float) -> None:
    from sitrep.places.geocode import geocode, haversine

    out = geocode(query)
    assert out["lat"] is not None and haversine(out["lat"], out["lon"], lat, lon) < 25
