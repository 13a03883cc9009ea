"""Deaths told in ways the figure reading missed (docs/CASUALTIES.md, "Deaths however they are
told" and "Victims and attackers"): killing verbs and nouns, a figure after a date, a toll told
beside a condemnation, ranks in a series, parts of a toll that say who the dead were.
Sentences written for these tests."""

from __future__ import annotations

import pytest

from sitrep.api import extract
from sitrep.records import DocumentResult


def _coded(pipeline, text: str) -> DocumentResult:
    result = extract(text, published="2022-06-14", pipeline=pipeline)
    assert result.error is None
    return result


def _killed(pipeline, text: str) -> int:
    return sum(e.fatalities.best or 0 for e in _coded(pipeline, text).events)


def _civilians(pipeline, text: str) -> int | None:
    told = [e.fatalities.civilians for e in _coded(pipeline, text).events
            if e.fatalities.civilians is not None]
    return sum(told) if told else None


@pytest.mark.parametrize(("text", "killed"), [
    # a subject the parse hung on "were", with asides between
    ("No fewer than 12 people, mostly farmers, were, on Tuesday, killed in a raid by gunmen on "
     "a village.", 12),
    ("Five men were hanged by the militants in the town square.", 5),
    ("Rebels decapitated three village elders on Sunday.", 3),
    ("Eight displaced people were slain, and five others sustained injuries, in attacks by "
     "armed tribesmen at the camp.", 8),
    ("A candidate for mayor, Luis Mora, from the Labour Party, was shot on Friday evening, and "
     "later died in hospital.", 1),
    ("In the town, three adults and two children who died in a hail of bullets.", 5),
    ("Six children - three of them from one family - have reportedly been killed in air "
     "strikes by fighter jets on the town.", 6),
    # a headline's figure detailed by an apposition, and one a perception verb takes
    ("At least 30 people, mostly women and children killed by armed men in the settlements.",
     30),
    ("The towns saw at least 45 people, mostly women and children killed by armed men.", 45),
])
def test_deaths_however_the_sentence_tells_them(pipeline, text: str, killed: int) -> None:
    assert _killed(pipeline, text) == killed


def test_an_apposition_does_not_take_the_next_figure(pipeline) -> None:
    text = ("At least seven civilians were killed, most of them foreign workers, and at least 33 "
            "injured in an air strike that hit a factory.")
    assert _killed(pipeline, text) == 7


@pytest.mark.parametrize(("text", "killed"), [
    ("On 12 March seven people were killed by gunmen in a village.", 7),
    ("On Monday 30 persons were killed by bandits who invaded a village.", 30),
    ("On July 12 people gathered in the square to protest.", 0),  # the day, not a figure
])
def test_a_figure_right_after_a_date(pipeline, text: str, killed: int) -> None:
    assert _killed(pipeline, text) == killed


@pytest.mark.parametrize(("text", "killed"), [
    ("The governor condemned the attack which resulted in the death of eight persons.", 8),
    ("Lawmakers condemned the massacre of 11 civilians by soldiers in the town.", 11),
    ("Officials in Tehran condemned the blast that killed nine in Kabul.", 9),
    ("Residents gathered to condemn the killing of a taxi driver.", 0),  # a gathering's cause
])
def test_a_condemned_killing_is_the_reports_toll(pipeline, text: str, killed: int) -> None:
    assert _killed(pipeline, text) == killed


@pytest.mark.parametrize("text", [
    "A village chief was shot dead by gunmen on Saturday, the second killing of a village chief "
    "this month.",
    "A radio presenter was found murdered in the north, the first journalist killed this year.",
])
def test_a_rank_in_a_series_is_not_a_second_death(pipeline, text: str) -> None:
    assert _killed(pipeline, text) == 1


@pytest.mark.parametrize("text", [
    "The rebel group claimed responsibility for the killing of a prosecutor in the city.",
    "The body of the district mayor was found by a road.",
])
def test_a_killing_told_by_its_claim_or_its_victims_body(pipeline, text: str) -> None:
    assert _killed(pipeline, text) == 1


def test_people_feared_dead_are_the_attacks_toll(pipeline) -> None:
    text = ("Twelve people were feared dead as gunmen attacked two banks and a police station "
            "in the town yesterday. Among the 12 people killed were a policeman, detainees and "
            "bank customers.")
    assert _killed(pipeline, text) == 12


@pytest.mark.parametrize(("text", "killed", "civilians"), [
    ("Fourteen people were killed in a suicide car bombing outside a police station. Among "
     "those killed, at least 10 were civilians and four were police officers.", 14, 10),
    ("The attackers stormed the plant and clashed with troops. The dead included six civilians "
     "and eight security forces.", 14, 6),
    ("The terrorists killed 18 people, comprising 10 soldiers and eight civilians.", 18, 8),
    ("A female suicide bomber killed six people at a market. One of those killed was a "
     "soldier.", 6, 5),
])
def test_a_breakdown_of_the_toll_tells_the_victims(pipeline, text: str, killed: int,
                                                   civilians: int) -> None:
    assert _killed(pipeline, text) == killed
    assert _civilians(pipeline, text) == civilians


def test_a_part_of_the_toll_told_later_does_not_add(pipeline) -> None:
    text = ("At least eight people were killed Saturday in the city. Six of those killed were "
            "members of one family whose home was burned down after armed men threw a "
            "firebomb.")
    assert _killed(pipeline, text) == 8


