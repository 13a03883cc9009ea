"""The counts stage: each casualty figure, its category, value and qualifier; others left out."""

from __future__ import annotations

import pytest

from sitrep.document import Document
from sitrep.nlp import load_model
from sitrep.pipeline.counts import find_counts
from sitrep.records import Report


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _counts(nlp, text: str):
    return find_counts(Document(report=Report(id="t", text=text), doc=nlp(text)))


@pytest.mark.parametrize(
    ("text", "category", "best", "low", "high", "qualifier"),
    [
        ("At least eight people were killed when a drone hit a dormitory.",
         "killed", 8, 8, None, "at_least"),
        ("More than 20 people were hospitalised after the blast, police said.",
         "injured", 20, 21, None, "more_than"),
        ("Nearly 30 villagers died in the raid on the market.", "killed", 30, 30, 30,
         "approximately"),
        ("Up to 7 protesters were wounded by rubber bullets.", "injured", 7, None, 7, "up_to"),
        ("Between 4 and 7 soldiers were killed in the ambush.", "killed", 4, 4, 7, "range"),
        ("Local officials said 4-7 fighters died in the clashes.", "killed", 4, 4, 7, "range"),
        ("Dozens of civilians were killed in the shelling of the town.", "killed", 12, 12, None,
         "at_least"),
        ("Hundreds of protesters were arrested across the capital.", "arrested", 100, 100, None,
         "at_least"),
        ("Several worshippers were injured when the mosque was hit.", "injured", 3, 3, None,
         "at_least"),
        ("The bombing killed 33 people at the mosque.", "killed", 33, 33, 33, "exact"),
        ("Gunmen abducted twenty-one schoolgirls from the dormitory.", "abducted", 21, 21, 21,
         "exact"),
        ("Three journalists remain missing after the attack.", "missing", 3, 3, 3, "exact"),
        ("The army said twelve deaths were confirmed after the strike.", "killed", 12, 12, 12,
         "exact"),
        ("A soldier was killed at the checkpoint.", "killed", 1, 1, 1, "exact"),
    ],
)
def test_counts_value_and_qualifier(nlp, text, category, best, low, high, qualifier):
    found = [m for m in _counts(nlp, text) if m.category == category]
    assert found, text
    c = found[0].count
    assert (c.best, c.low, c.high, c.qualifier) == (best, low, high, qualifier)


@pytest.mark.parametrize(
    "text",
    [
        "Since February 2022, 8,000 civilians have died in the war, the UN said.",
        "The body of a 40-year-old man was pulled from the rubble.",
        "Air defences shot down 20 drones and 3 missiles overnight.",
        "The plant has come under fire during 13 months of fighting.",
        "The village lies 100 km from the front line.",
        "Soldiers destroyed 14 houses in the village.",
        "The war has killed more than 10,000 people over the past three years.",
        "The two students had planned to kill hundreds of their classmates.",
    ],
)
def test_counts_excludes_non_casualties(nlp, text):
    assert [m for m in _counts(nlp, text) if m.category == "killed" and m.count.best] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One person is known to have died in the attack, though there could be more casualties.",
         (1, 1, None, "at_least")),
        ("Two people were killed in the strike and the toll could rise, rescuers said.",
         (2, 2, None, "at_least")),
    ],
)
def test_counts_open_ended_when_more_expected(nlp, text, expected):
    c = [m for m in _counts(nlp, text) if m.category == "killed"][0].count
    assert (c.best, c.low, c.high, c.qualifier) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Missiles hit the city, killing students and civilians.",
        "Residents said soldiers killed villagers in the raid.",
    ],
)
def test_counts_deaths_without_number_are_unknown(nlp, text):
    found = [m for m in _counts(nlp, text) if m.category == "killed"]
    assert found and found[0].count.qualifier == "unknown" and found[0].count.best is None


@pytest.mark.parametrize(
    ("text", "update"),
    [
        ("The death toll rose to 12 on Thursday, officials said.", True),
        ("The death toll from the bombing climbed to 40.", True),
        ("Twelve people were killed in the bombing.", False),
    ],
)
def test_counts_toll_update(nlp, text, update):
    found = [m for m in _counts(nlp, text) if m.category == "killed"]
    assert found and found[0].update is update


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("More than 20 people were hospitalised, according to regional police chief Ivan Petrenko.",
         "regional police chief Ivan Petrenko"),
        ("Five soldiers were killed, the defence ministry said.", "the defence ministry"),
        ("Provincial governor Amina Yusuf said nine villagers were killed.",
         "Provincial governor Amina Yusuf"),
    ],
)
def test_counts_records_source(nlp, text, source):
    found = _counts(nlp, text)
    assert found and found[0].source == source
    s, e = found[0].source_span
    assert text[s:e] == source


@pytest.mark.parametrize(
    "text",
    [
        "10^12 people were killed in the attack.",
        "A million billion people were killed.",
        "",
        "— … ¿",
        "Killed killed killed 7 7 7 - - 8.",
    ],
)
def test_counts_odd_input_does_not_crash(nlp, text):
    for m in _counts(nlp, text):
        if m.count.best is not None and m.count.best >= 10**7:
            assert m.confidence < 0.3
