"""A state or country named before itself in its address is its town of that name: an address
names its parts from the smallest up, so "New York (New York)" is the city in the state, and
"Seattle-Capitol Hill (Washington)" is a part of Seattle. The sentences are written for these
tests in the style of conflict-event notes."""

from __future__ import annotations

import pytest

from sitrep.api import extract
from sitrep.places.seats import COMPOUND_GAP


def _main_place(text: str) -> tuple[str | None, int | None]:
    result = extract(text)
    assert result.error is None and result.events
    event = max(result.events, key=lambda e: e.confidence)
    location = event.location
    return (location.name, location.where_prec) if location else (None, None)


@pytest.mark.parametrize(("text", "place"), [
    ("On 3 March 2021, about 40 nurses rallied in New York (New York) to demand more staff on "
     "hospital wards.", "New York City"),
    ("On 9 May 2021, tenants marched in New York-Bronx (New York) against rising rents.",
     "New York City"),
    ("On 2 June 2021, hundreds of people protested in New York-Harlem District (New York "
     "County, New York) against police violence.", "New York City"),
    ("On 12 April 2022, teachers staged a sit-in in Kuwait (Kuwait) over unpaid wages.",
     "Kuwait City"),
    # a known town opening a hyphen-joined name is the finest part of the address
    ("On 5 July 2020, a crowd gathered in Seattle-Capitol Hill (Washington) against police "
     "brutality.", "Seattle"),
])
def test_division_before_itself_is_its_town(text: str, place: str) -> None:
    assert _main_place(text)[0] == place


@pytest.mark.parametrize(("text", "place"), [
    # a state before its country stays the state
    ("On 3 March 2021, about 40 nurses rallied across New York (United States) to demand more "
     "staff on hospital wards.", "New York"),
    # a state in a list of states is no address
    ("On 6 June 2020, people protested in Texas and New York against police brutality.",
     "Texas"),
])
def test_division_in_another_address_stays(text: str, place: str) -> None:
    assert _main_place(text)[0] == place


@pytest.mark.parametrize(("gap", "joins"), [
    ("-Queens (", True),
    (" - Old Town, ", True),
    ("-Capitol Hill (", True),
    (" and ", False),
    ("-based group (", False),
])
def test_compound_gap(gap: str, joins: bool) -> None:
    assert (COMPOUND_GAP.fullmatch(gap) is not None) is joins
