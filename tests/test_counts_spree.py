"""Counts in spree narratives: lists of single people, fatal wounds, the attacker's own death,
sequence words, lives claimed, and a group told twice counted once."""

from __future__ import annotations

import pytest

from sitrep.api import extract


def _totals(pipeline, text: str) -> tuple[int, int]:
    result = extract(text, published="2021-05-03", pipeline=pipeline)
    assert result.error is None
    return (sum(e.fatalities.best or 0 for e in result.events),
            sum(e.injuries.best or 0 for e in result.events))


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # a list of single people shares the first one's possessive or article
        ("Police said a 26-year-old man killed his mother, father, brother and sister at the "
         "family farm on Sunday.", 4),
        ("Local paper: the gunman shot and killed his ex-wife and two of her co-workers at a "
         "salon.", 3),
        ("Gunmen killed the district governor and his guard on the highway, officials said.", 2),
        ("The attacker killed his Mother, Father and Grandmother in their home, police said.", 3),
        ("A gunman shot his neighbour, his neighbour's son and her husband to death in the "
         "village.", 3),
    ],
)
def test_counts_spree_lists_of_single_people(pipeline, text, killed):
    assert _totals(pipeline, text)[0] == killed


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("The sniper fatally wounded two guards and a driver at the gate, the army said.", 3, 0),
        ("He mortally wounded a police officer before fleeing, a spokesman said.", 1, 0),
        ("A student non-fatally wounded six classmates before being detained.", 0, 6),
        ("The gunman shot eleven people in a restaurant, four of them fatally, police said.", 4, 7),
    ],
)
def test_counts_spree_fatal_wounds(pipeline, text, killed, wounded):
    assert _totals(pipeline, text) == (killed, wounded)


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # the attacker's own death counts too (codebook: everyone killed)
        ("The shooter killed five of his relatives and then himself at the ranch.", 6),
        ("He killed his wife and a neighbour before taking his life, police said.", 3),
        ("A former employee killed two managers, ending his own life an hour later.", 3),
        ("The shooter killed two of his nephews at the shop they owned. He shot and injured "
         "his brother. Then killed himself.", 3),
    ],
)
def test_counts_spree_attacker_own_death(pipeline, text, killed):
    assert _totals(pipeline, text)[0] == killed


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # a sequence word early in a long sentence still makes its victims add up
        ("A gunman entered a clinic in Dayton and shot and killed both doctors there. He "
         "continued shooting at patients and visitors in the corridors of the building, killing "
         "a young boy and an elderly woman.", 4),
        ("A man killed three people at a warehouse in Ohio. He then killed two more of his "
         "cousins at a nearby farm.", 5),
    ],
)
def test_counts_spree_sequence_words_add(pipeline, text, killed):
    assert _totals(pipeline, text)[0] == killed


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("The bombing claimed 7 civilians' lives in the market, the governor said.", 7),
        ("The ambush took five soldiers' lives near the border, the army said.", 5),
        ("Rescuers saved 12 people's lives after the attack on the bridge.", 0),
        # the possessive apostrophe left out, however the parser reads it
        ("A suicide bombing on a house claimed 7 civilians lives and another 6 were injured.", 7),
        ("Doctors saved 9 civilians lives after the bombing of the market.", 0),
    ],
)
def test_counts_spree_lives_claimed(pipeline, text, killed):
    assert _totals(pipeline, text)[0] == killed


@pytest.mark.parametrize(
    ("text", "wounded"),
    [
        # the same group told again later ("all five friends") is not counted twice, even when
        # the report's events are split
        ("A man shot five of his friends at a house party in Georgia and set the house on fire. "
         "He told police he had gone out for breakfast. He called the fire brigade himself. "
         "Investigators said all five friends had been shot before the fire. He was arrested.",
         5),
        ("Gunmen shot three guards at a bank in Lagos on Monday. Later the three guards were "
         "taken to hospital, police said.", 3),
    ],
)
def test_counts_spree_group_told_twice(pipeline, text, wounded):
    assert _totals(pipeline, text)[1] == wounded


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Officials say 2 explosions at a police checkpoint have killed 57 and injured 177.", 57),
        ("Three blasts at a checkpoint killed 9 soldiers, the army said.", 9),
    ],
)
def test_counts_spree_blasts_are_not_casualties(pipeline, text, killed):
    assert _totals(pipeline, text)[0] == killed


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # the attacker's own people first, then the strangers of the spree: different victims
        ("After killing his grandfather and his grandmother at their home, a student drove to "
         "his school in Ohio. He killed five students and a teacher before he was arrested.", 8),
        # a later figure of people in general, or one that includes them, restates
        ("A man killed his wife at their home in Texas on Monday. Three people died in the "
         "attack, police said.", 1),
        ("A man killed his wife at their farm in Texas on Monday. He killed two officers, "
         "including his wife's brother, police said.", 3),
    ],
)
def test_counts_spree_family_then_strangers(pipeline, text, killed):
    assert _totals(pipeline, text)[0] == killed


@pytest.mark.parametrize(
    ("text", "wounded"),
    [
        ("The man pulled out a gun and opened fire at the party, hitting four people.", 4),
        ("Gunmen opened fire on the bus, hitting 3 passengers, police said.", 3),
        ("The missile hit 3 targets and two buildings in the city.", 0),
    ],
)
def test_counts_spree_people_hit(pipeline, text, wounded):
    assert _totals(pipeline, text)[1] == wounded


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("A man shot his brother dead at their home, then killed four other relatives in a "
         "nearby house. He killed his brother in the kitchen around noon, police said.", 5),
        # a number and deaths told without one: at least the number
        ("A man killed four relatives at a farm in Iowa. He then went to a second house and "
         "murdered more relatives.", 4),
    ],
)
def test_counts_spree_person_told_again(pipeline, text, killed):
    assert _totals(pipeline, text)[0] == killed


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        # a name killed or hurt is one person, whatever entity type the model guessed
        ("04/13/2016: Assailants shot and killed Focas Bakana, a ruling party official, in his "
         "residence.", 1, 0),
        ("Gunmen opened fire on a car in the town. Mwangi, a local councillor, was killed in "
         "the attack.", 1, 0),
        ("An assailant stabbed and injured Raoul Dupont, a member of parliament, in the street.",
         0, 1),
        ("Rebels attacked the village and killed Ahmed Musa and Ali Traore.", 2, 0),
        # hostages killed are deaths, not abductions
        ("Assailants abducted two civilians near the border. Both hostages were executed "
         "shortly after the abduction.", 2, 0),
    ],
)
def test_counts_spree_named_victims_and_hostages(pipeline, text, killed, wounded):
    assert _totals(pipeline, text) == (killed, wounded)
