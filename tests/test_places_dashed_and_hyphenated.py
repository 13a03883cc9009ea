"""Place names in the forms ACLED's notes and local reports write them: a city and its quarter
joined by a spaced dash, and hyphenated township names before their type word."""

from __future__ import annotations

import pytest


def _location(text: str) -> str | None:
    from sitrep.api import extract

    result = extract(text)
    assert result.error is None and result.events
    event = max(result.events, key=lambda e: e.confidence)
    return event.location.name if event.location is not None else None


@pytest.mark.parametrize("text", [
    "On 10 October 2023, teachers staged protests in Dhaka - Lalbagh, demanding promotion.",
    "On 7 January 2024, assailants exploded two crude bombs at a polling station in "
    "Dhaka - Jatrabari (Jatrabari) on Election Day.",
])
def test_a_city_and_its_quarter_joined_by_a_dash(text: str) -> None:
    assert _location(text) == "Dhaka"


def test_a_hyphen_inside_a_name_is_no_dash() -> None:
    text = ("On 4 June 2020, in Thu Mwe Hta area, Hpa-an Township, Hpa-an District, Karen "
            "State, the Myanmar military and the KNLA clashed.")
    assert (_location(text) or "").lower() == "hpa-an"


def test_a_province_may_be_a_second_level_division() -> None:
    """Burkina Faso's provinces are GeoNames' second-level divisions: "Soum Province" is the
    province, not Soum, a village of Senegal."""
    from sitrep.api import extract

    result = extract("On July 3, presumed Ansaroul Islam militants assassinated the Koglweogo "
                     "chief in Belehede, Soum Province.")
    location = result.events[0].location
    assert location is not None and (location.name, location.country_code) == ("Soum", "BF")
