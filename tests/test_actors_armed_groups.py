"""Armed groups in ACLED's form and family (inter code): the groups the lexicon names, the
unnamed ones a report describes ("Pokot militia", "Islamist militants"), state forces a
pronoun or a unit word stands for, and forces with no country named. Sentences written for
these tests; the group names are real armed groups."""

from __future__ import annotations

import pytest

from sitrep.api import extract
from sitrep.pipeline.armed_groups import group_actor


def _main(pipeline, text: str):  # noqa: ANN202 - the record type is an implementation detail
    result = extract(text, pipeline=pipeline)
    assert result.error is None and result.events, result.error
    return max(result.events, key=lambda e: e.confidence)


@pytest.mark.parametrize(("text", "name", "inter"), [
    ("On 3 May 2021, Pokot militia killed two herders near Kapedo, Kenya.",
     "Pokot Ethnic Militia (Kenya)", 4),
    ("On 3 May 2021, Islamist militants attacked the village of Mbau in Mozambique, burning "
     "houses.", "Islamist Militia (Mozambique)", 2),
    ("On 3 May 2021, jihadists killed four villagers near Djibo, Burkina Faso.",
     "Islamist Militia (Burkina Faso)", 2),
    ("On 3 May 2021, ethnic militias attacked a village near Marsabit, Kenya, killing three "
     "people.", "Unidentified Communal Militia (Kenya)", 4),
    ("On 3 May 2021, unidentified gunmen shot dead a shopkeeper in Garissa, Kenya.",
     "Unidentified Armed Group (Kenya)", 3),
    # communities and their warriors: identity militias
    ("On 25 September 2021, members of the Mossi community attacked herders at the market in "
     "Bourzanga, Burkina Faso, and killed three.", "Mossi Ethnic Militia (Burkina Faso)", 4),
    ("On 3 May 2021, Pokot warriors attacked a village near Baringo, Kenya, killing six.",
     "Pokot Ethnic Militia (Kenya)", 4),
    ("On 3 May 2021, one person was killed in an inter-communal conflict in Kaya, Burkina "
     "Faso.", "Unidentified Communal Militia (Burkina Faso)", 4),
])
def test_unnamed_groups_named_by_what_the_report_says_they_are(pipeline, text: str, name: str,
                                                               inter: int) -> None:
    event = _main(pipeline, text)
    assert event.actor1 is not None
    assert (event.actor1.name, event.actor1.inter) == (name, inter)


@pytest.mark.parametrize(("text", "country", "name"), [
    ("the KIA attacked an outpost", "MM",
     "KIO/KIA: Kachin Independence Organization/Kachin Independence Army"),
    ("fighters of the Ta'ang National Liberation Army", "MM",
     "PSLF/TNLA: Palaung State Liberation Front/Ta'ang National Liberation Army"),
    ("the SSA-S clashed with the army", "MM",
     "RCSS/SSA-S: Restoration Council of Shan State/Shan State Army-South"),
    ("TPNPB fighters", "ID", "TPNPB: West Papua National Liberation Army"),
    ("the AA ambushed a convoy", "MM", "ULA/AA: United League of Arakan/Arakan Army"),
    ("suspected ASWJ insurgents", "MZ", "Islamist Militia (Mozambique)"),
])
def test_armed_groups_known_by_name(text: str, country: str, name: str) -> None:
    actor = group_actor(text, country)
    assert actor is not None and actor.name == name and actor.inter == 2


@pytest.mark.parametrize(("text", "country"), [
    ("the AA ambushed a convoy", "KE"),  # "AA" is the Arakan Army in Myanmar only
    ("a kia was stolen", "MM"),  # short names count only written in capitals
    ("Karen National Union leaders met", None),
])
def test_short_group_names_need_capitals_and_their_country(text: str, country: str | None
                                                           ) -> None:
    actor = group_actor(text, country)
    if text.startswith("Karen"):  # a full name counts anywhere
        assert actor is not None and actor.name.startswith("KNU/KNLA")
    else:
        assert actor is None


