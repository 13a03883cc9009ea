"""Deaths told through people taken away before ("arrested fifteen villagers and executed
them"), through a shared verb ("stepped on a landmine and died"), in a report that is only a
headline, by the Sahel armies' "neutralized", and as a labelled figure ("FATALITIES: 15").
Sentences written for these tests."""

from __future__ import annotations

import pytest

from sitrep.api import extract


def _killed(pipeline, text: str) -> int:
    result = extract(text, published="2021-06-14", pipeline=pipeline)
    assert result.error is None
    return sum(e.fatalities.best or 0 for e in result.events)


@pytest.mark.parametrize(("text", "killed"), [
    ("On 5 May 2021, militants arrested fifteen villagers in Koutougou and executed them.", 15),
    ("Soldiers abducted two farmers near Mansi on 31 January. Their bodies were later found "
     "in a shallow grave.", 2),
    ("On 23 August 2020, near Minbya, a 70-year-old man stepped on a landmine and died.", 1),
    ("Mob kills suspected cattle rustler", 1),
    ("Suspected Al Shabaab attackers kill soldier", 1),
    ("On 5 April 2021, soldiers thwarted an attack on the village of Yirgou and neutralized "
     "ten militants.", 10),
    ("Post-election riots in Kuresoi, details not specified. FATALITIES: 15", 15),
    ("On 10 April 2020, soldiers executed people at Olumbi. Unknown fatalities coded as 3.", 3),
    # a person stoned, tortured or assaulted to death; "shooting him dead"
    ("On 15 February 2020, an angry mob stoned to death a murder suspect in Matuu market.", 1),
    ("On 29 March 2020, a taxi driver was fatally assaulted by police in Homa Bay.", 1),
    ("Gunmen forced their way into the house of a journalist in Kitale before shooting him "
     "dead.", 1),
    # people taken away, then killed: a shared verb, a restatement of the taken
    ("Militants entered the mosque, three elders and a councilman were identified, taken away, "
     "and executed.", 4),
    ("Soldiers arrested five herders in Bissaou, and the men were summarily executed outside "
     "the village.", 5),
])
def test_deaths_told_without_a_figure_on_the_killing(pipeline, text: str, killed: int) -> None:
    assert _killed(pipeline, text) == killed


@pytest.mark.parametrize(("text", "killed"), [
    # released alive: no deaths
    ("Militants abducted two farmers near Djibo on Monday. They were released on Wednesday.", 0),
    # a headline over a body that tells the toll: the body's figure, not the headline's noun
    ("Local official shot dead. Gunmen shot dead two local officials in Garissa on Monday.", 2),
    # a killing the arrests followed does not make the arrested dead
    ("Police arrested six men on Monday. A soldier was killed in the raid on Sunday.", 1),
])
def test_no_deaths_made_up(pipeline, text: str, killed: int) -> None:
    assert _killed(pipeline, text) == killed
