"""Which named place is the event's: the first part of an address ("X city (Y province)",
"X, Y district (Z)"), not the larger areas after it; not a place that only names someone's
title ("the Jakarta governor"); not a misreading that cannot lie in the town it is said to be
in; and the scene an earlier sentence set when the event's own sentence names no place.
The sentences are written for these tests in the style of conflict-event notes."""

from __future__ import annotations

import pytest

from sitrep.api import extract
from sitrep.places.resolve import ADDRESS_GAP


def _main_place(text: str) -> str | None:
    result = extract(text)
    assert result.error is None
    events = sorted(result.events, key=lambda e: -e.confidence)
    assert events, "no event"
    location = events[0].location
    return location.name if location is not None else None


@pytest.mark.parametrize(("gap", "joins"), [
    (" city (", True),
    (" (", True),
    (" district, (", True),
    (", Sadar upazila (", True),  # a part the gazetteer does not hold, then a bracket
    ("), ", False),
    (" and ", False),
])
def test_brackets_join_the_parts_of_an_address(gap: str, joins: bool) -> None:
    assert (ADDRESS_GAP.fullmatch(gap) is not None) is joins


@pytest.mark.parametrize(("text", "place"), [
    # the town opens the address; the province in brackets only says where it lies
    ("On 3 May 2021, about 200 factory workers rallied in Sidoarjo city (East Java province) "
     "to demand higher wages.", "Sidoarjo"),
    ("On 9 March 2022, a crowd of traders marched in Montgomery (Alabama) against a new "
     "market tax.", "Montgomery"),
    # a district read as its namesake division's capital does not pull the place away
    ("On 2 April 2023, students blocked a highway in Noakhali city, Noakhali Sadar "
     "(Chittagong), demanding safer roads.", "Noakhali"),
    # an address the tagger ran together into one organisation: its parts the gazetteer knows
    ("On 6 June 2021, near Wan Hkawng Hsai (Lashio, Shan), rebels ambushed an army convoy, "
     "wounding three soldiers.", "Lashio"),
    # a town named before a type word is a place, whatever the tagger took it for
    ("On 8 July 2019, soldiers shelled a village in Kyaukme township, Shan state, killing "
     "two farmers.", "Kyaukme"),
])
def test_the_address_names_its_place_first(text: str, place: str) -> None:
    assert _main_place(text) == place


def test_a_place_in_a_title_is_not_where_it_happened() -> None:
    text = ("On 4 December 2017, in Makassar (South Sulawesi), hundreds of people protested "
            "against Jakarta Governor Anies Baswedan.")
    assert _main_place(text) == "Makassar"


def test_a_building_misread_as_a_town_gives_way_to_the_town_it_is_in() -> None:
    text = ("On 12 October 2020, teachers gathered outside the State Capitol in Baton Rouge "
            "(Louisiana) to demand smaller classes.")
    assert _main_place(text) == "Baton Rouge"


def test_the_scene_of_an_earlier_sentence() -> None:
    text = ("On 5 June 2021, near a farm outside Thanbyuzayat Township (Mon State), four armed "
            "men stopped a truck. The driver was shot dead.")
    assert _main_place(text) == "Thanbyuzayat"
