"""The geocoder's fast paths answer as the plain reads do: reads within a country go through the
indexes that lead with the country and return the same rows in the same order as a read over
every country narrowed to it, and a stream of queries keeps one thread ending its lingering
read transactions instead of starting one per transaction."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from conftest import small_index

from sitrep.places import gazetteer
from sitrep.places.gazetteer import READ_LINGER_S, Gazetteer
from sitrep.places.geocode import geocode

# Made-up villages sharing spellings across three countries, with misspellings one edit away.
ROWS = [
    ("Novoselivka", 48.1, 37.2, "UA", 900), ("Novoselivka", 47.3, 35.1, "UA", 1200),
    ("Novoselovka", 51.2, 36.8, "RU", 700), ("Novosilka", 47.6, 36.4, "UA", 400),
    ("Novoselitsa", 43.9, 22.7, "BG", 300), ("Kamianka", 48.9, 33.1, "UA", 2500),
    ("Kamenka", 51.1, 37.9, "RU", 8000), ("Kamyanka", 49.3, 25.6, "UA", 650),
    ("Stepanivka", 47.9, 34.4, "UA", 2100), ("Stepanovka", 51.2, 36.8, "RU", 1500),
    ("Zolochiv", 50.3, 35.9, "UA", 8500), ("Zolotcheve", 49.8, 24.9, "UA", 120),
]
NAMES = ["Novoselivka", "Novoselovka", "Novoselyvka", "Kamianka", "Kamenka", "Kamjanka",
         "Stepanivka", "Stepaniwka", "Zolochiv", "Zolochev", "Nowhere", "Kyiv"]
COUNTRIES = ["UA", "RU", "BG", "FR"]


@pytest.fixture
def gaz(tmp_path: Path) -> Gazetteer:
    path = small_index(tmp_path, [
        {"name": name, "lat": lat, "lon": lon, "id": i, "country_code": cc,
         "feature_code": "PPL", "population": pop}
        for i, (name, lat, lon, cc, pop) in enumerate(ROWS)])
    gazetteer = Gazetteer(path)
    yield gazetteer
    gazetteer.close()


def _plan(gaz: Gazetteer, sql: str, args: tuple[object, ...]) -> str:
    with gaz._lock:
        return " ".join(str(row[-1]) for row in gaz.conn.execute(f"EXPLAIN QUERY PLAN {sql}",
                                                                  args))


@pytest.mark.parametrize(("sql", "args", "index"), [
    (gazetteer._SPELL_IN_COUNTRY, ("nvslvk", "UA"), "names_cc"),
    (gazetteer._SKELETON_TKEYS_IN, ('["nvslvk"]', "UA"), "skeletons_cc"),
    (gazetteer._NAMES_OF_TKEYS_IN, ('["nvslvk"]', "UA", 5, 15), "names_cc"),
])
def test_gazetteer_speed_reads_in_country_use_country_index(
        gaz: Gazetteer, sql: str, args: tuple[object, ...], index: str) -> None:
    assert index in _plan(gaz, sql, args)


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize("name", NAMES)
def test_gazetteer_speed_reads_in_country_spellings_match_narrowed(
        gaz: Gazetteer, name: str, country: str) -> None:
    everywhere = [(h.entry.id, h.key, h.quality) for h in gaz.spellings(name)
                  if h.entry.country_code == country]
    within = [(h.entry.id, h.key, h.quality) for h in gaz.spellings(name, country)]
    assert within == everywhere


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize("name", NAMES)
def test_gazetteer_speed_reads_in_country_typos_match_narrowed(
        gaz: Gazetteer, name: str, country: str) -> None:
    everywhere = [(h.entry.id, h.key, h.quality, sim) for h, sim in gaz.fuzzy_hits(name)
                  if h.entry.country_code == country]
    within = [(h.entry.id, h.key, h.quality, sim) for h, sim in gaz.fuzzy_hits(name, country)]
    assert within == everywhere


def test_gazetteer_speed_reads_one_watcher_for_a_stream(gaz: Gazetteer) -> None:
    """Queries for several linger periods, one at a time with short pauses: the thread that ends
    each period's transaction is the same one throughout."""
    seen: list[threading.Thread] = []
    deadline = time.monotonic() + 8 * READ_LINGER_S
    i = 0
    while time.monotonic() < deadline:
        geocode(f"{NAMES[i % len(NAMES)]} {i}, Ukraine", gazetteer=gaz)
        i += 1
        time.sleep(READ_LINGER_S / 8)
        for thread in threading.enumerate():
            if thread.name == "gazetteer-read-end" and not any(thread is t for t in seen):
                seen.append(thread)
    assert len(seen) == 1
