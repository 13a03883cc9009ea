"""A blast at a place attacks are aimed at is an attack, whatever the classifier's disaster label;
an industrial blast stays a disaster."""

from __future__ import annotations

import pytest

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline import typing as typing_stage
from sitrep.records import Report

ACCIDENT = {"MAN_MADE_DISASTER": 0.6, "REM_EXPLOS": 0.15, "ORG_CRIME": 0.05}


def _decide(text: str, trigger: str) -> typing_stage.Decision:
    doc = load_model()(text)
    document = Document(report=Report(id="t", text=text), doc=doc)
    token = next(t for t in doc if t.lower_ == trigger)
    mention = EventMention(start=token.idx, end=token.idx + len(token), text=token.text,
                           lemma=token.lemma_.lower(), sent=0, kind="explosion", token=token.i)
    event = EventDraft(mentions=[mention], kind="explosion", sents=[0])
    document.events = [event]
    return typing_stage.decide(event, text, ACCIDENT, main=True, report=text)


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("At least 27 people were killed and 47 injured after an explosion in a cathedral in "
         "the capital.", "explosion"),
        ("An explosion on board a bus in the city centre injured 21 people, police said.",
         "explosion"),
        ("Twin blasts hit a mosque during Friday prayers, killing 30 worshippers.", "blasts"),
        ("A blast struck an army convoy on the main road, wounding four soldiers.", "blast"),
        ("A car rammed through the gates of an embassy and exploded, killing the driver.",
         "exploded"),
    ],
)
def test_typing_targeted_blast_kept(text, trigger):
    decision = _decide(text, trigger)
    assert not decision.drop
    assert decision.sub_event_type is not None


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("An explosion at a fireworks factory killed four workers on Tuesday.", "explosion"),
        ("A gas blast in an apartment block injured nine residents overnight.", "blast"),
    ],
)
def test_typing_targeted_blast_industrial_still_dropped(text, trigger):
    assert _decide(text, trigger).drop
