"""Broken diplomatic relations are PLOVER SANCTION events however a headline's parse reads the
verb (a noun before its object, a participle after it). Sentences written for these tests."""

from __future__ import annotations

import pytest

from sitrep.api import extract


@pytest.mark.parametrize("text", [
    "Ruritania severs ties with Freedonia; expels diplomats",
    "Freedonian diplomats expelled by Ruritania after a spy scandal",
    "Ruritania expelled three Freedonian diplomats on Monday.",
])
def test_expulsions_and_broken_ties_are_sanctions(text: str) -> None:
    events = extract(text).events
    assert any(e.plover is not None and e.plover.event == "SANCTION" and e.event_type is None
               for e in events), [(e.sub_event_type, e.plover) for e in events]


def test_closing_a_road_is_no_sanction() -> None:
    events = extract("Workers closed the bridge for repairs on Monday.").events
    assert not any(e.plover is not None and e.plover.event == "SANCTION" for e in events)
