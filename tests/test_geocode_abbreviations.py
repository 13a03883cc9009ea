"""Abbreviated name words and names that carry a type word of their own."""

from __future__ import annotations

import pytest

from sitrep.places.geocode import geocode
from sitrep.places.names import name_key


@pytest.mark.parametrize(("short", "long"), [
    ("St. Petersburg", "Saint Petersburg"),
    ("Mt. Pleasant", "Mount Pleasant"),
    ("Ft Worth", "Fort Worth"),
    ("Sault Ste. Marie", "Sault Sainte Marie"),
    ("Port St. Lucie", "Port Saint Lucie"),
    ("St-Denis", "Saint-Denis"),
])
def test_name_key_spells_out_abbreviated_words(short: str, long: str) -> None:
    assert name_key(short) == name_key(long)


@pytest.mark.parametrize("word", ["St", "Ste.", "Mt", "Stanford", "Most", "Eastport"])
def test_name_key_leaves_lone_words_and_other_words(word: str) -> None:
    assert name_key(word) == word.lower().rstrip(".")


@pytest.mark.parametrize(("query", "name", "country"), [
    ("Ft. Worth", "Fort Worth", "US"),
    ("St. Petersburg, Russia", "Saint Petersburg", "RU"),
    ("Saint Petersburg, Florida", "St. Petersburg", "US"),
])
def test_geocode_abbreviated_names(query: str, name: str, country: str) -> None:
    found = geocode(query)
    assert (found["name"], found["country_code"]) == (name, country)


@pytest.mark.parametrize(("query", "feature"), [
    ("District of Columbia", "ADM1"),  # not a Cuban "Colombia" district
    ("Walker County", "ADM2"),
])
def test_geocode_type_word_inside_an_own_name(query: str, feature: str) -> None:
    found = geocode(query)
    assert found["name"] == query and found["feature_code"] == feature
