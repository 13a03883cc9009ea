"""Casualty cases of docs/CASUALTIES.md, second part: people told with a wound, deaths told as
'succumbed' or 'passed away', self-inflicted wounds survived, a lone person told shot and then
injured, passives the parser splits, killings of people named by any noun, and 'nationwide'
as an adjective."""

from __future__ import annotations

import pytest

from sitrep.api import extract
from sitrep.document import Document
from sitrep.nlp import load_model
from sitrep.pipeline.counts import find_counts
from sitrep.records import Report


def _totals(pipeline, text: str) -> tuple[int, int]:
    result = extract(text, published="2022-06-14", pipeline=pipeline)
    assert result.error is None
    return (sum(e.fatalities.best or 0 for e in result.events),
            sum(e.injuries.best or 0 for e in result.events))


@pytest.mark.parametrize(
    "text",
    [
        "A teenager turned up at a house on Oak Lane with a gunshot wound after a shooting on "
        "Monday, police said.",
        "Officers responding to the shooting found a man suffering from gunshot wounds inside a "
        "parked van.",
        "The shooting on Pine Street left a 24-year-old man with a gunshot wound to his hand.",
    ],
)
def test_a_person_told_with_a_wound_is_one_injured(pipeline, text):
    assert _totals(pipeline, text) == (0, 1)


@pytest.mark.parametrize(
    "text",
    [
        "A Dayton man who was shot several times on Friday night succumbed to his injuries on "
        "Saturday, police said.",
        "A woman who was shot in the chest during a robbery on Monday passed away on Tuesday "
        "morning.",
    ],
)
def test_succumbed_and_passed_away_are_deaths(pipeline, text):
    assert _totals(pipeline, text) == (1, 0)


@pytest.mark.parametrize(
    "text",
    [
        "A 20-year-old man was charged after he accidentally shot himself in the foot at a "
        "friend's home, police said.",
        "A hunter shot himself in the thigh while cleaning his rifle on Sunday, deputies said.",
    ],
)
def test_a_wound_by_ones_own_gun_survived_is_one_injured(pipeline, text):
    assert _totals(pipeline, text) == (0, 1)


def test_a_person_shot_and_later_told_injured_is_one_person(pipeline):
    text = ("Police said a man was shot during an argument in Bradford late on Sunday. "
            "Deputies arriving at the scene on Elm Court found a 41-year-old man suffering from "
            "a gunshot wound. He was taken to a hospital, police said.")
    assert _totals(pipeline, text) == (0, 1)


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # a passive split by a time phrase or read as a copula with a participle
        ("Seven farmers were on Sunday night killed in the village of Tilla.", 7),
        ("Twelve displaced people were slain in an attack on the camp on Friday.", 12),
        # the lives of N lost
        ("The lives of six people were lost when troops opened fire on the crowd.", 6),
        # 'nationwide' as an adjective names no tally
        ("About six people were killed in the capital during three days of nationwide "
         "protests.", 6),
    ],
)
def test_figures_the_parser_splits(pipeline, text, killed):
    assert _totals(pipeline, text)[0] == killed


@pytest.mark.parametrize(
    "text",
    [
        "A muezzin was shot dead near his home in the town of Samarra, police said.",
        "The militant group said it had killed a tribal figure near the capital for backing "
        "the vote.",
        "Local party official has been shot and killed by gunmen in the port city, a witness "
        "said.",
    ],
)
def test_a_killing_counts_the_one_killed_whatever_the_noun(pipeline, text):
    assert _totals(pipeline, text) == (1, 0)


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # two descriptions of one person
        ("Gunmen shot dead a shopkeeper and community organiser outside his store in the "
         "market town.", 1),
        ("A retired judge and uncle of the opposition leader was killed in his car on Monday.",
         1),
        # people of a kind, or someone's kin, are several
        ("A man and woman were killed when a grenade hit their house.", 2),
        ("The attacker killed his father and stepmother before fleeing.", 2),
    ],
)
def test_a_second_description_is_the_same_person(pipeline, text, killed):
    assert _totals(pipeline, text)[0] == killed


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # the same figure said twice in a sentence
        ("Raiders attacked the village at dawn, killing nine people, looting the market and "
         "killing nine people.", 9),
        # a further group of the same size
        ("Gunmen killed six soldiers and six civilians at the checkpoint.", 12),
        # 'the dead included' tells a part
        ("At least 16 civilians were killed in the shelling of the town. The dead included "
         "four people who were hit in a car.", 16),
    ],
)
def test_figures_told_twice_or_in_part(pipeline, text, killed):
    assert _totals(pipeline, text)[0] == killed


def test_a_noun_beside_the_victim_in_a_misparse_is_no_second_victim(pipeline):
    text = ("A mayor who was running for a seat in the state assembly has been killed by "
            "unidentified assailants.")
    assert _totals(pipeline, text) == (1, 0)


def _civilians(pipeline, text: str) -> int | None:
    result = extract(text, published="2022-06-14", pipeline=pipeline)
    told = [e.fatalities.civilians for e in result.events if e.fatalities.civilians is not None]
    return sum(told) if told else None


