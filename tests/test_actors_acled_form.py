"""actor1 in ACLED's form where the text gives no agent on the trigger: the armed side the
sentence makes the subject of the violence, else ACLED's "Unidentified Armed Group (X)"; and a
protest's actor1 is always its protesters (police are actor2), however the parse reads the
sentence. Sentences written for these tests."""

from __future__ import annotations

import pytest

from sitrep.api import extract
from sitrep.pipeline.typing import _non_political_cause


def _main(text: str):  # noqa: ANN202 - the record type is an implementation detail here
    result = extract(text)
    assert result.error is None and result.events
    return max(result.events, key=lambda e: e.confidence)


@pytest.mark.parametrize("text", [
    "On 3 March 2021, a roadside bomb exploded under a minibus near Djibo, killing four "
    "passengers.",
    "On 11 May 2020, two farmers were found shot dead in a field outside Garissa.",
])
def test_violence_with_no_named_perpetrator_is_an_unidentified_armed_group(text: str) -> None:
    event = _main(text)
    assert event.event_type in ("Explosions/Remote violence", "Violence against civilians",
                                "Battles")
    assert event.actor1 is not None and event.actor1.inter == 3
    assert event.actor1.name.startswith("Unidentified Armed Group (")


def test_a_protest_keeps_its_protesters_as_actor1() -> None:
    event = _main("On 4 June 2020, about 300 people marched in Dayton (Ohio) to remember a man "
                  "who was killed by police last year.")
    assert event.sub_event_type == "Peaceful protest"
    assert event.actor1 is not None and event.actor1.name == "Protesters (United States)"


@pytest.mark.parametrize(("text", "cause"), [
    ("A landslide buried a hamlet after days of torrential rain, killing 12 people.",
     "NATURAL_DISASTER"),
    ("A gas cylinder exploded in a bakery, injuring four workers.", "MAN_MADE_DISASTER"),
    ("Customs officers detained a lorry driver for smuggling 30 migrants.", "ORG_CRIME"),
    ("Farmers protested in Sylhet demanding aid after floods destroyed their crops.", None),
    ("Militants attacked a relief convoy carrying aid to flood victims, killing two.", None),
    ("A man shot his neighbour dead after a car accident outside his house.", None),
])
def test_the_report_blames_nature_an_accident_or_a_crime(text: str, cause: str | None) -> None:
    assert _non_political_cause(text) == cause


def test_a_battle_with_the_army_named_has_the_army_as_actor1() -> None:
    event = _main("On 9 March 2019, in Hsipaw Township, Shan State, heavy clashes took place "
                  "between the Myanmar army and an ethnic armed group. No casualties were "
                  "reported.")
    assert event.event_type == "Battles"
    assert event.actor1 is not None and event.actor1.name.startswith("Military Forces of Myanmar")


def test_cattle_raiders_are_a_communal_militia() -> None:
    event = _main("Cattle raiders attacked herders near Marsabit, killing one of them.")
    assert event.actor1 is not None and event.actor1.inter == 4, event.actor1
