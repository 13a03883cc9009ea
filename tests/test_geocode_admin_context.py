"""geocode: the oblast, province or raion in a query picks among same-named settlements, in
whatever order and romanisation the query writes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.places.build import create_empty
from sitrep.places.gazetteer import Gazetteer
from sitrep.places.geocode import geocode, haversine
from sitrep.places.index import load

DATA = Path(__file__).parent / "data" / "gazetteer"
CSV_MAP = {"name": "title", "admin1": "oblast", "admin2": "raion", "id": "code"}


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    g = create_empty(tmp_path_factory.mktemp("gaz") / "g.sqlite")
    load(DATA / "divisions.txt", "geonames", gazetteer=g)
    load(DATA / "settlements_by_oblast.csv", "csv", mapping=CSV_MAP, country="ZZ", gazetteer=g)
    return g


def _near(out: dict, lat: float, lon: float) -> bool:
    return out["lat"] is not None and haversine(out["lat"], out["lon"], lat, lon) < 5


@pytest.mark.parametrize(("query", "lat", "lon"), [
    ("Dubrava, Southmark Oblast", 47.0, 36.0),
    ("Dubrava, Oblast Southmark", 47.0, 36.0),
    ("Dubrava, Southmarska oblast", 47.0, 36.0),
    ("Dubrava village, Southmarshchyna", 47.0, 36.0),
    ("Dubrava, Northmark Oblast", 50.0, 30.0),
    ("Dubrawa, Northmark region", 50.0, 30.0),
])
def test_geocode_admin_context_picks_the_homonym(gaz: Gazetteer, query: str, lat: float,
                                                 lon: float) -> None:
    assert _near(geocode(query, gazetteer=gaz), lat, lon)


@pytest.mark.parametrize(("query", "lat", "lon"), [
    ("Lisove, Southmark Oblast", 47.2, 36.2),
    ("Lisove, Zakhidnyi raion, Northmark Oblast", 50.6, 29.2),
    ("Lisove, Zakhidnyi, Northmark Oblast", 50.6, 29.2),
    ("Lisove, Pivnichnyi district, Northmark Oblast", 50.1, 30.1),
])
def test_geocode_admin_context_from_a_loaded_csv(gaz: Gazetteer, query: str, lat: float,
                                                 lon: float) -> None:
    """CSV rows name their oblast in its own spelling ("Southmarska", "Oblast Northmark"):
    loading resolves it to the division, and the raion column narrows further."""
    assert _near(geocode(query, gazetteer=gaz), lat, lon)


@pytest.mark.parametrize("query", [
    "Verkhniokamianske, Southmark Oblast",  # as filed
    "Verkhniokamyanske, Southmark Oblast",  # another romanisation
    "Verkhnokamianske, Southmark Oblast",  # a vowel dropped
    "Verkhniokamiaske, Southmark Oblast",  # a consonant dropped
    "Verkhniokamiasnke, Southmark Oblast",  # two consonants swapped
    "Verkhniokamiamske, Southmark Oblast",  # a consonant mistyped
    "Verkhniokamianske airfield, Southmark Oblast",  # a site named after it
])
def test_geocode_admin_context_with_variant_spellings(gaz: Gazetteer, query: str) -> None:
    assert _near(geocode(query, gazetteer=gaz), 48.5, 37.0)


def test_geocode_admin_context_loaded_division_is_itself_found(gaz: Gazetteer) -> None:
    out = geocode("Southmark Oblast", gazetteer=gaz)
    assert out["feature_code"] == "ADM1" and _near(out, 47.5, 36.5)
