"""Rivers: a river named where the text says so ("the east bank of the Dnipro", "the Siverskyi
Donets river") is the river, not the city or country that owns the name; a bare name keeps its
city; lower-case descriptions ("the east bank") are no towns; an event on a river falls back to
the river's country with a region's precision instead of a city's point."""

from __future__ import annotations

import pytest
from conftest import geoparsed

from sitrep.api import extract
from sitrep.places.geocode import geocode

RIVER = "STM"


@pytest.mark.parametrize(("query", "country", "feature"), [
    ("Dnieper", "UA", RIVER),  # English names the river so; the city is Dnipro
    ("Dnipro River", "UA", RIVER),
    ("Siverskyi Donets", "UA", RIVER),
    ("Euphrates River", "SY", RIVER),
    ("Dnipro", "UA", "PPL"),  # the bare name is still the city
    ("Jordan", "JO", "PCLI"),  # and the country
])
def test_geocode_rivers_and_their_namesakes(query: str, country: str, feature: str) -> None:
    found = geocode(query)
    assert (found["country_code"], found["feature_code"]) == (country, feature), found


def _places(text: str) -> list[tuple[str, str | None, str | None]]:
    document = geoparsed(text)
    return [(m.text, m.place.country_code, m.place.feature_code) for m in document.places]


@pytest.mark.parametrize(("text", "name"), [
    ("Russian forces shelled villages on the east bank of the Dnipro on Sunday.", "Dnipro"),
    ("Ukrainian marines crossed the Dnipro near Krynky last month.", "Dnipro"),
    ("Russian forces shelled villages on the east bank of the Dnieper.", "Dnieper"),
    ("Fighting raged on the banks of the Euphrates for a week.", "Euphrates"),
    ("The Siverskyi Donets river was crossed by Russian units near Bilohorivka.",
     "Siverskyi Donets"),
    ("Pilgrims bathed in the Jordan river on Sunday.", "Jordan"),
])
def test_river_cues_make_the_river(text: str, name: str) -> None:
    places = _places(text)
    rivers = [p for p in places if name in p[0]]
    assert rivers and all(feature == RIVER for _, _, feature in rivers), places


@pytest.mark.parametrize("text", [
    "A missile hit Dnipro on Friday, killing four people.",
    "Shelling of Kherson continued as residents fled to Dnipro.",
])
def test_the_city_without_a_cue(text: str) -> None:
    places = _places(text)
    assert ("Dnipro", "UA", "PPL") in places, places


def test_lower_case_descriptions_are_no_towns() -> None:
    # The small model tags "the east bank" as a place; East Bank, West Virginia, is no reading.
    places = _places("Russian forces shelled villages on the east bank of the river.")
    assert not any(cc == "US" for _, cc, _ in places), places
    # A capitalised name of a region still stands.
    assert ("West Bank", "PS", "PCLI") in _places("Israeli raids in the West Bank killed two.")


def test_event_on_a_river_is_placed_in_its_country_not_a_city() -> None:
    events = extract("Russian forces shelled villages on the east bank of the Dnipro, killing two"
                     " civilians on Sunday.", "2023-11-20").events
    assert events
    location = events[0].location
    assert location is not None and location.name != "Dnipro", location
    assert (location.country_code, location.geo_precision) == ("UA", 3), location
