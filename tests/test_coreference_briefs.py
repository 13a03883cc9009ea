"""Briefs and headlines with no trigger word: the report-level classifier may name their event,
but a crowd is a demonstration only when the words say what it is for or against. Sentences
written for these tests."""

from __future__ import annotations

import pytest

from sitrep.api import extract


def _protests(text: str) -> list[str]:
    result = extract(text, published="2024-05-06")
    assert result.error is None
    return [e.sub_event_type for e in result.events if e.event_type == "Protests"]


@pytest.mark.parametrize("text", [
    "Hundreds of people gathered at the stadium for the final on Sunday.",
    "Thousands of fans gathered in the main square to celebrate the victory.",
    "Crowds assembled outside the palace for the royal wedding in March.",
])
def test_a_crowd_without_a_cause_is_no_protest(text: str) -> None:
    assert _protests(text) == []


@pytest.mark.parametrize("text", [
    "Hundreds of people gathered in the capital to demand the release of detained activists.",
    "Teachers gathered outside the ministry against the new pay scale.",
])
def test_a_crowd_with_a_cause_is_a_protest(text: str) -> None:
    assert _protests(text)


@pytest.mark.parametrize("text", [
    "People gathered outside the town hall to show their support for the local police.",
    "Workers walked down to the street to ask for higher salaries.",
])
def test_a_crowd_with_no_occasion_named_stays_a_protest(text: str) -> None:
    assert _protests(text)
