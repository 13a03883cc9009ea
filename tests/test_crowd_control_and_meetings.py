"""Crowd control is no weapon attack, and not every meeting is diplomacy. Sentences written for
these tests."""

from __future__ import annotations

import pytest

from sitrep.api import extract


def _types(text: str) -> list[str | None]:
    result = extract(text)
    assert result.error is None
    return [e.sub_event_type for e in result.events]


@pytest.mark.parametrize("text", [
    "Police officers used tear gas canisters to disperse the protesters.",
    "Police fired tear gas and stun grenades at the demonstrators outside parliament.",
    "Riot police used pepper spray and flash-bang grenades to disperse the crowd.",
    # the gas read off the verb before the participle, and off a list of munitions
    "Police fired tear gas at protesters in Nairobi, injuring five.",
    "Police used gunfire and tear gas to remove striking workers from the factory.",
])
def test_crowd_control_is_no_chemical_or_grenade_attack(text: str) -> None:
    types = _types(text)
    assert types and not {"Chemical weapon", "Grenade"} & set(types), types


@pytest.mark.parametrize(("text", "sub"), [
    ("Government forces used chlorine gas against rebel positions in Douma, killing 40.",
     "Chemical weapon"),
    ("Militants hurled a grenade at a police post in Srinagar, wounding three.", "Grenade"),
    ("Government forces used chlorine gas and artillery against the town, injuring 40 people.",
     "Chemical weapon"),
])
def test_weapons_are_still_weapons(text: str, sub: str) -> None:
    assert sub in _types(text)


def _kinds(mentions, text: str) -> set[str]:
    return {m.kind for m in mentions(text) if m.excluded is None}


@pytest.mark.parametrize("text", [
    "Hundreds of residents met up outside the town hall to demand clean water.",
    "Parents rallied outside the school before a school board meeting on reopening.",
    "Dozens of people visited the home of the county commissioner to speak about housing.",
    "About 30 people gathered outside City Hall while the City Council held a meeting.",
    "Supporters of the deputy governor stormed a meeting of the governor in Kutus.",
])
def test_meetings_that_are_no_diplomacy(mentions, text: str) -> None:
    assert not _kinds(mentions, text) & {"meeting", "visit"}


@pytest.mark.parametrize("text", [
    "They met in Geneva on Monday to discuss the ceasefire.",
    "Blinken met Wang Yi in Beijing on Sunday.",
    "The foreign ministers of Kenya and Tanzania met in Arusha.",
    "The foreign ministers of India and Pakistan held a meeting in Islamabad on Monday.",
])
def test_meetings_of_officials_are_diplomacy(mentions, text: str) -> None:
    assert "meeting" in _kinds(mentions, text)
