"""Event detection: specific events are found, background, habits, threats and denials are not."""

from __future__ import annotations

import pytest

from sitrep.document import Document
from sitrep.nlp import load_model
from sitrep.pipeline.coreference import group_mentions
from sitrep.pipeline.detection import find_mentions
from sitrep.records import Report


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _document(nlp, text: str) -> Document:
    document = Document(Report("t", text), nlp(text))
    document.mentions = find_mentions(document)
    return document


def _kept(nlp, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.kind) for m in _document(nlp, text).mentions if m.excluded is None]


@pytest.mark.parametrize(
    ("text", "trigger", "kind"),
    [
        ("A drone struck a fuel depot in the port city overnight.", "struck", "air_strike"),
        ("Israeli warplanes bombed a refugee camp on Tuesday.", "bombed", "air_strike"),
        ("Government forces shelled rebel positions near the town.", "shelled", "shelling"),
        ("A missile hit a shopping centre in the capital.", "hit", "shelling"),
        ("A roadside bomb exploded next to a police patrol, officials said.", "exploded",
         "explosion"),
        ("A suicide bomber blew himself up at a wedding party.", "bomber", "suicide_bomb"),
        ("Attackers hurled a grenade into a crowded market.", "grenade", "grenade"),
        ("Troops clashed with insurgents for several hours on Sunday.", "clashed", "clash"),
        ("Rebels captured the town of Mweso after heavy fighting.", "captured",
         "territory_gain"),
        ("Gunmen killed five villagers in an overnight raid.", "killed", "attack"),
        ("Unknown men kidnapped a priest on his way to church.", "kidnapped", "abduction"),
        ("Thousands of teachers protested outside parliament over unpaid wages.", "protested",
         "protest"),
        ("Police arrested 40 people after the rally.", "arrested", "arrest"),
        ("The army defused an improvised explosive device on the main road.", "defused",
         "disrupted_weapons"),
        ("Turkish forces set up a new observation post south of the city.", "set", "base"),
        ("Security forces found a cache of weapons in a farmhouse.", "found",
         "disrupted_weapons"),
        ("The two presidents met in Geneva to discuss the border.", "met", "meeting"),
        ("Workers went on strike at the country's largest port.", "went", None),
    ],
)
def test_detection_finds_event_mentions(nlp, text, trigger, kind):
    kept = _kept(nlp, text)
    if kind is None:  # a labour strike: the verb is "went on strike", the noun carries it
        assert all(k == "protest" for _, k in kept)
        return
    assert (trigger, kind) in kept, kept


@pytest.mark.parametrize(
    ("text", "trigger", "reason"),
    [
        ("The region has seen 13 months of vicious fighting.", "fighting", "background"),
        ("Villages near the front are shelled on an almost daily basis.", "shelled", "habitual"),
        ("The plant has repeatedly come under attack.", "attack", "habitual"),
        ("The militia threatened to attack the convoy.", "attack", "hypothetical"),
        ("The army denies targeting civilians.", "targeting", "negated"),
        ("Rebels did not attack the base, a spokesman said.", "attack", "negated"),
        ("Officials blamed air defences for some of the deadliest strikes.", "strikes", "generic"),
        ("\u201cThey are shelling our homes,\u201d the mayor said.", "shelling", "ongoing"),
        ("Troops could attack the town within days.", "attack", "hypothetical"),
        ("Protesters plan to march on the capital next week.", "march", "hypothetical"),
    ],
)
def test_detection_excludes_non_specific_mentions(nlp, text, trigger, reason):
    mentions = [m for m in _document(nlp, text).mentions if m.text == trigger]
    assert mentions, f"trigger {trigger!r} not seen at all"
    assert mentions[0].excluded == reason


@pytest.mark.parametrize(
    "text",
    [
        "The earthquake killed 40 people and destroyed hundreds of homes.",
        "The minister said the budget would be presented to parliament next month.",
        "Footage captured by a local resident showed the river rising.",
        "Prices of bread rose sharply according to the statistics office.",
        "",
    ],
)
def test_detection_no_event_in_reports_without_one(nlp, text):
    document = _document(nlp, text)
    assert group_mentions(document) == []


def test_detection_offsets_point_at_trigger(nlp):
    text = "On Monday, gunmen attacked a checkpoint in the north."
    document = _document(nlp, text)
    for m in document.mentions:
        assert text[m.start:m.end] == m.text