@pytest.mark.parametrize("text", [
    # a pronoun standing for the forces the sentence before named
    "On 31 December 2018, more than 100 police and military personnel surrounded a student "
    "gathering in Timika, Indonesia. They arrested and beat nine students.",
    # a unit word before the soldiers
    "On 9 March 2020, near Kyauktaw, Myanmar, a column of 300 Myanmar military soldiers "
    "abducted two villagers.",
    # a unit's code name after "military"; a subject the parse took from the place before it
    "On 30 July 2018, in Tsan Lun village, Kachin State, the Myanmar military 437th LIR "
    "abducted a civilian.",
    # a rank
    "On 28 December 2019, in Mawlamyine, Mon State, a sergeant from the Southeast Command of "
    "the Myanmar military assaulted a girl.",
    # the lead's attack, not the curfew it enforced
    "On 26 March 2020, gendarmes assaulted an ambulance driver in Hounde, Burkina Faso, for not "
    "complying with an imposed curfew.",
])
def test_state_forces_behind_pronouns_and_units(pipeline, text: str) -> None:
    event = _main(pipeline, text)
    assert event.actor1 is not None and event.actor1.inter == 1, event.actor1


def test_police_of_no_named_country_are_still_state_forces(pipeline) -> None:
    event = _main(pipeline, "Police forces attacked supporters of the opposition in the Lucky "
                            "Summer neighbourhood and shot a man.")
    assert event.actor1 is not None and event.actor1.inter == 1
    assert event.actor1.name.startswith("Police Forces")


def test_state_forces_abroad_are_external(pipeline) -> None:
    event = _main(pipeline, "On 20 July 2020, French forces conducted airstrikes near "
                            "Djibo in Burkina Faso, killing ten militants.")
    assert event.actor1 is not None and event.actor1.country == "FR"
    assert event.actor1.inter == 8


@pytest.mark.parametrize("text", [
    "On 12 July 2023, at least ten members of the ruling party's student wing assaulted and "
    "injured an engineer in Bagerhat, Bangladesh.",
    "On 7 January 2024, supporters of two rival candidates clashed at a polling centre in "
    "Senbagh, Bangladesh, injuring five people.",
])
def test_party_crowds_that_turn_violent_are_mob_violence(pipeline, text: str) -> None:
    event = _main(pipeline, text)
    assert event.sub_event_type == "Mob violence"
    assert event.actor1 is not None and event.actor1.inter == 5
    assert event.actor1.name == "Rioters (Bangladesh)"


@pytest.mark.parametrize("text", [
    # a community's people fighting are a communal militia, armed members an armed group
    "On 21 October 2020, members of the Gourmantche and Fulani communities clashed in the "
    "village of Ouaboidi, Burkina Faso, leaving six people dead.",
    "On 2 February 2016, members of a military unit tortured a man in Wamena, Indonesia.",
])
def test_communities_and_armed_members_are_no_rioters(pipeline, text: str) -> None:
    event = _main(pipeline, text)
    assert event.actor1 is None or event.actor1.inter != 5, event.actor1


@pytest.mark.parametrize(("text", "name"), [
    ("Movement of forces: On 30 May 2020, National Guard troops were deployed in Omaha "
     "(Nebraska) to help local police.", "Military Forces of the United States"),
    ("Defusal: On 21 March 2021, an explosive was found in Nakuru, Kenya. Police forces safely "
     "disposed of the device.", "Police Forces of Kenya"),
])
def test_strategic_developments_get_the_forces_they_name(pipeline, text: str, name: str) -> None:
    event = _main(pipeline, text)
    assert event.event_type == "Strategic developments"
    assert event.actor1 is not None and event.actor1.name == name


@pytest.mark.parametrize(("text", "sub"), [
    ("On 31 December 2023, domestic workers and locals clashed with police forces in Banasree, "
     "Dhaka, Bangladesh.", "Mob violence"),
    ("On 2 March 2023, students clashed with police during a protest over fees in Nairobi, "
     "Kenya.", "Violent demonstration"),
])
def test_a_crowd_that_clashes_with_police_riots(pipeline, text: str, sub: str) -> None:
    event = _main(pipeline, text)
    assert event.sub_event_type == sub
    assert event.actor1 is not None and event.actor1.inter == 5
    assert event.actor2 is not None and event.actor2.inter == 1
