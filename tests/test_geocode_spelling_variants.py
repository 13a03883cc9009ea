"""geocode over the embedded tier: romanisations and typos found through the index, and short
words that merely look like a place left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.places.geocode import geocode, haversine
from sitrep.places.names import (
    max_typos,
    name_key,
    skeleton_deletions,
    spelling_similarity,
    translit_key,
)


@pytest.mark.parametrize(("query", "lat", "lon", "cc"), [
    ("Kiyv, Ukraine", 50.45, 30.52, "UA"),
    ("Kiyv", 50.45, 30.52, "UA"),
    ("Mykolajiw, Ukraine", 46.97, 32.00, "UA"),
    ("Kharkov region, Ukraine", 49.6, 36.5, "UA"),
    ("Diyarbakır, Turkey", 37.91, 40.22, "TR"),
    ("Marioupol, Ukraine", 47.10, 37.55, "UA"),
    ("Kramtorsk, Ukraine", 48.72, 37.56, "UA"),
    ("Sloviansk, Oblast Donetsk, Ukraine", 48.85, 37.61, "UA"),
    ("Aleppo city, Halab governorate, Syria", 36.20, 37.16, "SY"),
])
def test_geocode_spelling_variants_resolve(real_home: Path, query: str, lat: float, lon: float,
                                           cc: str) -> None:
    out = geocode(query)
    assert out["country_code"] == cc
    assert haversine(out["lat"], out["lon"], lat, lon) < 100


@pytest.mark.parametrize("query", ["Ebola", "Act", "Ebola outbreak"])
def test_geocode_spelling_variants_short_words_stay_words(real_home: Path, query: str) -> None:
    """One changed letter turns a short word into a town ("Ebola"/"Erbil", "Act"/"Waco"):
    short names must match as written, and only a place's own names."""
    assert geocode(query)["name"] is None


@pytest.mark.parametrize(("a", "b"), [
    ("Skadovsk", "Svadovsk"), ("Komyshuvakha", "Komyshuvaka"), ("Doslidne", "Dpslidne"),
    ("Kramatorsk", "Kramatrosk"),
])
def test_geocode_spelling_variants_share_a_skeleton_deletion(a: str, b: str) -> None:
    ka, kb = (translit_key(name_key(x)) for x in (a, b))
    assert skeleton_deletions(ka) & skeleton_deletions(kb)


@pytest.mark.parametrize(("length", "typos"), [(3, 0), (5, 0), (6, 1), (8, 1), (9, 2), (14, 3)])
def test_geocode_spelling_variants_typos_scale_with_length(length: int, typos: int) -> None:
    assert max_typos(length) == typos


def test_geocode_spelling_variants_similarity_orders_candidates() -> None:
    assert spelling_similarity("bayrak", "bairak") > spelling_similarity("bayrak", "birky")