@pytest.mark.parametrize(
    ("text", "killed", "civilians"),
    [
        # a person named, and the people with them
        ("A district judge was killed along with four members of his staff in an ambush on "
         "their car.", 5, 5),
        # a group named as civilians, and others set apart from them
        ("At least nine civilians were killed and two others in fighting near the market.", 11,
         9),
        # an armed part told without an article
        ("Suicide bomber kills 12 at a rally in the north, including militia commander.", 12,
         11),
    ],
)
def test_civilians_beside_people_of_untold_status(pipeline, text, killed, civilians):
    assert _totals(pipeline, text)[0] == killed
    assert _civilians(pipeline, text) == civilians


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # the killing of a person claimed or reported is this event's toll
        ("The armed group claimed responsibility for the killing of a village chief near the "
         "border.", [1]),
        # an earlier killing as the cause of this event is not
        ("Protesters blocked the road following the killing of a student last week.", []),
    ],
)
def test_the_killing_of_a_person(text, killed):
    nlp = load_model()
    found = find_counts(Document(report=Report(id="t", text=text), doc=nlp(text)))
    assert [m.count.best for m in found if m.category == "killed"] == killed


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # a number of one after a lone person told dead is the same person
        ("A 30-year-old man was fatally shot on Friday night outside a bar in Camden. 1 dead "
         "in Camden bar shooting. Police have made no arrests.", 1),
        # 'he was pronounced dead' after the person told dead is that person
        ("A 41-year-old man was fatally shot on Friday night in the city's east end. Omar Diaz "
         "was gunned down on Vine Street around 9 p.m. He was pronounced dead at a hospital, "
         "police said.", 1),
        # a threat is no death
        ("Police said he had sent his former partner a message saying he was going to kill "
         "her.", 0),
    ],
)
def test_one_person_told_again_and_a_threat(pipeline, text, killed):
    assert _totals(pipeline, text)[0] == killed


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        # the one death told, and a lone person found with a wound: how the dead was found
        ("Detectives are investigating a shooting that left one person dead on Tuesday. "
         "Officers arriving at the scene found a man suffering from a gunshot wound in a parked "
         "truck.", 1, 0),
        # a person wounded, told apart from the dead
        ("A man was shot dead on Elm Street on Friday. A woman was wounded in the attack.", 1,
         1),
    ],
)
def test_the_one_dead_found_wounded(pipeline, text, killed, injured):
    assert _totals(pipeline, text) == (killed, injured)


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        # two people told apart in one sentence
        ("Police are investigating after a man was found dead and a woman was found with a "
         "gunshot wound in a parked car on Tuesday.", 1, 1),
        # the subject of 'after being shot'
        ("A 19-year-old drove himself to a hospital after being shot in the arm, deputies "
         "said.", 0, 1),
        ("A shooting on Friday sent a six-year-old girl to the hospital with a gunshot wound.",
         0, 1),
        # 'the shooting of' a person
        ("Police are investigating the shooting of a 17-year-old boy on the east side.", 0, 1),
    ],
)
def test_more_people_shot_with_no_figure(pipeline, text, killed, injured):
    assert _totals(pipeline, text) == (killed, injured)


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # a figure as the subject of 'dead' after a harm verb
        ("Gunmen ambushed a bus of miners on Friday, shooting at least seven of them dead near "
         "the pass.", [7]),
        # a participle after the figure misread as its clause
        ("Troops on Monday killed at least six men trying to cross the river at night, "
         "officials said.", [6]),
        # a title with 'of' and no article
        ("Gunmen have murdered director of the state water board in the city on Tuesday.",
         [1]),
        # the killers of N
        ("Police began a hunt for the killers of four farmers in the valley.", [4]),
    ],
)
def test_figures_found_under_other_readings(text, killed):
    nlp = load_model()
    found = find_counts(Document(report=Report(id="t", text=text), doc=nlp(text)))
    assert [m.count.best for m in found if m.category == "killed"] == killed


@pytest.mark.parametrize(
    "text",
    [
        "One person is in stable condition at a hospital following a shooting outside a diner "
        "early on Sunday.",
        "A 22-year-old man remains in serious condition after a shooting on Friday night.",
    ],
)
def test_a_person_in_a_hospital_condition_is_hurt(pipeline, text):
    assert _totals(pipeline, text) == (0, 1)


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        # a pronoun beside the dead is the dead
        ("A 24-year-old man is dead after he was shot on Sunday evening on the north side.", 1,
         0),
        # 'the fatal shooting of' a person is a death
        ("Police charged a man on Monday in the fatal shooting of his girlfriend at their "
         "home.", 1, 0),
    ],
)
def test_the_dead_told_again_in_the_sentence(pipeline, text, killed, injured):
    assert _totals(pipeline, text) == (killed, injured)


def test_one_hurt_told_twice_is_one(pipeline):
    text = ("One person is in critical condition after a shooting in west Columbus on "
            "Thursday. Police said one person was injured in the shooting near a gas station.")
    assert _totals(pipeline, text) == (0, 1)


def test_figures_joined_by_or_are_alternatives(pipeline):
    text = ("Seven people, according to police, or fifteen people, according to witnesses, "
            "were killed in the dispute over farmland.")
    assert _totals(pipeline, text)[0] == 7


