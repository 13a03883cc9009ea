"""A death a protest or vigil is about is its cause, not a casualty of the report's event;
deaths at the protest still count. Sentences written for these tests."""

from __future__ import annotations

import pytest

from sitrep.api import extract


def _killed(text: str) -> int:
    result = extract(text)
    assert result.error is None
    return sum((e.fatalities.best or 0) for e in result.events if e.fatalities is not None)


@pytest.mark.parametrize("text", [
    "On 2 May 2021, residents gathered in Dayton (Ohio) against police brutality and the deaths "
    "of Ann Smith and John Doe.",
    "On 9 May 2021, dozens of parents rallied in Tulsa (Oklahoma) to remember a boy who was "
    "killed by a truck and to demand a crossing.",
])
def test_the_deaths_a_protest_is_about_are_not_its_casualties(text: str) -> None:
    assert _killed(text) == 0


def test_deaths_at_the_protest_count() -> None:
    text = ("On 3 June 2021, police opened fire on protesters in Nairobi, killing two "
            "demonstrators.")
    assert _killed(text) == 2


@pytest.mark.parametrize(("text", "killed"), [
    ("Three traders killed by gunmen in Kano", 3),  # a headline's participle after a number
    ("Ca. 200 raiders from the hills - killed 4 herders and stole cattle.", 4),
])
def test_a_headline_participle_after_a_number(text: str, killed: int) -> None:
    assert _killed(text) == killed
