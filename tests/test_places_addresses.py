"""Addresses: a town that opens an address ("X neighborhood, Mosul, Nineveh, Iraq", "X tehsil,
Khyber, Pakistan") lies in the state and country the address names, so a namesake a continent
away is no reading; lists of towns are no addresses. First-level divisions that ISO nests
(Erbil, Duhok and Sulaymaniyah in Iraq's Kurdistan Region) are divisions the gazetteer knows.
And an event told without a place, in a report about one town, happens in that town."""

from __future__ import annotations

import pytest
from conftest import geoparsed

from sitrep.api import extract
from sitrep.pipeline.places import _only_town
from sitrep.places.geocode import geocode
from sitrep.places.resolve import ADDRESS_GAP


def _places(text: str) -> list[tuple[str, str | None, str | None]]:
    document = geoparsed(text)
    return [(m.text, m.place.name, m.place.country_code) for m in document.places]


@pytest.mark.parametrize(("gap", "joins"), [
    (" area, Federally Administered Tribal Areas, ", True),  # an unknown part between
    (" sub-district of ", True),
    (" neighborhood, ", True),
    (", ", True),
    (" of ", False),  # "the Nice of Russia"
    (" from the intersection of ", False),
    (", to ", False),
])
def test_address_gaps(gap: str, joins: bool) -> None:
    assert (ADDRESS_GAP.fullmatch(gap) is not None) is joins


@pytest.mark.parametrize(("text", "country"), [
    ("A drone dropped a grenade in Arabi neighborhood, Mosul, Nineveh, Iraq, wounding two.",
     "IQ"),
    ("Gunmen blew up a girls' school in Bara tehsil, Khyber, Pakistan, on Friday night.", "PK"),
    ("Three soldiers died when a bomb hit their convoy in the Safi sub-district of Mohmand, "
     "Pakistan.", "PK"),
])
def test_no_reading_outside_the_country_an_address_names(text: str, country: str) -> None:
    places = _places(text)
    assert all(cc in (country, None) for _, _, cc in places), places
    assert any(cc == country for _, _, cc in places), places


def test_an_address_moves_a_town_to_its_namesake_in_the_named_state() -> None:
    places = _places("Police said the shooting in Springfield, Illinois, left two dead.")
    springfield = [p for p in places if p[0] == "Springfield"]
    assert springfield and springfield[0][2] == "US", places
    found = geocode("Springfield, Illinois")
    assert found["admin1"] == "Illinois"


def test_a_state_misread_abroad_does_not_unplace_the_town() -> None:
    # "Capital" alone reads as Denmark's Capital Region; the address says Venezuela.
    places = _places("A drone exploded near a parade in Caracas, Capital, Venezuela.")
    assert ("Caracas", "Caracas", "VE") in places, places


def test_a_list_of_towns_is_no_address() -> None:
    # Louisville's "Ky." does not put Denver in Kentucky.
    places = _places("The other finalists, Denver, Indianapolis, Louisville, Ky., and Boise, "
                     "each get a prize.")
    assert ("Denver", "Denver", "US") in places, places


@pytest.mark.parametrize(("query", "admin1"), [
    ("Duhok governorate, Iraq", "Dahūk"),
    ("Erbil Governorate", "Arbīl"),
    ("Sulaymaniyah Governorate, Iraq", "As Sulaymānīyah"),
    ("Saladin, Iraq", "Şalāḩ ad Dīn"),
])
def test_divisions_iso_files_at_another_level(query: str, admin1: str) -> None:
    found = geocode(query)
    assert (found["feature_code"], found["admin1"]) == ("ADM1", admin1), found


def test_a_state_moves_to_its_namesake_in_the_address_country() -> None:
    # Generic names ISO files at level 0 (Malawi's "Southern Region") are no divisions, and a
    # state named in an address is read in the address's country.
    places = _places("A rocket hit houses in Sderot, Southern, Israel, wounding two people.")
    assert ("Southern", "Al Janūbī", "IL") in places, places
    assert ("Punjab", "Punjab", "IN") in _places(
        "Gunmen killed two police officers in Ludhiana, Punjab, India, on Monday.")


def test_towns_of_those_divisions_name_them() -> None:
    found = geocode("Zakho, Duhok, Iraq")
    assert (found["country_code"], found["admin1"]) == ("IQ", "Dahūk"), found


@pytest.mark.parametrize(("text", "place", "precision"), [
    # The place is in another sentence than the event: the report's only town, less surely.
    ("Gunmen stormed a police post in Sderot on Monday. Two officers were wounded in the attack, "
     "police said.", "Sderot", 2),
    # In the event's own sentence it is as sure as ever.
    ("Gunmen stormed a police post on Monday. Two officers were wounded in the attack, police "
     "in Sderot said.", "Sderot", 1),
])
def test_event_without_a_place_in_a_report_about_one_town(text: str, place: str,
                                                           precision: int) -> None:
    events = extract(text, "2024-05-06").events
    assert events and events[0].location is not None
    assert (events[0].location.name, events[0].location.geo_precision) == (place, precision)


@pytest.mark.parametrize(("text", "only"), [
    ("Shelling hit Sderot on Monday.", "Sderot"),
    ("Shelling hit Kharkiv and Odesa on Monday.", None),  # 450 km apart: no one place
    ("Moscow said the talks were postponed.", None),  # a government speaking, not a place
])
def test_the_report_about_one_town(text: str, only: str | None) -> None:
    document = geoparsed(text)
    found = _only_town(document)
    assert (found.place.name if found else None) == only, document.places
