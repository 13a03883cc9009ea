"""Oceans, seas, straits, lakes, former states and state abbreviations that reports name and the
GeoNames tiers sitrep embeds lack: each resolves, and in context beats its namesakes."""

from __future__ import annotations

import pytest
from conftest import geoparsed

from sitrep.places.geocode import geocode


@pytest.mark.parametrize(("query", "country", "feature"), [
    ("Red Sea", None, "SEA"),  # not Sudan's Red Sea state
    ("Indian Ocean", None, "OCN"),
    ("Pacific Ocean", None, "OCN"),
    ("Kerch Strait", None, "STRT"),
    ("Gulf of Mexico", None, "GULF"),
    ("Bay of Bengal", None, "BAY"),
    ("Lake Kivu", None, "LK"),
    ("Kakhovka Reservoir", "UA", "LK"),
    ("Snake Island", "UA", "RGN"),
    ("Soviet Union", None, "RGN"),
    ("USSR", None, "RGN"),
    ("Yugoslavia", None, "RGN"),
    ("NSW", "AU", "ADM1"),
    ("Zaire", "CD", "PCLI"),
])
def test_geocode_waters_former_states_and_abbreviations(query: str, country: str | None,
                                                        feature: str) -> None:
    found = geocode(query)
    assert (found["country_code"], found["feature_code"]) == (country, feature), found


def test_geocode_red_sea_state_is_still_the_state() -> None:
    found = geocode("Red Sea State, Sudan")
    assert (found["country_code"], found["feature_code"]) == ("SD", "ADM1")


def _places(text: str) -> dict[str, tuple[str | None, str | None]]:
    document = geoparsed(text)
    return {m.text: (m.place.country_code, m.place.feature_code) for m in document.places}


@pytest.mark.parametrize(("text", "name", "feature"), [
    ("Houthi forces fired two missiles at a container ship in the Red Sea on Tuesday, the "
     "operator said.", "Red Sea", "SEA"),
    ("A Ukrainian naval drone struck a Russian landing ship near the Kerch Strait overnight.",
     "Kerch Strait", "STRT"),
    ("Rebels seized boats on Lake Kivu after heavy fighting near Goma.", "Lake Kivu", "LK"),
    ("The tanker was boarded in the Gulf of Oman by armed men, a maritime agency said.",
     "Gulf of Oman", "GULF"),
])
def test_places_waters_in_reports(text: str, name: str, feature: str) -> None:
    places = _places(text)
    hits = {k: v for k, v in places.items() if name in k}
    assert hits and all(f == feature for _, f in hits.values()), places


@pytest.mark.parametrize(("query", "country"), [
    ("Republic of the Congo", "CG"),
    ("Congo-Brazzaville", "CG"),
    ("Democratic Republic of the Congo", "CD"),
    ("DRC", "CD"),
])
def test_geocode_the_two_congos(query: str, country: str) -> None:
    assert geocode(query)["country_code"] == country


def test_places_congo_beside_its_towns_is_the_drc() -> None:
    """Both countries are called "Congo"; the report's towns say which."""
    places = _places("M23 rebels shelled positions near Goma and Bunia in eastern Congo on "
                     "Sunday, the army said.")
    assert places.get("Congo", (None,))[0] == "CD", places
