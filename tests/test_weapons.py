"""Weapons and targets of an event, in the codebook's words and the report's."""

from __future__ import annotations

import pytest

from sitrep.document import Document
from sitrep.nlp import load_model
from sitrep.pipeline.coreference import group_mentions
from sitrep.pipeline.detection import find_mentions
from sitrep.pipeline.weapons import assign_weapons_and_targets
from sitrep.records import Report


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _events(nlp, text: str):
    document = Document(Report("t", text), nlp(text))
    document.mentions = find_mentions(document)
    document.events = group_mentions(document)
    assign_weapons_and_targets(document)
    return document.events


@pytest.mark.parametrize(
    ("text", "weapons", "targets"),
    [
        ("An exploding drone struck a student dormitory overnight.", {"drone"},
         {"student dormitory"}),
        ("A cruise missile hit a power substation, cutting electricity to the district.",
         {"missile"}, {"power substation"}),
        ("Gunmen opened fire on a bus near the border, killing six.", {"firearm"}, {"bus"}),
        ("Artillery shells landed on a residential building in the old town.", {"artillery"},
         {"residential building"}),
        ("A roadside bomb targeted a police checkpoint.", {"ied"}, {"police checkpoint"}),
        ("Police fired tear gas at protesters outside the parliament building.", {"tear gas"},
         set()),
    ],
)
def test_weapons_and_targets_found(nlp, text, weapons, targets):
    events = _events(nlp, text)
    assert events, "no event found"
    event = events[0]
    assert weapons <= set(event.weapons), event.weapons
    assert targets <= set(event.targets), event.targets


def test_weapons_mine_as_workplace_is_not_a_weapon(nlp):
    events = _events(nlp, "Gunmen attacked workers at a gold mine in the north.")
    assert events
    assert "landmine" not in events[0].weapons


def test_weapons_evidence_points_at_words(nlp):
    text = "A drone hit an apartment block in the city."
    events = _events(nlp, text)
    spans = events[0].evidence["weapons"]
    assert any(text[s:e].lower() == "drone" for s, e in spans)
