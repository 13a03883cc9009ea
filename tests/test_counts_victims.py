"""Casualty cases of docs/CASUALTIES.md: people shot with no figure, a lone victim told as a
person, a lead figure restated in part, composed and approximate figures, victims told apart
from attackers (``civilians``), and cumulative tallies kept out of the event's toll."""

from __future__ import annotations

import pytest

from sitrep.api import extract
from sitrep.records import DocumentResult


def _coded(pipeline, text: str) -> DocumentResult:
    result = extract(text, published="2022-06-14", pipeline=pipeline)
    assert result.error is None
    return result


def _totals(pipeline, text: str) -> tuple[int, int]:
    result = _coded(pipeline, text)
    return (sum(e.fatalities.best or 0 for e in result.events),
            sum(e.injuries.best or 0 for e in result.events))


def _civilians(pipeline, text: str) -> int | None:
    told = [e.fatalities.civilians for e in _coded(pipeline, text).events
            if e.fatalities.civilians is not None]
    return sum(told) if told else None


@pytest.mark.parametrize(
    "text",
    [
        "A 16-year-old was shot three times outside a corner shop in Dayton on Friday night.",
        "Police said a woman was shot in the knee during a robbery on Elm Avenue on Monday.",
        "Detectives are looking for a gunman who shot a delivery driver in the face on Sunday.",
        "Police said he was shot in the chest near the bus stop on Saturday night.",
        "Officers found a man suffering from a gunshot wound in a parked car on Tuesday.",
        "Police said a robber pistol-whipped a gas station cashier, causing the gun to go off, "
        "on Monday night.",
        "At the scene, officers found a 40-year-old woman shot in the shoulder, police said.",
        "One man was grazed by a bullet early Sunday in a drive-by shooting in Fresno.",
    ],
)
def test_a_person_shot_with_no_figure_is_one_injured(pipeline, text):
    assert _totals(pipeline, text) == (0, 1)


def test_a_person_shot_and_then_named_is_one_person(pipeline):
    text = ("A man was shot in the arm outside a gym in Toledo on Tuesday. Marcus Lee, 31, was "
            "shot in the parking lot as he left, police said.")
    assert _totals(pipeline, text) == (0, 1)


@pytest.mark.parametrize(
    "text",
    [
        "Police said someone shot a 28-year-old man in the back on Fifth Street. He later died "
        "of his injuries.",
        # a report of a killing: the one person said to be shot in it is the one who died
        "A man was charged on Friday with a fatal shooting in Tulsa. Dana Cole, 30, was shot "
        "outside a bar on Pine Street.",
    ],
)
def test_a_person_shot_who_died_is_one_killed(pipeline, text):
    assert _totals(pipeline, text) == (1, 0)


def test_the_shot_person_who_died_is_not_also_injured(pipeline):
    text = ("A man was shot on Birch Street on Sunday. He was pronounced dead at the hospital, "
            "police said.")
    assert _totals(pipeline, text) == (1, 0)


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("A polling station official has been shot and killed by two gunmen at a market in "
         "Kismayo.", 1, 0),
        ("Ana Ruiz, a farm workers' union activist, was shot at her home in the town of "
         "Uruapan.", 0, 1),
        ("The head of the provincial water board has been killed by unidentified armed men in "
         "Herat.", 1, 0),
    ],
)
def test_a_lone_victim_told_as_a_person(pipeline, text, killed, injured):
    assert _totals(pipeline, text) == (killed, injured)


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # a later sentence that tells part of the lead figure does not replace or add to it
        ("Gunmen killed 12 villagers in two raids on Sunday. In the first raid, five people "
         "were killed in their homes.", 12),
        # the same group told again in a later sentence, and a headline repeated
        ("A blast left four people dead at a bus depot. Four other people were hurt. The "
         "four people killed were drivers, officials said.", 4),
        # a part given as the group some belong to
        ("Air raids killed 11 civilians in the province, where two children were among the "
         "nine civilians killed in the main town.", 11),
    ],
)
def test_a_lead_figure_restated_in_part_stands(pipeline, text, killed):
    assert _totals(pipeline, text)[0] == killed


@pytest.mark.parametrize(
    ("text", "killed", "civilians"),
    [
        ("Coalition air strikes killed almost 80 rebel fighters near the port on Friday.",
         80, None),
        ("Six civilians, a customs officer and a soldier were killed in the attack on the "
         "border post.", 8, 6),
        ("About 20 inmates and one prison guard were killed during the riot at the jail.",
         21, 20),
        ("The clashes claimed the lives of nine people in the village, elders said.", 9, None),
        ("The burned remains of 14 people killed in a gang fight were found near the town.",
         14, None),
    ],
)
def test_composed_and_approximate_figures(pipeline, text, killed, civilians):
    assert _totals(pipeline, text)[0] == killed
    assert _civilians(pipeline, text) == civilians


@pytest.mark.parametrize(
    ("text", "killed", "victims"),
    [
        # best counts everyone, attackers included; civilians the victims
        ("A suicide bomber blew himself up at a wedding hall, killing 15 people, including a "
         "tribal commander.", 16, 14),
        # an armed part told without an article: the bare title of a headline
        ("Suicide bomber kills 12 at a rally in the north, including militia commander.", 12,
         11),
        # armed people told as a part of the toll are set apart from the civilians
        ("A car bomb killed nine people, including two policemen, at a market in the city.",
         9, 7),
        ("Gunmen stormed a hotel and killed nine guests before three of the attackers were shot "
         "dead by police.", 12, 9),
        # a toll of armed people alone tells no civilian figure
        ("Two soldiers were killed when militants attacked their checkpoint.", 2, None),
    ],
)
def test_victims_apart_from_attackers(pipeline, text, killed, victims):
    assert _totals(pipeline, text)[0] == killed
    assert _civilians(pipeline, text) == victims


@pytest.mark.parametrize(
    "text",
    [
        "A man was shot dead in Kenton on Friday. Police have tracked 27 shooting victims so "
        "far in March.",
        "A man was shot dead in Kenton on Friday. Nationwide, 4,210 gun injuries were reported "
        "in 2015, the agency said.",
    ],
)
def test_cumulative_tallies_are_not_the_toll(pipeline, text):
    assert _totals(pipeline, text) == (1, 0)


def test_people_spared_are_not_counted(pipeline):
    text = ("A gunman opened fire on a patrol car in Reno on Friday, wounding one officer. The "
            "two other officers in the car were not injured, police said.")
    assert _totals(pipeline, text) == (0, 1)
