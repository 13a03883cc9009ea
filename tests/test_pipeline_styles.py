"""The whole pipeline on reports written in the styles analysts read every day."""

from __future__ import annotations

import pytest

from sitrep.api import extract

WIRE = (
    "KABUL (Reuters) - A suicide bomber blew himself up outside a mosque in Kabul on Friday, "
    "killing at least 12 worshippers and wounding 30 others, officials said. "
    "The Islamic State group claimed responsibility for the attack in a statement."
)
LOCAL = (
    "Two men were shot dead in Maiduguri on Tuesday night when gunmen stormed a market, "
    "police said. Residents said the attackers arrived on motorcycles."
)
NGO = (
    "Human Rights Watch said today that security forces in Kenya used excessive force against "
    "peaceful demonstrators in Nairobi on 12 July, killing three protesters. The organisation "
    "called for an independent investigation."
)
PROTEST = (
    "Thousands of teachers marched through Lagos on Monday to demand unpaid salaries. "
    "Police fired tear gas to disperse the crowd and arrested 14 protesters."
)
ARRESTS = (
    "Turkish police detained 25 suspected members of a militant cell in Istanbul on "
    "Wednesday, the interior ministry said."
)
IED = (
    "An improvised explosive device exploded under a military vehicle near Gao on Sunday, "
    "killing four soldiers, the army said."
)
BATTLE = (
    "Rebels captured the town of Kidal after two days of heavy fighting with government "
    "troops, a military source said on Thursday. At least 20 fighters were killed in the clashes."
)
NO_EVENT = (
    "The central bank kept interest rates unchanged on Thursday and said inflation was "
    "expected to ease over the coming months, according to a statement."
)


@pytest.mark.parametrize(
    ("text", "published", "sub_event_type", "killed", "place"),
    [
        (WIRE, "2021-10-15", "Suicide bomb", 13, "Kabul"),  # the bomber counts too
        (LOCAL, "2022-03-16", "Attack", 2, "Maiduguri"),
        (NGO, "2023-07-14", "Excessive force against protesters", 3, "Nairobi"),
        (PROTEST, "2022-05-10", "Protest with intervention", 0, "Lagos"),
        (ARRESTS, "2021-06-10", "Arrests", 0, "Istanbul"),
        (IED, "2020-02-10", "Remote explosive/landmine/IED", 4, "Gao"),
        (BATTLE, "2019-09-12", "Non-state actor overtakes territory", 20, "Kidal"),
    ],
)
def test_pipeline_styles_code_the_main_event(text, published, sub_event_type, killed, place):
    result = extract(text, published=published)
    assert result.error is None
    acled = [e for e in result.events if e.sub_event_type]
    assert acled, "no ACLED event"
    main = max(acled, key=lambda e: e.confidence)
    assert main.sub_event_type == sub_event_type, [(e.sub_event_type, e.notes) for e in acled]
    assert sum(e.fatalities.best or 0 for e in result.events) == killed
    assert main.location.name and place.lower() in main.location.name.lower()
    assert main.event_date is not None
    assert main.notes and main.evidence.get("trigger")


def test_pipeline_styles_no_event_report():
    result = extract(NO_EVENT, published="2023-01-05")
    assert result.error is None
    assert result.events == []


def test_pipeline_styles_wire_claim_of_responsibility():
    result = extract(WIRE, published="2021-10-15")
    claims = [c for c in result.claims if c.stance == "claim_responsibility"]
    assert claims and "Islamic State" in claims[0].claimant
    assert claims[0].event_ids == [result.events[0].event_id]


def test_pipeline_styles_event_ids_are_stable():
    first = extract(LOCAL, published="2022-03-16")
    second = extract(LOCAL, published="2022-03-16")
    assert [e.event_id for e in first.events] == [e.event_id for e in second.events]
