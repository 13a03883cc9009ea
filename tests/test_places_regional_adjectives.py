"""A people's or a region's adjective is no place ("Papuan students", "Tigrayan refugees"): the
gazetteer has no such name and a loose reading finds a town spelled alike far away. A name the
gazetteer holds as written stays a place. The sentences are written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import geoparsed

from sitrep.places.index import get_gazetteer
from sitrep.places.peoples import regional_adjective


@pytest.fixture(scope="module")
def gazetteer(real_home: Path):
    return get_gazetteer(real_home)


@pytest.mark.parametrize("word", ["Papuan", "Acehnese", "Tigrayan", "Sindhi", "Kashmiri"])
def test_adjective_of_a_division_is_no_place(gazetteer, word: str) -> None:
    assert regional_adjective(gazetteer, word)


@pytest.mark.parametrize("word", ["Jayapura", "Papua", "Mali", "Texas", "papuan", "New Papuan"])
def test_names_and_other_words_are_not_adjectives(gazetteer, word: str) -> None:
    assert not regional_adjective(gazetteer, word)


def test_papuan_students_are_not_a_town() -> None:
    document = geoparsed("On 2 May 2021, Papuan students held a rally in front of the "
                         "governor's office in Jayapura city (Papua province).")
    places = {p.text: p.place.name for p in document.places}
    assert "Papuan" not in places
    assert places.get("Jayapura city") == "Jayapura"