@pytest.mark.parametrize(("text", "killed"), [
    ("No fewer than seven persons have been feared killed following a fresh outbreak of "
     "hostilities between two communities.", 7),
    ("Residents buried 27 victims of the latest massacre in the region.", 27),
    ("An armed gang slaughtered a family of seven in the village on Sunday, police said.", 7),
    ("The crisis includes the murder of 14 civilians initially kidnapped by the militia.", 14),
    ("The bombing of the hotel results in at least 18 casualties and 20 injured.", 18),
    ("The mayor was kidnapped in the early hours of Tuesday and his body found some hours "
     "later. The mayor's body was found in a field.", 1),
])
def test_deaths_told_by_the_words_around_the_figure(pipeline, text: str, killed: int) -> None:
    assert _killed(pipeline, text) == killed


def test_a_body_found_of_one_told_dead_is_that_death(pipeline) -> None:
    text = ("Gunmen abducted a nurse near her home. Anna, a police inspector, was killed and her "
            "body was discovered on Friday.")
    assert _killed(pipeline, text) == 1


@pytest.mark.parametrize(("text", "killed", "civilians"), [
    ("At least 15 people were killed when villagers clashed with militants trying to recruit "
     "their children. Ten militants and five villagers died in the fighting.", 15, 5),
    ("A gunfight between soldiers and armed men killed 15 people. Fourteen civilians and one "
     "soldier died in the shootout.", 15, 14),
    ("Ten people were killed and 20 wounded in a car bomb attack. The explosion claimed the "
     "lives of five civilians and five soldiers.", 10, 5),
])
def test_a_later_sentence_that_sums_to_the_toll_tells_who_died(pipeline, text: str,
                                                               killed: int,
                                                               civilians: int) -> None:
    assert _killed(pipeline, text) == killed
    assert _civilians(pipeline, text) == civilians


def test_further_victims_of_the_lead_figures_size_still_add(pipeline) -> None:
    text = ("A former technician entered the office of the doctors and shot and killed them "
            "both. He continued shooting at patients, killing a young boy, the wife of a retired "
            "serviceman and wounding 23 more before being killed by a police officer.")
    assert _killed(pipeline, text) == 5


def test_a_body_found_of_someone_else_is_a_further_death(pipeline) -> None:
    text = ("Five engineers working on a pipeline were killed in the province on Monday. A sixth "
            "worker was kidnapped during the attack; his body was found later.")
    assert _killed(pipeline, text) == 6


def test_a_breakdown_with_no_armed_part_leaves_the_others_untold(pipeline) -> None:
    text = ("Fighting between supporters of rival candidates has killed 22 people, police said. "
            "Police said 16 civilians died in clashes between the supporters while six more were "
            "killed when police fired on them.")
    assert _killed(pipeline, text) == 22
    assert _civilians(pipeline, text) is None


@pytest.mark.parametrize(("text", "killed"), [
    # the "another" of the first figure makes no later one a further person
    ("Yet another union leader was shot dead on Tuesday. Rosa Diaz, 52, was murdered in the "
     "south of the country.", 1),
    ("A man was shot dead outside a bar on Friday. Another man was also killed nearby an hour "
     "later.", 2),
    # two descriptions of one person, the second tagged an adjective
    ("Iraqi female activist and paramedic Hoda Salim was shot dead during a sit-in in the "
     "city.", 1),
    # an apposition the parse made a list item
    ("A 75-year-old High Chief in the state, Pa Moses Adewale, the head of the town council, "
     "has been killed by unknown assailants.", 1),
    # those killed along with the one told
    ("The party's ward chairman in the district, Alhaji Musa Bello, has been killed by gunmen, "
     "along with another party supporter. Four persons were injured.", 2),
    ("The mayor of a city in the south who had been accused of drug trafficking was killed "
     "along with his wife and 10 other people in police raids early Sunday.", 12),
    ("A pregnant mother of two was killed in a rampage early Saturday along with her unborn "
     "child. Both of her toddlers were also shot.", 1),  # tallies count the born
])
def test_one_person_or_several(pipeline, text: str, killed: int) -> None:
    assert _killed(pipeline, text) == killed


def test_an_adjective_of_recurrence_is_not_the_events_habit(pipeline) -> None:
    text = ("Seven farmers died on Friday after being shot by soldiers along the border during "
            "weekly protests, according to the ministry. A total of 252 people were injured -- "
            "154 of them by live fire, the ministry said.")
    assert _killed(pipeline, text) == 7


@pytest.mark.parametrize(("text", "killed"), [
    ("A journalist was found dead in a community outside the capital. An eyewitness said he "
     "saw a black jeep leave what turned out to be the remains of the reporter. There were "
     "cuts on several parts of the body. The body was taken to a hospital where he was "
     "declared dead on arrival.", 1),
    ("Two brothers were found dead in a flooded river after the storm, rescuers said.", 0),
    # beside a shooting, those found dead are its dead, not a second event
    ("Police said a gunman shot several people on Wednesday night, killing four. A mother and "
     "her daughter were found dead in their home on Long Street.", 4),
])
def test_a_person_found_dead_is_a_killing_unless_nature_did_it(pipeline, text: str,
                                                                killed: int) -> None:
    assert _killed(pipeline, text) == killed



@pytest.mark.parametrize("text", [
    "Nine were wounded when a suicide bomber driving a car attacked the street.",
    "Two guards were hurt when a gunman riding a motorbike opened fire on the post.",
])
def test_the_attacker_is_no_lone_victim(text: str) -> None:
    """The one who attacked, told as the subject of the attack, is no one-person toll."""
    from sitrep.nlp import load_model
    from sitrep.pipeline.people import small_quantities

    doc = load_model()(text)
    assert [f.count.text for s in doc.sents for f in small_quantities(s)] == []