def test_attackers_named_by_two_words_are_attackers(pipeline):
    text = ("Five villagers were killed when gunmen raided the village on Sunday. Troops later "
            "killed 12 Islamic State militants in the hills.")
    assert _totals(pipeline, text)[0] == 17
    assert _civilians(pipeline, text) == 5


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("A shooting sent a man to the hospital early on Saturday, deputies said.", 0, 1),
        ("Police are investigating a shooting that put two teens in the hospital on Monday "
         "night.", 0, 2),
        ("One man is dead and another hospitalized after a shooting at a nightclub early on "
         "Monday.", 1, 1),
        ("Two men drove themselves to a hospital after they were both shot late on Wednesday "
         "night.", 0, 2),
        ("Two armed intruders struck a teen in the eye with a gun early on Sunday.", 0, 1),
        # a thing struck is no casualty, even one whose name looks like a person's
        ("A rocket struck a school in the town on Sunday, officials said.", 0, 0),
        ("Gunfire broke out on the street and a bullet struck the refrigerator in a kitchen on "
         "Monday.", 0, 0),
    ],
)
def test_hurt_told_by_hospital_and_blows(pipeline, text, killed, injured):
    assert _totals(pipeline, text) == (killed, injured)


def test_a_link_to_another_story_tells_no_death(pipeline):
    text = ("A man was shot in the leg during a robbery at a home early Thursday, police said. "
            "The condition of the victim is not known. Police have not described the suspects. "
            "Stay with us for updates. RELATED: Father arrested in connection with son's "
            "shooting death.")
    assert _totals(pipeline, text) == (0, 1)


def test_a_group_told_hurt_then_shot_is_one_group(pipeline):
    text = ("A drive-by shooting wounded four teenagers in the town on Monday, police said. "
            "The teens were standing on a sidewalk when two men drove up. The men drove by "
            "again and fired several rounds, striking the four boys.")
    assert _totals(pipeline, text) == (0, 4)


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        # the attacker's own death after the victims is one more, whatever pronoun tells it
        ("A former employee arrived at the warehouse and began shooting, killing six. He was "
         "later killed in a shoot-out with the police.", 7, 0),
        # 'killing one' is a part of a further group, not the one told before
        ("A man shot and killed the receptionist at a clinic. Minutes later he entered a "
         "second clinic and shot three people, killing one.", 2, None),
        # attackers named in the next sentence do not make the others attackers
        ("The clash killed 10 soldiers and injured three others. One militant was killed and "
         "several others were injured or arrested.", 11, 3),
    ],
)
def test_further_groups_and_the_attacker(pipeline, text, killed, injured):
    got = _totals(pipeline, text)
    assert got[0] == killed
    assert injured is None or got[1] == injured


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        # both figures set the injured apart from the dead: the same group told again
        ("A gunman opened fire at a bar early on Saturday. The attack left one person dead and "
         "three others injured. Police are looking for the gunman. Three other men, all in "
         "their 30s, suffered non-life-threatening wounds.", 1, 3),
        # 'other' after a figure of the same fate is a further group
        ("Gunmen killed four people in the market. They killed four other people in a village "
         "nearby.", 8, 0),
    ],
)
def test_others_set_apart_from_the_dead(pipeline, text, killed, injured):
    assert _totals(pipeline, text) == (killed, injured)


@pytest.mark.parametrize(
    ("text", "injured"),
    [
        ("The victim is 34 years old and was shot in the left arm, police said.", 1),
        ("Officers found two men, ages 20 and 21; both were shot in the leg.", 2),
        ("A man had to drive himself to a hospital after he was struck by a stray bullet.", 1),
    ],
)
def test_people_shot_told_in_other_clauses(pipeline, text, injured):
    assert _totals(pipeline, text) == (0, injured)


def test_a_person_named_alike_twice_is_one(pipeline):
    text = ("Two drivers argued at a light on Mercy Drive on Tuesday, police said. One of them "
            "fired a pistol, and the other driver was wounded in the arm. Officers arrested the "
            "gunman nearby. The other driver was wounded badly enough to need surgery, a "
            "spokesman said.")
    assert _totals(pipeline, text)[1] == 1


def test_a_sentence_said_again_is_told_once(pipeline):
    text = ("Police are investigating after someone fired shots into a house, wounding one man "
            "and injuring another. The shooting was reported at about 12:30 a.m. on Saturday. "
            "Police are investigating after someone fired shots into a house, wounding one man "
            "and injuring another.")
    assert _totals(pipeline, text)[1] == 2


def test_no_one_hurt_means_whatever_was_shot_was_no_person() -> None:
    from sitrep.api import extract

    text = ("Officers were told that one apartment was shot at least 20 times while the tenant "
            "was inside. No injuries were reported.")
    assert sum(e.injuries.best or 0 for e in extract(text).events if e.injuries) == 0
    told = ("A man was shot in the arm outside a bar on Elm Street overnight. No one else was "
            "injured, deputies said.")
    assert sum(e.injuries.best or 0 for e in extract(told).events if e.injuries) == 1
