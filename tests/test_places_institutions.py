"""places stage: a state named in a public body's name says where the report is."""

from __future__ import annotations

import pytest
from conftest import geoparsed

from sitrep.document import Document

_document = geoparsed


def _admin1(document: Document, text: str) -> str | None:
    found = [m for m in document.places if m.text == text]
    assert found, f"{text!r} not found in {[m.text for m in document.places]}"
    return found[0].place.admin1


@pytest.mark.parametrize(("text", "town", "state"), [
    ("Deputies searched a pecan farm outside Albany on Tuesday after a shooting, the Georgia "
     "Bureau of Investigation said in a statement.", "Albany", "Georgia"),
    ("A grain truck overturned near Columbus early Friday and the Nebraska State Patrol closed "
     "the highway for six hours.", "Columbus", "Nebraska"),
    ("The Indiana Department of Transportation shut the Main Street bridge in Richmond after "
     "floodwater undercut a pier.", "Richmond", "Indiana"),
])
def test_places_state_agency_picks_the_state_town(text: str, town: str, state: str) -> None:
    assert _admin1(_document(text), town) == state


def test_places_agency_state_is_evidence_not_a_mention() -> None:
    document = _document("Agents of the Georgia Bureau of Investigation searched a house in "
                         "Albany on Tuesday.")
    assert _admin1(document, "Albany") == "Georgia"
    assert [m.text for m in document.places] == ["Albany"]


@pytest.mark.parametrize(("text", "town", "not_state"), [
    # A newspaper reports from anywhere: its state is no evidence of where the story is.
    ("The New York Times reported that the gallery in Paris reopened after the flood.",
     "Paris", "New York"),
    # "Central" is a region's name in several countries and a word in many others'.
    ("Central Bank officials in Albany met the governor on Monday to discuss the budget.",
     "Albany", "Central"),
])
def test_places_names_that_are_no_evidence(text: str, town: str, not_state: str) -> None:
    assert _admin1(_document(text), town) != not_state
