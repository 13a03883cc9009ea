"""An event's notes end with what the coder doubted, so the notes column explains a low
confidence without reading the evidence."""

from __future__ import annotations

import pytest

import sitrep


@pytest.mark.parametrize(
    ("text", "doubt"),
    [
        ("Gunmen killed 10^12 people in the market of the town on Tuesday, police said.",
         "implausible figure: 10^12"),
        ("On 31/02/2023, a missile strike on an apartment block in the city killed three people, "
         "officials said.", "malformed date not used: '31/02/2023'"),
        ("Militants stormed a checkpoint on 30 February 2021 and killed four soldiers, the army "
         "said.", "malformed date not used"),
    ],
)
def test_assemble_notes_carry_doubts(text: str, doubt: str) -> None:
    result = sitrep.extract(text, published="2023-03-05")
    assert result.events
    noted = [e for e in result.events if doubt in e.notes]
    assert noted, [e.notes for e in result.events]
    assert all(e.confidence < 0.6 for e in noted)


def test_assemble_notes_without_doubts_say_nothing_of_them() -> None:
    result = sitrep.extract("An air strike on the town of Kobane killed five fighters on "
                            "Monday, a monitoring group said.", published="2023-03-08")
    assert result.events
    assert all("Doubts" not in e.notes for e in result.events)
