"""Regions, waters and English names that conflict reports use and the GeoNames tiers lack."""

from __future__ import annotations

import pytest
from conftest import geoparsed

from sitrep.places.geocode import geocode
from sitrep.places.index import get_gazetteer
from sitrep.places.tables import _read_regions


@pytest.mark.parametrize(("query", "country", "feature"), [
    ("Darfur", "SD", "RGN"),
    ("Donbass", "UA", "RGN"),
    ("Nagorno-Karabakh", "AZ", "RGN"),
    ("Golan Heights", "SY", "RGN"),
    ("Chechnya", "RU", "ADM1"),  # not the Ukrainian village that owns the name
    ("Palestine", "PS", "PCLI"),  # not the Texas town
    ("Black Sea", None, "SEA"),
    ("Sea of Azov", None, "SEA"),
    ("Horn of Africa", None, "RGN"),
])
def test_geocode_regions_and_plain_names(query: str, country: str | None, feature: str) -> None:
    found = geocode(query)
    assert (found["country_code"], found["feature_code"]) == (country, feature)


def test_geocode_type_word_before_a_name_is_no_plain_name() -> None:
    # "District of Columbia" is not what a bare "Columbia" means.
    assert geocode("Columbia")["admin1"] != "District of Columbia"
    assert get_gazetteer().lookup_scored("Columbia")
    assert all(e.feature_code != "ADM1" or q != 0
               for e, q in get_gazetteer().lookup_scored("Columbia"))


def test_regions_table_names_existing_places() -> None:
    gaz = get_gazetteer()
    rows = _read_regions()
    assert rows
    for row in rows:
        if row.same_as:
            assert any(e.name == row.same_as and e.country_code == row.country_code
                       for e in gaz.lookup(row.names[0])), row.names[0]
        else:
            assert -90 <= row.lat <= 90 and -180 <= row.lon <= 180 and (row.lat, row.lon) != (0, 0)


@pytest.mark.parametrize(("text", "mention", "country"), [
    ("Militias torched three villages in Darfur on Sunday, a UN official said.", "Darfur", "SD"),
    ("A Russian patrol ship was struck by sea drones in the Black Sea overnight.", "Black Sea",
     None),
    ("Shelling across the Donbas killed four civilians, regional officials said.", "Donbas",
     "UA"),
])
def test_places_regions_are_places_of_region_precision(text: str, mention: str,
                                                        country: str | None) -> None:
    document = geoparsed(text)
    [m] = [m for m in document.places if m.text == mention]
    assert m.place.country_code == country and m.place.lat is not None
    assert m.precision == 3  # a region, not a town


def test_places_one_reading_for_two_names_is_no_support() -> None:
    text = ("Two pilgrims died in Mecca and one in Medina during the Hajj, health officials "
            "said, and urged older pilgrims to stay home.")
    document = geoparsed(text)
    mecca = [m for m in document.places if m.text == "Mecca"]
    assert mecca and mecca[0].place.country_code == "SA"


@pytest.mark.parametrize(("text", "mention", "country"), [
    # The country adjective says which country the report is about ("Saudi", "Afghan").
    ("Saudi police said a gunman opened fire near a checkpoint in Jordan on Friday.", "Jordan",
     "JO"),
    ("Afghan officials said the blast hit a market in Jalalabad.", "Jalalabad", "AF"),
])
def test_places_irregular_demonyms_vote(text: str, mention: str, country: str) -> None:
    document = geoparsed(text)
    [m] = [m for m in document.places if m.text == mention]
    assert m.place.country_code == country
