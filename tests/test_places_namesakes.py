"""Where an event happened when a name has namesakes: a division named by an alternate name
keeps its reading in a state split since; an unsure reading abroad gives way to the report's own
places; and a place read far from the town or district that follows it in its address is a
namesake, so the address part places the event. The sentences are written for these tests in the
style of conflict-event notes."""

from __future__ import annotations

import pytest

from sitrep.api import extract
from sitrep.records import Location


def _main_location(text: str) -> Location:
    result = extract(text)
    assert result.error is None
    events = sorted(result.events, key=lambda e: -e.confidence)
    assert events, "no event"
    assert events[0].location is not None
    return events[0].location


@pytest.mark.parametrize(("text", "district"), [
    # GeoNames files both regencies in provinces split from Papua in 2022, and knows them by
    # their local names ("Kabupaten ..."): the English name is an alternate
    ("On 2 June 2021, soldiers fired on villagers in Bomou village, Deiyai regency, Papua "
     "province, wounding two.", "Kabupaten Deiyai"),
    ("On 9 May 2019, thousands of people were displaced from five districts in Nduga Regency, "
     "Papua province, after clashes between soldiers and rebels.", "Kabupaten Nduga"),
])
def test_a_typed_division_keeps_its_alternate_name_in_a_split_state(text: str,
                                                                      district: str) -> None:
    location = _main_location(text)
    assert (location.name, location.country_code, location.where_prec) == (district, "ID", 3)


@pytest.mark.parametrize(("text", "place"), [
    # "Molotov" is an old name of Perm, a loose reading beside two sure Indonesian places
    ("On 4 July 2019, an unidentified group threw a Molotov cocktail into a house owned by a "
     "councillor in Samarinda, East Kalimantan province.", "Samarinda"),
    # the region the protest is about is read abroad and unsure; the town is where it was
    ("On 12 October 2020, about 200 people gathered outside city hall in Glendale (California) "
     "to draw attention to the war with Azerbaijan over the disputed Nagorno-Karabakh region.",
     "Glendale"),
])
def test_an_unsure_reading_abroad_gives_way_to_the_reports_places(text: str, place: str) -> None:
    assert _main_location(text).name == place


@pytest.mark.parametrize(("text", "place"), [
    # the gazetteer's Kembangan lies 100 km from Kebomas; the sub-district is not in it
    ("On 5 February 2021, hundreds of workers held a protest in Kembangan sub-district, Kebomas "
     "district, Gresik regency, East Java province.", "Kebomas"),
    # its only Kaliganj lies in another division, far from Lalmonirhat
    ("On 7 July 2022, two farmers were hacked to death over a land dispute in Kaliganj upazila "
     "(Lalmonirhat, Rangpur).", "Lalmonirhat"),
])
def test_a_namesake_far_from_the_next_part_of_its_address_gives_way(text: str,
                                                                     place: str) -> None:
    assert _main_location(text).name == place


@pytest.mark.parametrize(("text", "place"), [
    # the next part names a county (Franklin County lies around Waynesboro), though its
    # namesake towns lie far off
    ("On 6 June 2020, about 40 people marched in Waynesboro (Franklin, Pennsylvania) against "
     "police violence.", "Waynesboro"),
    # the next part is a sub-county and its county, named like a town 140 km off
    ("On 1 May 2021, gunmen killed a herder near Merti town (Isiolo North, Isiolo).", "Merti"),
])
def test_a_place_inside_the_division_after_it_stays(text: str, place: str) -> None:
    assert _main_location(text).name == place


def test_a_list_of_towns_is_no_address() -> None:
    # towns far apart, listed: the first is not a namesake of one near the second
    location = _main_location("On 2 September 2017, supporters of the president protested "
                              "against the court's ruling in Nakuru, Kikuyu, Nyeri and Eldoret.")
    assert location.name == "Nakuru"


@pytest.mark.parametrize(("text", "place"), [
    # a town's name as a modifier, in a note that names no other place
    ("Students of a Nyeri college protest the sacking of their principal.", "Nyeri"),
    ("Two gunmen were killed by police during a raid in the Garissa livestock market.",
     "Garissa"),
])
def test_a_lone_town_name_places_a_report_with_no_other_place(text: str, place: str) -> None:
    assert _main_location(text).name == place


@pytest.mark.parametrize("text", [
    # a people named like its region, and a common word that is a town's name abroad
    "Turkana raiders attacked herders and drove away their cattle.",
    "Members of the New Alliance attacked the offices of a rival party.",
])
def test_no_lone_town_from_a_people_or_a_word(text: str) -> None:
    result = extract(text)
    assert result.events
    assert all(e.location is None or e.location.country_code is None for e in result.events)
