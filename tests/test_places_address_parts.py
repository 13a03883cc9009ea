"""The parts of a written address are places whatever the tagger took them for: the divisions in
brackets after a place, the name the bracket follows, a name typed by the word after it; the
parts after a place keep it in their country; and a place that only modifies another thing
("organised by the Oregon militia", "a Utah court's ruling") is not where the event happened.
The sentences are written for these tests in the style of conflict-event notes."""

from __future__ import annotations

import pytest
from conftest import geoparsed

from sitrep.api import extract
from sitrep.records import Location


def _main_location(text: str) -> Location:
    result = extract(text)
    assert result.error is None
    events = sorted(result.events, key=lambda e: -e.confidence)
    assert events, "no event"
    return events[0].location


def _names(text: str) -> list[str | None]:
    return [m.place.name for m in geoparsed(text).places]


@pytest.mark.parametrize(("text", "country"), [
    # the divisions in brackets, which the tagger reads as a group and a person
    ("On 4 March 2022, farmers staged a protest in Baniachong upazila (Habiganj, Sylhet) over "
     "the silting of a river.", "BD"),
    ("On 8 May 2021, villagers blocked a road near Koutougou (Djibo, Soum) to protest against "
     "a new toll.", "BF"),
])
def test_bracketed_divisions_place_the_event(text: str, country: str) -> None:
    assert _main_location(text).country_code == country


def test_the_name_a_bracket_follows_is_read_where_the_bracket_says() -> None:
    # found even where the tagger ran it into the building before it, and read in Alaska
    # (GeoNames has an Anchorage in Kentucky too)
    from sitrep.places.addresses import bracketed_addresses
    from sitrep.places.index import get_gazetteer

    document = geoparsed("Thirty nurses rallied outside a clinic in Anchorage (Alaska).")
    parts = bracketed_addresses(document, get_gazetteer(), [])
    named = [t for t in parts if t.text == "Anchorage"]
    assert named and named[0].fixed is not None and named[0].fixed.admin1 == "Alaska"


@pytest.mark.parametrize(("text", "place"), [
    ("On 3 January 2020, soldiers shelled a hamlet south of Mrauk-U Township, in Rakhine "
     "State, wounding two.", "Mrauk U"),
    ("On 11 April 2018, at Nam Lim village, Tanai township, a farmer was killed by a mortar "
     "shell fired by the army.", "Danai"),  # GeoNames's spelling
])
def test_a_name_before_a_type_word_is_a_place(text: str, place: str) -> None:
    assert _main_location(text).name == place


def test_a_town_near_which_it_happened_is_not_its_division() -> None:
    text = ("On 5 March 2021, gunmen killed two herders at Kachiuru village near Maua town "
            "(Igembe South, Meru) in a cattle raid.")
    assert _main_location(text).name == "Maua"


def test_the_address_keeps_its_first_part_in_its_country() -> None:
    text = ("On 2 March 2023, robbers stabbed a shopkeeper at Shikarpur village, Daulatpur "
            "upazila (Kushtia, Khulna), over a debt.")
    assert _main_location(text).country_code == "BD"


def test_a_place_that_only_modifies_another_thing_is_not_where() -> None:
    text = ("On 21 May 2020, about 40 protesters gathered at Cheesman Park in east Denver "
            "(Colorado) in protest of a Utah grand jury's decision to clear an officer.")
    assert _main_location(text).name == "Denver"


def test_a_place_after_by_is_who_not_where() -> None:
    from sitrep.pipeline.places import _attached

    document = geoparsed("Hundreds joined a protest organized by Texas in Austin.")
    trigger = next(t.i for t in document.doc if t.lower_ == "protest")
    texas = next(m for m in document.places if m.text == "Texas")
    assert not _attached(document, texas, trigger)


def test_the_capitol_is_a_building_not_a_town() -> None:
    assert "Capitola" not in _names("On Monday, nurses rallied at the Capitol in Madison.")


def test_a_typed_name_is_read_only_as_its_kind() -> None:
    # "village" wants a settlement: "a Rakhine village" is no village named Rakhine
    from sitrep.places.addresses import typed_names
    from sitrep.places.index import get_gazetteer

    document = geoparsed("Soldiers burned a Rakhine village after the shooting.")
    assert all(t.lookup != "Rakhine" for t in typed_names(document, get_gazetteer(), []))


def test_the_place_of_the_verb_that_carries_the_event_noun() -> None:
    # "staged a protest in X": the place hangs off "staged", whose object is the trigger
    from sitrep.pipeline.places import _attached

    document = geoparsed("In Sittwe, about eighty teachers staged a protest on Monday.")
    trigger = next(t.i for t in document.doc if t.lower_ == "protest")
    sittwe = next(m for m in document.places if m.text == "Sittwe")
    assert _attached(document, sittwe, trigger)


def test_a_month_beside_a_day_is_a_date_not_a_town() -> None:
    text = ("Sometime between August 25, 2017 and September 5, 2017, in Kyauk Pyin village in "
            "Minbya Township (Mrauk-U, Rakhine), soldiers burned houses.")
    assert "August" not in [m.text for m in geoparsed(text).places]


def test_a_landmark_named_after_a_town_lies_in_the_town_it_is_in() -> None:
    # Alamo Plaza is in San Antonio; Alamo, Texas, is a town 350 km away
    text = ("On 9 June 2020, about 200 demonstrators gathered in Alamo Plaza in San Antonio "
            "(Texas) to demand police reform.")
    assert _main_location(text).name == "San Antonio"


@pytest.mark.parametrize(("text", "precision"), [
    # the village is unknown: its district's town stands in for it, near it
    ("On 2 June 2020, militants burned the village of Nandimba (Macomia, Cabo Delgado).", 2),
    ("On 10 July 2023, two families clashed in Baraipara village, Godagari upazila "
     "(Rajshahi), over a land dispute.", 2),
    # the town itself
    ("On 2 June 2020, militants burned houses in Macomia (Cabo Delgado).", 1),
])
def test_a_part_that_stands_in_for_an_unknown_place_is_near_it(text: str,
                                                                precision: int) -> None:
    assert _main_location(text).geo_precision == precision


def test_a_town_in_a_state_split_since_lies_in_the_state_the_text_names() -> None:
    # GeoNames files Wamena in Papua Pegunungan, split from Papua in 2022
    text = "On 2 February 2018, soldiers shot two students in Wamena, Papua province."
    assert _main_location(text).name == "Wamena"


def test_a_name_that_ends_in_a_capitalised_type_word_is_a_place() -> None:
    text = ("On 4 March 2020, in Sein Hpyu Village, in Kyauktaw Township, in Rakhine State, the "
            "rebels claimed that fighting broke out between the army and the rebels.")
    assert "Rakhine" in _names(text)


def test_a_later_part_of_an_address_is_no_metonymy() -> None:
    # the parse makes "Chin state" the subject of "clashed"; it is where they clashed
    text = "On 3 May 2018, in Matupi township, Chin state, the army and the rebels clashed."
    assert _main_location(text).name == "Chin"


def test_an_institution_named_after_a_state_is_not_typed_by_its_last_word() -> None:
    text = "Officials of the Texas Department of Transportation closed the road."
    assert all(m.text != "Texas Department" for m in geoparsed(text).places)
